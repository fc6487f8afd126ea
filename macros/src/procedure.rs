//! `#[procedure]` (2.x): a function taking `&mut ProcedureContext` that returns a value. It shares
//! the reducer's model (name, parameters, marker type), with its own options, rules and
//! generated invoker (see `EXPANSION.md`).

use crate::diag::Ctxt;
use crate::generation::Generation;
use crate::krate::quote_at;
use crate::reducer::model::{Context, Reducer};
use crate::reducer::parse::ReducerArgs;
use crate::sats::parse::skip_option_value;
use crate::util::check_db_identifier;
use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::spanned::Spanned;

/// The most arguments (after the context) a procedure may take, as for reducers.
const MAX_ARGS: usize = crate::reducer::check::MAX_ARGS;

/// Expands `#[procedure(args)] item`. The function is always emitted unchanged; on an error, the
/// marker type's stubs come with the errors.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let func = match crate::util::parse_fn(item, "`#[procedure]` can only be applied to a function, e.g. `#[procedure] fn my_procedure(ctx: &mut ProcedureContext) {}`") {
        Ok(f) => f,
        Err(out) => return out,
    };
    let cx = Ctxt::new();
    let attr_span = args.span();
    let name = procedure_args(&cx, args);
    if crate::generation::current() == Generation::V1 {
        cx.error_at(
            attr_span,
            "procedures are a SpacetimeDB 2.x feature, and this crate is written for 1.x: switch it to 2.x with \
             `features = [\"v2\"]` on its worldtube dependency (`spacetimedb = { package = \"worldtube\", ..., features = [\"v2\"] }`)",
        );
    }
    let p = Reducer::from_fn(&func, ReducerArgs { lifecycle: None, name }).into_v2();
    check(&cx, &p);
    let k = crate::krate::crate_path();
    let mut out = func.to_token_stream();
    match cx.check() {
        Ok(()) => out.extend(codegen(&p, &k)),
        Err(e) => {
            out.extend(crate::reducer::stub::reducer(&p, &k));
            out.extend(e.into_compile_error());
        }
    }
    out
}

/// `name = "…"`, the only option.
fn procedure_args(cx: &Ctxt, args: TokenStream) -> Option<syn::LitStr> {
    let mut name = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("name") {
            match meta.value()?.parse::<syn::Expr>()? {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => {
                    if name.is_some() {
                        cx.error_spanned_by(&meta.path, "`name` is given more than once; keep one");
                    } else {
                        name = Some(s);
                    }
                }
                other => cx.error_spanned_by(
                    other,
                    "`name` takes a string literal, e.g. `#[procedure(name = \"my_procedure\")]`",
                ),
            }
        } else {
            cx.error_spanned_by(
                &meta.path,
                "unknown procedure option; the only one is `name = \"...\"` (procedures have no lifecycle)",
            );
            skip_option_value(&meta);
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        cx.syn_error(e);
    }
    name
}

/// The rules a procedure follows.
fn check(cx: &Ctxt, p: &Reducer) {
    let sig = &p.sig;
    if let Some(a) = &sig.asyncness {
        cx.error_spanned_by(a, "a procedure cannot be `async`: it blocks (sleeps, waits for HTTP) synchronously");
    }
    if let Some(u) = &sig.unsafety {
        cx.error_spanned_by(u, "a procedure cannot be `unsafe`");
    }
    if let Some(v) = &sig.variadic {
        cx.error_spanned_by(v, "a procedure cannot be variadic");
    }
    for g in &sig.generics.params {
        if !matches!(g, syn::GenericParam::Lifetime(_)) {
            cx.error_spanned_by(g, "a procedure cannot have type or const parameters; use concrete types");
        }
    }
    if let Err(why) = check_db_identifier(&p.name) {
        let hint = match p.name.strip_prefix("r#") {
            Some(bare) => format!("; rename the function (e.g. `{bare}_`) and give it the canonical name `#[procedure(name = \"{bare}\")]`"),
            None => String::new(),
        };
        cx.error_at(p.name_span, format_args!("invalid procedure name: {why}{hint}"));
    }
    context_param(cx, p);
    for recv in &p.late_receivers {
        cx.error_spanned_by(recv, "a procedure cannot take `self`; make it a free function");
    }
    for param in &p.params {
        if let syn::Type::ImplTrait(t) = &param.ty {
            cx.error_spanned_by(t, "`impl Trait` parameters are not allowed in a procedure; use a concrete type");
            continue;
        }
        match &param.ident {
            Some(ident) => {
                if let Err(why) = check_db_identifier(&ident.to_string()) {
                    cx.error_spanned_by(ident, format_args!("invalid parameter name: {why}"));
                }
            }
            None => cx.error_at(
                param.pat.span(),
                "procedure parameters must be plain names (`name: Type`): the name is part of the procedure's signature in the module",
            ),
        }
    }
    let n = sig.inputs.len().saturating_sub(1);
    if n > MAX_ARGS {
        cx.error_spanned_by(
            &sig.inputs,
            format_args!(
                "a procedure can take at most {MAX_ARGS} arguments after the context, this one takes {n}; group them in a struct"
            ),
        );
    }
}

/// The first parameter is `&mut ProcedureContext` (any path ending in it, or an alias: a wrong
/// type then fails to type-check at this parameter).
fn context_param(cx: &Ctxt, p: &Reducer) {
    let expected = "a procedure's first parameter must be the context: `ctx: &mut ProcedureContext`";
    match &p.context {
        Context::Missing(span) => cx.error_at(
            *span,
            format_args!(
                "a procedure's first parameter must be the context, e.g. `fn {}(ctx: &mut ProcedureContext)`",
                p.fn_ident
            ),
        ),
        Context::Receiver(recv) => cx.error_spanned_by(recv, expected),
        Context::Typed(syn::Type::Reference(re)) if last_segment_is(&re.elem, "ReducerContext") => {
            cx.error_spanned_by(
                re,
                "a procedure takes `&mut ProcedureContext`, not a `ReducerContext`; for a function that runs in a \
                 transaction use `#[reducer]`",
            )
        }
        Context::Typed(syn::Type::Reference(re)) if re.mutability.is_some() => {}
        Context::Typed(syn::Type::Reference(re)) => cx.error_spanned_by(
            re,
            "the context parameter must be a mutable reference: `&mut ProcedureContext` (procedures change their context: \
             `with_tx`, `sleep_until`)",
        ),
        Context::Typed(ty) if last_segment_is(ty, "ProcedureContext") => {
            cx.error_spanned_by(ty, "the context parameter must be a mutable reference: `&mut ProcedureContext`")
        }
        Context::Typed(ty) => cx.error_spanned_by(ty, expected),
    }
}

fn last_segment_is(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// Everything emitted after the (unchanged) function, for a procedure that passed `check`.
fn codegen(p: &Reducer, k: &TokenStream) -> TokenStream {
    let fn_ident = &p.fn_ident;
    let name = &p.name;
    let symbol = format!("__preinit__20_register_describer_{name}");
    let ctx = syn::Ident::new("__ctx", Span::mixed_site());
    let reader = syn::Ident::new("__r", Span::mixed_site());
    let args = syn::Ident::new("__args", Span::mixed_site());
    let idents: Vec<&syn::Ident> =
        p.params.iter().map(|param| param.ident.as_ref().expect("`check` rejects unnamed parameters")).collect();
    let decode_args = p.params.iter().zip(&idents).map(|(param, ident)| {
        let (ty, arg_name) = (&param.ty, ident.to_string());
        let call = quote_at!(ty.span(), k => #k::__private::decode_procedure_arg(&mut #reader, #name, #arg_name));
        quote!(let #ident: #ty = #call;)
    });
    let Context::Typed(ctx_ty) = &p.context else {
        unreachable!("`check` rejects a procedure without a typed context")
    };
    let ctx_arg = syn::Ident::new("__ctx", Span::mixed_site().located_at(ctx_ty.span()));
    let call = quote!(#fn_ident(#ctx_arg, #(#idents),*));
    let ret_span = p.ret.as_ref().map_or(fn_ident.span(), |t| t.span());
    let ret = syn::Ident::new("__ret", ret_span);
    let to_result = quote_at!(ret_span, k => #k::__private::IntoProcedureResult::to_result(&#ret));
    let ret_ty = match &p.ret {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let make_ret = quote_at!(ret_span, k => <#ret_ty as #k::__private::SpacetimeType>::make_type(__m.typespace_v10()));
    let param_types = p.params.iter().zip(&idents).map(|(param, ident)| {
        let (ty, pname) = (&param.ty, ident.to_string());
        let make = quote_at!(ty.span(), k => <#ty as #k::__private::SpacetimeType>::make_type(__m.typespace_v10()));
        quote!(#k::__private::ProductTypeElement::new(::core::option::Option::Some(#pname), #make))
    });
    let params = if p.params.is_empty() {
        quote!(#k::__private::ProductType::default())
    } else {
        quote!(#k::__private::ProductType { elements: ::std::boxed::Box::new([#(#param_types),*]) })
    };
    let names = p.canonical.iter().map(|c| quote!(__names.insert_function(#name, #c);));
    let arg_tys = p.params.iter().map(|param| &param.ty);
    let marker = crate::reducer::codegen::marker_struct(p);
    let markers = crate::reducer::codegen::uniqueness_markers(p);
    quote! {
        #marker

        #markers

        const _: () = {
            fn __invoke(#ctx: &mut #k::ProcedureContext, #args: &[u8]) -> ::std::vec::Vec<u8> {
                let mut #reader = #k::__private::Reader::new(#args);
                #(#decode_args)*
                #k::__private::finish_procedure_args(&#reader, #name);
                let #ret = #call;
                #to_result
            }
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                let __params = #params;
                let __ret_ty = #make_ret;
                __m.add_procedure_v10(#name, __params, __ret_ty, __invoke);
                #[allow(unused_mut)]
                let mut __names = <#k::__private::ExplicitNames as ::core::default::Default>::default();
                #(#names)*
                __m.add_explicit_names_v10(__names);
            }
            #k::__private::register_describer_v10!(#k, #symbol, __describe);
            #[automatically_derived]
            impl #k::__private::ReducerInfo for #fn_ident {
                const NAME: &'static str = #name;
                type Args = (#(#arg_tys,)*);
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn errors(f: syn::ItemFn) -> Vec<String> {
        let cx = Ctxt::new();
        check(&cx, &Reducer::from_fn(&f, ReducerArgs::default()).into_v2());
        cx.into_messages()
    }

    #[test]
    fn contexts() {
        assert!(errors(parse_quote!(
            fn p(ctx: &mut ProcedureContext, a: u8) -> u8 {}
        ))
        .is_empty());
        assert_eq!(
            errors(parse_quote!(fn p(ctx: &ReducerContext) {})),
            ["a procedure takes `&mut ProcedureContext`, not a `ReducerContext`; for a function that runs in a transaction use `#[reducer]`"]
        );
        assert_eq!(
            errors(parse_quote!(fn p(ctx: &ProcedureContext) {})),
            ["the context parameter must be a mutable reference: `&mut ProcedureContext` (procedures change their context: `with_tx`, `sleep_until`)"]
        );
        assert_eq!(
            errors(parse_quote!(
                fn p() {}
            )),
            ["a procedure's first parameter must be the context, e.g. `fn p(ctx: &mut ProcedureContext)`"]
        );
    }

    #[test]
    fn options() {
        let cx = Ctxt::new();
        let name = procedure_args(&cx, quote!(name = "x", init));
        assert_eq!(name.unwrap().value(), "x");
        assert_eq!(
            cx.into_messages(),
            ["unknown procedure option; the only one is `name = \"...\"` (procedures have no lifecycle)"]
        );
    }

    #[test]
    fn expansion_registers_and_returns_bsatn() {
        let f: syn::ItemFn = parse_quote!(
            fn add(ctx: &mut ProcedureContext, a: u32, b: u32) -> u32 {}
        );
        let p = Reducer::from_fn(&f, ReducerArgs::default()).into_v2();
        let out = codegen(&p, &quote!(::worldtube));
        syn::parse2::<syn::File>(out.clone()).unwrap();
        let out = out.to_string();
        assert!(out.contains("add_procedure_v10 (\"add\" , __params , __ret_ty , __invoke)"), "{out}");
        assert!(out.contains("\"__preinit__20_register_describer_add\""), "{out}");
        assert!(out.contains("IntoProcedureResult :: to_result"), "{out}");
        assert!(out.contains("type Args = (u32 , u32 ,) ;"), "{out}");
    }
}
