//! Rules for reducer signatures; each reports into the [`Ctxt`].

use super::model::Param;
use crate::diag::Ctxt;
use crate::util::check_db_identifier;
use proc_macro2::Span;
use syn::spanned::Spanned;

/// The most arguments (after the context) a reducer may take, as officially.
pub(crate) const MAX_ARGS: usize = 32;

/// The function must be a plain synchronous, non-generic function: the runtime calls it
/// directly from the host's reducer call. Lifetime parameters are allowed (as officially).
pub(crate) fn plain_signature(cx: &Ctxt, sig: &syn::Signature) {
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
pub(crate) fn reducer_name(cx: &Ctxt, name: &str, span: Span, from_ident: bool) {
    if let Err(why) = check_db_identifier(name) {
        let hint = if from_ident && name.starts_with("r#") {
            format!("; give the name explicitly: `#[reducer(name = \"{}\")]`", &name[2..])
        } else {
            String::new()
        };
        cx.error_at(span, format_args!("invalid reducer name: {why}{hint}"));
    }
}

/// The first parameter is the context, a shared reference (`&ReducerContext`, any path ending in
/// it, or an alias: a wrong type then fails to type-check at this parameter).
pub(crate) fn context_param(cx: &Ctxt, sig: &syn::Signature) -> Option<syn::Type> {
    let Some(first) = sig.inputs.first() else {
        cx.error_at(
            sig.paren_token.span.join(),
            format_args!(
                "a reducer's first parameter must be the context, e.g. `fn {}(ctx: &ReducerContext)`",
                sig.ident
            ),
        );
        return None;
    };
    let syn::FnArg::Typed(pt) = first else {
        cx.error_spanned_by(first, "a reducer's first parameter must be the context: `ctx: &ReducerContext`");
        return None;
    };
    match &*pt.ty {
        syn::Type::Reference(r) if r.mutability.is_none() => Some((*pt.ty).clone()),
        syn::Type::Reference(r) => {
            cx.error_spanned_by(r, "the context parameter must be a shared reference: `&ReducerContext`, not `&mut`");
            None
        }
        ty if is_context_path(ty) => {
            cx.error_spanned_by(ty, "the context parameter must be a shared reference: `&ReducerContext`");
            None
        }
        ty => {
            cx.error_spanned_by(ty, "a reducer's first parameter must be the context: `ctx: &ReducerContext`");
            None
        }
    }
}

/// `ReducerContext` or `some::path::ReducerContext`.
fn is_context_path(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "ReducerContext"))
}

/// Every parameter after the context is `name: Type` (the name goes into the module: the host
/// rejects nameless parameters), not `self` and not `impl Trait`.
pub(crate) fn params(cx: &Ctxt, sig: &syn::Signature) -> Vec<Param> {
    let mut out = Vec::new();
    for (i, arg) in sig.inputs.iter().enumerate() {
        let pt = match arg {
            syn::FnArg::Receiver(r) => {
                cx.error_spanned_by(r, "a reducer cannot take `self`; make it a free function");
                continue;
            }
            syn::FnArg::Typed(pt) => pt,
        };
        if i == 0 {
            continue;
        }
        if let syn::Type::ImplTrait(t) = &*pt.ty {
            cx.error_spanned_by(t, "`impl Trait` parameters are not allowed in a reducer; use a concrete type");
            continue;
        }
        match &*pt.pat {
            syn::Pat::Ident(pi) if pi.by_ref.is_none() && pi.subpat.is_none() => {
                if let Err(why) = check_db_identifier(&pi.ident.to_string()) {
                    cx.error_spanned_by(&pi.ident, format_args!("invalid parameter name: {why}"));
                }
                out.push(Param { ident: pi.ident.clone(), ty: (*pt.ty).clone() })
            }
            pat => cx.error_at(
                pat.span(),
                "reducer parameters must be plain names (`name: Type`): the name is part of the reducer's signature in the module",
            ),
        }
    }
    out
}

/// At most [`MAX_ARGS`] arguments after the context.
pub(crate) fn param_count(cx: &Ctxt, sig: &syn::Signature, n: usize) {
    let n = n.max(sig.inputs.len().saturating_sub(1));
    if n > MAX_ARGS {
        cx.error_spanned_by(
            &sig.inputs,
            format_args!(
                "a reducer can take at most {MAX_ARGS} arguments after the context, this one takes {n}; group them in a struct"
            ),
        );
    }
}
