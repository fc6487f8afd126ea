//! The typed query builder of the 2.x API (feature `v2`): a view returns a query over the
//! module's tables instead of computing its rows, and the server runs the SQL the query renders
//! (and keeps it up to date incrementally, like a subscription).
//!
//! A view reaches it through its context's `from` field: `ctx.from.<table>()` is a [`Table`], whose
//! [`where`](Table::where) (or [`filter`](Table::filter)) narrows it by a predicate over its
//! columns, and whose [`left_semijoin`](Table::left_semijoin) / [`right_semijoin`](Table::right_semijoin)
//! keep the rows of one side that match a row of another table on indexed columns.
//!
//! ```ignore
//! use spacetimedb::{view, Query, ViewContext};
//!
//! #[view(accessor = adults, public)]
//! fn adults(ctx: &ViewContext) -> impl Query<Person> {
//!     ctx.from.person().r#where(|p| p.age.gte(18u8))
//! }
//! ```
//!
//! What is rendered, exactly (the SDK and the server must agree on it, so it is the official
//! crate's text, character for character):
//!
//! | builder | SQL |
//! |---|---|
//! | `t` | `SELECT * FROM "t"` |
//! | `t.r#where(p)` | `SELECT * FROM "t" WHERE P` |
//! | `t.r#where(p).r#where(q)` | `SELECT * FROM "t" WHERE (P AND Q)` |
//! | `l.left_semijoin(r, \|l, r\| l.a.eq(r.b))` | `SELECT "l".* FROM "l" JOIN "r" ON "l"."a" = "r"."b"` (then ` WHERE P` for the left side's predicates) |
//! | `l.right_semijoin(r, \|l, r\| l.a.eq(r.b))` | `SELECT "r".* FROM "l" JOIN "r" ON "l"."a" = "r"."b"` (then ` WHERE L AND R`, the left side's predicate before the right side's) |
//!
//! with predicates `("t"."c" = V)` (also `<>`, `>`, `<`, `>=`, `<=`), `(P AND Q)`, `(P OR Q)`,
//! `(NOT P)`; see [`RHS`] for how values are written.

mod expr;
mod join;
mod table;

pub use expr::{format_expr, BoolExpr, LiteralValue, Operand, RHS};
pub use join::{IxCol, IxJoinEq, LeftSemiJoin, RightSemiJoin};
pub use table::{CanBeLookupTable, Col, ColumnRef, FromWhere, HasCols, HasIxCols, Table, TableNameStr};

use std::fmt;
use std::marker::PhantomData;
use worldtube_lib::algebraic::{AlgebraicType, ProductType, ProductTypeElement, SpacetimeType, TypespaceBuilder};

// The name of the one element of the product type that describes a query view's result
// (`{ __query__: T }`), which tells the server the view returns a query over rows of `T`.
use worldtube_lib::raw_def::v10::VIEW_QUERY_ELEMENT as QUERY_RESULT_ELEMENT;

/// A query whose rows are of type `T`: every builder type is one, and a view declared to return
/// `impl Query<T>` returns any of them.
pub trait Query<T> {
    /// The query's SQL text.
    fn into_sql(self) -> String;
}

/// A finished query: its SQL text, typed by the rows it yields. `build()` on any builder gives
/// one, and a view returning `impl Query<T>` in fact returns this.
pub struct RawQuery<T> {
    sql: String,
    _rows: PhantomData<fn() -> T>,
}

impl<T> RawQuery<T> {
    /// A query of the given SQL text (not checked here: the server parses it when the view runs).
    pub fn new(sql: String) -> Self {
        RawQuery { sql, _rows: PhantomData }
    }

    /// The SQL text.
    pub fn sql(&self) -> &str {
        &self.sql
    }
}

impl<T> fmt::Debug for RawQuery<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawQuery").field(&self.sql).finish()
    }
}

impl<T> Query<T> for RawQuery<T> {
    fn into_sql(self) -> String {
        self.sql
    }
}

/// A query view's result type: the product `{ __query__: T }`.
impl<T: SpacetimeType> SpacetimeType for RawQuery<T> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        AlgebraicType::Product(ProductType {
            elements: Box::new([ProductTypeElement::new(Some(QUERY_RESULT_ELEMENT), T::make_type(ts))]),
        })
    }
}
