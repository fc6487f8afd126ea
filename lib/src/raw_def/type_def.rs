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
crate::__bsatn_def_product!(RawTypeDefV9 { name, ty, custom_ordering });

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
crate::__bsatn_def_product!(RawScopedTypeNameV9 { scope, name });

impl RawScopedTypeNameV9 {
    /// Splits a type name as written in `#[sats(name = "...")]` into scope and name: segments are
    /// separated by `::` or `.`, and the last one is the name.
    ///
    /// ```
    /// use worldtube_lib::raw_def::RawScopedTypeNameV9;
    /// let n = RawScopedTypeNameV9::from_sats_name("game::shapes.Circle");
    /// assert_eq!(&*n.scope, [Box::from("game"), Box::from("shapes")]);
    /// assert_eq!(&*n.name, "Circle");
    /// assert_eq!(n.to_string(), "game::shapes::Circle");
    /// ```
    pub fn from_sats_name(sats_name: &str) -> Self {
        // Split on `::` and `.` by hand: this runs in every module's wasm, where the library's
        // substring search would add kilobytes.
        let bytes = sats_name.as_bytes();
        let mut segments: Vec<Box<str>> = Vec::new();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            let separator = match bytes[i] {
                b'.' => 1,
                b':' if bytes.get(i + 1) == Some(&b':') => 2,
                _ => 0,
            };
            if separator == 0 {
                i += 1;
                continue;
            }
            // Both separators are ASCII, so `start` and `i` are char boundaries and `get` always
            // succeeds; it is used instead of indexing, whose panic path (with its message
            // formatting and Unicode tables) would add kilobytes to every module.
            segments.push(sats_name.get(start..i).unwrap_or_default().into());
            i += separator;
            start = i;
        }
        // There is always a last segment; an empty name is left for validation to reject.
        let name = sats_name.get(start..).unwrap_or_default().into();
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

#[cfg(test)]
mod tests {
    use super::RawScopedTypeNameV9;

    #[test]
    fn scoped_names_split_on_double_colons_and_dots() {
        for (input, scope, name) in [
            ("Player", &[][..], "Player"),
            ("game.Vec2", &["game"][..], "Vec2"),
            ("a::b.c", &["a", "b"][..], "c"),
            ("a:::b", &["a"][..], ":b"),
            ("a:b", &[][..], "a:b"),
            ("", &[][..], ""),
            ("trailing.", &["trailing"][..], ""),
        ] {
            let n = RawScopedTypeNameV9::from_sats_name(input);
            let got: Vec<&str> = n.scope.iter().map(|s| &**s).collect();
            assert_eq!((got.as_slice(), &*n.name), (scope, name), "{input:?}");
        }
    }
}
