//! The scenarios of the probe module (this crate's module), natively: see `harness`.

use fidelity_v2 as _;

mod harness;

#[test]
fn probe_scenarios_match_the_recorded_server_behaviour() {
    harness::run_module("fidelity-v2");
}
