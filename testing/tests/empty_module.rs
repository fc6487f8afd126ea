//! A test binary that links no module gets told how to fix that, instead of a database with
//! nothing in it.

use worldtube_testing::{InstallError, TestDb};

#[test]
fn a_test_that_links_no_module_is_told_how_to_link_it() {
    let err = TestDb::builder().try_build().expect_err("there is no module in this binary");
    assert!(matches!(err, InstallError::EmptyModule));
    assert!(err.to_string().contains("use my_module as _;"), "{err}");
}
