//! Predicates over a table's columns, and how values are written in them.

use super::table::{Col, ColumnRef};
use crate::{i256, u256, ConnectionId, Identity, Timestamp};
use std::fmt;

/// One side of a comparison: a column, or a value already written as SQL.
pub enum Operand<T> {
    /// A column of table `T`.
    Column(ColumnRef<T>),
    /// A value, as SQL text.
    Literal(LiteralValue),
}

impl<T> fmt::Debug for Operand<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Column(c) => f.debug_tuple("Column").field(c).finish(),
            Operand::Literal(l) => f.debug_tuple("Literal").field(l).finish(),
        }
    }
}

/// A predicate over the rows of table `T`: comparisons combined with `and`, `or` and `not`.
pub enum BoolExpr<T> {
    /// `l = r`
    Eq(Operand<T>, Operand<T>),
    /// `l <> r`
    Ne(Operand<T>, Operand<T>),
    /// `l > r`
    Gt(Operand<T>, Operand<T>),
    /// `l < r`
    Lt(Operand<T>, Operand<T>),
    /// `l >= r`
    Gte(Operand<T>, Operand<T>),
    /// `l <= r`
    Lte(Operand<T>, Operand<T>),
    /// Both hold.
    And(Box<BoolExpr<T>>, Box<BoolExpr<T>>),
    /// Either holds.
    Or(Box<BoolExpr<T>>, Box<BoolExpr<T>>),
    /// Does not hold.
    Not(Box<BoolExpr<T>>),
}

impl<T> fmt::Debug for BoolExpr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_expr(self))
    }
}

impl<T> BoolExpr<T> {
    /// This predicate and `other`.
    pub fn and(self, other: BoolExpr<T>) -> BoolExpr<T> {
        BoolExpr::And(Box::new(self), Box::new(other))
    }

    /// This predicate or `other`.
    pub fn or(self, other: BoolExpr<T>) -> BoolExpr<T> {
        BoolExpr::Or(Box::new(self), Box::new(other))
    }

    /// The negation of this predicate.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> BoolExpr<T> {
        BoolExpr::Not(Box::new(self))
    }
}

/// A `bool` column is a predicate by itself: `|p| p.online` means `p.online = TRUE`.
impl<T> From<Col<T, bool>> for BoolExpr<T> {
    fn from(col: Col<T, bool>) -> Self {
        col.eq(true)
    }
}

/// A constant predicate: `true` keeps every row, `false` none.
impl<T> From<bool> for BoolExpr<T> {
    fn from(value: bool) -> Self {
        let text = if value { "TRUE" } else { "FALSE" };
        BoolExpr::Eq(
            Operand::Literal(LiteralValue::new(text.into())),
            Operand::Literal(LiteralValue::new("TRUE".into())),
        )
    }
}

/// What a column of type `V` in table `T` may be compared with: another column of the same type,
/// or a value of that type, which is written as
///
/// * integers (`i8` … `i128`, `u8` … `u128`, `usize`, [`i256`], [`u256`]) and floats in decimal
///   (an `f32` is widened to `f64` first);
/// * `bool` as `TRUE` / `FALSE`;
/// * `String` and `&str` in single quotes, a quote inside doubled (`'it''s'`);
/// * [`Identity`] and [`ConnectionId`] as `0x` and their hex digits;
/// * [`Timestamp`] in single quotes, in RFC 3339 (`'1970-01-01T00:00:00.001+00:00'`);
/// * `Vec<u8>` as `0x` and two lower-case hex digits per byte.
pub trait RHS<T, V> {
    /// The operand.
    fn to_expr(self) -> Operand<T>;
}

impl<T, V> RHS<T, V> for Col<T, V> {
    fn to_expr(self) -> Operand<T> {
        Operand::Column(self.column_ref())
    }
}

/// Writes a predicate as SQL: every comparison and combination in its own parentheses.
pub fn format_expr<T>(expr: &BoolExpr<T>) -> String {
    let cmp = |l: &Operand<T>, op: &str, r: &Operand<T>| format!("({} {op} {})", operand(l), operand(r));
    match expr {
        BoolExpr::Eq(l, r) => cmp(l, "=", r),
        BoolExpr::Ne(l, r) => cmp(l, "<>", r),
        BoolExpr::Gt(l, r) => cmp(l, ">", r),
        BoolExpr::Lt(l, r) => cmp(l, "<", r),
        BoolExpr::Gte(l, r) => cmp(l, ">=", r),
        BoolExpr::Lte(l, r) => cmp(l, "<=", r),
        BoolExpr::And(a, b) => format!("({} AND {})", format_expr(a), format_expr(b)),
        BoolExpr::Or(a, b) => format!("({} OR {})", format_expr(a), format_expr(b)),
        BoolExpr::Not(e) => format!("(NOT {})", format_expr(e)),
    }
}

fn operand<T>(o: &Operand<T>) -> String {
    match o {
        Operand::Column(c) => c.sql(),
        Operand::Literal(l) => l.0.clone(),
    }
}

/// A value written as SQL text.
#[derive(Clone, Debug)]
pub struct LiteralValue(String);

impl LiteralValue {
    /// The value whose SQL text is `sql` (taken as it is).
    pub fn new(sql: String) -> Self {
        LiteralValue(sql)
    }
}

macro_rules! rhs_value {
    ($($ty:ty => |$v:ident| $sql:expr;)*) => {$(
        impl<T> RHS<T, $ty> for $ty {
            fn to_expr(self) -> Operand<T> {
                let $v = self;
                Operand::Literal(LiteralValue($sql))
            }
        }
    )*};
}

fn quoted(text: &str) -> String {
    // Each `'` doubled, by hand: `str::replace` with its pattern searcher costs a module most of
    // a kilobyte. `'` is ASCII, so every cut is at a char boundary.
    let mut sql = String::with_capacity(text.len() + 2);
    sql.push('\'');
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| b == b'\'') {
        sql.push_str(rest.get(..=at).unwrap_or_default());
        sql.push('\'');
        rest = rest.get(at + 1..).unwrap_or_default();
    }
    sql.push_str(rest);
    sql.push('\'');
    sql
}

rhs_value! {
    String => |v| quoted(&v);
    &str => |v| quoted(v);
    i8 => |v| v.to_string();
    i16 => |v| v.to_string();
    i32 => |v| v.to_string();
    i64 => |v| v.to_string();
    i128 => |v| v.to_string();
    u8 => |v| v.to_string();
    u16 => |v| v.to_string();
    u32 => |v| v.to_string();
    u64 => |v| v.to_string();
    u128 => |v| v.to_string();
    usize => |v| v.to_string();
    u256 => |v| v.to_string();
    i256 => |v| v.to_string();
    f32 => |v| f64::from(v).to_string();
    f64 => |v| v.to_string();
    bool => |v| (if v { "TRUE" } else { "FALSE" }).to_string();
    Identity => |v| format!("0x{}", v.to_hex());
    ConnectionId => |v| format!("0x{}", v.to_hex());
    Timestamp => |v| format!("'{v}'");
    Vec<u8> => |v| {
        let mut s = String::with_capacity(2 + 2 * v.len());
        s.push_str("0x");
        for b in v {
            s.push_str(&format!("{b:02x}"));
        }
        s
    };
}
