//! [`ChunkedMap`]: an ordered map kept as sorted chunks of up to [`CHUNK`] entries, for the
//! datastore's row maps and packed indexes.
//!
//! Rows get increasing ids and most index keys grow with them, so nearly every insert lands
//! after the last entry. A `BTreeMap` still walks from the root comparing at every level and
//! leaves its nodes about half full after such inserts; here an insert past the end is one
//! comparison and a push into a chunk that fills completely, and a lookup is a binary search over
//! the chunks' largest keys (kept contiguously) then within one chunk. Inserts and removals
//! elsewhere move at most one chunk's entries, and split or merge chunks to keep them between a
//! quarter full and full.

/// The most entries a chunk holds.
const CHUNK: usize = 512;

/// An ordered map from `K` to `V` in sorted chunks.
#[derive(Debug, Clone)]
pub(super) struct ChunkedMap<K, V> {
    /// Each non-empty and sorted; every key of a chunk is below every key of the next.
    chunks: Vec<Vec<(K, V)>>,
    /// The largest key of each chunk, parallel to `chunks`.
    maxes: Vec<K>,
    len: usize,
}

impl<K, V> Default for ChunkedMap<K, V> {
    fn default() -> Self {
        ChunkedMap { chunks: Vec::new(), maxes: Vec::new(), len: 0 }
    }
}

impl<K: Ord + Copy, V> ChunkedMap<K, V> {
    /// The number of entries.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The chunk that holds `key` if any chunk does: the first whose largest key is not below it
    /// (`chunks.len()` if `key` is above every key).
    fn chunk_of(&self, key: &K) -> usize {
        // Most inserts and lookups of a load are past the last key: one comparison.
        match self.maxes.last() {
            Some(last) if last >= key => self.maxes.partition_point(|m| m < key),
            _ => self.maxes.len(),
        }
    }

    /// Inserts `value` under `key`; returns the value it replaces, if any.
    pub(super) fn insert(&mut self, key: K, value: V) -> Option<V> {
        let c = self.chunk_of(&key);
        if c == self.chunks.len() {
            // Past the last key: append, into a fresh chunk once the last one is full.
            match self.chunks.last_mut() {
                Some(last) if last.len() < CHUNK => {
                    last.push((key, value));
                    *self.maxes.last_mut().expect("parallel to chunks") = key;
                }
                _ => {
                    let mut chunk = Vec::with_capacity(CHUNK);
                    chunk.push((key, value));
                    self.chunks.push(chunk);
                    self.maxes.push(key);
                }
            }
            self.len += 1;
            return None;
        }
        let chunk = &mut self.chunks[c];
        match chunk.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => return Some(std::mem::replace(&mut chunk[i].1, value)),
            Err(i) => chunk.insert(i, (key, value)),
        }
        self.len += 1;
        if chunk.len() > CHUNK {
            let upper = chunk.split_off(chunk.len() / 2);
            self.maxes[c] = chunk.last().expect("half of a full chunk").0;
            let upper_max = upper.last().expect("half of a full chunk").0;
            self.chunks.insert(c + 1, upper);
            self.maxes.insert(c + 1, upper_max);
        }
        None
    }

    /// Removes the entry under `key`; returns its value if there was one.
    pub(super) fn remove(&mut self, key: &K) -> Option<V> {
        let c = self.chunk_of(key);
        let chunk = self.chunks.get_mut(c)?;
        let i = chunk.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        let (_, value) = chunk.remove(i);
        self.len -= 1;
        let (len, last) = (chunk.len(), chunk.last().map(|e| e.0));
        match last {
            None => {
                self.chunks.remove(c);
                self.maxes.remove(c);
            }
            Some(last) => {
                self.maxes[c] = last;
                // Keep chunks at least a quarter full: merge a small one with the next.
                if len < CHUNK / 4 && self.chunks.get(c + 1).is_some_and(|n| n.len() + len <= CHUNK) {
                    let next = self.chunks.remove(c + 1);
                    self.maxes.remove(c);
                    self.chunks[c].extend(next);
                }
            }
        }
        Some(value)
    }

    /// The value under `key`.
    pub(super) fn get(&self, key: &K) -> Option<&V> {
        let chunk = self.chunks.get(self.chunk_of(key))?;
        chunk.binary_search_by(|(k, _)| k.cmp(key)).ok().map(|i| &chunk[i].1)
    }

    /// Whether there is an entry under `key`.
    pub(super) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// The entries in key order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.chunks.iter().flatten().map(|(k, v)| (k, v))
    }

    /// The entries whose key is `from` or above, in key order.
    pub(super) fn iter_from(&self, from: &K) -> impl Iterator<Item = (&K, &V)> + '_ {
        let c = self.chunk_of(from);
        let head = self.chunks.get(c).map(|chunk| &chunk[chunk.partition_point(|(k, _)| k < from)..]);
        let rest = self.chunks.get(c + 1..).unwrap_or_default();
        head.into_iter().flatten().chain(rest.iter().flatten()).map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub(super) fn keys(&self) -> impl Iterator<Item = &K> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub(super) fn values(&self) -> impl Iterator<Item = &V> + '_ {
        self.iter().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u16, u8),
        Remove(u16),
    }

    fn op() -> impl Strategy<Value = Op> {
        // Runs of appends as well as keys anywhere, so chunks fill, split, empty and merge.
        prop_oneof![
            3 => (any::<u16>(), any::<u8>()).prop_map(|(k, v)| Op::Insert(k, v)),
            2 => (0u16..3000, any::<u8>()).prop_map(|(k, v)| Op::Insert(k, v)),
            2 => (0u16..3000).prop_map(Op::Remove),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn behaves_as_a_btree_map(ops in prop::collection::vec(op(), 0..4000), probes in prop::collection::vec(any::<u16>(), 8)) {
            let mut ours = ChunkedMap::default();
            let mut model = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(ours.insert(k, v), model.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(ours.remove(&k), model.remove(&k)),
                }
            }
            prop_assert_eq!(ours.len(), model.len());
            prop_assert!(ours.iter().eq(model.iter()));
            for p in probes {
                prop_assert_eq!(ours.get(&p), model.get(&p));
                prop_assert!(ours.iter_from(&p).eq(model.range(p..)));
            }
            for (chunk, max) in ours.chunks.iter().zip(&ours.maxes) {
                prop_assert!(!chunk.is_empty() && chunk.len() <= CHUNK);
                prop_assert_eq!(chunk.last().map(|e| e.0), Some(*max));
            }
        }
    }

    #[test]
    fn ascending_inserts_fill_chunks() {
        let mut map = ChunkedMap::default();
        for k in 0..(3 * CHUNK as u32 + 1) {
            map.insert(k, ());
        }
        assert_eq!(map.chunks.iter().map(Vec::len).collect::<Vec<_>>(), [CHUNK, CHUNK, CHUNK, 1]);
    }
}
