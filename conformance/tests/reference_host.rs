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
