//! Where a type may be written inline and where it must be a `Ref` to a named type.

use super::{ValidationError, ValidationErrorKind};
use crate::algebraic::{AlgebraicType, AlgebraicTypeRef, Typespace};
use crate::bsatn::MAX_DEPTH;
use std::collections::HashSet;

/// The typespace together with which of its entries are named (have a type definition).
pub(super) struct TypeUses<'a> {
    pub typespace: &'a Typespace,
    pub named: HashSet<AlgebraicTypeRef>,
    /// Whether the 2.x special types may be written inline: `Uuid` (`{ __uuid__: U128 }`) and
    /// `Result` (`{ ok: T, err: E }` of valid uses). In 2.x (V10) they may, in 1.x (V9) they are
    /// an ordinary product and sum.
    pub v2_types: bool,
}

impl TypeUses<'_> {
    /// Checks that `ty`, written at `location` (e.g. "table `t` column `c`"), is a valid use:
    /// primitives, strings, special types, the unit, options and arrays of valid uses, and `Ref`s
    /// to named types (or to entries that are themselves valid uses). Products and sums must be
    /// named.
    pub(super) fn check(&self, ty: &AlgebraicType, location: &dyn Fn() -> String, errors: &mut Vec<ValidationError>) {
        if let Err(problem) = self.walk(ty) {
            errors.push(problem.into_error(&location()));
        }
    }

    /// Follows `ty` down to what it is built from. A use has at most one part to look into (a
    /// `Ref`'s target, an array's element, an option's payload), so this is a loop, not a
    /// recursion: a module-supplied chain of thousands of `Ref`s cannot overflow the stack. Each
    /// entry is visited at most once, and a chain deeper than BSATN decoding allows is refused.
    fn walk<'t>(&'t self, mut ty: &'t AlgebraicType) -> Result<(), UseProblem> {
        let mut visiting = HashSet::new();
        let mut depth = 0u32;
        loop {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(UseProblem::TooDeep);
            }
            ty = match ty {
                AlgebraicType::Ref(r) => {
                    if self.named.contains(r) {
                        return Ok(());
                    }
                    let target = self.typespace.get(*r).ok_or(UseProblem::Dangling(*r))?;
                    if !visiting.insert(*r) {
                        return Err(UseProblem::Recursive(*r));
                    }
                    target
                }
                AlgebraicType::Array(a) => &a.elem_ty,
                AlgebraicType::Sum(s) => match s.as_option() {
                    Some(some) => some,
                    None if self.v2_types && s.as_result().is_some() => {
                        let (ok, err) = s.as_result().expect("checked");
                        // Two parts: the `ok` side is checked on its own, the walk goes on with `err`.
                        self.walk(ok)?;
                        err
                    }
                    None if ty.is_valid_inline_use() => return Ok(()),
                    None => return Err(UseProblem::Inline(ty.describe())),
                },
                AlgebraicType::Product(_) if ty.is_valid_inline_use() => return Ok(()),
                AlgebraicType::Product(p) if self.v2_types && p.is_uuid() => return Ok(()),
                AlgebraicType::Product(_) => return Err(UseProblem::Inline(ty.describe())),
                _ => return Ok(()),
            };
        }
    }
}

enum UseProblem {
    Inline(String),
    Dangling(AlgebraicTypeRef),
    Recursive(AlgebraicTypeRef),
    TooDeep,
}

impl UseProblem {
    fn into_error(self, location: &str) -> ValidationError {
        match self {
            Self::Inline(what) => ValidationError::new(
                ValidationErrorKind::InlineCompoundType,
                format!(
                    "{location}: its type contains an inline {what}; structs and enums must be declared as named types \
                     (derive SpacetimeType) and used by reference"
                ),
            ),
            Self::Dangling(r) => ValidationError::new(
                ValidationErrorKind::DanglingTypeRef,
                format!(
                    "{location}: its type refers to typespace entry &{}, which does not exist; \
                     add the type to the module before using it",
                    r.0
                ),
            ),
            Self::TooDeep => ValidationError::new(
                ValidationErrorKind::TypeTooDeep,
                format!(
                    "{location}: its type nests more than {MAX_DEPTH} levels of references, arrays and options \
                     before reaching a named type or a primitive, deeper than BSATN values may nest; shorten the chain"
                ),
            ),
            Self::Recursive(r) => ValidationError::new(
                ValidationErrorKind::RecursiveTypeRef,
                format!(
                    "{location}: its type refers to &{} through a loop of references that never reaches a named \
                     type; give one of the types in the loop a type definition",
                    r.0
                ),
            ),
        }
    }
}
