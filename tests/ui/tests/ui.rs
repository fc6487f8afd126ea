//! Compile-fail tests: each file in `cases/` is a mistake a module author can make, and its
//! `.stderr` is the diagnostic they get. After a deliberate change, regenerate with
//! `TRYBUILD=overwrite cargo test -p worldtube-ui-tests` and review every changed `.stderr`.

#[test]
fn ui() {
    trybuild::TestCases::new().compile_fail("cases/*.rs");
}
