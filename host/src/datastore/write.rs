//! The writing operations of a [`Tx`] and their rules: auto-increment before everything else,
//! set semantics, unique constraints, schedule delays, updates through a unique index, and
//! deletes by row id, by value and by index range. Each checks everything before its first
//! change, so a failed operation leaves the rows as they were.

use std::ops::Bound;
use std::sync::Arc;
use std::time::Duration;

use worldtube_lib::algebraic::{AlgebraicValue, ProductValue};
use worldtube_lib::bsatn;

use super::changes::{scheduled_row, Inserted};
use super::error::DatastoreError;
use super::row::{Row, RowId};
use super::sequence;
use super::tx::Tx;
use crate::schema::{ColId, IndexId, Schema, TableId, TableSchema};

/// The longest delay a schedule row may ask for: 64^6 - 1 milliseconds (about 2.18 years), the
/// limit of the server's timer wheel. A longer one is [`DatastoreError::ScheduleDelayTooLong`].
pub const MAX_SCHEDULE_DELAY: Duration = Duration::from_millis((1 << 36) - 1);

impl Tx {
    /// Inserts `row` into `table`: zero auto-inc columns get generated values first; a row
    /// byte-identical to a stored one is a successful no-op; a unique-column value taken by
    /// another row is [`DatastoreError::UniqueViolation`]; in a schedule table a due time too far
    /// ahead is [`DatastoreError::ScheduleDelayTooLong`] (nothing is inserted);
    /// [`DatastoreError::SequenceOverflow`] when a sequence is exhausted.
    ///
    /// `row` must be a value of the table's row type ([`DatastoreError::WrongRowType`]
    /// otherwise; checked by a BSATN round trip).
    pub fn insert(&mut self, table: TableId, row: ProductValue) -> Result<Inserted, DatastoreError> {
        self.check_row_type(table, &row)?;
        self.insert_unchecked(table, row)
    }

    /// [`insert`](Self::insert) for a `row` known to be of the table's row type — the ABI layer
    /// decoded it with that type — which skips the round trip that checks it.
    pub(crate) fn insert_unchecked(
        &mut self,
        table: TableId,
        mut row: ProductValue,
    ) -> Result<Inserted, DatastoreError> {
        let schema = self.ds.schema.clone();
        let ts = schema.table(table).ok_or(DatastoreError::NoSuchTable(table))?;
        let generated = sequence::generate(ts, &mut self.ds.sequences[table.idx()], &mut row)?;
        let row = Arc::new(Row::new(row));
        if let Some(existing) = self.ds.tables[table.idx()].find(row.value(), row.bytes()) {
            return Ok(Inserted { row_id: existing, generated });
        }
        self.check_unique(&schema, ts, row.value(), None)?;
        self.check_schedule(ts, row.value())?;
        let row_id = self.add_row(ts, row);
        Ok(Inserted { row_id, generated })
    }

    /// Replaces the row whose key under the unique `index` equals `row`'s: zero auto-inc
    /// columns are generated first (and the key taken after that, as on the server). Errors:
    /// `NoSuchTable`, `NoSuchIndex` (also for an index of another table), `IndexNotUnique`,
    /// `NoSuchRow`, `UniqueViolation` (another unique index clashes with a row other than the old
    /// one), `ScheduleDelayTooLong`, `SequenceOverflow`; the old row stays on any error. A row
    /// equal to the old one changes nothing.
    ///
    /// `row` must be a value of the table's row type ([`DatastoreError::WrongRowType`]
    /// otherwise).
    pub fn update(&mut self, table: TableId, index: IndexId, row: ProductValue) -> Result<Inserted, DatastoreError> {
        self.check_row_type(table, &row)?;
        self.update_unchecked(table, index, row)
    }

    /// [`update`](Self::update) for a `row` known to be of the table's row type (see
    /// [`insert_unchecked`](Self::insert_unchecked)).
    pub(crate) fn update_unchecked(
        &mut self,
        table: TableId,
        index: IndexId,
        mut row: ProductValue,
    ) -> Result<Inserted, DatastoreError> {
        let schema = self.ds.schema.clone();
        let ts = schema.table(table).ok_or(DatastoreError::NoSuchTable(table))?;
        // The server generates before it looks at the index: a bad index still uses up values.
        let generated = sequence::generate(ts, &mut self.ds.sequences[table.idx()], &mut row)?;
        let index_schema =
            schema.index(index).filter(|i| i.table == table).ok_or(DatastoreError::NoSuchIndex(index))?;
        if !index_schema.is_unique {
            return Err(DatastoreError::IndexNotUnique { index, name: index_schema.name.clone() });
        }
        let (_, data) = self.ds.index_data(index).ok_or(DatastoreError::NoSuchIndex(index))?;
        let old_id = data.first_with_key_of(&row, None).ok_or(DatastoreError::NoSuchRow { table, index })?;
        let row = Arc::new(Row::new(row));
        let old =
            self.ds.tables[table.idx()].rows.get(&old_id).cloned().ok_or(DatastoreError::NoSuchRow { table, index })?;
        if old.bytes() == row.bytes() {
            return Ok(Inserted { row_id: old_id, generated });
        }
        self.check_unique(&schema, ts, row.value(), Some(old_id))?;
        self.check_schedule(ts, row.value())?;
        self.remove_row(ts, old_id);
        let row_id = self.add_row(ts, row);
        Ok(Inserted { row_id, generated })
    }

    /// Deletes row `id` of `table`; returns whether it was there.
    pub fn delete_row(&mut self, table: TableId, id: RowId) -> bool {
        let schema = self.ds.schema.clone();
        let Some(ts) = schema.table(table) else { return false };
        self.remove_row(ts, id)
    }

    /// Deletes the row of `table` equal (byte for byte) to `row`; returns whether there was one.
    pub fn delete_by_value(&mut self, table: TableId, row: &ProductValue) -> bool {
        let bytes = bsatn::to_vec(row);
        match self.ds.tables.get(table.idx()).and_then(|t| t.find(row, &bytes)) {
            Some(id) => self.delete_row(table, id),
            None => false,
        }
    }

    /// Deletes every row of `table` equal (byte for byte) to one of `rows`; returns how many
    /// were deleted (a value listed twice deletes its row once).
    pub fn delete_all_by_eq(&mut self, table: TableId, rows: &[ProductValue]) -> Result<u32, DatastoreError> {
        self.ds.table_schema(table)?;
        Ok(rows.iter().filter(|row| self.delete_by_value(table, row)).count() as u32)
    }

    /// Deletes the rows [`index_range`](super::Datastore::index_range) selects; returns how
    /// many. Errors as `index_range`'s.
    pub fn delete_by_index_range(
        &mut self,
        index: IndexId,
        prefix: &[AlgebraicValue],
        start: Bound<AlgebraicValue>,
        end: Bound<AlgebraicValue>,
    ) -> Result<u32, DatastoreError> {
        let ids = self.ds.index_range(index, prefix, start, end)?;
        let table = self.ds.index_schema(index)?.table;
        Ok(ids.into_iter().filter(|id| self.delete_row(table, *id)).count() as u32)
    }

    /// `NoSuchTable`, or `WrongRowType` unless `row` is a value of the row type of `table`
    /// (checked by a BSATN round trip: the encoding must decode as the row type, to `row`).
    fn check_row_type(&self, table: TableId, row: &ProductValue) -> Result<(), DatastoreError> {
        let ts = self.ds.table_schema(table)?;
        let bytes = bsatn::to_vec(row);
        match AlgebraicValue::decode_exact(&ts.row_algebraic_type, self.ds.schema.typespace(), &bytes) {
            Ok(AlgebraicValue::Product(decoded)) if decoded == *row => Ok(()),
            _ => Err(DatastoreError::WrongRowType { table: ts.name.clone() }),
        }
    }

    /// `UniqueViolation` if a unique index of `ts` already has `row`'s key for a row other than
    /// `ignore`.
    fn check_unique(
        &self,
        schema: &Schema,
        ts: &TableSchema,
        row: &ProductValue,
        ignore: Option<RowId>,
    ) -> Result<(), DatastoreError> {
        let data = &self.ds.tables[ts.id.idx()];
        for (index_id, idata) in ts.indexes.iter().zip(&data.indexes) {
            let Some(index) = schema.index(*index_id) else { continue };
            if !index.is_unique {
                continue;
            }
            if idata.first_with_key_of(row, ignore).is_some() {
                return Err(DatastoreError::UniqueViolation {
                    table: ts.name.clone(),
                    constraint: constraint_name(ts, &index.columns).unwrap_or(&index.name).to_owned(),
                });
            }
        }
        Ok(())
    }

    /// `ScheduleDelayTooLong` if `row` belongs to a schedule table and is due too far ahead of
    /// the transaction's time.
    fn check_schedule(&self, ts: &TableSchema, row: &ProductValue) -> Result<(), DatastoreError> {
        if ts.schedule.is_none() {
            return Ok(());
        }
        if let Some(s) = scheduled_row(&self.ds.schema, ts.id, row) {
            let delay = s.at.to_duration_from(self.now);
            if delay >= MAX_SCHEDULE_DELAY {
                return Err(DatastoreError::ScheduleDelayTooLong { table: ts.name.clone(), delay });
            }
        }
        Ok(())
    }
}

/// The name of the unique constraint of `ts` on exactly the columns `cols` (in any order).
fn constraint_name<'a>(ts: &'a TableSchema, cols: &[ColId]) -> Option<&'a str> {
    let mut wanted = cols.to_vec();
    wanted.sort_unstable();
    ts.unique_constraints
        .iter()
        .find(|c| {
            let mut have = c.columns.clone();
            have.sort_unstable();
            have == wanted
        })
        .map(|c| c.name.as_str())
}
