//! The functions the host calls. On wasm32 they are the module's exports; natively they are plain
//! functions with the same parameters, which the reference host calls with itself installed as
//! this thread's host — so a native test goes through the same argument encoding, dispatch by
//! reducer id, and error protocol as the server.

use super::module;
use crate::sys::{BytesSink, BytesSource};
use crate::{ConnectionId, Identity, ReducerContext, Timestamp};

/// Writes the BSATN of the module definition (`RawModuleDef::V9`, or `V10` for a 2.x module) to `sink`. (`C-unwind` so that
/// natively a describer panic reaches the host as a panic it can report, not an abort.)
#[cfg_attr(target_arch = "wasm32", export_name = "__describe_module__")]
pub extern "C-unwind" fn __describe_module__(sink: u32) {
    // A sink that refuses bytes leaves the host with a truncated definition it will reject.
    let _ = BytesSink::from_raw(sink).write_all(&module().def_bytes);
}

/// Runs reducer `id` for the caller whose identity and connection id arrive as little-endian
/// 64-bit words, at `timestamp` (µs since the Unix epoch), with arguments read from the bytes
/// source `args` (0 = none). Returns 0, or 1 after writing the error message to `error`.
///
/// Natively a panicking reducer unwinds out of this function (it is `extern "C-unwind"`), so the
/// host can catch it and roll back; on wasm32, where panics abort, it traps.
#[cfg_attr(target_arch = "wasm32", export_name = "__call_reducer__")]
#[allow(clippy::too_many_arguments)]
pub extern "C-unwind" fn __call_reducer__(
    id: u32,
    sender_0: u64,
    sender_1: u64,
    sender_2: u64,
    sender_3: u64,
    conn_id_0: u64,
    conn_id_1: u64,
    timestamp: u64,
    args: u32,
    error: u32,
) -> i16 {
    let sender = Identity::from_byte_array(words_to_bytes([sender_0, sender_1, sender_2, sender_3]));
    let conn_id = ConnectionId::from_le_byte_array(words_to_bytes([conn_id_0, conn_id_1]));
    let ctx = ReducerContext::__new(
        sender,
        conn_id.none_if_zero(),
        Timestamp::from_micros_since_unix_epoch(timestamp as i64),
    );
    let result = match BytesSource::from_raw(args).read_all() {
        Ok(args) => match module().reducers.get(id as usize) {
            Some(reducer) => reducer(&ctx, &args),
            None => Err(format!("no reducer with id {id}").into()),
        },
        Err(e) => Err(format!("could not read the reducer arguments: {e}").into()),
    };
    match result {
        Ok(()) => 0,
        Err(message) => {
            let _ = BytesSink::from_raw(error).write_all(message.as_bytes());
            1
        }
    }
}

/// Runs procedure `id` for the caller whose identity and connection id arrive as little-endian
/// 64-bit words, at `timestamp` (µs since the Unix epoch), with arguments read from the bytes
/// source `args` (0 = none), and writes the BSATN of its return value to `result`. Returns 0; a
/// failing procedure panics (traps on wasm32).
#[cfg(feature = "v2")]
#[cfg_attr(target_arch = "wasm32", export_name = "__call_procedure__")]
#[allow(clippy::too_many_arguments)]
pub extern "C-unwind" fn __call_procedure__(
    id: u32,
    sender_0: u64,
    sender_1: u64,
    sender_2: u64,
    sender_3: u64,
    conn_id_0: u64,
    conn_id_1: u64,
    timestamp: u64,
    args: u32,
    result: u32,
) -> i16 {
    let sender = Identity::from_byte_array(words_to_bytes([sender_0, sender_1, sender_2, sender_3]));
    let conn_id = ConnectionId::from_le_byte_array(words_to_bytes([conn_id_0, conn_id_1]));
    let mut ctx = crate::ProcedureContext::__new(
        sender,
        conn_id.none_if_zero(),
        Timestamp::from_micros_since_unix_epoch(timestamp as i64),
    );
    let args = BytesSource::from_raw(args)
        .read_all()
        .unwrap_or_else(|e| panic!("could not read the procedure arguments: {e}"));
    let procedure = module().procedures.get(id as usize).unwrap_or_else(|| panic!("no procedure with id {id}"));
    let value = procedure(&mut ctx, &args);
    let _ = BytesSink::from_raw(result).write_all(&value);
    0
}

/// For a native host: runs [`__call_procedure__`] if this build of the crate has procedures
/// (feature `v2`; the caller's crate cannot see this crate's features), otherwise `None`.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub fn native_call_procedure(
    id: u32,
    sender: [u64; 4],
    conn_id: [u64; 2],
    timestamp: u64,
    args: u32,
    result: u32,
) -> Option<i16> {
    #[cfg(feature = "v2")]
    {
        let [s0, s1, s2, s3] = sender;
        Some(__call_procedure__(id, s0, s1, s2, s3, conn_id[0], conn_id[1], timestamp, args, result))
    }
    #[cfg(not(feature = "v2"))]
    {
        let _ = (id, sender, conn_id, timestamp, args, result);
        None
    }
}

/// Runs the per-sender view `id` for the caller whose identity arrives as little-endian 64-bit
/// words, with arguments read from the bytes source `args` (0 = none; views take none today),
/// and writes its result to `sink`: the BSATN of a `ViewResultHeader` (a sum: tag 0 `RowData`,
/// tag 1 `RawSql(String)`), followed for `RowData` by the rows as a BSATN array (`u32` count,
/// then each row). Returns 2, which tells the host the result starts with that header (a
/// return of 0 would mean bare rows, the format of older SDKs). A failing view panics (traps on
/// wasm32).
#[cfg(feature = "v2")]
#[cfg_attr(target_arch = "wasm32", export_name = "__call_view__")]
pub extern "C-unwind" fn __call_view__(
    id: u32,
    sender_0: u64,
    sender_1: u64,
    sender_2: u64,
    sender_3: u64,
    args: u32,
    sink: u32,
) -> i16 {
    let sender = Identity::from_byte_array(words_to_bytes([sender_0, sender_1, sender_2, sender_3]));
    let view = module().views.get(id as usize).unwrap_or_else(|| panic!("no view with id {id}"));
    run_view(*view, Some(sender), args, sink)
}

/// Runs the anonymous view `id` (one result for every caller), as [`__call_view__`] does a
/// per-sender one; returns 2.
#[cfg(feature = "v2")]
#[cfg_attr(target_arch = "wasm32", export_name = "__call_view_anon__")]
pub extern "C-unwind" fn __call_view_anon__(id: u32, args: u32, sink: u32) -> i16 {
    let view = module().views_anon.get(id as usize).unwrap_or_else(|| panic!("no anonymous view with id {id}"));
    run_view(*view, None, args, sink)
}

#[cfg(feature = "v2")]
fn run_view(view: super::ViewFn, sender: Option<Identity>, args: u32, sink: u32) -> i16 {
    let args =
        BytesSource::from_raw(args).read_all().unwrap_or_else(|e| panic!("could not read the view arguments: {e}"));
    let result = view(sender, &args);
    let _ = BytesSink::from_raw(sink).write_all(&result);
    2
}

/// Runs HTTP handler `id` on a request received at `timestamp` (µs since the Unix epoch): reads
/// the BSATN request head (method, headers, timeout, URI, version) from the bytes source
/// `request` and its body from `request_body` (0 = empty), writes the BSATN response head
/// (headers, version, status code) to `response_sink` and the body's bytes to
/// `response_body_sink`. Returns 0. As officially, exported with the `unstable` feature only.
#[cfg(all(feature = "v2", feature = "unstable"))]
#[cfg_attr(target_arch = "wasm32", export_name = "__call_http_handler__")]
pub extern "C-unwind" fn __call_http_handler__(
    id: u32,
    timestamp: u64,
    request: u32,
    request_body: u32,
    response_sink: u32,
    response_body_sink: u32,
) -> i16 {
    let mut ctx = crate::http::HandlerContext::__new(Timestamp::from_micros_since_unix_epoch(timestamp as i64));
    let head = BytesSource::from_raw(request).read_all().unwrap_or_else(|e| panic!("could not read the request: {e}"));
    let head = worldtube_lib::bsatn::from_slice::<worldtube_lib::http::Request>(&head)
        .unwrap_or_else(|e| panic!("the host's request head is invalid: {e}"));
    let body = BytesSource::from_raw(request_body)
        .read_all()
        .unwrap_or_else(|e| panic!("could not read the request body: {e}"));
    let request = crate::http::request_from_wire(head, body.into())
        .unwrap_or_else(|e| panic!("the host's request is not a valid HTTP request: {e}"));
    let handler = module().http_handlers.get(id as usize).unwrap_or_else(|| panic!("no HTTP handler with id {id}"));
    let (head, body) = crate::http::response_into_wire(handler(&mut ctx, request));
    let _ = BytesSink::from_raw(response_sink).write_all(&worldtube_lib::bsatn::to_vec(&head));
    let _ = BytesSink::from_raw(response_body_sink).write_all(&body);
    0
}

/// For a native host: runs [`__call_view__`] (with a sender) or [`__call_view_anon__`] (without)
/// if this build of the crate has views (feature `v2`), otherwise `None`.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub fn native_call_view(id: u32, sender: Option<[u64; 4]>, args: u32, sink: u32) -> Option<i16> {
    #[cfg(feature = "v2")]
    {
        Some(match sender {
            Some([s0, s1, s2, s3]) => __call_view__(id, s0, s1, s2, s3, args, sink),
            None => __call_view_anon__(id, args, sink),
        })
    }
    #[cfg(not(feature = "v2"))]
    {
        let _ = (id, sender, args, sink);
        None
    }
}

/// For a native host: runs [`__call_http_handler__`] if this build of the crate has HTTP
/// handlers' entry point (features `v2` and `unstable`), otherwise `None`.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub fn native_call_http_handler(
    id: u32,
    timestamp: u64,
    request: u32,
    request_body: u32,
    response_sink: u32,
    response_body_sink: u32,
) -> Option<i16> {
    #[cfg(all(feature = "v2", feature = "unstable"))]
    {
        Some(__call_http_handler__(id, timestamp, request, request_body, response_sink, response_body_sink))
    }
    #[cfg(not(all(feature = "v2", feature = "unstable")))]
    {
        let _ = (id, timestamp, request, request_body, response_sink, response_body_sink);
        None
    }
}

/// Lays `N` little-endian words out as `8 * N` little-endian bytes.
fn words_to_bytes<const N: usize, const B: usize>(words: [u64; N]) -> [u8; B] {
    let mut bytes = [0u8; B];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip(words) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    bytes
}

#[cfg(target_arch = "wasm32")]
#[export_name = "__preinit__00_panic_hook"]
extern "C" fn preinit_panic_hook() {
    crate::logger::init_panic_hook();
}

#[cfg(target_arch = "wasm32")]
#[export_name = "__preinit__15_init_log"]
extern "C" fn preinit_init_log() {
    crate::logger::init_log();
}

/// What the `__preinit__00_panic_hook` and `__preinit__15_init_log` exports do on wasm32, done
/// once per process: the native host calls it before running a module.
#[cfg(not(target_arch = "wasm32"))]
pub fn native_preinit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        crate::logger::init_panic_hook();
        crate::logger::init_log();
    });
}
