//! Through `TestDb`, natively: a scheduled reducer that falls due while a procedure sleeps runs
//! then (the procedure sees its note when it wakes), one due after the wake-up waits for the
//! clock, and the log holds the records in the order they were written.

use fidelity_v2 as _;
use worldtube_testing::{json, TestDb};

#[test]
fn a_reducer_due_while_a_procedure_sleeps_runs_meanwhile() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let slept = db.call_procedure_json(&alice, "sleep_past_a_note", r#"["early", 100, 500]"#);
    assert_eq!(slept.returned_json(), json!(["early"]), "the note written meanwhile is seen on waking");
    let meanwhile = slept.ran_meanwhile();
    assert_eq!(meanwhile.len(), 1);
    assert!(meanwhile[0].is_ok());
    assert_eq!(meanwhile[0].timestamp(), slept.timestamp() + std::time::Duration::from_millis(100));
    let log: Vec<&str> = db.logs().iter().map(|l| l.message.as_str()).rev().take(3).collect();
    assert_eq!(log, ["awake", "writing early", "sleeping"], "in the order written");

    let too_late = db.call_procedure_json(&alice, "sleep_past_a_note", r#"["late", 800, 200]"#);
    assert_eq!(too_late.returned_json(), json!(["early"]));
    assert!(too_late.ran_meanwhile().is_empty());
    assert_eq!(db.scheduled_count(), 1, "still queued");
    let ran = db.advance(std::time::Duration::from_millis(1000));
    assert_eq!(ran.len(), 1, "it runs when the clock gets there");
}
