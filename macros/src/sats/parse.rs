//! `#[sats(...)]` container attributes.

use crate::diag::Ctxt;
use proc_macro2::TokenTree;

/// The parsed `#[sats(...)]` options of a type.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    /// `name = "Scope.Name"`: the type's name in the typespace.
    pub name: Option<syn::LitStr>,
    /// `crate = path`: accepted for source compatibility and ignored.
    pub krate: Option<syn::Path>,
}

/// The options `#[sats(...)]` accepts, for error messages.
pub(crate) const SATS_OPTIONS: &str = "`name = \"Scope.Name\"` or `crate = path`";

/// Skips the rest of an unknown or broken option: an optional `= value` (up to the next comma)
/// or a parenthesized group.
pub(crate) fn skip_option_value(meta: &syn::meta::ParseNestedMeta<'_>) {
    let input = meta.input;
    if input.peek(syn::Token![=]) {
        let _ = input.parse::<syn::Token![=]>();
        while !input.is_empty() && !input.peek(syn::Token![,]) {
            if input.parse::<TokenTree>().is_err() {
                break;
            }
        }
    } else if input.peek(syn::token::Paren) {
        let _ = input.parse::<TokenTree>();
    }
}

/// Reads every `#[sats(...)]` attribute in `attrs`, reporting unknown and repeated options.
pub(crate) fn container_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("sats")) {
        let res = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let lit = match meta.value()?.parse::<syn::Lit>()? {
                    syn::Lit::Str(s) => s,
                    other => {
                        cx.error_spanned_by(
                            &other,
                            "`sats(name = ...)` takes a string literal, e.g. `name = \"Scope.Name\"`",
                        );
                        return Ok(());
                    }
                };
                if out.name.is_some() {
                    cx.error_spanned_by(&meta.path, "`name` is given more than once; keep one");
                } else {
                    out.name = Some(lit);
                }
            } else if meta.path.is_ident("crate") {
                let path = meta.value()?.call(syn::Path::parse_mod_style)?;
                if out.krate.is_some() {
                    cx.error_spanned_by(&meta.path, "`crate` is given more than once; keep one");
                } else {
                    out.krate = Some(path);
                }
            } else {
                cx.error_spanned_by(&meta.path, format_args!("unknown `sats` option; expected {SATS_OPTIONS}"));
                skip_option_value(&meta);
            }
            Ok(())
        });
        if let Err(e) = res {
            cx.syn_error(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn name_and_crate() {
        let cx = Ctxt::new();
        let attrs: Vec<syn::Attribute> = vec![parse_quote!(#[sats(name = "A.B", crate = foo::bar)])];
        let a = container_attrs(&cx, &attrs);
        assert!(cx.into_messages().is_empty());
        assert_eq!(a.name.unwrap().value(), "A.B");
        assert!(a.krate.is_some());
    }

    #[test]
    fn unknown_and_duplicate() {
        let cx = Ctxt::new();
        let attrs: Vec<syn::Attribute> = vec![parse_quote!(#[sats(nmae = "x", name = "A", name = "B", name = 3)])];
        let a = container_attrs(&cx, &attrs);
        assert_eq!(a.name.unwrap().value(), "A");
        assert_eq!(
            cx.into_messages(),
            [
                "unknown `sats` option; expected `name = \"Scope.Name\"` or `crate = path`",
                "`name` is given more than once; keep one",
                "`sats(name = ...)` takes a string literal, e.g. `name = \"Scope.Name\"`",
            ]
        );
    }
}
