//! One table's storage: its rows by id, the way it finds a stored row equal to a given one (set
//! semantics, deletes by value) and its indexes, kept in step by [`TableData::add`] and
//! [`TableData::remove`].

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use worldtube_lib::algebraic::ProductValue;

use super::chunked::ChunkedMap;
use super::index::IndexData;
use super::row::{Row, RowBytes, RowId};
use crate::schema::{Schema, TableSchema};

/// The rows and indexes of one table.
#[derive(Debug, Clone)]
pub(super) struct TableData {
    /// The rows, in row-id (insertion) order.
    pub(super) rows: ChunkedMap<RowId, Arc<Row>>,
    /// How a row equal to a given one is found.
    pub(super) set: RowSet,
    /// Parallel to the table schema's `indexes`.
    pub(super) indexes: Vec<IndexData>,
}

/// How a table finds the stored row byte-identical to a given one.
#[derive(Debug, Clone)]
pub(super) enum RowSet {
    /// Every row by its bytes (a table without a unique index).
    ByBytes(HashMap<RowBytes, RowId>),
    /// Through the unique index at this position of `indexes`: equal rows have equal keys, and
    /// the index holds at most one row per key, so the candidate is that one row. This spares
    /// hashing every row and a map entry per row.
    ByUniqueIndex(usize),
}

impl TableData {
    /// An empty table with one empty index per index of `table`.
    pub(super) fn new(schema: &Schema, table: &TableSchema) -> Self {
        // An index the schema does not know (never the case for a validated schema) is kept as
        // an empty value index on no columns, so positions stay parallel to `table.indexes`.
        let indexes: Vec<IndexData> = table
            .indexes
            .iter()
            .map(|i| match schema.index(*i) {
                Some(index) => IndexData::new(table, index),
                None => IndexData::Values(Default::default(), Box::new([])),
            })
            .collect();
        let unique: Vec<usize> =
            (0..table.indexes.len()).filter(|&p| schema.index(table.indexes[p]).is_some_and(|i| i.is_unique)).collect();
        // A packed index answers fastest.
        let set = match unique.iter().find(|&&p| matches!(indexes[p], IndexData::Packed(_))).or(unique.first()) {
            Some(&p) => RowSet::ByUniqueIndex(p),
            None => RowSet::ByBytes(HashMap::default()),
        };
        TableData { rows: ChunkedMap::default(), set, indexes }
    }

    /// The id of the stored row whose value is `value` and whose bytes are `bytes` (its BSATN).
    pub(super) fn find(&self, value: &ProductValue, bytes: &[u8]) -> Option<RowId> {
        match &self.set {
            RowSet::ByBytes(by_bytes) => by_bytes.get(bytes).copied(),
            RowSet::ByUniqueIndex(p) => {
                let id = self.indexes[*p].first_with_key_of(value, None)?;
                (self.rows.get(&id)?.bytes() == bytes).then_some(id)
            }
        }
    }

    /// Adds `row` under `id` to the rows, the bytes map and every index.
    pub(super) fn add(&mut self, id: RowId, row: Arc<Row>) {
        for data in &mut self.indexes {
            data.add(row.value(), id);
        }
        if let RowSet::ByBytes(by_bytes) = &mut self.set {
            by_bytes.insert(RowBytes(row.clone()), id);
        }
        self.rows.insert(id, row);
    }

    /// Removes the row `id` from everything; returns it if it was there.
    pub(super) fn remove(&mut self, id: RowId) -> Option<Arc<Row>> {
        let row = self.rows.remove(&id)?;
        if let RowSet::ByBytes(by_bytes) = &mut self.set {
            by_bytes.remove(row.bytes());
        }
        for data in &mut self.indexes {
            data.remove(row.value(), id);
        }
        Some(row)
    }

    /// Every row's bytes with its id, sorted by bytes (what set semantics compare).
    pub(super) fn by_bytes(&self) -> Vec<(Vec<u8>, RowId)> {
        let mut out: Vec<(Vec<u8>, RowId)> = match &self.set {
            RowSet::ByBytes(by_bytes) => by_bytes.iter().map(|(k, v)| (k.0.bytes().to_vec(), *v)).collect(),
            RowSet::ByUniqueIndex(_) => self.rows.iter().map(|(id, row)| (row.bytes().to_vec(), *id)).collect(),
        };
        out.sort();
        out
    }
}
