//! Tables, their columns, and single-table queries.

use super::expr::{format_expr, BoolExpr, Operand, RHS};
use super::{Query, RawQuery};
use std::fmt;
use std::marker::PhantomData;

/// A table's name as the query builder writes it (the table's accessor).
pub type TableNameStr = &'static str;

/// A row type whose columns the query builder knows: `#[table]` implements it, with a struct
/// `{Row}Cols` holding one [`Col`] per field.
pub trait HasCols {
    /// The columns, one [`Col`] field per column.
    type Cols;
    /// The columns, in the table named `table`.
    fn cols(table: TableNameStr) -> Self::Cols;
}

/// A row type whose single-column indexes the query builder knows (the columns a semijoin may
/// join on): `#[table]` implements it, with a struct `{Row}IxCols` holding one [`IxCol`](super::IxCol)
/// per index, named after the index's accessor.
pub trait HasIxCols {
    /// The indexed columns.
    type IxCols;
    /// The indexed columns, in the table named `table`.
    fn ix_cols(table: TableNameStr) -> Self::IxCols;
}

/// A table a semijoin may look rows up in (the side whose rows are matched): every table but
/// event tables, whose rows do not stay.
pub trait CanBeLookupTable: HasIxCols {}

/// All the rows of a table: `ctx.from.<table>()`.
pub struct Table<T> {
    name: TableNameStr,
    _rows: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Table").field(&self.name).finish()
    }
}

impl<T> Table<T> {
    /// The table named `name`.
    pub fn new(name: TableNameStr) -> Self {
        Table { name, _rows: PhantomData }
    }

    pub(super) fn name(&self) -> TableNameStr {
        self.name
    }
}

/// A column of type `V` in the table whose rows are `T`; compare it to build a predicate.
pub struct Col<T, V> {
    col: ColumnRef<T>,
    _ty: PhantomData<fn() -> V>,
}

impl<T, V> fmt::Debug for Col<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Col").field(&self.col).finish()
    }
}

impl<T, V> Clone for Col<T, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T, V> Copy for Col<T, V> {}

impl<T, V> Col<T, V> {
    /// The column `column` of table `table`.
    pub fn new(table: &'static str, column: &'static str) -> Self {
        Col { col: ColumnRef::new(table, column), _ty: PhantomData }
    }

    pub(super) fn column_ref(self) -> ColumnRef<T> {
        self.col
    }

    /// `self = rhs`
    pub fn eq<R: RHS<T, V>>(self, rhs: R) -> BoolExpr<T> {
        BoolExpr::Eq(self.into(), rhs.to_expr())
    }
    /// `self <> rhs`
    pub fn ne<R: RHS<T, V>>(self, rhs: R) -> BoolExpr<T> {
        BoolExpr::Ne(self.into(), rhs.to_expr())
    }
    /// `self > rhs`
    pub fn gt<R: RHS<T, V>>(self, rhs: R) -> BoolExpr<T> {
        BoolExpr::Gt(self.into(), rhs.to_expr())
    }
    /// `self < rhs`
    pub fn lt<R: RHS<T, V>>(self, rhs: R) -> BoolExpr<T> {
        BoolExpr::Lt(self.into(), rhs.to_expr())
    }
    /// `self >= rhs`
    pub fn gte<R: RHS<T, V>>(self, rhs: R) -> BoolExpr<T> {
        BoolExpr::Gte(self.into(), rhs.to_expr())
    }
    /// `self <= rhs`
    pub fn lte<R: RHS<T, V>>(self, rhs: R) -> BoolExpr<T> {
        BoolExpr::Lte(self.into(), rhs.to_expr())
    }
}

impl<T, V> From<Col<T, V>> for Operand<T> {
    fn from(col: Col<T, V>) -> Self {
        Operand::Column(col.col)
    }
}

/// A column by its table's and its own name, written `"table"."column"`.
pub struct ColumnRef<T> {
    table: &'static str,
    column: &'static str,
    _rows: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ColumnRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sql())
    }
}

impl<T> Clone for ColumnRef<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for ColumnRef<T> {}

impl<T> ColumnRef<T> {
    pub(super) fn new(table: &'static str, column: &'static str) -> Self {
        ColumnRef { table, column, _rows: PhantomData }
    }

    pub(super) fn sql(&self) -> String {
        format!("\"{}\".\"{}\"", self.table, self.column)
    }

    pub(super) fn table_name(&self) -> &'static str {
        self.table
    }

    pub(super) fn column_name(&self) -> &'static str {
        self.column
    }
}

/// The rows of a table that satisfy a predicate: what [`Table::where`](Table::where) returns. Further
/// `r#where` calls add predicates (all must hold).
pub struct FromWhere<T> {
    pub(super) table: TableNameStr,
    pub(super) expr: BoolExpr<T>,
}

impl<T> fmt::Debug for FromWhere<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FromWhere").field("table", &self.table).field("expr", &self.expr).finish()
    }
}

fn select_all(table: TableNameStr) -> String {
    format!("SELECT * FROM \"{table}\"")
}

fn select_where<T>(table: TableNameStr, expr: &BoolExpr<T>) -> String {
    format!("SELECT * FROM \"{table}\" WHERE {}", format_expr(expr))
}

impl<T: HasCols> Query<T> for Table<T> {
    fn into_sql(self) -> String {
        select_all(self.name)
    }
}

impl<T: HasCols> Query<T> for FromWhere<T> {
    fn into_sql(self) -> String {
        select_where(self.table, &self.expr)
    }
}

impl<T: HasCols> Table<T> {
    /// The finished query: every row.
    pub fn build(self) -> RawQuery<T> {
        RawQuery::new(select_all(self.name))
    }

    /// The rows for which `predicate` (given the table's columns) holds.
    pub fn r#where<F, E>(self, predicate: F) -> FromWhere<T>
    where
        F: Fn(&T::Cols) -> E,
        E: Into<BoolExpr<T>>,
    {
        FromWhere { table: self.name, expr: predicate(&T::cols(self.name)).into() }
    }

    /// Another name for [`where`](Self::where).
    pub fn filter<F, E>(self, predicate: F) -> FromWhere<T>
    where
        F: Fn(&T::Cols) -> E,
        E: Into<BoolExpr<T>>,
    {
        self.r#where(predicate)
    }
}

impl<T: HasCols> FromWhere<T> {
    /// These rows, narrowed further: `predicate` must hold as well.
    pub fn r#where<F, E>(self, predicate: F) -> Self
    where
        F: Fn(&T::Cols) -> E,
        E: Into<BoolExpr<T>>,
    {
        let more = predicate(&T::cols(self.table)).into();
        FromWhere { table: self.table, expr: self.expr.and(more) }
    }

    /// Another name for [`where`](Self::where).
    pub fn filter<F, E>(self, predicate: F) -> Self
    where
        F: Fn(&T::Cols) -> E,
        E: Into<BoolExpr<T>>,
    {
        self.r#where(predicate)
    }

    /// The finished query.
    pub fn build(self) -> RawQuery<T> {
        RawQuery::new(select_where(self.table, &self.expr))
    }
}
