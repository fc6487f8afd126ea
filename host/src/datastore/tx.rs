//! The transaction: [`Tx`] owns the datastore while it runs, mutates it in place and keeps an
//! undo log; [`Tx::commit`] hands the state back, [`Tx::rollback`] replays the log backwards.
//!
//! Every row change goes through [`Tx::add_row`] or [`Tx::remove_row`], the only places that
//! touch the undo log, so rollback restores rows, row ids and index contents exactly.
//!
//! Only changes to committed rows are logged. A row the transaction created has an id no
//! committed row has (ids at or above the count the transaction began with), so rollback drops
//! whatever such rows remain, and the changes list them in id order — their insertion order —
//! without a log entry per insert (a bulk load would otherwise log, and copy, one per row).

use std::ops::Deref;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use worldtube_lib::Timestamp;

use super::row::{Row, RowBytes, RowId};
use super::{Datastore, TxChanges};
use crate::schema::{TableId, TableSchema};

/// One undoable step, on a committed row.
#[derive(Debug)]
pub(super) enum Undo {
    /// Committed row `id`, deleted earlier in the transaction, was put back into `table`.
    Inserted(TableId, RowId),
    /// Committed row `id` was removed from `table`.
    Deleted(TableId, RowId, Arc<Row>),
}

/// A transaction: owns the datastore while it runs and records how to undo its changes.
///
/// Read methods of [`Datastore`] are available through `Deref` and see the transaction's own
/// changes.
#[derive(Debug)]
pub struct Tx {
    pub(super) ds: Datastore,
    pub(super) undo: Vec<Undo>,
    /// Rows with ids below this were committed before the transaction began.
    start_next_row_id: u64,
    pub(super) now: Timestamp,
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

impl Datastore {
    /// Starts a transaction at `now` (the time schedule rows are measured from). The state moves
    /// into the transaction and comes back from [`Tx::commit`] or [`Tx::rollback`].
    pub fn begin(self, now: Timestamp) -> Tx {
        let start_next_row_id = self.next_row_id;
        let deleted_committed = vec![HashMap::default(); self.tables.len()];
        Tx { ds: self, undo: Vec::new(), start_next_row_id, now, deleted_committed }
    }
}

impl Tx {
    /// The time the transaction runs at.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Commits: hands back the datastore and the transaction's net changes.
    ///
    /// Event tables (2.x) keep nothing: the rows a transaction inserted into one are in the
    /// changes, and are then dropped rather than committed, as the 2.8 server's commit merges an
    /// event table's inserts into the transaction's data only (`merge_apply_inserts`). An event
    /// table holds no committed rows, so every row it holds at commit is one of those.
    pub fn commit(mut self) -> (Datastore, TxChanges) {
        let changes = self.changes();
        let schema = self.ds.schema.clone();
        for ts in schema.tables().iter().filter(|t| t.is_event) {
            let t = ts.id.idx();
            let ids: Vec<RowId> = self.ds.tables[t].rows.keys().copied().collect();
            for id in ids {
                self.ds.tables[t].remove(id);
            }
        }
        (self.ds, changes)
    }

    /// Rolls back: undoes every change and hands back the datastore, byte-identical to the one
    /// the transaction began with (sequences excepted: they stay advanced).
    pub fn rollback(mut self) -> Datastore {
        // The rows the transaction created first, then the committed rows' steps backwards: the
        // two touch different row ids, and a committed row never shares its bytes with a created
        // one that is still there (re-inserting a deleted committed row restores its old id).
        let created = RowId(self.start_next_row_id);
        for table in &mut self.ds.tables {
            let ids: Vec<RowId> = table.rows.iter_from(&created).map(|(id, _)| *id).collect();
            for id in ids {
                table.remove(id);
            }
        }
        while let Some(step) = self.undo.pop() {
            match step {
                Undo::Inserted(table, id) => {
                    self.ds.tables[table.idx()].remove(id);
                }
                Undo::Deleted(table, id, row) => {
                    self.ds.tables[table.idx()].add(id, row);
                }
            }
        }
        self.ds.next_row_id = self.start_next_row_id;
        self.ds
    }

    /// The row id the first row created in this transaction got (or will get).
    pub(super) fn start_next_row_id(&self) -> u64 {
        self.start_next_row_id
    }

    /// Whether row `id` existed before the transaction began.
    pub(super) fn was_committed(&self, id: RowId) -> bool {
        id.0 < self.start_next_row_id
    }

    /// Stores `row` (known not to be present): under its old id if it is a committed row this
    /// transaction deleted, else under a fresh id.
    pub(super) fn add_row(&mut self, ts: &TableSchema, row: Arc<Row>) -> RowId {
        let t = ts.id.idx();
        // Most transactions delete no committed row: skip hashing the row then.
        let deleted = &mut self.deleted_committed[t];
        let undeleted = if deleted.is_empty() { None } else { deleted.remove(row.bytes()) };
        let id = match undeleted {
            Some(old) => old,
            None => {
                let id = RowId(self.ds.next_row_id);
                self.ds.next_row_id += 1;
                id
            }
        };
        self.ds.tables[t].add(id, row);
        if self.was_committed(id) {
            self.undo.push(Undo::Inserted(ts.id, id));
        }
        id
    }

    /// Removes row `id` of `ts`; returns whether it was there.
    pub(super) fn remove_row(&mut self, ts: &TableSchema, id: RowId) -> bool {
        let t = ts.id.idx();
        let Some(row) = self.ds.tables[t].remove(id) else { return false };
        if self.was_committed(id) {
            self.deleted_committed[t].insert(RowBytes(row.clone()), id);
            self.undo.push(Undo::Deleted(ts.id, id, row));
        }
        true
    }
}
