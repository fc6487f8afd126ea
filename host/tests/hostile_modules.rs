//! Hand-written hostile modules against the runtime's bounds (host/DESIGN.md, "Limits"): every
//! buffer a module can make the host grow stops at a configured limit with an error naming it,
//! infinite loops end within seconds with the default fuel, and wasm-bindgen builds are refused.
//! The tests set small limits rather than allocating what the defaults allow.

use std::time::{Duration, Instant};

use worldtube_abi::Errno;
use worldtube_host::abi_host::AbiHost;
use worldtube_host::engine::{Engine, EngineOptions, InstallError};
use worldtube_host::runtime::{
    CallLimits, CallResult, ModuleInstance, ReducerCall, RuntimeError, WasmConfig, WasmModule, DEFAULT_FUEL,
};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::{RawModuleDef, RawModuleDefV9Builder};
use worldtube_lib::Identity;

/// The BSATN of an empty module definition, as a WAT string literal body.
fn empty_def_wat() -> String {
    let bytes = bsatn::to_vec(&RawModuleDef::V9(RawModuleDefV9Builder::new().finish()));
    bytes.iter().map(|b| format!("\\{b:02x}")).collect()
}

/// A module whose reducers flood the host: each does one thing 64 times with a 64 KiB buffer
/// (at 1024) and ignores every status. `__describe_module__` writes an empty definition
/// (at 32) followed by `$describe_extra` times 64 KiB of garbage.
fn flood_module(describe_extra: u32) -> Vec<u8> {
    let def = empty_def_wat();
    let def_len = def.len() / 3;
    let wat = format!(
        r#"
(module
  (import "spacetime_10.0" "console_log" (func $log (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "spacetime_10.0" "bytes_sink_write" (func $sink_write (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "volatile_nonatomic_schedule_immediate" (func $schedule (param i32 i32 i32 i32)))
  (memory (export "memory") 2)
  (data (i32.const 32) "{def}")
  (data (i32.const 512) "r")
  ;; 600: a length cell; 1024..66560: the 64 KiB buffer (zeros, valid UTF-8)

  (func $write (param $sink i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 600) (local.get $len))
    (drop (call $sink_write (local.get $sink) (local.get $ptr) (i32.const 600))))

  (func (export "__describe_module__") (param $sink i32)
    (local $i i32)
    (call $write (local.get $sink) (i32.const 32) (i32.const {def_len}))
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (i32.const {describe_extra})))
        (call $write (local.get $sink) (i32.const 1024) (i32.const 65536))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again))))

  (func (export "__call_reducer__")
    (param $id i32) (param i64 i64 i64 i64 i64 i64 i64) (param $args i32) (param $err i32) (result i32)
    (local $i i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (i32.const 64)))
        ;; 0: write to the error sink
        (if (i32.eq (local.get $id) (i32.const 0))
          (then (call $write (local.get $err) (i32.const 1024) (i32.const 65536))))
        ;; 1: log a message
        (if (i32.eq (local.get $id) (i32.const 1))
          (then (call $log (i32.const 2) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const -1)
                  (i32.const 1024) (i32.const 65536))))
        ;; 2: queue a call of `r` with the buffer as arguments
        (if (i32.eq (local.get $id) (i32.const 2))
          (then (call $schedule (i32.const 512) (i32.const 1) (i32.const 1024) (i32.const 65536))))
        ;; 3: queue a call of `r` with no arguments
        (if (i32.eq (local.get $id) (i32.const 3))
          (then (call $schedule (i32.const 512) (i32.const 1) (i32.const 1024) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (i32.const 1))
)
"#
    );
    wat::parse_str(wat).expect("valid WAT")
}

fn host() -> AbiHost {
    AbiHost::new(Identity::ZERO)
}

fn config(limits: CallLimits) -> WasmConfig {
    WasmConfig { limits, ..WasmConfig::default() }
}

fn call(module: &mut WasmModule, id: u32) -> (AbiHost, CallResult) {
    module.call_reducer(host(), ReducerCall::new(id))
}

#[test]
fn the_error_sink_keeps_at_most_its_limit_and_says_so() {
    let limits = CallLimits { max_sink_bytes: 100_000, ..CallLimits::default() };
    let mut module = WasmModule::with_config(&flood_module(0), config(limits)).unwrap();
    let (_, result) = call(&mut module, 0);
    let CallResult::Err(message) = result else { panic!("expected an error message, got {result:?}") };
    // 64 writes of 64 KiB were offered; the sink took 100,000 bytes and answered NO_SPACE.
    assert!(message.len() < 100_200, "{} bytes kept", message.len());
    assert!(message.ends_with("limit of 100000 bytes (CallLimits::max_sink_bytes)]"), "{}", &message[100_000..]);
}

#[test]
fn log_messages_and_the_log_of_a_call_are_bounded() {
    let limits = CallLimits { max_log_message_bytes: 100, max_log_bytes_per_call: 2_000, ..CallLimits::default() };
    let mut module = WasmModule::with_config(&flood_module(0), config(limits)).unwrap();
    let (host, result) = call(&mut module, 1);
    assert!(matches!(result, CallResult::Err(_)), "{result:?}");
    let logs = host.logs();
    // Each message is cut to 100 bytes plus a marker; after ~2,000 bytes one note says the rest
    // was dropped.
    assert!(logs.len() < 10, "{} records kept", logs.len());
    assert!(logs[0].message.len() < 250 && logs[0].message.contains("CallLimits::max_log_message_bytes"));
    let last = logs.last().unwrap();
    assert!(last.message.contains("more than 2000 bytes (CallLimits::max_log_bytes_per_call)"), "{}", last.message);
}

#[test]
fn queued_calls_are_bounded_in_bytes_and_in_number() {
    let limits = CallLimits { max_scheduled_bytes_per_call: 200_000, ..CallLimits::default() };
    let mut module = WasmModule::with_config(&flood_module(0), config(limits)).unwrap();
    let (host, result) = call(&mut module, 2);
    let CallResult::Trap(message) = result else { panic!("expected a trap, got {result:?}") };
    assert!(message.contains("more than 200000 bytes"), "{message}");
    assert!(message.contains("CallLimits::max_scheduled_bytes_per_call"), "{message}");
    assert_eq!(host.scheduled().len(), 3, "the calls queued before the limit");

    let limits = CallLimits { max_scheduled_calls_per_call: 10, ..CallLimits::default() };
    let mut module = WasmModule::with_config(&flood_module(0), config(limits)).unwrap();
    let (host, result) = call(&mut module, 3);
    let CallResult::Trap(message) = result else { panic!("expected a trap, got {result:?}") };
    assert!(message.contains("more than 10 calls"), "{message}");
    assert_eq!(host.scheduled().len(), 10);
}

#[test]
fn a_describe_output_past_its_limit_fails_and_trailing_bytes_within_it_are_ignored() {
    // 64 KiB of garbage after the definition, within the default limit: ignored, as SPEC §9 says
    // and the server does.
    let mut module = WasmModule::new(&flood_module(1)).unwrap();
    let (_, described) = module.describe(host());
    assert_eq!(described.unwrap().len(), empty_def_wat().len() / 3 + 65536);
    let engine = Engine::install(WasmModule::new(&flood_module(1)).unwrap(), EngineOptions::named("owner"));
    assert!(engine.is_ok(), "{:?}", engine.err());

    // 64 × 64 KiB against a limit of 100,000 bytes.
    let limits = CallLimits { max_describe_bytes: 100_000, ..CallLimits::default() };
    let mut module = WasmModule::with_config(&flood_module(64), config(limits)).unwrap();
    let (_, described) = module.describe(host());
    match described {
        Err(RuntimeError::Limit { export, message }) => {
            assert_eq!(export, "__describe_module__");
            assert!(message.contains("limit of 100000 bytes (CallLimits::max_describe_bytes)"), "{message}");
        }
        other => panic!("expected a limit error, got {other:?}"),
    }
    let engine = Engine::install(
        WasmModule::with_config(&flood_module(64), config(limits)).unwrap(),
        EngineOptions::named("owner"),
    );
    assert!(matches!(engine, Err(InstallError::Describe(RuntimeError::Limit { .. }))), "{:?}", engine.err());
}

#[test]
fn the_sink_answers_no_space_when_full() {
    let mut wrapped = worldtube_host::runtime::Wrapped::with_limits(
        host(),
        worldtube_host::runtime::Phase::Call,
        1,
        CallLimits { max_sink_bytes: 4, ..CallLimits::default() },
    );
    use worldtube_abi::Host;
    assert_eq!(wrapped.bytes_sink_write(1, b"abc"), Ok(3));
    assert_eq!(wrapped.bytes_sink_write(1, b"def"), Ok(1), "takes what fits");
    assert_eq!(wrapped.bytes_sink_write(1, b"g"), Err(Errno::NO_SPACE.into()));
    assert!(wrapped.capture.overflowed);
}

/// A module with an infinite loop in the export (or start function) `place`.
fn looping_module(place: &str) -> Vec<u8> {
    let def = empty_def_wat();
    let def_len = def.len() / 3;
    let body = |name: &str| if name == place { "(loop $forever (br $forever))" } else { "" };
    let wat = format!(
        r#"
(module
  (import "spacetime_10.0" "bytes_sink_write" (func $sink_write (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "{def}")
  (func $start {start})
  (start $start)
  (func (export "__preinit__10_init") {preinit})
  (func (export "__describe_module__") (param $sink i32)
    {describe}
    (i32.store (i32.const 600) (i32.const {def_len}))
    (drop (call $sink_write (local.get $sink) (i32.const 32) (i32.const 600))))
  (func (export "__call_reducer__")
    (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32)
    {call}
    (i32.const 0))
)
"#,
        start = body("start"),
        preinit = body("preinit"),
        describe = body("describe"),
        call = body("call"),
    );
    wat::parse_str(wat).expect("valid WAT")
}

/// How long the default fuel lasts in this build profile: the limit must end a loop in seconds.
const SECONDS: Duration = Duration::from_secs(30);

#[test]
fn infinite_loops_end_within_seconds_wherever_they_are() {
    for place in ["start", "preinit", "describe", "call"] {
        let mut module = WasmModule::new(&looping_module(place)).unwrap();
        let started = Instant::now();
        let message = if place == "call" {
            let (_, started) = module.describe(host());
            started.unwrap();
            match call(&mut module, 0).1 {
                CallResult::Trap(message) => message,
                other => panic!("{place}: expected a trap, got {other:?}"),
            }
        } else {
            module.describe(host()).1.unwrap_err().to_string()
        };
        let took = started.elapsed();
        assert!(took < SECONDS, "{place}: the loop ran for {took:?}");
        assert!(message.contains(&format!("fuel limit of {DEFAULT_FUEL} units")), "{place}: {message}");
        assert!(message.contains("raise WasmConfig::fuel"), "{place}: {message}");
        eprintln!("{place}: stopped after {took:?}");
    }
}

#[test]
fn wasm_bindgen_exports_are_refused() {
    let wat = r#"
(module
  (import "spacetime_10.0" "bytes_sink_write" (func $sink_write (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "__describe_module__") (param i32))
  (func (export "__call_reducer__") (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32) (i32.const 0))
  (func (export "__wbindgen_malloc") (param i32 i32) (result i32) (i32.const 0))
)
"#;
    match WasmModule::new(&wat::parse_str(wat).unwrap()) {
        Err(RuntimeError::Interface(problems)) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].starts_with("exports `__wbindgen_malloc`, which marks a wasm-bindgen build"));
        }
        other => panic!("expected an interface error, got {other:?}"),
    }
}
