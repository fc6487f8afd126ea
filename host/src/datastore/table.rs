//! One table's storage: its rows by id, the bytes → row map (set semantics, deletes by value)
//! and its indexes, kept in step by [`TableData::add`] and [`TableData::remove`].

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::index::{IndexData, IndexKey};
use super::row::{Row, RowBytes, RowId};
use crate::schema::{Schema, TableSchema};

/// The rows and indexes of one table.
#[derive(Debug, Clone, Default)]
pub(super) struct TableData {
    /// The rows, in row-id (insertion) order.
    pub(super) rows: BTreeMap<RowId, Arc<Row>>,
    /// Every row by its bytes.
    pub(super) by_bytes: HashMap<RowBytes, RowId>,
    /// Parallel to the table schema's `indexes`.
    pub(super) indexes: Vec<IndexData>,
}

impl TableData {
    /// An empty table with one empty index per index of `table`.
    pub(super) fn new(table: &TableSchema) -> Self {
        TableData { indexes: vec![IndexData::default(); table.indexes.len()], ..Default::default() }
    }

    /// Adds `row` under `id` to the rows, the bytes map and every index.
    pub(super) fn add(&mut self, schema: &Schema, table: &TableSchema, id: RowId, row: Arc<Row>) {
        for (data, index_id) in self.indexes.iter_mut().zip(&table.indexes) {
            if let Some(index) = schema.index(*index_id) {
                data.add(IndexKey::project(row.value(), &index.columns), id);
            }
        }
        self.by_bytes.insert(RowBytes(row.clone()), id);
        self.rows.insert(id, row);
    }

    /// Removes the row `id` from everything; returns it if it was there.
    pub(super) fn remove(&mut self, schema: &Schema, table: &TableSchema, id: RowId) -> Option<Arc<Row>> {
        let row = self.rows.remove(&id)?;
        self.by_bytes.remove(row.bytes());
        for (data, index_id) in self.indexes.iter_mut().zip(&table.indexes) {
            if let Some(index) = schema.index(*index_id) {
                data.remove(&IndexKey::project(row.value(), &index.columns), id);
            }
        }
        Some(row)
    }
}
