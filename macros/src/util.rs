//! Small syntactic helpers shared by the macros.

use syn::ext::IdentExt;

/// The function an attribute is on; otherwise the item unchanged with an error saying what the
/// attribute applies to (`message`), which the caller returns as its whole expansion.
pub(crate) fn parse_fn(item: proc_macro2::TokenStream, message: &str) -> Result<syn::ItemFn, proc_macro2::TokenStream> {
    syn::parse2(item.clone()).map_err(|_| {
        let mut out = item.clone();
        out.extend(syn::Error::new_spanned(&item, message).into_compile_error());
        out
    })
}

/// Strips invisible groups and parentheses around a type.
fn peel(mut ty: &syn::Type) -> &syn::Type {
    loop {
        match ty {
            syn::Type::Group(g) => ty = &g.elem,
            syn::Type::Paren(p) => ty = &p.elem,
            _ => return ty,
        }
    }
}

/// The name of a type written as a bare single identifier (`u64`, `String`, `MyEnum`), if it is one.
pub(crate) fn bare_ident(ty: &syn::Type) -> Option<String> {
    match peel(ty) {
        syn::Type::Path(p) if p.qself.is_none() && p.path.leading_colon.is_none() && p.path.segments.len() == 1 => {
            let seg = &p.path.segments[0];
            seg.arguments.is_empty().then(|| seg.ident.to_string())
        }
        _ => None,
    }
}

/// The last segment's identifier of a path type (`Vec` for `std::vec::Vec<u8>`).
fn last_segment(ty: &syn::Type) -> Option<String> {
    match peel(ty) {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Integer primitives accepted by sequences.
const INTEGERS: &[&str] = &["u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"];

/// Names that are certainly not a single scalar: std containers and text.
const NON_SCALAR_PATHS: &[&str] = &["String", "str", "Vec", "Option", "Box", "Rc", "Arc", "Cow", "HashMap", "BTreeMap"];

/// Whether `ty` is syntactically a compound/reference type (tuple, array, slice, reference, pointer, fn, …).
fn is_compound_syntax(ty: &syn::Type) -> bool {
    !matches!(peel(ty), syn::Type::Path(_) | syn::Type::Macro(_) | syn::Type::Infer(_) | syn::Type::Verbatim(_))
}

/// Whether `ty` is, by its spelling alone, certainly not an integer type.
/// Unknown names (aliases, `u256`, user types) are left to the trait assertions.
pub(crate) fn is_certainly_not_integer(ty: &syn::Type) -> bool {
    if is_compound_syntax(ty) {
        return true;
    }
    if let Some(name) = bare_ident(ty) {
        if matches!(name.as_str(), "f32" | "f64" | "bool" | "char" | "usize" | "isize") {
            return true;
        }
    }
    matches!(last_segment(ty).as_deref(), Some(n) if NON_SCALAR_PATHS.contains(&n))
}

/// Whether `ty` is, by its spelling alone, certainly not usable as a direct-index key
/// (direct keys are `u8`, `u16`, `u32`, `u64` and unit-only enums).
pub(crate) fn is_certainly_not_direct_key(ty: &syn::Type) -> bool {
    if is_certainly_not_integer(ty) {
        return true;
    }
    matches!(bare_ident(ty).as_deref(), Some(n) if INTEGERS.contains(&n) && !matches!(n, "u8" | "u16" | "u32" | "u64"))
}

/// Whether `ty` is, by its spelling alone, certainly not `u64`.
pub(crate) fn is_certainly_not_u64(ty: &syn::Type) -> bool {
    if is_certainly_not_integer(ty) {
        return true;
    }
    matches!(bare_ident(ty).as_deref(), Some(n) if INTEGERS.contains(&n) && n != "u64")
}

/// The name an identifier gets in the module definition: `to_string()` keeps a raw ident's `r#`
/// prefix, exactly as the official SDK does for columns, parameters and reducer names.
pub(crate) fn ident_name(ident: &syn::Ident) -> String {
    ident.to_string()
}

/// Checks that `name` is a valid SpacetimeDB identifier (host rule: non-empty, starts with
/// XID_Start or `_`, continues with XID_Continue; at 1.3 the reserved-word list is empty).
/// Uses Rust's own identifier grammar, which is the same Unicode rule.
pub(crate) fn check_db_identifier(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the name is empty".into());
    }
    if name.starts_with("r#") {
        return Err(format!("`{name}` is a raw identifier; the database would see the `r#` prefix"));
    }
    match syn::parse::Parser::parse_str(syn::Ident::parse_any, name) {
        Ok(_) => Ok(()),
        Err(_) => Err(format!(
            "`{name}` is not a valid identifier (it must start with a letter or `_` and continue with letters, digits or `_`)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn classification() {
        assert!(is_certainly_not_integer(&parse_quote!(String)));
        assert!(is_certainly_not_integer(&parse_quote!(&'static str)));
        assert!(is_certainly_not_integer(&parse_quote!((u8, u8))));
        assert!(is_certainly_not_integer(&parse_quote!(std::vec::Vec<u8>)));
        assert!(!is_certainly_not_integer(&parse_quote!(u256)));
        assert!(!is_certainly_not_integer(&parse_quote!(MyId)));
        assert!(is_certainly_not_direct_key(&parse_quote!(i32)));
        assert!(is_certainly_not_direct_key(&parse_quote!(u128)));
        assert!(!is_certainly_not_direct_key(&parse_quote!(u16)));
        assert!(!is_certainly_not_direct_key(&parse_quote!(Color)));
        assert!(is_certainly_not_u64(&parse_quote!(u32)));
        assert!(!is_certainly_not_u64(&parse_quote!(u64)));
    }

    #[test]
    fn identifiers() {
        assert!(check_db_identifier("player").is_ok());
        assert!(check_db_identifier("_x1").is_ok());
        assert!(check_db_identifier("type").is_ok());
        assert!(check_db_identifier("").is_err());
        assert!(check_db_identifier("r#type").is_err());
        assert!(check_db_identifier("my-reducer").is_err());
        assert!(check_db_identifier("1abc").is_err());
        assert!(check_db_identifier("a b").is_err());
    }
}
