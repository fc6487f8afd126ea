//! `#[table(...)]` arguments and the column attributes, parsed into typed structs with spans.

use crate::diag::Ctxt;
use crate::generation::Generation;
use crate::sats::parse::skip_option_value;
use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;

/// `public` or `private`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Visible to clients.
    Public,
    /// Visible to the module (and the owner) only; the default.
    Private,
}

/// An index algorithm as written.
#[derive(Clone)]
pub(crate) enum AlgoArg {
    /// `btree(columns = [a, b])`
    BTree(Vec<syn::Ident>),
    /// `direct(column = [a])` or `direct(column = a)`
    Direct(syn::Ident),
    /// `hash(columns = [a, b])` (2.x)
    Hash(Vec<syn::Ident>),
}

/// A table-level `index(name = …, …)`, or a column's `#[index(…)]` (named after the column).
#[derive(Clone)]
pub(crate) struct IndexArg {
    /// The accessor name.
    pub accessor: syn::Ident,
    /// The algorithm and its columns.
    pub algo: AlgoArg,
    /// `name = "canonical"` (2.x): the index's canonical name.
    pub canonical: Option<syn::LitStr>,
}

/// `scheduled(reducer, at = column)`.
#[derive(Clone)]
pub(crate) struct ScheduledArg {
    /// Where `scheduled` was written.
    pub span: Span,
    /// The reducer (its marker type).
    pub reducer: syn::Path,
    /// The at-column, if given.
    pub at: Option<syn::Ident>,
}

/// The parsed `#[table(...)]` arguments.
#[derive(Default)]
pub(crate) struct TableArgs {
    /// `name = ident` (required).
    pub name: Option<syn::Ident>,
    /// `public` / `private`.
    pub access: Option<(Access, Span)>,
    /// Table-level indexes, in declaration order.
    pub indexes: Vec<IndexArg>,
    /// `scheduled(...)`.
    pub scheduled: Option<ScheduledArg>,
    /// 2.x: `name = "canonical"`, the table's canonical name (`name` above holds the accessor).
    pub canonical: Option<syn::LitStr>,
    /// 2.x: `event`.
    pub event: Option<Span>,
}

/// The accepted 2.x table options, for error messages.
const TABLE_OPTIONS_V2: &str = "`accessor = my_table`, `name = \"canonical_name\"`, `public`, `private`, `event`, `index(accessor = …, btree(columns = […]))`, `index(accessor = …, hash(columns = […]))`, `index(accessor = …, direct(column = …))` or `scheduled(my_reducer)`";

/// Parses `#[table(...)]`'s arguments in the syntax of `generation`.
pub(crate) fn table_args_in(cx: &Ctxt, args: TokenStream, generation: Generation) -> TableArgs {
    match generation {
        Generation::V1 => table_args(cx, args),
        Generation::V2 => table_args_v2(cx, args),
    }
}

/// Parses 2.x `#[table(...)]` arguments: `accessor` (required) names the Rust side, `name` is the
/// optional canonical name, as a string.
fn table_args_v2(cx: &Ctxt, args: TokenStream) -> TableArgs {
    let mut out = TableArgs::default();
    let mut accessor_seen = false;
    let parser = syn::meta::parser(|meta| {
        let access = if meta.path.is_ident("public") {
            Some(Access::Public)
        } else if meta.path.is_ident("private") {
            Some(Access::Private)
        } else {
            None
        };
        if let Some(access) = access {
            match out.access {
                Some(_) => {
                    cx.error_spanned_by(&meta.path, "the access is already given; use one of `public` or `private`")
                }
                None => out.access = Some((access, meta.path.span())),
            }
        } else if meta.path.is_ident("accessor") {
            let ident: syn::Ident = meta.value()?.parse()?;
            if accessor_seen {
                cx.error_spanned_by(&meta.path, "`accessor` is given more than once; keep one");
            } else {
                accessor_seen = true;
                out.name = Some(ident);
            }
        } else if meta.path.is_ident("name") {
            let value = meta.value()?;
            if value.peek(syn::LitStr) {
                let lit: syn::LitStr = value.parse()?;
                if out.canonical.is_some() {
                    cx.error_spanned_by(&meta.path, "`name` is given more than once; keep one");
                } else {
                    out.canonical = Some(lit);
                }
            } else {
                let ident: syn::Ident = value.parse()?;
                if accessor_seen {
                    cx.error_spanned_by(
                        &ident,
                        format_args!(
                            "in 2.x `name` is the table's canonical name, a string: write `name = \"{ident}\"`"
                        ),
                    );
                } else {
                    // Taken as the accessor it was meant to be, so that one mistake gives one error.
                    out.name = Some(ident.clone());
                    cx.error_spanned_by(
                        &ident,
                        format_args!("in 2.x the Rust name of a table is its `accessor`, and `name` is an optional canonical name (a string): write `accessor = {ident}` (migrating from 1.x: replace `name = {ident}` with `accessor = {ident}`)"),
                    );
                }
            }
        } else if meta.path.is_ident("event") {
            if out.event.is_some() {
                cx.error_spanned_by(&meta.path, "`event` is given more than once; keep one");
            } else {
                out.event = Some(meta.path.span());
            }
        } else if meta.path.is_ident("index") {
            if let Some(index) = index_arg_v2(cx, &meta)? {
                out.indexes.push(index);
            }
        } else if meta.path.is_ident("scheduled") {
            let sched = scheduled_arg(cx, &meta)?;
            if out.scheduled.is_some() {
                cx.error_spanned_by(
                    &meta.path,
                    "`scheduled` is given more than once; a table has one scheduled function",
                );
            } else {
                out.scheduled = sched;
            }
        } else {
            cx.error_spanned_by(&meta.path, format_args!("unknown table option; expected {TABLE_OPTIONS_V2}"));
            skip_option_value(&meta);
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
        return out;
    }
    // Without `accessor` and without `name`, `check::name_present` reports (with an example).
    if let (false, Some(lit)) = (accessor_seen, &out.canonical) {
        cx.error_spanned_by(
            lit,
            format_args!(
                "a 2.x table needs an `accessor` (its Rust name); `name` is only its optional canonical name. Migrating from 1.x? Write `accessor = {}` instead of `name = {:?}`",
                lit.value(),
                lit.value()
            ),
        );
    }
    out
}

/// 2.x `index(accessor = ident, [name = "canonical",] btree(columns = [..]) | hash(columns = [..]) | direct(column = ..))`.
fn index_arg_v2(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<IndexArg>> {
    let mut accessor: Option<syn::Ident> = None;
    let mut canonical: Option<syn::LitStr> = None;
    let mut algo: Option<AlgoArg> = None;
    let mut broken = false;
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            "`index` needs its definition, e.g. `index(accessor = by_level, btree(columns = [level]))`",
        );
        skip_option_value(meta);
        return Ok(None);
    }
    nested(meta, |inner| {
        if inner.path.is_ident("accessor") {
            let ident: syn::Ident = inner.value()?.parse()?;
            if accessor.is_some() {
                cx.error_spanned_by(&inner.path, "`accessor` is given more than once; keep one");
            } else {
                accessor = Some(ident);
            }
        } else if inner.path.is_ident("name") {
            let value = inner.value()?;
            if value.peek(syn::LitStr) {
                canonical = Some(value.parse()?);
            } else {
                let ident: syn::Ident = value.parse()?;
                cx.error_spanned_by(
                    &ident,
                    format_args!("in 2.x an index's Rust name is its `accessor`: write `accessor = {ident}` (`name` takes a string: the index's canonical name)"),
                );
                broken = true;
            }
        } else if inner.path.is_ident("btree") || inner.path.is_ident("direct") || inner.path.is_ident("hash") {
            let parsed = if inner.path.is_ident("btree") {
                btree_columns(cx, &inner)?
            } else if inner.path.is_ident("hash") {
                btree_columns(cx, &inner)?.map(|a| match a {
                    AlgoArg::BTree(c) => AlgoArg::Hash(c),
                    other => other,
                })
            } else {
                direct_column(cx, &inner)?
            };
            match (&algo, parsed) {
                (Some(_), _) => cx.error_spanned_by(
                    &inner.path,
                    "an index has exactly one algorithm; keep one of `btree(…)`, `hash(…)` or `direct(…)`",
                ),
                (None, Some(a)) => algo = Some(a),
                (None, None) => broken = true,
            }
        } else {
            cx.error_spanned_by(
                &inner.path,
                "unknown index option; expected `accessor = my_index`, `name = \"canonical\"`, `btree(columns = [a, b])`, `hash(columns = [a, b])` or `direct(column = a)`",
            );
            skip_option_value(&inner);
        }
        Ok(())
    })?;
    if accessor.is_none() && !broken {
        cx.error_spanned_by(
            &meta.path,
            "this index needs an accessor, e.g. `index(accessor = by_level, btree(columns = [level]))`",
        );
    }
    if algo.is_none() && !broken {
        cx.error_spanned_by(
            &meta.path,
            "this index needs an algorithm: `btree(columns = [a, b])`, `hash(columns = [a, b])` or `direct(column = a)`",
        );
    }
    Ok(accessor.zip(algo).map(|(accessor, algo)| IndexArg { accessor, algo, canonical }))
}

/// The accepted table options, for error messages.
const TABLE_OPTIONS: &str = "`name = my_table`, `public`, `private`, `index(name = …, btree(columns = […]))`, `index(name = …, direct(column = […]))` or `scheduled(my_reducer)`";

/// Parses `#[table(...)]`'s arguments.
pub(crate) fn table_args(cx: &Ctxt, args: TokenStream) -> TableArgs {
    let mut out = TableArgs::default();
    let parser = syn::meta::parser(|meta| {
        let access = if meta.path.is_ident("public") {
            Some(Access::Public)
        } else if meta.path.is_ident("private") {
            Some(Access::Private)
        } else {
            None
        };
        if let Some(access) = access {
            if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                cx.error_spanned_by(&meta.path, "`public` and `private` take no value");
                skip_option_value(&meta);
            }
            match out.access {
                Some((prev, _)) => cx.error_spanned_by(
                    &meta.path,
                    format_args!(
                        "the access is already given (`{}`); use one of `public` or `private`",
                        if prev == Access::Public { "public" } else { "private" }
                    ),
                ),
                None => out.access = Some((access, meta.path.span())),
            }
        } else if meta.path.is_ident("name") {
            let value = meta.value()?;
            if value.peek(syn::LitStr) {
                let lit: syn::LitStr = value.parse()?;
                cx.error_spanned_by(
                    &lit,
                    format_args!("`name` takes an identifier, not a string: `#[table(name = {})]`", lit.value()),
                );
            } else {
                let ident: syn::Ident = value.parse()?;
                if out.name.is_some() {
                    cx.error_spanned_by(&meta.path, "`name` is given more than once; keep one");
                } else {
                    out.name = Some(ident);
                }
            }
        } else if meta.path.is_ident("index") {
            if let Some(index) = index_arg(cx, &meta)? {
                out.indexes.push(index);
            }
        } else if meta.path.is_ident("scheduled") {
            let sched = scheduled_arg(cx, &meta)?;
            if out.scheduled.is_some() {
                cx.error_spanned_by(
                    &meta.path,
                    "`scheduled` is given more than once; a table has one scheduled reducer",
                );
            } else {
                out.scheduled = sched;
            }
        } else if meta.path.is_ident("accessor") || meta.path.is_ident("event") {
            cx.error_spanned_by(
                &meta.path,
                "this is a SpacetimeDB 2.x table option, but this crate uses the 1.x API: a 2.x module enables it in its dependency line, `spacetimedb = { package = \"worldtube\", …, features = [\"v2\"] }`",
            );
            skip_option_value(&meta);
        } else {
            cx.error_spanned_by(&meta.path, format_args!("unknown table option; expected {TABLE_OPTIONS}"));
            skip_option_value(&meta);
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }
    out
}

/// Like `ParseNestedMeta::parse_nested_meta`, but `name()` (empty parentheses) is not a syntax
/// error: the caller reports what is missing.
fn nested(
    meta: &syn::meta::ParseNestedMeta<'_>,
    f: impl FnMut(syn::meta::ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    let content;
    syn::parenthesized!(content in meta.input);
    let tokens: TokenStream = content.parse()?;
    if tokens.is_empty() {
        return Ok(());
    }
    syn::meta::parser(f).parse2(tokens)
}

/// `index(name = ident, btree(columns = [..]) | direct(column = [..]))`.
fn index_arg(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<IndexArg>> {
    let mut accessor: Option<syn::Ident> = None;
    let mut algo: Option<AlgoArg> = None;
    let mut broken = false;
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            "`index` needs its definition, e.g. `index(name = by_level, btree(columns = [level]))`",
        );
        skip_option_value(meta);
        return Ok(None);
    }
    nested(meta, |inner| {
        if inner.path.is_ident("name") {
            let ident: syn::Ident = inner.value()?.parse()?;
            if accessor.is_some() {
                cx.error_spanned_by(&inner.path, "`name` is given more than once; keep one");
            } else {
                accessor = Some(ident);
            }
        } else if inner.path.is_ident("btree") || inner.path.is_ident("direct") {
            let is_btree = inner.path.is_ident("btree");
            let parsed = if is_btree { btree_columns(cx, &inner)? } else { direct_column(cx, &inner)? };
            match (&algo, parsed) {
                (Some(_), _) => cx.error_spanned_by(
                    &inner.path,
                    "an index has exactly one algorithm; remove either `btree(…)` or `direct(…)`",
                ),
                (None, Some(a)) => algo = Some(a),
                (None, None) => broken = true,
            }
        } else {
            cx.error_spanned_by(
                &inner.path,
                "unknown index option; expected `name = my_index`, `btree(columns = [a, b])` or `direct(column = [a])`",
            );
            skip_option_value(&inner);
        }
        Ok(())
    })?;
    if accessor.is_none() {
        cx.error_spanned_by(
            &meta.path,
            "this index needs a name, e.g. `index(name = by_level, btree(columns = [level]))`",
        );
    }
    if algo.is_none() && !broken {
        cx.error_spanned_by(
            &meta.path,
            "this index needs an algorithm: `btree(columns = [a, b])` or `direct(column = [a])`",
        );
    }
    Ok(accessor.zip(algo).map(|(accessor, algo)| IndexArg { accessor, algo, canonical: None }))
}

/// `btree(columns = [a, b, …])`.
fn btree_columns(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<AlgoArg>> {
    let mut columns = None;
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(&meta.path, "`btree` needs its columns: `btree(columns = [a, b])`");
        return Ok(None);
    }
    nested(meta, |inner| {
        if inner.path.is_ident("columns") {
            let value = inner.value()?;
            let content;
            syn::bracketed!(content in value);
            let list = Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated(&content)?;
            if list.is_empty() {
                cx.error_spanned_by(&inner.path, "an index needs at least one column: `columns = [a]`");
            }
            if columns.is_some() {
                cx.error_spanned_by(&inner.path, "`columns` is given more than once; keep one");
            } else if !list.is_empty() {
                columns = Some(list.into_iter().collect::<Vec<_>>());
            }
        } else {
            cx.error_spanned_by(&inner.path, "unknown `btree` option; expected `columns = [a, b, …]`");
            skip_option_value(&inner);
        }
        Ok(())
    })?;
    if columns.is_none() {
        cx.error_spanned_by(&meta.path, "`btree` needs its columns: `btree(columns = [a, b])`");
    }
    Ok(columns.map(AlgoArg::BTree))
}

/// `direct(column = [a])` (1.x syntax) or `direct(column = a)`.
fn direct_column(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<AlgoArg>> {
    let mut column = None;
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(&meta.path, "`direct` needs its column: `direct(column = [a])`");
        return Ok(None);
    }
    nested(meta, |inner| {
        if inner.path.is_ident("column") {
            let value = inner.value()?;
            let ident = if value.peek(syn::token::Bracket) {
                let content;
                let brackets = syn::bracketed!(content in value);
                let list = Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated(&content)?;
                if list.len() != 1 {
                    cx.error_at(brackets.span.join(), "a direct index has exactly one column: `column = [a]`");
                }
                list.into_iter().next()
            } else {
                Some(value.parse::<syn::Ident>()?)
            };
            if column.is_some() {
                cx.error_spanned_by(&inner.path, "`column` is given more than once; keep one");
            } else {
                column = ident;
            }
        } else {
            cx.error_spanned_by(&inner.path, "unknown `direct` option; expected `column = [a]`");
            skip_option_value(&inner);
        }
        Ok(())
    })?;
    if column.is_none() {
        cx.error_spanned_by(&meta.path, "`direct` needs its column: `direct(column = [a])`");
    }
    Ok(column.map(AlgoArg::Direct))
}

/// `scheduled(reducer)` / `scheduled(reducer, at = column)`.
fn scheduled_arg(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<ScheduledArg>> {
    let span = meta.path.span();
    let mut reducer: Option<syn::Path> = None;
    let mut at: Option<syn::Ident> = None;
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(&meta.path, "`scheduled` needs the reducer to call: `scheduled(my_reducer)`");
        skip_option_value(meta);
        return Ok(None);
    }
    nested(meta, |inner| {
        if inner.input.peek(syn::Token![=]) || inner.input.peek(syn::token::Paren) {
            if inner.path.is_ident("at") {
                let ident: syn::Ident = inner.value()?.parse()?;
                if at.is_some() {
                    cx.error_spanned_by(&inner.path, "`at` is given more than once; keep one");
                } else {
                    at = Some(ident);
                }
            } else {
                cx.error_spanned_by(
                    &inner.path,
                    "unknown `scheduled` option; expected the reducer and optionally `at = column`",
                );
                skip_option_value(&inner);
            }
        } else if reducer.is_some() {
            cx.error_spanned_by(&inner.path, "a table has one scheduled reducer; remove this one");
        } else {
            reducer = Some(inner.path.clone());
        }
        Ok(())
    })?;
    if reducer.is_none() {
        cx.error_spanned_by(&meta.path, "`scheduled` needs the reducer to call: `scheduled(my_reducer)`");
    }
    Ok(reducer.map(|reducer| ScheduledArg { span, reducer, at }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn args(ts: TokenStream) -> (TableArgs, Vec<String>) {
        let cx = Ctxt::new();
        let a = table_args(&cx, ts);
        (a, cx.into_messages())
    }

    #[test]
    fn full() {
        let (a, e) = args(quote!(
            name = player,
            public,
            index(name = by_level_name, btree(columns = [level, name])),
            index(name = by_kind, direct(column = [kind])),
            index(name = by_k2, direct(column = kind)),
            scheduled(crate::tick, at = when)
        ));
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(a.name.unwrap().to_string(), "player");
        assert_eq!(a.access.unwrap().0, Access::Public);
        assert_eq!(a.indexes.len(), 3);
        assert!(matches!(&a.indexes[0].algo, AlgoArg::BTree(c) if c.len() == 2));
        assert!(matches!(&a.indexes[2].algo, AlgoArg::Direct(c) if c == "kind"));
        let s = a.scheduled.unwrap();
        assert_eq!(s.at.unwrap().to_string(), "when");
    }

    #[test]
    fn errors() {
        let (_, e) = args(quote!(
            name = "player",
            public,
            private,
            frob,
            name = a,
            name = b,
            index(btree(columns = [a])),
            index(name = x),
            index(name = y, btree(columns = [a]), direct(column = [a])),
            index(name = z, hash(columns = [a])),
            index(name = w, direct(column = [a, b])),
            scheduled(),
            scheduled(t, at = c, every = d)
        ));
        assert_eq!(
            e,
            [
                "`name` takes an identifier, not a string: `#[table(name = player)]`",
                "the access is already given (`public`); use one of `public` or `private`",
                "unknown table option; expected `name = my_table`, `public`, `private`, `index(name = …, btree(columns = […]))`, `index(name = …, direct(column = […]))` or `scheduled(my_reducer)`",
                "`name` is given more than once; keep one",
                "this index needs a name, e.g. `index(name = by_level, btree(columns = [level]))`",
                "this index needs an algorithm: `btree(columns = [a, b])` or `direct(column = [a])`",
                "an index has exactly one algorithm; remove either `btree(…)` or `direct(…)`",
                "unknown index option; expected `name = my_index`, `btree(columns = [a, b])` or `direct(column = [a])`",
                "this index needs an algorithm: `btree(columns = [a, b])` or `direct(column = [a])`",
                "a direct index has exactly one column: `column = [a]`",
                "`scheduled` needs the reducer to call: `scheduled(my_reducer)`",
                "unknown `scheduled` option; expected the reducer and optionally `at = column`",
            ]
        );
    }
}
