//! `#[derive(SpacetimeType)]`, `#[derive(Serialize)]` and `#[derive(Deserialize)]`.

pub(crate) mod check;
pub(crate) mod codegen;
pub(crate) mod model;
pub(crate) mod parse;

use crate::diag::Ctxt;
use proc_macro2::TokenStream;

/// Which impls a derive emits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Which {
    /// `SpacetimeType` + `Encode` + `Decode` (+ the unit-enum extras).
    All,
    /// `Encode` only.
    Serialize,
    /// `Decode` only.
    Deserialize,
}

/// Expands one of the three derives.
pub(crate) fn expand_derive(input: TokenStream, which: Which) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    let cx = Ctxt::new();
    let attrs = parse::container_attrs(&cx, &input.attrs);
    let ty = model::SatsType::from_derive(&cx, &input, attrs);
    match ty {
        Some(ty) if !cx.has_errors() => codegen::derive(&ty, which, &crate::krate::crate_path()),
        _ => cx.into_compile_errors(),
    }
}
