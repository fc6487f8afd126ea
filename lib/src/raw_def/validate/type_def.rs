//! Type definition rules, shared by both generations: names, targets, and the fields and
//! variants of named types.

use super::type_use::TypeUses;
use super::{identifier_problem, ValidationError, ValidationErrorKind as Kind, Validator};
use crate::algebraic::{AlgebraicType, AlgebraicTypeRef};
use std::collections::HashMap;
use std::hash::Hash;

/// One named type as a definition declares it, whatever the generation.
pub(super) struct NamedType<'a, K> {
    /// What makes two declarations the same name (the scoped name).
    pub key: K,
    /// How messages name it (`Scope.Name`).
    pub display: String,
    /// Its scope segments and name, each of which must be an identifier.
    pub segments: Vec<&'a str>,
    /// The typespace entry it names.
    pub ty: AlgebraicTypeRef,
}

fn error(errors: &mut Vec<ValidationError>, kind: Kind, message: String) {
    errors.push(ValidationError::new(kind, message));
}

/// Checks the named types: identifiers, no name twice, each names an existing product or sum,
/// and every field or variant of a named type (other than a table's row type, whose columns are
/// checked with the table) is named and a valid type use.
pub(super) fn check_named_types<'a, K: Eq + Hash>(
    types: impl IntoIterator<Item = NamedType<'a, K>>,
    rows: &[AlgebraicTypeRef],
    uses: &TypeUses<'_>,
    errors: &mut Vec<ValidationError>,
) {
    let mut seen = HashMap::new();
    for NamedType { key, display: name, segments, ty } in types {
        for segment in segments {
            if let Some(reason) = identifier_problem(segment) {
                let message = format!("type `{name}`: `{segment}` is not a valid identifier: {reason}");
                error(errors, Kind::InvalidIdentifier, message);
            }
        }
        if let Some(first) = seen.insert(key, ty) {
            let message = format!(
                "type `{name}` is defined twice (as &{} and &{ty}); give one a different name or scope",
                first.0,
                ty = ty.0
            );
            error(errors, Kind::DuplicateTypeName, message);
        }
        let (kind, elements): (&str, Vec<(Option<&str>, &AlgebraicType)>) = match uses.typespace.get(ty) {
            Some(AlgebraicType::Product(p)) => {
                ("field", p.elements.iter().map(|e| (e.name.as_deref(), &e.algebraic_type)).collect())
            }
            Some(AlgebraicType::Sum(s)) => {
                ("variant", s.variants.iter().map(|v| (v.name.as_deref(), &v.algebraic_type)).collect())
            }
            Some(other) => {
                let message = format!(
                    "type `{name}`: it names &{}, which is {}; only structs (products) and enums (sums) can be \
                     named types",
                    ty.0,
                    other.describe()
                );
                error(errors, Kind::NotProductOrSum, message);
                continue;
            }
            None => {
                let message = format!(
                    "type `{name}`: it names typespace entry &{}, which does not exist; add the type first",
                    ty.0
                );
                error(errors, Kind::DanglingTypeRef, message);
                continue;
            }
        };
        if rows.contains(&ty) {
            continue;
        }
        for (i, (elem_name, elem_ty)) in elements.into_iter().enumerate() {
            let location = match elem_name {
                Some(elem) => {
                    if let Some(reason) = identifier_problem(elem) {
                        let message =
                            format!("type `{name}`: {kind} {i}: `{elem}` is not a valid identifier: {reason}");
                        error(errors, Kind::InvalidIdentifier, message);
                    }
                    format!("type `{name}`: {kind} `{elem}`")
                }
                None => {
                    let message =
                        format!("type `{name}`: {kind} {i} has no name; every {kind} of a named type needs a name");
                    error(errors, Kind::Unnamed, message);
                    format!("type `{name}`: {kind} {i}")
                }
            };
            uses.check(elem_ty, &|| location.clone(), errors);
        }
    }
}

impl Validator<'_> {
    pub(super) fn type_defs(&mut self) {
        let def = self.def;
        let rows: Vec<AlgebraicTypeRef> = def.tables.iter().map(|t| t.product_type_ref).collect();
        let types = def.types.iter().map(|t| NamedType {
            key: &t.name,
            display: t.name.to_string(),
            segments: t.name.scope.iter().chain([&t.name.name]).map(|s| &**s).collect(),
            ty: t.ty,
        });
        check_named_types(types, &rows, &self.uses, &mut self.errors);
    }
}
