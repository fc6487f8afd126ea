//! The rules a derived type must follow, over the finished [`SatsType`]: one function per rule,
//! all run by [`check`], each reporting into the [`Ctxt`].

use super::model::{Payload, SatsData, SatsType};
use super::Which;
use crate::diag::Ctxt;

/// Runs every rule for the impls `which` asks for.
pub(crate) fn check(cx: &Ctxt, ty: &SatsType, which: Which) {
    if which == Which::All {
        no_generics(cx, ty);
    }
    not_union(cx, ty);
    variant_count(cx, ty);
    variant_payloads(cx, ty);
}

/// Generic types cannot be `SpacetimeType`s: a type is registered in the typespace by the
/// `TypeId` of one concrete type, and the official SDK does not support generic module types
/// either. (`Serialize` / `Deserialize` alone may be generic: e.g. a `Foo<'a>` borrowing a
/// `&'a str` from the bytes it decodes, as officially.)
fn no_generics(cx: &Ctxt, ty: &SatsType) {
    if !ty.generics.params.is_empty() {
        cx.error_spanned_by(
            &ty.generics,
            "generic parameters are not supported here: the type must be concrete to be registered in the typespace",
        );
    }
}

/// Unions have no algebraic counterpart.
fn not_union(cx: &Ctxt, ty: &SatsType) {
    if let SatsData::Union(span) = ty.data {
        cx.error_at(span, "`SpacetimeType` cannot be derived for a union; use a struct or an enum");
    }
}

/// Sum tags are one byte, so an enum can have at most 256 variants.
fn variant_count(cx: &Ctxt, ty: &SatsType) {
    if let SatsData::Sum { enum_token, variants } = &ty.data {
        if variants.len() > 256 {
            cx.error_at(*enum_token, "an enum can have at most 256 variants (the tag is one byte)");
        }
    }
}

/// A variant is a unit variant or carries exactly one field (`A(T)`, or `A { x: T }` as the
/// official SDK also accepts).
fn variant_payloads(cx: &Ctxt, ty: &SatsType) {
    let SatsData::Sum { variants, .. } = &ty.data else { return };
    for v in variants {
        if let Payload::Unsupported(fields) = &v.payload {
            cx.error_spanned_by(
                fields,
                format_args!(
                    "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `{}(MyStruct)`",
                    v.ident
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Ctxt;
    use crate::sats::model::SatsType;
    use crate::sats::parse::ContainerAttrs;
    use syn::parse_quote;

    fn errors(input: syn::DeriveInput) -> Vec<String> {
        let cx = Ctxt::new();
        super::check(&cx, &SatsType::from_derive(&input, ContainerAttrs::default()), super::Which::All);
        cx.into_messages()
    }

    #[test]
    fn accepted_shapes() {
        assert!(errors(parse_quote!(
            struct S;
        ))
        .is_empty());
        assert!(errors(parse_quote!(
            enum E {
                A,
                B(u8),
                C { x: u32 },
            }
        ))
        .is_empty());
    }

    #[test]
    fn rejected_shapes() {
        assert_eq!(
            errors(parse_quote!(union U { a: u8 })),
            ["`SpacetimeType` cannot be derived for a union; use a struct or an enum"]
        );
        assert_eq!(
            errors(parse_quote!(
                struct G<T> {
                    t: T,
                }
            )),
            ["generic parameters are not supported here: the type must be concrete to be registered in the typespace"]
        );
        assert_eq!(
            errors(parse_quote!(
                enum E {
                    A(u8, u8),
                    B { x: u8, y: u8 },
                    C(),
                }
            )),
            [
                "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `A(MyStruct)`",
                "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `B(MyStruct)`",
                "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `C(MyStruct)`",
            ]
        );
    }

    #[test]
    fn too_many_variants() {
        let variants = (0..257).map(|i| quote::format_ident!("V{i}"));
        assert_eq!(
            errors(parse_quote!(enum Big { #(#variants),* })),
            ["an enum can have at most 256 variants (the tag is one byte)"]
        );
    }
}
