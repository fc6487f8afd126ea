//! The whole kit against worldtube's reference host (`Engine<WasmModule>`): every case must pass.

use worldtube_conformance::reference::ReferenceHost;
use worldtube_conformance::{run, Kit};

#[test]
fn the_reference_host_passes_every_case() {
    let kit = Kit::bundled().expect("the bundled kit loads");
    let report = run(&kit, &mut ReferenceHost::new());
    println!("{report}");
    for (group, total, passed) in report.by_group() {
        println!("{group}: {passed}/{total}");
    }
    assert_eq!(report.failed(), 0, "{report}");
    assert_eq!(report.cases.len(), kit.len() + kit.probes.len(), "one result per case, and one state check per probe");
}

/// The kit can fail: with one expectation changed, exactly that case fails, with a diff.
#[test]
fn a_changed_expectation_fails_with_a_diff() {
    let mut kit = Kit::bundled().expect("the bundled kit loads");
    kit.modules.clear();
    kit.probes.retain(|probe| probe.file == "misc.wat");
    let case = kit.probes[0].cases.iter_mut().find(|case| case.name == "timer_end_unknown_id").unwrap();
    case.expect.errno = Some("NO_SUCH_ITER".to_owned());
    let report = run(&kit, &mut ReferenceHost::new());
    assert_eq!(report.failed(), 1, "{report}");
    let failed = report.cases.iter().find(|case| !case.passed()).unwrap();
    assert_eq!(failed.name, "timer_end_unknown_id");
    let diff = failed.diff.as_deref().unwrap();
    assert!(diff.contains("expected status 6 (NO_SUCH_ITER), observed status 7 (NO_SUCH_CONSOLE_TIMER)"), "{diff}");
    assert!(report.to_string().ends_with(&format!("{} passed, 1 failed", report.passed())), "{report}");
}
