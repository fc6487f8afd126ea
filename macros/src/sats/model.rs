//! The shape of a derived type, as written: built without judging it (the rules are in
//! `check.rs`), so the error path can still emit stub impls for it.

use super::parse::ContainerAttrs;
use crate::util::ident_name;
use proc_macro2::Span;

/// A type that derives `SpacetimeType` (or is a table row).
#[derive(Clone)]
pub(crate) struct SatsType {
    /// The Rust type's name.
    pub ident: syn::Ident,
    /// Its generic parameters (rejected by the rules; the stubs carry them over).
    pub generics: syn::Generics,
    /// Its typespace name: `#[sats(name = ...)]` or the ident.
    pub name: String,
    /// Product, sum or union.
    pub data: SatsData,
}

/// The structure of a derived type.
#[derive(Clone)]
pub(crate) enum SatsData {
    /// A struct: its fields in declaration order (empty for `struct S;`).
    Product(Vec<Field>),
    /// An enum: its variants in declaration order; the position is the tag.
    Sum {
        /// The `enum` keyword (where a rule about the whole enum reports).
        enum_token: Span,
        /// The variants.
        variants: Vec<Variant>,
    },
    /// A union (no algebraic counterpart; the `union` keyword's span).
    Union(Span),
}

/// A struct field.
#[derive(Clone)]
pub(crate) struct Field {
    /// How to reach it: `self.a` or `self.0`.
    pub member: syn::Member,
    /// Its element name (`None` for tuple-struct fields).
    pub name: Option<String>,
    /// Its type.
    pub ty: syn::Type,
}

/// An enum variant.
#[derive(Clone)]
pub(crate) struct Variant {
    /// The variant's ident.
    pub ident: syn::Ident,
    /// Its name in the sum type.
    pub name: String,
    /// What it carries.
    pub payload: Payload,
}

/// What an enum variant carries.
#[derive(Clone)]
pub(crate) enum Payload {
    /// Nothing: `A`.
    Unit,
    /// One field, `A(T)` or `A { x: T }`: how to reach it and its type.
    One(syn::Member, syn::Type),
    /// Anything else (`A()`, `A(T, U)`, `A { x: T, y: U }`), kept as written for the error.
    Unsupported(syn::Fields),
}

impl SatsType {
    /// The type as written, with its `#[sats]` options. Never fails: what cannot be derived is
    /// recorded, and reported by `check`.
    pub(crate) fn from_derive(input: &syn::DeriveInput, attrs: ContainerAttrs) -> Self {
        let data = match &input.data {
            syn::Data::Struct(s) => SatsData::Product(fields_of(&s.fields)),
            syn::Data::Enum(e) => SatsData::Sum {
                enum_token: e.enum_token.span,
                variants: e
                    .variants
                    .iter()
                    .map(|v| Variant { ident: v.ident.clone(), name: ident_name(&v.ident), payload: payload_of(v) })
                    .collect(),
            },
            syn::Data::Union(u) => SatsData::Union(u.union_token.span),
        };
        let name = attrs.name.map_or_else(|| ident_name(&input.ident), |n| n.value());
        SatsType { ident: input.ident.clone(), generics: input.generics.clone(), name, data }
    }

    /// Whether this is an enum whose variants all carry no data.
    pub(crate) fn is_plain_enum(&self) -> bool {
        matches!(&self.data, SatsData::Sum { variants, .. } if variants.iter().all(|v| matches!(v.payload, Payload::Unit)))
    }
}

/// The fields of a struct as IR fields.
pub(crate) fn fields_of(fields: &syn::Fields) -> Vec<Field> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field {
            member: match &f.ident {
                Some(id) => syn::Member::Named(id.clone()),
                None => syn::Member::Unnamed(syn::Index { index: i as u32, span: Span::call_site() }),
            },
            name: f.ident.as_ref().map(ident_name),
            ty: f.ty.clone(),
        })
        .collect()
}

/// A variant's payload. Explicit discriminants are ignored (the tag is the position), as
/// officially.
fn payload_of(v: &syn::Variant) -> Payload {
    match &v.fields {
        syn::Fields::Unit => Payload::Unit,
        fields if fields.len() == 1 => {
            let f = fields.iter().next().expect("one field");
            let member = match &f.ident {
                Some(id) => syn::Member::Named(id.clone()),
                None => syn::Member::Unnamed(syn::Index { index: 0, span: Span::call_site() }),
            };
            Payload::One(member, f.ty.clone())
        }
        fields => Payload::Unsupported(fields.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn build(input: syn::DeriveInput) -> SatsType {
        let cx = crate::diag::Ctxt::new();
        let attrs = crate::sats::parse::container_attrs(&cx, &input.attrs);
        assert_eq!(cx.into_messages(), Vec::<String>::new());
        SatsType::from_derive(&input, attrs)
    }

    #[test]
    fn product() {
        let ty = build(parse_quote!(
            #[sats(name = "Game.Pos")]
            struct P {
                x: f32,
                y: f32,
            }
        ));
        assert_eq!(ty.name, "Game.Pos");
        let SatsData::Product(fields) = &ty.data else { panic!() };
        assert_eq!(fields.iter().map(|f| f.name.clone().unwrap()).collect::<Vec<_>>(), ["x", "y"]);
        let ty = build(parse_quote!(
            struct T(u8, u16);
        ));
        let SatsData::Product(fields) = &ty.data else { panic!() };
        assert!(fields.iter().all(|f| f.name.is_none()) && fields.len() == 2);
    }

    #[test]
    fn enums_keep_every_variant() {
        let ty = build(parse_quote!(
            enum Color {
                Red,
                Green,
            }
        ));
        assert!(ty.is_plain_enum());
        let ty = build(parse_quote!(
            enum E {
                A,
                B(u8),
                C { x: u32 },
                D(u8, u8),
            }
        ));
        assert!(!ty.is_plain_enum());
        let SatsData::Sum { variants, .. } = &ty.data else { panic!() };
        let kinds: Vec<&str> = variants
            .iter()
            .map(|v| match v.payload {
                Payload::Unit => "unit",
                Payload::One(..) => "one",
                Payload::Unsupported(_) => "unsupported",
            })
            .collect();
        assert_eq!(kinds, ["unit", "one", "one", "unsupported"]);
        // An unsupported variant keeps the enum from counting as plain.
        let ty = build(parse_quote!(
            enum F {
                A,
                B(),
            }
        ));
        assert!(!ty.is_plain_enum());
    }

    #[test]
    fn unions_and_generics_are_recorded() {
        let ty = build(parse_quote!(union U { a: u8 }));
        assert!(matches!(ty.data, SatsData::Union(_)));
        let ty = build(parse_quote!(
            struct G<T> {
                t: T,
            }
        ));
        assert_eq!(ty.generics.params.len(), 1);
    }
}
