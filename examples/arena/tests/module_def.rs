//! The module definition this example hands the host, as readable JSON: a change to the schema
//! shows up here in review. The same definition is what the wasm build's `__describe_module__`
//! writes (the compatibility suite compares that with the official SDK's, byte for byte).

// Natively the module registers its tables and reducers at link time; naming the crate links it
// into this test binary.

use arena as _;

#[test]
fn module_definition_snapshot() {
    let module = spacetimedb::rt::module();
    worldtube_lib::raw_def::validate(&module.def).expect("the module definition is valid");
    insta::assert_json_snapshot!(module.def);
}
