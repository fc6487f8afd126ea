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
        let mut parts: Vec<Box<str>> = sats_name_parts(sats_name).map(Into::into).collect();
        // There is always a last part; an empty name is left for validation to reject.
        let name = parts.pop().unwrap_or_default();
        Self { scope: parts.into(), name }
    }
}

/// The parts of a type name as written in `#[sats(name = "...")]`, between `::` and `.`
/// separators: always at least one, possibly empty. Split by hand: this runs in every module's
/// wasm, where the library's substring search would add kilobytes.
pub(crate) fn sats_name_parts(sats_name: &str) -> SatsNameParts<'_> {
    SatsNameParts { rest: Some(sats_name) }
}

/// The iterator of [`sats_name_parts`].
pub(crate) struct SatsNameParts<'a> {
    /// What is left to split; `None` once the last part is out.
    rest: Option<&'a str>,
}

impl<'a> Iterator for SatsNameParts<'a> {
    type Item = &'a str;
    // Out of line: the V10 builder runs it twice per name (to count the parts, then to write).
    #[inline(never)]
    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let bytes = rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let separator = match bytes[i] {
                b'.' => 1,
                b':' if bytes.get(i + 1) == Some(&b':') => 2,
                _ => 0,
            };
            if separator != 0 {
                // Separators are ASCII, so `i` and `i + separator` are char boundaries and `get`
                // succeeds; it is used instead of indexing, whose panic path (its message
                // formatting and Unicode tables) would add kilobytes to every module.
                self.rest = rest.get(i + separator..);
                return rest.get(..i);
            }
            i += 1;
        }
        self.rest = None;
        Some(rest)
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
