//! Shared fixtures for the `AbiHost` / datastore tests: a small module definition and helpers
//! that speak BSATN bytes to the `Host` methods.
#![allow(dead_code)]

use std::ops::Bound;
use std::sync::Arc;

use worldtube_abi::{Errno, Host, HostError, IndexPrefix, RowIterAdvance};
use worldtube_host::datastore::{Datastore, Tx};
use worldtube_host::schema::Schema;
use worldtube_host::AbiHost;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductType, ProductValue};
use worldtube_lib::bsatn::{self, Encode, Reader};
use worldtube_lib::raw_def::{RawIndexAlgorithm, RawModuleDefV9, RawModuleDefV9Builder, TableAccess};
use worldtube_lib::{Identity, Timestamp};

pub(crate) const PERSON: u32 = 0;
pub(crate) const COUNTER: u32 = 1;
pub(crate) const WIDE: u32 = 2;
pub(crate) const BLOB: u32 = 3;
pub(crate) const TICK: u32 = 4;

/// The time every test transaction runs at.
pub(crate) const NOW_MICROS: i64 = 1_700_000_000_000_000;

/// Tables (ids in order):
/// 0 `person { id: u64 auto_inc pk, name: String unique, age: u8 }`, indexes `person_id_idx_btree`
///   (unique), `person_name_idx_btree` (unique), `person_age_idx_btree`, `person_age_name_idx_btree`;
/// 1 `counter { n: u8 auto_inc, tag: String unique }`;
/// 2 `wide { a: i128 auto_inc, b: u256 auto_inc, c: i8 auto_inc, d: String }`;
/// 3 `blob { id: u32 pk, data: Vec<u8> }`;
/// 4 `tick { scheduled_id: u64 auto_inc pk, scheduled_at: ScheduleAt }`, scheduling `on_tick`.
pub(crate) fn module_def() -> RawModuleDefV9 {
    use AlgebraicType as T;
    let mut b = RawModuleDefV9Builder::new();
    let person = ProductType::new([(Some("id"), T::U64), (Some("name"), T::String), (Some("age"), T::U8)]);
    b.build_table_with_new_type("person", person, true)
        .with_access(TableAccess::Public)
        .with_auto_inc_primary_key(0)
        .with_unique_constraint(1)
        .with_index(RawIndexAlgorithm::btree(0), "id")
        .with_index(RawIndexAlgorithm::btree(1), "name")
        .with_index(RawIndexAlgorithm::btree(2), "age")
        .with_index(RawIndexAlgorithm::btree([2, 1]), "age_name")
        .finish();
    let counter = ProductType::new([(Some("n"), T::U8), (Some("tag"), T::String)]);
    b.build_table_with_new_type("counter", counter, true)
        .with_column_sequence(0)
        .with_unique_constraint(1)
        .with_index(RawIndexAlgorithm::btree(1), "tag")
        .finish();
    let wide =
        ProductType::new([(Some("a"), T::I128), (Some("b"), T::U256), (Some("c"), T::I8), (Some("d"), T::String)]);
    b.build_table_with_new_type("wide", wide, true)
        .with_column_sequence(0)
        .with_column_sequence(1)
        .with_column_sequence(2)
        .finish();
    let blob = ProductType::new([(Some("id"), T::U32), (Some("data"), T::array(T::U8))]);
    b.build_table_with_new_type("blob", blob, true)
        .with_primary_key(0)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "id")
        .finish();
    let tick = ProductType::new([(Some("scheduled_id"), T::U64), (Some("scheduled_at"), T::schedule_at())]);
    let tick_ref = b
        .build_table_with_new_type("tick", tick, true)
        .with_auto_inc_primary_key(0)
        .with_index(RawIndexAlgorithm::btree(0), "scheduled_id")
        .with_schedule("on_tick", 1)
        .finish();
    b.add_reducer("on_tick", ProductType::new([(Some("arg"), T::Ref(tick_ref))]), None);
    b.finish()
}

pub(crate) fn schema() -> Arc<Schema> {
    Arc::new(Schema::from_def(&module_def()).expect("the test module is valid"))
}

pub(crate) fn now() -> Timestamp {
    Timestamp::from_micros_since_unix_epoch(NOW_MICROS)
}

pub(crate) fn database_identity() -> Identity {
    Identity::from_byte_array([7; 32])
}

/// A host with a transaction open on an empty datastore.
pub(crate) fn host() -> AbiHost {
    host_with(Datastore::new(schema()))
}

/// A host with a transaction open on `ds`.
pub(crate) fn host_with(ds: Datastore) -> AbiHost {
    let mut h = AbiHost::new(database_identity());
    h.begin_call(Some(ds.begin(now())), Vec::new());
    h
}

/// Commits the host's transaction and returns the datastore.
pub(crate) fn commit(h: &mut AbiHost) -> Datastore {
    h.take_tx().expect("a transaction").commit().0
}

pub(crate) fn tx(h: &AbiHost) -> &Tx {
    h.tx().expect("a transaction")
}

pub(crate) fn errno_of<T: std::fmt::Debug>(r: Result<T, HostError>) -> u16 {
    match r {
        Err(HostError::Errno(e)) => e.code(),
        other => panic!("expected an errno, got {other:?}"),
    }
}

pub(crate) fn person(id: u64, name: &str, age: u8) -> Vec<u8> {
    bsatn::to_vec(&(id, name.to_string(), age))
}

pub(crate) fn person_value(id: u64, name: &str, age: u8) -> ProductValue {
    ProductValue::new([AlgebraicValue::U64(id), AlgebraicValue::from(name), AlgebraicValue::U8(age)])
}

pub(crate) fn bound<T: Encode>(b: Bound<T>) -> Vec<u8> {
    bsatn::to_vec(&b)
}

/// A BSATN array of already-encoded rows.
pub(crate) fn array_of(rows: &[Vec<u8>]) -> Vec<u8> {
    let mut out = (rows.len() as u32).to_le_bytes().to_vec();
    for r in rows {
        out.extend_from_slice(r);
    }
    out
}

pub(crate) fn index_id(h: &mut AbiHost, name: &str) -> u32 {
    h.index_id_from_name(name).unwrap_or_else(|e| panic!("index {name}: {e}"))
}

pub(crate) fn no_prefix() -> IndexPrefix<'static> {
    IndexPrefix { bytes: &[], elems: 0 }
}

/// Reads an iterator to the end with a 64 KiB buffer; returns the concatenated bytes.
pub(crate) fn drain(h: &mut AbiHost, iter: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match h.row_iter_bsatn_advance(iter, &mut buf).expect("advance") {
            RowIterAdvance::More { written } => out.extend_from_slice(&buf[..written]),
            RowIterAdvance::Exhausted { written } => {
                out.extend_from_slice(&buf[..written]);
                return out;
            }
            RowIterAdvance::BufferTooSmall { needed } => buf.resize(needed, 0),
        }
    }
}

/// Decodes concatenated rows of `table`.
pub(crate) fn decode_rows(table: u32, mut bytes: &[u8]) -> Vec<ProductValue> {
    let schema = schema();
    let ty = AlgebraicType::Product(schema.tables()[table as usize].row_type.clone());
    let mut rows = Vec::new();
    while !bytes.is_empty() {
        let mut r = Reader::new(bytes);
        let v = AlgebraicValue::decode(&ty, schema.typespace(), &mut r).expect("row decodes");
        bytes = &bytes[r.offset()..];
        match v {
            AlgebraicValue::Product(p) => rows.push(p),
            other => panic!("not a product: {other:?}"),
        }
    }
    rows
}

/// Scans `table` through the ABI and decodes the rows.
pub(crate) fn scan(h: &mut AbiHost, table: u32) -> Vec<ProductValue> {
    let it = h.datastore_table_scan_bsatn(table).expect("scan");
    let bytes = drain(h, it);
    decode_rows(table, &bytes)
}

/// Range-scans `index` of `table` through the ABI and decodes the rows.
pub(crate) fn range(
    h: &mut AbiHost,
    table: u32,
    index: u32,
    prefix: IndexPrefix<'_>,
    start: &[u8],
    end: &[u8],
) -> Vec<ProductValue> {
    let it = h.datastore_index_scan_range_bsatn(index, prefix, start, end).expect("range scan");
    let bytes = drain(h, it);
    decode_rows(table, &bytes)
}

pub(crate) fn ids(rows: &[ProductValue]) -> Vec<u64> {
    rows.iter()
        .map(|r| match r.elements[0] {
            AlgebraicValue::U64(id) => id,
            ref other => panic!("id is {other:?}"),
        })
        .collect()
}

pub(crate) const NOT_IN_TRANSACTION: u16 = Errno::NOT_IN_TRANSACTION.code();
pub(crate) const BSATN_DECODE_ERROR: u16 = Errno::BSATN_DECODE_ERROR.code();
pub(crate) const NO_SUCH_TABLE: u16 = Errno::NO_SUCH_TABLE.code();
pub(crate) const NO_SUCH_INDEX: u16 = Errno::NO_SUCH_INDEX.code();
pub(crate) const NO_SUCH_ITER: u16 = Errno::NO_SUCH_ITER.code();
pub(crate) const NO_SUCH_CONSOLE_TIMER: u16 = Errno::NO_SUCH_CONSOLE_TIMER.code();
pub(crate) const NO_SUCH_BYTES: u16 = Errno::NO_SUCH_BYTES.code();
pub(crate) const UNIQUE_ALREADY_EXISTS: u16 = Errno::UNIQUE_ALREADY_EXISTS.code();
pub(crate) const SCHEDULE_AT_DELAY_TOO_LONG: u16 = Errno::SCHEDULE_AT_DELAY_TOO_LONG.code();
pub(crate) const INDEX_NOT_UNIQUE: u16 = Errno::INDEX_NOT_UNIQUE.code();
pub(crate) const NO_SUCH_ROW: u16 = Errno::NO_SUCH_ROW.code();
