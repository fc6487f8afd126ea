//! Compile-fail tests of the 2.x API (this crate's `spacetimedb` dependency enables `v2`): each
//! file in `cases/` is a mistake a module author can make, and its `.stderr` is the diagnostic
//! they get. Regenerate with `TRYBUILD=overwrite cargo test -p worldtube-ui-tests-v2` and review.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("cases/*.rs");
}
