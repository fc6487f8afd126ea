//! The changes of a transaction: what an insert or update did ([`Inserted`]), and the net row
//! changes per table and to schedule tables that [`Tx::commit`] reports ([`TxChanges`]).

use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;
use worldtube_lib::algebraic::{AlgebraicValue, ProductValue};
use worldtube_lib::bsatn;
use worldtube_lib::ScheduleAt;

use super::row::{Row, RowId};
use super::tx::{Tx, Undo};
use crate::schema::{ColId, ScheduleTarget, Schema, TableId};

/// What an insert or update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    /// The row's id (the existing row's, for a set-semantic duplicate).
    pub row_id: RowId,
    /// The values generated for auto-inc columns that were zero, in column order.
    pub generated: Vec<(ColId, AlgebraicValue)>,
}

impl Inserted {
    /// The write-back bytes of the insert and update imports: the generated values' BSATN,
    /// concatenated in column order.
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
    /// What the schedule calls.
    pub target: ScheduleTarget,
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

    /// The net changes of this transaction followed by `later` (as of one transaction doing
    /// both): a row inserted here and deleted later, or deleted here and inserted again, is no
    /// change. Schedule changes are listed one after the other (apply them in order).
    pub fn then(mut self, later: TxChanges) -> TxChanges {
        for change in later.tables {
            let Some(earlier) = self.tables.iter_mut().find(|t| t.table == change.table) else {
                self.tables.push(change);
                continue;
            };
            let same = |a: &Arc<Row>, b: &Arc<Row>| a.bytes() == b.bytes();
            for row in change.deleted {
                // A row this transaction inserted and `later` deleted: no change at all.
                match earlier.inserted.iter().position(|r| same(r, &row)) {
                    Some(i) => {
                        earlier.inserted.remove(i);
                    }
                    None => earlier.deleted.push(row),
                }
            }
            for row in change.inserted {
                match earlier.deleted.iter().position(|d| same(d, &row)) {
                    Some(i) => {
                        earlier.deleted.remove(i);
                    }
                    None => earlier.inserted.push(row),
                }
            }
        }
        self.tables.retain(|t| !(t.inserted.is_empty() && t.deleted.is_empty()));
        self.tables.sort_by_key(|t| t.table);
        self.schedules.deleted.extend(later.schedules.deleted);
        self.schedules.inserted.extend(later.schedules.inserted);
        self
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
    Some(ScheduledRow { table, target: sched.target, schedule_id, at, row: row.clone() })
}

impl Tx {
    /// The net changes so far: per table, the rows inserted (present now, not committed before)
    /// and deleted (committed before, gone now).
    pub fn changes(&self) -> TxChanges {
        let ds = &self.ds;
        let n = ds.tables.len();
        // The rows created in the transaction (ids at or above the first fresh one) that are
        // still there, in id order, which is insertion order.
        let created = RowId(self.start_next_row_id());
        let inserted: Vec<Vec<Arc<Row>>> =
            ds.tables.iter().map(|t| t.rows.iter_from(&created).map(|(_, row)| row.clone()).collect()).collect();
        let mut deleted: Vec<Vec<Arc<Row>>> = vec![Vec::new(); n];
        // A committed row can be deleted more than once (deleted, put back by an insert of the
        // same row, deleted again); it is listed once.
        let mut seen: HashSet<(TableId, RowId)> = HashSet::default();
        for step in &self.undo {
            if let Undo::Deleted(table, id, row) = step {
                if !ds.tables[table.idx()].rows.contains_key(id) && seen.insert((*table, *id)) {
                    deleted[table.idx()].push(row.clone());
                }
            }
        }
        let mut changes = TxChanges::default();
        for (t, (ins, del)) in inserted.into_iter().zip(deleted).enumerate() {
            if ins.is_empty() && del.is_empty() {
                continue;
            }
            let table = TableId(t as u32);
            if ds.schema.tables()[t].schedule.is_some() {
                let schema = &ds.schema;
                changes.schedules.deleted.extend(del.iter().filter_map(|r| scheduled_row(schema, table, r.value())));
                changes.schedules.inserted.extend(ins.iter().filter_map(|r| scheduled_row(schema, table, r.value())));
            }
            changes.tables.push(TableChanges { table, inserted: ins, deleted: del });
        }
        changes
    }
}
