//! Property tests: rollback restores the datastore byte for byte, commits report exactly the
//! net changes, and hostile arguments to every `Host` method never panic.

mod abi_support;

use std::collections::BTreeMap;
use std::ops::Bound;

use abi_support::*;
use proptest::prelude::*;
use worldtube_abi::{Host, HostError, IndexPrefix};
use worldtube_host::datastore::{Datastore, DatastoreDump};
use worldtube_host::AbiHost;
use worldtube_lib::bsatn;
use worldtube_lib::u256;

#[derive(Debug, Clone)]
enum Op {
    Insert { id: u64, name: u8, age: u8 },
    InsertWide { zeros: [bool; 3] },
    Update { index: u32, id: u64, name: u8, age: u8 },
    DeleteRange { index: u32, lo: Option<(bool, u8)>, hi: Option<(bool, u8)> },
    DeletePrefix { age: u8, name_hi: u8 },
    DeleteEq { rows: Vec<(u64, u8, u8)> },
    Scan { index: u32 },
}

fn op() -> impl Strategy<Value = Op> {
    let small_id = prop_oneof![Just(0u64), 1u64..12];
    let bound = proptest::option::of((any::<bool>(), 0u8..6));
    prop_oneof![
        4 => (small_id.clone(), 0u8..8, 0u8..6).prop_map(|(id, name, age)| Op::Insert { id, name, age }),
        1 => any::<[bool; 3]>().prop_map(|zeros| Op::InsertWide { zeros }),
        2 => (0u32..4, small_id.clone(), 0u8..8, 0u8..6).prop_map(|(index, id, name, age)| Op::Update { index, id, name, age }),
        1 => (0u32..4, bound.clone(), bound).prop_map(|(index, lo, hi)| Op::DeleteRange { index, lo, hi }),
        1 => (0u8..6, 0u8..8).prop_map(|(age, name_hi)| Op::DeletePrefix { age, name_hi }),
        1 => proptest::collection::vec((1u64..12, 0u8..8, 0u8..6), 0..4).prop_map(|rows| Op::DeleteEq { rows }),
        1 => (0u32..4).prop_map(|index| Op::Scan { index }),
    ]
}

fn name(n: u8) -> String {
    format!("n{n}")
}

/// Encodes a bound on the key column of person index `index` (0 id, 1 name, 2 age, 3 age+name).
fn key_bound(index: u32, b: Option<(bool, u8)>) -> Vec<u8> {
    fn wrap<T: bsatn::Encode>(incl: bool, v: T) -> Vec<u8> {
        bound(if incl { Bound::Included(v) } else { Bound::Excluded(v) })
    }
    match (index, b) {
        (_, None) => vec![2],
        (0, Some((i, v))) => wrap(i, u64::from(v)),
        (1, Some((i, v))) => wrap(i, name(v)),
        (_, Some((i, v))) => wrap(i, v),
    }
}

fn ok_or_errno<T>(r: Result<T, HostError>) {
    match r {
        Ok(_) | Err(HostError::Errno(_)) => {}
        Err(HostError::Trap(t)) => panic!("unexpected trap: {t}"),
    }
}

/// Applies `op` through the ABI; errors (errnos) are expected, traps and panics are not.
fn apply(h: &mut AbiHost, op: &Op) {
    match op {
        Op::Insert { id, name: n, age } => ok_or_errno(h.datastore_insert_bsatn(PERSON, &person(*id, &name(*n), *age))),
        Op::InsertWide { zeros } => {
            let row = bsatn::to_vec(&(
                if zeros[0] { 0i128 } else { 5 },
                if zeros[1] { u256::ZERO } else { u256::from(5u8) },
                if zeros[2] { 0i8 } else { 5 },
                "w".to_string(),
            ));
            ok_or_errno(h.datastore_insert_bsatn(WIDE, &row))
        }
        Op::Update { index, id, name: n, age } => {
            ok_or_errno(h.datastore_update_bsatn(PERSON, *index, &person(*id, &name(*n), *age)))
        }
        Op::DeleteRange { index, lo, hi } => {
            let (s, e) = (key_bound(*index, *lo), key_bound(*index, *hi));
            ok_or_errno(h.datastore_delete_by_index_scan_range_bsatn(*index, no_prefix(), &s, &e))
        }
        Op::DeletePrefix { age, name_hi } => {
            let prefix = [*age];
            let e = bound(Bound::Included(name(*name_hi)));
            let p = IndexPrefix { bytes: &prefix, elems: 1 };
            ok_or_errno(h.datastore_delete_by_index_scan_range_bsatn(3, p, &[2], &e))
        }
        Op::DeleteEq { rows } => {
            let rows: Vec<Vec<u8>> = rows.iter().map(|(id, n, age)| person(*id, &name(*n), *age)).collect();
            ok_or_errno(h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(&rows)))
        }
        Op::Scan { index } => {
            let u = [2u8];
            let it = h.datastore_index_scan_range_bsatn(*index, no_prefix(), &u, &u).unwrap();
            let bytes = drain(h, it);
            assert_eq!(decode_rows(PERSON, &bytes).len() as u64, h.datastore_table_row_count(PERSON).unwrap());
        }
    }
}

fn run(ds: Datastore, ops: &[Op]) -> AbiHost {
    let mut h = host_with(ds);
    for op in ops {
        apply(&mut h, op);
    }
    h
}

/// Every table's rows as a multiset of bytes.
fn row_multiset(dump: &DatastoreDump) -> Vec<BTreeMap<Vec<u8>, usize>> {
    dump.tables
        .iter()
        .map(|t| {
            let mut m = BTreeMap::new();
            for (_, bytes) in &t.rows {
                *m.entry(bytes.clone()).or_insert(0) += 1;
            }
            m
        })
        .collect()
}

/// Checks the invariants tying rows, the bytes map and the indexes together.
fn check_consistency(dump: &DatastoreDump) {
    for t in &dump.tables {
        assert_eq!(t.rows.len(), t.by_bytes.len(), "one bytes entry per row (set semantics)");
        for index in &t.indexes {
            let n: usize = index.iter().map(|(_, ids)| ids.len()).sum();
            assert_eq!(n, t.rows.len(), "every row is in every index once");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn rollback_is_byte_identical(setup in proptest::collection::vec(op(), 0..25), ops in proptest::collection::vec(op(), 0..40)) {
        let mut h = run(Datastore::new(schema()), &setup);
        let ds = commit(&mut h);
        let before = ds.dump();
        let person_seq = ds.sequence_next(worldtube_host::TableId(PERSON), 0);
        let mut h = run(ds, &ops);
        check_consistency(&tx(&h).dump());
        let ds = h.take_tx().unwrap().rollback();
        prop_assert_eq!(ds.dump(), before);
        prop_assert!(ds.sequence_next(worldtube_host::TableId(PERSON), 0) >= person_seq);
    }

    #[test]
    fn commit_reports_the_net_changes(setup in proptest::collection::vec(op(), 0..25), ops in proptest::collection::vec(op(), 0..40)) {
        let mut h = run(Datastore::new(schema()), &setup);
        let ds = commit(&mut h);
        let before = row_multiset(&ds.dump());
        let mut h = run(ds, &ops);
        let (ds, changes) = h.take_tx().unwrap().commit();
        let after_dump = ds.dump();
        check_consistency(&after_dump);
        let mut expected = before;
        for t in &changes.tables {
            let m = &mut expected[t.table.idx()];
            for row in &t.deleted {
                let bytes = row.bytes().to_vec();
                let count = m.get_mut(&bytes).expect("a deleted row was there before");
                *count -= 1;
                if *count == 0 {
                    m.remove(&bytes);
                }
            }
            for row in &t.inserted {
                let bytes = row.bytes().to_vec();
                prop_assert!(!m.contains_key(&bytes), "an inserted row was not there before");
                m.insert(bytes, 1);
            }
        }
        prop_assert_eq!(row_multiset(&after_dump), expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile arguments.

#[derive(Debug, Clone)]
enum Call {
    TableIdFromName(String),
    IndexIdFromName(String),
    RowCount(u32),
    TableScan(u32),
    IndexScan(u32, Vec<u8>, u16, Vec<u8>, Vec<u8>),
    DeleteRange(u32, Vec<u8>, u16, Vec<u8>, Vec<u8>),
    DeleteEq(u32, Vec<u8>),
    Advance(u32, usize),
    Close(u32),
    Insert(u32, Vec<u8>),
    Update(u32, u32, Vec<u8>),
    ScheduleImmediate(String, Vec<u8>),
    SinkWrite(u32, Vec<u8>),
    SourceRead(u32, usize),
    Log(u32, Option<String>, Option<String>, Option<u32>, String),
    TimerStart(String),
    TimerEnd(u32),
    Identity,
}

fn id() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..10, any::<u32>()]
}

/// Bytes that are often nearly valid: valid rows and bounds, truncated, extended or mutated.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    let valid = prop_oneof![
        (any::<u64>(), ".{0,6}", any::<u8>()).prop_map(|(id, n, age)| bsatn::to_vec(&(id, n, age))),
        any::<u8>().prop_map(|v| bound(Bound::Included(v))),
        any::<u64>().prop_map(|v| bound(Bound::Excluded(v))),
        Just(vec![2u8]),
        (any::<u32>(), proptest::collection::vec(any::<u8>(), 0..40)).prop_map(|(id, d)| bsatn::to_vec(&(id, d))),
        proptest::collection::vec((any::<u64>(), ".{0,3}", any::<u8>()), 0..3).prop_map(|rows| {
            let rows: Vec<Vec<u8>> = rows.into_iter().map(|r| bsatn::to_vec(&r)).collect();
            array_of(&rows)
        }),
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..48),
        valid.clone(),
        (valid.clone(), any::<prop::sample::Index>()).prop_map(|(v, i)| {
            let cut = i.index(v.len() + 1);
            v[..cut].to_vec()
        }),
        (valid.clone(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut v, i, b)| {
            if !v.is_empty() {
                let at = i.index(v.len());
                v[at] = b;
            }
            v
        }),
        (valid, proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(mut v, tail)| {
            v.extend(tail);
            v
        }),
        // Huge claimed lengths.
        Just(vec![0xff, 0xff, 0xff, 0xff]),
        Just(vec![0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 1]),
    ]
}

fn name_str() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("person".to_string()),
        Just("person_age_name_idx_btree".to_string()),
        Just("tick_scheduled_id_idx_btree".to_string()),
        ".{0,12}",
    ]
}

fn call() -> impl Strategy<Value = Call> {
    let elems = prop_oneof![0u16..4, any::<u16>()];
    let cap = prop_oneof![0usize..64, 0usize..100_000];
    prop_oneof![
        name_str().prop_map(Call::TableIdFromName),
        name_str().prop_map(Call::IndexIdFromName),
        id().prop_map(Call::RowCount),
        id().prop_map(Call::TableScan),
        (id(), bytes(), elems.clone(), bytes(), bytes()).prop_map(|(i, p, e, s, t)| Call::IndexScan(i, p, e, s, t)),
        (id(), bytes(), elems, bytes(), bytes()).prop_map(|(i, p, e, s, t)| Call::DeleteRange(i, p, e, s, t)),
        (id(), bytes()).prop_map(|(t, b)| Call::DeleteEq(t, b)),
        (id(), cap.clone()).prop_map(|(i, c)| Call::Advance(i, c)),
        id().prop_map(Call::Close),
        (id(), bytes()).prop_map(|(t, b)| Call::Insert(t, b)),
        (id(), id(), bytes()).prop_map(|(t, i, b)| Call::Update(t, i, b)),
        (".{0,8}", bytes()).prop_map(|(n, a)| Call::ScheduleImmediate(n, a)),
        (id(), bytes()).prop_map(|(s, b)| Call::SinkWrite(s, b)),
        (id(), cap).prop_map(|(s, c)| Call::SourceRead(s, c)),
        (
            any::<u32>(),
            proptest::option::of(".{0,4}"),
            proptest::option::of(".{0,4}"),
            proptest::option::of(any::<u32>()),
            ".{0,8}"
        )
            .prop_map(|(l, t, f, n, m)| Call::Log(l, t, f, n, m)),
        ".{0,8}".prop_map(Call::TimerStart),
        id().prop_map(Call::TimerEnd),
        Just(Call::Identity),
    ]
}

fn hostile_call(h: &mut AbiHost, call: &Call) {
    fn prefix(bytes: &[u8], elems: u16) -> IndexPrefix<'_> {
        IndexPrefix { bytes: if elems == 0 { &[] } else { bytes }, elems }
    }
    match call {
        Call::TableIdFromName(n) => drop(h.table_id_from_name(n)),
        Call::IndexIdFromName(n) => drop(h.index_id_from_name(n)),
        Call::RowCount(t) => drop(h.datastore_table_row_count(*t)),
        Call::TableScan(t) => drop(h.datastore_table_scan_bsatn(*t)),
        Call::IndexScan(i, p, e, s, t) => drop(h.datastore_index_scan_range_bsatn(*i, prefix(p, *e), s, t)),
        Call::DeleteRange(i, p, e, s, t) => drop(h.datastore_delete_by_index_scan_range_bsatn(*i, prefix(p, *e), s, t)),
        Call::DeleteEq(t, b) => drop(h.datastore_delete_all_by_eq_bsatn(*t, b)),
        Call::Advance(i, c) => {
            let mut buf = vec![0u8; *c];
            drop(h.row_iter_bsatn_advance(*i, &mut buf));
        }
        Call::Close(i) => drop(h.row_iter_bsatn_close(*i)),
        Call::Insert(t, b) => {
            if let Ok(wb) = h.datastore_insert_bsatn(*t, b) {
                assert!(wb.len() <= b.len(), "write-back longer than the row");
            }
        }
        Call::Update(t, i, b) => {
            if let Ok(wb) = h.datastore_update_bsatn(*t, *i, b) {
                assert!(wb.len() <= b.len(), "write-back longer than the row");
            }
        }
        Call::ScheduleImmediate(n, a) => h.volatile_nonatomic_schedule_immediate(n, a).unwrap(),
        Call::SinkWrite(s, b) => drop(h.bytes_sink_write(*s, b)),
        Call::SourceRead(s, c) => {
            let mut buf = vec![0u8; *c];
            drop(h.bytes_source_read(*s, &mut buf));
        }
        Call::Log(l, t, f, n, m) => h.console_log(*l, t.as_deref(), f.as_deref(), *n, m).unwrap(),
        Call::TimerStart(n) => assert_ne!(h.console_timer_start(n).unwrap(), 0),
        Call::TimerEnd(i) => drop(h.console_timer_end(*i)),
        Call::Identity => drop(h.identity().unwrap()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn hostile_arguments_never_panic(in_tx in any::<bool>(), args in bytes(), calls in proptest::collection::vec(call(), 1..40)) {
        let mut h = if in_tx { host() } else { AbiHost::new(database_identity()) };
        h.set_args(args);
        let before = h.tx().map(|tx| tx.dump());
        for c in &calls {
            hostile_call(&mut h, c);
        }
        if let Some(tx) = h.take_tx() {
            check_consistency(&tx.dump());
            // Whatever happened, rolling back restores the state.
            prop_assert_eq!(Some(tx.rollback().dump()), before);
        }
    }
}
