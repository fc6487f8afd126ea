//! The rules a reducer must follow, over the finished [`Reducer`]: one function per rule, all
//! run by [`check`], each reporting into the [`Ctxt`].

use super::model::{Context, Reducer};
use crate::diag::Ctxt;
use crate::util::check_db_identifier;

/// The most arguments (after the context) a reducer may take, as officially.
pub(crate) const MAX_ARGS: usize = 32;

/// Runs every rule.
pub(crate) fn check(cx: &Ctxt, r: &Reducer) {
    plain_signature(cx, r);
    reducer_name(cx, r);
    context_param(cx, r);
    no_receivers(cx, r);
    plain_params(cx, r);
    param_count(cx, r);
}

/// The function must be a plain synchronous, non-generic function: the runtime calls it
/// directly from the host's reducer call. Lifetime parameters are allowed (as officially).
fn plain_signature(cx: &Ctxt, r: &Reducer) {
    let sig = &r.sig;
    if let Some(a) = &sig.asyncness {
        cx.error_spanned_by(a, "a reducer cannot be `async`: reducers run to completion inside one transaction");
    }
    if let Some(u) = &sig.unsafety {
        cx.error_spanned_by(u, "a reducer cannot be `unsafe`");
    }
    if let Some(v) = &sig.variadic {
        cx.error_spanned_by(v, "a reducer cannot be variadic");
    }
    for p in &sig.generics.params {
        match p {
            syn::GenericParam::Lifetime(_) => {}
            syn::GenericParam::Type(_) => {
                cx.error_spanned_by(p, "a reducer cannot have type parameters; use concrete types")
            }
            syn::GenericParam::Const(_) => {
                cx.error_spanned_by(p, "a reducer cannot have const parameters; use concrete types")
            }
        }
    }
}

/// The reducer's name must be a valid database identifier (host rule). A raw function ident
/// would reach the database with its `r#` prefix (officially too), so suggest `name = "…"`.
fn reducer_name(cx: &Ctxt, r: &Reducer) {
    if let Err(why) = check_db_identifier(&r.name) {
        let hint = match r.name.strip_prefix("r#") {
            Some(bare) if r.name_from_ident => format!("; give the name explicitly: `#[reducer(name = \"{bare}\")]`"),
            _ => String::new(),
        };
        cx.error_at(r.name_span, format_args!("invalid reducer name: {why}{hint}"));
    }
}

/// The first parameter is the context, a shared reference (`&ReducerContext`, any path ending in
/// it, or an alias: a wrong type then fails to type-check at this parameter).
fn context_param(cx: &Ctxt, r: &Reducer) {
    match &r.context {
        Context::Missing(span) => cx.error_at(
            *span,
            format_args!(
                "a reducer's first parameter must be the context, e.g. `fn {}(ctx: &ReducerContext)`",
                r.fn_ident
            ),
        ),
        Context::Receiver(recv) => {
            cx.error_spanned_by(recv, "a reducer's first parameter must be the context: `ctx: &ReducerContext`")
        }
        Context::Typed(syn::Type::Reference(re)) if re.mutability.is_none() => {}
        Context::Typed(syn::Type::Reference(re)) => {
            cx.error_spanned_by(re, "the context parameter must be a shared reference: `&ReducerContext`, not `&mut`")
        }
        Context::Typed(ty) if is_context_path(ty) => {
            cx.error_spanned_by(ty, "the context parameter must be a shared reference: `&ReducerContext`")
        }
        Context::Typed(ty) => {
            cx.error_spanned_by(ty, "a reducer's first parameter must be the context: `ctx: &ReducerContext`")
        }
    }
}

/// `ReducerContext` or `some::path::ReducerContext`.
fn is_context_path(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ReducerContext"))
}

/// A reducer is a free function: no `self` anywhere.
fn no_receivers(cx: &Ctxt, r: &Reducer) {
    let first = match &r.context {
        Context::Receiver(recv) => Some(recv),
        _ => None,
    };
    for recv in first.into_iter().chain(&r.late_receivers) {
        cx.error_spanned_by(recv, "a reducer cannot take `self`; make it a free function");
    }
}

/// Every parameter after the context is `name: Type` (the name goes into the module: the host
/// rejects nameless parameters), with a valid name, and not `impl Trait`.
fn plain_params(cx: &Ctxt, r: &Reducer) {
    for p in &r.params {
        if let syn::Type::ImplTrait(t) = &p.ty {
            cx.error_spanned_by(t, "`impl Trait` parameters are not allowed in a reducer; use a concrete type");
            continue;
        }
        match &p.ident {
            Some(ident) => {
                if let Err(why) = check_db_identifier(&ident.to_string()) {
                    cx.error_spanned_by(ident, format_args!("invalid parameter name: {why}"));
                }
            }
            None => cx.error_at(
                syn::spanned::Spanned::span(&p.pat),
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
            ),
        }
    }
}

/// At most [`MAX_ARGS`] arguments after the context.
fn param_count(cx: &Ctxt, r: &Reducer) {
    let n = r.sig.inputs.len().saturating_sub(1);
    if n > MAX_ARGS {
        cx.error_spanned_by(
            &r.sig.inputs,
            format_args!(
                "a reducer can take at most {MAX_ARGS} arguments after the context, this one takes {n}; group them in a struct"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Ctxt;
    use crate::reducer::model::Reducer;
    use crate::reducer::parse::reducer_args;
    use quote::quote;
    use syn::parse_quote;

    fn errors(args: proc_macro2::TokenStream, f: syn::ItemFn) -> Vec<String> {
        let cx = Ctxt::new();
        let a = reducer_args(&cx, args);
        super::check(&cx, &Reducer::from_fn(&f, a));
        cx.into_messages()
    }

    #[test]
    fn ok() {
        let f = parse_quote!(
            pub fn hello(ctx: &spacetimedb::ReducerContext, text: String, mut n: u32) -> Result<(), String> {}
        );
        assert_eq!(errors(quote!(client_connected), f), Vec::<String>::new());
        let f = parse_quote!(
            fn u<'a>(_ctx: &'a ReducerContext) {}
        );
        assert_eq!(errors(quote!(update, name = "upd"), f), Vec::<String>::new());
    }

    #[test]
    fn bad_signatures() {
        assert_eq!(
            errors(
                quote!(),
                parse_quote!(
                    async fn a<T: Copy, const N: usize>(self, x: T) {}
                )
            ),
            [
                "a reducer cannot be `async`: reducers run to completion inside one transaction",
                "a reducer cannot have type parameters; use concrete types",
                "a reducer cannot have const parameters; use concrete types",
                "a reducer's first parameter must be the context: `ctx: &ReducerContext`",
                "a reducer cannot take `self`; make it a free function",
            ]
        );
        assert_eq!(
            errors(
                quote!(),
                parse_quote!(
                    fn b() {}
                )
            ),
            ["a reducer's first parameter must be the context, e.g. `fn b(ctx: &ReducerContext)`"]
        );
        assert_eq!(
            errors(
                quote!(),
                parse_quote!(
                    fn c(ctx: ReducerContext, (a, b): (u8, u8), _: u8, ref d: u8, e: impl Copy) {}
                )
            ),
            [
                "the context parameter must be a shared reference: `&ReducerContext`",
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
                "`impl Trait` parameters are not allowed in a reducer; use a concrete type",
            ]
        );
        assert_eq!(
            errors(
                quote!(),
                parse_quote!(
                    fn m(ctx: &mut ReducerContext) {}
                )
            ),
            ["the context parameter must be a shared reference: `&ReducerContext`, not `&mut`"]
        );
        assert_eq!(
            errors(
                quote!(),
                parse_quote!(
                    unsafe fn u(ctx: &ReducerContext) {}
                )
            ),
            ["a reducer cannot be `unsafe`"]
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            errors(
                quote!(name = "my-reducer"),
                parse_quote!(
                    fn d(ctx: &ReducerContext) {}
                )
            ),
            ["invalid reducer name: `my-reducer` is not a valid identifier (it must start with a letter or `_` and continue with letters, digits or `_`)"]
        );
        assert_eq!(
            errors(
                quote!(),
                parse_quote!(
                    fn r#type(ctx: &ReducerContext) {}
                )
            ),
            ["invalid reducer name: `r#type` is a raw identifier; the database would see the `r#` prefix; give the name explicitly: `#[reducer(name = \"type\")]`"]
        );
        assert_eq!(
            errors(
                quote!(),
                parse_quote!(
                    fn ok(ctx: &ReducerContext, r#in: u8) {}
                )
            ),
            ["invalid parameter name: `r#in` is a raw identifier; the database would see the `r#` prefix"]
        );
    }

    #[test]
    fn too_many_params() {
        let params = (0..33).map(|i| quote::format_ident!("a{i}"));
        let f: syn::ItemFn = parse_quote!(fn many(ctx: &ReducerContext, #(#params: u8),*) {});
        assert_eq!(
            errors(quote!(), f),
            ["a reducer can take at most 32 arguments after the context, this one takes 33; group them in a struct"]
        );
        let params = (0..32).map(|i| quote::format_ident!("a{i}"));
        let f: syn::ItemFn = parse_quote!(fn enough(ctx: &ReducerContext, #(#params: u8),*) {});
        assert_eq!(errors(quote!(), f), Vec::<String>::new());
    }
}
