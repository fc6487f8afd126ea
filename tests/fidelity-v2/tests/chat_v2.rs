//! The scenarios of chat-v2, natively: see `harness`.

use chat_v2 as _;

mod harness;

#[test]
fn chat_v2_scenarios_match_the_recorded_server_behaviour() {
    harness::run_module("chat-v2");
}
