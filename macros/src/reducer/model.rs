//! A reducer as written: its name, lifecycle, context and parameters, built from the function
//! and its options without judging them (the rules are in `check.rs`).

use super::parse::{LifecycleArg, ReducerArgs};
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

/// The first parameter, which should be the context.
#[derive(Clone)]
pub(crate) enum Context {
    /// No parameter at all; the span of the parentheses.
    Missing(Span),
    /// `self` in any form.
    Receiver(syn::Receiver),
    /// `pattern: Type`: the type as written.
    Typed(syn::Type),
}

/// A parameter after the context.
#[derive(Clone)]
pub(crate) struct Param {
    /// Its pattern as written.
    pub pat: syn::Pat,
    /// Its name (also its name in the module definition), if the pattern is a plain name
    /// (`x` or `mut x`).
    pub ident: Option<syn::Ident>,
    /// Its type.
    pub ty: syn::Type,
}

/// A reducer.
#[derive(Clone)]
pub(crate) struct Reducer {
    /// The signature as written (for the rules about its form).
    pub sig: syn::Signature,
    /// The function.
    pub fn_ident: syn::Ident,
    /// The function's visibility (the marker struct gets the same).
    pub vis: syn::Visibility,
    /// The reducer's name in the module.
    pub name: String,
    /// Where the name comes from (the `name = "…"` literal or the function ident).
    pub name_span: Span,
    /// Whether the name is the function's ident (no `name = "…"`).
    pub name_from_ident: bool,
    /// Its lifecycle, with the span of the option.
    pub lifecycle: Option<(Lifecycle, Span)>,
    /// The first parameter.
    pub context: Context,
    /// The typed parameters after the first, in order.
    pub params: Vec<Param>,
    /// `self` parameters after the first (a rule rejects them; they are not in `params`).
    pub late_receivers: Vec<syn::Receiver>,
    /// The return type, if written.
    pub ret: Option<syn::Type>,
    /// 2.x: `name = "…"` is the reducer's canonical name, not its name (which stays the
    /// function's): `Some` when given, and then `v2` is set.
    pub canonical: Option<String>,
    /// Written for the 2.x API.
    pub v2: bool,
}

impl Reducer {
    /// The reducer `func` declares with its options. Never fails: what the rules reject is
    /// recorded as written.
    pub(crate) fn from_fn(func: &syn::ItemFn, args: ReducerArgs) -> Self {
        let sig = &func.sig;
        let (name, name_span) = match &args.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (ident_name(&sig.ident), sig.ident.span()),
        };
        let lifecycle = args.lifecycle.and_then(|(lc, span)| {
            let lc = match lc {
                LifecycleArg::Init => Lifecycle::Init,
                LifecycleArg::ClientConnected => Lifecycle::OnConnect,
                LifecycleArg::ClientDisconnected => Lifecycle::OnDisconnect,
                LifecycleArg::Update => return None,
            };
            Some((lc, span))
        });
        let context = match sig.inputs.first() {
            None => Context::Missing(sig.paren_token.span.join()),
            Some(syn::FnArg::Receiver(r)) => Context::Receiver(r.clone()),
            Some(syn::FnArg::Typed(pt)) => Context::Typed((*pt.ty).clone()),
        };
        let mut params = Vec::new();
        let mut late_receivers = Vec::new();
        for arg in sig.inputs.iter().skip(1) {
            match arg {
                syn::FnArg::Receiver(r) => late_receivers.push(r.clone()),
                syn::FnArg::Typed(pt) => params.push(Param {
                    pat: (*pt.pat).clone(),
                    ident: match &*pt.pat {
                        syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => Some(pi.ident.clone()),
                        _ => None,
                    },
                    ty: (*pt.ty).clone(),
                }),
            }
        }
        let ret = match &sig.output {
            syn::ReturnType::Default => None,
            syn::ReturnType::Type(_, ty) => Some((**ty).clone()),
        };
        Reducer {
            sig: sig.clone(),
            fn_ident: sig.ident.clone(),
            vis: func.vis.clone(),
            name,
            name_span,
            name_from_ident: args.name.is_none(),
            lifecycle,
            context,
            params,
            late_receivers,
            ret,
            canonical: None,
            v2: false,
        }
    }

    /// Reinterprets the reducer for the 2.x API: its name is always the function's, and
    /// `name = "…"` becomes its canonical name.
    pub(crate) fn into_v2(mut self) -> Self {
        if !self.name_from_ident {
            self.canonical = Some(std::mem::replace(&mut self.name, ident_name(&self.fn_ident)));
            self.name_span = self.fn_ident.span();
            self.name_from_ident = true;
        }
        self.v2 = true;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Ctxt;
    use crate::reducer::parse::reducer_args;
    use quote::quote;
    use syn::parse_quote;

    fn build(args: proc_macro2::TokenStream, f: syn::ItemFn) -> Reducer {
        let cx = Ctxt::new();
        let a = reducer_args(&cx, args);
        assert_eq!(cx.into_messages(), Vec::<String>::new());
        Reducer::from_fn(&f, a)
    }

    #[test]
    fn plain() {
        let r = build(
            quote!(client_connected),
            parse_quote!(
                pub fn hello(ctx: &spacetimedb::ReducerContext, text: String, mut n: u32) -> Result<(), String> {}
            ),
        );
        assert_eq!(r.name, "hello");
        assert!(r.name_from_ident);
        assert_eq!(r.lifecycle.unwrap().0, Lifecycle::OnConnect);
        assert!(matches!(r.context, Context::Typed(syn::Type::Reference(_))));
        let names: Vec<String> = r.params.iter().map(|p| p.ident.as_ref().unwrap().to_string()).collect();
        assert_eq!(names, ["text", "n"]);
        assert!(r.ret.is_some());
    }

    #[test]
    fn update_and_renamed() {
        let r = build(
            quote!(update, name = "upd"),
            parse_quote!(
                fn u<'a>(_ctx: &'a ReducerContext) {}
            ),
        );
        assert!(r.lifecycle.is_none());
        assert_eq!(r.name, "upd");
        assert!(!r.name_from_ident);
        assert!(r.params.is_empty() && r.ret.is_none());
    }

    #[test]
    fn unusual_forms_are_recorded() {
        let r = build(
            quote!(),
            parse_quote!(
                fn f() {}
            ),
        );
        assert!(matches!(r.context, Context::Missing(_)));
        let r = build(
            quote!(),
            parse_quote!(
                fn g(self, (a, b): (u8, u8), ref c: u8) {}
            ),
        );
        assert!(matches!(r.context, Context::Receiver(_)));
        assert_eq!(r.params.len(), 2);
        assert!(r.params.iter().all(|p| p.ident.is_none()));
    }
}
