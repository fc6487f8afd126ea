//! The scenarios (`tests/fidelity-module/scenarios`, `tests/fidelity-v2/scenarios`) against
//! worldtube's reference host on wasm, through `ConformanceHost`: every scenario must pass.
//!
//! The build step compiles the scenario modules to wasm32 with cargo (release, in this build's
//! target directory); `WORLDTUBE_SCENARIO_WASM` names a directory of ready `.wasm` files instead.

use std::collections::BTreeMap;
use std::path::PathBuf;

use worldtube_conformance::reference::ReferenceHost;
use worldtube_conformance::scenario::{build_modules, workspace_root, SCENARIO_MODULES};
use worldtube_conformance::{run_scenarios, Scenario};

fn modules() -> BTreeMap<String, Vec<u8>> {
    if let Ok(dir) = std::env::var("WORLDTUBE_SCENARIO_WASM") {
        return SCENARIO_MODULES
            .iter()
            .map(|m| {
                let path = PathBuf::from(&dir).join(format!("{}.wasm", m.replace('-', "_")));
                (m.to_string(), std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
            })
            .collect();
    }
    let root = workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    build_modules(&cargo, &root, &target).unwrap_or_else(|e| panic!("the build step: {e}"))
}

#[test]
fn the_reference_host_passes_every_scenario() {
    let scenarios = Scenario::bundled().expect("the scenarios load");
    assert!(scenarios.len() >= 12, "{} scenarios", scenarios.len());
    let report = run_scenarios(&scenarios, &modules(), &mut ReferenceHost::new());
    println!("{report}");
    assert_eq!(report.failed(), 0, "{report}");
    assert!(report.scenarios.iter().all(|s| s.skipped.is_empty()), "{report}");
}

/// Connect and disconnect steps, and a scenario that fails: one result per scenario, with a diff.
#[test]
fn connect_steps_run_and_a_wrong_expectation_fails_with_a_diff() {
    let modules = modules();
    let online =
        |who: &str, on: bool| serde_json::json!({"identity": [format!("${who}")], "name": [1, []], "online": on});
    let steps = serde_json::json!([
        {"connect": "alice", "expect": "ok"},
        {"sql": "SELECT * FROM user", "as": "bob", "rows": [online("alice", true), online("bob", true)]},
        {"disconnect": "alice", "expect": "ok"},
        {"sql": "SELECT * FROM user", "as": "bob", "rows": [online("alice", false), online("bob", true)]},
        {"call": "ping", "as": "carol", "expect": {"err": "not what happens"}},
    ]);
    let scenario = |name: &str, steps: serde_json::Value| Scenario {
        name: name.to_owned(),
        module: "chat-v2".to_owned(),
        path: PathBuf::new(),
        json: serde_json::json!({"name": name, "steps": steps}),
    };
    let mut good = steps.clone();
    good.as_array_mut().unwrap().pop();
    let report = run_scenarios(&[scenario("good", good), scenario("bad", steps)], &modules, &mut ReferenceHost::new());
    assert_eq!((report.passed(), report.failed()), (1, 1), "{report}");
    assert_eq!(
        report.scenarios[1].problems,
        ["step 4 (ping): expected {\"err\":\"not what happens\"}, got \"ok\""],
        "{report}"
    );
    assert!(report.to_string().ends_with("1 passed, 1 failed (9 steps, 1 mismatches, 0 skipped)"), "{report}");
}
