//! Views (SpacetimeDB 2.x, feature `v2`): read-only functions whose result clients subscribe to
//! like a table. A view reads the database through read-only handles ([`LocalReadOnly`]), or
//! returns a query ([`crate::query_builder`]) that the server runs and maintains itself.

use crate::query_builder::{FromWhere, HasCols, LeftSemiJoin, RawQuery, RightSemiJoin, Table as QbTable};
use crate::table::{Column, Index, Table};
use crate::{FilterableValue, Identity, IndexScanRangeBounds, RangedIndex, UniqueColumn};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;
use worldtube_lib::algebraic::SpacetimeType;
use worldtube_lib::bsatn::Encode;

/// The database as a view sees it: read only. Each table adds a method named after it (through
/// a trait `{table}__view` the `#[table]` macro generates), returning the table's read-only
/// handle, which can count rows and look them up through the table's indexes.
#[non_exhaustive]
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalReadOnly {}

/// Where a view's queries start: each table adds a method named after it (through a trait
/// `{table}__query` the `#[table]` macro generates) returning the table as a
/// [`query_builder::Table`](crate::query_builder::Table).
#[non_exhaustive]
#[derive(Debug, Default, Clone, Copy)]
pub struct QueryBuilder {}

/// The context of a view computed for each caller: its first parameter is `&ViewContext`. The
/// server runs it once per subscribed client, and again when what it read changes.
#[non_exhaustive]
#[derive(Debug)]
pub struct ViewContext {
    sender: Identity,
    /// The database, read only.
    pub db: LocalReadOnly,
    /// The start of a query: `ctx.from.<table>()`.
    pub from: QueryBuilder,
}

impl ViewContext {
    /// The context of a call by `sender`.
    pub fn new(sender: Identity) -> Self {
        ViewContext { sender, db: LocalReadOnly {}, from: QueryBuilder {} }
    }

    /// The identity of the client the view is computed for.
    pub fn sender(&self) -> Identity {
        self.sender
    }

    /// The same database without the caller, to call an anonymous view's function.
    pub fn as_anonymous(&self) -> AnonymousViewContext {
        AnonymousViewContext::default()
    }
}

/// The context of a view that is the same for every caller (computed once, shared by all
/// subscribers): its first parameter is `&AnonymousViewContext`. It does not know who is asking.
#[non_exhaustive]
#[derive(Debug, Default)]
pub struct AnonymousViewContext {
    /// The database, read only.
    pub db: LocalReadOnly,
    /// The start of a query: `ctx.from.<table>()`.
    pub from: QueryBuilder,
}

impl crate::DbContext for ViewContext {
    type DbView = LocalReadOnly;
    fn db(&self) -> &LocalReadOnly {
        &self.db
    }
}

impl crate::DbContext for AnonymousViewContext {
    type DbView = LocalReadOnly;
    fn db(&self) -> &LocalReadOnly {
        &self.db
    }
}

/// A column type a view's `primary_key = column` may name: one that can key an index lookup.
pub trait ViewPrimaryKeyColumn {}
impl<T> ViewPrimaryKeyColumn for T where for<'a> &'a T: FilterableValue<Column = T> {}

/// The read-only form of [`UniqueColumn`], on a table's read-only handle (`ctx.db` of a view).
pub struct UniqueColumnReadOnly<Tbl, ColType, Col> {
    _marker: PhantomData<(Tbl, ColType, Col)>,
}

impl<Tbl, ColType, Col> fmt::Debug for UniqueColumnReadOnly<Tbl, ColType, Col> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UniqueColumnReadOnly")
    }
}

impl<Tbl: Table, Col: Index + Column<Table = Tbl>> UniqueColumnReadOnly<Tbl, Col::ColType, Col> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The row whose column equals `value`, if any (see [`UniqueColumn::find`]).
    pub fn find(&self, value: impl Borrow<Col::ColType>) -> Option<Tbl::Row>
    where
        for<'a> &'a Col::ColType: FilterableValue,
    {
        UniqueColumn::<Tbl, Col::ColType, Col>::__NEW.find(value)
    }
}

/// The read-only form of [`RangedIndex`] (a B-tree index), on a table's read-only handle.
pub struct RangedIndexReadOnly<Tbl: Table, IndexType, Idx: Index> {
    _marker: PhantomData<(Tbl, IndexType, Idx)>,
}

impl<Tbl: Table, IndexType, Idx: Index> fmt::Debug for RangedIndexReadOnly<Tbl, IndexType, Idx> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RangedIndexReadOnly")
    }
}

impl<Tbl: Table, IndexType, Idx: Index> RangedIndexReadOnly<Tbl, IndexType, Idx> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The rows matching `bounds`, in index order (see [`RangedIndex::filter`]).
    pub fn filter<B, K>(&self, bounds: B) -> impl Iterator<Item = Tbl::Row>
    where
        B: IndexScanRangeBounds<IndexType, K>,
    {
        RangedIndex::<Tbl, IndexType, Idx>::__NEW.filter(bounds)
    }
}

/// The read-only handle of a hash index: lookups by a whole key (a value for every column), on
/// a table's read-only handle.
pub struct PointIndexReadOnly<Tbl: Table, IndexType, Idx: Index> {
    _marker: PhantomData<(Tbl, IndexType, Idx)>,
}

impl<Tbl: Table, IndexType, Idx: Index> fmt::Debug for PointIndexReadOnly<Tbl, IndexType, Idx> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PointIndexReadOnly")
    }
}

impl<Tbl: Table, IndexType, Idx: Index> PointIndexReadOnly<Tbl, IndexType, Idx> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The rows whose key equals `point`: a value, or a tuple with a value for each key column
    /// (a hash index has no order, so no ranges).
    pub fn filter<P, K>(&self, point: P) -> impl Iterator<Item = Tbl::Row>
    where
        P: IndexScanRangeBounds<IndexType, K>,
    {
        crate::table::assert_whole_key::<P, IndexType, K, Idx>();
        RangedIndex::<Tbl, IndexType, Idx>::__NEW.filter(point)
    }
}

/// What a view may return: `Vec<T>` or `Option<T>` (rows it computed), or a query
/// (`impl Query<T>`, a [`RawQuery<T>`]) whose rows the server computes, with `T` a
/// `SpacetimeType` struct.
#[diagnostic::on_unimplemented(
    message = "a view must return `Vec<T>`, `Option<T>` or `impl Query<T>` with `T` a `SpacetimeType` struct, not `{Self}`",
    label = "unsupported view return type",
    note = "e.g. `-> Vec<Player>`, `-> Option<Player>` or `-> impl Query<Player>` (then return `ctx.from.player()...`)"
)]
pub trait ViewReturn {
    /// Appends the view's result as the host reads it: a `ViewResultHeader` (`RowData`, then the
    /// rows as a BSATN array; or `RawSql(text)`).
    fn write_view_result(self, out: &mut Vec<u8>);
}

/// The tag of `ViewResultHeader::RowData`: the rows follow, as a BSATN array.
const HEADER_ROW_DATA: u8 = 0;
/// The tag of `ViewResultHeader::RawSql(String)`: the server runs the SQL.
const HEADER_RAW_SQL: u8 = 1;

impl<T: SpacetimeType + Encode> ViewReturn for Vec<T> {
    fn write_view_result(self, out: &mut Vec<u8>) {
        out.push(HEADER_ROW_DATA);
        self.encode(out);
    }
}

impl<T: SpacetimeType + Encode> ViewReturn for Option<T> {
    fn write_view_result(self, out: &mut Vec<u8>) {
        out.push(HEADER_ROW_DATA);
        self.as_slice().encode(out);
    }
}

impl<T: SpacetimeType> ViewReturn for RawQuery<T> {
    fn write_view_result(self, out: &mut Vec<u8>) {
        out.push(HEADER_RAW_SQL);
        self.sql().encode(out);
    }
}

impl<T: HasCols + SpacetimeType> ViewReturn for QbTable<T> {
    fn write_view_result(self, out: &mut Vec<u8>) {
        self.build().write_view_result(out)
    }
}

impl<T: HasCols + SpacetimeType> ViewReturn for FromWhere<T> {
    fn write_view_result(self, out: &mut Vec<u8>) {
        self.build().write_view_result(out)
    }
}

impl<L: HasCols + SpacetimeType> ViewReturn for LeftSemiJoin<L> {
    fn write_view_result(self, out: &mut Vec<u8>) {
        self.build().write_view_result(out)
    }
}

impl<R: HasCols + SpacetimeType, L: HasCols> ViewReturn for RightSemiJoin<R, L> {
    fn write_view_result(self, out: &mut Vec<u8>) {
        self.build().write_view_result(out)
    }
}

/// The first parameter of a view.
#[diagnostic::on_unimplemented(
    message = "the first parameter of a `#[view]` must be `&ViewContext` or `&AnonymousViewContext`, not `&{Self}`",
    label = "not a view context",
    note = "use `&ViewContext` for a view computed per caller (`ctx.sender()`), `&AnonymousViewContext` for one shared by all"
)]
pub trait ViewContextArg: Sized {
    /// Whether it is the anonymous context.
    const ANONYMOUS: bool;
    /// The context of a call by `sender` (`None` for an anonymous view).
    fn __context(sender: Option<Identity>) -> Self;
}
impl ViewContextArg for ViewContext {
    const ANONYMOUS: bool = false;
    fn __context(sender: Option<Identity>) -> Self {
        ViewContext::new(sender.expect("a per-sender view is called with a sender"))
    }
}
impl ViewContextArg for AnonymousViewContext {
    const ANONYMOUS: bool = true;
    fn __context(_sender: Option<Identity>) -> Self {
        AnonymousViewContext::default()
    }
}
