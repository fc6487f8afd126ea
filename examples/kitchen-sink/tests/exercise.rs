//! The module's self-checking reducers, run on the reference host: each returns an error naming
//! the line of the first check that fails. (They also ran on the real 1.3 server, against both the
//! Worldtube build and the official one.)

use kitchen_sink::{exercise_context, exercise_indexes, exercise_tables};
use worldtube_testing::TestDb;

#[test]
fn every_self_check_passes_on_the_reference_host() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<exercise_tables>(&alice, ()).assert_ok();
    db.call::<exercise_indexes>(&alice, ()).assert_ok();
    db.call::<exercise_context>(&alice, ()).assert_ok();
    // Twice, as on the server: they must not depend on a fresh database.
    db.call::<exercise_tables>(&alice, ()).assert_ok();
    db.call::<exercise_indexes>(&alice, ()).assert_ok();
    db.call::<exercise_context>(&alice, ()).assert_ok();
}
