//! The validated form of a reducer.

use super::check;
use super::parse::{LifecycleArg, ReducerArgs};
use crate::diag::Ctxt;
use crate::util::ident_name;
use proc_macro2::Span;

/// A lifecycle the host knows (`update` is not one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lifecycle {
    /// `init` → `Lifecycle::Init`
    Init,
    /// `client_connected` → `Lifecycle::OnConnect`
    OnConnect,
    /// `client_disconnected` → `Lifecycle::OnDisconnect`
    OnDisconnect,
}

/// A reducer parameter after the context.
#[derive(Clone)]
pub(crate) struct Param {
    /// Its name (also its name in the module definition).
    pub ident: syn::Ident,
    /// Its type.
    pub ty: syn::Type,
}

/// A reducer, ready for code generation.
#[derive(Clone)]
pub(crate) struct Reducer {
    /// The function.
    pub fn_ident: syn::Ident,
    /// The function's visibility (the marker struct gets the same).
    pub vis: syn::Visibility,
    /// The reducer's name in the module.
    pub name: String,
    /// Where the name comes from (the `name = "…"` literal or the function ident).
    pub name_span: Span,
    /// Its lifecycle, with the span of the option.
    pub lifecycle: Option<(Lifecycle, Span)>,
    /// The type of the context parameter, as written.
    pub ctx_ty: syn::Type,
    /// The other parameters.
    pub params: Vec<Param>,
    /// The return type, if written.
    pub ret: Option<syn::Type>,
}

impl Reducer {
    /// Validates `func` with its options. `None` if the signature is unusable.
    pub(crate) fn build(cx: &Ctxt, func: &syn::ItemFn, args: ReducerArgs) -> Option<Self> {
        let sig = &func.sig;
        check::plain_signature(cx, sig);
        let (name, name_span) = match &args.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (ident_name(&sig.ident), sig.ident.span()),
        };
        check::reducer_name(cx, &name, name_span, args.name.is_none());
        let ctx_ty = check::context_param(cx, sig);
        let params = check::params(cx, sig);
        check::param_count(cx, sig, params.len());
        let lifecycle = args.lifecycle.and_then(|(lc, span)| {
            let lc = match lc {
                LifecycleArg::Init => Lifecycle::Init,
                LifecycleArg::ClientConnected => Lifecycle::OnConnect,
                LifecycleArg::ClientDisconnected => Lifecycle::OnDisconnect,
                LifecycleArg::Update => return None,
            };
            Some((lc, span))
        });
        let ret = match &sig.output {
            syn::ReturnType::Default => None,
            syn::ReturnType::Type(_, ty) => Some((**ty).clone()),
        };
        Some(Reducer {
            fn_ident: sig.ident.clone(),
            vis: func.vis.clone(),
            name,
            name_span,
            lifecycle,
            ctx_ty: ctx_ty?,
            params,
            ret,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reducer::parse::reducer_args;
    use quote::quote;
    use syn::parse_quote;

    fn build(args: proc_macro2::TokenStream, f: syn::ItemFn) -> (Option<Reducer>, Vec<String>) {
        let cx = Ctxt::new();
        let a = reducer_args(&cx, args);
        let r = Reducer::build(&cx, &f, a);
        (r, cx.messages())
    }

    #[test]
    fn ok() {
        let (r, e) = build(
            quote!(client_connected),
            parse_quote!(
                pub fn hello(ctx: &spacetimedb::ReducerContext, text: String, mut n: u32) -> Result<(), String> {}
            ),
        );
        assert!(e.is_empty(), "{e:?}");
        let r = r.unwrap();
        assert_eq!(r.name, "hello");
        assert_eq!(r.lifecycle.unwrap().0, Lifecycle::OnConnect);
        assert_eq!(r.params.iter().map(|p| p.ident.to_string()).collect::<Vec<_>>(), ["text", "n"]);
        let (r, e) = build(
            quote!(update, name = "upd"),
            parse_quote!(
                fn u<'a>(_ctx: &'a ReducerContext) {}
            ),
        );
        assert!(e.is_empty(), "{e:?}");
        let r = r.unwrap();
        assert!(r.lifecycle.is_none());
        assert_eq!(r.name, "upd");
    }

    #[test]
    fn bad_signatures() {
        let (_, e) = build(
            quote!(),
            parse_quote!(
                async fn a<T: Copy, const N: usize>(self, x: T) {}
            ),
        );
        assert_eq!(
            e,
            [
                "a reducer cannot be `async`: reducers run to completion inside one transaction",
                "a reducer cannot have type parameters; use concrete types",
                "a reducer cannot have const parameters; use concrete types",
                "a reducer's first parameter must be the context: `ctx: &ReducerContext`",
                "a reducer cannot take `self`; make it a free function",
            ]
        );
        let (_, e) = build(
            quote!(),
            parse_quote!(
                fn b() {}
            ),
        );
        assert_eq!(e, ["a reducer's first parameter must be the context, e.g. `fn b(ctx: &ReducerContext)`"]);
        let (_, e) = build(
            quote!(),
            parse_quote!(
                fn c(ctx: ReducerContext, (a, b): (u8, u8), _: u8, ref d: u8, e: impl Copy) {}
            ),
        );
        assert_eq!(
            e,
            [
                "the context parameter must be a shared reference: `&ReducerContext`",
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
                "`impl Trait` parameters are not allowed in a reducer; use a concrete type",
            ]
        );
    }

    #[test]
    fn names() {
        let (_, e) = build(
            quote!(name = "my-reducer"),
            parse_quote!(
                fn d(ctx: &ReducerContext) {}
            ),
        );
        assert_eq!(e, ["invalid reducer name: `my-reducer` is not a valid identifier (it must start with a letter or `_` and continue with letters, digits or `_`)"]);
        let (_, e) = build(
            quote!(),
            parse_quote!(
                fn r#type(ctx: &ReducerContext) {}
            ),
        );
        assert_eq!(
            e,
            ["invalid reducer name: `r#type` is a raw identifier; the database would see the `r#` prefix; give the name explicitly: `#[reducer(name = \"type\")]`"]
        );
    }

    #[test]
    fn too_many_params() {
        let params = (0..33).map(|i| quote::format_ident!("a{i}"));
        let f: syn::ItemFn = parse_quote!(fn many(ctx: &ReducerContext, #(#params: u8),*) {});
        let (_, e) = build(quote!(), f);
        assert_eq!(
            e,
            ["a reducer can take at most 32 arguments after the context, this one takes 33; group them in a struct"]
        );
    }
}
