//! Indexes whose key columns are all integers or bools, with keys packed into one `u128`.
//!
//! Most indexes key on such columns, and keying their B-tree on [`AlgebraicValue`]s costs a
//! value clone (and for several columns an allocation) per key and a variant dispatch per
//! comparison. Here each column's value is mapped to an unsigned integer of the column's width
//! with the same order (signed integers with the sign bit flipped, bools as one bit) and the
//! columns are concatenated, first column in the highest bits, so that comparing the `u128`s
//! compares the keys exactly as `AlgebraicValue`'s order compares the value lists. Entries are
//! `(key, row id)` pairs, so ties come out in row-id order as in the value-keyed index.
//!
//! Range bounds are value lists that may stop short of the last key column (the server then
//! fills the rest with its smallest or largest values) and, coming from a module, may hold a
//! value of another type than the column's; `AlgebraicValue`'s order puts such a value below or
//! above every value of the column type (by variant order), which [`Side`] keeps.

use std::ops::Bound;

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue};

use super::chunked::ChunkedMap;
use super::row::RowId;
use super::value_index::ExcludedBounds;
use crate::schema::ColId;

/// A packable column type, in `AlgebraicValue`'s variant order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prim {
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    I128,
    U128,
}

impl Prim {
    fn of(ty: &AlgebraicType) -> Option<Prim> {
        Some(match ty {
            AlgebraicType::Bool => Prim::Bool,
            AlgebraicType::I8 => Prim::I8,
            AlgebraicType::U8 => Prim::U8,
            AlgebraicType::I16 => Prim::I16,
            AlgebraicType::U16 => Prim::U16,
            AlgebraicType::I32 => Prim::I32,
            AlgebraicType::U32 => Prim::U32,
            AlgebraicType::I64 => Prim::I64,
            AlgebraicType::U64 => Prim::U64,
            AlgebraicType::I128 => Prim::I128,
            AlgebraicType::U128 => Prim::U128,
            _ => return None,
        })
    }

    /// Bits the packed value takes.
    fn bits(self) -> u32 {
        match self {
            Prim::Bool => 1,
            Prim::I8 | Prim::U8 => 8,
            Prim::I16 | Prim::U16 => 16,
            Prim::I32 | Prim::U32 => 32,
            Prim::I64 | Prim::U64 => 64,
            Prim::I128 | Prim::U128 => 128,
        }
    }

    /// `v` as an unsigned integer of [`bits`](Self::bits) bits with the same order, or which
    /// side of every value of this type `v` sorts on when it is of another type.
    fn pack(self, v: &AlgebraicValue) -> Result<u128, Side> {
        use AlgebraicValue as V;
        Ok(match (self, v) {
            (Prim::Bool, V::Bool(b)) => u128::from(*b),
            (Prim::I8, V::I8(x)) => u128::from((*x as u8) ^ 0x80),
            (Prim::U8, V::U8(x)) => u128::from(*x),
            (Prim::I16, V::I16(x)) => u128::from((*x as u16) ^ 0x8000),
            (Prim::U16, V::U16(x)) => u128::from(*x),
            (Prim::I32, V::I32(x)) => u128::from((*x as u32) ^ 0x8000_0000),
            (Prim::U32, V::U32(x)) => u128::from(*x),
            (Prim::I64, V::I64(x)) => u128::from((*x as u64) ^ (1 << 63)),
            (Prim::U64, V::U64(x)) => u128::from(*x),
            (Prim::I128, V::I128(x)) => (*x as u128) ^ (1 << 127),
            (Prim::U128, V::U128(x)) => *x,
            _ if variant_rank(v) < self.rank() => return Err(Side::Below),
            _ => return Err(Side::Above),
        })
    }

    /// The value whose packed form is `bits` (the inverse of [`pack`](Self::pack); the casts
    /// keep the low bits, which is all `bits` holds).
    fn unpack(self, bits: u128) -> AlgebraicValue {
        use AlgebraicValue as V;
        match self {
            Prim::Bool => V::Bool(bits != 0),
            Prim::I8 => V::I8((bits as u8 ^ 0x80) as i8),
            Prim::U8 => V::U8(bits as u8),
            Prim::I16 => V::I16((bits as u16 ^ 0x8000) as i16),
            Prim::U16 => V::U16(bits as u16),
            Prim::I32 => V::I32((bits as u32 ^ 0x8000_0000) as i32),
            Prim::U32 => V::U32(bits as u32),
            Prim::I64 => V::I64((bits as u64 ^ (1 << 63)) as i64),
            Prim::U64 => V::U64(bits as u64),
            Prim::I128 => V::I128((bits ^ (1 << 127)) as i128),
            Prim::U128 => V::U128(bits),
        }
    }

    /// The position of this type's variant in `AlgebraicValue`'s declaration (derived) order.
    fn rank(self) -> u8 {
        3 + self as u8
    }
}

/// The position of `v`'s variant in `AlgebraicValue`'s declaration order, which is how the
/// derived order compares values of different types.
fn variant_rank(v: &AlgebraicValue) -> u8 {
    use AlgebraicValue as V;
    match v {
        V::Sum(_) => 0,
        V::Product(_) => 1,
        V::Array(_) => 2,
        V::Bool(_) => 3,
        V::I8(_) => 4,
        V::U8(_) => 5,
        V::I16(_) => 6,
        V::U16(_) => 7,
        V::I32(_) => 8,
        V::U32(_) => 9,
        V::I64(_) => 10,
        V::U64(_) => 11,
        V::I128(_) => 12,
        V::U128(_) => 13,
        V::I256(_) => 14,
        V::U256(_) => 15,
        V::F32(_) => 16,
        V::F64(_) => 17,
        V::String(_) => 18,
    }
}

/// Where a value of the wrong type for its column sorts: below or above every value of the
/// column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Below,
    Above,
}

/// A point between keys or on one, for a range bound: the first `cols` key columns fixed to
/// the packed `bits`, and the rest, if any, filled as `fill` says.
#[derive(Debug, Clone, Copy)]
struct Point {
    bits: u128,
    cols: usize,
    /// For a partial point: just below (`Below`) or just above (`Above`) every key with these
    /// first columns.
    fill: Side,
}

/// One `(key, row id)` entry. The key is kept as two `u64`s rather than a `u128` so an entry
/// takes 24 bytes, not 32 (a `u128` is 16-byte aligned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    hi: u64,
    lo: u64,
    id: u64,
}

impl Entry {
    fn new(key: u128, id: u64) -> Self {
        Entry { hi: (key >> 64) as u64, lo: key as u64, id }
    }
    fn key(&self) -> u128 {
        (u128::from(self.hi) << 64) | u128::from(self.lo)
    }
}

/// An index on integer and bool columns: its key layout and its `(key, row id)` entries.
#[derive(Debug, Clone)]
pub(super) struct PackedIndex {
    /// The key columns with their types, in key order.
    cols: Box<[(ColId, Prim)]>,
    /// The bits a key takes (the sum of the columns', at most 128).
    bits: u32,
    entries: ChunkedMap<Entry, ()>,
}

impl PackedIndex {
    /// An empty index on `cols` of the types `types` (resolved), if they can be packed: at least
    /// one column, each an integer or bool, 128 bits at most in all.
    pub(super) fn new(cols: &[ColId], types: &[&AlgebraicType]) -> Option<Self> {
        if cols.is_empty() || cols.len() != types.len() {
            return None;
        }
        let cols: Box<[(ColId, Prim)]> =
            cols.iter().zip(types).map(|(c, t)| Prim::of(t).map(|p| (*c, p))).collect::<Option<_>>()?;
        let bits: u32 = cols.iter().map(|(_, p)| p.bits()).sum();
        (bits <= 128).then_some(PackedIndex { cols, bits, entries: ChunkedMap::default() })
    }

    /// The packed key of `row`. Rows reaching a table are of its row type; a column of another
    /// type (or a missing one) packs as its side's extreme, so a malformed row is still filed
    /// consistently rather than panicking.
    fn row_key(&self, row: &ProductValue) -> u128 {
        self.cols.iter().fold(0u128, |key, (col, prim)| {
            let bits = match row.elements.get(usize::from(*col)).map(|v| prim.pack(v)) {
                Some(Ok(bits)) => bits,
                Some(Err(Side::Above)) => ones(prim.bits()),
                Some(Err(Side::Below)) | None => 0,
            };
            shl(key, prim.bits()) | bits
        })
    }

    /// Files row `id` under `row`'s key.
    pub(super) fn add(&mut self, row: &ProductValue, id: RowId) {
        self.entries.insert(Entry::new(self.row_key(row), id.0), ());
    }

    /// Takes row `id` out from under `row`'s key.
    pub(super) fn remove(&mut self, row: &ProductValue, id: RowId) {
        self.entries.remove(&Entry::new(self.row_key(row), id.0));
    }

    /// The first row (in row-id order) under `row`'s key other than `except`.
    pub(super) fn first_with_key_of(&self, row: &ProductValue, except: Option<RowId>) -> Option<RowId> {
        let key = self.row_key(row);
        self.ids_in(key, key).find(|id| Some(*id) != except)
    }

    /// The rows under the complete key `key` (one value per key column), in row-id order; none
    /// for a key of the wrong length or types (no stored key equals it).
    pub(super) fn seek(&self, key: &[AlgebraicValue]) -> Vec<RowId> {
        match self.point(key) {
            Ok(p) if p.cols == self.cols.len() => self.ids_in(p.bits, p.bits).collect(),
            _ => Vec::new(),
        }
    }

    /// The rows whose first key columns equal `prefix` and whose next one lies within
    /// `start`..`end` (the caller has checked a column is left to bound), in key order, ties in
    /// row-id order; filled as [`key_bounds`](super::value_index::key_bounds) fills.
    pub(super) fn range(
        &self,
        prefix: &[AlgebraicValue],
        start: Bound<&AlgebraicValue>,
        end: Bound<&AlgebraicValue>,
        excluded: ExcludedBounds,
    ) -> Vec<RowId> {
        let (excluded_start, excluded_end) = match excluded {
            ExcludedBounds::AsIncluded => (Side::Below, Side::Above),
            ExcludedBounds::Exclude => (Side::Above, Side::Below),
        };
        // The smallest and largest keys in range, both included; `None` for an empty range.
        let lo = match start {
            Bound::Unbounded => self.low_of(self.partial(prefix.iter(), Side::Below)),
            Bound::Included(v) => self.low_of(self.partial(prefix.iter().chain([v]), Side::Below)),
            Bound::Excluded(v) => {
                let p = self.partial(prefix.iter().chain([v]), excluded_start);
                if p.cols == self.cols.len() {
                    p.bits.checked_add(1)
                } else {
                    self.low_of(p)
                }
            }
        };
        let hi = match end {
            Bound::Unbounded => self.high_of(self.partial(prefix.iter(), Side::Above)),
            Bound::Included(v) => self.high_of(self.partial(prefix.iter().chain([v]), Side::Above)),
            Bound::Excluded(v) => {
                let p = self.partial(prefix.iter().chain([v]), excluded_end);
                if p.cols == self.cols.len() {
                    p.bits.checked_sub(1)
                } else {
                    self.high_of(p)
                }
            }
        };
        match (lo, hi) {
            (Some(lo), Some(hi)) if lo <= hi => self.ids_in(lo, hi).collect(),
            _ => Vec::new(),
        }
    }

    /// Every key (as values) with its rows, in key order.
    pub(super) fn entries(&self) -> Vec<(Vec<AlgebraicValue>, Vec<RowId>)> {
        let mut out: Vec<(Vec<AlgebraicValue>, Vec<RowId>)> = Vec::new();
        let mut last = None;
        for e in self.entries.keys() {
            if last != Some(e.key()) {
                out.push((self.unpack(e.key()), Vec::new()));
                last = Some(e.key());
            }
            if let Some((_, ids)) = out.last_mut() {
                ids.push(RowId(e.id));
            }
        }
        out
    }

    /// The row ids under keys `lo..=hi`, in key order, ties in row-id order.
    fn ids_in(&self, lo: u128, hi: u128) -> impl Iterator<Item = RowId> + '_ {
        let end = Entry::new(hi, u64::MAX);
        self.entries.iter_from(&Entry::new(lo, 0)).map(|(e, _)| *e).take_while(move |e| *e <= end).map(|e| RowId(e.id))
    }

    /// `vals` (at most one per key column) packed as the leading columns of a point; the first
    /// value of the wrong type ends the point there, on its side.
    fn point<'v>(&self, vals: impl IntoIterator<Item = &'v AlgebraicValue>) -> Result<Point, Point> {
        let mut p = Point { bits: 0, cols: 0, fill: Side::Below };
        for (v, (_, prim)) in vals.into_iter().zip(self.cols.iter()) {
            match prim.pack(v) {
                Ok(bits) => {
                    p.bits = shl(p.bits, prim.bits()) | bits;
                    p.cols += 1;
                }
                Err(side) => return Err(Point { fill: side, ..p }),
            }
        }
        Ok(p)
    }

    /// [`point`](Self::point) of `vals`, filled as `fill` says when it is partial (a value of the
    /// wrong type imposes its own side instead).
    fn partial<'v>(&self, vals: impl IntoIterator<Item = &'v AlgebraicValue>, fill: Side) -> Point {
        match self.point(vals) {
            Ok(p) => Point { fill, ..p },
            Err(p) => p,
        }
    }

    /// The smallest key at or after `p`; `None` if no key is.
    fn low_of(&self, p: Point) -> Option<u128> {
        let rest = self.rest_bits(p.cols);
        match p.fill {
            Side::Below => Some(shl(p.bits, rest)),
            // Just above every key with these columns: past the last one.
            Side::Above => (shl(p.bits, rest) | ones(rest)).checked_add(1),
        }
    }

    /// The largest key at or before `p`; `None` if no key is.
    fn high_of(&self, p: Point) -> Option<u128> {
        let rest = self.rest_bits(p.cols);
        match p.fill {
            Side::Below => shl(p.bits, rest).checked_sub(1),
            Side::Above => Some(shl(p.bits, rest) | ones(rest)),
        }
    }

    /// The bits of the key columns after the first `cols`.
    fn rest_bits(&self, cols: usize) -> u32 {
        self.cols[cols.min(self.cols.len())..].iter().map(|(_, p)| p.bits()).sum()
    }

    /// The key `key` as values, one per key column.
    fn unpack(&self, key: u128) -> Vec<AlgebraicValue> {
        let mut rest = self.bits;
        self.cols
            .iter()
            .map(|(_, prim)| {
                rest -= prim.bits();
                prim.unpack(shr(key, rest) & ones(prim.bits()))
            })
            .collect()
    }
}

/// `x << n`, zero for `n == 128` (where `<<` would overflow).
fn shl(x: u128, n: u32) -> u128 {
    x.checked_shl(n).unwrap_or(0)
}

/// `x >> n`, zero for `n == 128`.
fn shr(x: u128, n: u32) -> u128 {
    x.checked_shr(n).unwrap_or(0)
}

/// The lowest `n` bits set (`n` at most 128).
fn ones(n: u32) -> u128 {
    shl(1, n).wrapping_sub(1)
}
