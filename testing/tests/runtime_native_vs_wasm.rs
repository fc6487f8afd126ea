//! quickstart-chat built to wasm and run by the reference host's `WasmModule`, compared with the
//! same module linked natively into this test binary (`NativeModule`), against a fake host.

#[path = "../../host/tests/runtime_support/mod.rs"]
mod runtime_support;
#[path = "../../host/tests/wasm_examples/mod.rs"]
mod wasm_examples;

use std::sync::OnceLock;

use quickstart_chat as _;
use runtime_support::{decode_def, reducer_id, string_arg, FakeHost, ARGS_SOURCE};
use worldtube_abi::Errno;
use worldtube_host::runtime::{CallResult, ModuleInstance, ReducerCall, WasmModule};
use worldtube_testing::NativeModule;

const ALICE: [u8; 32] = [0xA1; 32];

/// quickstart-chat built for wasm32, once per test binary.
fn chat_wasm() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let file = wasm_examples::example_wasm("quickstart-chat");
        std::fs::read(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()))
    })
}

#[test]
fn wasm_describe_equals_native_describe() {
    let mut wasm = WasmModule::new(chat_wasm()).expect("quickstart-chat fits the interface");
    let (_, wasm_bytes) = wasm.describe(FakeHost::chat());
    let (_, native_bytes) = NativeModule::new().describe(FakeHost::chat());
    let wasm_bytes = wasm_bytes.expect("wasm describe succeeds");
    assert_eq!(wasm_bytes, native_bytes.expect("native describe succeeds"));
    decode_def(&wasm_bytes);
    assert_eq!(wasm.instantiations(), 1);
    // Describing again asks the live instance.
    let (_, again) = wasm.describe(FakeHost::chat());
    assert_eq!(again.expect("describe succeeds"), wasm_bytes);
    assert_eq!(wasm.instantiations(), 1);
}

#[test]
fn wasm_chat_reducers_match_native() {
    let def = decode_def(&NativeModule::new().describe(FakeHost::chat()).1.expect("describe"));
    let mut wasm = WasmModule::new(chat_wasm()).expect("quickstart-chat fits the interface");
    let mut native = NativeModule::new();
    let mut hosts = (FakeHost::chat(), FakeHost::chat());

    let ok = CallResult::Ok;
    let err = |message: &str| CallResult::Err(message.to_owned());
    let panic = CallResult::Trap("updating `user` by `identity` failed: no row has this value".to_owned());
    // (reducer, argument, make the update fail with NO_SUCH_ROW, expected result)
    let steps = [
        ("client_connected", None, false, &ok),
        ("set_name", Some(""), false, &err("Names must not be empty")),
        ("set_name", Some("alice"), false, &ok),
        ("send_message", Some("hello"), false, &ok),
        ("client_connected", None, true, &panic),
        ("identity_disconnected", None, false, &ok),
    ];
    for (name, arg, fail_update, expected) in steps {
        let mut results = Vec::new();
        for (is_wasm, slot) in [(true, &mut hosts.0), (false, &mut hosts.1)] {
            let mut host = std::mem::take(&mut *slot);
            host.update_fails_with = fail_update.then_some(Errno::NO_SUCH_ROW.into());
            let mut call = ReducerCall::new(reducer_id(&def, name));
            call.sender = ALICE;
            call.timestamp_micros = 1_700_000_000_000_000;
            if let Some(arg) = arg {
                host = host.with_args(string_arg(arg));
                call.args_source = ARGS_SOURCE;
            }
            let (host, result) = if is_wasm { wasm.call_reducer(host, call) } else { native.call_reducer(host, call) };
            results.push(result);
            *slot = host;
        }
        assert_eq!(&results[0], expected, "wasm {name}({arg:?})");
        assert_eq!(&results[1], expected, "native {name}({arg:?})");
    }
    assert_eq!(hosts.0.rows("user"), hosts.1.rows("user"));
    assert_eq!(hosts.0.rows("message"), hosts.1.rows("message"));
    // The trap discarded the first instance; the next call started a second one.
    assert_eq!(wasm.instantiations(), 2);
    assert!(wasm.is_instantiated());
}
