//! Semijoins: the rows of one table that match some row of another on indexed columns.

use super::expr::{format_expr, BoolExpr};
use super::table::{CanBeLookupTable, ColumnRef, FromWhere, HasCols, HasIxCols, Table, TableNameStr};
use super::{Query, RawQuery};
use std::fmt;
use std::marker::PhantomData;

/// An indexed column of type `V` in the table whose rows are `T`: what a semijoin joins on.
pub struct IxCol<T, V> {
    col: ColumnRef<T>,
    _ty: PhantomData<fn() -> V>,
}

impl<T, V> fmt::Debug for IxCol<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IxCol").field(&self.col).finish()
    }
}

impl<T, V> Clone for IxCol<T, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T, V> Copy for IxCol<T, V> {}

impl<T, V> IxCol<T, V> {
    /// The indexed column `column` of table `table`.
    pub fn new(table: TableNameStr, column: &'static str) -> Self {
        IxCol { col: ColumnRef::new(table, column), _ty: PhantomData }
    }

    /// The join condition `self = rhs`, with `rhs` an indexed column of the same type in another
    /// table.
    pub fn eq<R: HasIxCols>(self, rhs: IxCol<R, V>) -> IxJoinEq<T, R, V> {
        IxJoinEq { lhs: self.col, rhs: rhs.col, _ty: PhantomData }
    }
}

/// A join condition: an indexed column of `L` equals one of `R`, both of type `V`.
pub struct IxJoinEq<L, R, V> {
    lhs: ColumnRef<L>,
    rhs: ColumnRef<R>,
    _ty: PhantomData<fn() -> V>,
}

impl<L, R, V> fmt::Debug for IxJoinEq<L, R, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} = {:?}", self.lhs, self.rhs)
    }
}

/// The rows of the left table `L` that match some row of the right table (see
/// [`Table::left_semijoin`]); `r#where` narrows them by the left table's columns.
pub struct LeftSemiJoin<L> {
    left_col: ColumnRef<L>,
    right_table: TableNameStr,
    right_col: &'static str,
    where_expr: Option<BoolExpr<L>>,
}

impl<L> fmt::Debug for LeftSemiJoin<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeftSemiJoin")
            .field("on", &self.left_col)
            .field("right_table", &self.right_table)
            .field("right_col", &self.right_col)
            .field("where", &self.where_expr)
            .finish()
    }
}

/// The rows of the right table `R` that match some row of the left table `L` (see
/// [`Table::right_semijoin`]); `r#where` narrows them by the right table's columns, and any
/// predicate given on the left table before the join still applies.
pub struct RightSemiJoin<R, L> {
    left_col: ColumnRef<L>,
    right_col: ColumnRef<R>,
    left_where: Option<BoolExpr<L>>,
    right_where: Option<BoolExpr<R>>,
}

impl<R, L> fmt::Debug for RightSemiJoin<R, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RightSemiJoin")
            .field("left_col", &self.left_col)
            .field("right_col", &self.right_col)
            .field("left_where", &self.left_where)
            .field("right_where", &self.right_where)
            .finish()
    }
}

fn left_join<L, R: CanBeLookupTable, V>(
    left: TableNameStr,
    right: Table<R>,
    on: impl Fn(&L::IxCols, &R::IxCols) -> IxJoinEq<L, R, V>,
    where_expr: Option<BoolExpr<L>>,
) -> LeftSemiJoin<L>
where
    L: HasIxCols,
{
    let cond = on(&L::ix_cols(left), &R::ix_cols(right.name()));
    LeftSemiJoin { left_col: cond.lhs, right_table: right.name(), right_col: cond.rhs.column_name(), where_expr }
}

fn right_join<L, R: CanBeLookupTable, V>(
    left: TableNameStr,
    right: Table<R>,
    on: impl Fn(&L::IxCols, &R::IxCols) -> IxJoinEq<L, R, V>,
    left_where: Option<BoolExpr<L>>,
) -> RightSemiJoin<R, L>
where
    L: HasIxCols,
{
    let cond = on(&L::ix_cols(left), &R::ix_cols(right.name()));
    RightSemiJoin { left_col: cond.lhs, right_col: cond.rhs, left_where, right_where: None }
}

impl<L: HasIxCols> Table<L> {
    /// The rows of this table that match some row of `right` by `on` (an equality of indexed
    /// columns, `|l, r| l.a.eq(r.b)`).
    pub fn left_semijoin<R: CanBeLookupTable, V>(
        self,
        right: Table<R>,
        on: impl Fn(&L::IxCols, &R::IxCols) -> IxJoinEq<L, R, V>,
    ) -> LeftSemiJoin<L> {
        left_join(self.name(), right, on, None)
    }

    /// The rows of `right` that match some row of this table by `on` (an equality of indexed
    /// columns, `|l, r| l.a.eq(r.b)`).
    pub fn right_semijoin<R: CanBeLookupTable, V>(
        self,
        right: Table<R>,
        on: impl Fn(&L::IxCols, &R::IxCols) -> IxJoinEq<L, R, V>,
    ) -> RightSemiJoin<R, L> {
        right_join(self.name(), right, on, None)
    }
}

impl<L: HasIxCols> FromWhere<L> {
    /// Those of these rows that match some row of `right` by `on`.
    pub fn left_semijoin<R: CanBeLookupTable, V>(
        self,
        right: Table<R>,
        on: impl Fn(&L::IxCols, &R::IxCols) -> IxJoinEq<L, R, V>,
    ) -> LeftSemiJoin<L> {
        left_join(self.table, right, on, Some(self.expr))
    }

    /// The rows of `right` that match one of these rows by `on`.
    pub fn right_semijoin<R: CanBeLookupTable, V>(
        self,
        right: Table<R>,
        on: impl Fn(&L::IxCols, &R::IxCols) -> IxJoinEq<L, R, V>,
    ) -> RightSemiJoin<R, L> {
        right_join(self.table, right, on, Some(self.expr))
    }
}

fn and_also<T>(existing: Option<BoolExpr<T>>, more: BoolExpr<T>) -> Option<BoolExpr<T>> {
    Some(match existing {
        Some(e) => e.and(more),
        None => more,
    })
}

impl<L: HasCols> LeftSemiJoin<L> {
    /// These rows, narrowed by `predicate` over the left table's columns.
    pub fn r#where<F, E>(self, predicate: F) -> Self
    where
        F: Fn(&L::Cols) -> E,
        E: Into<BoolExpr<L>>,
    {
        let more = predicate(&L::cols(self.left_col.table_name())).into();
        LeftSemiJoin { where_expr: and_also(self.where_expr, more), ..self }
    }

    /// Another name for [`where`](Self::where).
    pub fn filter<F, E>(self, predicate: F) -> Self
    where
        F: Fn(&L::Cols) -> E,
        E: Into<BoolExpr<L>>,
    {
        self.r#where(predicate)
    }

    /// The finished query.
    pub fn build(self) -> RawQuery<L> {
        let left = self.left_col.table_name();
        let mut sql = format!(
            "SELECT \"{left}\".* FROM \"{left}\" JOIN \"{right}\" ON \"{left}\".\"{lcol}\" = \"{right}\".\"{rcol}\"",
            right = self.right_table,
            lcol = self.left_col.column_name(),
            rcol = self.right_col,
        );
        if let Some(e) = &self.where_expr {
            sql.push_str(" WHERE ");
            sql.push_str(&format_expr(e));
        }
        RawQuery::new(sql)
    }
}

impl<R: HasCols, L: HasCols> RightSemiJoin<R, L> {
    /// These rows, narrowed by `predicate` over the right table's columns.
    pub fn r#where<F, E>(self, predicate: F) -> Self
    where
        F: Fn(&R::Cols) -> E,
        E: Into<BoolExpr<R>>,
    {
        let more = predicate(&R::cols(self.right_col.table_name())).into();
        RightSemiJoin { right_where: and_also(self.right_where, more), ..self }
    }

    /// Another name for [`where`](Self::where).
    pub fn filter<F, E>(self, predicate: F) -> Self
    where
        F: Fn(&R::Cols) -> E,
        E: Into<BoolExpr<R>>,
    {
        self.r#where(predicate)
    }

    /// The finished query.
    pub fn build(self) -> RawQuery<R> {
        let (left, right) = (self.left_col.table_name(), self.right_col.table_name());
        let mut sql = format!(
            "SELECT \"{right}\".* FROM \"{left}\" JOIN \"{right}\" ON \"{left}\".\"{lcol}\" = \"{right}\".\"{rcol}\"",
            lcol = self.left_col.column_name(),
            rcol = self.right_col.column_name(),
        );
        let parts = self.left_where.iter().map(format_expr).chain(self.right_where.iter().map(format_expr));
        // Written part by part rather than collected and `join`ed (the library's generic join
        // costs a module more than a kilobyte).
        for (i, part) in parts.enumerate() {
            sql.push_str(if i == 0 { " WHERE " } else { " AND " });
            sql.push_str(&part);
        }
        RawQuery::new(sql)
    }
}

impl<L: HasCols> Query<L> for LeftSemiJoin<L> {
    fn into_sql(self) -> String {
        self.build().into_sql()
    }
}

impl<R: HasCols, L: HasCols> Query<R> for RightSemiJoin<R, L> {
    fn into_sql(self) -> String {
        self.build().into_sql()
    }
}
