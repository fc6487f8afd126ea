//! `#[reducer(...)]` arguments.

use crate::diag::Ctxt;
use crate::sats::parse::skip_option_value;
use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;

/// A lifecycle option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LifecycleArg {
    /// `init`
    Init,
    /// `client_connected`
    ClientConnected,
    /// `client_disconnected`
    ClientDisconnected,
    /// `update`: accepted, but a plain reducer (as officially).
    Update,
}

impl LifecycleArg {
    /// The option as written.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            LifecycleArg::Init => "init",
            LifecycleArg::ClientConnected => "client_connected",
            LifecycleArg::ClientDisconnected => "client_disconnected",
            LifecycleArg::Update => "update",
        }
    }
}

/// The parsed `#[reducer(...)]` options.
#[derive(Default)]
pub(crate) struct ReducerArgs {
    /// The lifecycle option and where it was written.
    pub lifecycle: Option<(LifecycleArg, Span)>,
    /// `name = "..."`.
    pub name: Option<syn::LitStr>,
}

/// The accepted options, for error messages.
const OPTIONS: &str = "`init`, `client_connected`, `client_disconnected`, `update` or `name = \"...\"`";

/// Parses the attribute's arguments, reporting every problem.
pub(crate) fn reducer_args(cx: &Ctxt, args: TokenStream) -> ReducerArgs {
    let mut out = ReducerArgs::default();
    let parser = syn::meta::parser(|meta| {
        let lifecycle =
            [LifecycleArg::Init, LifecycleArg::ClientConnected, LifecycleArg::ClientDisconnected, LifecycleArg::Update]
                .into_iter()
                .find(|l| meta.path.is_ident(l.keyword()));
        if let Some(lc) = lifecycle {
            if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                cx.error_spanned_by(&meta.path, format_args!("`{}` takes no value", lc.keyword()));
                skip_option_value(&meta);
            }
            match out.lifecycle {
                Some((prev, _)) => cx.error_spanned_by(
                    &meta.path,
                    format_args!(
                        "a reducer can have only one of `init`, `client_connected`, `client_disconnected` and `update`; `{}` is already given",
                        prev.keyword()
                    ),
                ),
                None => out.lifecycle = Some((lc, meta.path.segments[0].ident.span())),
            }
        } else if meta.path.is_ident("name") {
            match meta.value()?.parse::<syn::Expr>()? {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                    if out.name.is_some() {
                        cx.error_spanned_by(&meta.path, "`name` is given more than once; keep one");
                    } else {
                        out.name = Some(s);
                    }
                }
                other => cx
                    .error_spanned_by(other, "`name` takes a string literal, e.g. `#[reducer(name = \"my_reducer\")]`"),
            }
        } else {
            cx.error_spanned_by(&meta.path, format_args!("unknown reducer option; expected {OPTIONS}"));
            skip_option_value(&meta);
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(ts: TokenStream) -> (ReducerArgs, Vec<String>) {
        let cx = Ctxt::new();
        let a = reducer_args(&cx, ts);
        (a, cx.into_messages())
    }

    #[test]
    fn accepted() {
        let (a, e) = parse(quote!(init, name = "boot"));
        assert!(e.is_empty());
        assert_eq!(a.lifecycle.unwrap().0, LifecycleArg::Init);
        assert_eq!(a.name.unwrap().value(), "boot");
        let (a, e) = parse(quote!());
        assert!(e.is_empty() && a.lifecycle.is_none() && a.name.is_none());
    }

    #[test]
    fn errors() {
        let (_, e) = parse(quote!(init, client_connected, foo, name = boot, name = "a", name = "b", update = 1));
        assert_eq!(
            e,
            [
                "a reducer can have only one of `init`, `client_connected`, `client_disconnected` and `update`; `init` is already given",
                "unknown reducer option; expected `init`, `client_connected`, `client_disconnected`, `update` or `name = \"...\"`",
                "`name` takes a string literal, e.g. `#[reducer(name = \"my_reducer\")]`",
                "`name` is given more than once; keep one",
                "`update` takes no value",
                "a reducer can have only one of `init`, `client_connected`, `client_disconnected` and `update`; `init` is already given",
            ]
        );
    }
}
