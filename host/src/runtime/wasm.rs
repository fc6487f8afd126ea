//! [`WasmModule`]: a `.wasm` module run by the `wasmi` interpreter.

use std::panic::{catch_unwind, AssertUnwindSafe};

use wasmi::{
    Caller, Config, Engine, Extern, Instance, Linker, Memory, Module, Store, StoreLimits, StoreLimitsBuilder, TrapCode,
    TypedFunc, Val,
};
use worldtube_abi::{glue, Host, RawParam, Trap};

use super::capture::{unbox, CallLimits, DynHost, Phase, Wrapped};
use super::validate::{func_type, interface_problems};
use super::{
    panic_message, unknown_return_code, CallResult, HttpHandlerCall, HttpHandlerResult, ModuleInstance, ProcedureCall,
    ProcedureResult, ReducerCall, RuntimeError, ViewCall, ViewResult, CALL_HTTP_HANDLER, CALL_PROCEDURE, CALL_VIEW,
    CALL_VIEW_ANON, RESPONSE_BODY_SINK, RESPONSE_SINK, STARTUP_SINK,
};

/// Default [`WasmConfig::fuel`]: roughly this many wasm instructions per export call (and for
/// each start-up step: the wasm start function, each `__preinit__*`, `__setup__`,
/// `__describe_module__`). Far more than a reducer under test needs, but an infinite loop ends
/// within seconds. The interpreter's speed depends on the build profile, so the budget does too.
/// Measured on this project's 2-core machine with an idle CPU (`cargo test [--release] -p
/// worldtube-host --test hostile_modules infinite_loops -- --nocapture`, 2026-11-30): an endless
/// loop used up 10 million units in 1.7 s unoptimised (`debug_assertions`), and 500 million in
/// 0.6 s optimised; so the optimised budget is 5 billion (about 6 s), leaving room for calls that
/// legitimately do a lot of work. `worldtube run --fuel N` and [`WasmConfig::fuel`] change it.
pub const DEFAULT_FUEL: u64 = if cfg!(debug_assertions) { 10_000_000 } else { 5_000_000_000 };

/// How a [`WasmModule`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WasmConfig {
    /// The fuel (roughly: wasm instructions) each export call may use before it traps;
    /// `None` runs without a limit (and without the small cost of metering).
    pub fuel: Option<u64>,
    /// The most linear memory, in bytes, an instance may grow to (growing past it fails, which a
    /// Rust module's allocator turns into a trap); `None` allows the whole 4 GiB of wasm32.
    pub max_memory: Option<usize>,
    /// Bounds on what one export call can make the host keep (sinks, logs, queued calls).
    pub limits: CallLimits,
}

/// Default [`WasmConfig::max_memory`]: 1 GiB, far more than modules under test need, and a bound
/// on what a runaway module can take from the machine running the tests.
pub const DEFAULT_MAX_MEMORY: usize = 1 << 30;

impl Default for WasmConfig {
    fn default() -> Self {
        WasmConfig { fuel: Some(DEFAULT_FUEL), max_memory: Some(DEFAULT_MAX_MEMORY), limits: CallLimits::default() }
    }
}

/// The exports and imports' view of one instance: the host of the current call (boxed, since the
/// store cannot be generic over each call's host type) and the instance's memory.
struct StoreData {
    host: Option<Box<dyn DynHost>>,
    memory: Option<Memory>,
    limits: StoreLimits,
}

/// The parameters of `__call_reducer__` (and of `__call_procedure__`).
type CallReducerParams = (i32, i64, i64, i64, i64, i64, i64, i64, i32, i32);

/// An export taking `__call_reducer__`'s parameters.
type CallExport = TypedFunc<CallReducerParams, i32>;

/// What an export call that did not trap gave: its return code, and what it wrote to the
/// captured sink as text and as bytes.
type Returned = (i32, String, Vec<u8>);

/// `__call_view__`: id, the sender's four words, args, sink.
type CallView = TypedFunc<(i32, i64, i64, i64, i64, i32, i32), i32>;

/// `__call_view_anon__`: id, args, sink.
type CallViewAnon = TypedFunc<(i32, i32, i32), i32>;

/// `__call_http_handler__`: id, timestamp, request, request body, response sink, response body
/// sink.
type CallHttpHandler = TypedFunc<(i32, i64, i32, i32, i32, i32), i32>;

/// The outcome of starting an instance: the instance and its describe bytes.
type Started = Result<(Live, Vec<u8>), RuntimeError>;

/// The exports a live instance keeps, and the describe bytes of its start-up.
type StartedExports = (Exports, Vec<u8>);

/// The exports the runtime calls after start-up.
struct Exports {
    describe: TypedFunc<i32, ()>,
    call_reducer: CallExport,
    /// Absent in modules without procedures (1.x ones included).
    call_procedure: Option<CallExport>,
    /// Absent in modules without per-sender views.
    call_view: Option<CallView>,
    /// Absent in modules without anonymous views.
    call_view_anon: Option<CallViewAnon>,
    /// Absent in modules without HTTP handlers, or `Err` with the signature the module exports
    /// it with when that is another form than this host's (the export is unstable; a later
    /// server's form does not stop the module from loading).
    call_http_handler: Result<Option<CallHttpHandler>, String>,
}

/// A live instance.
struct Live {
    store: Store<StoreData>,
    exports: Exports,
}

/// A wasm module, validated against the interface (`spacetime_10.0` to `spacetime_10.5`), and its
/// current instance.
///
/// The instance is created lazily, with the host of the first [`describe`](ModuleInstance::describe)
/// or [`call_reducer`](ModuleInstance::call_reducer), by the server's start-up sequence
/// (SPEC §7.1): every `__preinit__*` export in byte-wise sorted order of the names, then
/// `__setup__(STARTUP_SINK)` if exported, then `__describe_module__(STARTUP_SINK)`. A trap
/// (of the module, of a host call, or running out of fuel) discards the instance: the next call
/// starts a new one, with fresh memory and globals, running the start-up sequence again (its
/// describe bytes are discarded).
///
/// Every import is linked through [`worldtube_abi::glue`] with the instance's linear memory as
/// the [`Memory`](worldtube_abi::Memory) (bounds-checked); a glue [`Trap`] (or a panic of a
/// host method) traps the instance.
pub struct WasmModule {
    config: WasmConfig,
    engine: Engine,
    module: Module,
    linker: Linker<StoreData>,
    /// The `__preinit__*` exports, sorted byte-wise.
    preinits: Vec<String>,
    has_setup: bool,
    live: Option<Live>,
    instantiations: u64,
}

impl std::fmt::Debug for WasmModule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmModule")
            .field("config", &self.config)
            .field("preinits", &self.preinits)
            .field("has_setup", &self.has_setup)
            .field("live", &self.live.is_some())
            .field("instantiations", &self.instantiations)
            .finish_non_exhaustive()
    }
}

impl WasmModule {
    /// Loads `wasm` with the default [`WasmConfig`]; see [`WasmModule::with_config`].
    pub fn new(wasm: &[u8]) -> Result<WasmModule, RuntimeError> {
        WasmModule::with_config(wasm, WasmConfig::default())
    }

    /// Parses and validates `wasm` and checks its interface as the server does: every import
    /// is a function of the `spacetime_10.N` module of the version that introduced it (10.0 to
    /// 10.5) with its declared signature (anything else, an unknown `spacetime_*` version
    /// included, is rejected), and the module exports `memory`, `__describe_module__` and
    /// `__call_reducer__` (and the optional exports, if present) with their exact signatures. No
    /// code runs yet.
    pub fn with_config(wasm: &[u8], config: WasmConfig) -> Result<WasmModule, RuntimeError> {
        let mut engine_config = Config::default();
        engine_config.consume_fuel(config.fuel.is_some());
        let engine = Engine::new(&engine_config);
        let module = Module::new(&engine, wasm).map_err(|error| RuntimeError::InvalidWasm(error.to_string()))?;
        let problems = interface_problems(&module);
        if !problems.is_empty() {
            return Err(RuntimeError::Interface(problems));
        }
        let mut linker = Linker::new(&engine);
        define_imports(&mut linker).map_err(|error| RuntimeError::Instantiate(error.to_string()))?;
        let mut preinits: Vec<String> = module
            .exports()
            .filter(|export| export.name().starts_with(PREINIT_PREFIX))
            .map(|export| export.name().to_owned())
            .collect();
        preinits.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let has_setup = module.get_export(SETUP).is_some();
        Ok(WasmModule { config, engine, module, linker, preinits, has_setup, live: None, instantiations: 0 })
    }

    /// How it runs.
    pub fn config(&self) -> WasmConfig {
        self.config
    }

    /// Whether an instance is live (none before the first call, and none after a trap until the
    /// next call).
    pub fn is_instantiated(&self) -> bool {
        self.live.is_some()
    }

    /// How many instances have been started (successfully or not).
    pub fn instantiations(&self) -> u64 {
        self.instantiations
    }

    /// The `__preinit__*` exports, in the order they run.
    pub fn preinits(&self) -> &[String] {
        &self.preinits
    }

    /// Starts a new instance with `host` (in the start-up phase); returns the instance and the
    /// describe bytes, and the host in every case.
    fn start(&mut self, host: Box<dyn DynHost>) -> (Box<dyn DynHost>, Started) {
        self.instantiations += 1;
        let mut limits = StoreLimitsBuilder::new();
        if let Some(max) = self.config.max_memory {
            limits = limits.memory_size(max);
        }
        let data = StoreData { host: Some(host), memory: None, limits: limits.build() };
        let mut store = Store::new(&self.engine, data);
        store.limiter(|data| &mut data.limits);
        let result = self.start_in(&mut store);
        let host = take_host(&mut store);
        let result = result.map(|(exports, bytes)| (Live { store, exports }, bytes));
        (host, result)
    }

    fn start_in(&self, store: &mut Store<StoreData>) -> Result<StartedExports, RuntimeError> {
        self.refuel(store);
        let instance: Instance = self.linker.instantiate_and_start(&mut *store, &self.module).map_err(|error| {
            RuntimeError::Instantiate(
                trap_message(store, &error, self.config.fuel).unwrap_or_else(|| error.to_string()),
            )
        })?;
        let memory = instance
            .get_memory(&*store, "memory")
            .ok_or_else(|| RuntimeError::Instantiate("the module exports no memory named `memory`".to_owned()))?;
        store.data_mut().memory = Some(memory);
        let bad_export =
            |name: &str, error: wasmi::Error| RuntimeError::Instantiate(format!("export `{name}`: {error}"));

        for name in &self.preinits {
            let preinit = instance.get_typed_func::<(), ()>(&*store, name).map_err(|error| bad_export(name, error))?;
            reset_capture(store, Phase::Startup, STARTUP_SINK);
            self.refuel(store);
            preinit.call(&mut *store, ()).map_err(|error| self.export_trap(store, name, error))?;
        }

        if self.has_setup {
            let setup =
                instance.get_typed_func::<i32, i32>(&*store, SETUP).map_err(|error| bad_export(SETUP, error))?;
            reset_capture(store, Phase::Startup, STARTUP_SINK);
            self.refuel(store);
            let code =
                setup.call(&mut *store, STARTUP_SINK as i32).map_err(|error| self.export_trap(store, SETUP, error))?;
            match code {
                0 => {}
                1 => return Err(RuntimeError::Setup { code, message: captured_text(store) }),
                _ => return Err(RuntimeError::Setup { code, message: unknown_return_code(code) }),
            }
        }

        let describe =
            instance.get_typed_func::<i32, ()>(&*store, DESCRIBE).map_err(|error| bad_export(DESCRIBE, error))?;
        let call_reducer = instance
            .get_typed_func::<CallReducerParams, i32>(&*store, CALL_REDUCER)
            .map_err(|error| bad_export(CALL_REDUCER, error))?;
        let call_procedure =
            optional_export(&instance, store, CALL_PROCEDURE).map_err(bad_export_of(CALL_PROCEDURE))?;
        let call_view = optional_export(&instance, store, CALL_VIEW).map_err(bad_export_of(CALL_VIEW))?;
        let call_view_anon =
            optional_export(&instance, store, CALL_VIEW_ANON).map_err(bad_export_of(CALL_VIEW_ANON))?;
        let call_http_handler = optional_export(&instance, store, CALL_HTTP_HANDLER).map_err(|_| {
            let ty = instance.get_export(&*store, CALL_HTTP_HANDLER).and_then(|e| e.into_func()).map(|f| f.ty(&*store));
            ty.map_or_else(|| "another type".to_owned(), |ty| super::validate::signature(&ty))
        });
        let bytes = self.run_describe(store, &describe)?;
        let exports = Exports { describe, call_reducer, call_procedure, call_view, call_view_anon, call_http_handler };
        Ok((exports, bytes))
    }

    /// `__describe_module__(STARTUP_SINK)` on an instance; the bytes it wrote.
    fn run_describe(
        &self,
        store: &mut Store<StoreData>,
        describe: &TypedFunc<i32, ()>,
    ) -> Result<Vec<u8>, RuntimeError> {
        reset_capture(store, Phase::Startup, STARTUP_SINK);
        self.refuel(store);
        describe.call(&mut *store, STARTUP_SINK as i32).map_err(|error| self.export_trap(store, DESCRIBE, error))?;
        let capture = capture(store);
        if capture.overflowed {
            return Err(RuntimeError::Limit {
                export: DESCRIBE.to_owned(),
                message: format!(
                    "the module definition written to the sink is larger than the limit of {} bytes \
                     (CallLimits::max_describe_bytes)",
                    capture.limits.max_describe_bytes
                ),
            });
        }
        Ok(std::mem::take(&mut capture.bytes))
    }

    /// Gives the store its full fuel for the next export call.
    fn refuel(&self, store: &mut Store<StoreData>) {
        if let Some(fuel) = self.config.fuel {
            store.set_fuel(fuel).expect("fuel metering is enabled when a fuel limit is configured");
        }
    }

    fn export_trap(&self, store: &mut Store<StoreData>, export: &str, error: wasmi::Error) -> RuntimeError {
        let message = trap_message(store, &error, self.config.fuel).unwrap_or_else(|| error.to_string());
        RuntimeError::Trap { export: export.to_owned(), message }
    }
}

impl ModuleInstance for WasmModule {
    fn describe<H: Host + 'static>(&mut self, host: H) -> (H, Result<Vec<u8>, RuntimeError>) {
        let host: Box<dyn DynHost> =
            Box::new(Wrapped::with_limits(host, Phase::Startup, STARTUP_SINK, self.config.limits));
        let (host, result) = match self.live.take() {
            None => {
                let (host, started) = self.start(host);
                let result = started.map(|(live, bytes)| {
                    self.live = Some(live);
                    bytes
                });
                (host, result)
            }
            Some(mut live) => {
                live.store.data_mut().host = Some(host);
                let result = self.run_describe(&mut live.store, &live.exports.describe);
                let host = take_host(&mut live.store);
                if result.is_ok() {
                    self.live = Some(live);
                }
                (host, result)
            }
        };
        (unbox::<H>(host).inner, result)
    }

    fn call_reducer<H: Host + 'static>(&mut self, host: H, call: ReducerCall) -> (H, CallResult) {
        let (host, outcome) = self.call_export(host, Phase::Call, call.error_sink, CALL_REDUCER, |exports, store| {
            Some(exports.call_reducer.call(store, reducer_params(&call)))
        });
        let result = match outcome {
            Ok((0, ..)) => CallResult::Ok,
            Ok((1, message, _)) => CallResult::Err(message),
            Ok((code, ..)) => CallResult::Err(unknown_return_code(code)),
            Err(message) => CallResult::Trap(message),
        };
        (host, result)
    }

    fn call_procedure<H: Host + 'static>(&mut self, host: H, call: ProcedureCall) -> (H, ProcedureResult) {
        let (host, outcome) =
            self.call_export(host, Phase::Returning, call.error_sink, CALL_PROCEDURE, |exports, store| {
                exports.call_procedure.map(|export| export.call(store, reducer_params(&call)))
            });
        let result = match outcome {
            Ok((0, _, bytes)) => ProcedureResult::Returned(bytes),
            // The 2.8 server's text.
            Ok((code, ..)) => ProcedureResult::Trap(format!(
                "{CALL_PROCEDURE} returned unexpected code {code}. Procedures should return code 0 or trap."
            )),
            Err(message) => ProcedureResult::Trap(message),
        };
        (host, result)
    }

    fn call_view<H: Host + 'static>(&mut self, host: H, call: ViewCall) -> (H, ViewResult) {
        let export = if call.sender.is_some() { CALL_VIEW } else { CALL_VIEW_ANON };
        let (host, outcome) = self.call_export(host, Phase::Returning, call.sink, export, |exports, store| {
            let (id, args, sink) = (call.id as i32, call.args_source as i32, call.sink as i32);
            match call.sender_words() {
                Some([s0, s1, s2, s3]) => exports
                    .call_view
                    .map(|export| export.call(store, (id, s0 as i64, s1 as i64, s2 as i64, s3 as i64, args, sink))),
                None => exports.call_view_anon.map(|export| export.call(store, (id, args, sink))),
            }
        });
        let result = match outcome {
            Ok((code, _, bytes)) => ViewResult::Returned { code, bytes },
            Err(message) => ViewResult::Trap(message),
        };
        (host, result)
    }

    /// A new instance of the same compiled module (started on its first call).
    fn fork(&self) -> Option<Self> {
        Some(WasmModule {
            config: self.config,
            engine: self.engine.clone(),
            module: self.module.clone(),
            linker: self.linker.clone(),
            preinits: self.preinits.clone(),
            has_setup: self.has_setup,
            live: None,
            instantiations: 0,
        })
    }

    fn call_http_handler<H: Host + 'static>(&mut self, host: H, call: HttpHandlerCall) -> (H, HttpHandlerResult) {
        let mut body = (Vec::new(), false);
        let mut other_form = None;
        let (host, outcome) =
            self.call_export(host, Phase::Returning, RESPONSE_SINK, CALL_HTTP_HANDLER, |exports, store| {
                let export = match &exports.call_http_handler {
                    Ok(export) => (*export)?,
                    Err(signature) => {
                        other_form = Some(signature.clone());
                        return None;
                    }
                };
                capture(store).capture_body(RESPONSE_BODY_SINK);
                let params = (
                    call.id as i32,
                    call.timestamp_micros,
                    call.request_source as i32,
                    call.body_source as i32,
                    RESPONSE_SINK as i32,
                    RESPONSE_BODY_SINK as i32,
                );
                let result = export.call(&mut *store, params);
                let capture = capture(store);
                body = (std::mem::take(&mut capture.body), capture.body_overflowed);
                Some(result)
            });
        let result = match (outcome, body) {
            (Ok((0, _, head)), (body, false)) => HttpHandlerResult::Returned { head, body },
            (Ok((0, ..)), (_, true)) => HttpHandlerResult::Trap(format!(
                "the response body written by `{CALL_HTTP_HANDLER}` is larger than the limit of {} bytes \
                 (CallLimits::max_return_bytes)",
                self.config.limits.max_return_bytes
            )),
            // The 2.8 server's text.
            (Ok((code, ..)), _) => HttpHandlerResult::Trap(format!(
                "{CALL_HTTP_HANDLER} returned unexpected code {code}. HTTP handlers should return code 0 or trap."
            )),
            (Err(_), _) if other_form.is_some() => HttpHandlerResult::Trap(format!(
                "the module exports `{CALL_HTTP_HANDLER}` as {}, the unstable form of a later server; this host \
                 calls the form of SpacetimeDB 2.4 to 2.8, {}",
                other_form.unwrap_or_default(),
                http_handler_signature()
            )),
            (Err(message), _) => HttpHandlerResult::Trap(message),
        };
        (host, result)
    }
}

impl WasmModule {
    /// Calls the export `pick` chooses (one taking `__call_reducer__`'s parameters) in `phase`,
    /// capturing `call.error_sink`, on the live instance (started first if there is none; a
    /// trap discards it). Returns the export's return code and the captured sink, as text and as
    /// bytes, or the trap's message.
    fn call_export<H: Host + 'static>(
        &mut self,
        host: H,
        phase: Phase,
        sink: u32,
        export: &str,
        invoke: impl FnOnce(&Exports, &mut Store<StoreData>) -> Option<Result<i32, wasmi::Error>>,
    ) -> (H, Result<Returned, String>) {
        let mut host: Box<dyn DynHost> =
            Box::new(Wrapped::with_limits(host, Phase::Startup, STARTUP_SINK, self.config.limits));
        let mut live = match self.live.take() {
            Some(live) => live,
            None => match self.start(host) {
                (started_host, Ok((live, _describe_bytes))) => {
                    host = started_host;
                    live
                }
                (started_host, Err(error)) => {
                    let message = format!("could not start a new instance of the module: {error}");
                    return (unbox::<H>(started_host).inner, Err(message));
                }
            },
        };
        // `host` is this call's box either way: `start` hands back the box it was given.
        host.capture_mut().reset(phase, sink);
        live.store.data_mut().host = Some(host);
        self.refuel(&mut live.store);
        let Live { store, exports } = &mut live;
        let mut trapped = false;
        let outcome = match invoke(exports, store) {
            None => Err(format!("the module does not export `{export}`")),
            Some(Ok(code)) => {
                let text = captured_text(&mut live.store);
                let capture = capture(&mut live.store);
                let bytes = std::mem::take(&mut capture.bytes);
                if capture.overflowed && phase == Phase::Returning {
                    Err(format!(
                        "the return value written by `{export}` is larger than the limit of {} bytes \
                         (CallLimits::max_return_bytes)",
                        self.config.limits.max_return_bytes
                    ))
                } else {
                    Ok((code, text, bytes))
                }
            }
            Some(Err(error)) => {
                trapped = true;
                Err(trap_message(&mut live.store, &error, self.config.fuel).unwrap_or_else(|| error.to_string()))
            }
        };
        let host = take_host(&mut live.store);
        // A trap discards the instance (the next call starts a new one); anything else keeps it.
        if !trapped {
            self.live = Some(live);
        }
        (unbox::<H>(host).inner, outcome)
    }
}

/// The signature this host calls `__call_http_handler__` with, from the ABI table.
fn http_handler_signature() -> String {
    worldtube_abi::EXPORTS.iter().find(|e| e.name == CALL_HTTP_HANDLER).map_or_else(String::new, |e| e.wasm_signature())
}

/// `__call_reducer__`'s parameters for `call`.
fn reducer_params(call: &ReducerCall) -> CallReducerParams {
    let [sender_0, sender_1, sender_2, sender_3] = call.sender_words();
    let [conn_id_0, conn_id_1] = call.connection_id_words();
    (
        call.id as i32,
        sender_0 as i64,
        sender_1 as i64,
        sender_2 as i64,
        sender_3 as i64,
        conn_id_0 as i64,
        conn_id_1 as i64,
        call.timestamp_micros,
        call.args_source as i32,
        call.error_sink as i32,
    )
}

const PREINIT_PREFIX: &str = "__preinit__";
const SETUP: &str = "__setup__";
const DESCRIBE: &str = "__describe_module__";
const CALL_REDUCER: &str = "__call_reducer__";

/// The typed export `name`, if the module has one (an export of another signature is an error).
fn optional_export<P: wasmi::WasmParams, R: wasmi::WasmResults>(
    instance: &Instance,
    store: &Store<StoreData>,
    name: &str,
) -> Result<Option<TypedFunc<P, R>>, wasmi::Error> {
    match instance.get_export(store, name) {
        None => Ok(None),
        Some(_) => instance.get_typed_func::<P, R>(store, name).map(Some),
    }
}

fn bad_export_of(name: &str) -> impl FnOnce(wasmi::Error) -> RuntimeError + '_ {
    move |error| RuntimeError::Instantiate(format!("export `{name}`: {error}"))
}

fn take_host(store: &mut Store<StoreData>) -> Box<dyn DynHost> {
    store.data_mut().host.take().expect("the host stays in the store for the whole call")
}

fn capture(store: &mut Store<StoreData>) -> &mut super::capture::Capture {
    store.data_mut().host.as_mut().expect("the host stays in the store for the whole call").capture_mut()
}

fn reset_capture(store: &mut Store<StoreData>, phase: Phase, sink: u32) {
    capture(store).reset(phase, sink);
}

fn captured_text(store: &mut Store<StoreData>) -> String {
    capture(store).text()
}

/// A better message for a trap than `error`'s own, if there is one: the panic message the module
/// logged, or an explanation of running out of fuel.
fn trap_message(store: &mut Store<StoreData>, error: &wasmi::Error, fuel: Option<u64>) -> Option<String> {
    if error.as_trap_code() == Some(TrapCode::OutOfFuel) {
        let fuel = fuel.unwrap_or(0);
        return Some(format!(
            "{error}: the call used up its fuel limit of {fuel} units (about that many wasm instructions; an \
             infinite loop?); raise WasmConfig::fuel if it needs more"
        ));
    }
    store.data_mut().host.as_mut().and_then(|host| host.capture_mut().panic_message.take())
}

/// Runs one import: the glue function `call` with the instance's memory and the call's host.
/// A glue trap, a panic of the host, or a missing host or memory traps the instance.
fn call_host<R>(
    caller: &mut Caller<'_, StoreData>,
    import: &'static str,
    call: impl FnOnce(&mut [u8], &mut dyn DynHost) -> Result<R, Trap>,
) -> Result<R, wasmi::Error> {
    let memory = match caller.data().memory {
        Some(memory) => memory,
        // A wasm `start` function runs before the runtime has looked the memory up.
        None => caller.get_export("memory").and_then(Extern::into_memory).ok_or_else(|| {
            wasmi::Error::new(format!("wasm trap in `{import}`: the module exports no memory named `memory`"))
        })?,
    };
    let (memory, data) = memory.data_and_store_mut(&mut *caller);
    let Some(host) = data.host.as_deref_mut() else {
        return Err(wasmi::Error::new(format!("wasm trap in `{import}`: no host is installed")));
    };
    match catch_unwind(AssertUnwindSafe(|| call(memory, host))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(trap)) => Err(wasmi::Error::new(format!("wasm trap in `{import}`: {}", trap.message()))),
        Err(payload) => Err(wasmi::Error::new(format!(
            "wasm trap in `{import}`: the host panicked: {}",
            panic_message(&*payload).unwrap_or_else(|| "(a payload that is not a string)".to_owned())
        ))),
    }
}

/// One wasm argument as the glue's `u32` (every `i32` slot) or `u64` (`U64` slots).
trait FromVal: Sized {
    fn from_val(val: Option<&Val>) -> Result<Self, wasmi::Error>;
}

impl FromVal for u32 {
    fn from_val(val: Option<&Val>) -> Result<Self, wasmi::Error> {
        match val {
            Some(Val::I32(value)) => Ok(*value as u32),
            other => Err(wasmi::Error::new(format!("host function expected an i32 argument, got {other:?}"))),
        }
    }
}

impl FromVal for i64 {
    fn from_val(val: Option<&Val>) -> Result<Self, wasmi::Error> {
        match val {
            Some(Val::I64(value)) => Ok(*value),
            other => Err(wasmi::Error::new(format!("host function expected an i64 argument, got {other:?}"))),
        }
    }
}

impl FromVal for u64 {
    fn from_val(val: Option<&Val>) -> Result<Self, wasmi::Error> {
        match val {
            Some(Val::I64(value)) => Ok(*value as u64),
            other => Err(wasmi::Error::new(format!("host function expected an i64 argument, got {other:?}"))),
        }
    }
}

/// A glue result as the wasm results.
trait IntoResults {
    fn store(self, results: &mut [Val]);
}

impl IntoResults for u16 {
    fn store(self, results: &mut [Val]) {
        results[0] = Val::I32(i32::from(self));
    }
}

impl IntoResults for i16 {
    fn store(self, results: &mut [Val]) {
        results[0] = Val::I32(i32::from(self));
    }
}

impl IntoResults for i64 {
    fn store(self, results: &mut [Val]) {
        results[0] = Val::I64(self);
    }
}

impl IntoResults for u32 {
    fn store(self, results: &mut [Val]) {
        results[0] = Val::I32(self as i32);
    }
}

impl IntoResults for () {
    fn store(self, _results: &mut [Val]) {}
}

/// `define_imports`: every import of the table, linked to its glue function.
macro_rules! define_imports {
    ($( #[doc = $doc:literal] $module:literal fn $name:ident($($param:ident : $ty:ty),*) -> $ret:ty; )*) => {
        /// Defines every import in `linker`, in its module, with its declared signature.
        fn define_imports(linker: &mut Linker<StoreData>) -> Result<(), wasmi::errors::LinkerError> {
            $(
                let decl = worldtube_abi::import(stringify!($name)).expect("the import table declares every import");
                let ty = func_type(&decl.wasm_param_types(), &decl.wasm_result_types());
                linker.func_new($module, stringify!($name), ty, |mut caller, args, results| {
                    let mut args = args.iter();
                    // The glue takes each parameter as a value or, for addresses and lengths,
                    // as the word of a wasm memory (`u32`).
                    $( let $param = <<$ty as RawParam>::Glue<u32>>::from_val(args.next())?; )*
                    let _ = &mut args; // for imports without parameters
                    let value = call_host(&mut caller, stringify!($name), |memory, host| {
                        glue::$name(memory, host, $($param),*)
                    })?;
                    IntoResults::store(value, results);
                    Ok(())
                })?;
            )*
            Ok(())
        }
    };
}
worldtube_abi::for_each_import!(define_imports);
