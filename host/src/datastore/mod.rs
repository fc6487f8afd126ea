//! The committed state and transactions, with SpacetimeDB 1.3's datastore semantics, on values.
//!
//! * [`Datastore`] owns the committed state: per table, its rows (as [`Row`]s: the
//!   [`ProductValue`] and its BSATN bytes) under stable [`RowId`]s in insertion order, a way to
//!   find a stored row equal to a given one (set semantics, deletes by value: a unique index, or
//!   a bytes → row map) and one ordered map per index from the key (the index columns' values,
//!   under [`AlgebraicValue`]'s order, the server's; packed into an integer for integer and bool
//!   columns) to row ids.
//! * [`Datastore::begin`] moves the state into a [`Tx`], which mutates it in place and keeps an
//!   undo log. [`Tx::commit`] hands the state back with the transaction's net
//!   [`TxChanges`]; [`Tx::rollback`] replays the undo log and hands back a state that is
//!   byte-identical to the one `begin` took (rows, row ids, index contents, the row-id
//!   counter) — except sequences, which advance permanently, as on the server.
//! * A `Tx` dereferences to the [`Datastore`] it holds, so every read method sees the state as
//!   the transaction sees it.
//!
//! Operations take values — rows as [`ProductValue`]s, index keys and range bounds as
//! [`AlgebraicValue`]s — and fail with a [`DatastoreError`]. Decoding the ABI's bytes and
//! mapping errors to errnos is the ABI layer's job ([`crate::abi_host`]).
//!
//! [`ProductValue`]: worldtube_lib::algebraic::ProductValue
//!
//! Files, one job each: `row` (rows, row ids, the bytes key), `chunked` (the ordered map rows
//! and packed indexes are kept in), `index` (one index's contents, either kind), `packed_index`
//! (indexes on integer and bool columns, keys packed into integers), `value_index` (other
//! indexes: value keys, ordered index data, range bounds), `table` (one table's rows and indexes
//! kept in step), `sequence` (auto-increment), `tx` (the transaction and its undo log), `write`
//! (the writing operations and their rules), `changes` (what a transaction changed), `snapshot`
//! (snapshots and dumps), `error`.

mod changes;
mod chunked;
mod error;
mod index;
#[cfg(test)]
mod index_tests;
mod packed_index;
mod row;
mod sequence;
mod snapshot;
mod table;
mod tx;
mod value_index;
mod write;

use std::ops::Bound;
use std::sync::Arc;

use worldtube_lib::algebraic::AlgebraicValue;

pub use changes::{scheduled_row, Inserted, ScheduleChanges, ScheduledRow, TableChanges, TxChanges};
pub use error::DatastoreError;
pub use row::{Row, RowId};
pub use snapshot::{DatastoreDump, Snapshot, TableDump};
pub use tx::Tx;
pub use write::MAX_SCHEDULE_DELAY;

use index::{ExcludedBounds, IndexData};
use sequence::SequenceState;
use table::TableData;

use crate::schema::{ColId, IndexId, IndexSchema, Schema, TableId, TableSchema};

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

impl Datastore {
    /// An empty datastore for `schema`.
    pub fn new(schema: Arc<Schema>) -> Self {
        let tables = schema.tables().iter().map(|t| TableData::new(&schema, t)).collect();
        let sequences = schema.tables().iter().map(|t| t.sequences.iter().map(SequenceState::new).collect()).collect();
        Datastore { schema, tables, sequences, next_row_id: 0 }
    }

    /// The schema.
    pub fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// The schema of `table`.
    pub fn table_schema(&self, table: TableId) -> Result<&TableSchema, DatastoreError> {
        self.schema.table(table).ok_or(DatastoreError::NoSuchTable(table))
    }

    /// The schema of `index`.
    pub fn index_schema(&self, index: IndexId) -> Result<&IndexSchema, DatastoreError> {
        self.schema.index(index).ok_or(DatastoreError::NoSuchIndex(index))
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

    /// Every row of `table` (shared), in scan (insertion) order.
    pub fn table_scan(&self, table: TableId) -> Result<Vec<Arc<Row>>, DatastoreError> {
        let t = self.tables.get(table.idx()).ok_or(DatastoreError::NoSuchTable(table))?;
        Ok(t.rows.values().cloned().collect())
    }

    /// The row `id` of `table`.
    pub fn row(&self, table: TableId, id: RowId) -> Option<&Arc<Row>> {
        self.tables.get(table.idx())?.rows.get(&id)
    }

    /// The id of the row of `table` whose BSATN is exactly `bytes`.
    pub fn find_by_bytes(&self, table: TableId, bytes: &[u8]) -> Option<RowId> {
        let ts = self.schema.table(table)?;
        // Bytes that are no row of the table's type are no stored row.
        match AlgebraicValue::decode_exact(&ts.row_algebraic_type, self.schema.typespace(), bytes) {
            Ok(AlgebraicValue::Product(value)) => self.tables.get(table.idx())?.find(&value, bytes),
            _ => None,
        }
    }

    /// The ids of the rows whose key under `index` is `key` (one value per key column), in
    /// row-id order; `None` for an unknown index.
    pub fn index_seek(&self, index: IndexId, key: &[AlgebraicValue]) -> Option<Vec<RowId>> {
        let (_, data) = self.index_data(index)?;
        Some(data.seek(key))
    }

    /// The ids of the rows of `index` whose first `prefix.len()` key columns equal `prefix` and
    /// whose next key column lies within `start`..`end`, in index order (ties in row-id order).
    ///
    /// When key columns follow the bounded one, an included bound stands for its value followed
    /// by the smallest (start) or largest (end) values, as on the server; an excluded one, for a
    /// 1.x module, the same (so `Excluded(v)` behaves like `Included(v)`, as on 1.3), and for a
    /// 2.x module the opposite (so it leaves out every key with `v` there, as on 2.8). An
    /// inverted range is empty.
    ///
    /// Errors: `NoSuchIndex`; `PrefixTooLong` if `prefix` leaves no key column to bound.
    pub fn index_range(
        &self,
        index: IndexId,
        prefix: &[AlgebraicValue],
        start: Bound<AlgebraicValue>,
        end: Bound<AlgebraicValue>,
    ) -> Result<Vec<RowId>, DatastoreError> {
        let (schema, data) = self.index_data(index).ok_or(DatastoreError::NoSuchIndex(index))?;
        let columns = schema.columns.len();
        if prefix.len() >= columns {
            return Err(DatastoreError::PrefixTooLong { index, prefix_len: prefix.len(), columns });
        }
        let excluded = match self.schema.generation() {
            crate::schema::Generation::V9 => ExcludedBounds::AsIncluded,
            crate::schema::Generation::V10 => ExcludedBounds::Exclude,
        };
        Ok(data.range(prefix, start, end, excluded))
    }

    /// The rows (shared) that [`index_range`](Self::index_range) selects, in index order.
    pub fn index_scan(
        &self,
        index: IndexId,
        prefix: &[AlgebraicValue],
        start: Bound<AlgebraicValue>,
        end: Bound<AlgebraicValue>,
    ) -> Result<Vec<Arc<Row>>, DatastoreError> {
        let ids = self.index_range(index, prefix, start, end)?;
        let table = self.index_schema(index)?.table;
        let t = &self.tables[table.idx()];
        Ok(ids.iter().filter_map(|id| t.rows.get(id).cloned()).collect())
    }

    /// The next value the sequence on column `col` of `table` would hand out (`None` if there is
    /// no such sequence or it is exhausted).
    pub fn sequence_next(&self, table: TableId, col: ColId) -> Option<i128> {
        let t = self.schema.table(table)?;
        let pos = t.sequences.iter().position(|s| s.col == col)?;
        self.sequences.get(table.idx())?.get(pos)?.next
    }

    /// The schema and contents of `index`.
    fn index_data(&self, index: IndexId) -> Option<(&IndexSchema, &IndexData)> {
        let schema = self.schema.index(index)?;
        let table = self.schema.table(schema.table)?;
        let pos = table.indexes.iter().position(|i| *i == index)?;
        Some((schema, self.tables.get(schema.table.idx())?.indexes.get(pos)?))
    }
}
