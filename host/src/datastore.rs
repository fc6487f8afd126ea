//! The committed state and transactions, with SpacetimeDB 1.3's datastore semantics.
//!
//! * [`Datastore`] owns the committed state: per table, its rows (as [`Row`]s: the
//!   [`ProductValue`] and its BSATN bytes) under stable [`RowId`]s in insertion order, a
//!   bytes → row map (set semantics, deletes by value) and one ordered map per index from the key
//!   (the index columns' values, under [`AlgebraicValue`]'s order, the server's) to row ids.
//! * [`Datastore::begin`] moves the state into a [`Tx`], which mutates it in place and keeps an
//!   undo log. [`Tx::commit`] hands the state back with the transaction's net
//!   [`TxChanges`]; [`Tx::rollback`] replays the undo log and hands back a state that is
//!   byte-identical to the one `begin` took (rows, row ids, index contents, the row-id
//!   counter) — except sequences, which advance permanently, as on the server.
//! * A `Tx` dereferences to the [`Datastore`] it holds, so every read method sees the state as
//!   the transaction sees it.
//!
//! The `Tx` methods mirror the datastore imports of ABI 10.0 (`*_bsatn` methods take the
//! import's bytes) and fail with [`HostError::Errno`] for the errnos `SPEC.md` names or with
//! [`HostError::Trap`] for failures 10.0 has no errno for (a sequence overflowing).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::ops::{Bound, Deref};
use std::sync::Arc;
use std::time::Duration;

use worldtube_abi::{Errno, HostError, HostResult, IndexPrefix, Trap};
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue, Typespace};
use worldtube_lib::bsatn::{self, Reader};
use worldtube_lib::{i256, u256, ScheduleAt, Timestamp};

use crate::schema::{ColId, IndexId, IndexSchema, ReducerId, Schema, SequenceSchema, TableId, TableSchema};

/// The longest delay a schedule row may ask for: 64^6 - 1 milliseconds (about 2.18 years), the
/// limit of the server's timer wheel. A longer one is `SCHEDULE_AT_DELAY_TOO_LONG`.
pub const MAX_SCHEDULE_DELAY: Duration = Duration::from_millis((1 << 36) - 1);

/// A row's stable identity within its table. Ids increase with insertion, so row-id order is
/// insertion order (a full table scan's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowId(pub u64);

/// A stored row: its value and its BSATN encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    value: ProductValue,
    bytes: Box<[u8]>,
}

impl Row {
    /// A row holding `value`, encoded once.
    pub fn new(value: ProductValue) -> Self {
        let bytes = bsatn::to_vec(&value).into_boxed_slice();
        Row { value, bytes }
    }
    /// The row's value.
    pub fn value(&self) -> &ProductValue {
        &self.value
    }
    /// The row's BSATN bytes (what a row iterator yields).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A row used as a key by its bytes (set semantics).
#[derive(Debug, Clone)]
struct RowBytes(Arc<Row>);

impl PartialEq for RowBytes {
    fn eq(&self, other: &Self) -> bool {
        self.0.bytes == other.0.bytes
    }
}
impl Eq for RowBytes {}
impl Hash for RowBytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.bytes.hash(state)
    }
}
impl std::borrow::Borrow<[u8]> for RowBytes {
    fn borrow(&self) -> &[u8] {
        &self.0.bytes
    }
}

/// How an index key continues past its values: stored keys are complete (`Exact`); range bounds
/// that fix fewer columns than the index has stand for their values followed by the smallest
/// (`Min`) or largest (`Max`) possible values, as the server's `AlgebraicValue::Min`/`Max`
/// fillers do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Fill {
    Min,
    Exact,
    Max,
}

/// The rows under one index key, in row-id order. Most keys (every key of a unique index) have
/// one row, which is kept inline rather than in a set of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RowIds {
    One(RowId),
    Many(BTreeSet<RowId>),
}

impl RowIds {
    fn insert(&mut self, id: RowId) {
        match self {
            RowIds::One(existing) if *existing == id => {}
            RowIds::One(existing) => *self = RowIds::Many(BTreeSet::from([*existing, id])),
            RowIds::Many(set) => {
                set.insert(id);
            }
        }
    }

    fn remove(&mut self, id: &RowId) {
        match self {
            RowIds::One(_) => {}
            RowIds::Many(set) => {
                set.remove(id);
                if set.len() == 1 {
                    *self = RowIds::One(*set.first().expect("one element"));
                }
            }
        }
    }

    /// Whether removing `id` would leave no rows (the caller then drops the key).
    fn is_only(&self, id: &RowId) -> bool {
        matches!(self, RowIds::One(existing) if existing == id)
    }

    fn iter(&self) -> impl Iterator<Item = &RowId> {
        let (one, many) = match self {
            RowIds::One(id) => (Some(id), None),
            RowIds::Many(set) => (None, Some(set.iter())),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }
}

/// A key of an index: the values of its columns, in key order.
#[derive(Debug, Clone)]
struct IndexKey {
    vals: KeyVals,
    fill: Fill,
}

impl IndexKey {
    fn exact(vals: impl Into<KeyVals>) -> Self {
        IndexKey { vals: vals.into(), fill: Fill::Exact }
    }
}

/// The values of an index key. Most indexes have one column, whose value is kept inline: every
/// insert builds a key per index, and this saves an allocation for each.
#[derive(Debug, Clone)]
enum KeyVals {
    One([AlgebraicValue; 1]),
    Many(Box<[AlgebraicValue]>),
}

impl std::ops::Deref for KeyVals {
    type Target = [AlgebraicValue];
    fn deref(&self) -> &[AlgebraicValue] {
        match self {
            KeyVals::One(one) => one,
            KeyVals::Many(many) => many,
        }
    }
}

impl From<Vec<AlgebraicValue>> for KeyVals {
    fn from(mut vals: Vec<AlgebraicValue>) -> Self {
        match vals.len() {
            1 => KeyVals::One([vals.pop().expect("one value")]),
            _ => KeyVals::Many(vals.into()),
        }
    }
}

impl Ord for IndexKey {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.vals.iter().zip(other.vals.iter()) {
            match a.cmp(b) {
                Ordering::Equal => {}
                ord => return ord,
            }
        }
        match self.vals.len().cmp(&other.vals.len()) {
            Ordering::Equal => self.fill.cmp(&other.fill),
            Ordering::Less => match self.fill {
                Fill::Max => Ordering::Greater,
                Fill::Min | Fill::Exact => Ordering::Less,
            },
            Ordering::Greater => match other.fill {
                Fill::Max => Ordering::Less,
                Fill::Min | Fill::Exact => Ordering::Greater,
            },
        }
    }
}
impl PartialOrd for IndexKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for IndexKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for IndexKey {}

#[derive(Debug, Clone, Default)]
struct IndexData {
    map: BTreeMap<IndexKey, RowIds>,
}

#[derive(Debug, Clone, Default)]
struct TableData {
    rows: BTreeMap<RowId, Arc<Row>>,
    by_bytes: HashMap<RowBytes, RowId>,
    /// Parallel to the table schema's `indexes`.
    indexes: Vec<IndexData>,
}

#[derive(Debug, Clone)]
struct SequenceState {
    /// The next value to hand out; `None` once the step past the last one overflowed `i128`.
    next: Option<i128>,
}

/// The committed state of one database: every table's rows and indexes, and the sequences.
///
/// `Clone` copies the whole state (rows are shared, so it costs one pointer per row and index
/// entry).
#[derive(Debug, Clone)]
pub struct Datastore {
    schema: Arc<Schema>,
    tables: Vec<TableData>,
    /// Per table, parallel to the table schema's `sequences`.
    sequences: Vec<Vec<SequenceState>>,
    next_row_id: u64,
}

/// A copy of a datastore's rows and indexes (not its sequences), from [`Datastore::snapshot`].
#[derive(Debug, Clone)]
pub struct Snapshot {
    tables: Vec<TableData>,
    next_row_id: u64,
}

/// Everything observable about a datastore's rows and indexes, for comparing states
/// byte for byte (see [`Datastore::dump`]). Sequences are not included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatastoreDump {
    /// The row id the next insert would get.
    pub next_row_id: u64,
    /// Per table, in id order.
    pub tables: Vec<TableDump>,
}

/// One table of a [`DatastoreDump`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDump {
    /// Every row's id and bytes, in scan (row-id) order.
    pub rows: Vec<(RowId, Vec<u8>)>,
    /// The bytes → row id map, sorted by bytes.
    pub by_bytes: Vec<(Vec<u8>, RowId)>,
    /// Per index of the table (in definition order), every key with its row ids, in key order.
    pub indexes: Vec<Vec<(Vec<AlgebraicValue>, Vec<RowId>)>>,
}

fn errno(e: Errno) -> HostError {
    HostError::Errno(e)
}

fn decode_error() -> HostError {
    errno(Errno::BSATN_DECODE_ERROR)
}

/// Whether `v` is an integer equal to zero (what triggers a sequence).
fn is_numeric_zero(v: &AlgebraicValue) -> bool {
    use AlgebraicValue as V;
    match v {
        V::I8(x) => *x == 0,
        V::U8(x) => *x == 0,
        V::I16(x) => *x == 0,
        V::U16(x) => *x == 0,
        V::I32(x) => *x == 0,
        V::U32(x) => *x == 0,
        V::I64(x) => *x == 0,
        V::U64(x) => *x == 0,
        V::I128(x) => *x == 0,
        V::U128(x) => *x == 0,
        V::I256(x) => **x == i256::ZERO,
        V::U256(x) => **x == u256::ZERO,
        _ => false,
    }
}

/// `value` as a value of the integer type `ty`, if it fits.
fn integer_value(ty: &AlgebraicType, value: i128) -> Option<AlgebraicValue> {
    use AlgebraicType as T;
    use AlgebraicValue as V;
    Some(match ty {
        T::I8 => V::I8(value.try_into().ok()?),
        T::U8 => V::U8(value.try_into().ok()?),
        T::I16 => V::I16(value.try_into().ok()?),
        T::U16 => V::U16(value.try_into().ok()?),
        T::I32 => V::I32(value.try_into().ok()?),
        T::U32 => V::U32(value.try_into().ok()?),
        T::I64 => V::I64(value.try_into().ok()?),
        T::U64 => V::U64(value.try_into().ok()?),
        T::I128 => V::I128(value),
        T::U128 => V::U128(value.try_into().ok()?),
        T::I256 => V::I256(Box::new(i256::from(value))),
        T::U256 => V::U256(Box::new(u256::from(u128::try_from(value).ok()?))),
        _ => return None,
    })
}

fn project(row: &ProductValue, cols: &[ColId]) -> IndexKey {
    let value = |c: ColId| row.elements.get(usize::from(c)).cloned().unwrap_or_else(AlgebraicValue::unit);
    match cols {
        [only] => IndexKey { vals: KeyVals::One([value(*only)]), fill: Fill::Exact },
        _ => IndexKey::exact(cols.iter().map(|&c| value(c)).collect::<Vec<_>>()),
    }
}

/// Combines the fixed `prefix` values and the bounds on the next key column into bounds on whole
/// keys, exactly as the server does (`range_scan_combine_prefix_and_bounds`): the `suffix_len`
/// columns after the bounded one are filled with the smallest value for the start and the
/// largest for the end. (A consequence the server shares: when `suffix_len > 0`, `Excluded(v)`
/// behaves like `Included(v)`.)
fn make_bounds(
    prefix: Vec<AlgebraicValue>,
    start: Bound<AlgebraicValue>,
    end: Bound<AlgebraicValue>,
    suffix_len: usize,
) -> (Bound<IndexKey>, Bound<IndexKey>) {
    let concat = |val: AlgebraicValue, fill: Fill| {
        let mut vals = prefix.clone();
        vals.push(val);
        IndexKey { vals: vals.into(), fill: if suffix_len == 0 { Fill::Exact } else { fill } }
    };
    let start = match start {
        Bound::Included(v) => Bound::Included(concat(v, Fill::Min)),
        Bound::Excluded(v) => Bound::Excluded(concat(v, Fill::Min)),
        Bound::Unbounded if prefix.is_empty() => Bound::Unbounded,
        Bound::Unbounded => Bound::Included(IndexKey { vals: prefix.clone().into(), fill: Fill::Min }),
    };
    let end = match end {
        Bound::Included(v) => Bound::Included(concat(v, Fill::Max)),
        Bound::Excluded(v) => Bound::Excluded(concat(v, Fill::Max)),
        Bound::Unbounded if prefix.is_empty() => Bound::Unbounded,
        Bound::Unbounded => Bound::Included(IndexKey { vals: prefix.into(), fill: Fill::Max }),
    };
    (start, end)
}

/// Decodes a BSATN `Bound` of a value of type `ty` (trailing bytes are ignored, as on the server).
fn decode_bound(ty: &AlgebraicType, typespace: &Typespace, bytes: &[u8]) -> Result<Bound<AlgebraicValue>, HostError> {
    let mut r = Reader::new(bytes);
    let tag = r.take_u8("Bound tag").map_err(|_| decode_error())?;
    let mut value = || AlgebraicValue::decode(ty, typespace, &mut r).map_err(|_| decode_error());
    Ok(match tag {
        0 => Bound::Included(value()?),
        1 => Bound::Excluded(value()?),
        2 => Bound::Unbounded,
        _ => return Err(decode_error()),
    })
}

/// Decodes the arguments of a range scan on `index` into bounds on whole keys, following the
/// server's `range_scan_decode_bounds`.
fn decode_range(
    index: &IndexSchema,
    typespace: &Typespace,
    prefix: IndexPrefix<'_>,
    rstart: &[u8],
    rend: &[u8],
) -> Result<(Bound<IndexKey>, Bound<IndexKey>), HostError> {
    let elems = usize::from(prefix.elems);
    if let [ty] = &*index.key_types {
        // Single-column index: the server accepts no prefix (it ignores `prefix_elems` when the
        // prefix bytes are empty).
        if elems != 0 && !prefix.bytes.is_empty() {
            return Err(decode_error());
        }
        let start = decode_bound(ty, typespace, rstart)?;
        let end = decode_bound(ty, typespace, rend)?;
        return Ok(make_bounds(Vec::new(), start, end, 0));
    }
    // Multi-column index: `elems` prefix columns, then the bounded one, then the suffix.
    if elems >= index.key_types.len() {
        return Err(decode_error());
    }
    let mut r = Reader::new(prefix.bytes);
    let prefix_vals = index.key_types[..elems]
        .iter()
        .map(|ty| AlgebraicValue::decode(ty, typespace, &mut r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| decode_error())?;
    let range_ty = &index.key_types[elems];
    let start = decode_bound(range_ty, typespace, rstart)?;
    let end = decode_bound(range_ty, typespace, rend)?;
    Ok(make_bounds(prefix_vals, start, end, index.key_types.len() - elems - 1))
}

impl TableData {
    fn new(table: &TableSchema) -> Self {
        TableData { indexes: vec![IndexData::default(); table.indexes.len()], ..Default::default() }
    }

    /// Adds `row` under `id` to the rows, the bytes map and every index.
    fn add(&mut self, schema: &Schema, table: &TableSchema, id: RowId, row: Arc<Row>) {
        for (data, index_id) in self.indexes.iter_mut().zip(&table.indexes) {
            if let Some(index) = schema.index(*index_id) {
                match data.map.entry(project(&row.value, &index.columns)) {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(RowIds::One(id));
                    }
                    std::collections::btree_map::Entry::Occupied(mut o) => o.get_mut().insert(id),
                }
            }
        }
        self.by_bytes.insert(RowBytes(row.clone()), id);
        self.rows.insert(id, row);
    }

    /// Removes the row `id` from everything; returns it if it was there.
    fn remove(&mut self, schema: &Schema, table: &TableSchema, id: RowId) -> Option<Arc<Row>> {
        let row = self.rows.remove(&id)?;
        self.by_bytes.remove(&*row.bytes);
        for (data, index_id) in self.indexes.iter_mut().zip(&table.indexes) {
            if let Some(index) = schema.index(*index_id) {
                let key = project(&row.value, &index.columns);
                if let Some(ids) = data.map.get_mut(&key) {
                    if ids.is_only(&id) {
                        data.map.remove(&key);
                    } else {
                        ids.remove(&id);
                    }
                }
            }
        }
        Some(row)
    }
}

impl IndexData {
    /// The row ids within the bounds, in key order (ties in row-id order).
    fn range(&self, start: Bound<IndexKey>, end: Bound<IndexKey>) -> Vec<RowId> {
        // `BTreeMap::range` panics on an inverted range; such a range is simply empty.
        if let (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e)) = (&start, &end) {
            let excluded = matches!(start, Bound::Excluded(_)) || matches!(end, Bound::Excluded(_));
            match s.cmp(e) {
                Ordering::Greater => return Vec::new(),
                Ordering::Equal if excluded => return Vec::new(),
                _ => {}
            }
        }
        self.map.range((start, end)).flat_map(|(_, ids)| ids.iter().copied()).collect()
    }
}

impl Datastore {
    /// An empty datastore for `schema`.
    pub fn new(schema: Arc<Schema>) -> Self {
        let tables = schema.tables().iter().map(TableData::new).collect();
        let sequences = schema
            .tables()
            .iter()
            .map(|t| t.sequences.iter().map(|s| SequenceState { next: Some(s.start) }).collect())
            .collect();
        Datastore { schema, tables, sequences, next_row_id: 0 }
    }

    /// The schema.
    pub fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// Starts a transaction at `now` (the time schedule rows are measured from). The state moves
    /// into the transaction and comes back from [`Tx::commit`] or [`Tx::rollback`].
    pub fn begin(self, now: Timestamp) -> Tx {
        let start_next_row_id = self.next_row_id;
        let deleted_committed = vec![HashMap::default(); self.tables.len()];
        Tx { ds: self, undo: Vec::new(), start_next_row_id, now, deleted_committed }
    }

    /// How many rows `table` has, or `None` for an unknown table.
    pub fn row_count(&self, table: TableId) -> Option<u64> {
        self.tables.get(table.idx()).map(|t| t.rows.len() as u64)
    }

    /// The rows of `table` with their ids, in scan (insertion) order; `None` for an unknown
    /// table.
    pub fn rows(&self, table: TableId) -> Option<impl Iterator<Item = (RowId, &Arc<Row>)> + '_> {
        self.tables.get(table.idx()).map(|t| t.rows.iter().map(|(id, row)| (*id, row)))
    }

    /// The row `id` of `table`.
    pub fn row(&self, table: TableId, id: RowId) -> Option<&Arc<Row>> {
        self.tables.get(table.idx())?.rows.get(&id)
    }

    /// The id of the row of `table` whose BSATN is exactly `bytes`.
    pub fn find_by_bytes(&self, table: TableId, bytes: &[u8]) -> Option<RowId> {
        self.tables.get(table.idx())?.by_bytes.get(bytes).copied()
    }

    /// The ids of the rows whose key under `index` is `key` (one value per key column), in
    /// row-id order; `None` for an unknown index.
    pub fn index_seek(&self, index: IndexId, key: &[AlgebraicValue]) -> Option<Vec<RowId>> {
        let (_, data) = self.index_data(index)?;
        Some(data.map.get(&IndexKey::exact(key.to_vec())).map(|ids| ids.iter().copied().collect()).unwrap_or_default())
    }

    /// The ids of the rows of `index` whose first `prefix.len()` key columns equal `prefix` and
    /// whose next key column lies within `start`..`end`, in index order.
    ///
    /// Errors: `NO_SUCH_INDEX` for an unknown index, `BSATN_DECODE_ERROR` if `prefix` leaves no
    /// key column to bound (as the server reports it).
    pub fn index_range(
        &self,
        index: IndexId,
        prefix: &[AlgebraicValue],
        start: Bound<AlgebraicValue>,
        end: Bound<AlgebraicValue>,
    ) -> Result<Vec<RowId>, Errno> {
        let (schema, data) = self.index_data(index).ok_or(Errno::NO_SUCH_INDEX)?;
        let n = schema.columns.len();
        if prefix.len() >= n {
            return Err(Errno::BSATN_DECODE_ERROR);
        }
        let (start, end) = make_bounds(prefix.to_vec(), start, end, n - prefix.len() - 1);
        Ok(data.range(start, end))
    }

    /// The next value the sequence on column `col` of `table` would hand out (`None` if there is
    /// no such sequence or it is exhausted).
    pub fn sequence_next(&self, table: TableId, col: ColId) -> Option<i128> {
        let t = self.schema.table(table)?;
        let pos = t.sequences.iter().position(|s| s.col == col)?;
        self.sequences.get(table.idx())?.get(pos)?.next
    }

    /// A copy of the rows and indexes (cheap: rows are shared).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot { tables: self.tables.clone(), next_row_id: self.next_row_id }
    }

    /// Puts the rows and indexes of `snapshot` back. Sequences keep their current positions, so
    /// values handed out since the snapshot are never reused.
    pub fn restore(&mut self, snapshot: Snapshot) {
        self.tables = snapshot.tables;
        self.next_row_id = snapshot.next_row_id;
    }

    /// Everything observable about the rows and indexes, for byte-for-byte comparisons.
    pub fn dump(&self) -> DatastoreDump {
        let tables = self
            .tables
            .iter()
            .map(|t| {
                let mut by_bytes: Vec<(Vec<u8>, RowId)> =
                    t.by_bytes.iter().map(|(k, v)| (k.0.bytes.to_vec(), *v)).collect();
                by_bytes.sort();
                TableDump {
                    rows: t.rows.iter().map(|(id, row)| (*id, row.bytes.to_vec())).collect(),
                    by_bytes,
                    indexes: t
                        .indexes
                        .iter()
                        .map(|i| {
                            i.map.iter().map(|(k, ids)| (k.vals.to_vec(), ids.iter().copied().collect())).collect()
                        })
                        .collect(),
                }
            })
            .collect();
        DatastoreDump { next_row_id: self.next_row_id, tables }
    }

    fn table_schema(&self, table: TableId) -> Result<&TableSchema, HostError> {
        self.schema.table(table).ok_or(errno(Errno::NO_SUCH_TABLE))
    }

    fn index_data(&self, index: IndexId) -> Option<(&IndexSchema, &IndexData)> {
        let schema = self.schema.index(index)?;
        let table = self.schema.table(schema.table)?;
        let pos = table.indexes.iter().position(|i| *i == index)?;
        Some((schema, self.tables.get(schema.table.idx())?.indexes.get(pos)?))
    }

    /// Decodes a row of `table` that must use all of `bytes`.
    fn decode_row(&self, table: &TableSchema, bytes: &[u8]) -> Result<ProductValue, HostError> {
        match AlgebraicValue::decode_exact(&table.row_algebraic_type, self.schema.typespace(), bytes) {
            Ok(AlgebraicValue::Product(p)) => Ok(p),
            _ => Err(decode_error()),
        }
    }

    /// The rows (shared) of `rows` in `table`.
    fn collect_rows(&self, table: TableId, ids: &[RowId]) -> Vec<Arc<Row>> {
        let t = &self.tables[table.idx()];
        ids.iter().filter_map(|id| t.rows.get(id).cloned()).collect()
    }
}

/// One undoable step.
#[derive(Debug)]
enum Undo {
    /// Row `id` was added to `table`.
    Inserted(TableId, RowId),
    /// Row `id` was removed from `table`.
    Deleted(TableId, RowId, Arc<Row>),
}

/// What an insert or update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    /// The row's id (the existing row's, for a set-semantic duplicate).
    pub row_id: RowId,
    /// The values generated for auto-inc columns that were zero, in column order.
    pub generated: Vec<(ColId, AlgebraicValue)>,
}

impl Inserted {
    /// The write-back bytes: the generated values' BSATN, concatenated in column order.
    pub fn generated_bsatn(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (_, v) in &self.generated {
            bsatn::to_writer(&mut out, v);
        }
        out
    }
}

/// The net changes of a transaction to one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChanges {
    /// The table.
    pub table: TableId,
    /// Rows present at the end that were not committed before, in insertion order (shared with
    /// the datastore, not copied).
    pub inserted: Vec<Arc<Row>>,
    /// Committed rows that are gone at the end, in deletion order.
    pub deleted: Vec<Arc<Row>>,
}

/// A row of a schedule table, as the scheduler needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledRow {
    /// The schedule table.
    pub table: TableId,
    /// The reducer the schedule calls.
    pub reducer: ReducerId,
    /// The row's `u64` primary key.
    pub schedule_id: u64,
    /// When it is due.
    pub at: ScheduleAt,
    /// The whole row (the reducer's argument).
    pub row: ProductValue,
}

/// The net changes of a transaction to schedule tables. Apply `deleted` before `inserted` (an
/// updated schedule row appears in both).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduleChanges {
    /// Schedule rows that were removed.
    pub deleted: Vec<ScheduledRow>,
    /// Schedule rows that were added.
    pub inserted: Vec<ScheduledRow>,
}

/// The net changes of a transaction (what [`Tx::commit`] returns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxChanges {
    /// Per changed table, in table-id order.
    pub tables: Vec<TableChanges>,
    /// The changes to schedule tables, decoded for the scheduler.
    pub schedules: ScheduleChanges,
}

impl TxChanges {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }
    /// The changes to `table`, if any.
    pub fn table(&self, table: TableId) -> Option<&TableChanges> {
        self.tables.iter().find(|t| t.table == table)
    }
}

/// The schedule information of `row` of `table`, if `table` is a schedule table.
pub fn scheduled_row(schema: &Schema, table: TableId, row: &ProductValue) -> Option<ScheduledRow> {
    let sched = schema.table(table)?.schedule.as_ref()?;
    let schedule_id = match row.elements.get(usize::from(sched.id_column))? {
        AlgebraicValue::U64(id) => *id,
        _ => return None,
    };
    let at_bytes = bsatn::to_vec(row.elements.get(usize::from(sched.at_column))?);
    let at = bsatn::from_slice::<ScheduleAt>(&at_bytes).ok()?;
    Some(ScheduledRow { table, reducer: sched.reducer, schedule_id, at, row: row.clone() })
}

/// A transaction: owns the datastore while it runs and records how to undo its changes.
///
/// Read methods of [`Datastore`] are available through `Deref` and see the transaction's own
/// changes.
#[derive(Debug)]
pub struct Tx {
    ds: Datastore,
    undo: Vec<Undo>,
    /// Rows with ids below this were committed before the transaction began.
    start_next_row_id: u64,
    now: Timestamp,
    /// Per table: committed rows deleted in this transaction, by bytes, so that re-inserting
    /// one restores it in place (the server's "undelete").
    deleted_committed: Vec<HashMap<RowBytes, RowId>>,
}

impl Deref for Tx {
    type Target = Datastore;
    fn deref(&self) -> &Datastore {
        &self.ds
    }
}

impl Tx {
    /// The time the transaction runs at.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Commits: hands back the datastore and the transaction's net changes.
    pub fn commit(self) -> (Datastore, TxChanges) {
        let changes = self.changes();
        (self.ds, changes)
    }

    /// Rolls back: undoes every change and hands back the datastore, byte-identical to the one
    /// the transaction began with (sequences excepted: they stay advanced).
    pub fn rollback(mut self) -> Datastore {
        while let Some(step) = self.undo.pop() {
            match step {
                Undo::Inserted(table, id) => {
                    let ts = &self.ds.schema.tables()[table.idx()];
                    self.ds.tables[table.idx()].remove(&self.ds.schema, ts, id);
                }
                Undo::Deleted(table, id, row) => {
                    let ts = &self.ds.schema.tables()[table.idx()];
                    self.ds.tables[table.idx()].add(&self.ds.schema, ts, id, row);
                }
            }
        }
        self.ds.next_row_id = self.start_next_row_id;
        self.ds
    }

    /// The net changes so far: per table, the rows inserted (present now, not committed before)
    /// and deleted (committed before, gone now).
    pub fn changes(&self) -> TxChanges {
        let n = self.ds.tables.len();
        let mut inserted: Vec<Vec<Arc<Row>>> = vec![Vec::new(); n];
        let mut deleted: Vec<Vec<Arc<Row>>> = vec![Vec::new(); n];
        let mut seen: HashSet<(TableId, RowId)> = HashSet::default();
        for step in &self.undo {
            match step {
                Undo::Inserted(table, id) if id.0 >= self.start_next_row_id => {
                    if let Some(row) = self.ds.tables[table.idx()].rows.get(id) {
                        if seen.insert((*table, *id)) {
                            inserted[table.idx()].push(row.clone());
                        }
                    }
                }
                Undo::Deleted(table, id, row)
                    if id.0 < self.start_next_row_id
                        && !self.ds.tables[table.idx()].rows.contains_key(id)
                        && seen.insert((*table, *id)) =>
                {
                    deleted[table.idx()].push(row.clone());
                }
                _ => {}
            }
        }
        let mut changes = TxChanges::default();
        for (t, (ins, del)) in inserted.into_iter().zip(deleted).enumerate() {
            if ins.is_empty() && del.is_empty() {
                continue;
            }
            let table = TableId(t as u32);
            if self.ds.schema.tables()[t].schedule.is_some() {
                let schema = &self.ds.schema;
                changes.schedules.deleted.extend(del.iter().filter_map(|r| scheduled_row(schema, table, &r.value)));
                changes.schedules.inserted.extend(ins.iter().filter_map(|r| scheduled_row(schema, table, &r.value)));
            }
            changes.tables.push(TableChanges { table, inserted: ins, deleted: del });
        }
        changes
    }

    // ---------------------------------------------------------------------------------------
    // Value-level operations.

    /// Inserts `row` into `table`: zero auto-inc columns get generated values first; a row
    /// byte-identical to a stored one is a successful no-op; a unique-column value taken by
    /// another row is `UNIQUE_ALREADY_EXISTS`; in a schedule table a due time too far ahead is
    /// `SCHEDULE_AT_DELAY_TOO_LONG` (nothing is inserted). A sequence overflow traps.
    ///
    /// `row` must be a value of the table's row type (`BSATN_DECODE_ERROR` otherwise).
    pub fn insert(&mut self, table: TableId, row: ProductValue) -> HostResult<Inserted> {
        self.check_row_type(table, &row)?;
        self.insert_unchecked(table, row)
    }

    fn insert_unchecked(&mut self, table: TableId, mut row: ProductValue) -> HostResult<Inserted> {
        let schema = self.ds.schema.clone();
        let ts = schema.table(table).ok_or(errno(Errno::NO_SUCH_TABLE))?;
        let generated = self.generate(ts, &mut row)?;
        let row = Arc::new(Row::new(row));
        if let Some(&existing) = self.ds.tables[table.idx()].by_bytes.get(&*row.bytes) {
            return Ok(Inserted { row_id: existing, generated });
        }
        self.check_unique(&schema, ts, &row.value, None)?;
        self.check_schedule(ts, &row.value)?;
        let row_id = self.add_row(&schema, ts, row);
        Ok(Inserted { row_id, generated })
    }

    /// Replaces the row whose key under the unique `index` equals `row`'s: zero auto-inc
    /// columns are generated first (and the key taken after that, as on the server). Errors:
    /// `NO_SUCH_TABLE`, `NO_SUCH_INDEX` (also for an index of another table),
    /// `INDEX_NOT_UNIQUE`, `NO_SUCH_ROW`, `UNIQUE_ALREADY_EXISTS` (another unique index clashes
    /// with a row other than the old one), `SCHEDULE_AT_DELAY_TOO_LONG`; the old row stays on
    /// any error. A row equal to the old one changes nothing.
    ///
    /// `row` must be a value of the table's row type (`BSATN_DECODE_ERROR` otherwise).
    pub fn update(&mut self, table: TableId, index: IndexId, row: ProductValue) -> HostResult<Inserted> {
        self.check_row_type(table, &row)?;
        self.update_unchecked(table, index, row)
    }

    fn update_unchecked(&mut self, table: TableId, index: IndexId, mut row: ProductValue) -> HostResult<Inserted> {
        let schema = self.ds.schema.clone();
        let ts = schema.table(table).ok_or(errno(Errno::NO_SUCH_TABLE))?;
        let generated = self.generate(ts, &mut row)?;
        let index_schema = schema.index(index).filter(|i| i.table == table).ok_or(errno(Errno::NO_SUCH_INDEX))?;
        if !index_schema.is_unique {
            return Err(errno(Errno::INDEX_NOT_UNIQUE));
        }
        let (_, data) = self.ds.index_data(index).ok_or(errno(Errno::NO_SUCH_INDEX))?;
        let key = project(&row, &index_schema.columns);
        let old_id = data.map.get(&key).and_then(|ids| ids.iter().next().copied()).ok_or(errno(Errno::NO_SUCH_ROW))?;
        let row = Arc::new(Row::new(row));
        let old = self.ds.tables[table.idx()].rows[&old_id].clone();
        if old.bytes == row.bytes {
            return Ok(Inserted { row_id: old_id, generated });
        }
        self.check_unique(&schema, ts, &row.value, Some(old_id))?;
        self.check_schedule(ts, &row.value)?;
        self.remove_row(&schema, ts, old_id);
        let row_id = self.add_row(&schema, ts, row);
        Ok(Inserted { row_id, generated })
    }

    /// Deletes row `id` of `table`; returns whether it was there.
    pub fn delete_row(&mut self, table: TableId, id: RowId) -> bool {
        let schema = self.ds.schema.clone();
        let Some(ts) = schema.table(table) else { return false };
        self.remove_row(&schema, ts, id)
    }

    /// Deletes the row of `table` equal (byte for byte) to `row`; returns whether there was one.
    pub fn delete_by_value(&mut self, table: TableId, row: &ProductValue) -> bool {
        let bytes = bsatn::to_vec(row);
        match self.ds.find_by_bytes(table, &bytes) {
            Some(id) => self.delete_row(table, id),
            None => false,
        }
    }

    // ---------------------------------------------------------------------------------------
    // The datastore imports, with the imports' bytes.

    /// `datastore_insert_bsatn`: decodes `row` (which must be exactly one row), inserts it and
    /// returns the write-back bytes.
    pub fn insert_bsatn(&mut self, table_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        let table = TableId(table_id);
        let value = self.ds.decode_row(self.ds.table_schema(table)?, row)?;
        self.insert_unchecked(table, value).map(|i| i.generated_bsatn())
    }

    /// `datastore_update_bsatn`: decodes `row`, updates through `index_id` and returns the
    /// write-back bytes.
    pub fn update_bsatn(&mut self, table_id: u32, index_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        let table = TableId(table_id);
        let value = self.ds.decode_row(self.ds.table_schema(table)?, row)?;
        self.update_unchecked(table, IndexId(index_id), value).map(|i| i.generated_bsatn())
    }

    /// `datastore_table_scan_bsatn`: every row of the table, in scan order.
    pub fn scan_table(&self, table_id: u32) -> HostResult<Vec<Arc<Row>>> {
        let t = self.ds.tables.get(table_id as usize).ok_or(errno(Errno::NO_SUCH_TABLE))?;
        Ok(t.rows.values().cloned().collect())
    }

    /// `datastore_index_scan_range_bsatn`: the rows in range, in index order.
    pub fn scan_index_range_bsatn(
        &self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<Vec<Arc<Row>>> {
        let (table, ids) = self.range_ids_bsatn(index_id, prefix, rstart, rend)?;
        Ok(self.ds.collect_rows(table, &ids))
    }

    /// `datastore_delete_by_index_scan_range_bsatn`: deletes the rows in range, returns how
    /// many.
    pub fn delete_by_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<u32> {
        let (table, ids) = self.range_ids_bsatn(index_id, prefix, rstart, rend)?;
        Ok(ids.into_iter().filter(|id| self.delete_row(table, *id)).count() as u32)
    }

    /// `datastore_delete_all_by_eq_bsatn`: `relation` is a BSATN array of rows (trailing bytes
    /// after it are ignored, as on the server); deletes each stored row byte-equal to one of
    /// them, returns how many.
    pub fn delete_all_by_eq_bsatn(&mut self, table_id: u32, relation: &[u8]) -> HostResult<u32> {
        let table = TableId(table_id);
        let ts = self.ds.table_schema(table)?;
        let array_ty = AlgebraicType::array(ts.row_algebraic_type.clone());
        let mut r = Reader::new(relation);
        let rows = match AlgebraicValue::decode(&array_ty, self.ds.schema.typespace(), &mut r) {
            Ok(AlgebraicValue::Array(rows)) => rows,
            _ => return Err(decode_error()),
        };
        let mut count = 0;
        for row in rows.iter() {
            let bytes = bsatn::to_vec(row);
            if let Some(id) = self.ds.find_by_bytes(table, &bytes) {
                if self.delete_row(table, id) {
                    count += 1;
                }
            }
        }
        Ok(count)
    }

    // ---------------------------------------------------------------------------------------
    // Internals.

    /// `NO_SUCH_TABLE`, or `BSATN_DECODE_ERROR` unless `row` is a value of the row type of
    /// `table` (checked by a BSATN round trip).
    fn check_row_type(&self, table: TableId, row: &ProductValue) -> Result<(), HostError> {
        let ts = self.ds.table_schema(table)?;
        let bytes = bsatn::to_vec(row);
        match self.ds.decode_row(ts, &bytes) {
            Ok(decoded) if decoded == *row => Ok(()),
            _ => Err(decode_error()),
        }
    }

    fn range_ids_bsatn(
        &self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<(TableId, Vec<RowId>)> {
        let (schema, data) = self.ds.index_data(IndexId(index_id)).ok_or(errno(Errno::NO_SUCH_INDEX))?;
        let (start, end) = decode_range(schema, self.ds.schema.typespace(), prefix, rstart, rend)?;
        Ok((schema.table, data.range(start, end)))
    }

    /// Fills zero auto-inc columns of `row` from their sequences; returns the generated values.
    fn generate(&mut self, ts: &TableSchema, row: &mut ProductValue) -> HostResult<Vec<(ColId, AlgebraicValue)>> {
        let mut generated = Vec::new();
        for (pos, seq) in ts.sequences.iter().enumerate() {
            let col = usize::from(seq.col);
            if !row.elements.get(col).is_some_and(is_numeric_zero) {
                continue;
            }
            let state = &mut self.ds.sequences[ts.id.idx()][pos];
            let value = next_sequence_value(ts, seq, state)?;
            row.elements[col] = value.clone();
            generated.push((seq.col, value));
        }
        Ok(generated)
    }

    /// `UNIQUE_ALREADY_EXISTS` if a unique index of `ts` already has `row`'s key for a row other
    /// than `ignore`.
    fn check_unique(
        &self,
        schema: &Schema,
        ts: &TableSchema,
        row: &ProductValue,
        ignore: Option<RowId>,
    ) -> Result<(), HostError> {
        let data = &self.ds.tables[ts.id.idx()];
        for (index_id, idata) in ts.indexes.iter().zip(&data.indexes) {
            let Some(index) = schema.index(*index_id) else { continue };
            if !index.is_unique {
                continue;
            }
            if let Some(ids) = idata.map.get(&project(row, &index.columns)) {
                if ids.iter().any(|id| Some(*id) != ignore) {
                    return Err(errno(Errno::UNIQUE_ALREADY_EXISTS));
                }
            }
        }
        Ok(())
    }

    /// `SCHEDULE_AT_DELAY_TOO_LONG` if `row` belongs to a schedule table and is due too far
    /// ahead of the transaction's time.
    fn check_schedule(&self, ts: &TableSchema, row: &ProductValue) -> Result<(), HostError> {
        if ts.schedule.is_none() {
            return Ok(());
        }
        if let Some(s) = scheduled_row(&self.ds.schema, ts.id, row) {
            if s.at.to_duration_from(self.now) >= MAX_SCHEDULE_DELAY {
                return Err(errno(Errno::SCHEDULE_AT_DELAY_TOO_LONG));
            }
        }
        Ok(())
    }

    /// Stores `row` (known not to be present): under its old id if it is a committed row this
    /// transaction deleted, else under a fresh id.
    fn add_row(&mut self, schema: &Schema, ts: &TableSchema, row: Arc<Row>) -> RowId {
        let t = ts.id.idx();
        let id = match self.deleted_committed[t].remove(&*row.bytes) {
            Some(old) => old,
            None => {
                let id = RowId(self.ds.next_row_id);
                self.ds.next_row_id += 1;
                id
            }
        };
        self.ds.tables[t].add(schema, ts, id, row);
        self.undo.push(Undo::Inserted(ts.id, id));
        id
    }

    fn remove_row(&mut self, schema: &Schema, ts: &TableSchema, id: RowId) -> bool {
        let t = ts.id.idx();
        let Some(row) = self.ds.tables[t].remove(schema, ts, id) else { return false };
        if id.0 < self.start_next_row_id {
            self.deleted_committed[t].insert(RowBytes(row.clone()), id);
        }
        self.undo.push(Undo::Deleted(ts.id, id, row));
        true
    }
}

/// Hands out the next value of `seq`, trapping when it leaves the sequence's (and column type's)
/// range.
fn next_sequence_value(
    ts: &TableSchema,
    seq: &SequenceSchema,
    state: &mut SequenceState,
) -> HostResult<AlgebraicValue> {
    let overflow = || {
        HostError::Trap(Trap::new(format!(
            "sequence `{}` on column `{}` of table `{}` overflowed its range [{}, {}] (ABI 10.0 has no errno for \
             this)",
            seq.name,
            ts.columns.get(usize::from(seq.col)).map_or("?", |c| c.name.as_str()),
            ts.name,
            seq.min,
            seq.max
        )))
    };
    let value = state.next.ok_or_else(overflow)?;
    if value < seq.min || value > seq.max {
        return Err(overflow());
    }
    let av = integer_value(&seq.col_type, value).ok_or_else(overflow)?;
    state.next = value.checked_add(seq.increment);
    Ok(av)
}
