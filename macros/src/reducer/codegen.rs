//! Reducer IR → marker struct, invoker, describer and registration (see `EXPANSION.md`).

use super::model::{Context, Lifecycle, Param, Reducer};
use crate::krate::quote_at;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;

/// Everything emitted after the (unchanged) function, for a reducer that passed `check`.
pub(crate) fn reducer(r: &Reducer, k: &TokenStream) -> TokenStream {
    let fn_ident = &r.fn_ident;
    let name = &r.name;
    let symbol = format!("__preinit__20_register_describer_{name}");
    // Internal locals get mixed-site hygiene so they never clash with parameter names.
    let ctx = syn::Ident::new("__ctx", Span::mixed_site());
    let reader = syn::Ident::new("__r", Span::mixed_site());
    let args = syn::Ident::new("__args", Span::mixed_site());

    let decode_args = r.params.iter().map(|p| {
        let (ident, ty) = (param_ident(p), &p.ty);
        let arg_name = ident.to_string();
        let call = quote_at!(ty.span(), k => #k::__private::decode_arg(&mut #reader, #name, #arg_name)?);
        quote!(let #ident: #ty = #call;)
    });
    let arg_idents = r.params.iter().map(param_ident);
    let Context::Typed(ctx_ty) = &r.context else {
        unreachable!("`reducer::check::context_param` rejects a reducer without a typed context")
    };
    // Same hygiene as `__ctx`, located at the context type so a wrong type is reported there.
    let ctx_arg = syn::Ident::new("__ctx", Span::mixed_site().located_at(ctx_ty.span()));
    let call = quote!(#fn_ident(#ctx_arg, #(#arg_idents),*));
    let ret_span = r.ret.as_ref().map_or(fn_ident.span(), |t| t.span());
    // The result goes through a local located at the return type, so that an unsupported return
    // type is reported there rather than at the attribute.
    // (Call-site hygiene: a mixed-site span would make rustc point at the attribute instead. A
    // parameter named `__ret` is harmless: the call is evaluated before the binding shadows it.)
    let ret = syn::Ident::new("__ret", ret_span);
    let into_result = quote_at!(ret_span, k => #k::__private::IntoReducerResult::into_reducer_result(#ret));
    let into_result = quote! {
        let #ret = #call;
        #into_result
    };

    let param_types = r.params.iter().map(|p| {
        let (ty, pname) = (&p.ty, param_ident(p).to_string());
        let make = if r.v2 {
            quote_at!(ty.span(), k => <#ty as #k::__private::SpacetimeType>::make_type(__m.typespace_v10()))
        } else {
            quote_at!(ty.span(), k => <#ty as #k::__private::SpacetimeType>::make_type(__m.typespace()))
        };
        quote!(#k::__private::ProductTypeElement::new(::core::option::Option::Some(#pname), #make))
    });
    let params = if r.params.is_empty() {
        quote!(#k::__private::ProductType::default())
    } else {
        quote!(#k::__private::ProductType { elements: ::std::boxed::Box::new([#(#param_types),*]) })
    };
    let lifecycle = match r.lifecycle {
        None => quote!(::core::option::Option::None),
        Some((lc, _)) => {
            let v = match lc {
                Lifecycle::Init => quote!(Init),
                Lifecycle::OnConnect => quote!(OnConnect),
                Lifecycle::OnDisconnect => quote!(OnDisconnect),
            };
            quote!(::core::option::Option::Some(#k::__private::Lifecycle::#v))
        }
    };
    let arg_tys = r.params.iter().map(|p| &p.ty);
    let markers = uniqueness_markers(r);

    let marker = marker_struct(r);
    let describe = if r.v2 {
        let names = r.canonical.iter().map(|c| quote!(__names.insert_function(#name, #c);));
        quote! {
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                let __params = #params;
                __m.add_reducer_v10(#name, __params, #lifecycle, __invoke);
                #[allow(unused_mut)]
                let mut __names = <#k::__private::ExplicitNames as ::core::default::Default>::default();
                #(#names)*
                __m.add_explicit_names_v10(__names);
            }
            #k::__private::register_describer_v10!(#k, #symbol, __describe);
        }
    } else {
        quote! {
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                let __params = #params;
                __m.add_reducer(#name, __params, #lifecycle, __invoke);
            }
            #k::__private::register_describer!(#k, #symbol, __describe);
        }
    };
    quote! {
        #marker

        #markers

        const _: () = {
            fn __invoke(#ctx: &#k::ReducerContext, #args: &[u8]) -> #k::__private::ReducerResult {
                let mut #reader = #k::__private::Reader::new(#args);
                #(#decode_args)*
                #k::__private::finish_args(&#reader, #name)?;
                #into_result
            }
            #describe
            #[automatically_derived]
            impl #k::__private::ReducerInfo for #fn_ident {
                const NAME: &'static str = #name;
                type Args = (#(#arg_tys,)*);
            }
        };
    }
}

/// A parameter's name: `check::plain_params` rejects parameters without one.
fn param_ident(p: &Param) -> &syn::Ident {
    p.ident.as_ref().expect("`reducer::check::plain_params` rejects unnamed parameters")
}

/// The marker struct users name (in `scheduled(...)`, typed calls): a unit-like type that cannot
/// be constructed.
pub(crate) fn marker_struct(r: &Reducer) -> TokenStream {
    let (vis, fn_ident) = (&r.vis, &r.fn_ident);
    let marker_doc =
        format!("The reducer `{}` as a type: what `scheduled(...)` on a table and typed test calls name.", r.name);
    quote! {
        #[doc = #marker_doc]
        #[allow(non_camel_case_types)]
        #vis struct #fn_ident { _never: ::core::convert::Infallible }
    }
}

/// Module-level unit structs whose names collide when two reducers in one module share a
/// reducer name, or declare the same lifecycle: rustc then reports "the name … is defined
/// multiple times" at the second reducer's name / lifecycle option. (Across modules, equal
/// reducer names still collide at link time through the shared `__preinit__` symbol.)
/// (The error path emits them too, when the name is a valid identifier, so that a duplicate is
/// reported along with other mistakes.)
pub(crate) fn uniqueness_markers(r: &Reducer) -> TokenStream {
    let mut out = TokenStream::new();
    if crate::util::check_db_identifier(&r.name).is_err() {
        // Only on the error path (`check::reducer_name`): the name cannot be part of an ident.
        return out;
    }
    let by_name = format_ident!("__a_reducer_named_{}_already_exists_in_this_module", r.name, span = r.name_span);
    out.extend(quote! {
        // Duplicate-reducer-name detector: see `EXPANSION.md`.
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        struct #by_name;
    });
    if let Some((lc, span)) = r.lifecycle {
        let kind = match lc {
            Lifecycle::Init => "init",
            Lifecycle::OnConnect => "client_connected",
            Lifecycle::OnDisconnect => "client_disconnected",
        };
        let ident = format_ident!("__only_one_reducer_may_be_{}", kind, span = span);
        out.extend(quote! {
            // At most one reducer per lifecycle: a second one in this module collides here.
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code)]
            struct #ident;
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Ctxt;
    use crate::reducer::parse::reducer_args;
    use syn::parse_quote;

    fn expand(args: TokenStream, f: syn::ItemFn) -> String {
        let cx = Ctxt::new();
        let a = reducer_args(&cx, args);
        let r = Reducer::from_fn(&f, a);
        crate::reducer::check::check(&cx, &r);
        assert_eq!(cx.into_messages(), Vec::<String>::new());
        let out = reducer(&r, &quote!(::worldtube));
        syn::parse2::<syn::File>(out.clone()).unwrap();
        out.to_string()
    }

    #[test]
    fn plain() {
        let out = expand(
            quote!(),
            parse_quote!(
                pub fn send_message(ctx: &ReducerContext, text: String, to: Option<Identity>) -> Result<(), String> {}
            ),
        );
        assert!(out.contains("pub struct send_message { _never : :: core :: convert :: Infallible }"));
        assert!(out.contains("\"__preinit__20_register_describer_send_message\""));
        assert!(out.contains("decode_arg (& mut __r , \"send_message\" , \"text\") ?"));
        assert!(out.contains("type Args = (String , Option < Identity > ,) ;"));
        assert!(
            out.contains("add_reducer (\"send_message\" , __params , :: core :: option :: Option :: None , __invoke)")
        );
        assert!(out.contains("struct __a_reducer_named_send_message_already_exists_in_this_module ;"));
        assert!(!out.contains("__only_one_reducer_may_be"));
    }

    #[test]
    fn lifecycle_and_name() {
        let out = expand(
            quote!(init, name = "boot"),
            parse_quote!(
                fn setup(ctx: &ReducerContext) {}
            ),
        );
        assert!(out.contains("Some (:: worldtube :: __private :: Lifecycle :: Init)"));
        assert!(out.contains("const NAME : & 'static str = \"boot\""));
        assert!(out.contains("struct __only_one_reducer_may_be_init ;"));
        assert!(out.contains("struct __a_reducer_named_boot_already_exists_in_this_module ;"));
        assert!(out.contains("type Args = () ;"));
        let out = expand(
            quote!(update),
            parse_quote!(
                fn upd(ctx: &ReducerContext) {}
            ),
        );
        assert!(out.contains("__params , :: core :: option :: Option :: None"));
    }
}
