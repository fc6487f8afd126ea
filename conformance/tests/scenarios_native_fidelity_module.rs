//! The kit's scenarios of module `fidelity-module` against worldtube's reference host with the module
//! linked natively into this test binary (`NativeModule`, the path `cargo test` of a module
//! takes), through `ConformanceHost`: every one must pass, as on wasm (`scenarios.rs`). One
//! binary per module, because a binary links one module.

use std::collections::BTreeMap;

use fidelity_module as _;
use worldtube_conformance::reference::ReferenceHost;
use worldtube_conformance::{run_scenarios, Scenario};
use worldtube_testing::NativeModule;

#[test]
fn the_native_reference_host_passes_every_scenario_of_its_module() {
    let scenarios: Vec<Scenario> = Scenario::bundled()
        .expect("the scenarios load")
        .into_iter()
        .filter(|s| s.module == "fidelity-module")
        .collect();
    assert!(!scenarios.is_empty(), "scenarios of fidelity-module");
    // The installed bytes are not used: the module is the one linked into this binary.
    let modules = BTreeMap::from([("fidelity-module".to_owned(), Vec::new())]);
    let mut host = ReferenceHost::with_loader(|_| Ok(NativeModule::new()), "NativeModule");
    let report = run_scenarios(&scenarios, &modules, &mut host);
    println!("{report}");
    assert_eq!(report.failed(), 0, "{report}");
    assert!(report.scenarios.iter().all(|s| s.skipped.is_empty()), "{report}");
}
