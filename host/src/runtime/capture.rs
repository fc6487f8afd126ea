//! [`Wrapped`]: the caller's host plus what the runtime handles itself during a call: the
//! captured sink, the start-up rule (no transaction), and the last panic message logged. Its
//! [`Host`] impl is generated ([`worldtube_abi::impl_host_via_calls!`]); the runtime's part is one
//! `match` over the reified [`Call`], and every other call is forwarded to the caller's host.
//!
//! Public so that a [`ModuleInstance`](super::ModuleInstance) implemented outside this crate
//! (the natively linked module of `worldtube-testing`) follows the same rules as the wasm one.

#[cfg(feature = "wasm")]
use std::any::Any;

use worldtube_abi::{Call, Errno, HandleCall, Host, LogLevel, Reply, Trap};

/// Default [`CallLimits::max_sink_bytes`]: 1 MiB of error message.
pub const DEFAULT_MAX_SINK_BYTES: usize = 1 << 20;
/// Default [`CallLimits::max_describe_bytes`]: 64 MiB of module definition (a large real module
/// describes itself in well under 1 MiB).
pub const DEFAULT_MAX_DESCRIBE_BYTES: usize = 64 << 20;
/// Default [`CallLimits::max_return_bytes`]: 64 MiB of procedure return value.
pub const DEFAULT_MAX_RETURN_BYTES: usize = 64 << 20;
/// Default [`CallLimits::max_log_message_bytes`]: 64 KiB per `console_log` text.
pub const DEFAULT_MAX_LOG_MESSAGE_BYTES: usize = 64 << 10;
/// Default [`CallLimits::max_log_bytes_per_call`]: 16 MiB of log records per export call.
pub const DEFAULT_MAX_LOG_BYTES_PER_CALL: usize = 16 << 20;
/// Default [`CallLimits::max_scheduled_calls_per_call`]: 10,000 queued calls per export call.
pub const DEFAULT_MAX_SCHEDULED_CALLS_PER_CALL: usize = 10_000;
/// Default [`CallLimits::max_scheduled_bytes_per_call`]: 16 MiB of queued reducer names and
/// arguments per export call.
pub const DEFAULT_MAX_SCHEDULED_BYTES_PER_CALL: usize = 16 << 20;

/// What each record counts against [`CallLimits::max_log_bytes_per_call`] besides its texts, so
/// that a flood of empty records is bounded too (roughly the size of a kept record).
const LOG_RECORD_OVERHEAD: usize = 128;

/// Bounds on what one export call can make the host keep, so that a hostile or runaway module
/// gets a clear error instead of exhausting the host's memory. See the "Limits" section of
/// `host/DESIGN.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallLimits {
    /// The most bytes the captured sink keeps during a reducer call (the error message); a
    /// write past it consumes what fits and then returns `NO_SPACE`, and the message is marked
    /// as truncated.
    pub max_sink_bytes: usize,
    /// The most bytes the captured sink keeps during start-up (`__setup__`'s message and
    /// `__describe_module__`'s definition); a write past it returns `NO_SPACE`, and a describe
    /// that overflowed fails.
    pub max_describe_bytes: usize,
    /// The most bytes the captured sink keeps during a procedure or view call (the BSATN of its
    /// return value, or a view's rows); a write past it returns `NO_SPACE` and the call fails.
    pub max_return_bytes: usize,
    /// The most bytes kept of one `console_log` message (and of its target and file name, and
    /// of a console timer's name); longer texts are cut at a character boundary and marked.
    pub max_log_message_bytes: usize,
    /// The most log bytes one call may keep (each record counts its texts plus a fixed
    /// overhead); past it, one error record says so and later records of the call are dropped.
    pub max_log_bytes_per_call: usize,
    /// The most `volatile_nonatomic_schedule_immediate` calls one call may queue; one more
    /// traps the instance.
    pub max_scheduled_calls_per_call: usize,
    /// The most bytes (reducer names plus arguments) one call may queue with
    /// `volatile_nonatomic_schedule_immediate`; past it the instance traps.
    pub max_scheduled_bytes_per_call: usize,
}

impl Default for CallLimits {
    fn default() -> Self {
        CallLimits {
            max_sink_bytes: DEFAULT_MAX_SINK_BYTES,
            max_describe_bytes: DEFAULT_MAX_DESCRIBE_BYTES,
            max_return_bytes: DEFAULT_MAX_RETURN_BYTES,
            max_log_message_bytes: DEFAULT_MAX_LOG_MESSAGE_BYTES,
            max_log_bytes_per_call: DEFAULT_MAX_LOG_BYTES_PER_CALL,
            max_scheduled_calls_per_call: DEFAULT_MAX_SCHEDULED_CALLS_PER_CALL,
            max_scheduled_bytes_per_call: DEFAULT_MAX_SCHEDULED_BYTES_PER_CALL,
        }
    }
}

/// What the module is doing, which decides how the datastore imports are answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// `__preinit__*`, `__setup__`, `__describe_module__`: outside any transaction.
    Startup,
    /// `__call_reducer__`: everything goes to the host.
    Call,
    /// `__call_procedure__`, `__call_view__`, `__call_view_anon__`, `__call_http_handler__`:
    /// everything goes to the host; the captured sink receives the return value (or response
    /// head, with the body in the second captured sink).
    Returning,
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
    /// Whether a write to the captured sink did not fit its limit (and `NO_SPACE` was returned).
    pub overflowed: bool,
    /// A second captured sink (an HTTP handler's response body), or 0 for none; its writes go
    /// to [`body`](Self::body), under the same limit as the first.
    pub body_sink: u32,
    /// What was written to [`body_sink`](Self::body_sink).
    pub body: Vec<u8>,
    /// Whether a write to the second sink did not fit the limit.
    pub body_overflowed: bool,
    /// The limits the call runs under.
    pub limits: CallLimits,
    /// Log bytes kept so far in this call (see [`CallLimits::max_log_bytes_per_call`]).
    log_bytes: usize,
    /// Whether the log limit was reached (later records are dropped).
    log_full: bool,
    /// Calls queued so far in this call, and their bytes.
    scheduled: (usize, usize),
}

impl Capture {
    /// Starts capturing `sink` afresh in `phase`.
    #[cfg(feature = "wasm")]
    pub fn reset(&mut self, phase: Phase, sink: u32) {
        self.phase = phase;
        self.sink = sink;
        self.bytes.clear();
        self.panic_message = None;
        self.overflowed = false;
        self.body_sink = 0;
        self.body.clear();
        self.body_overflowed = false;
        self.log_bytes = 0;
        self.log_full = false;
        self.scheduled = (0, 0);
    }

    /// The captured bytes as text (invalid UTF-8 replaced), with a note if they were cut at the
    /// sink's limit.
    pub fn text(&self) -> String {
        let mut text = String::from_utf8_lossy(&self.bytes).into_owned();
        if self.overflowed {
            text.push_str(&format!(
                " [truncated: the module wrote more than the sink's limit of {} bytes (CallLimits::max_sink_bytes)]",
                self.bytes.len()
            ));
        }
        text
    }

    /// The most bytes the captured sink keeps in the current phase.
    pub fn sink_limit(&self) -> usize {
        match self.phase {
            Phase::Startup => self.limits.max_describe_bytes,
            Phase::Call => self.limits.max_sink_bytes,
            Phase::Returning => self.limits.max_return_bytes,
        }
    }

    /// Captures the writes to `sink` too, into [`body`](Self::body) (until the next reset).
    pub fn capture_body(&mut self, sink: u32) {
        self.body_sink = sink;
    }

    /// Appends what fits of `buffer` to the captured sink; `NO_SPACE` once nothing fits.
    fn write(&mut self, buffer: &[u8]) -> Result<usize, Errno> {
        let limit = self.sink_limit();
        append(&mut self.bytes, &mut self.overflowed, limit, buffer)
    }

    /// Appends what fits of `buffer` to the second captured sink; `NO_SPACE` once nothing fits.
    fn write_body(&mut self, buffer: &[u8]) -> Result<usize, Errno> {
        let limit = self.sink_limit();
        append(&mut self.body, &mut self.body_overflowed, limit, buffer)
    }

    /// Counts a log record of `len` text bytes against the call's log limit: whether to keep it,
    /// and whether it is the first one dropped (when a note saying so is due).
    fn charge_log(&mut self, len: usize) -> (bool, bool) {
        if self.log_full {
            return (false, false);
        }
        let cost = len.saturating_add(LOG_RECORD_OVERHEAD);
        if self.log_bytes.saturating_add(cost) > self.limits.max_log_bytes_per_call {
            self.log_full = true;
            return (false, true);
        }
        self.log_bytes += cost;
        (true, false)
    }

    /// Counts a queued call of `len` bytes; the trap if it exceeds the call's limits.
    fn charge_scheduled(&mut self, len: usize) -> Result<(), Trap> {
        let (calls, bytes) = self.scheduled;
        let limits = self.limits;
        if calls >= limits.max_scheduled_calls_per_call {
            return Err(Trap::new(format!(
                "the call queued more than {} calls with volatile_nonatomic_schedule_immediate \
                 (CallLimits::max_scheduled_calls_per_call)",
                limits.max_scheduled_calls_per_call
            )));
        }
        let bytes = bytes.saturating_add(len);
        if bytes > limits.max_scheduled_bytes_per_call {
            return Err(Trap::new(format!(
                "the calls queued with volatile_nonatomic_schedule_immediate hold more than {} bytes of reducer \
                 names and arguments (CallLimits::max_scheduled_bytes_per_call)",
                limits.max_scheduled_bytes_per_call
            )));
        }
        self.scheduled = (calls + 1, bytes);
        Ok(())
    }
}

/// Appends what fits of `buffer` to `bytes` under `limit`, setting `overflowed` if not all of
/// it fits; `NO_SPACE` once nothing fits.
fn append(bytes: &mut Vec<u8>, overflowed: &mut bool, limit: usize, buffer: &[u8]) -> Result<usize, Errno> {
    let room = limit.saturating_sub(bytes.len());
    if buffer.len() > room {
        *overflowed = true;
        if room == 0 {
            return Err(Errno::NO_SPACE);
        }
    }
    let taken = buffer.len().min(room);
    bytes.extend_from_slice(&buffer[..taken]);
    Ok(taken)
}

/// `text` cut to at most `max` bytes at a character boundary, marked when cut.
fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}… [truncated: {} bytes, over the limit of {max} (CallLimits::max_log_message_bytes)]",
        &text[..end],
        text.len()
    )
    .into()
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
    /// Wraps `inner`, capturing `sink` in `phase`, with the default [`CallLimits`].
    pub fn new(inner: H, phase: Phase, sink: u32) -> Self {
        Self::with_limits(inner, phase, sink, CallLimits::default())
    }

    /// Wraps `inner`, capturing `sink` in `phase`, under `limits`.
    pub fn with_limits(inner: H, phase: Phase, sink: u32, limits: CallLimits) -> Self {
        let capture = Capture {
            sink,
            bytes: Vec::new(),
            phase,
            panic_message: None,
            overflowed: false,
            body_sink: 0,
            body: Vec::new(),
            body_overflowed: false,
            limits,
            log_bytes: 0,
            log_full: false,
            scheduled: (0, 0),
        };
        Wrapped { inner, capture }
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
                Reply::bytes_sink_write(self.capture.write(buffer).map_err(Into::into))
            }
            Call::bytes_sink_write { sink, buffer } if sink != 0 && sink == self.capture.body_sink => {
                Reply::bytes_sink_write(self.capture.write_body(buffer).map_err(Into::into))
            }
            Call::console_log { level, target, filename, line_number, message } => {
                let max = self.capture.limits.max_log_message_bytes;
                let message = clip(message, max);
                if level == LogLevel::Panic.code() {
                    self.capture.panic_message = Some(message.clone().into_owned());
                }
                let (target, filename) = (target.map(|t| clip(t, max)), filename.map(|f| clip(f, max)));
                let len =
                    message.len() + target.as_ref().map_or(0, |t| t.len()) + filename.as_ref().map_or(0, |f| f.len());
                match self.capture.charge_log(len) {
                    (true, _) => Reply::console_log(self.inner.console_log(
                        level,
                        target.as_deref(),
                        filename.as_deref(),
                        line_number,
                        &message,
                    )),
                    (false, true) => {
                        let note = format!(
                            "the call logged more than {} bytes (CallLimits::max_log_bytes_per_call); its later log \
                             records are dropped",
                            self.capture.limits.max_log_bytes_per_call
                        );
                        Reply::console_log(self.inner.console_log(
                            LogLevel::Error.code(),
                            None,
                            Some("worldtube-host"),
                            None,
                            &note,
                        ))
                    }
                    (false, false) => Reply::console_log(Ok(())),
                }
            }
            Call::console_timer_start { name } => {
                let name = clip(name, self.capture.limits.max_log_message_bytes);
                Reply::console_timer_start(self.inner.console_timer_start(&name))
            }
            Call::volatile_nonatomic_schedule_immediate { name, args } => {
                match self.capture.charge_scheduled(name.len().saturating_add(args.len())) {
                    Ok(()) => call.forward(&mut self.inner),
                    Err(trap) => Reply::volatile_nonatomic_schedule_immediate(Err(trap)),
                }
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
