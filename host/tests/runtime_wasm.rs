//! `WasmModule`: interface validation of hand-written modules, start-up outside a transaction,
//! and instances discarded after a trap. (quickstart-chat's wasm build against the same module
//! linked natively: `testing/tests/runtime_native_vs_wasm.rs`.)

mod runtime_support;

use runtime_support::FakeHost;
use worldtube_abi::{Errno, LogLevel};
use worldtube_host::runtime::{
    CallResult, HttpHandlerCall, HttpHandlerResult, ModuleInstance, ReducerCall, RuntimeError, WasmConfig, WasmModule,
};

/// A hand-written module with every export the host wants, whose reducers misbehave on
/// request (see `__call_reducer__`).
const TEST_MODULE: &str = r#"
(module
  (import "spacetime_10.0" "console_log" (func $log (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "spacetime_10.0" "bytes_sink_write" (func $sink_write (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "table_id_from_name" (func $table_id (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (data (i32.const 16) "ab")
  (data (i32.const 32) "user")
  (data (i32.const 48) "reducer failed")
  (data (i32.const 64) "boom")
  ;; 100: a length cell; 104: an out-u32; 200: scratch

  (func (export "__preinit__b")
    (call $log (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 17) (i32.const 1)))
  (func (export "__preinit__a")
    (call $log (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 16) (i32.const 1)))

  ;; Writes one byte: the status of table_id_from_name("user").
  (func (export "__describe_module__") (param $sink i32)
    (i32.store8 (i32.const 200) (call $table_id (i32.const 32) (i32.const 4) (i32.const 104)))
    (i32.store (i32.const 100) (i32.const 1))
    (drop (call $sink_write (local.get $sink) (i32.const 200) (i32.const 100))))

  (func (export "__call_reducer__")
    (param $id i32) (param i64 i64 i64 i64 i64 i64 i64) (param $args i32) (param $err i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    ;; 0: ok on the instance's first call, return code 7 afterwards
    (if (i32.eq (local.get $id) (i32.const 0))
      (then (return (select (i32.const 0) (i32.const 7) (i32.eq (global.get $calls) (i32.const 1))))))
    ;; 1: a wasm trap
    (if (i32.eq (local.get $id) (i32.const 1)) (then unreachable))
    ;; 2: an error message
    (if (i32.eq (local.get $id) (i32.const 2))
      (then
        (i32.store (i32.const 100) (i32.const 14))
        (drop (call $sink_write (local.get $err) (i32.const 48) (i32.const 100)))
        (return (i32.const 1))))
    ;; 3: the status of table_id_from_name("user") (inside a call: the host answers)
    (if (i32.eq (local.get $id) (i32.const 3))
      (then (return (call $table_id (i32.const 32) (i32.const 4) (i32.const 104)))))
    ;; 4: an infinite loop
    (if (i32.eq (local.get $id) (i32.const 4)) (then (loop $forever (br $forever))))
    ;; 5: a panic: the message logged at PANIC level, then a trap
    (if (i32.eq (local.get $id) (i32.const 5))
      (then
        (call $log (i32.const 101) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const -1) (i32.const 64) (i32.const 4))
        unreachable))
    ;; 6: a NULL name pointer (the glue traps)
    (if (i32.eq (local.get $id) (i32.const 6))
      (then (return (call $table_id (i32.const 0) (i32.const 4) (i32.const 104)))))
    ;; 7: an out-of-bounds name
    (if (i32.eq (local.get $id) (i32.const 7))
      (then (return (call $table_id (i32.const 65530) (i32.const 10) (i32.const 104)))))
    ;; 8: grow memory by 100 pages (6.4 MiB); return 9 if that is refused
    (if (i32.eq (local.get $id) (i32.const 8))
      (then (if (i32.eq (memory.grow (i32.const 100)) (i32.const -1)) (then (return (i32.const 9))))))
    (i32.const 0))
)
"#;

fn test_module(config: WasmConfig) -> WasmModule {
    WasmModule::with_config(&wat::parse_str(TEST_MODULE).expect("valid WAT"), config).expect("fits the interface")
}

fn messages(host: &FakeHost) -> Vec<&str> {
    host.logs.iter().filter(|log| log.level != LogLevel::Panic.code()).map(|log| log.message.as_str()).collect()
}

#[test]
fn start_up_runs_preinits_sorted_outside_a_transaction() {
    let mut module = test_module(WasmConfig::default());
    assert_eq!(module.preinits(), ["__preinit__a", "__preinit__b"]);
    let (host, bytes) = module.describe(FakeHost::chat());
    assert_eq!(messages(&host), ["a", "b"]);
    // table_id_from_name during describe: NOT_IN_TRANSACTION, although the host has the table.
    assert_eq!(bytes.expect("describe succeeds"), [Errno::NOT_IN_TRANSACTION.code() as u8]);
}

#[test]
fn a_trap_discards_the_instance_and_the_next_call_starts_a_new_one() {
    let mut module = test_module(WasmConfig::default());
    let host = FakeHost::chat();
    assert!(!module.is_instantiated());

    // The first call starts the instance (preinits run with this call's host).
    let (host, result) = module.call_reducer(host, ReducerCall::new(0));
    assert_eq!(result, CallResult::Ok);
    assert_eq!(messages(&host), ["a", "b"]);
    assert_eq!(module.instantiations(), 1);
    let (host, result) = module.call_reducer(host, ReducerCall::new(0));
    assert_eq!(result, CallResult::Err("unknown return code 7".to_owned()), "the global kept its value");

    let (host, result) = module.call_reducer(host, ReducerCall::new(1));
    match &result {
        CallResult::Trap(message) => assert!(message.contains("unreachable"), "{message}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert!(!module.is_instantiated());

    // A fresh instance: globals reset, preinits run again.
    let (host, result) = module.call_reducer(host, ReducerCall::new(0));
    assert_eq!(result, CallResult::Ok);
    assert_eq!(module.instantiations(), 2);
    assert_eq!(messages(&host), ["a", "b", "a", "b"]);

    let (host, result) = module.call_reducer(host, ReducerCall::new(2));
    assert_eq!(result, CallResult::Err("reducer failed".to_owned()));
    let (host, result) = module.call_reducer(host, ReducerCall::new(3));
    assert_eq!(result, CallResult::Ok, "inside a call, table_id_from_name reaches the host");
    assert_eq!(module.instantiations(), 2);

    // A panic: the message the module logged at PANIC level.
    let (host, result) = module.call_reducer(host, ReducerCall::new(5));
    assert_eq!(result, CallResult::Trap("boom".to_owned()));
    assert_eq!(module.instantiations(), 2);

    // Host traps from the glue.
    let (host, result) = module.call_reducer(host, ReducerCall::new(6));
    match &result {
        CallResult::Trap(message) => {
            assert!(message.contains("table_id_from_name") && message.contains("NULL"), "{message}")
        }
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_eq!(module.instantiations(), 3);
    let (host, result) = module.call_reducer(host, ReducerCall::new(7));
    match &result {
        CallResult::Trap(message) => assert!(message.contains("out-of-bounds"), "{message}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_eq!(module.instantiations(), 4);

    let (_, result) = module.call_reducer(host, ReducerCall::new(0));
    assert_eq!(result, CallResult::Ok);
    assert_eq!(module.instantiations(), 5);
}

#[test]
fn an_infinite_loop_runs_out_of_fuel() {
    let mut module = test_module(WasmConfig { fuel: Some(1_000_000), ..WasmConfig::default() });
    let (host, result) = module.call_reducer(FakeHost::chat(), ReducerCall::new(4));
    match &result {
        CallResult::Trap(message) => assert!(message.contains("fuel"), "{message}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    let (_, result) = module.call_reducer(host, ReducerCall::new(0));
    assert_eq!(result, CallResult::Ok);
}

#[test]
fn memory_cannot_grow_past_the_configured_limit() {
    let mut limited = test_module(WasmConfig { max_memory: Some(4 << 20), ..WasmConfig::default() });
    let (_, result) = limited.call_reducer(FakeHost::chat(), ReducerCall::new(8));
    assert_eq!(result, CallResult::Err("unknown return code 9".to_owned()), "memory.grow was refused");

    let mut roomy = test_module(WasmConfig::default());
    let (_, result) = roomy.call_reducer(FakeHost::chat(), ReducerCall::new(8));
    assert_eq!(result, CallResult::Ok);
}

/// A module with the given imports (besides `console_log`) and exports (besides `memory`).
fn module_with(extra_imports: &str, exports: &str) -> Result<WasmModule, RuntimeError> {
    let wat = format!(
        r#"(module
            (import "spacetime_10.0" "console_log" (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
            {extra_imports}
            (memory (export "memory") 1)
            {exports})"#
    );
    WasmModule::new(&wat::parse_str(wat).expect("valid WAT"))
}

const DESCRIBE: &str = r#"(func (export "__describe_module__") (param i32))"#;
const CALL_REDUCER: &str = r#"(func (export "__call_reducer__")
    (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32) (i32.const 0))"#;

/// The interface problems of a module that must be rejected.
fn interface_problems(result: Result<WasmModule, RuntimeError>) -> Vec<String> {
    match result {
        Err(RuntimeError::Interface(problems)) => {
            let error = RuntimeError::Interface(problems.clone());
            println!("{error}");
            problems
        }
        other => panic!("expected an interface error, got {other:?}"),
    }
}

#[test]
fn a_minimal_module_is_accepted() {
    module_with("", &format!("{DESCRIBE} {CALL_REDUCER}")).expect("fits the interface");
}

#[test]
fn a_wasi_import_is_rejected() {
    let problems = interface_problems(module_with(
        r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#,
        &format!("{DESCRIBE} {CALL_REDUCER}"),
    ));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("`fd_write` from `wasi_snapshot_preview1`"), "{problems:?}");
    assert!(
        problems[0].contains("only imports from `spacetime_10.0` ... `spacetime_10.5` are allowed"),
        "{problems:?}"
    );
}

#[test]
fn imports_of_every_known_version_are_accepted_in_their_own_modules() {
    module_with(
        r#"(import "spacetime_10.1" "bytes_source_remaining_length" (func (param i32 i32) (result i32)))
           (import "spacetime_10.2" "get_jwt" (func (param i32 i32) (result i32)))
           (import "spacetime_10.3" "procedure_sleep_until" (func (param i64) (result i64)))
           (import "spacetime_10.3" "procedure_commit_mut_tx" (func (result i32)))
           (import "spacetime_10.4" "datastore_index_scan_point_bsatn" (func (param i32 i32 i32 i32) (result i32)))
           (import "spacetime_10.5" "datastore_clear" (func (param i32 i32) (result i32)))"#,
        &format!("{DESCRIBE} {CALL_REDUCER}"),
    )
    .expect("fits the interface");
}

#[test]
fn an_import_from_the_wrong_version_module_is_rejected() {
    // `identity` is a 10.0 import; `datastore_clear` a 10.5 one.
    let problems = interface_problems(module_with(
        r#"(import "spacetime_10.1" "identity" (func (param i32)))
           (import "spacetime_10.0" "datastore_clear" (func (param i32 i32) (result i32)))"#,
        &format!("{DESCRIBE} {CALL_REDUCER}"),
    ));
    assert_eq!(
        problems,
        [
            "imports `identity` from `spacetime_10.1`, but `identity` belongs to `spacetime_10.0` (ABI 10.0, the \
             version that introduced it); import it from there",
            "imports `datastore_clear` from `spacetime_10.0`, but `datastore_clear` belongs to `spacetime_10.5` (ABI \
             10.5, the version that introduced it); import it from there",
        ]
    );
}

#[test]
fn an_unknown_version_is_rejected() {
    let problems = interface_problems(module_with(
        r#"(import "spacetime_10.6" "identity" (func (param i32)))
           (import "spacetime_11.0" "identity" (func (param i32)))
           (import "spacetime_x" "identity" (func (param i32)))"#,
        &format!("{DESCRIBE} {CALL_REDUCER}"),
    ));
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("from `spacetime_10.6`, so it requires ABI 10.6, which no known server provides: this host provides ABI 10.0 to 10.5"), "{problems:?}");
    assert!(problems[1].contains("from `spacetime_11.0`, so it requires ABI 11.0, but this host provides ABI 10.0 to 10.5 (the major versions must be equal)"), "{problems:?}");
    assert!(
        problems[2].contains("from `spacetime_x`, which is not a `spacetime_MAJOR.MINOR` import module"),
        "{problems:?}"
    );
}

#[test]
fn a_wrong_later_signature_and_a_mistyped_later_export_are_rejected() {
    let problems = interface_problems(module_with(
        r#"(import "spacetime_10.3" "procedure_sleep_until" (func (param i32) (result i32)))"#,
        &format!(
            r#"{DESCRIBE} {CALL_REDUCER} (func (export "__call_view_anon__") (param i32 i32) (result i32) (i32.const 0))"#
        ),
    ));
    assert_eq!(
        problems,
        [
            "imports `procedure_sleep_until` from `spacetime_10.3` with the signature (i32) -> i32, but ABI 10.3 \
             declares (i64) -> i64",
            "exports `__call_view_anon__` with the signature (i32, i32) -> i32, but the host calls it as (i32, i32, \
             i32) -> i32",
        ]
    );
}

#[test]
fn an_unstable_export_of_another_form_loads_and_says_why_it_is_not_called() {
    // Official 2.14 builds export `__call_http_handler__` with the caller's identity and token.
    let later_form = r#"(func (export "__call_http_handler__")
        (param i32 i64 i64 i64 i64 i32 i64 i32 i32 i32 i32) (result i32) (i32.const 0))"#;
    let mut module = module_with("", &format!("{DESCRIBE} {CALL_REDUCER} {later_form}")).expect("it loads");
    let call = HttpHandlerCall { id: 0, timestamp_micros: 0, request_source: 0, body_source: 0 };
    let (_, result) = module.call_http_handler(FakeHost::chat(), call);
    let HttpHandlerResult::Trap(message) = result else { panic!("not called: {result:?}") };
    assert!(message.contains("as (i32, i64, i64, i64, i64, i32, i64, i32, i32, i32, i32) -> i32"), "{message}");
    assert!(message.contains("this host calls the form of SpacetimeDB 2.4 to 2.8"), "{message}");

    // A stable export of another form is still refused.
    let problems = interface_problems(module_with(
        "",
        r#"(func (export "__describe_module__") (param i32) (result i32) (i32.const 0))"#,
    ));
    assert!(problems.iter().any(|p| p.starts_with("exports `__describe_module__` with the signature")), "{problems:?}");
}

#[test]
fn a_wrong_import_signature_is_rejected() {
    let problems = interface_problems(module_with(
        r#"(import "spacetime_10.0" "bytes_sink_write" (func (param i32 i32) (result i32)))"#,
        &format!("{DESCRIBE} {CALL_REDUCER}"),
    ));
    assert_eq!(
        problems,
        ["imports `bytes_sink_write` from `spacetime_10.0` with the signature (i32, i32) -> i32, but ABI 10.0 \
          declares (i32, i32, i32) -> i32"]
    );
}

#[test]
fn an_unknown_import_is_rejected() {
    let problems = interface_problems(module_with(
        r#"(import "spacetime_10.0" "sleep" (func))"#,
        &format!("{DESCRIBE} {CALL_REDUCER}"),
    ));
    assert_eq!(problems, ["imports `sleep` from `spacetime_10.0`, which has no function of that name"]);
}

#[test]
fn a_missing_or_mistyped_export_is_rejected() {
    let problems = interface_problems(module_with("", DESCRIBE));
    assert_eq!(
        problems,
        ["does not export `__call_reducer__` ((i32, i64, i64, i64, i64, i64, i64, i64, i32, i32) -> i32)"]
    );

    let problems = interface_problems(module_with(
        "",
        &format!(r#"(func (export "__describe_module__") (param i32) (result i32) (i32.const 0)) {CALL_REDUCER}"#),
    ));
    assert_eq!(
        problems,
        ["exports `__describe_module__` with the signature (i32) -> i32, but the host calls it as (i32) -> ()"]
    );

    let problems = interface_problems(module_with(
        "",
        &format!(r#"{DESCRIBE} {CALL_REDUCER} (func (export "__preinit__x") (param i32))"#),
    ));
    assert_eq!(problems, ["exports `__preinit__x` with the signature (i32) -> (), but the host calls it as () -> ()"]);
}

#[test]
fn a_module_without_memory_or_abi_imports_is_rejected() {
    let wat = format!("(module {DESCRIBE} {CALL_REDUCER})");
    let problems = interface_problems(WasmModule::new(&wat::parse_str(wat).expect("valid WAT")));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("imports nothing from `spacetime_10.0` ... `spacetime_10.5`"), "{problems:?}");
    assert_eq!(problems[1], "does not export `memory` (memory)");
}

#[test]
fn invalid_wasm_is_rejected() {
    match WasmModule::new(b"not wasm") {
        Err(RuntimeError::InvalidWasm(_)) => {}
        other => panic!("expected InvalidWasm, got {other:?}"),
    }
}

#[test]
fn a_failing_setup_is_reported() {
    let module = module_with(
        r#"(import "spacetime_10.0" "bytes_sink_write" (func $w (param i32 i32 i32) (result i32)))"#,
        &format!(
            r#"(data (i32.const 16) "no") {DESCRIBE} {CALL_REDUCER}
               (func (export "__setup__") (param $sink i32) (result i32)
                 (i32.store (i32.const 8) (i32.const 2))
                 (drop (call $w (local.get $sink) (i32.const 16) (i32.const 8)))
                 (i32.const 1))"#
        ),
    );
    let (_, result) = module.expect("fits the interface").describe(FakeHost::chat());
    assert_eq!(result, Err(RuntimeError::Setup { code: 1, message: "no".to_owned() }));
}
