//! Sum types must fit BSATN: a sum value's tag is one byte.

use super::{ValidationErrorKind, Validator};
use crate::algebraic::AlgebraicType;

/// The most variants a sum may have: tags are one byte.
const MAX_VARIANTS: usize = 1 << 8;

impl Validator<'_> {
    /// Reports every sum in the typespace (named or written inline inside an entry) with more
    /// variants than a one-byte tag can tell apart. Walks with an explicit stack, so deeply
    /// nested types cannot overflow the host's stack.
    pub(super) fn sum_sizes(&mut self) {
        let def = self.def;
        for (index, entry) in def.typespace.types.iter().enumerate() {
            let mut stack = vec![entry];
            while let Some(ty) = stack.pop() {
                match ty {
                    AlgebraicType::Sum(sum) => {
                        if sum.variants.len() > MAX_VARIANTS {
                            let name = def.types.iter().find(|t| t.ty.idx() == index).map(|t| t.name.to_string());
                            let what = match name {
                                Some(name) => format!("type `{name}`"),
                                None => format!("typespace entry &{index}"),
                            };
                            self.error(
                                ValidationErrorKind::TooManyVariants,
                                format!(
                                    "{what}: a sum type has {} variants, more than the {MAX_VARIANTS} a one-byte BSATN \
                                     tag can tell apart; split the enum",
                                    sum.variants.len()
                                ),
                            );
                        }
                        stack.extend(sum.variants.iter().map(|v| &v.algebraic_type));
                    }
                    AlgebraicType::Product(product) => stack.extend(product.elements.iter().map(|e| &e.algebraic_type)),
                    AlgebraicType::Array(array) => stack.push(&array.elem_ty),
                    _ => {}
                }
            }
        }
    }
}
