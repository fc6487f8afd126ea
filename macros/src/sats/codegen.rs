//! IR → `Encode` / `Decode` / `SpacetimeType` impls (see `EXPANSION.md`).

use super::model::{Payload, SatsData, SatsType};
use super::Which;
use crate::krate::quote_at;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;

/// The impls one derive emits, in a `const _: () = { … };` block. Only for a type that passed
/// `check` (stubs for the others are in `stub.rs`).
pub(crate) fn derive(ty: &SatsType, which: Which, k: &TokenStream) -> TokenStream {
    let body = impls(ty, which, k);
    quote!(const _: () = { #body };)
}

/// The impls without the surrounding block (the table macro reuses them).
pub(crate) fn impls(ty: &SatsType, which: Which, k: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if which != Which::Deserialize {
        out.extend(encode_impl(ty, k));
    }
    if which != Which::Serialize {
        out.extend(decode_impl(ty, k));
    }
    if which == Which::All {
        out.extend(spacetime_type_impl(ty, k));
    }
    out
}

/// The type's generics with `bound` added to every type parameter.
fn bounded_generics(ty: &SatsType, bound: syn::TypeParamBound) -> syn::Generics {
    let mut generics = ty.generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.push(bound.clone());
    }
    generics
}

fn encode_impl(ty: &SatsType, k: &TokenStream) -> TokenStream {
    let ident = &ty.ident;
    let generics = bounded_generics(ty, syn::parse_quote!(#k::__private::Encode));
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let body = match &ty.data {
        SatsData::Product(fields) if fields.is_empty() => quote!(let _ = __out;),
        SatsData::Product(fields) => fields
            .iter()
            .map(|f| {
                let member = &f.member;
                quote_at!(f.ty.span(), k => #k::__private::Encode::encode(&self.#member, __out);)
            })
            .collect(),
        SatsData::Sum { variants, .. } if variants.is_empty() => quote!(let _ = __out; match *self {}),
        SatsData::Sum { variants, .. } => {
            let arms = variants.iter().enumerate().map(|(tag, v)| {
                let tag = tag as u8;
                let vid = &v.ident;
                match &v.payload {
                    Payload::Unit => quote!(#ident::#vid { .. } => __out.push(#tag),),
                    Payload::One(member, _) => quote!(#ident::#vid { #member: __v } => {
                        __out.push(#tag);
                        #k::__private::Encode::encode(__v, __out);
                    }),
                    Payload::Unsupported(_) => unsupported(),
                }
            });
            quote!(match self { #(#arms)* })
        }
        SatsData::Union(_) => unsupported(),
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #k::__private::Encode for #ident #ty_generics #where_clause {
            #[inline]
            fn encode(&self, __out: &mut ::std::vec::Vec<u8>) {
                #body
            }
        }
    }
}

fn decode_impl(ty: &SatsType, k: &TokenStream) -> TokenStream {
    let ident = &ty.ident;
    // `'de` outlives every lifetime of the type, so fields may borrow from the input.
    let generics = bounded_generics(ty, syn::parse_quote!(#k::__private::Decode<'de>));
    let (_, ty_generics, where_clause) = generics.split_for_impl();
    let mut de_generics = generics.clone();
    let borrowed = generics.lifetimes().map(|param| param.lifetime.clone());
    de_generics.params.insert(0, syn::parse_quote!('de: #(#borrowed)+*));
    let (de_impl_generics, _, _) = de_generics.split_for_impl();
    let (min_size, body) = match &ty.data {
        SatsData::Product(fields) => {
            let sizes = fields.iter().map(|f| {
                let fty = &f.ty;
                quote_at!(fty.span(), k => + <#fty as #k::__private::Decode<'de>>::MIN_SIZE)
            });
            let inits = fields.iter().map(|f| {
                let member = &f.member;
                quote_at!(f.ty.span(), k => #member: #k::__private::Decode::decode(__r)?,)
            });
            let touch = fields.is_empty().then(|| quote!(let _ = __r;));
            (quote!(0 #(#sizes)*), quote!(#touch ::core::result::Result::Ok(#ident { #(#inits)* })))
        }
        SatsData::Sum { variants, .. } => {
            let name = &ty.name;
            let count = variants.len();
            let arms = variants.iter().enumerate().map(|(tag, v)| {
                let tag = tag as u8;
                let vid = &v.ident;
                match &v.payload {
                    Payload::Unit => quote!(#tag => ::core::result::Result::Ok(#ident::#vid),),
                    Payload::One(member, fty) => {
                        let dec = quote_at!(fty.span(), k => #k::__private::Decode::decode(__r)?);
                        quote!(#tag => ::core::result::Result::Ok(#ident::#vid { #member: #dec }),)
                    }
                    Payload::Unsupported(_) => unsupported(),
                }
            });
            let body = quote! {
                let __at = __r.offset();
                let __tag: u8 = #k::__private::Decode::decode(__r)?;
                match __tag {
                    #(#arms)*
                    _ => ::core::result::Result::Err(#k::__private::invalid_tag(__at, #name, __tag, #count)),
                }
            };
            (quote!(1), body)
        }
        SatsData::Union(_) => unsupported(),
    };
    quote! {
        #[automatically_derived]
        impl #de_impl_generics #k::__private::Decode<'de> for #ident #ty_generics #where_clause {
            const MIN_SIZE: usize = #min_size;
            #[inline]
            fn decode(__r: &mut #k::__private::Reader<'de>) -> ::core::result::Result<Self, #k::__private::DecodeError> {
                #body
            }
        }
    }
}

fn spacetime_type_impl(ty: &SatsType, k: &TokenStream) -> TokenStream {
    let ident = &ty.ident;
    let name = &ty.name;
    let opt_str = quote!(::core::option::Option::<&'static str>);
    let structure = match &ty.data {
        SatsData::Product(fields) => {
            let elems = fields.iter().map(|f| {
                let fty = &f.ty;
                let n = match &f.name {
                    Some(n) => quote!(#opt_str::Some(#n)),
                    None => quote!(#opt_str::None),
                };
                let make = quote_at!(fty.span(), k => <#fty as #k::__private::SpacetimeType>::make_type(__ts));
                quote!(#k::__private::ProductTypeElement::new(#n, #make))
            });
            if fields.is_empty() {
                quote!(#k::__private::AlgebraicType::unit())
            } else {
                quote!(#k::__private::AlgebraicType::Product(#k::__private::ProductType { elements: ::std::boxed::Box::new([#(#elems),*]) }))
            }
        }
        SatsData::Sum { variants, .. } => {
            let elems = variants.iter().map(|v| {
                let n = &v.name;
                let make = match &v.payload {
                    Payload::Unit => quote!(#k::__private::AlgebraicType::unit()),
                    Payload::One(_, fty) => {
                        quote_at!(fty.span(), k => <#fty as #k::__private::SpacetimeType>::make_type(__ts))
                    }
                    Payload::Unsupported(_) => unsupported(),
                };
                quote!(#k::__private::SumTypeVariant::new(#opt_str::Some(#n), #make))
            });
            if variants.is_empty() {
                quote!(#k::__private::AlgebraicType::Sum(::core::default::Default::default()))
            } else {
                quote!(#k::__private::AlgebraicType::Sum(#k::__private::SumType { variants: ::std::boxed::Box::new([#(#elems),*]) }))
            }
        }
        SatsData::Union(_) => unsupported(),
    };
    let plain_enum_extras = ty.is_plain_enum().then(|| plain_enum_extras(ident, k));
    let ts = syn::Ident::new("__ts", Span::call_site());
    quote! {
        #[automatically_derived]
        impl #k::__private::SpacetimeType for #ident {
            fn make_type<__S: #k::__private::TypespaceBuilder>(#ts: &mut __S) -> #k::__private::AlgebraicType {
                #k::__private::TypespaceBuilder::add(
                    #ts,
                    ::core::any::TypeId::of::<#ident>(),
                    ::core::option::Option::Some(#name),
                    |#ts: &mut __S| #structure,
                )
            }
        }
        #plain_enum_extras
    }
}

/// A payload-free enum can be filtered by and be a direct-index key.
pub(crate) fn plain_enum_extras(ty: &syn::Ident, k: &TokenStream) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl #k::__private::FilterablePrivate for #ty {}
        #[automatically_derived]
        impl #k::__private::FilterableValue for #ty { type Column = #ty; }
        #[automatically_derived]
        impl #k::__private::FilterablePrivate for &#ty {}
        #[automatically_derived]
        impl #k::__private::FilterableValue for &#ty { type Column = #ty; }
        #[automatically_derived]
        impl #k::__private::DirectIndexKey for #ty {}
    }
}

/// Unions and unsupported variants never reach this code: `check` rejects them, and the error
/// path emits `stub.rs`'s impls instead.
fn unsupported() -> ! {
    unreachable!("`sats::check` rejects unions and unsupported variants before code generation")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Ctxt;
    use crate::sats::parse::container_attrs;
    use syn::parse_quote;

    fn expand(input: syn::DeriveInput, which: Which) -> String {
        let cx = Ctxt::new();
        let attrs = container_attrs(&cx, &input.attrs);
        let ty = SatsType::from_derive(&input, attrs);
        crate::sats::check::check(&cx, &ty, which);
        assert_eq!(cx.into_messages(), Vec::<String>::new());
        derive(&ty, which, &quote!(::worldtube)).to_string()
    }

    #[test]
    fn struct_expansion_parses_and_names_fields() {
        let out = expand(
            parse_quote!(
                struct S {
                    a: u32,
                    b: String,
                }
            ),
            Which::All,
        );
        syn::parse_str::<syn::File>(&out).unwrap();
        assert!(out.contains("Some (\"a\")"));
        assert!(out.contains("impl :: worldtube :: __private :: SpacetimeType for S"));
        assert!(
            out.contains(
                "const MIN_SIZE : usize = 0 + < u32 as :: worldtube :: __private :: Decode < 'de >> :: MIN_SIZE"
            ),
            "{out}"
        );
    }

    #[test]
    fn halves() {
        let ser = expand(
            parse_quote!(
                struct S;
            ),
            Which::Serialize,
        );
        assert!(ser.contains("Encode for S") && !ser.contains("Decode < 'de > for S"));
        let de = expand(
            parse_quote!(
                struct S(u8);
            ),
            Which::Deserialize,
        );
        assert!(!de.contains("Encode for S") && de.contains("Decode < 'de > for S"));
        syn::parse_str::<syn::File>(&de).unwrap();
    }

    #[test]
    fn serialize_and_deserialize_alone_may_be_generic() {
        let de = expand(
            parse_quote!(
                struct Foo<'a, T> {
                    field: &'a str,
                    other: T,
                }
            ),
            Which::Deserialize,
        );
        syn::parse_str::<syn::File>(&de).unwrap();
        assert!(
            de.contains("impl < 'de : 'a , 'a , T : :: worldtube :: __private :: Decode < 'de > > :: worldtube :: __private :: Decode < 'de > for Foo < 'a , T >"),
            "{de}"
        );
        let ser = expand(
            parse_quote!(
                struct Foo<'a, T> {
                    field: &'a str,
                    other: T,
                }
            ),
            Which::Serialize,
        );
        assert!(ser.contains("impl < 'a , T : :: worldtube :: __private :: Encode > :: worldtube :: __private :: Encode for Foo < 'a , T >"), "{ser}");
    }

    #[test]
    fn enum_expansion() {
        let out = expand(
            parse_quote!(
                enum E {
                    A,
                    B(u8),
                    C { x: u32 },
                }
            ),
            Which::All,
        );
        syn::parse_str::<syn::File>(&out).unwrap();
        assert!(out.contains("invalid_tag (__at , \"E\" , __tag , 3usize)"));
        assert!(!out.contains("DirectIndexKey"));
        let plain = expand(
            parse_quote!(
                enum Color {
                    Red,
                    Green,
                }
            ),
            Which::All,
        );
        assert!(plain.contains("DirectIndexKey for Color"));
        assert!(plain.contains("FilterableValue for & Color"));
        let empty = expand(
            parse_quote!(
                enum Never {}
            ),
            Which::All,
        );
        syn::parse_str::<syn::File>(&empty).unwrap();
    }
}
