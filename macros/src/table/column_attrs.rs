//! The column attributes (`#[primary_key]`, `#[unique]`, `#[auto_inc]`, `#[index(…)]`) of one
//! field, parsed into a typed struct with spans.

use crate::diag::Ctxt;
use crate::generation::Generation;
use crate::sats::parse::skip_option_value;
use proc_macro2::Span;
use syn::spanned::Spanned;

/// The column attributes found on one field.
#[derive(Default)]
pub(crate) struct ColumnAttrs {
    /// `#[primary_key]`
    pub primary_key: Option<Span>,
    /// `#[unique]`
    pub unique: Option<Span>,
    /// `#[auto_inc]`
    pub auto_inc: Option<Span>,
    /// `#[index(btree)]` / `#[index(direct)]`, with the attribute's span.
    pub indexes: Vec<(bool, Span)>,
    /// 2.x `#[index(hash)]`s (their spans).
    pub hash_indexes: Vec<Span>,
    /// 2.x `#[default(expr)]`: the default value and where the attribute is.
    pub default: Option<(syn::Expr, Span)>,
}

/// Names of the column attributes (stripped by the last `#[table]`).
pub(crate) const COLUMN_ATTRS: &[&str] = &["primary_key", "unique", "auto_inc", "index"];
/// Names of the 2.x column attributes.
pub(crate) const COLUMN_ATTRS_V2: &[&str] = &["primary_key", "unique", "auto_inc", "index", "default"];

/// Parses the column attributes of one field in the syntax of `generation` (2.x adds
/// `#[index(hash)]` and `#[default(expr)]`).
pub(crate) fn column_attrs_in(cx: &Ctxt, attrs: &[syn::Attribute], generation: Generation) -> ColumnAttrs {
    if generation == Generation::V1 {
        return column_attrs(cx, attrs);
    }
    let mut hash = Vec::new();
    let mut default = None;
    let mut rest = Vec::new();
    for attr in attrs {
        if attr.path().is_ident("default") {
            match attr.parse_args::<syn::Expr>() {
                Ok(expr) if default.is_none() => default = Some((expr, attr.span())),
                Ok(_) => cx.error_spanned_by(attr, "`#[default(…)]` is given twice on this field"),
                Err(_) => cx.error_spanned_by(attr, "a default value is written `#[default(CONSTANT_VALUE)]`"),
            }
        } else if attr.path().is_ident("index") && is_hash_attr(attr) {
            hash.push(attr.span());
        } else {
            rest.push(attr.clone());
        }
    }
    let mut out = column_attrs_v(cx, &rest, "`#[index(btree)]`, `#[index(hash)]` or `#[index(direct)]`");
    out.hash_indexes = hash;
    out.default = default;
    out
}

/// `#[index(hash)]` exactly.
fn is_hash_attr(attr: &syn::Attribute) -> bool {
    match &attr.meta {
        syn::Meta::List(l) => l.tokens.to_string() == "hash",
        _ => false,
    }
}

/// Parses the column attributes of one field.
pub(crate) fn column_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> ColumnAttrs {
    column_attrs_v(cx, attrs, "`#[index(btree)]` or `#[index(direct)]`")
}

fn column_attrs_v(cx: &Ctxt, attrs: &[syn::Attribute], hint: &str) -> ColumnAttrs {
    let mut out = ColumnAttrs::default();
    for attr in attrs {
        let Some(ident) = attr.path().get_ident() else { continue };
        let name = ident.to_string();
        let slot = match name.as_str() {
            "primary_key" => &mut out.primary_key,
            "unique" => &mut out.unique,
            "auto_inc" => &mut out.auto_inc,
            "index" => {
                if let Some(is_btree) = index_attr(cx, attr, hint) {
                    out.indexes.push((is_btree, attr.span()));
                }
                continue;
            }
            _ => continue,
        };
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            cx.error_spanned_by(&attr.meta, format_args!("`#[{name}]` takes no arguments"));
        }
        if slot.is_some() {
            cx.error_spanned_by(attr, format_args!("`#[{name}]` is given twice on this field"));
        } else {
            *slot = Some(ident.span());
        }
    }
    out
}

/// `#[index(btree)]` → `Some(true)`, `#[index(direct)]` → `Some(false)`.
fn index_attr(cx: &Ctxt, attr: &syn::Attribute, hint: &str) -> Option<bool> {
    #[allow(non_snake_case)]
    let HINT = hint;
    if !matches!(attr.meta, syn::Meta::List(_)) {
        cx.error_spanned_by(attr, format_args!("`#[index]` needs an algorithm: {HINT}"));
        return None;
    }
    let mut kind = None;
    let mut reported = false;
    let res = attr.parse_nested_meta(|meta| {
        let this = if meta.path.is_ident("btree") {
            true
        } else if meta.path.is_ident("direct") {
            false
        } else {
            cx.error_spanned_by(&meta.path, format_args!("unknown index algorithm; expected {HINT}"));
            skip_option_value(&meta);
            reported = true;
            return Ok(());
        };
        if kind.is_some() {
            cx.error_spanned_by(
                &meta.path,
                "`#[index(…)]` takes one algorithm; add a second `#[index]` for a second index",
            );
        } else {
            kind = Some(this);
        }
        Ok(())
    });
    if let Err(e) = res {
        cx.syn_error(e);
        reported = true;
    }
    if kind.is_none() && !reported {
        cx.error_spanned_by(attr, format_args!("`#[index]` needs an algorithm: {HINT}"));
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn accepted() {
        let cx = Ctxt::new();
        let f: syn::Field = parse_quote!(#[primary_key] #[auto_inc] #[index(btree)] #[doc = "x"] id: u64);
        let c = column_attrs(&cx, &f.attrs);
        assert_eq!(cx.into_messages(), Vec::<String>::new());
        assert!(c.primary_key.is_some() && c.auto_inc.is_some() && c.unique.is_none());
        assert_eq!(c.indexes.len(), 1);
    }

    #[test]
    fn errors() {
        let cx = Ctxt::new();
        let f: syn::Field = parse_quote!(#[unique] #[unique] #[auto_inc(start = 1)] #[index(hash)] #[index] #[index(btree, direct)] id: u64);
        let c = column_attrs(&cx, &f.attrs);
        assert_eq!(
            cx.into_messages(),
            [
                "`#[unique]` is given twice on this field",
                "`#[auto_inc]` takes no arguments",
                "unknown index algorithm; expected `#[index(btree)]` or `#[index(direct)]`",
                "`#[index]` needs an algorithm: `#[index(btree)]` or `#[index(direct)]`",
                "`#[index(…)]` takes one algorithm; add a second `#[index]` for a second index",
            ]
        );
        // What could be read is kept: the unique flag and the btree of the last `#[index]`.
        assert!(c.unique.is_some() && c.auto_inc.is_some());
        assert_eq!(c.indexes.len(), 1);
    }
}
