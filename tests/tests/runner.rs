//! The describe runner on small hand-written modules: what it runs, in which order, what the
//! sink receives, and how traps and modules that do not fit the interface fail.

use worldtube_compat::runner::{self, RunError};
use worldtube_host::runtime::RuntimeError;

/// A module whose preinits and describe step log their own names, and whose describe step
/// writes `"hello"` to the sink in two chunks. `imports` and `funcs` are spliced into the module
/// after its own imports and functions.
fn module(imports: &str, funcs: &str) -> Vec<u8> {
    let text = format!(
        r#"(module
            (import "spacetime_10.0" "bytes_sink_write" (func $write (param i32 i32 i32) (result i32)))
            (import "spacetime_10.0" "console_log"
                (func $log (param i32 i32 i32 i32 i32 i32 i32 i32)))
            {imports}
            (memory (export "memory") 1)
            (data (i32.const 16) "hello")
            (data (i32.const 32) "b_second")
            (data (i32.const 48) "a_first")
            (data (i32.const 64) "describe")
            (func (export "__preinit__b_second")
                (call $log (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                    (i32.const -1) (i32.const 32) (i32.const 8)))
            (func (export "__preinit__a_first")
                (call $log (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                    (i32.const -1) (i32.const 48) (i32.const 7)))
            (func (export "__describe_module__") (param $sink i32)
                (call $log (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                    (i32.const 7) (i32.const 64) (i32.const 8))
                (i32.store (i32.const 8) (i32.const 2))
                (drop (call $write (local.get $sink) (i32.const 16) (i32.const 8)))
                (i32.store (i32.const 8) (i32.const 3))
                (drop (call $write (local.get $sink) (i32.const 18) (i32.const 8))))
            (func (export "__call_reducer__")
                (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32) (i32.const 0))
            {funcs})"#
    );
    wat::parse_str(text).expect("the test module is valid")
}

#[test]
fn runs_preinits_in_byte_order_then_describe() {
    let described = runner::describe(&module("", "")).expect("describe runs");
    assert_eq!(described.bytes, b"hello");
    assert_eq!(described.preinits, ["__preinit__a_first", "__preinit__b_second"]);
    let messages: Vec<&str> = described.logs.iter().map(|log| log.message.as_str()).collect();
    assert_eq!(messages, ["a_first", "b_second", "describe"]);
    assert_eq!(described.logs[0].line_number, None);
    assert_eq!(described.logs[2].line_number, Some(7));
}

#[test]
fn a_trap_during_start_up_names_the_export() {
    let wasm = module("", r#"(func (export "__preinit__c_third") unreachable)"#);
    match runner::describe(&wasm) {
        Err(RunError::Runtime(RuntimeError::Trap { export, .. })) => assert_eq!(export, "__preinit__c_third"),
        other => panic!("expected a trap, got {other:?}"),
    }
}

#[test]
fn unknown_imports_and_wrong_signatures_do_not_link() {
    for import in [
        r#"(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))"#,
        r#"(import "spacetime_10.0" "no_such_call" (func))"#,
        r#"(import "spacetime_10.0" "identity" (func (param i64)))"#,
    ] {
        match runner::describe(&module(import, "")) {
            Err(RunError::Runtime(RuntimeError::Interface(_) | RuntimeError::Instantiate(_))) => {}
            other => panic!("{import}: expected the module to be refused, got {other:?}"),
        }
    }
}

#[test]
fn interface_lists_imports_and_exports() {
    let interface = runner::interface(&module("", "")).expect("the module loads");
    assert_eq!(interface.import_modules(), ["spacetime_10.0"]);
    let imports: Vec<&str> = interface.imports.iter().map(|import| import.name.as_str()).collect();
    assert_eq!(imports, ["bytes_sink_write", "console_log"]);
    assert_eq!(interface.imports[0].ty, "func(i32, i32, i32) -> (i32)");
    assert_eq!(
        interface.function_exports(),
        ["__call_reducer__", "__describe_module__", "__preinit__a_first", "__preinit__b_second"]
    );
    assert!(interface.exports.iter().any(|export| export.name == "memory" && export.ty == "memory"));
}
