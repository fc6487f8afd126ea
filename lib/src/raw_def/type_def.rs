//! Names for user-defined types in the typespace.

use crate::algebraic::AlgebraicTypeRef;
use std::fmt;

/// Gives a typespace entry a (possibly scoped) name, making it a user-defined type that clients
/// generate code for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawTypeDefV9 {
    /// The name.
    pub name: RawScopedTypeNameV9,
    /// The entry named.
    pub ty: AlgebraicTypeRef,
    /// Whether the element or variant order is the declared one rather than a canonical one; the
    /// SDK always says `true`.
    pub custom_ordering: bool,
}
crate::__bsatn_product!(RawTypeDefV9 { name, ty, custom_ordering });

/// A type name with the scope (module path) it lives in. `game::shapes::Circle` is scope
/// `["game", "shapes"]`, name `"Circle"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawScopedTypeNameV9 {
    /// The enclosing scopes, outermost first.
    pub scope: Box<[Box<str>]>,
    /// The unqualified name.
    pub name: Box<str>,
}
crate::__bsatn_product!(RawScopedTypeNameV9 { scope, name });

impl RawScopedTypeNameV9 {
    /// Splits a type name as written in `#[sats(name = "...")]` into scope and name: segments are
    /// separated by `::` or `.`, and the last one is the name.
    ///
    /// ```
    /// use worldline_lib::raw_def::RawScopedTypeNameV9;
    /// let n = RawScopedTypeNameV9::from_sats_name("game::shapes.Circle");
    /// assert_eq!(&*n.scope, [Box::from("game"), Box::from("shapes")]);
    /// assert_eq!(&*n.name, "Circle");
    /// assert_eq!(n.to_string(), "game::shapes::Circle");
    /// ```
    pub fn from_sats_name(sats_name: &str) -> Self {
        let mut segments: Vec<Box<str>> = sats_name.split("::").flat_map(|s| s.split('.')).map(Box::from).collect();
        // `split` always yields at least one segment; an empty name is left for validation to reject.
        let name = segments.pop().unwrap_or_default();
        Self { scope: segments.into(), name }
    }
}

impl fmt::Display for RawScopedTypeNameV9 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in self.scope.iter() {
            write!(f, "{s}::")?;
        }
        f.write_str(&self.name)
    }
}
