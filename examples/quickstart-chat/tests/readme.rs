//! The example in README.md ("Testing a module"), verbatim, so that it keeps compiling and passing.

use quickstart_chat::{send_message, set_name};
use worldtube_testing::{call, TestDb};

#[test]
fn chatting() {
    let mut db = TestDb::new(); // a fresh database; `init` has run
    let alice = db.connect("alice"); // runs `client_connected`
    db.call::<set_name>(&alice, ("Alice".to_string(),)).assert_ok();
    db.call::<send_message>(&alice, ("".to_string(),)).assert_err("must not be empty");
    let sent = call!(db, &alice, send_message("hi".to_string())); // the same, written as a call
    assert!(sent.logged("hi"));
    assert_eq!(db.table_json("message")[0]["text"], "hi");
}
