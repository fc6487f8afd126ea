//! [`Wrapped`]: the caller's host plus what the runtime handles itself during a call: the
//! captured sink, the start-up rule (no transaction), and the last panic message logged. Its
//! [`Host`] impl is generated ([`worldtube_abi::impl_host_via_calls!`]); the runtime's part is one
//! `match` over the reified [`Call`], and every other call is forwarded to the caller's host.
//!
//! Public so that a [`ModuleInstance`](super::ModuleInstance) implemented outside this crate
//! (the natively linked module of `worldtube-testing`) follows the same rules as the wasm one.

#[cfg(feature = "wasm")]
use std::any::Any;

use worldtube_abi::{Call, Errno, HandleCall, Host, LogLevel, Reply};

/// What the module is doing, which decides how the datastore imports are answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// `__preinit__*`, `__setup__`, `__describe_module__`: outside any transaction.
    Startup,
    /// `__call_reducer__`: everything goes to the host.
    Call,
}

/// The runtime's own state during a call.
#[derive(Debug)]
pub struct Capture {
    /// The sink handle whose writes are captured.
    pub sink: u32,
    /// What was written to it.
    pub bytes: Vec<u8>,
    /// See [`Phase`].
    pub phase: Phase,
    /// The message of the last `PANIC`-level `console_log` record.
    pub panic_message: Option<String>,
}

impl Capture {
    /// Starts capturing `sink` afresh in `phase`.
    #[cfg(feature = "wasm")]
    pub fn reset(&mut self, phase: Phase, sink: u32) {
        self.phase = phase;
        self.sink = sink;
        self.bytes.clear();
        self.panic_message = None;
    }

    /// The captured bytes as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// The caller's host, wrapped for one call.
#[derive(Debug)]
pub struct Wrapped<H> {
    /// The caller's host.
    pub inner: H,
    /// The runtime's part.
    pub capture: Capture,
}

impl<H> Wrapped<H> {
    /// Wraps `inner`, capturing `sink` in `phase`.
    pub fn new(inner: H, phase: Phase, sink: u32) -> Self {
        Wrapped { inner, capture: Capture { sink, bytes: Vec::new(), phase, panic_message: None } }
    }
}

#[cfg(feature = "wasm")]
/// A type-erased [`Wrapped`] (the wasm store's data cannot be generic over the host type of
/// each call), downcastable back to the caller's type.
pub(crate) trait DynHost: Host + Any {
    /// The runtime's part.
    fn capture_mut(&mut self) -> &mut Capture;
    /// For downcasting back to `Wrapped<H>`.
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

#[cfg(feature = "wasm")]
impl<H: Host + 'static> DynHost for Wrapped<H> {
    fn capture_mut(&mut self) -> &mut Capture {
        &mut self.capture
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// Unboxes a [`DynHost`] made from a `Wrapped<H>`.
#[cfg(feature = "wasm")]
pub(crate) fn unbox<H: Host + 'static>(host: Box<dyn DynHost>) -> Wrapped<H> {
    match host.into_any().downcast::<Wrapped<H>>() {
        Ok(host) => *host,
        Err(_) => unreachable!("the runtime boxes only the Wrapped<H> of the current call"),
    }
}

worldtube_abi::impl_host_via_calls!([H: Host] Wrapped<H>);

impl<H: Host> HandleCall for Wrapped<H> {
    /// The runtime's part of every call; everything else is the caller's host's.
    #[inline]
    fn handle_call(&mut self, call: Call<'_>) -> Reply {
        match call {
            Call::bytes_sink_write { sink, buffer } if sink == self.capture.sink => {
                self.capture.bytes.extend_from_slice(buffer);
                Reply::bytes_sink_write(Ok(buffer.len()))
            }
            Call::console_log { level, message, .. } if level == LogLevel::Panic.code() => {
                self.capture.panic_message = Some(message.to_owned());
                call.forward(&mut self.inner)
            }
            // Outside a transaction, an import that declares NOT_IN_TRANSACTION (every
            // datastore import, by the table) returns it, whatever the host would do.
            call if self.capture.phase == Phase::Startup && needs_transaction(&call) => {
                call.fail(Errno::NOT_IN_TRANSACTION)
            }
            call => call.forward(&mut self.inner),
        }
    }
}

/// Whether the import behind `call` can only run inside a transaction: the table lists
/// `NOT_IN_TRANSACTION` among its errnos.
fn needs_transaction(call: &Call<'_>) -> bool {
    call.import().errnos.iter().any(|errno_use| errno_use.errno == Errno::NOT_IN_TRANSACTION)
}

#[cfg(test)]
mod tests {
    use worldtube_abi::{IndexPrefix, PartialHost};

    use super::*;

    /// A host that answers every call it gets with a trap naming it (the default).
    struct Unsupported;
    impl PartialHost for Unsupported {}

    fn every_call(buffer: &mut [u8]) -> Vec<Call<'_>> {
        let prefix = IndexPrefix { bytes: &[], elems: 0 };
        let (row, rest) = buffer.split_at_mut(4);
        vec![
            Call::table_id_from_name { name: "t" },
            Call::index_id_from_name { name: "i" },
            Call::datastore_table_row_count { table_id: 1 },
            Call::datastore_table_scan_bsatn { table_id: 1 },
            Call::datastore_index_scan_range_bsatn { index_id: 1, prefix, rstart: &[2], rend: &[2] },
            Call::datastore_delete_by_index_scan_range_bsatn { index_id: 1, prefix, rstart: &[2], rend: &[2] },
            Call::datastore_delete_all_by_eq_bsatn { table_id: 1, relation: &[0, 0, 0, 0] },
            Call::row_iter_bsatn_advance { iter: 1, buffer: rest },
            Call::row_iter_bsatn_close { iter: 1 },
            Call::datastore_insert_bsatn { table_id: 1, row },
            Call::datastore_update_bsatn { table_id: 1, index_id: 1, row: &[] },
            Call::volatile_nonatomic_schedule_immediate { name: "r", args: &[] },
            Call::bytes_sink_write { sink: 9, buffer: &[1] },
            Call::bytes_source_read { source: 1, buffer: &mut [] },
            Call::console_log { level: 2, target: None, filename: None, line_number: None, message: "m" },
            Call::console_timer_start { name: "t" },
            Call::console_timer_end { timer_id: 1 },
            Call::identity {},
            Call::bytes_source_remaining_length { source: 1 },
            Call::get_jwt { connection_id: [0; 16] },
            Call::procedure_start_mut_tx {},
            Call::procedure_commit_mut_tx {},
            Call::procedure_abort_mut_tx {},
            Call::procedure_sleep_until { wake_at: 0 },
            Call::procedure_http_request { request: &[], body: &[] },
            Call::datastore_index_scan_point_bsatn { index_id: 1, point: &[1] },
            Call::datastore_delete_by_index_scan_point_bsatn { index_id: 1, point: &[1] },
            Call::datastore_clear { table_id: 1 },
        ]
    }

    /// The methods a start-up call answers with NOT_IN_TRANSACTION instead of asking the host.
    fn refused_at_startup(phase: Phase) -> Vec<&'static str> {
        let mut buffer = [0u8; 16];
        let mut wrapped = Wrapped::new(Unsupported, phase, 1);
        // The host itself only traps, so an errno in the reply comes from the runtime.
        every_call(&mut buffer)
            .into_iter()
            .filter_map(|call| {
                let name = call.name();
                let reply = format!("{:?}", wrapped.handle_call(call));
                reply.contains("NOT_IN_TRANSACTION").then_some(name)
            })
            .collect()
    }

    #[test]
    fn startup_refuses_exactly_the_datastore_imports() {
        assert_eq!(
            refused_at_startup(Phase::Startup),
            [
                "table_id_from_name",
                "index_id_from_name",
                "datastore_table_row_count",
                "datastore_table_scan_bsatn",
                "datastore_index_scan_range_bsatn",
                "datastore_delete_by_index_scan_range_bsatn",
                "datastore_delete_all_by_eq_bsatn",
                "datastore_insert_bsatn",
                "datastore_update_bsatn",
                "get_jwt",
                "datastore_index_scan_point_bsatn",
                "datastore_delete_by_index_scan_point_bsatn",
                "datastore_clear",
            ]
        );
        assert!(refused_at_startup(Phase::Call).is_empty());
    }

    #[test]
    fn the_captured_sink_and_panic_messages_stay_with_the_runtime() {
        let mut wrapped = Wrapped::new(Unsupported, Phase::Call, 5);
        assert_eq!(wrapped.bytes_sink_write(5, b"abc"), Ok(3));
        assert_eq!(wrapped.capture.text(), "abc");
        // Another sink, and a panic record, reach the host (which traps here).
        assert!(wrapped.bytes_sink_write(6, b"x").is_err());
        assert!(wrapped.console_log(LogLevel::Panic.code(), None, None, None, "boom").is_err());
        assert_eq!(wrapped.capture.panic_message.as_deref(), Some("boom"));
    }
}
