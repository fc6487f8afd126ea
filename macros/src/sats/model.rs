//! The validated shape of a derived type.

use super::check;
use super::parse::ContainerAttrs;
use crate::diag::Ctxt;
use crate::util::ident_name;

/// A type that derives `SpacetimeType` (or is a table row).
#[derive(Clone)]
pub(crate) struct SatsType {
    /// The Rust type's name.
    pub ident: syn::Ident,
    /// Its typespace name: `#[sats(name = ...)]` or the ident.
    pub name: String,
    /// Product or sum.
    pub data: SatsData,
}

/// The structure of a derived type.
#[derive(Clone)]
pub(crate) enum SatsData {
    /// A struct: its fields in declaration order (empty for `struct S;`).
    Product(Vec<Field>),
    /// An enum: its variants in declaration order; the position is the tag.
    Sum(Vec<Variant>),
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
    /// The payload: `None` for a unit variant, else the single field.
    pub payload: Option<(syn::Member, syn::Type)>,
}

impl SatsType {
    /// Builds the IR from a derive input, reporting what is not supported. Returns `None` when
    /// the shape cannot be represented at all.
    pub(crate) fn from_derive(cx: &Ctxt, input: &syn::DeriveInput, attrs: ContainerAttrs) -> Option<Self> {
        check::no_generics(cx, &input.generics);
        let data = match &input.data {
            syn::Data::Struct(s) => SatsData::Product(fields_of(&s.fields)),
            syn::Data::Enum(e) => {
                check::variant_count(cx, e);
                let variants = e.variants.iter().filter_map(|v| {
                    let payload = check::variant_payload(cx, v)?;
                    Some(Variant { ident: v.ident.clone(), name: ident_name(&v.ident), payload })
                });
                SatsData::Sum(variants.collect())
            }
            syn::Data::Union(u) => {
                check::not_union(cx, u);
                return None;
            }
        };
        let name = attrs.name.map_or_else(|| ident_name(&input.ident), |n| n.value());
        Some(SatsType { ident: input.ident.clone(), name, data })
    }

    /// Whether this is an enum whose variants all carry no data.
    pub(crate) fn is_plain_enum(&self) -> bool {
        matches!(&self.data, SatsData::Sum(vs) if vs.iter().all(|v| v.payload.is_none()))
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
                None => syn::Member::Unnamed(syn::Index { index: i as u32, span: proc_macro2::Span::call_site() }),
            },
            name: f.ident.as_ref().map(ident_name),
            ty: f.ty.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sats::parse::container_attrs;
    use syn::parse_quote;

    fn build(input: syn::DeriveInput) -> (Option<SatsType>, Vec<String>) {
        let cx = Ctxt::new();
        let attrs = container_attrs(&cx, &input.attrs);
        let ty = SatsType::from_derive(&cx, &input, attrs);
        (ty, cx.messages())
    }

    #[test]
    fn product() {
        let (ty, errs) = build(parse_quote!(
            #[sats(name = "Game.Pos")]
            struct P {
                x: f32,
                y: f32,
            }
        ));
        assert!(errs.is_empty());
        let ty = ty.unwrap();
        assert_eq!(ty.name, "Game.Pos");
        let SatsData::Product(fields) = &ty.data else { panic!() };
        assert_eq!(fields.iter().map(|f| f.name.clone().unwrap()).collect::<Vec<_>>(), ["x", "y"]);
    }

    #[test]
    fn plain_enum() {
        let (ty, errs) = build(parse_quote!(
            enum Color {
                Red,
                Green,
            }
        ));
        assert!(errs.is_empty());
        assert!(ty.unwrap().is_plain_enum());
        let (ty, _) = build(parse_quote!(
            enum E {
                A,
                B(u8),
                C { x: u32 },
            }
        ));
        let ty = ty.unwrap();
        assert!(!ty.is_plain_enum());
        let SatsData::Sum(vs) = &ty.data else { panic!() };
        assert_eq!(vs.len(), 3);
        assert!(vs[2].payload.is_some());
    }

    #[test]
    fn rejected_shapes() {
        let (_, errs) = build(parse_quote!(union U { a: u8 }));
        assert_eq!(errs, ["`SpacetimeType` cannot be derived for a union; use a struct or an enum"]);
        let (_, errs) = build(parse_quote!(
            struct G<T> {
                t: T,
            }
        ));
        assert_eq!(
            errs,
            ["generic parameters are not supported here: the type must be concrete to be registered in the typespace"]
        );
        let (_, errs) = build(parse_quote!(
            enum E {
                A(u8, u8),
                B { x: u8, y: u8 },
                C(),
            }
        ));
        assert_eq!(
            errs,
            [
                "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `A(MyStruct)`",
                "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `B(MyStruct)`",
                "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `C(MyStruct)`",
            ]
        );
    }
}
