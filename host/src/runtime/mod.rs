//! Module instances: running a module's exports against any [`Host`].
//!
//! A module is either a `.wasm` file (`WasmModule`, feature `wasm`: run by the `wasmi`
//! interpreter, every import going through [`worldtube_abi::glue`]) or linked into the current
//! binary (`NativeModule` of the `worldtube-testing` crate, which calls the module's exports with
//! the host installed as this thread's host; this crate does not depend on the guest SDK). Both
//! implement [`ModuleInstance`], which knows nothing about datastores: it takes any
//! `H: Host + 'static` by value for the duration of one export call and hands it back, because
//! natively the host has to be moved into a thread-local slot. Both wrap the host in
//! [`Wrapped`] for the call, so they follow the same rules (below).
//!
//! # Sinks
//!
//! The runtime owns the sink a call's *output* goes to, so that a [`Host`] never has to
//! implement sinks for it (and never sees those writes; [`AbiHost`](crate::AbiHost)'s own sink
//! stays empty):
//!
//! * during start-up and [`ModuleInstance::describe`], writes to [`STARTUP_SINK`] (the handle
//!   passed to `__setup__` and `__describe_module__`) are captured by the runtime; the describe
//!   bytes are returned by `describe`, a `__setup__` error message ends up in
//!   [`RuntimeError::Setup`];
//! * during [`ModuleInstance::call_reducer`], writes to [`ReducerCall::error_sink`] are captured
//!   and returned in [`CallResult::Err`].
//!
//! Writes to any other sink handle, and every other import, are passed on to the host.
//!
//! # Start-up runs outside a transaction
//!
//! While a module starts up (`__preinit__*`, `__setup__`) and while it describes itself, the
//! runtime answers the datastore imports (`table_id_from_name`, `index_id_from_name`,
//! `datastore_*`) itself with `NOT_IN_TRANSACTION`, as the server does, even when the host passed
//! in has a transaction open (a wasm instance that trapped is re-created at the start of the next
//! [`call_reducer`](ModuleInstance::call_reducer), with that call's host).
//!
//! # Panics and traps
//!
//! Both kinds of module report a failure that is not an error message as
//! [`CallResult::Trap`]: natively a panic of the reducer or of a host method (worldtube-sys turns a
//! host's [`Trap`](worldtube_abi::Trap) into a panic), on wasm a trap of the instance or of a host
//! call. The message is the panic message when one is known (natively the panic payload; on wasm
//! the last `PANIC`-level `console_log` record of the call, which worldtube's panic hook writes
//! before the module traps), otherwise the trap's description. The host always comes back.

mod capture;
#[cfg(feature = "wasm")]
pub(crate) mod validate;
#[cfg(feature = "wasm")]
mod wasm;

use std::fmt;

use worldtube_abi::Host;

pub use capture::{
    CallLimits, Capture, Phase, Wrapped, DEFAULT_MAX_DESCRIBE_BYTES, DEFAULT_MAX_LOG_BYTES_PER_CALL,
    DEFAULT_MAX_LOG_MESSAGE_BYTES, DEFAULT_MAX_RETURN_BYTES, DEFAULT_MAX_SCHEDULED_BYTES_PER_CALL,
    DEFAULT_MAX_SCHEDULED_CALLS_PER_CALL, DEFAULT_MAX_SINK_BYTES,
};
#[cfg(feature = "wasm")]
pub use wasm::{WasmConfig, WasmModule, DEFAULT_FUEL, DEFAULT_MAX_MEMORY};

/// The `BytesSink` handle the runtime passes to `__setup__` and `__describe_module__`; writes to
/// it are captured by the runtime (see the [module docs](self#sinks)).
pub const STARTUP_SINK: u32 = 1;

/// The default [`ReducerCall::error_sink`].
pub const ERROR_SINK: u32 = 1;

/// How one reducer call ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallResult {
    /// `__call_reducer__` returned 0: the transaction should commit.
    Ok,
    /// The reducer failed with a message: `__call_reducer__` returned 1 and this is what it wrote
    /// to the error sink (UTF-8, invalid sequences replaced). Any other return code `n` is also
    /// reported here, with the message `unknown return code n` (the server's wording).
    Err(String),
    /// The module panicked (native) or trapped (wasm), or a host method trapped; the panic
    /// message if known, otherwise a description of the trap. A wasm instance is discarded and
    /// re-created on the next call.
    Trap(String),
}

impl CallResult {
    /// How a `__call_reducer__` that returned `code` ended: 0 is [`CallResult::Ok`], 1 an error
    /// whose message is what `error_message` gives (the captured error sink), anything else an
    /// error with the server's `unknown return code n`.
    pub fn from_return_code(code: i64, error_message: impl FnOnce() -> String) -> CallResult {
        match code {
            0 => CallResult::Ok,
            1 => CallResult::Err(error_message()),
            code => CallResult::Err(unknown_return_code(code)),
        }
    }

    /// Whether the call succeeded.
    pub fn is_ok(&self) -> bool {
        matches!(self, CallResult::Ok)
    }
}

/// How one procedure call ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProcedureResult {
    /// `__call_procedure__` returned 0: what the procedure wrote to its result sink (the BSATN
    /// of its return value).
    Returned(Vec<u8>),
    /// The procedure panicked (native) or trapped (wasm), a host method trapped,
    /// `__call_procedure__` returned another code, or the module does not export it: the
    /// message. A wasm instance that trapped is discarded and re-created on the next call.
    Trap(String),
}

/// The arguments of one `__call_http_handler__` call. The response head goes to
/// [`RESPONSE_SINK`] and the body to [`RESPONSE_BODY_SINK`], both captured by the runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpHandlerCall {
    /// The handler: its position in the module definition's `HttpHandlers` section.
    pub id: u32,
    /// When the request arrived, microseconds since the Unix epoch.
    pub timestamp_micros: i64,
    /// The `BytesSource` holding the BSATN of the request head (an `http::Request`).
    pub request_source: u32,
    /// The `BytesSource` holding the request body (0 when it is empty).
    pub body_source: u32,
}

/// The `BytesSink` an HTTP handler writes its response head to (captured by the runtime).
pub const RESPONSE_SINK: u32 = 1;
/// The `BytesSink` an HTTP handler writes its response body to (captured by the runtime).
pub const RESPONSE_BODY_SINK: u32 = 2;

/// How one HTTP handler call ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpHandlerResult {
    /// `__call_http_handler__` returned 0 after writing these.
    Returned {
        /// What it wrote to [`RESPONSE_SINK`]: the BSATN of the response head.
        head: Vec<u8>,
        /// What it wrote to [`RESPONSE_BODY_SINK`]: the body.
        body: Vec<u8>,
    },
    /// The handler panicked or trapped, `__call_http_handler__` returned another code, or the
    /// module does not export it: the message.
    Trap(String),
}

/// The arguments of one `__call_procedure__` call: those of `__call_reducer__`, with
/// [`ReducerCall::error_sink`] the sink the return value is written to.
pub type ProcedureCall = ReducerCall;

/// The arguments of one `__call_reducer__` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReducerCall {
    /// The reducer: its position in the `reducers` of the module's `RawModuleDefV9`.
    pub id: u32,
    /// The caller's `Identity`, 32 bytes little-endian (the BSATN byte order).
    pub sender: [u8; 32],
    /// The caller's `ConnectionId`, 16 bytes little-endian; all zero means "no connection".
    pub connection_id: [u8; 16],
    /// The call time, microseconds since the Unix epoch.
    pub timestamp_micros: i64,
    /// The `BytesSource` handle holding the BSATN of the arguments, served by the host; 0
    /// ([`worldtube_abi::INVALID_HANDLE`]) when the arguments are empty.
    pub args_source: u32,
    /// The `BytesSink` handle passed as `error`. Writes to it are captured by the runtime and
    /// returned in [`CallResult::Err`]; the host never sees them. Defaults to [`ERROR_SINK`].
    pub error_sink: u32,
}

impl ReducerCall {
    /// The sender as the four `u64` words `__call_reducer__` takes (`sender_0` .. `sender_3`).
    pub fn sender_words(&self) -> [u64; 4] {
        le_words(self.sender)
    }

    /// The connection id as the two `u64` words `__call_reducer__` takes (`conn_id_0`,
    /// `conn_id_1`).
    pub fn connection_id_words(&self) -> [u64; 2] {
        le_words(self.connection_id)
    }

    /// A call of reducer `id` with no arguments, from the all-zero identity, no connection, at
    /// time 0, with the error sink [`ERROR_SINK`].
    pub fn new(id: u32) -> ReducerCall {
        ReducerCall {
            id,
            sender: [0; 32],
            connection_id: [0; 16],
            timestamp_micros: 0,
            args_source: worldtube_abi::INVALID_HANDLE,
            error_sink: ERROR_SINK,
        }
    }
}

/// A running module: something that can describe itself and run reducers against a host.
///
/// The host is passed by value and always handed back, whatever happened (a panic or trap
/// included), so the caller can inspect it and commit or roll back its transaction.
pub trait ModuleInstance: 'static {
    /// Runs the module's describe step and returns what it wrote: the BSATN of its
    /// `RawModuleDef`. The datastore imports return `NOT_IN_TRANSACTION` meanwhile.
    ///
    /// Natively this is `native_preinit()` then `__describe_module__`. A wasm module is
    /// instantiated first if it has no live instance (start-up: `__preinit__*`, `__setup__`,
    /// `__describe_module__`, whose bytes are returned); a live instance is asked again.
    fn describe<H: Host + 'static>(&mut self, host: H) -> (H, Result<Vec<u8>, RuntimeError>);

    /// Runs `__call_reducer__` with the host installed and reports how it ended. The caller
    /// opens the transaction before and commits ([`CallResult::Ok`]) or rolls back afterwards.
    fn call_reducer<H: Host + 'static>(&mut self, host: H, call: ReducerCall) -> (H, CallResult);

    /// Runs `__call_procedure__` with the host installed and reports how it ended. The caller
    /// prepares the host for a procedure ([`AbiHost::begin_procedure`](crate::AbiHost::begin_procedure)):
    /// the procedure opens and ends its own transactions.
    ///
    /// The default answers that the module has no procedures to run (for instances of modules
    /// written before procedures existed, and test doubles).
    fn call_procedure<H: Host + 'static>(&mut self, host: H, call: ProcedureCall) -> (H, ProcedureResult) {
        let _ = call;
        (host, ProcedureResult::Trap(format!("the module does not export `{CALL_PROCEDURE}`")))
    }

    /// Runs `__call_view__` (`call.sender` set) or `__call_view_anon__` with the host installed,
    /// which has a transaction open for the view to read. The default answers that the module
    /// has no views.
    fn call_view<H: Host + 'static>(&mut self, host: H, call: ViewCall) -> (H, ViewResult) {
        let export = if call.sender.is_some() { CALL_VIEW } else { CALL_VIEW_ANON };
        (host, ViewResult::Trap(format!("the module does not export `{export}`")))
    }

    /// Another instance of the same module, to make calls while this one is inside a call (the
    /// server runs a reducer that falls due while a procedure sleeps on another instance than
    /// the procedure's). `None` (the default): the module cannot, and nothing runs meanwhile.
    fn fork(&self) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }

    /// Runs `__call_http_handler__` with the host installed, prepared as for a procedure (the
    /// handler opens its own transactions). The default answers that the module has no HTTP
    /// handlers.
    fn call_http_handler<H: Host + 'static>(&mut self, host: H, call: HttpHandlerCall) -> (H, HttpHandlerResult) {
        let _ = call;
        (host, HttpHandlerResult::Trap(format!("the module does not export `{CALL_HTTP_HANDLER}`")))
    }
}

/// The export that runs procedures.
pub const CALL_PROCEDURE: &str = "__call_procedure__";
/// The export that evaluates views that depend on their caller.
pub const CALL_VIEW: &str = "__call_view__";
/// The export that evaluates anonymous views.
pub const CALL_VIEW_ANON: &str = "__call_view_anon__";
/// The export that answers HTTP requests routed to the module.
pub const CALL_HTTP_HANDLER: &str = "__call_http_handler__";

/// The arguments of one `__call_view__` (with a sender) or `__call_view_anon__` (without) call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViewCall {
    /// The view's index among the views of its kind (`RawViewDefV10::index`).
    pub id: u32,
    /// The caller's `Identity`, 32 bytes little-endian, for a per-sender view; `None` for an
    /// anonymous one.
    pub sender: Option<[u8; 32]>,
    /// The `BytesSource` handle of the arguments (0 when empty).
    pub args_source: u32,
    /// The `BytesSink` the result is written to (captured by the runtime).
    pub sink: u32,
}

impl ViewCall {
    /// The sender as the four `u64` words `__call_view__` takes.
    pub fn sender_words(&self) -> Option<[u64; 4]> {
        self.sender.map(le_words)
    }
}

/// How one view call ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewResult {
    /// The export returned `code` (2: `bytes` start with a `ViewResultHeader`; 0: `bytes` are the
    /// rows as a BSATN array, the older form) after writing `bytes` to its sink.
    Returned {
        /// The return code.
        code: i32,
        /// What the view wrote.
        bytes: Vec<u8>,
    },
    /// The view panicked or trapped, or the module does not export the entry point: the message.
    Trap(String),
}

/// Why a module could not be loaded, started or described.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeError {
    /// The bytes are not a valid wasm module.
    InvalidWasm(String),
    /// The module's imports or exports do not fit the interface, `spacetime_10.0` to
    /// `spacetime_10.5` (SPEC §1, §7);
    /// one entry per problem.
    Interface(Vec<String>),
    /// Instantiating the module failed (e.g. its wasm `start` function trapped, or memory could
    /// not be allocated).
    Instantiate(String),
    /// An export trapped (wasm), or panicked (native).
    Trap {
        /// The export that was running.
        export: String,
        /// The panic message if known, otherwise the trap's description.
        message: String,
    },
    /// An export made the host keep more than one of its [`CallLimits`] allows (e.g. a module
    /// definition larger than [`CallLimits::max_describe_bytes`]).
    Limit {
        /// The export that was running.
        export: String,
        /// Which limit, and how to raise it.
        message: String,
    },
    /// `__setup__` reported failure.
    Setup {
        /// Its return code (1 = with a message).
        code: i32,
        /// What it wrote to the sink (for code 1), or `unknown return code n`.
        message: String,
    },
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuntimeError::InvalidWasm(message) => write!(f, "invalid wasm module: {message}"),
            RuntimeError::Interface(problems) => {
                write!(
                    f,
                    "the module does not fit the spacetime_10 interface (ABI {} to {}):",
                    worldtube_abi::AbiVersion::BASE,
                    worldtube_abi::AbiVersion::CURRENT
                )?;
                for problem in problems {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
            RuntimeError::Instantiate(message) => write!(f, "cannot instantiate the module: {message}"),
            RuntimeError::Trap { export, message } => write!(f, "`{export}` trapped: {message}"),
            RuntimeError::Limit { export, message } => write!(f, "`{export}` went past a limit: {message}"),
            RuntimeError::Setup { code, message } => write!(f, "`__setup__` failed (returned {code}): {message}"),
        }
    }
}

impl std::error::Error for RuntimeError {}

/// The server's message for a return code other than 0 and 1 (of `__call_reducer__` or
/// `__setup__`).
pub fn unknown_return_code(code: impl fmt::Display) -> String {
    format!("unknown return code {code}")
}

/// The message of a panic payload (`&str` or `String`), if it has one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload.downcast_ref::<&str>().map(|s| (*s).to_owned()).or_else(|| payload.downcast_ref::<String>().cloned())
}

/// `B` little-endian bytes as `N` little-endian `u64` words (SPEC §7.3).
fn le_words<const B: usize, const N: usize>(bytes: [u8; B]) -> [u64; N] {
    let mut words = [0u64; N];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut le = [0u8; 8];
        le.copy_from_slice(chunk);
        *word = u64::from_le_bytes(le);
    }
    words
}
