//! [`DatastoreError`]: why a datastore operation failed. The datastore knows nothing of the ABI;
//! the ABI layer (`abi_host`) turns these into errnos and traps in one place.

use std::fmt;
use std::time::Duration;

use crate::schema::{IndexId, TableId};

/// Why a datastore operation failed. A failed operation changes no rows (sequences excepted:
/// values generated before the failure stay used, as on the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatastoreError {
    /// No table has this id.
    NoSuchTable(TableId),
    /// No index has this id, or (for an update) the index belongs to another table.
    NoSuchIndex(IndexId),
    /// An update went through an index that no unique constraint covers.
    IndexNotUnique {
        /// The index.
        index: IndexId,
        /// Its name.
        name: String,
    },
    /// An update found no row whose key under the index equals the new row's.
    NoSuchRow {
        /// The table.
        table: TableId,
        /// The (unique) index the row was looked up through.
        index: IndexId,
    },
    /// The row's values in a unique constraint's columns are already another row's.
    UniqueViolation {
        /// The table's name.
        table: String,
        /// The constraint's name (the unique index's name where no constraint matches it
        /// exactly, which a valid schema does not allow).
        constraint: String,
    },
    /// A row of a schedule table is due further ahead than
    /// [`MAX_SCHEDULE_DELAY`](super::MAX_SCHEDULE_DELAY) allows.
    ScheduleDelayTooLong {
        /// The table's name.
        table: String,
        /// How far ahead of the transaction's time the row is due.
        delay: Duration,
    },
    /// A sequence would hand out a value outside its range (or its column type's).
    SequenceOverflow {
        /// The table's name.
        table: String,
        /// The column's name.
        column: String,
        /// The sequence's name.
        sequence: String,
        /// The smallest value the sequence may hand out.
        min: i128,
        /// The largest value the sequence may hand out.
        max: i128,
    },
    /// A value given as a row of the table is not a value of its row type.
    WrongRowType {
        /// The table's name.
        table: String,
    },
    /// A range's prefix fixes every key column of the index, leaving no column to bound.
    PrefixTooLong {
        /// The index.
        index: IndexId,
        /// How many prefix values were given.
        prefix_len: usize,
        /// How many key columns the index has.
        columns: usize,
    },
}

impl fmt::Display for DatastoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatastoreError::NoSuchTable(table) => write!(f, "no table with id {}", table.0),
            DatastoreError::NoSuchIndex(index) => write!(f, "no index with id {} (or it is another table's)", index.0),
            DatastoreError::IndexNotUnique { name, .. } => write!(f, "index `{name}` is not unique"),
            DatastoreError::NoSuchRow { table, index } => {
                write!(f, "no row of table {} has the new row's key under index {}", table.0, index.0)
            }
            DatastoreError::UniqueViolation { table, constraint } => {
                write!(f, "unique constraint `{constraint}` of table `{table}` violated: the value is taken")
            }
            DatastoreError::ScheduleDelayTooLong { table, delay } => {
                write!(f, "a row of schedule table `{table}` is due in {delay:?}, further ahead than the limit")
            }
            DatastoreError::SequenceOverflow { table, column, sequence, min, max } => write!(
                f,
                "sequence `{sequence}` on column `{column}` of table `{table}` overflowed its range [{min}, {max}]"
            ),
            DatastoreError::WrongRowType { table } => write!(f, "the value is not a row of table `{table}`"),
            DatastoreError::PrefixTooLong { index, prefix_len, columns } => write!(
                f,
                "a prefix of {prefix_len} values leaves no column of index {} ({columns} columns) to bound",
                index.0
            ),
        }
    }
}

impl std::error::Error for DatastoreError {}
