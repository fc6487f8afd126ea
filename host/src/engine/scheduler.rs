//! The schedule queue: which scheduled-table rows are due when, on the engine's virtual clock.

use crate::datastore::{ScheduleChanges, ScheduledRow};
use crate::schema::TableId;
use std::collections::BTreeMap;
use worldtube_lib::{ScheduleAt, Timestamp};

/// One due item: a row of a schedule table (identified by table and `u64` primary key), or a
/// reducer call queued with `volatile_nonatomic_schedule_immediate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// A schedule-table row; it is read again from the table when it runs (it may be gone).
    Row {
        /// The schedule table.
        table: TableId,
        /// The row's primary key.
        schedule_id: u64,
    },
    /// A queued call by name with BSATN arguments.
    Immediate {
        /// The reducer's name.
        reducer: String,
        /// Its arguments.
        args: Vec<u8>,
    },
}

/// Items ordered by due time, then by when they were queued (first in, first out).
#[derive(Debug, Clone, Default)]
pub struct Scheduler {
    queue: BTreeMap<(Timestamp, u64), Due>,
    /// Where each scheduled row sits in the queue, to unschedule it when the row goes.
    by_row: BTreeMap<(TableId, u64), (Timestamp, u64)>,
    next_seq: u64,
}

impl Scheduler {
    /// Applies a committed transaction's changes to schedule tables, at time `now`: removed rows
    /// are unscheduled, added rows scheduled (`Time(t)` at t, `Interval(d)` at now + d).
    pub fn apply(&mut self, changes: &ScheduleChanges, now: Timestamp) {
        for row in &changes.deleted {
            self.unschedule(row.table, row.schedule_id);
        }
        for row in &changes.inserted {
            let at = first_run(row, now);
            self.schedule_row(row.table, row.schedule_id, at);
        }
    }

    /// Schedules (or reschedules) the row `schedule_id` of `table` at `at`.
    pub fn schedule_row(&mut self, table: TableId, schedule_id: u64, at: Timestamp) {
        self.unschedule(table, schedule_id);
        let key = self.push(at, Due::Row { table, schedule_id });
        self.by_row.insert((table, schedule_id), key);
    }

    /// Queues an immediate call at `now`.
    pub fn schedule_immediate(&mut self, reducer: String, args: Vec<u8>, now: Timestamp) {
        self.push(now, Due::Immediate { reducer, args });
    }

    /// Puts an item taken with [`pop_due`](Self::pop_due) back (behind the others due at `at`).
    pub fn requeue(&mut self, at: Timestamp, due: Due) {
        let row = match &due {
            Due::Row { table, schedule_id } => Some((*table, *schedule_id)),
            Due::Immediate { .. } => None,
        };
        let key = self.push(at, due);
        if let Some(row) = row {
            self.by_row.insert(row, key);
        }
    }

    /// Removes the row `schedule_id` of `table` from the queue, if it is there.
    pub fn unschedule(&mut self, table: TableId, schedule_id: u64) {
        if let Some(key) = self.by_row.remove(&(table, schedule_id)) {
            self.queue.remove(&key);
        }
    }

    /// The earliest due time, if anything is queued.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.queue.keys().next().map(|(at, _)| *at)
    }

    /// Takes the earliest item if it is due at or before `now`.
    pub fn pop_due(&mut self, now: Timestamp) -> Option<(Timestamp, Due)> {
        let (&key, _) = self.queue.iter().next().filter(|((at, _), _)| *at <= now)?;
        let due = self.queue.remove(&key)?;
        if let Due::Row { table, schedule_id } = &due {
            self.by_row.remove(&(*table, *schedule_id));
        }
        Some((key.0, due))
    }

    /// How many items are queued.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    fn push(&mut self, at: Timestamp, due: Due) -> (Timestamp, u64) {
        let key = (at, self.next_seq);
        self.next_seq += 1;
        self.queue.insert(key, due);
        key
    }
}

/// When a newly scheduled row first runs.
fn first_run(row: &ScheduledRow, now: Timestamp) -> Timestamp {
    match row.at {
        ScheduleAt::Time(t) => t,
        // An interval past the end of time: due at the last instant the clock can reach.
        ScheduleAt::Interval(d) => {
            now.checked_add(d.abs()).unwrap_or_else(|| Timestamp::from_micros_since_unix_epoch(i64::MAX))
        }
    }
}
