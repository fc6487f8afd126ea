//! The validator against hostile module definitions: a chain of a hundred thousand `Ref`s (which
//! once overflowed the stack of the recursive type-use walk) and a sum with more variants than a
//! one-byte BSATN tag can tell apart.

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicTypeRef, ProductType, SumType};
use worldtube_lib::raw_def::*;

/// A module with one table `t` whose column `c` has type `column`, after `extra` is appended to
/// the typespace (the row type is entry 0).
fn module(column: AlgebraicType, extra: Vec<AlgebraicType>) -> RawModuleDefV9 {
    let mut b = RawModuleDefV9Builder::new();
    b.build_table_with_new_type("t", ProductType::new([(Some("c"), column)]), true).finish();
    let mut def = b.finish();
    def.typespace.types.extend(extra);
    def
}

fn kinds(def: &RawModuleDefV9) -> Vec<ValidationErrorKind> {
    validate(def).err().unwrap_or_default().iter().map(ValidationError::kind).collect()
}

#[test]
fn a_long_chain_of_refs_is_refused_without_overflowing_the_stack() {
    const CHAIN: u32 = 100_000;
    // Entries 1..=CHAIN refer each to the next; the last is a u8.
    let mut extra: Vec<AlgebraicType> = (2..=CHAIN).map(|next| AlgebraicType::Ref(AlgebraicTypeRef(next))).collect();
    extra.push(AlgebraicType::U8);
    let def = module(AlgebraicType::Ref(AlgebraicTypeRef(1)), extra);
    let errors = validate(&def).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind(), ValidationErrorKind::TypeTooDeep);
    assert!(errors[0].message().contains("more than 256 levels"), "{}", errors[0]);
}

#[test]
fn a_chain_within_the_depth_limit_is_accepted() {
    let mut extra: Vec<AlgebraicType> = (2..=200).map(|next| AlgebraicType::Ref(AlgebraicTypeRef(next))).collect();
    extra.push(AlgebraicType::U8);
    assert_eq!(kinds(&module(AlgebraicType::Ref(AlgebraicTypeRef(1)), extra)), []);
}

#[test]
fn a_loop_of_refs_is_still_reported_as_recursive() {
    let extra = vec![AlgebraicType::Ref(AlgebraicTypeRef(2)), AlgebraicType::Ref(AlgebraicTypeRef(1))];
    assert_eq!(kinds(&module(AlgebraicType::Ref(AlgebraicTypeRef(1)), extra)), [ValidationErrorKind::RecursiveTypeRef]);
}

fn sum_of(variants: usize) -> AlgebraicType {
    AlgebraicType::Sum(SumType::new((0..variants).map(|i| (Some(format!("v{i}")), AlgebraicType::unit()))))
}

#[test]
fn a_sum_with_more_than_256_variants_is_refused() {
    let mut b = RawModuleDefV9Builder::new();
    let big = b.add_algebraic_type([], "Big", sum_of(300), true);
    b.build_table_with_new_type("t", ProductType::new([(Some("c"), AlgebraicType::Ref(big))]), true).finish();
    let errors = validate(&b.finish()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind(), ValidationErrorKind::TooManyVariants);
    assert_eq!(
        errors[0].message(),
        "type `Big`: a sum type has 300 variants, more than the 256 a one-byte BSATN tag can tell apart; split the enum"
    );

    let mut b = RawModuleDefV9Builder::new();
    let full = b.add_algebraic_type([], "Full", sum_of(256), true);
    b.build_table_with_new_type("t", ProductType::new([(Some("c"), AlgebraicType::Ref(full))]), true).finish();
    assert_eq!(validate(&b.finish()).err(), None);
}
