//! Value-keyed indexes, for key columns that [`PackedIndex`](super::packed_index::PackedIndex)
//! cannot pack: keys (the index columns' values under [`AlgebraicValue`]'s order, the
//! server's), the ordered map from keys to row ids, and range lookups on values.

use std::cmp::Ordering;
use std::collections::{btree_map, BTreeMap, BTreeSet};
use std::ops::Bound;

use worldtube_lib::algebraic::{AlgebraicValue, ProductValue};

use super::row::RowId;
use crate::schema::ColId;

/// How an index key continues past its values: stored keys are complete (`Exact`); range bounds
/// that fix fewer columns than the index has stand for their values followed by the smallest
/// (`Min`) or largest (`Max`) possible values, as the server's `AlgebraicValue::Min`/`Max`
/// fillers do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Fill {
    Min,
    Exact,
    Max,
}

/// The rows under one index key, in row-id order. Most keys (every key of a unique index) have
/// one row, which is kept inline rather than in a set of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RowIds {
    One(RowId),
    Many(BTreeSet<RowId>),
}

impl RowIds {
    fn insert(&mut self, id: RowId) {
        match self {
            RowIds::One(existing) if *existing == id => {}
            RowIds::One(existing) => *self = RowIds::Many(BTreeSet::from([*existing, id])),
            RowIds::Many(set) => {
                set.insert(id);
            }
        }
    }

    fn remove(&mut self, id: &RowId) {
        match self {
            RowIds::One(_) => {}
            RowIds::Many(set) => {
                set.remove(id);
                if set.len() == 1 {
                    *self = RowIds::One(*set.first().expect("one element"));
                }
            }
        }
    }

    /// Whether removing `id` would leave no rows (the caller then drops the key).
    fn is_only(&self, id: &RowId) -> bool {
        matches!(self, RowIds::One(existing) if existing == id)
    }

    /// The row ids, in row-id order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &RowId> {
        let (one, many) = match self {
            RowIds::One(id) => (Some(id), None),
            RowIds::Many(set) => (None, Some(set.iter())),
        };
        one.into_iter().chain(many.into_iter().flatten())
    }
}

/// A key of an index: the values of its columns, in key order.
#[derive(Debug, Clone)]
pub(super) struct IndexKey {
    vals: KeyVals,
    fill: Fill,
}

impl IndexKey {
    /// A complete key: one value per key column.
    pub(super) fn exact(vals: impl Into<KeyVals>) -> Self {
        IndexKey { vals: vals.into(), fill: Fill::Exact }
    }

    /// The key of `row` under an index on `cols` (a missing column reads as `()`, which only a
    /// row of the wrong type could lack; such rows never reach a table).
    pub(super) fn project(row: &ProductValue, cols: &[ColId]) -> Self {
        let value = |c: ColId| row.elements.get(usize::from(c)).cloned().unwrap_or_else(AlgebraicValue::unit);
        match cols {
            [only] => IndexKey { vals: KeyVals::One([value(*only)]), fill: Fill::Exact },
            _ => IndexKey::exact(cols.iter().map(|&c| value(c)).collect::<Vec<_>>()),
        }
    }

    /// The key's values.
    pub(super) fn values(&self) -> &[AlgebraicValue] {
        &self.vals
    }
}

/// The values of an index key. Most indexes have one column, whose value is kept inline: every
/// insert builds a key per index, and this saves an allocation for each.
#[derive(Debug, Clone)]
pub(super) enum KeyVals {
    One([AlgebraicValue; 1]),
    Many(Box<[AlgebraicValue]>),
}

impl std::ops::Deref for KeyVals {
    type Target = [AlgebraicValue];
    fn deref(&self) -> &[AlgebraicValue] {
        match self {
            KeyVals::One(one) => one,
            KeyVals::Many(many) => many,
        }
    }
}

impl From<Vec<AlgebraicValue>> for KeyVals {
    fn from(mut vals: Vec<AlgebraicValue>) -> Self {
        match vals.len() {
            1 => KeyVals::One([vals.pop().expect("one value")]),
            _ => KeyVals::Many(vals.into()),
        }
    }
}

impl Ord for IndexKey {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.vals.iter().zip(other.vals.iter()) {
            match a.cmp(b) {
                Ordering::Equal => {}
                ord => return ord,
            }
        }
        match self.vals.len().cmp(&other.vals.len()) {
            Ordering::Equal => self.fill.cmp(&other.fill),
            Ordering::Less => match self.fill {
                Fill::Max => Ordering::Greater,
                Fill::Min | Fill::Exact => Ordering::Less,
            },
            Ordering::Greater => match other.fill {
                Fill::Max => Ordering::Less,
                Fill::Min | Fill::Exact => Ordering::Greater,
            },
        }
    }
}
impl PartialOrd for IndexKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for IndexKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for IndexKey {}

/// How a range on a key column that other key columns follow treats an excluded bound: the
/// servers of the two generations differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ExcludedBounds {
    /// SpacetimeDB 1.3 (`range_scan_combine_prefix_and_bounds`): the suffix is filled with the
    /// smallest values for the start and the largest for the end, whatever the bound, so
    /// `Excluded(v)` behaves like `Included(v)`.
    AsIncluded,
    /// SpacetimeDB 2.8 (`combine_prefix_and_bounds`): an excluded start is filled with the largest
    /// values and an excluded end with the smallest, so `Excluded(v)` leaves out every key whose
    /// bounded column is `v`.
    Exclude,
}

/// Combines the fixed `prefix` values and the bounds on the next key column into bounds on whole
/// keys, as the server does: the `suffix_len` columns after the bounded one are filled with the
/// smallest value for an included start and the largest for an included end, and an excluded
/// bound as `excluded` says.
pub(super) fn key_bounds(
    prefix: &[AlgebraicValue],
    start: Bound<AlgebraicValue>,
    end: Bound<AlgebraicValue>,
    suffix_len: usize,
    excluded: ExcludedBounds,
) -> (Bound<IndexKey>, Bound<IndexKey>) {
    let (excluded_start, excluded_end) = match excluded {
        ExcludedBounds::AsIncluded => (Fill::Min, Fill::Max),
        ExcludedBounds::Exclude => (Fill::Max, Fill::Min),
    };
    let concat = |val: AlgebraicValue, fill: Fill| {
        let vals = if prefix.is_empty() {
            KeyVals::One([val])
        } else {
            let mut vals = Vec::with_capacity(prefix.len() + 1);
            vals.extend_from_slice(prefix);
            vals.push(val);
            KeyVals::Many(vals.into())
        };
        IndexKey { vals, fill: if suffix_len == 0 { Fill::Exact } else { fill } }
    };
    let prefix_only = |fill: Fill| Bound::Included(IndexKey { vals: prefix.to_vec().into(), fill });
    let start = match start {
        Bound::Included(v) => Bound::Included(concat(v, Fill::Min)),
        Bound::Excluded(v) => Bound::Excluded(concat(v, excluded_start)),
        Bound::Unbounded if prefix.is_empty() => Bound::Unbounded,
        Bound::Unbounded => prefix_only(Fill::Min),
    };
    let end = match end {
        Bound::Included(v) => Bound::Included(concat(v, Fill::Max)),
        Bound::Excluded(v) => Bound::Excluded(concat(v, excluded_end)),
        Bound::Unbounded if prefix.is_empty() => Bound::Unbounded,
        Bound::Unbounded => prefix_only(Fill::Max),
    };
    (start, end)
}

/// One index's contents: key → the rows under it.
#[derive(Debug, Clone, Default)]
pub(super) struct ValueIndex {
    map: BTreeMap<IndexKey, RowIds>,
}

impl ValueIndex {
    /// Files row `id` under `key`.
    pub(super) fn add(&mut self, key: IndexKey, id: RowId) {
        match self.map.entry(key) {
            btree_map::Entry::Vacant(v) => {
                v.insert(RowIds::One(id));
            }
            btree_map::Entry::Occupied(mut o) => o.get_mut().insert(id),
        }
    }

    /// Takes row `id` out from under `key`, dropping the key when it was the last row.
    pub(super) fn remove(&mut self, key: &IndexKey, id: RowId) {
        if let Some(ids) = self.map.get_mut(key) {
            if ids.is_only(&id) {
                self.map.remove(key);
            } else {
                ids.remove(&id);
            }
        }
    }

    /// The rows under `key`, if any.
    pub(super) fn get(&self, key: &IndexKey) -> Option<&RowIds> {
        self.map.get(key)
    }

    /// Every key with its rows, in key order.
    pub(super) fn entries(&self) -> impl Iterator<Item = (&IndexKey, &RowIds)> {
        self.map.iter()
    }

    /// The row ids within the bounds, in key order (ties in row-id order).
    pub(super) fn range(&self, start: Bound<IndexKey>, end: Bound<IndexKey>) -> Vec<RowId> {
        // `BTreeMap::range` panics on an inverted range; such a range is simply empty.
        if let (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e)) = (&start, &end) {
            let excluded = matches!(start, Bound::Excluded(_)) || matches!(end, Bound::Excluded(_));
            match s.cmp(e) {
                Ordering::Greater => return Vec::new(),
                Ordering::Equal if excluded => return Vec::new(),
                _ => {}
            }
        }
        self.map.range((start, end)).flat_map(|(_, ids)| ids.iter().copied()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys (a, b) for a in 1..=3, b in 1..=2, row ids numbered in key order.
    fn two_column_index() -> ValueIndex {
        let mut data = ValueIndex::default();
        let mut id = 0;
        for a in 1..=3u32 {
            for b in 1..=2u32 {
                data.add(IndexKey::exact(vec![AlgebraicValue::U32(a), AlgebraicValue::U32(b)]), RowId(id));
                id += 1;
            }
        }
        data
    }

    fn scan(start: Bound<u32>, end: Bound<u32>, excluded: ExcludedBounds) -> Vec<u64> {
        let (start, end) = key_bounds(&[], start.map(AlgebraicValue::U32), end.map(AlgebraicValue::U32), 1, excluded);
        two_column_index().range(start, end).into_iter().map(|id| id.0).collect()
    }

    #[test]
    fn excluded_bounds_on_a_leading_column_follow_each_generations_server() {
        use Bound::{Excluded, Included};
        // Included bounds take every key under the bounded values in both generations.
        for semantics in [ExcludedBounds::AsIncluded, ExcludedBounds::Exclude] {
            assert_eq!(scan(Included(1), Included(2), semantics), [0, 1, 2, 3]);
        }
        // 1.3: an excluded bound behaves like an included one when columns follow it.
        assert_eq!(scan(Excluded(1), Excluded(3), ExcludedBounds::AsIncluded), [0, 1, 2, 3, 4, 5]);
        // 2.8: it leaves out every key with that value.
        assert_eq!(scan(Excluded(1), Excluded(3), ExcludedBounds::Exclude), [2, 3]);
        assert_eq!(scan(Excluded(1), Excluded(2), ExcludedBounds::Exclude), Vec::<u64>::new());
        assert_eq!(scan(Included(2), Excluded(3), ExcludedBounds::Exclude), [2, 3]);
    }
}
