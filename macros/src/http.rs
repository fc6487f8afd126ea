//! `#[http::handler]` and `#[http::router]` (2.x): HTTP handlers, `fn(&mut HandlerContext,
//! Request) -> Response`, and the one router binding them to paths. See `EXPANSION.md`.

use crate::generation::Generation;
use crate::krate::quote_at;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

fn v1_error(span: proc_macro2::Span, what: &str) -> syn::Error {
    syn::Error::new(
        span,
        format!(
            "{what} are a SpacetimeDB 2.x feature, and this crate is written for 1.x: switch it to 2.x with \
             `features = [\"v2\"]` on its worldtube dependency"
        ),
    )
}

/// Expands `#[handler] fn name(ctx: &mut HandlerContext, request: Request) -> Response`: the
/// function is renamed, and `name` becomes a `const` [`Handler`] that a router binds to paths.
pub(crate) fn expand_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let func = match crate::util::parse_fn(
        item,
        "`#[http::handler]` goes on a function `fn(ctx: &mut HandlerContext, request: Request) -> Response`",
    ) {
        Ok(f) => f,
        Err(out) => return out,
    };
    let sig = &func.sig;
    let mut errors = Vec::new();
    if !args.is_empty() {
        errors.push(syn::Error::new_spanned(&args, "`#[http::handler]` takes no options"));
    }
    if crate::generation::current() == Generation::V1 {
        errors.push(v1_error(sig.ident.span(), "HTTP handlers"));
    }
    for g in &sig.generics.params {
        if !matches!(g, syn::GenericParam::Lifetime(_)) {
            errors.push(syn::Error::new_spanned(g, "an HTTP handler cannot have type or const parameters"));
        }
    }
    let tys: Vec<&syn::Type> = sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(pt) => Some(&*pt.ty),
            syn::FnArg::Receiver(r) => {
                errors.push(syn::Error::new_spanned(r, "an HTTP handler cannot take `self`"));
                None
            }
        })
        .collect();
    if sig.inputs.len() != 2 {
        errors.push(syn::Error::new_spanned(
            sig,
            "an HTTP handler takes exactly two arguments: `(ctx: &mut HandlerContext, request: Request)`",
        ));
    }
    let ret = match &sig.output {
        syn::ReturnType::Type(_, t) => Some(&**t),
        syn::ReturnType::Default => {
            errors.push(syn::Error::new_spanned(sig, "an HTTP handler returns a `spacetimedb::http::Response`"));
            None
        }
    };
    let k = &crate::krate::crate_path();
    let (vis, name_ident) = (&func.vis, &sig.ident);
    let name = name_ident.to_string();
    let inner_ident = format_ident!("__worldtube_http_handler_{}", name_ident);
    let mut inner = func.clone();
    inner.sig.ident = inner_ident.clone();
    let handler_const = quote! {
        #[allow(non_upper_case_globals)]
        #[doc = "The HTTP handler, to bind to a path with a `Router`."]
        #vis const #name_ident: #k::http::Handler = #k::http::Handler::__new(#name);
    };
    let mut out = quote! {
        #[allow(dead_code)]
        #inner
        #handler_const
    };
    if !errors.is_empty() {
        for e in errors {
            out.extend(e.into_compile_error());
        }
        return out;
    }
    let (ctx_ty, req_ty, ret) = (tys[0], tys[1], ret.expect("checked above"));
    let symbol = format!("__preinit__20_register_http_handler_{name}");
    // The handler's own types name the call's generic parameters, so a wrong one fails one bound,
    // reported at that type (see `invoke_http_handler`).
    let call = quote! {
        #k::__private::invoke_http_handler::<#ctx_ty, #req_ty, #ret>(#inner_ident, __ctx, __request)
    };
    out.extend(quote! {
        const _: () = {
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                __m.add_http_handler_v10(#name, |__ctx, __request| #call);
            }
            #k::__private::register_describer_v10!(#k, #symbol, __describe);
        };
    });
    out
}

/// Expands `#[router] fn router() -> Router`: the routes it returns are the module's.
pub(crate) fn expand_router(args: TokenStream, item: TokenStream) -> TokenStream {
    let func = match crate::util::parse_fn(item, "`#[http::router]` goes on a function `fn() -> Router`") {
        Ok(f) => f,
        Err(out) => return out,
    };
    let mut out = func.to_token_stream();
    let mut errors = Vec::new();
    if !args.is_empty() {
        errors.push(syn::Error::new_spanned(&args, "`#[http::router]` takes no options"));
    }
    if crate::generation::current() == Generation::V1 {
        errors.push(v1_error(func.sig.ident.span(), "HTTP routers"));
    }
    if !func.sig.inputs.is_empty() {
        errors.push(syn::Error::new_spanned(
            &func.sig.inputs,
            "an HTTP router function takes no arguments: `fn router() -> Router`",
        ));
    }
    if !errors.is_empty() {
        for e in errors {
            out.extend(e.into_compile_error());
        }
        return out;
    }
    let k = &crate::krate::crate_path();
    let f = &func.sig.ident;
    let as_fn = quote_at!(f.span(), k => let __router: fn() -> #k::http::Router = #f;);
    out.extend(quote! {
        const _: () = {
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                #as_fn
                __m.add_http_router_v10(__router());
            }
            #k::__private::register_describer_v10!(#k, "__preinit__30_register_http_router", __describe);
        };
    });
    out
}
