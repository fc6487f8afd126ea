//! Which values may key an index lookup, and the shapes `filter`/`delete` accept: a value, a
//! range, or a tuple of leading values optionally ending in a range.

use crate::sys::ColId;
use crate::{i256, u256, ConnectionId, Identity, Timestamp, Uuid};
use std::ops::{self, Bound};
use worldtube_lib::bsatn::Encode;
use worldtube_lib::Hash;

/// A type that can appear as an argument to an index lookup: [`UniqueColumn::find`] and
/// `delete`, [`RangedIndex::filter`] and `delete`.
///
/// Implemented for the integer types (with [`i256`] and [`u256`]), `bool`, [`Identity`],
/// [`ConnectionId`], [`Uuid`] and [`Timestamp`] (keys in 2.x), by value and by reference; for `&String` and `&str` (keys of `String`
/// columns); and, by [`#[derive(SpacetimeType)]`](derive@crate::SpacetimeType), for enums whose
/// variants carry no payload. [`Column`](Self::Column) is the column type the value is compared
/// with, so `&str` looks up a `String` column. Floats, byte arrays and structs cannot key a
/// lookup. The trait is sealed.
///
/// [`UniqueColumn::find`]: crate::UniqueColumn::find
/// [`RangedIndex::filter`]: crate::RangedIndex::filter
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used to look rows up in an index",
    label = "index keys are integers, `bool`, `&String`/`&str`, `Identity`, `ConnectionId`, `Uuid`, `Timestamp` or enums without payloads, not `{Self}`",
    note = "floats, byte arrays and structs cannot key an index lookup"
)]
pub trait FilterableValue: Encode + Private {
    /// The column type this value is compared with.
    type Column;
}

/// Seals [`FilterableValue`]: only the types listed here and derived payload-free enums.
#[doc(hidden)]
pub trait Private {}

macro_rules! filterable {
    (copy: $($t:ty),*) => {$(
        impl Private for $t {}
        impl FilterableValue for $t { type Column = $t; }
        impl Private for &$t {}
        impl FilterableValue for &$t { type Column = $t; }
    )*};
}
filterable!(copy: u8, u16, u32, u64, u128, u256, i8, i16, i32, i64, i128, i256, bool, Identity, ConnectionId, Hash, Uuid, Timestamp);

// Strings are looked up by reference: the key is only read.
impl Private for &String {}
impl FilterableValue for &String {
    type Column = String;
}
impl Private for &str {}
impl FilterableValue for &str {
    type Column = String;
}

/// One end, or both ends, of the condition on the last key column of a lookup, as
/// [`IndexScanRangeBoundsTerminator::bounds`] gives it.
#[derive(Debug)]
pub enum TermBound<T> {
    /// Equality: the same bound serves as start and end.
    Single(Bound<T>),
    /// A range: start and end.
    Range(Bound<T>, Bound<T>),
}

/// The last element of a lookup: a value (equality) or a range.
///
/// Implemented for every [`FilterableValue`] and for the ranges over one: `a..b`, `a..=b`,
/// `a..`, `..b`, `..=b` and `(Bound<T>, Bound<T>)`. See [`RangedIndex`](crate::RangedIndex) for
/// how lookups are written.
pub trait IndexScanRangeBoundsTerminator {
    /// The value type compared with the key column.
    type Arg;
    /// The condition.
    fn bounds(&self) -> TermBound<&Self::Arg>;
    /// Whether this is a value (equality), not a range.
    #[doc(hidden)]
    const POINT: bool = false;
}

impl<Arg: FilterableValue> IndexScanRangeBoundsTerminator for Arg {
    type Arg = Arg;
    fn bounds(&self) -> TermBound<&Arg> {
        TermBound::Single(Bound::Included(self))
    }
    const POINT: bool = true;
}

macro_rules! range_terminator {
    ($($range:ty),*) => {$(
        impl<T: FilterableValue> IndexScanRangeBoundsTerminator for $range {
            type Arg = T;
            fn bounds(&self) -> TermBound<&T> {
                TermBound::Range(ops::RangeBounds::start_bound(self), ops::RangeBounds::end_bound(self))
            }
        }
    )*};
}
range_terminator!(
    ops::Range<T>,
    ops::RangeFrom<T>,
    ops::RangeInclusive<T>,
    ops::RangeTo<T>,
    ops::RangeToInclusive<T>,
    (Bound<T>, Bound<T>)
);

/// The encoded arguments of an index scan: prefix values, then the start bound, then (for a
/// range) the end bound, in one buffer.
#[doc(hidden)]
#[derive(Debug)]
pub struct IndexScanRangeArgs {
    pub(crate) data: Vec<u8>,
    pub(crate) prefix_elems: u16,
    pub(crate) rstart_idx: usize,
    /// Where the end bound starts; `None` when start and end are the same bound.
    pub(crate) rend_idx: Option<usize>,
}

impl IndexScanRangeArgs {
    /// The key of a lookup whose terminator is a value (`IndexScanRangeBounds::POINT`): the
    /// values' BSATN, one after another, for the point-scan imports.
    #[cfg(feature = "v2")]
    pub(crate) fn point_key(&self) -> Vec<u8> {
        // The terminator is `Bound::Included(value)`: its tag byte, then the value.
        let mut key = self.data[..self.rstart_idx].to_vec();
        key.extend_from_slice(&self.data[self.rstart_idx + 1..]);
        key
    }

    pub(crate) fn for_syscall(&self) -> (&[u8], ColId, &[u8], &[u8]) {
        let prefix = &self.data[..self.rstart_idx];
        let (rstart, rend) = match self.rend_idx {
            Some(rend_idx) => (&self.data[self.rstart_idx..rend_idx], &self.data[rend_idx..]),
            None => (&self.data[self.rstart_idx..], &self.data[self.rstart_idx..]),
        };
        (prefix, ColId(self.prefix_elems), rstart, rend)
    }

    fn push_term<T: Encode>(&mut self, term: TermBound<&T>) {
        self.rstart_idx = self.data.len();
        match term {
            TermBound::Single(bound) => bound.encode(&mut self.data),
            TermBound::Range(start, end) => {
                start.encode(&mut self.data);
                self.rend_idx = Some(self.data.len());
                end.encode(&mut self.data);
            }
        }
    }
}

/// Marks the bare (untupled) form of a lookup on an index's first column.
#[doc(hidden)]
#[derive(Debug)]
pub struct SingleBound;

/// What `filter` and `delete` on an index with key columns `Cols` accept. `K` only tells apart
/// the bare value or range from the tuple forms.
///
/// For an index on `(A, B, C)` that is: a value or range of `A` alone; `(a,)`, `(a, b)` or
/// `(a, b, c)`, the last element of each tuple a value or a range
/// ([`IndexScanRangeBoundsTerminator`]), the others values. Indexes of up to six columns are
/// supported. See [`RangedIndex`](crate::RangedIndex) for examples.
pub trait IndexScanRangeBounds<Cols, K = ()> {
    #[doc(hidden)]
    fn get_args(&self) -> IndexScanRangeArgs;
    /// Whether the lookup gives values only (no range).
    #[doc(hidden)]
    const POINT: bool;
    /// How many key columns the lookup gives a value or range for.
    #[doc(hidden)]
    const COLS_PROVIDED: usize;
}

fn term_only<Term: IndexScanRangeBoundsTerminator>(term: &Term) -> IndexScanRangeArgs
where
    Term::Arg: Encode,
{
    let mut args = IndexScanRangeArgs { data: Vec::new(), prefix_elems: 0, rstart_idx: 0, rend_idx: None };
    args.push_term(term.bounds());
    args
}

/// Implements the lookups for an index over the columns `$C…` (each paired with the name of the
/// type parameter its lookup argument gets): the bare form on the first column, and every tuple
/// `(prefix values…, terminator)`.
macro_rules! index_bounds {
    ($C0:ident : $A0:ident $(, $C:ident : $A:ident)*) => {
        impl<$C0, $($C,)* Term> IndexScanRangeBounds<($C0, $($C,)*), SingleBound> for Term
        where
            Term: IndexScanRangeBoundsTerminator,
            Term::Arg: FilterableValue<Column = $C0>,
        {
            fn get_args(&self) -> IndexScanRangeArgs {
                term_only(self)
            }
            const POINT: bool = Term::POINT;
            const COLS_PROVIDED: usize = 1;
        }
        index_bounds!(@tuples [$C0 $(, $C)*] [] [$C0 : $A0 $(, $C : $A)*]);
    };
    // The tuple whose terminator applies to the first remaining column; then the same with that
    // column moved into the prefix.
    (@tuples [$($All:ident),+] [$($P:ident : $PA:ident),*] [$T:ident : $TA:ident $(, $R:ident : $RA:ident)*]) => {
        impl<$($All,)+ $($PA,)* Term> IndexScanRangeBounds<($($All,)+)> for ($($PA,)* Term,)
        where
            $($PA: FilterableValue<Column = $P>,)*
            Term: IndexScanRangeBoundsTerminator,
            Term::Arg: FilterableValue<Column = $T>,
        {
            #[allow(non_snake_case)]
            fn get_args(&self) -> IndexScanRangeArgs {
                let ($($PA,)* term,) = self;
                let mut args = IndexScanRangeArgs { data: Vec::new(), prefix_elems: 0, rstart_idx: 0, rend_idx: None };
                $(
                    $PA.encode(&mut args.data);
                    args.prefix_elems += 1;
                )*
                args.push_term(term.bounds());
                args
            }
            const POINT: bool = Term::POINT;
            const COLS_PROVIDED: usize = 1 $(+ index_bounds!(@one $PA))*;
        }
        index_bounds!(@tuples [$($All),+] [$($P : $PA,)* $T : $TA] [$($R : $RA),*]);
    };
    (@tuples [$($All:ident),+] [$($P:ident : $PA:ident),*] []) => {};
    (@one $x:ident) => { 1 };
}

index_bounds!(C0: A0);
index_bounds!(C0: A0, C1: A1);
index_bounds!(C0: A0, C1: A1, C2: A2);
index_bounds!(C0: A0, C1: A1, C2: A2, C3: A3);
index_bounds!(C0: A0, C1: A1, C2: A2, C3: A3, C4: A4);
index_bounds!(C0: A0, C1: A1, C2: A2, C3: A3, C4: A4, C5: A5);
