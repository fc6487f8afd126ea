//! `#[settings]` (2.x) on `const CASE_CONVERSION_POLICY: CaseConversionPolicy = …;`: a module-wide
//! setting, registered under `__preinit__05_setting_{NAME}` (so it is set before any table or
//! function is described, and a second one for the same setting collides).

use crate::generation::Generation;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

/// The settings a module can make, by the name of their `const`.
const KNOWN: &[&str] = &["CASE_CONVERSION_POLICY"];

/// Expands `#[settings] const NAME: Type = value;`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let item: syn::ItemConst = match syn::parse2(item.clone()) {
        Ok(c) => c,
        Err(_) => {
            let err = syn::Error::new_spanned(
                &item,
                "`#[settings]` goes on a `const` naming a setting, e.g. \
                 `#[settings] const CASE_CONVERSION_POLICY: CaseConversionPolicy = CaseConversionPolicy::None;`",
            );
            let mut out = item;
            out.extend(err.into_compile_error());
            return out;
        }
    };
    let mut out = item.to_token_stream();
    let ident = &item.ident;
    let name = ident.to_string();
    let mut errors = Vec::new();
    if !args.is_empty() {
        errors
            .push(syn::Error::new_spanned(&args, "`#[settings]` takes no options; the setting is the `const`'s name"));
    }
    if !KNOWN.contains(&name.as_str()) {
        errors.push(syn::Error::new_spanned(
            ident,
            format!("unknown setting `{name}`; the settings are: {}", KNOWN.join(", ")),
        ));
    }
    if crate::generation::current() == Generation::V1 {
        errors.push(syn::Error::new_spanned(
            ident,
            "module settings are a SpacetimeDB 2.x feature, and this crate is written for 1.x: switch it to 2.x with \
             `features = [\"v2\"]` on its worldtube dependency",
        ));
    }
    if !errors.is_empty() {
        for e in errors {
            out.extend(e.into_compile_error());
        }
        return out;
    }
    let k = crate::krate::crate_path();
    let symbol = format!("__preinit__05_setting_{name}");
    let marker = format_ident!("__only_one_setting_{}", name, span = ident.span());
    out.extend(quote! {
        // A second `#[settings]` for the same setting in this module collides here.
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        struct #marker;

        const _: () = {
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                __m.set_case_conversion_policy_v10(#ident);
            }
            #k::__private::register_describer_v10!(#k, #symbol, __describe);
        };
    });
    out
}
