//! Type definition rules: names, targets, and the fields and variants of named types.

use super::{ValidationErrorKind as Kind, Validator};
use crate::algebraic::{AlgebraicType, AlgebraicTypeRef};
use std::collections::HashMap;

impl Validator<'_> {
    pub(super) fn type_defs(&mut self) {
        let def = self.def;
        let mut seen = HashMap::new();
        // Table rows are checked column by column with the tables; don't report their elements twice.
        let rows: Vec<AlgebraicTypeRef> = def.tables.iter().map(|t| t.product_type_ref).collect();
        for type_def in &def.types {
            let name = type_def.name.to_string();
            for segment in type_def.name.scope.iter().chain([&type_def.name.name]) {
                self.check_identifier(segment, || format!("type `{name}`"));
            }
            if let Some(first) = seen.insert(type_def.name.clone(), type_def.ty) {
                self.error(
                    Kind::DuplicateTypeName,
                    format!(
                        "type `{name}` is defined twice (as &{} and &{}); give one a different name or scope",
                        first.0, type_def.ty.0
                    ),
                );
            }
            let (kind, elements) = match def.typespace.get(type_def.ty) {
                Some(AlgebraicType::Product(p)) => {
                    ("field", p.elements.iter().map(|e| (e.name.as_deref(), &e.algebraic_type)).collect::<Vec<_>>())
                }
                Some(AlgebraicType::Sum(s)) => {
                    ("variant", s.variants.iter().map(|v| (v.name.as_deref(), &v.algebraic_type)).collect())
                }
                Some(other) => {
                    let message = format!(
                        "type `{name}`: it names &{}, which is {}; only structs (products) and enums (sums) can be \
                         named types",
                        type_def.ty.0,
                        other.describe()
                    );
                    self.error(Kind::NotProductOrSum, message);
                    continue;
                }
                None => {
                    self.error(
                        Kind::DanglingTypeRef,
                        format!(
                            "type `{name}`: it names typespace entry &{}, which does not exist; add the type first",
                            type_def.ty.0
                        ),
                    );
                    continue;
                }
            };
            if rows.contains(&type_def.ty) {
                continue;
            }
            for (i, (elem_name, ty)) in elements.into_iter().enumerate() {
                let location = match elem_name {
                    Some(elem) => {
                        self.check_identifier(elem, || format!("type `{name}`: {kind} {i}"));
                        format!("type `{name}`: {kind} `{elem}`")
                    }
                    None => {
                        self.error(
                            Kind::Unnamed,
                            format!("type `{name}`: {kind} {i} has no name; every {kind} of a named type needs a name"),
                        );
                        format!("type `{name}`: {kind} {i}")
                    }
                };
                self.uses.check(ty, &|| location.clone(), &mut self.errors);
            }
        }
    }
}
