//! The error path of the derives: impls with the right traits and signatures but placeholder
//! bodies, so that code using the type (as a column, an argument or a field) compiles on and the
//! author sees only the derive's own errors. The crate does not build either way (the errors are
//! emitted alongside), so these bodies never run.

use super::model::SatsType;
use super::Which;
use proc_macro2::TokenStream;
use quote::quote;

/// The stub impls `which` asks for, in a `const _: () = { … };` block.
pub(crate) fn derive(ty: &SatsType, which: Which, k: &TokenStream) -> TokenStream {
    let body = impls(ty, which, k);
    quote!(const _: () = { #body };)
}

/// The stub impls without the surrounding block (the table macro reuses them for its row type).
pub(crate) fn impls(ty: &SatsType, which: Which, k: &TokenStream) -> TokenStream {
    let ident = &ty.ident;
    let name = &ty.name;
    let (impl_generics, ty_generics, where_clause) = ty.generics.split_for_impl();
    // `'de` for `Decode`, after the type's own lifetimes (which must come first).
    let mut de_generics = ty.generics.clone();
    de_generics.params.insert(0, syn::parse_quote!('de));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    let mut out = TokenStream::new();
    if which != Which::Deserialize {
        out.extend(quote! {
            #[automatically_derived]
            impl #impl_generics #k::__private::Encode for #ident #ty_generics #where_clause {
                fn encode(&self, __out: &mut ::std::vec::Vec<u8>) {
                    let _ = (self, __out);
                }
            }
        });
    }
    if which != Which::Serialize {
        out.extend(quote! {
            #[automatically_derived]
            impl #de_impl_generics #k::__private::Decode<'de> for #ident #ty_generics #where_clause {
                fn decode(__r: &mut #k::__private::Reader<'de>) -> ::core::result::Result<Self, #k::__private::DecodeError> {
                    ::core::result::Result::Err(#k::__private::invalid_tag(__r.offset(), #name, 0, 0))
                }
            }
        });
    }
    if which == Which::All {
        out.extend(quote! {
            #[automatically_derived]
            impl #impl_generics #k::__private::SpacetimeType for #ident #ty_generics #where_clause {
                fn make_type<__S: #k::__private::TypespaceBuilder>(_: &mut __S) -> #k::__private::AlgebraicType {
                    #k::__private::AlgebraicType::unit()
                }
            }
        });
        // A generic plain enum would not compile anyway (unused type parameters).
        if ty.is_plain_enum() && ty.generics.params.is_empty() {
            out.extend(super::codegen::plain_enum_extras(ident, k));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sats::parse::ContainerAttrs;
    use syn::parse_quote;

    fn stub(input: syn::DeriveInput, which: Which) -> String {
        let ty = SatsType::from_derive(&input, ContainerAttrs::default());
        let out = derive(&ty, which, &quote!(::worldtube));
        syn::parse2::<syn::File>(out.clone()).unwrap();
        out.to_string()
    }

    #[test]
    fn every_requested_trait_is_implemented() {
        let out = stub(parse_quote!(union U { a: u8 }), Which::All);
        assert!(out.contains("impl :: worldtube :: __private :: Encode for U"), "{out}");
        assert!(out.contains("impl < 'de > :: worldtube :: __private :: Decode < 'de > for U"), "{out}");
        assert!(out.contains("impl :: worldtube :: __private :: SpacetimeType for U"), "{out}");
        assert!(out.contains("invalid_tag (__r . offset () , \"U\" , 0 , 0)"), "{out}");
        let out = stub(parse_quote!(union U { a: u8 }), Which::Serialize);
        assert!(out.contains("Encode for U") && !out.contains("Decode") && !out.contains("SpacetimeType"));
        let out = stub(parse_quote!(union U { a: u8 }), Which::Deserialize);
        assert!(!out.contains("Encode") && out.contains("Decode < 'de > for U"));
    }

    #[test]
    fn generics_are_carried_over() {
        let out = stub(
            parse_quote!(
                struct W<'a, T: Copy>
                where
                    T: Send,
                {
                    t: &'a T,
                }
            ),
            Which::All,
        );
        assert!(
            out.contains("impl < 'a , T : Copy > :: worldtube :: __private :: Encode for W < 'a , T > where T : Send"),
            "{out}"
        );
        assert!(
            out.contains("impl < 'de , 'a , T : Copy > :: worldtube :: __private :: Decode < 'de > for W < 'a , T >"),
            "{out}"
        );
    }

    #[test]
    fn plain_enums_keep_their_filter_impls() {
        let out = stub(
            parse_quote!(
                enum Color {
                    Red,
                    Green,
                }
            ),
            Which::All,
        );
        assert!(out.contains("DirectIndexKey for Color") && out.contains("FilterableValue for & Color"), "{out}");
        let out = stub(
            parse_quote!(
                enum Shape {
                    Point,
                    Rect(u32, u32),
                }
            ),
            Which::All,
        );
        assert!(!out.contains("DirectIndexKey"), "{out}");
    }
}
