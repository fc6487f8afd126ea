//! [`Wrapped`]: the caller's host plus what the runtime handles itself during a call: the
//! captured sink, the start-up rule (no transaction), and the last panic message logged.
//!
//! Public so that a [`ModuleInstance`](super::ModuleInstance) implemented outside this crate
//! (the natively linked module of `worldtube-testing`) follows the same rules as the wasm one.

#[cfg(feature = "wasm")]
use std::any::Any;

use worldtube_abi::{Errno, Host, HostResult, IndexPrefix, LogLevel, RowIterAdvance, SourceRead, Trap};

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

    /// `NOT_IN_TRANSACTION` during start-up.
    fn datastore(&self) -> HostResult<()> {
        match self.capture.phase {
            Phase::Startup => Err(Errno::NOT_IN_TRANSACTION.into()),
            Phase::Call => Ok(()),
        }
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

impl<H: Host> Host for Wrapped<H> {
    fn table_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        self.datastore()?;
        self.inner.table_id_from_name(name)
    }

    fn index_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        self.datastore()?;
        self.inner.index_id_from_name(name)
    }

    fn datastore_table_row_count(&mut self, table_id: u32) -> HostResult<u64> {
        self.datastore()?;
        self.inner.datastore_table_row_count(table_id)
    }

    fn datastore_table_scan_bsatn(&mut self, table_id: u32) -> HostResult<u32> {
        self.datastore()?;
        self.inner.datastore_table_scan_bsatn(table_id)
    }

    fn datastore_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<u32> {
        self.datastore()?;
        self.inner.datastore_index_scan_range_bsatn(index_id, prefix, rstart, rend)
    }

    fn datastore_delete_by_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<u32> {
        self.datastore()?;
        self.inner.datastore_delete_by_index_scan_range_bsatn(index_id, prefix, rstart, rend)
    }

    fn datastore_delete_all_by_eq_bsatn(&mut self, table_id: u32, relation: &[u8]) -> HostResult<u32> {
        self.datastore()?;
        self.inner.datastore_delete_all_by_eq_bsatn(table_id, relation)
    }

    fn row_iter_bsatn_advance(&mut self, iter: u32, buffer: &mut [u8]) -> HostResult<RowIterAdvance> {
        self.inner.row_iter_bsatn_advance(iter, buffer)
    }

    fn row_iter_bsatn_close(&mut self, iter: u32) -> HostResult<()> {
        self.inner.row_iter_bsatn_close(iter)
    }

    fn datastore_insert_bsatn(&mut self, table_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        self.datastore()?;
        self.inner.datastore_insert_bsatn(table_id, row)
    }

    fn datastore_update_bsatn(&mut self, table_id: u32, index_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        self.datastore()?;
        self.inner.datastore_update_bsatn(table_id, index_id, row)
    }

    fn volatile_nonatomic_schedule_immediate(&mut self, reducer: &str, args: &[u8]) -> Result<(), Trap> {
        self.inner.volatile_nonatomic_schedule_immediate(reducer, args)
    }

    fn bytes_sink_write(&mut self, sink: u32, data: &[u8]) -> HostResult<usize> {
        if sink == self.capture.sink {
            self.capture.bytes.extend_from_slice(data);
            Ok(data.len())
        } else {
            self.inner.bytes_sink_write(sink, data)
        }
    }

    fn bytes_source_read(&mut self, source: u32, buffer: &mut [u8]) -> HostResult<SourceRead> {
        self.inner.bytes_source_read(source, buffer)
    }

    fn console_log(
        &mut self,
        level: u32,
        target: Option<&str>,
        filename: Option<&str>,
        line_number: Option<u32>,
        message: &str,
    ) -> Result<(), Trap> {
        if level == LogLevel::Panic.code() {
            self.capture.panic_message = Some(message.to_owned());
        }
        self.inner.console_log(level, target, filename, line_number, message)
    }

    fn console_timer_start(&mut self, name: &str) -> Result<u32, Trap> {
        self.inner.console_timer_start(name)
    }

    fn console_timer_end(&mut self, timer_id: u32) -> HostResult<()> {
        self.inner.console_timer_end(timer_id)
    }

    fn identity(&mut self) -> Result<[u8; 32], Trap> {
        self.inner.identity()
    }
}
