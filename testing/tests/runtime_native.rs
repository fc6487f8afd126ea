//! `NativeModule` with quickstart-chat linked into this test binary, against a fake host.

#[path = "../../host/tests/runtime_support/mod.rs"]
mod runtime_support;

use quickstart_chat as _;
use runtime_support::{decode_def, reducer_id, string_arg, FakeHost, ARGS_SOURCE};
use worldtube_abi::{Errno, HostError, LogLevel, PartialHost, Trap};
use worldtube_host::runtime::{CallResult, ModuleInstance, ReducerCall};
use worldtube_lib::raw_def::RawModuleDefV9;
use worldtube_testing::NativeModule;

const ALICE: [u8; 32] = [0xA1; 32];
const BOB: [u8; 32] = [0xB0; 32];

fn def() -> RawModuleDefV9 {
    let (_, bytes) = NativeModule::new().describe(FakeHost::chat());
    decode_def(&bytes.expect("describe succeeds"))
}

/// A call of reducer `name` by `sender`, with `args` served by the fake host.
fn call(
    module: &mut NativeModule,
    mut host: FakeHost,
    name: &str,
    sender: [u8; 32],
    args: Option<Vec<u8>>,
) -> (FakeHost, CallResult) {
    let mut call = ReducerCall::new(reducer_id(&def(), name));
    call.sender = sender;
    call.connection_id = [7; 16];
    call.timestamp_micros = 1_700_000_000_000_000;
    if let Some(args) = args {
        host = host.with_args(args);
        call.args_source = ARGS_SOURCE;
    }
    module.call_reducer(host, call)
}

#[test]
fn describe_yields_the_chat_definition() {
    let mut host = FakeHost::chat();
    host.calls = 100;
    let (host, bytes) = NativeModule::new().describe(host);
    assert_eq!(host.calls, 100, "describe makes no host calls except to the captured sink");
    let def = decode_def(&bytes.expect("describe succeeds"));
    let tables: Vec<&str> = def.tables.iter().map(|table| &*table.name).collect();
    // Describers run sorted by symbol, as the official SDK's do.
    assert_eq!(tables, ["message", "user"]);
    let reducers: Vec<&str> = def.reducers.iter().map(|reducer| &*reducer.name).collect();
    for name in ["set_name", "send_message", "client_connected", "identity_disconnected"] {
        assert!(reducers.contains(&name), "{name} missing from {reducers:?}");
    }
}

#[test]
fn reducers_return_ok_err_and_the_host_comes_back() {
    let mut module = NativeModule::new();

    let (host, result) = call(&mut module, FakeHost::chat(), "client_connected", ALICE, None);
    assert_eq!(result, CallResult::Ok);
    assert_eq!(host.rows("user").len(), 1);
    assert!(host.rows("user")[0].starts_with(&ALICE));

    let (host, result) = call(&mut module, host, "set_name", ALICE, Some(string_arg("")));
    assert_eq!(result, CallResult::Err("Names must not be empty".to_owned()));

    let (host, result) = call(&mut module, host, "set_name", BOB, Some(string_arg("bob")));
    assert_eq!(result, CallResult::Err("Cannot set name for unknown user".to_owned()));

    let (host, result) = call(&mut module, host, "set_name", ALICE, Some(string_arg("alice")));
    assert_eq!(result, CallResult::Ok);
    let user = &host.rows("user")[0];
    assert!(user.windows(5).any(|w| w == b"alice"), "the row was updated: {user:?}");
    assert!(host.logs.iter().any(|log| log.message.ends_with("is now known as alice")), "{:?}", host.logs);

    let (host, result) = call(&mut module, host, "send_message", ALICE, Some(string_arg("hello")));
    assert_eq!(result, CallResult::Ok);
    assert_eq!(host.rows("message").len(), 1);
    assert!(host.rows("message")[0].starts_with(&ALICE));

    // No reducer with this id: the module's own error message.
    let (_, result) = module.call_reducer(host, ReducerCall::new(99));
    assert_eq!(result, CallResult::Err("no reducer with id 99".to_owned()));
}

#[test]
fn a_module_panic_is_a_trap_with_its_message() {
    let mut module = NativeModule::new();
    let (mut host, result) = call(&mut module, FakeHost::chat(), "client_connected", ALICE, None);
    assert_eq!(result, CallResult::Ok);

    // The update fails with an errno, which the module turns into a panic.
    host.update_fails_with = Some(Errno::NO_SUCH_ROW.into());
    let calls_before = host.calls;
    let (mut host, result) = call(&mut module, host, "client_connected", ALICE, None);
    assert_eq!(result, CallResult::Trap("updating `user` by `identity` failed: no row has this value".to_owned()));
    assert!(host.calls > calls_before, "the host that comes back is the one that served the call");
    // worldtube's panic hook logged the panic message at PANIC level before unwinding.
    assert!(
        host.logs
            .iter()
            .any(|log| log.level == LogLevel::Panic.code() && log.message.contains("no row has this value")),
        "{:?}",
        host.logs
    );

    // The module keeps working after a panic.
    host.update_fails_with = None;
    let (host, result) = call(&mut module, host, "client_connected", ALICE, None);
    assert_eq!(result, CallResult::Ok);
    assert_eq!(host.rows("user").len(), 1);
}

#[test]
fn a_host_trap_is_a_trap_with_the_trap_message() {
    let mut module = NativeModule::new();
    let (mut host, _) = call(&mut module, FakeHost::chat(), "client_connected", ALICE, None);
    host.update_fails_with = Some(HostError::Trap(Trap::new("injected datastore failure")));
    let (mut host, result) = call(&mut module, host, "client_connected", ALICE, None);
    match result {
        CallResult::Trap(message) => {
            assert!(message.contains("injected datastore failure"), "{message}");
            assert!(message.contains("datastore_update_bsatn"), "{message}");
        }
        other => panic!("expected a trap, got {other:?}"),
    }

    host.update_fails_with = None;
    let (_, result) = call(&mut module, host, "send_message", ALICE, Some(string_arg("still here")));
    assert_eq!(result, CallResult::Ok);
}

/// A host of another type, installed on this thread before the runtime runs.
struct OtherHost;
impl PartialHost for OtherHost {}

#[test]
fn a_host_installed_before_is_restored() {
    worldtube_sys::set_host(OtherHost);
    let mut module = NativeModule::new();
    let (_, result) = call(&mut module, FakeHost::chat(), "client_connected", ALICE, None);
    assert_eq!(result, CallResult::Ok);
    assert!(worldtube_sys::take_host::<OtherHost>().is_some());
}
