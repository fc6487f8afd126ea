//! `#[view(accessor = name, public, primary_key = column, name = "canonical")]` (2.x): a read-only
//! function of `&ViewContext` or `&AnonymousViewContext` returning `Vec<T>`, `Option<T>` or a
//! query (`impl Query<T>`, `RawQuery<T>`). See `EXPANSION.md`.

use crate::diag::Ctxt;
use crate::generation::Generation;
use crate::krate::quote_at;
use crate::sats::parse::skip_option_value;
use crate::util::check_db_identifier;
use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::spanned::Spanned;

/// The options of `#[view(...)]`.
#[derive(Default)]
struct ViewArgs {
    /// `accessor = ident`: the view's name in the module (required).
    accessor: Option<syn::Ident>,
    /// `name = "…"`: its canonical name.
    name: Option<syn::LitStr>,
    /// `public` (required: the server supports public views only).
    public: bool,
    /// `private` was written (an error of its own).
    private: bool,
    /// `primary_key = column` or `primary_key = "column"`: the column identifying its rows.
    primary_key: Option<PrimaryKey>,
}

/// The primary key column, as written.
enum PrimaryKey {
    /// `primary_key = column`: a field of the row type (checked to exist and be a key type).
    Ident(syn::Ident),
    /// `primary_key = "column"`: a column name, taken as it is.
    Lit(syn::LitStr),
}

impl PrimaryKey {
    fn name(&self) -> String {
        match self {
            PrimaryKey::Ident(i) => syn::ext::IdentExt::unraw(i).to_string(),
            PrimaryKey::Lit(l) => l.value(),
        }
    }
}

/// What a view returns, read from its signature.
enum Return {
    /// `impl Query<T>`: the function is re-emitted returning `RawQuery<T>`; the row type `T`, and
    /// the bound's path as written (so the user's `Query` import is what the body is converted by).
    ImplQuery(syn::Type, syn::Path),
    /// Any other type (`Vec<T>`, `Option<T>`, `RawQuery<T>`, ...), with its row type `T` if the
    /// form is one of those.
    Plain(syn::Type, Option<syn::Type>),
}

/// Expands `#[view(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let func = match crate::util::parse_fn(item, "`#[view]` can only be applied to a function, e.g. `#[view(accessor = my_view, public)] fn my_view(ctx: &ViewContext) -> Vec<Row>`") {
        Ok(f) => f,
        Err(out) => return out,
    };
    let cx = Ctxt::new();
    let attr_span = if args.is_empty() { Span::call_site() } else { args.span() };
    let a = view_args(&cx, args);
    if crate::generation::current() == Generation::V1 {
        cx.error_at(
            attr_span,
            "views are a SpacetimeDB 2.x feature, and this crate is written for 1.x: switch it to 2.x with \
             `features = [\"v2\"]` on its worldtube dependency (`spacetimedb = { package = \"worldtube\", ..., features = [\"v2\"] }`)",
        );
    }
    let fn_ident = &func.sig.ident;
    match &a.accessor {
        None => cx.error_at(
            attr_span,
            format_args!("a view needs an accessor, its name in the module: `#[view(accessor = {fn_ident}, public)]`"),
        ),
        Some(acc) => {
            if let Err(why) = check_db_identifier(&acc.to_string()) {
                cx.error_spanned_by(acc, format_args!("invalid view accessor: {why}"));
            }
        }
    }
    if !a.public && !a.private {
        cx.error_at(attr_span, "views must be public (the server has no private views yet): add `public`, e.g. `#[view(accessor = my_view, public)]`");
    }
    let ctx_ty = check_signature(&cx, &func);
    let ret = view_return(&func);
    let k = crate::krate::crate_path();
    let vis = &func.vis;
    let marker = quote! {
        #[doc = "The view as a type."]
        #[allow(non_camel_case_types)]
        #vis struct #fn_ident { _never: ::core::convert::Infallible }
    };
    match (cx.check(), ctx_ty, ret, &a.accessor) {
        (Ok(()), Some(ctx_ty), Some(ret), Some(accessor)) => {
            let mut out = emit_fn(&func, &ret, &k);
            out.extend(marker);
            out.extend(codegen(&func, &a, accessor, &ctx_ty, &ret, &k));
            out
        }
        (result, ..) => {
            let mut out = func.to_token_stream();
            out.extend(marker);
            if let Err(e) = result {
                out.extend(e.into_compile_error());
            }
            out
        }
    }
}

fn view_args(cx: &Ctxt, args: TokenStream) -> ViewArgs {
    let mut a = ViewArgs::default();
    let parser = syn::meta::parser(|meta| {
        let dup =
            |what: &str| cx.error_spanned_by(&meta.path, format_args!("`{what}` is given more than once; keep one"));
        if meta.path.is_ident("accessor") {
            let ident: syn::Ident = meta.value()?.parse()?;
            if a.accessor.replace(ident).is_some() {
                dup("accessor");
            }
        } else if meta.path.is_ident("name") {
            match meta.value()?.parse::<syn::Expr>()? {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                    if a.name.replace(s).is_some() {
                        dup("name");
                    }
                }
                other => cx.error_spanned_by(
                    other,
                    "`name` takes a string literal, the view's canonical name: `#[view(accessor = my_view, name = \"MyView\", public)]`",
                ),
            }
        } else if meta.path.is_ident("public") {
            if a.public {
                dup("public");
            }
            a.public = true;
        } else if meta.path.is_ident("primary_key") {
            let value = meta.value()?;
            let pk = if value.peek(syn::LitStr) {
                PrimaryKey::Lit(value.parse()?)
            } else {
                PrimaryKey::Ident(value.parse()?)
            };
            if a.primary_key.replace(pk).is_some() {
                dup("primary_key");
            }
        } else if meta.path.is_ident("private") {
            a.private = true;
            cx.error_spanned_by(
                &meta.path,
                "views must be public (the server has no private views yet): write `public`",
            );
        } else {
            cx.error_spanned_by(
                &meta.path,
                "unknown view option; the options are `accessor = ident`, `public`, `primary_key = column` and `name = \"...\"`",
            );
            skip_option_value(&meta);
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }
    a
}

/// Checks the function's form; returns the context type (what `&` refers to) if it is usable.
fn check_signature(cx: &Ctxt, func: &syn::ItemFn) -> Option<syn::Type> {
    let sig = &func.sig;
    if let Some(a) = &sig.asyncness {
        cx.error_spanned_by(a, "a view cannot be `async`");
    }
    if let Some(u) = &sig.unsafety {
        cx.error_spanned_by(u, "a view cannot be `unsafe`");
    }
    for g in &sig.generics.params {
        if !matches!(g, syn::GenericParam::Lifetime(_)) {
            cx.error_spanned_by(g, "a view cannot have type or const parameters; use concrete types");
        }
    }
    if matches!(sig.output, syn::ReturnType::Default) {
        cx.error_spanned_by(
            sig,
            "a view must return its rows, `Vec<T>` or `Option<T>`, or a query, `impl Query<T>` (with `T` a `SpacetimeType` struct)",
        );
    }
    let ctx_msg = "a view's first parameter must be the context: `ctx: &ViewContext` (computed per caller) or \
                   `ctx: &AnonymousViewContext` (the same for every caller)";
    let ctx = match sig.inputs.first() {
        None => {
            cx.error_spanned_by(sig, format_args!("{ctx_msg}, e.g. `fn {}(ctx: &ViewContext)`", sig.ident));
            None
        }
        Some(syn::FnArg::Receiver(r)) => {
            cx.error_spanned_by(r, "a view cannot take `self`; make it a free function taking `ctx: &ViewContext`");
            None
        }
        Some(syn::FnArg::Typed(pt)) => match &*pt.ty {
            syn::Type::Reference(r) if r.mutability.is_none() => Some((*r.elem).clone()),
            syn::Type::Reference(r) => {
                cx.error_spanned_by(r, "a view's context is a shared reference: `&ViewContext` or `&AnonymousViewContext` (views only read)");
                None
            }
            other => {
                let hint = if last_segment_is(other, "ViewContext") || last_segment_is(other, "AnonymousViewContext") {
                    format!("the context is passed by reference: `&{}`", other.to_token_stream())
                } else if last_segment_is(other, "ReducerContext") || last_segment_is(other, "ProcedureContext") {
                    "a view takes `&ViewContext` or `&AnonymousViewContext`, not a reducer's or procedure's context"
                        .into()
                } else {
                    ctx_msg.into()
                };
                cx.error_spanned_by(other, hint);
                None
            }
        },
    };
    if let Some(syn::Type::Path(p)) = &ctx {
        if p.path.segments.last().is_some_and(|s| s.ident == "ReducerContext" || s.ident == "ProcedureContext") {
            cx.error_spanned_by(
                p,
                "a view takes `&ViewContext` (per caller) or `&AnonymousViewContext` (shared), not a reducer's or procedure's context; \
                 views only read the database",
            );
        }
    }
    if sig.inputs.len() > 1 {
        let extra: Vec<&syn::FnArg> = sig.inputs.iter().skip(1).collect();
        cx.error_spanned_by(
            quote!(#(#extra),*),
            "views take no arguments besides the context (the server cannot pass any yet); read what you need from the database",
        );
    }
    ctx
}

fn last_segment_is(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// The return type, classified; `None` without one.
fn view_return(func: &syn::ItemFn) -> Option<Return> {
    let syn::ReturnType::Type(_, ty) = &func.sig.output else { return None };
    if let syn::Type::ImplTrait(it) = &**ty {
        for bound in &it.bounds {
            if let syn::TypeParamBound::Trait(tb) = bound {
                if let Some(seg) = tb.path.segments.last() {
                    if seg.ident == "Query" {
                        if let Some(inner) = first_type_arg(seg) {
                            return Some(Return::ImplQuery(inner, tb.path.clone()));
                        }
                    }
                }
            }
        }
        return Some(Return::Plain((**ty).clone(), None));
    }
    let row = match &**ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .filter(|s| matches!(s.ident.to_string().as_str(), "Vec" | "Option" | "RawQuery"))
            .and_then(first_type_arg),
        _ => None,
    };
    Some(Return::Plain((**ty).clone(), row))
}

fn first_type_arg(seg: &syn::PathSegment) -> Option<syn::Type> {
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// The function as emitted: unchanged, except that `impl Query<T>` becomes `RawQuery<T>` (its
/// body's query turned into one) and a `RawQuery<T>` body is converted with `Into`.
fn emit_fn(func: &syn::ItemFn, ret: &Return, k: &TokenStream) -> TokenStream {
    match ret {
        Return::ImplQuery(row, bound) => {
            let mut f = func.clone();
            let span = match &func.sig.output {
                syn::ReturnType::Type(_, t) => t.span(),
                syn::ReturnType::Default => Span::call_site(),
            };
            let raw = quote_at!(span, k => #k::query_builder::RawQuery<#row>);
            f.sig.output = syn::parse_quote!(-> #raw);
            let body = &func.block;
            let new = quote_at!(span, k => #k::query_builder::RawQuery::<#row>::new);
            f.block = syn::parse_quote!({ #new(<_ as #bound>::into_sql(#body)) });
            f.to_token_stream()
        }
        Return::Plain(syn::Type::Path(p), _) if p.path.segments.last().is_some_and(|s| s.ident == "RawQuery") => {
            let mut f = func.clone();
            let body = &func.block;
            f.block = syn::parse_quote!({ ::core::convert::Into::into(#body) });
            f.to_token_stream()
        }
        Return::Plain(..) => func.to_token_stream(),
    }
}

/// Everything emitted after the function and its marker type, for a view that passed the checks.
fn codegen(
    func: &syn::ItemFn,
    a: &ViewArgs,
    accessor: &syn::Ident,
    ctx_ty: &syn::Type,
    ret: &Return,
    k: &TokenStream,
) -> TokenStream {
    let fn_ident = &func.sig.ident;
    let name = syn::ext::IdentExt::unraw(accessor).to_string();
    let symbol = format!("__preinit__20_register_describer_{name}");
    let (ret_ty, row_ty): (TokenStream, Option<&syn::Type>) = match ret {
        Return::ImplQuery(row, _) => (quote!(#k::query_builder::RawQuery<#row>), Some(row)),
        Return::Plain(ty, row) => (ty.to_token_stream(), row.as_ref()),
    };
    let ret_span = match &func.sig.output {
        syn::ReturnType::Type(_, t) => t.span(),
        syn::ReturnType::Default => fn_ident.span(),
    };
    let ctx_span = ctx_ty.span();
    let make_ctx = quote_at!(ctx_span, k => <#ctx_ty as #k::__private::ViewContextArg>::__context(__sender));
    let anonymous = quote_at!(ctx_span, k => <#ctx_ty as #k::__private::ViewContextArg>::ANONYMOUS);
    let write = quote_at!(ret_span, k => #k::__private::ViewReturn::write_view_result(__ret, &mut __out));
    let make_ret = quote_at!(ret_span, k => <#ret_ty as #k::__private::SpacetimeType>::make_type(__m.typespace_v10()));
    let pk = a.primary_key.as_ref().map(|pk| {
        let col = pk.name();
        quote!(__m.add_view_primary_key_v10(#name, #col);)
    });
    let names = a.name.iter().map(|c| quote!(__names.insert_function(#name, #c);));
    let pk_check = match (&a.primary_key, row_ty) {
        (Some(PrimaryKey::Ident(field)), Some(row)) => {
            let assert = quote_at!(field.span(), k => #k::__private::assert_view_primary_key(&__row.#field));
            let generics = &func.sig.generics;
            let where_clause = &generics.where_clause;
            quote! {
                #[allow(dead_code)]
                fn __worldtube_view_primary_key #generics (__row: &#row) #where_clause {
                    #assert;
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        const _: () = {
            fn __invoke(__sender: ::core::option::Option<#k::Identity>, __args: &[u8]) -> ::std::vec::Vec<u8> {
                let _ = __args;
                let __ctx = #make_ctx;
                let __ret = #fn_ident(&__ctx);
                let mut __out = ::std::vec::Vec::new();
                #write;
                __out
            }
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                let __params = #k::__private::ProductType::default();
                let __ret_ty = #make_ret;
                __m.add_view_v10(#name, #anonymous, __params, __ret_ty, __invoke);
                #pk
                #[allow(unused_mut)]
                let mut __names = <#k::__private::ExplicitNames as ::core::default::Default>::default();
                #(#names)*
                __m.add_explicit_names_v10(__names);
            }
            #k::__private::register_describer_v10!(#k, #symbol, __describe);
            #pk_check
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn errors(args: TokenStream, f: syn::ItemFn) -> Vec<String> {
        let cx = Ctxt::new();
        let a = view_args(&cx, args);
        if a.accessor.is_none() {
            cx.error_at(Span::call_site(), "no accessor");
        }
        check_signature(&cx, &f);
        cx.into_messages()
    }

    #[test]
    fn well_formed() {
        assert!(errors(
            quote!(accessor = v, public),
            parse_quote!(
                fn v(ctx: &ViewContext) -> Vec<P> {}
            )
        )
        .is_empty());
        assert!(errors(
            quote!(accessor = v, public, primary_key = id, name = "V"),
            parse_quote!(
                fn v(ctx: &AnonymousViewContext) -> impl Query<P> {}
            )
        )
        .is_empty());
    }

    #[test]
    fn mistakes() {
        assert_eq!(
            errors(quote!(accessor = v, public), parse_quote!(fn v(ctx: &ReducerContext) -> Vec<P> {})),
            ["a view takes `&ViewContext` (per caller) or `&AnonymousViewContext` (shared), not a reducer's or procedure's context; views only read the database"]
        );
        assert_eq!(
            errors(
                quote!(accessor = v, public),
                parse_quote!(
                    fn v(ctx: ViewContext) -> Vec<P> {}
                )
            ),
            ["the context is passed by reference: `&ViewContext`"]
        );
        assert_eq!(
            errors(quote!(accessor = v, public), parse_quote!(fn v(ctx: &ViewContext, n: u32) -> Vec<P> {})),
            ["views take no arguments besides the context (the server cannot pass any yet); read what you need from the database"]
        );
        assert_eq!(
            errors(quote!(accessor = v, public, event), parse_quote!(fn v(ctx: &ViewContext) {})),
            [
                "unknown view option; the options are `accessor = ident`, `public`, `primary_key = column` and `name = \"...\"`",
                "a view must return its rows, `Vec<T>` or `Option<T>`, or a query, `impl Query<T>` (with `T` a `SpacetimeType` struct)"
            ]
        );
    }

    #[test]
    fn impl_query_is_rewritten() {
        let f: syn::ItemFn = parse_quote!(
            fn v(ctx: &ViewContext) -> impl Query<P> {
                ctx.from.p()
            }
        );
        let ret = view_return(&f).unwrap();
        assert!(matches!(ret, Return::ImplQuery(..)));
        let out = emit_fn(&f, &ret, &quote!(::worldtube)).to_string();
        assert!(out.contains("-> :: worldtube :: query_builder :: RawQuery < P >"), "{out}");
        assert!(out.contains("RawQuery :: < P > :: new (< _ as Query < P > > :: into_sql ("), "{out}");
    }
}
