//! Model-based property test of the datastore's value-level API: random sequences of inserts,
//! updates, deletes, range scans, seeks, commits and rollbacks run against both the datastore and
//! a plain reference model (a `BTreeMap` of rows plus the unique, auto-inc, set-semantics and
//! row-id rules written the obvious way), and every result — return values, errors, scan
//! outputs in order, table contents, sequence positions, commit changes — must be identical
//! after every step.
//!
//! The schema: `thing { id: u32 auto_inc primary key, code: u8 unique, grp: u8, tag: String }`
//! with indexes on `id` (unique), `code` (unique), `grp` (not unique) and `(grp, tag)`
//! (multi-column, not unique); and `other { k: u8 primary key }`, whose index only serves as an
//! index of the wrong table.
//!
//! (Slightly over 500 lines, in one file on purpose: the model, the operation generators and the
//! driver that compares them are read together.)

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use proptest::prelude::*;
use worldtube_host::datastore::{Datastore, DatastoreError, Inserted, RowId, Tx};
use worldtube_host::schema::{IndexId, Schema, TableId};
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductType, ProductValue};
use worldtube_lib::raw_def::{RawIndexAlgorithm, RawModuleDefV9Builder};
use worldtube_lib::Timestamp;

const THING: TableId = TableId(0);
/// No table has this id.
const MISSING_TABLE: TableId = TableId(9);
const TAGS: [&str; 3] = ["", "a", "b"];

fn schema() -> Arc<Schema> {
    use AlgebraicType as T;
    let mut b = RawModuleDefV9Builder::new();
    let thing =
        ProductType::new([(Some("id"), T::U32), (Some("code"), T::U8), (Some("grp"), T::U8), (Some("tag"), T::String)]);
    b.build_table_with_new_type("thing", thing, true)
        .with_auto_inc_primary_key(0)
        .with_unique_constraint(1)
        .with_index(RawIndexAlgorithm::btree(0), "id")
        .with_index(RawIndexAlgorithm::btree(1), "code")
        .with_index(RawIndexAlgorithm::btree(2), "grp")
        .with_index(RawIndexAlgorithm::btree([2, 3]), "grp_tag")
        .finish();
    let other = ProductType::new([(Some("k"), T::U8)]);
    b.build_table_with_new_type("other", other, true)
        .with_primary_key(0)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "k")
        .finish();
    Arc::new(Schema::from_def(&b.finish()).expect("the test schema is valid"))
}

fn now() -> Timestamp {
    Timestamp::from_micros_since_unix_epoch(1_700_000_000_000_000)
}

/// A row of `thing`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Thing {
    id: u32,
    code: u8,
    grp: u8,
    tag: String,
}

impl Thing {
    fn value(&self) -> ProductValue {
        ProductValue::new([
            AlgebraicValue::U32(self.id),
            AlgebraicValue::U8(self.code),
            AlgebraicValue::U8(self.grp),
            AlgebraicValue::String(self.tag.as_str().into()),
        ])
    }
    fn col(&self, col: usize) -> AlgebraicValue {
        self.value().elements[col].clone()
    }
}

/// The key columns of `thing`'s indexes, by index id.
fn index_cols(index: IndexId) -> &'static [usize] {
    match index.0 {
        0 => &[0],
        1 => &[1],
        2 => &[2],
        _ => &[2, 3],
    }
}

/// A value of column `col` of `thing` from a small domain, so that values collide often.
fn col_value(col: usize, n: u8) -> AlgebraicValue {
    match col {
        0 => AlgebraicValue::U32(u32::from(n % 12)),
        1 => AlgebraicValue::U8(n % 10),
        2 => AlgebraicValue::U8(n % 3),
        _ => AlgebraicValue::String(TAGS[usize::from(n) % TAGS.len()].into()),
    }
}

/// How an operation picks its row: made up, or an existing row of the current or the committed
/// state (copies of committed rows exercise re-inserting a row deleted in the same transaction),
/// optionally with one column changed.
#[derive(Debug, Clone)]
enum RowSpec {
    New { id: u8, code: u8, grp: u8, tag: u8 },
    Current { pick: usize, tweak: Option<(usize, u8)> },
    Committed { pick: usize, tweak: Option<(usize, u8)> },
}

#[derive(Debug, Clone)]
struct RangeSpec {
    index: IndexId,
    prefix: Vec<u8>,
    start: Option<(bool, u8)>,
    end: Option<(bool, u8)>,
}

#[derive(Debug, Clone)]
enum Op {
    Insert(RowSpec),
    InsertIntoMissingTable,
    Update(IndexId, RowSpec),
    DeleteByValue(RowSpec),
    DeleteAllByEq(Vec<RowSpec>),
    DeleteRow(u64),
    Scan(RangeSpec),
    DeleteRange(RangeSpec),
    Seek(IndexId, Vec<u8>),
    Commit,
    Rollback,
}

fn row_spec() -> impl Strategy<Value = RowSpec> {
    let tweak = proptest::option::of((0usize..4, any::<u8>()));
    prop_oneof![
        3 => (prop_oneof![Just(0u8), 1u8..12], any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(id, code, grp, tag)| RowSpec::New { id, code, grp, tag }),
        2 => (any::<usize>(), tweak.clone()).prop_map(|(pick, tweak)| RowSpec::Current { pick, tweak }),
        1 => (any::<usize>(), tweak).prop_map(|(pick, tweak)| RowSpec::Committed { pick, tweak }),
    ]
}

fn range_spec() -> impl Strategy<Value = RangeSpec> {
    let bound = proptest::option::of((any::<bool>(), any::<u8>()));
    let index = prop_oneof![1 => 0u32..3, 1 => Just(3u32)];
    (index, 0u8..6, any::<[u8; 2]>(), bound.clone(), bound).prop_map(|(i, len, values, start, end)| {
        let index = IndexId(i);
        let columns = index_cols(index).len();
        // Mostly prefixes that leave a column to bound; sometimes one value too many (an error).
        let len = if len == 0 { columns } else { usize::from(len) % columns };
        RangeSpec { index, prefix: values[..len].to_vec(), start, end }
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => row_spec().prop_map(Op::Insert),
        1 => Just(Op::InsertIntoMissingTable),
        // Mostly through the unique indexes; else a non-unique one, another table's, or none.
        4 => (prop_oneof![3 => 0u32..2, 1 => 2u32..6], row_spec()).prop_map(|(i, row)| Op::Update(IndexId(i), row)),
        2 => row_spec().prop_map(Op::DeleteByValue),
        1 => proptest::collection::vec(row_spec(), 0..4).prop_map(Op::DeleteAllByEq),
        1 => (0u64..24).prop_map(Op::DeleteRow),
        3 => range_spec().prop_map(Op::Scan),
        1 => range_spec().prop_map(Op::DeleteRange),
        1 => (0u32..4, proptest::collection::vec(any::<u8>(), 2)).prop_map(|(i, key)| Op::Seek(IndexId(i), key)),
        1 => Just(Op::Commit),
        1 => Just(Op::Rollback),
    ]
}

/// The reference model: the rows of `thing` by row id, now and as committed, with the rules
/// spelled out directly.
#[derive(Debug, Clone)]
struct Model {
    schema: Arc<Schema>,
    rows: BTreeMap<u64, Thing>,
    committed: BTreeMap<u64, Thing>,
    next_row_id: u64,
    /// `next_row_id` when the transaction began: lower ids are committed rows.
    start_row_id: u64,
    /// Committed rows deleted in this transaction: re-inserting one gives it back its row id.
    deleted_committed: BTreeMap<Thing, u64>,
    /// The committed row ids in the order this transaction first deleted them.
    deletion_order: Vec<u64>,
    /// The next value of the `id` sequence (never rolled back).
    seq_next: u32,
}

type OpResult<T> = Result<T, DatastoreError>;

impl Model {
    fn new(schema: Arc<Schema>) -> Self {
        Model {
            schema,
            rows: BTreeMap::new(),
            committed: BTreeMap::new(),
            next_row_id: 0,
            start_row_id: 0,
            deleted_committed: BTreeMap::new(),
            deletion_order: Vec::new(),
            seq_next: 1,
        }
    }

    fn resolve(&self, spec: &RowSpec) -> Thing {
        let pick = |rows: &BTreeMap<u64, Thing>, pick: usize, tweak: Option<(usize, u8)>| {
            let mut row = match rows.values().nth(pick % rows.len().max(1)) {
                Some(row) => row.clone(),
                None => Thing { id: 1, code: 1, grp: 1, tag: "a".into() },
            };
            if let Some((col, n)) = tweak {
                match col_value(col, n) {
                    AlgebraicValue::U32(v) => row.id = v,
                    AlgebraicValue::U8(v) if col == 1 => row.code = v,
                    AlgebraicValue::U8(v) => row.grp = v,
                    AlgebraicValue::String(s) => row.tag = s.into(),
                    other => unreachable!("{other:?}"),
                }
            }
            row
        };
        match *spec {
            RowSpec::New { id, code, grp, tag } => Thing {
                id: u32::from(id),
                code: code % 10,
                grp: grp % 3,
                tag: TAGS[usize::from(tag) % TAGS.len()].into(),
            },
            RowSpec::Current { pick: p, tweak } => pick(&self.rows, p, tweak),
            RowSpec::Committed { pick: p, tweak } => pick(&self.committed, p, tweak),
        }
    }

    fn constraint(&self, col: u16) -> String {
        let table = self.schema.table(THING).unwrap();
        table.unique_constraints.iter().find(|c| c.columns == [col]).unwrap().name.clone()
    }

    /// Fills a zero `id` from the sequence.
    fn generate(&mut self, row: &mut Thing) -> Vec<(u16, AlgebraicValue)> {
        if row.id != 0 {
            return Vec::new();
        }
        row.id = self.seq_next;
        self.seq_next += 1;
        vec![(0, AlgebraicValue::U32(row.id))]
    }

    /// The first unique constraint (in index order: `id`, then `code`) that `row` would violate
    /// against a row other than `ignore`.
    fn check_unique(&self, row: &Thing, ignore: Option<u64>) -> OpResult<()> {
        let others = || self.rows.iter().filter(move |(id, _)| Some(**id) != ignore).map(|(_, r)| r);
        if others().any(|r| r.id == row.id) {
            return Err(DatastoreError::UniqueViolation { table: "thing".into(), constraint: self.constraint(0) });
        }
        if others().any(|r| r.code == row.code) {
            return Err(DatastoreError::UniqueViolation { table: "thing".into(), constraint: self.constraint(1) });
        }
        Ok(())
    }

    fn add(&mut self, row: Thing) -> u64 {
        let id = self.deleted_committed.remove(&row).unwrap_or_else(|| {
            self.next_row_id += 1;
            self.next_row_id - 1
        });
        self.rows.insert(id, row);
        id
    }

    fn remove(&mut self, id: u64) -> bool {
        let Some(row) = self.rows.remove(&id) else { return false };
        if id < self.start_row_id {
            self.deleted_committed.insert(row, id);
            if !self.deletion_order.contains(&id) {
                self.deletion_order.push(id);
            }
        }
        true
    }

    fn find(&self, row: &Thing) -> Option<u64> {
        self.rows.iter().find(|(_, r)| *r == row).map(|(id, _)| *id)
    }

    fn insert(&mut self, mut row: Thing) -> OpResult<Inserted> {
        let generated = self.generate(&mut row);
        // Set semantics: an identical row is already there.
        if let Some(id) = self.find(&row) {
            return Ok(Inserted { row_id: RowId(id), generated });
        }
        self.check_unique(&row, None)?;
        Ok(Inserted { row_id: RowId(self.add(row)), generated })
    }

    fn update(&mut self, index: IndexId, mut row: Thing) -> OpResult<Inserted> {
        let generated = self.generate(&mut row);
        let old = match index.0 {
            0 => self.rows.iter().find(|(_, r)| r.id == row.id),
            1 => self.rows.iter().find(|(_, r)| r.code == row.code),
            2 | 3 => {
                let name = self.schema.index(index).unwrap().name.clone();
                return Err(DatastoreError::IndexNotUnique { index, name });
            }
            _ => return Err(DatastoreError::NoSuchIndex(index)),
        };
        let Some((&old_id, old)) = old else { return Err(DatastoreError::NoSuchRow { table: THING, index }) };
        if *old == row {
            return Ok(Inserted { row_id: RowId(old_id), generated });
        }
        self.check_unique(&row, Some(old_id))?;
        self.remove(old_id);
        Ok(Inserted { row_id: RowId(self.add(row)), generated })
    }

    fn delete_by_value(&mut self, row: &Thing) -> bool {
        match self.find(row) {
            Some(id) => self.remove(id),
            None => false,
        }
    }

    /// The rows in range, in index order: key, then row id.
    fn range(&self, r: &RangeSpec) -> OpResult<Vec<(u64, Thing)>> {
        let cols = index_cols(r.index);
        if r.prefix.len() >= cols.len() {
            return Err(DatastoreError::PrefixTooLong {
                index: r.index,
                prefix_len: r.prefix.len(),
                columns: cols.len(),
            });
        }
        let k = r.prefix.len();
        let prefix: Vec<_> = r.prefix.iter().zip(cols).map(|(n, &c)| col_value(c, *n)).collect();
        let (start, end) = range_bounds(cols[k], r);
        // As on the server: with key columns after the bounded one, an excluded bound includes
        // its value (the bound is padded with the smallest/largest values of those columns).
        let padded = k + 1 < cols.len();
        let above = |v: &AlgebraicValue| match &start {
            Bound::Included(s) => v >= s,
            Bound::Excluded(s) => v > s || (padded && v == s),
            Bound::Unbounded => true,
        };
        let below = |v: &AlgebraicValue| match &end {
            Bound::Included(e) => v <= e,
            Bound::Excluded(e) => v < e || (padded && v == e),
            Bound::Unbounded => true,
        };
        let mut hits: Vec<(Vec<AlgebraicValue>, u64, Thing)> = self
            .rows
            .iter()
            .map(|(id, row)| (cols.iter().map(|&c| row.col(c)).collect::<Vec<_>>(), *id, row.clone()))
            .filter(|(key, _, _)| key[..k] == prefix[..] && above(&key[k]) && below(&key[k]))
            .collect();
        hits.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        Ok(hits.into_iter().map(|(_, id, row)| (id, row)).collect())
    }

    fn seek(&self, index: IndexId, key: &[AlgebraicValue]) -> Vec<u64> {
        let cols = index_cols(index);
        self.rows
            .iter()
            .filter(|(_, row)| cols.iter().map(|&c| row.col(c)).eq(key.iter().cloned()))
            .map(|(id, _)| *id)
            .collect()
    }

    /// The net changes: rows inserted (new row ids, in insertion order) and committed rows
    /// deleted (in the order first deleted).
    fn changes(&self) -> (Vec<Thing>, Vec<Thing>) {
        let inserted = self.rows.range(self.start_row_id..).map(|(_, r)| r.clone()).collect();
        let deleted = self
            .deletion_order
            .iter()
            .filter(|id| !self.rows.contains_key(id))
            .map(|id| self.committed[id].clone())
            .collect();
        (inserted, deleted)
    }

    fn commit(&mut self) {
        self.committed = self.rows.clone();
        self.start_row_id = self.next_row_id;
        self.deleted_committed.clear();
        self.deletion_order.clear();
    }

    fn rollback(&mut self) {
        self.rows = self.committed.clone();
        self.next_row_id = self.start_row_id;
        self.deleted_committed.clear();
        self.deletion_order.clear();
    }
}

fn range_bounds(col: usize, r: &RangeSpec) -> (Bound<AlgebraicValue>, Bound<AlgebraicValue>) {
    let bound = |b: Option<(bool, u8)>| match b {
        None => Bound::Unbounded,
        Some((true, n)) => Bound::Included(col_value(col, n)),
        Some((false, n)) => Bound::Excluded(col_value(col, n)),
    };
    (bound(r.start), bound(r.end))
}

fn range_args(r: &RangeSpec) -> (Vec<AlgebraicValue>, Bound<AlgebraicValue>, Bound<AlgebraicValue>) {
    let cols = index_cols(r.index);
    let prefix = r.prefix.iter().zip(cols).map(|(n, &c)| col_value(c, *n)).collect();
    // A too-long prefix has no column left to bound; any bound will do.
    let (start, end) = range_bounds(cols.get(r.prefix.len()).copied().unwrap_or(0), r);
    (prefix, start, end)
}

fn values(rows: &[Thing]) -> Vec<ProductValue> {
    rows.iter().map(Thing::value).collect()
}

/// The table's rows with their ids, in scan order, in both; and the sequence position.
fn check_contents(tx: &Tx, model: &Model) -> Result<(), TestCaseError> {
    let real: Vec<(RowId, ProductValue)> = tx.rows(THING).unwrap().map(|(id, r)| (id, r.value().clone())).collect();
    let expected: Vec<(RowId, ProductValue)> = model.rows.iter().map(|(id, r)| (RowId(*id), r.value())).collect();
    prop_assert_eq!(real, expected);
    prop_assert_eq!(tx.sequence_next(THING, 0), Some(i128::from(model.seq_next)));
    Ok(())
}

/// Every index, scanned whole, in both.
fn check_indexes(tx: &Tx, model: &Model) -> Result<(), TestCaseError> {
    for i in 0..4 {
        let all = RangeSpec { index: IndexId(i), prefix: Vec::new(), start: None, end: None };
        let real = tx.index_range(IndexId(i), &[], Bound::Unbounded, Bound::Unbounded);
        let expected = model.range(&all).map(|rows| rows.into_iter().map(|(id, _)| RowId(id)).collect::<Vec<_>>());
        prop_assert_eq!(real, expected, "index {}", i);
    }
    Ok(())
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let schema = schema();
    let mut model = Model::new(schema.clone());
    let mut tx = Datastore::new(schema).begin(now());
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Insert(spec) => {
                let row = model.resolve(spec);
                let real = tx.insert(THING, row.value());
                prop_assert_eq!(real, model.insert(row), "step {}: {:?}", step, op);
            }
            Op::InsertIntoMissingTable => {
                let row = model.resolve(&RowSpec::Current { pick: 0, tweak: None });
                prop_assert_eq!(tx.insert(MISSING_TABLE, row.value()), Err(DatastoreError::NoSuchTable(MISSING_TABLE)));
            }
            Op::Update(index, spec) => {
                let row = model.resolve(spec);
                let real = tx.update(THING, *index, row.value());
                let expected = model.update(*index, row);
                prop_assert_eq!(real, expected, "step {}: {:?}", step, op);
            }
            Op::DeleteByValue(spec) => {
                let row = model.resolve(spec);
                prop_assert_eq!(tx.delete_by_value(THING, &row.value()), model.delete_by_value(&row), "step {}", step);
            }
            Op::DeleteAllByEq(specs) => {
                let rows: Vec<Thing> = specs.iter().map(|s| model.resolve(s)).collect();
                let real = tx.delete_all_by_eq(THING, &values(&rows));
                let expected = rows.iter().filter(|r| model.delete_by_value(r)).count() as u32;
                prop_assert_eq!(real, Ok(expected), "step {}", step);
            }
            Op::DeleteRow(id) => {
                prop_assert_eq!(tx.delete_row(THING, RowId(*id)), model.remove(*id), "step {}", step);
            }
            Op::Scan(r) => {
                let (prefix, start, end) = range_args(r);
                let expected = model.range(r);
                let ids = tx.index_range(r.index, &prefix, start.clone(), end.clone());
                let rows = tx.index_scan(r.index, &prefix, start, end);
                let expected_ids =
                    expected.clone().map(|rows| rows.iter().map(|(id, _)| RowId(*id)).collect::<Vec<_>>());
                let expected_rows = expected.map(|rows| rows.into_iter().map(|(_, r)| r.value()).collect::<Vec<_>>());
                prop_assert_eq!(ids, expected_ids, "step {}: {:?}", step, op);
                prop_assert_eq!(rows.map(|rows| rows.iter().map(|r| r.value().clone()).collect()), expected_rows);
            }
            Op::DeleteRange(r) => {
                let (prefix, start, end) = range_args(r);
                let real = tx.delete_by_index_range(r.index, &prefix, start, end);
                let expected =
                    model.range(r).map(|rows| rows.iter().filter(|(id, _)| model.remove(*id)).count() as u32);
                prop_assert_eq!(real, expected, "step {}: {:?}", step, op);
            }
            Op::Seek(index, key) => {
                let cols = index_cols(*index);
                let key: Vec<_> = key.iter().zip(cols).map(|(n, &c)| col_value(c, *n)).collect();
                let expected = model.seek(*index, &key).into_iter().map(RowId).collect();
                prop_assert_eq!(tx.index_seek(*index, &key), Some(expected), "step {}", step);
            }
            Op::Commit => {
                let (inserted, deleted) = model.changes();
                let (ds, changes) = tx.commit();
                model.commit();
                let real_ins: Vec<_> =
                    changes.table(THING).map_or(Vec::new(), |c| c.inserted.iter().map(|r| r.value().clone()).collect());
                let real_del: Vec<_> =
                    changes.table(THING).map_or(Vec::new(), |c| c.deleted.iter().map(|r| r.value().clone()).collect());
                prop_assert_eq!(real_ins, values(&inserted), "step {}: inserted", step);
                prop_assert_eq!(real_del, values(&deleted), "step {}: deleted", step);
                prop_assert_eq!(ds.dump().next_row_id, model.next_row_id);
                tx = ds.begin(now());
                check_indexes(&tx, &model)?;
            }
            Op::Rollback => {
                let ds = tx.rollback();
                model.rollback();
                prop_assert_eq!(ds.dump().next_row_id, model.next_row_id);
                tx = ds.begin(now());
                check_indexes(&tx, &model)?;
            }
        }
        check_contents(&tx, &model)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn datastore_matches_the_model(ops in proptest::collection::vec(op(), 1..60)) {
        run(&ops)?;
    }
}
