//! [`NativeModule`]: the module linked into the current binary, as a
//! [`ModuleInstance`] of the reference host.

use std::panic::{catch_unwind, AssertUnwindSafe};

use worldtube_abi::Host;
use worldtube_host::runtime::{
    panic_message, CallResult, HttpHandlerCall, HttpHandlerResult, ModuleInstance, Phase, ProcedureCall,
    ProcedureResult, ReducerCall, RuntimeError, ViewCall, ViewResult, Wrapped, RESPONSE_BODY_SINK, RESPONSE_SINK,
    STARTUP_SINK,
};

/// The module linked into this binary through `worldtube::rt` (every `#[table]` and
/// `#[reducer]` of the crates linked in; a test binary links a module crate with
/// `use my_module as _;`).
///
/// Each call wraps the host in the runtime's [`Wrapped`] (so the start-up rule and the captured
/// sinks are the same as for a wasm module), installs it as this thread's host
/// (`worldtube_sys::with_host`, which also restores whatever host was installed before), runs the
/// export inside [`catch_unwind`], and takes the host back, after a panic too. A host method's
/// [`Trap`](worldtube_abi::Trap) becomes a panic in worldtube-sys and so a
/// [`CallResult::Trap`] carrying its message.
///
/// Unlike a wasm instance, the native module is never re-created: its statics outlive a panic.
#[derive(Clone, Copy, Debug, Default)]
pub struct NativeModule {
    _private: (),
}

impl NativeModule {
    /// The module linked into this binary.
    pub fn new() -> NativeModule {
        NativeModule { _private: () }
    }
}

/// Runs `f` with `host` installed, catching a panic; returns the host and `f`'s result or the
/// panic message (or, failing that, the last panic message the module logged).
fn run_installed<H: Host + 'static, R>(host: Wrapped<H>, f: impl FnOnce() -> R) -> (Wrapped<H>, Result<R, String>) {
    let (result, host) = worldtube_sys::with_host(host, || catch_unwind(AssertUnwindSafe(f)));
    let result = result.map_err(|payload| {
        panic_message(&*payload)
            .or_else(|| host.capture.panic_message.clone())
            .unwrap_or_else(|| "the module panicked with a payload that is not a string".to_owned())
    });
    (host, result)
}

impl ModuleInstance for NativeModule {
    /// `worldtube::rt::native_preinit()`, then `__describe_module__(STARTUP_SINK)`.
    ///
    /// `__describe_module__` is `extern "C-unwind"`, so a panic inside it (e.g. a describer
    /// rejecting a table) comes back as [`RuntimeError::Trap`] rather than aborting the process.
    fn describe<H: Host + 'static>(&mut self, host: H) -> (H, Result<Vec<u8>, RuntimeError>) {
        worldtube::rt::native_preinit();
        let wrapped = Wrapped::new(host, Phase::Startup, STARTUP_SINK);
        let (wrapped, result) = run_installed(wrapped, || worldtube::rt::__describe_module__(STARTUP_SINK));
        let result = match result {
            Ok(()) => Ok(wrapped.capture.bytes),
            Err(message) => Err(RuntimeError::Trap { export: "__describe_module__".to_owned(), message }),
        };
        (wrapped.inner, result)
    }

    fn call_reducer<H: Host + 'static>(&mut self, host: H, call: ReducerCall) -> (H, CallResult) {
        worldtube::rt::native_preinit();
        let [sender_0, sender_1, sender_2, sender_3] = call.sender_words();
        let [conn_id_0, conn_id_1] = call.connection_id_words();
        let wrapped = Wrapped::new(host, Phase::Call, call.error_sink);
        let (wrapped, result) = run_installed(wrapped, || {
            worldtube::rt::__call_reducer__(
                call.id,
                sender_0,
                sender_1,
                sender_2,
                sender_3,
                conn_id_0,
                conn_id_1,
                call.timestamp_micros as u64,
                call.args_source,
                call.error_sink,
            )
        });
        let result = match result {
            Ok(code) => CallResult::from_return_code(code.into(), || wrapped.capture.text()),
            Err(message) => CallResult::Trap(message),
        };
        (wrapped.inner, result)
    }

    /// `worldtube::rt::__call_procedure__` (a module built with the `v2` feature has it; without
    /// it the module has no procedures, and the call fails saying so).
    fn call_procedure<H: Host + 'static>(&mut self, host: H, call: ProcedureCall) -> (H, ProcedureResult) {
        worldtube::rt::native_preinit();
        let [sender_0, sender_1, sender_2, sender_3] = call.sender_words();
        let [conn_id_0, conn_id_1] = call.connection_id_words();
        let wrapped = Wrapped::new(host, Phase::Returning, call.error_sink);
        let (wrapped, result) = run_installed(wrapped, || {
            worldtube::rt::native_call_procedure(
                call.id,
                [sender_0, sender_1, sender_2, sender_3],
                [conn_id_0, conn_id_1],
                call.timestamp_micros as u64,
                call.args_source,
                call.error_sink,
            )
        });
        let result = match result {
            Ok(Some(0)) if !wrapped.capture.overflowed => ProcedureResult::Returned(wrapped.capture.bytes),
            Ok(Some(0)) => ProcedureResult::Trap(format!(
                "the procedure's return value is larger than the limit of {} bytes (CallLimits::max_return_bytes)",
                wrapped.capture.limits.max_return_bytes
            )),
            Ok(Some(code)) => ProcedureResult::Trap(format!(
                "__call_procedure__ returned unexpected code {code}. Procedures should return code 0 or trap."
            )),
            Ok(None) => ProcedureResult::Trap("the module does not export `__call_procedure__`".to_owned()),
            Err(message) => ProcedureResult::Trap(message),
        };
        (wrapped.inner, result)
    }

    /// `worldtube::rt::__call_view__` or `__call_view_anon__` (a module built with the `v2`
    /// feature has them; without it the module has no views, and the call fails saying so).
    fn call_view<H: Host + 'static>(&mut self, host: H, call: ViewCall) -> (H, ViewResult) {
        worldtube::rt::native_preinit();
        let wrapped = Wrapped::new(host, Phase::Returning, call.sink);
        let (wrapped, result) = run_installed(wrapped, || {
            worldtube::rt::native_call_view(call.id, call.sender_words(), call.args_source, call.sink)
        });
        let result = match result {
            Ok(Some(_)) if wrapped.capture.overflowed => ViewResult::Trap(format!(
                "the view's rows are larger than the limit of {} bytes (CallLimits::max_return_bytes)",
                wrapped.capture.limits.max_return_bytes
            )),
            Ok(Some(code)) => ViewResult::Returned { code: code.into(), bytes: wrapped.capture.bytes },
            Ok(None) => ViewResult::Trap("the module does not export `__call_view__`".to_owned()),
            Err(message) => ViewResult::Trap(message),
        };
        (wrapped.inner, result)
    }

    /// The same module: a call made while another is inside a host call (a reducer running while
    /// a procedure sleeps) installs its own host for its length (`worldtube_sys::with_host`
    /// nests).
    fn fork(&self) -> Option<Self> {
        Some(*self)
    }

    /// `worldtube::rt::__call_http_handler__` (a module built with the `v2` and `unstable`
    /// features has it; without them the module has no HTTP handlers, and the call fails saying
    /// so).
    fn call_http_handler<H: Host + 'static>(&mut self, host: H, call: HttpHandlerCall) -> (H, HttpHandlerResult) {
        worldtube::rt::native_preinit();
        let mut wrapped = Wrapped::new(host, Phase::Returning, RESPONSE_SINK);
        wrapped.capture.capture_body(RESPONSE_BODY_SINK);
        let (wrapped, result) = run_installed(wrapped, || {
            worldtube::rt::native_call_http_handler(
                call.id,
                call.timestamp_micros as u64,
                call.request_source,
                call.body_source,
                RESPONSE_SINK,
                RESPONSE_BODY_SINK,
            )
        });
        let capture = wrapped.capture;
        let result = match result {
            Ok(Some(0)) if capture.overflowed || capture.body_overflowed => HttpHandlerResult::Trap(format!(
                "the response written by `__call_http_handler__` is larger than the limit of {} bytes \
                 (CallLimits::max_return_bytes)",
                capture.limits.max_return_bytes
            )),
            Ok(Some(0)) => HttpHandlerResult::Returned { head: capture.bytes, body: capture.body },
            Ok(Some(code)) => HttpHandlerResult::Trap(format!(
                "__call_http_handler__ returned unexpected code {code}. HTTP handlers should return code 0 or trap."
            )),
            Ok(None) => HttpHandlerResult::Trap("the module does not export `__call_http_handler__`".to_owned()),
            Err(message) => HttpHandlerResult::Trap(message),
        };
        (wrapped.inner, result)
    }
}
