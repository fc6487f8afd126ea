//! The rules a table must follow, over the finished [`Table`]: one function per rule, all run by
//! [`check`], each reporting into the [`Ctxt`].

use super::model::{Algo, RowShape, Table, MAX_COLUMNS};
use crate::diag::Ctxt;
use crate::generation::Generation;
use crate::util::{is_certainly_not_direct_key, is_certainly_not_integer, is_certainly_not_u64};
use quote::ToTokens;

/// Runs every rule.
pub(crate) fn check(cx: &Ctxt, t: &Table) {
    struct_shape(cx, t);
    no_generics(cx, t);
    name_present(cx, t);
    table_name(cx, t);
    column_count(cx, t);
    column_names(cx, t);
    single_primary_key(cx, t);
    auto_inc_types(cx, t);
    index_columns_once(cx, t);
    direct_indexes(cx, t);
    distinct_accessors(cx, t);
    schedule_at_column(cx, t);
    schedule_primary_key(cx, t);
    defaults(cx, t);
}

/// 2.x: a column with a default value cannot be `#[auto_inc]`, `#[unique]` or `#[primary_key]`.
fn defaults(cx: &Ctxt, t: &Table) {
    for c in &t.columns {
        if let Some((expr, _)) = &c.attrs.default {
            if c.attrs.auto_inc.is_some() || c.is_unique() {
                cx.error_spanned_by(
                    expr,
                    format_args!(
                        "column `{}` cannot have a default value: it is `#[auto_inc]`, `#[unique]` or `#[primary_key]`; remove `#[default(…)]` or those attributes",
                        c.ident
                    ),
                );
            }
        }
    }
}

/// A table row is a struct with named fields: columns are named after the fields.
fn struct_shape(cx: &Ctxt, t: &Table) {
    const HINT: &str = "e.g. `struct Player { id: u64, name: String }`";
    match &t.shape {
        RowShape::Named => {}
        RowShape::Tuple(fields) => cx.error_spanned_by(
            fields,
            format_args!("a table's columns are named after its fields; use named fields, {HINT}"),
        ),
        RowShape::Unit => {
            cx.error_spanned_by(&t.row, format_args!("a table needs columns; give the struct named fields, {HINT}"))
        }
        RowShape::Enum(span) => {
            cx.error_at(*span, format_args!("`#[table]` goes on a struct with named fields, not an enum; {HINT}"))
        }
        RowShape::Union(span) => {
            cx.error_at(*span, format_args!("`#[table]` goes on a struct with named fields, not a union; {HINT}"))
        }
    }
}

/// Each table has one concrete row type, so the struct cannot be generic.
fn no_generics(cx: &Ctxt, t: &Table) {
    if !t.generics.params.is_empty() {
        cx.error_spanned_by(&t.generics, "a table's row struct cannot have generic parameters; use concrete types");
    }
}

/// `name = …` is required in 1.x, `accessor = …` in 2.x (where a `name` without `accessor` is
/// reported by the parser, with a migration hint).
fn name_present(cx: &Ctxt, t: &Table) {
    if t.generation == Generation::V2 {
        if t.name.is_none() && t.canonical.is_none() {
            cx.error_at(
                proc_macro2::Span::call_site(),
                format_args!(
                    "missing table accessor: a 2.x table needs `accessor = …`, its Rust name, e.g. `#[table(accessor = {})]`",
                    snake_case(&t.row.to_string())
                ),
            );
        }
        return;
    }
    if t.name.is_none() {
        cx.error_at(
            proc_macro2::Span::call_site(),
            format_args!(
                "missing table name: add `name = …`, e.g. `#[table(name = {})]`",
                snake_case(&t.row.to_string())
            ),
        );
    }
}

/// `PlayerState` → `player_state`, for the example in the missing-name error.
fn snake_case(s: &str) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// The host reserves table names starting with `st_` for system tables.
fn table_name(cx: &Ctxt, t: &Table) {
    if let Some(name) = t.name.as_ref().filter(|n| n.name.starts_with("st_")) {
        cx.error_spanned_by(
            &name.ident,
            "table names starting with `st_` are reserved for system tables; rename the table",
        );
    }
}

/// Column positions are `u16`.
fn column_count(cx: &Ctxt, t: &Table) {
    if t.field_count > MAX_COLUMNS {
        cx.error_spanned_by(
            &t.row,
            format_args!("a table can have at most {MAX_COLUMNS} columns; this one has {}", t.field_count),
        );
    }
}

/// Column names come from the fields' `to_string()`, which keeps a raw ident's `r#` (as
/// officially); the host then rejects the name, so say so here.
fn column_names(cx: &Ctxt, t: &Table) {
    for c in t.columns.iter().filter(|c| c.name.starts_with("r#")) {
        cx.error_spanned_by(
            &c.ident,
            format_args!(
                "the column would be named `{}` in the database, which is not a valid identifier; rename the field",
                c.name
            ),
        );
    }
}

/// At most one `#[primary_key]`.
fn single_primary_key(cx: &Ctxt, t: &Table) {
    let Some(first) = t.pk.map(|pos| t.column(pos)) else { return };
    for c in t.columns.iter().filter(|c| c.pos != first.pos) {
        if let Some(span) = c.attrs.primary_key {
            cx.error_at(
                span,
                format_args!(
                    "a table has at most one `#[primary_key]`; `{}` is already the primary key (use `#[unique]` here)",
                    first.ident
                ),
            );
        }
    }
}

/// `#[auto_inc]` needs an integer column; types that are obviously not integers are reported
/// here, the rest by the `SequenceValue` assertion.
fn auto_inc_types(cx: &Ctxt, t: &Table) {
    for c in t.columns.iter().filter(|c| c.attrs.auto_inc.is_some() && is_certainly_not_integer(&c.ty)) {
        cx.error_spanned_by(
            &c.ty,
            format_args!(
                "`#[auto_inc]` needs an integer column (u8…u128, i8…i128), but `{}` has type `{}`",
                c.ident,
                c.ty.to_token_stream()
            ),
        );
    }
}

/// An index lists each of its columns once. (Unknown columns are reported while the model is
/// built: such an index cannot be built at all.)
fn index_columns_once(cx: &Ctxt, t: &Table) {
    for ix in &t.indexes {
        for (i, (&pos, ident)) in ix.columns.iter().zip(&ix.written).enumerate() {
            if ix.columns[..i].contains(&pos) {
                cx.error_spanned_by(ident, format_args!("column `{ident}` appears twice in this index"));
            }
        }
    }
}

/// A direct index must be the index of a unique column (as officially), and its column must
/// be `u8`/`u16`/`u32`/`u64` or a plain enum; obviously wrong types are reported here, the
/// rest by the `DirectIndexKey` assertion.
fn direct_indexes(cx: &Ctxt, t: &Table) {
    for ix in t.indexes.iter().filter(|ix| ix.algo == Algo::Direct) {
        let col = t.column(ix.columns[0]);
        if !ix.unique {
            cx.error_spanned_by(
                &ix.accessor,
                format_args!(
                    "a direct index must be on a unique column: add `#[unique]` (or `#[primary_key]`) to `{}`, or use a btree index",
                    col.ident
                ),
            );
        }
        if is_certainly_not_direct_key(&col.ty) {
            cx.error_spanned_by(
                &col.ty,
                format_args!(
                    "a direct index needs a `u8`, `u16`, `u32`, `u64` or payload-free enum column, but `{}` has type `{}`; use a btree index",
                    col.ident,
                    col.ty.to_token_stream()
                ),
            );
        }
    }
}

/// Accessor names must be distinct: they name methods of the table handle and index marker
/// types (a unique column's accessor method is named after the column).
fn distinct_accessors(cx: &Ctxt, t: &Table) {
    let mut seen: Vec<String> = Vec::new();
    let mut methods: Vec<String> = Vec::new();
    for ix in &t.indexes {
        let acc = ix.accessor.to_string();
        if seen.contains(&acc) {
            cx.error_spanned_by(
                &ix.accessor,
                format_args!("an index named `{acc}` is already declared on this table; rename one"),
            );
            continue;
        }
        seen.push(acc.clone());
        let method = if ix.unique { t.column(ix.columns[0]).ident.to_string() } else { acc };
        if methods.contains(&method) {
            cx.error_spanned_by(
                &ix.accessor,
                format_args!("the accessor `{method}` would be generated twice (a unique column and an index share the name); rename the index"),
            );
        }
        methods.push(method);
    }
}

/// A scheduled table needs a `ScheduleAt` column: `scheduled_at` unless `at = …` names another
/// (a name that resolves to nothing was reported while the model was built).
fn schedule_at_column(cx: &Ctxt, t: &Table) {
    if let Some(s) = t.schedule.as_ref().filter(|s| s.at.is_none() && !s.at_named) {
        cx.error_at(
            s.span,
            "a scheduled table needs a `scheduled_at: ScheduleAt` column; add it, or name another `ScheduleAt` column with `scheduled(my_reducer, at = my_column)`",
        );
    }
}

/// A scheduled table needs a `u64` primary key.
fn schedule_primary_key(cx: &Ctxt, t: &Table) {
    let Some(s) = &t.schedule else { return };
    match t.pk.map(|pk| t.column(pk)) {
        None => cx.error_at(
            s.span,
            "a scheduled table needs a `u64` primary key; add `#[primary_key] #[auto_inc] scheduled_id: u64`",
        ),
        Some(c) if is_certainly_not_u64(&c.ty) => cx.error_spanned_by(
            &c.ty,
            format_args!(
                "the primary key of a scheduled table must be `u64`, but `{}` has type `{}`",
                c.ident,
                c.ty.to_token_stream()
            ),
        ),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Ctxt;
    use crate::table::model::Table;
    use crate::table::parse::table_args;
    use proc_macro2::TokenStream;
    use quote::quote;
    use syn::parse_quote;

    fn errors(args: TokenStream, input: syn::DeriveInput) -> Vec<String> {
        let cx = Ctxt::new();
        let a = table_args(&cx, args);
        super::check(&cx, &Table::from_input(&cx, &input, a));
        cx.into_messages()
    }

    #[test]
    fn shapes() {
        assert_eq!(
            errors(quote!(name = t), parse_quote!(struct T(u32);)),
            ["a table's columns are named after its fields; use named fields, e.g. `struct Player { id: u64, name: String }`"]
        );
        assert_eq!(
            errors(
                quote!(name = t),
                parse_quote!(
                    struct T;
                )
            ),
            ["a table needs columns; give the struct named fields, e.g. `struct Player { id: u64, name: String }`"]
        );
        assert_eq!(
            errors(quote!(name = t), parse_quote!(enum T { A })),
            ["`#[table]` goes on a struct with named fields, not an enum; e.g. `struct Player { id: u64, name: String }`"]
        );
        assert_eq!(
            errors(quote!(name = t), parse_quote!(union T { a: u8 })),
            ["`#[table]` goes on a struct with named fields, not a union; e.g. `struct Player { id: u64, name: String }`"]
        );
        assert_eq!(
            errors(
                quote!(name = t),
                parse_quote!(
                    struct T<X> {
                        a: X,
                    }
                )
            ),
            ["a table's row struct cannot have generic parameters; use concrete types"]
        );
        assert_eq!(
            errors(
                quote!(public),
                parse_quote!(
                    struct PlayerState {
                        a: u8,
                    }
                )
            ),
            ["missing table name: add `name = …`, e.g. `#[table(name = player_state)]`"]
        );
        assert_eq!(
            errors(
                quote!(name = st_things),
                parse_quote!(
                    struct T {
                        a: u8,
                    }
                )
            ),
            ["table names starting with `st_` are reserved for system tables; rename the table"]
        );
        assert_eq!(
            errors(
                quote!(name = t),
                parse_quote!(
                    struct T {
                        r#type: u8,
                    }
                )
            ),
            ["the column would be named `r#type` in the database, which is not a valid identifier; rename the field"]
        );
    }

    #[test]
    fn column_rules() {
        assert_eq!(
            errors(
                quote!(name = t),
                parse_quote!(
                    struct T {
                        #[primary_key]
                        a: u64,
                        #[primary_key]
                        b: u64,
                        #[auto_inc]
                        c: String,
                        #[auto_inc]
                        d: MyInt,
                        // Floats may be unique or indexed: the server keeps float index keys in
                        // total order (IEEE total order), and the official SDK accepts them.
                        #[unique]
                        e: f64,
                        #[index(btree)]
                        f: f32,
                    }
                )
            ),
            [
                "a table has at most one `#[primary_key]`; `a` is already the primary key (use `#[unique]` here)",
                "`#[auto_inc]` needs an integer column (u8…u128, i8…i128), but `c` has type `String`",
            ]
        );
    }

    #[test]
    fn index_rules() {
        assert_eq!(
            errors(
                quote!(
                    name = t,
                    index(name = i0, btree(columns = [a, nope])),
                    index(name = i2, btree(columns = [a, b, a])),
                    index(name = i3, direct(column = [b])),
                    index(name = i4, direct(column = [s])),
                    index(name = i1, btree(columns = [b])),
                    index(name = i1, btree(columns = [s])),
                    index(name = a, btree(columns = [b, a]))
                ),
                parse_quote!(struct T { #[unique] a: u32, b: i32, #[unique] s: String, #[unique] #[index(direct)] d: i64 })
            ),
            [
                "no column named `nope` in this table; the columns are: a, b, s, d",
                "column `a` appears twice in this index",
                "a direct index needs a `u8`, `u16`, `u32`, `u64` or payload-free enum column, but `s` has type `String`; use a btree index",
                "a direct index needs a `u8`, `u16`, `u32`, `u64` or payload-free enum column, but `d` has type `i64`; use a btree index",
                "a direct index must be on a unique column: add `#[unique]` (or `#[primary_key]`) to `b`, or use a btree index",
                "a direct index needs a `u8`, `u16`, `u32`, `u64` or payload-free enum column, but `b` has type `i32`; use a btree index",
                "an index named `i1` is already declared on this table; rename one",
                "an index named `a` is already declared on this table; rename one",
            ]
        );
        assert_eq!(
            errors(
                quote!(name = t, index(name = by_u, btree(columns = [u])), index(name = u, btree(columns = [b]))),
                parse_quote!(struct T { #[unique] u: u32, b: u32 })
            ),
            ["the accessor `u` would be generated twice (a unique column and an index share the name); rename the index"]
        );
    }

    #[test]
    fn schedule_rules() {
        assert_eq!(
            errors(quote!(name = t, scheduled(tick)), parse_quote!(struct T { x: u8 })),
            [
                "a scheduled table needs a `scheduled_at: ScheduleAt` column; add it, or name another `ScheduleAt` column with `scheduled(my_reducer, at = my_column)`",
                "a scheduled table needs a `u64` primary key; add `#[primary_key] #[auto_inc] scheduled_id: u64`",
            ]
        );
        assert_eq!(
            errors(
                quote!(name = t, scheduled(tick, at = when)),
                parse_quote!(
                    struct T {
                        #[primary_key]
                        id: u32,
                        at: ScheduleAt,
                    }
                )
            ),
            [
                "no column named `when` in this table; the columns are: id, at",
                "the primary key of a scheduled table must be `u64`, but `id` has type `u32`",
            ]
        );
    }
}
