//! One index's contents, whichever way its keys are kept: packed into integers when every key
//! column is an integer or bool ([`PackedIndex`]), else as values ([`ValueIndex`]). Both order
//! keys as [`AlgebraicValue`]'s order (the server's) does, so callers see no difference.

use std::ops::Bound;

use worldtube_lib::algebraic::{AlgebraicValue, ProductValue};

use super::packed_index::PackedIndex;
use super::row::RowId;
use super::value_index::{key_bounds, IndexKey, ValueIndex};
use crate::schema::{ColId, IndexSchema, TableSchema};

pub(super) use super::value_index::ExcludedBounds;

/// The contents of one index.
#[derive(Debug, Clone)]
pub(super) enum IndexData {
    /// Keys packed into integers.
    Packed(PackedIndex),
    /// Keys as values, with the key columns (in key order).
    Values(ValueIndex, Box<[ColId]>),
}

impl IndexData {
    /// An empty index of `table` as `index` describes it.
    pub(super) fn new(table: &TableSchema, index: &IndexSchema) -> Self {
        let types: Option<Vec<_>> =
            index.columns.iter().map(|c| table.columns.get(usize::from(*c)).map(|c| &c.resolved_ty)).collect();
        match types.and_then(|types| PackedIndex::new(&index.columns, &types)) {
            Some(packed) => IndexData::Packed(packed),
            None => IndexData::Values(ValueIndex::default(), index.columns.clone().into()),
        }
    }

    /// Files row `id` under `row`'s key.
    pub(super) fn add(&mut self, row: &ProductValue, id: RowId) {
        match self {
            IndexData::Packed(p) => p.add(row, id),
            IndexData::Values(v, cols) => v.add(IndexKey::project(row, cols), id),
        }
    }

    /// Takes row `id` out from under `row`'s key.
    pub(super) fn remove(&mut self, row: &ProductValue, id: RowId) {
        match self {
            IndexData::Packed(p) => p.remove(row, id),
            IndexData::Values(v, cols) => v.remove(&IndexKey::project(row, cols), id),
        }
    }

    /// The first row (in row-id order) whose key equals `row`'s, other than `except`.
    pub(super) fn first_with_key_of(&self, row: &ProductValue, except: Option<RowId>) -> Option<RowId> {
        match self {
            IndexData::Packed(p) => p.first_with_key_of(row, except),
            IndexData::Values(v, cols) => {
                v.get(&IndexKey::project(row, cols))?.iter().copied().find(|id| Some(*id) != except)
            }
        }
    }

    /// The rows whose key is `key` (one value per key column), in row-id order.
    pub(super) fn seek(&self, key: &[AlgebraicValue]) -> Vec<RowId> {
        match self {
            IndexData::Packed(p) => p.seek(key),
            IndexData::Values(v, _) => {
                v.get(&IndexKey::exact(key.to_vec())).map(|ids| ids.iter().copied().collect()).unwrap_or_default()
            }
        }
    }

    /// The rows whose first `prefix.len()` key columns equal `prefix` and whose next one lies
    /// within `start`..`end`, in key order, ties in row-id order (see
    /// [`Datastore::index_range`](super::Datastore::index_range); the caller has checked that
    /// `prefix` leaves a column to bound).
    pub(super) fn range(
        &self,
        prefix: &[AlgebraicValue],
        start: Bound<AlgebraicValue>,
        end: Bound<AlgebraicValue>,
        excluded: ExcludedBounds,
    ) -> Vec<RowId> {
        match self {
            IndexData::Packed(p) => p.range(prefix, start.as_ref(), end.as_ref(), excluded),
            IndexData::Values(v, cols) => {
                let suffix_len = cols.len().saturating_sub(prefix.len() + 1);
                let (start, end) = key_bounds(prefix, start, end, suffix_len, excluded);
                v.range(start, end)
            }
        }
    }

    /// Every key (as values) with its rows, in key order.
    pub(super) fn entries(&self) -> Vec<(Vec<AlgebraicValue>, Vec<RowId>)> {
        match self {
            IndexData::Packed(p) => p.entries(),
            IndexData::Values(v, _) => {
                v.entries().map(|(k, ids)| (k.values().to_vec(), ids.iter().copied().collect())).collect()
            }
        }
    }
}
