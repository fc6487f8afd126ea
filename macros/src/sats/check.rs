//! Rules a derived type must follow; each reports into the [`Ctxt`].

use crate::diag::Ctxt;

/// Generic types are rejected: a type is registered in the typespace by the `TypeId` of one
/// concrete type, and the official SDK does not support generic module types either.
pub(crate) fn no_generics(cx: &Ctxt, generics: &syn::Generics) {
    if !generics.params.is_empty() {
        cx.error_spanned_by(
            generics,
            "generic parameters are not supported here: the type must be concrete to be registered in the typespace",
        );
    }
}

/// Unions have no algebraic counterpart.
pub(crate) fn not_union(cx: &Ctxt, u: &syn::DataUnion) {
    cx.error_at(u.union_token.span, "`SpacetimeType` cannot be derived for a union; use a struct or an enum");
}

/// Sum tags are one byte, so an enum can have at most 256 variants.
pub(crate) fn variant_count(cx: &Ctxt, e: &syn::DataEnum) {
    if e.variants.len() > 256 {
        cx.error_at(e.enum_token.span, "an enum can have at most 256 variants (the tag is one byte)");
    }
}

/// A variant is a unit variant or carries exactly one field (`A(T)`, or `A { x: T }` as the
/// official SDK also accepts). Returns the payload, or `None` after reporting.
pub(crate) fn variant_payload(cx: &Ctxt, v: &syn::Variant) -> Option<Option<(syn::Member, syn::Type)>> {
    // Explicit discriminants are accepted and ignored (the tag is the position), as officially.
    match &v.fields {
        syn::Fields::Unit => Some(None),
        fields if fields.len() == 1 => {
            let f = fields.iter().next()?;
            let member = match &f.ident {
                Some(id) => syn::Member::Named(id.clone()),
                None => syn::Member::Unnamed(syn::Index { index: 0, span: proc_macro2::Span::call_site() }),
            };
            Some(Some((member, f.ty.clone())))
        }
        fields => {
            cx.error_spanned_by(
                fields,
                format_args!(
                    "an enum variant must be a unit variant or carry exactly one field; wrap several fields in a struct, e.g. `{}(MyStruct)`",
                    v.ident
                ),
            );
            None
        }
    }
}
