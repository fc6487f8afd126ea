//! Where a type may be written inline and where it must be a `Ref` to a named type.

use super::{ValidationError, ValidationErrorKind};
use crate::algebraic::{AlgebraicType, AlgebraicTypeRef, Typespace};
use std::collections::HashSet;

/// The typespace together with which of its entries are named (have a type definition).
pub(super) struct TypeUses<'a> {
    pub typespace: &'a Typespace,
    pub named: HashSet<AlgebraicTypeRef>,
}

impl TypeUses<'_> {
    /// Checks that `ty`, written at `location` (e.g. "table `t` column `c`"), is a valid use:
    /// primitives, strings, special types, the unit, options and arrays of valid uses, and `Ref`s
    /// to named types (or to entries that are themselves valid uses). Products and sums must be
    /// named.
    pub(super) fn check(&self, ty: &AlgebraicType, location: &dyn Fn() -> String, errors: &mut Vec<ValidationError>) {
        let mut visiting = Vec::new();
        if let Err(problem) = self.walk(ty, &mut visiting) {
            errors.push(problem.into_error(&location()));
        }
    }

    fn walk(&self, ty: &AlgebraicType, visiting: &mut Vec<AlgebraicTypeRef>) -> Result<(), UseProblem> {
        match ty {
            AlgebraicType::Ref(r) => {
                if self.named.contains(r) {
                    return Ok(());
                }
                let target = self.typespace.get(*r).ok_or(UseProblem::Dangling(*r))?;
                if visiting.contains(r) {
                    return Err(UseProblem::Recursive(*r));
                }
                visiting.push(*r);
                let result = self.walk(target, visiting);
                visiting.pop();
                result
            }
            AlgebraicType::Array(a) => self.walk(&a.elem_ty, visiting),
            AlgebraicType::Sum(s) => match s.as_option() {
                Some(some) => self.walk(some, visiting),
                None if ty.is_valid_inline_use() => Ok(()),
                None => Err(UseProblem::Inline(ty.describe())),
            },
            AlgebraicType::Product(_) if ty.is_valid_inline_use() => Ok(()),
            AlgebraicType::Product(_) => Err(UseProblem::Inline(ty.describe())),
            _ => Ok(()),
        }
    }
}

enum UseProblem {
    Inline(String),
    Dangling(AlgebraicTypeRef),
    Recursive(AlgebraicTypeRef),
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
