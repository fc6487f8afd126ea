//! Names for user-defined types in a V10 typespace.

use crate::algebraic::AlgebraicTypeRef;
use crate::raw_def::RawScopedTypeNameV9;
use std::fmt;

/// Gives a typespace entry a (possibly scoped) name, as [`RawTypeDefV9`](crate::raw_def::RawTypeDefV9)
/// does, with the name now called the source name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawTypeDefV10 {
    /// The name.
    pub source_name: RawScopedTypeNameV10,
    /// The entry named.
    pub ty: AlgebraicTypeRef,
    /// Whether the element or variant order is the declared one; the SDK always says `true`.
    pub custom_ordering: bool,
}
crate::__bsatn_def_product!(RawTypeDefV10 { source_name, ty, custom_ordering });

/// A type name with its scope: `game::shapes::Circle` is scope `["game", "shapes"]`, source name
/// `"Circle"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawScopedTypeNameV10 {
    /// The enclosing scopes, outermost first.
    pub scope: Box<[Box<str>]>,
    /// The unqualified name.
    pub source_name: Box<str>,
}
crate::__bsatn_def_product!(RawScopedTypeNameV10 { scope, source_name });

impl RawScopedTypeNameV10 {
    /// Splits a type name as written in `#[sats(name = "...")]`: segments are separated by `::` or
    /// `.`, and the last one is the name (see [`RawScopedTypeNameV9::from_sats_name`]).
    ///
    /// ```
    /// use worldtube_lib::raw_def::v10::RawScopedTypeNameV10;
    /// let n = RawScopedTypeNameV10::from_sats_name("game.Vec2");
    /// assert_eq!((&*n.scope[0], &*n.source_name), ("game", "Vec2"));
    /// ```
    pub fn from_sats_name(sats_name: &str) -> Self {
        RawScopedTypeNameV9::from_sats_name(sats_name).into()
    }
}

impl From<RawScopedTypeNameV9> for RawScopedTypeNameV10 {
    fn from(name: RawScopedTypeNameV9) -> Self {
        Self { scope: name.scope, source_name: name.name }
    }
}

impl fmt::Display for RawScopedTypeNameV10 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in self.scope.iter() {
            write!(f, "{s}::")?;
        }
        f.write_str(&self.source_name)
    }
}
