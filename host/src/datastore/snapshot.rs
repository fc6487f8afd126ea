//! Copies of the state: [`Snapshot`]s to put back later, and [`DatastoreDump`]s that expose
//! everything observable about the rows and indexes for byte-for-byte comparisons.

use worldtube_lib::algebraic::AlgebraicValue;

use super::row::RowId;
use super::table::TableData;
use super::Datastore;

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
    /// Every row's bytes with its id, sorted by bytes (what set semantics compare; kept as a map
    /// only for tables without a unique index).
    pub by_bytes: Vec<(Vec<u8>, RowId)>,
    /// Per index of the table (in definition order), every key with its row ids, in key order.
    pub indexes: Vec<Vec<(Vec<AlgebraicValue>, Vec<RowId>)>>,
}

impl Datastore {
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
        let tables = self.tables.iter().map(dump_table).collect();
        DatastoreDump { next_row_id: self.next_row_id, tables }
    }
}

fn dump_table(t: &TableData) -> TableDump {
    TableDump {
        rows: t.rows.iter().map(|(id, row)| (*id, row.bytes().to_vec())).collect(),
        by_bytes: t.by_bytes(),
        indexes: t.indexes.iter().map(|i| i.entries()).collect(),
    }
}
