//! One function per rule a table must follow; each reports into the [`Ctxt`].

use super::model::Schedule;
use super::model::{Algo, Column, Index};
use super::parse::{ScheduledArg, TableArgs};
use crate::diag::Ctxt;
use crate::util::{is_certainly_not_direct_key, is_certainly_not_integer, is_certainly_not_u64, is_float};
use quote::ToTokens;

/// The most columns a table can have (column positions are `u16`), as officially.
pub(crate) const MAX_COLUMNS: usize = u16::MAX as usize;

/// A table row is a struct with named fields: columns are named after the fields.
pub(crate) fn struct_shape<'a>(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<&'a syn::FieldsNamed> {
    const HINT: &str = "e.g. `struct Player { id: u64, name: String }`";
    match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(named) => Some(named),
            syn::Fields::Unnamed(f) => {
                cx.error_spanned_by(
                    f,
                    format_args!("a table's columns are named after its fields; use named fields, {HINT}"),
                );
                None
            }
            syn::Fields::Unit => {
                cx.error_spanned_by(
                    &input.ident,
                    format_args!("a table needs columns; give the struct named fields, {HINT}"),
                );
                None
            }
        },
        syn::Data::Enum(e) => {
            cx.error_at(
                e.enum_token.span,
                format_args!("`#[table]` goes on a struct with named fields, not an enum; {HINT}"),
            );
            None
        }
        syn::Data::Union(u) => {
            cx.error_at(
                u.union_token.span,
                format_args!("`#[table]` goes on a struct with named fields, not a union; {HINT}"),
            );
            None
        }
    }
}

/// Each table has one concrete row type, so the struct cannot be generic.
pub(crate) fn no_generics(cx: &Ctxt, generics: &syn::Generics) {
    if !generics.params.is_empty() {
        cx.error_spanned_by(generics, "a table's row struct cannot have generic parameters; use concrete types");
    }
}

/// `name = …` is required in 1.x.
pub(crate) fn name_present(cx: &Ctxt, args: &TableArgs, row: &syn::Ident) -> Option<syn::Ident> {
    if args.name.is_none() {
        cx.error_at(
            proc_macro2::Span::call_site(),
            format_args!(
                "missing table name: add `name = …`, e.g. `#[table(name = {})]`",
                snake_case(&row.to_string())
            ),
        );
    }
    args.name.clone()
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
pub(crate) fn table_name(cx: &Ctxt, name: &str, ident: &syn::Ident) {
    if name.starts_with("st_") {
        cx.error_spanned_by(ident, "table names starting with `st_` are reserved for system tables; rename the table");
    }
}

/// Column positions are `u16`.
pub(crate) fn column_count(cx: &Ctxt, row: &syn::Ident, n: usize) -> Option<()> {
    if n > MAX_COLUMNS {
        cx.error_spanned_by(row, format_args!("a table can have at most {MAX_COLUMNS} columns; this one has {n}"));
        return None;
    }
    Some(())
}

/// Column names come from the fields' `to_string()`, which keeps a raw ident's `r#` (as
/// officially); the host then rejects the name, so say so here.
pub(crate) fn column_names(cx: &Ctxt, columns: &[Column]) {
    for c in columns.iter().filter(|c| c.name.starts_with("r#")) {
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
pub(crate) fn single_primary_key(cx: &Ctxt, columns: &[Column]) -> Option<u16> {
    let mut pks = columns.iter().filter_map(|c| c.attrs.primary_key.map(|s| (c, s)));
    let (first, _) = pks.next()?;
    for (_, span) in pks {
        cx.error_at(
            span,
            format_args!(
                "a table has at most one `#[primary_key]`; `{}` is already the primary key (use `#[unique]` here)",
                first.ident
            ),
        );
    }
    Some(first.pos)
}

/// `#[auto_inc]` needs an integer column; types that are obviously not integers are reported
/// here, the rest by the `SequenceValue` assertion.
pub(crate) fn auto_inc_types(cx: &Ctxt, columns: &[Column]) {
    for c in columns.iter().filter(|c| c.attrs.auto_inc.is_some() && is_certainly_not_integer(&c.ty)) {
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

/// Floats have no total order: they cannot be unique, a primary key, or in an index.
pub(crate) fn float_keys(cx: &Ctxt, columns: &[Column], indexes: &[Index]) {
    for c in columns.iter().filter(|c| is_float(&c.ty)) {
        if c.is_unique() || indexes.iter().any(|ix| ix.columns.contains(&c.pos)) {
            cx.error_spanned_by(
                &c.ty,
                format_args!(
                    "`{}` is `{}`: floating-point columns cannot be unique, a primary key or indexed; use an integer or a fixed-point representation",
                    c.ident,
                    c.ty.to_token_stream()
                ),
            );
        }
    }
}

/// Index columns must exist and appear once each. Returns their positions.
pub(crate) fn index_columns(cx: &Ctxt, idents: &[syn::Ident], columns: &[Column]) -> Option<Vec<u16>> {
    let mut out: Vec<u16> = Vec::new();
    let mut ok = true;
    for ident in idents {
        match columns.iter().find(|c| c.ident == *ident) {
            Some(c) if out.contains(&c.pos) => {
                cx.error_spanned_by(ident, format_args!("column `{ident}` appears twice in this index"));
                ok = false;
            }
            Some(c) => out.push(c.pos),
            None => {
                cx.error_spanned_by(ident, no_such_column(ident, columns));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn no_such_column(ident: &syn::Ident, columns: &[Column]) -> String {
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    format!("no column named `{ident}` in this table; the columns are: {}", names.join(", "))
}

/// A direct index must be the index of a unique column (as officially), and its column must
/// be `u8`/`u16`/`u32`/`u64` or a plain enum; obviously wrong types are reported here, the
/// rest by the `DirectIndexKey` assertion.
pub(crate) fn direct_indexes(cx: &Ctxt, indexes: &[Index], columns: &[Column]) {
    for ix in indexes.iter().filter(|ix| ix.algo == Algo::Direct) {
        let col = &columns[ix.columns[0] as usize];
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
pub(crate) fn distinct_accessors(cx: &Ctxt, indexes: &[Index], columns: &[Column]) {
    let mut seen: Vec<String> = Vec::new();
    let mut methods: Vec<String> = Vec::new();
    for ix in indexes {
        let acc = ix.accessor.to_string();
        if seen.contains(&acc) {
            cx.error_spanned_by(
                &ix.accessor,
                format_args!("an index named `{acc}` is already declared on this table; rename one"),
            );
            continue;
        }
        seen.push(acc.clone());
        let method = if ix.unique { columns[ix.columns[0] as usize].ident.to_string() } else { acc };
        if methods.contains(&method) {
            cx.error_spanned_by(
                &ix.accessor,
                format_args!("the accessor `{method}` would be generated twice (a unique column and an index share the name); rename the index"),
            );
        }
        methods.push(method);
    }
}

/// A scheduled table needs a `u64` primary key and a `ScheduleAt` column (`scheduled_at` unless
/// `at = …` names another).
pub(crate) fn schedule(cx: &Ctxt, arg: &ScheduledArg, columns: &[Column], pk: Option<u16>) -> Option<Schedule> {
    let at = match &arg.at {
        Some(ident) => match columns.iter().find(|c| c.ident == *ident) {
            Some(c) => Some(c.pos),
            None => {
                cx.error_spanned_by(ident, no_such_column(ident, columns));
                None
            }
        },
        None => {
            let found = columns.iter().find(|c| c.ident == "scheduled_at").map(|c| c.pos);
            if found.is_none() {
                cx.error_at(
                    arg.span,
                    "a scheduled table needs a `scheduled_at: ScheduleAt` column; add it, or name another `ScheduleAt` column with `scheduled(my_reducer, at = my_column)`",
                );
            }
            found
        }
    };
    match pk {
        None => cx.error_at(
            arg.span,
            "a scheduled table needs a `u64` primary key; add `#[primary_key] #[auto_inc] scheduled_id: u64`",
        ),
        Some(pk) => {
            let c = &columns[pk as usize];
            if is_certainly_not_u64(&c.ty) {
                cx.error_spanned_by(
                    &c.ty,
                    format_args!(
                        "the primary key of a scheduled table must be `u64`, but `{}` has type `{}`",
                        c.ident,
                        c.ty.to_token_stream()
                    ),
                );
            }
        }
    }
    Some(Schedule { reducer: arg.reducer.clone(), at: at?, pk: pk? })
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
        let _ = Table::build(&cx, &input, a);
        cx.messages()
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
                parse_quote!(struct T {
                    #[primary_key] a: u64,
                    #[primary_key] b: u64,
                    #[auto_inc] c: String,
                    #[auto_inc] d: MyInt,
                    #[unique] e: f64,
                    #[index(btree)] f: f32,
                })
            ),
            [
                "a table has at most one `#[primary_key]`; `a` is already the primary key (use `#[unique]` here)",
                "`#[auto_inc]` needs an integer column (u8…u128, i8…i128), but `c` has type `String`",
                "`e` is `f64`: floating-point columns cannot be unique, a primary key or indexed; use an integer or a fixed-point representation",
                "`f` is `f32`: floating-point columns cannot be unique, a primary key or indexed; use an integer or a fixed-point representation",
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
