//! `#[derive(SpacetimeType)]`, `#[derive(Serialize)]` and `#[derive(Deserialize)]`.

pub(crate) mod check;
pub(crate) mod codegen;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod stub;

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

/// Expands one of the three derives. On an error, stub impls come with the errors, so code that
/// uses the type reports nothing more.
pub(crate) fn expand_derive(input: TokenStream, which: Which) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    let cx = Ctxt::new();
    let attrs = parse::container_attrs(&cx, &input.attrs);
    let ty = model::SatsType::from_derive(&input, attrs);
    check::check(&cx, &ty, which);
    let k = crate::krate::crate_path();
    match cx.check() {
        Ok(()) => codegen::derive(&ty, which, &k),
        Err(e) => {
            let mut out = stub::derive(&ty, which, &k);
            out.extend(e.into_compile_error());
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{expand_derive, Which};
    use quote::quote;

    #[test]
    fn errors_come_with_stubs() {
        let out = expand_derive(
            quote!(
                enum E {
                    A(u8, u8),
                }
            ),
            Which::All,
        )
        .to_string();
        assert_eq!(out.matches("compile_error").count(), 1, "{out}");
        assert!(out.contains("SpacetimeType for E") && out.contains("Encode for E"), "{out}");
        let out = expand_derive(
            quote!(
                enum E {
                    A(u8),
                }
            ),
            Which::All,
        )
        .to_string();
        assert!(!out.contains("compile_error") && out.contains("invalid_tag (__at"), "{out}");
    }
}
