//! [`AbiHost`]: the imports ([`worldtube_abi::Host`], `spacetime_10.0` to `spacetime_10.5`) for one
//! module instance.
//!
//! An `AbiHost` owns everything a module can reach through the ABI:
//!
//! * the current transaction ([`Tx`]), or none (during `__describe_module__`, where every
//!   datastore import returns `NOT_IN_TRANSACTION`);
//! * the reducer arguments, as bytes source handle [`ARGS_SOURCE`] (or no source: handle 0);
//! * one bytes sink, handle [`SINK`], which keeps what is written to it. Module calls made
//!   through a [`ModuleInstance`](crate::runtime::ModuleInstance) never reach it: the runtime
//!   captures the describe (start-up) sink and the reducer's error sink itself, so the
//!   description and error messages come back from the runtime, not from here;
//! * row iterators and console timers, handed out as "slot + 1" from slabs that reuse the most
//!   recently freed slot first (as the server's `slab` does); they live as long as the host,
//!   across reducer calls, until exhausted/closed or ended;
//! * the log records the module wrote ([`LogRecord`]) and the calls it queued with
//!   `volatile_nonatomic_schedule_immediate` ([`ScheduledCall`]), for the engine to collect.
//!
//! It owns its state (no borrows), so it can be installed as a thread's `'static` host. The
//! engine moves a transaction in with [`AbiHost::begin_call`] (or [`AbiHost::set_tx`]) and takes
//! it and the call's by-products back with [`AbiHost::end_call`].
//!
//! The datastore works on values: the datastore imports' BSATN arguments are decoded here
//! (`decode.rs`), and the datastore's [`DatastoreError`]s become errnos or traps in one place
//! (`errno.rs`).
//!
//! Hostile arguments (unknown ids and handles, malformed BSATN, huge lengths) produce the errno
//! `SPEC.md` names, never a panic.

mod decode;
mod errno;
mod procedure;
mod v2;

pub use procedure::{Meanwhile, ProcedureEnd, SoFar};

use std::collections::VecDeque;
use std::time::Instant;

use worldtube_abi::{
    Errno, Host, HostError, HostResult, HttpOutcome, IndexPrefix, LogLevel, RowIterAdvance, SourceRead, Trap,
    ROW_ITER_CHUNK_SIZE,
};
use worldtube_lib::Identity;

use crate::datastore::{DatastoreError, Row, Tx};
use crate::schema::{IndexId, IndexKind, IndexSchema, TableId};

/// The handle of the reducer-arguments bytes source (when the arguments are not empty).
pub const ARGS_SOURCE: u32 = 1;

/// The handle of the one bytes sink.
pub const SINK: u32 = 1;

/// Default [`HostLimits::max_open_row_iters`].
pub const DEFAULT_MAX_OPEN_ROW_ITERS: usize = 4_096;
/// Default [`HostLimits::max_row_iter_bytes`]: 64 MiB of rows held by open iterators.
pub const DEFAULT_MAX_ROW_ITER_BYTES: usize = 64 << 20;
/// Default [`HostLimits::max_open_timers`].
pub const DEFAULT_MAX_OPEN_TIMERS: usize = 4_096;
/// Default [`HostLimits::max_written_bytes_per_call`]: 256 MiB of rows inserted or updated.
pub const DEFAULT_MAX_WRITTEN_BYTES_PER_CALL: usize = 256 << 20;

/// Bounds on what an [`AbiHost`] keeps for a module instance across calls; opening a row
/// iterator or a timer past one traps the instance with a message naming the limit (10.0 has no
/// errno for it). See the "Limits" section of `host/DESIGN.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostLimits {
    /// The most row iterators open at once (neither exhausted nor closed).
    pub max_open_row_iters: usize,
    /// The most row bytes the open row iterators may hold together (each scan materialises a
    /// copy of the rows it returns).
    pub max_row_iter_bytes: usize,
    /// The most console timers running at once.
    pub max_open_timers: usize,
    /// The most row bytes one call (one transaction of a procedure) may insert or update; past
    /// it the instance traps, so that a runaway loop of inserts cannot exhaust the host's memory.
    pub max_written_bytes_per_call: usize,
}

impl Default for HostLimits {
    fn default() -> Self {
        HostLimits {
            max_open_row_iters: DEFAULT_MAX_OPEN_ROW_ITERS,
            max_row_iter_bytes: DEFAULT_MAX_ROW_ITER_BYTES,
            max_open_timers: DEFAULT_MAX_OPEN_TIMERS,
            max_written_bytes_per_call: DEFAULT_MAX_WRITTEN_BYTES_PER_CALL,
        }
    }
}

/// One `console_log` record (or a timer's end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// The level (unknown wire values become [`LogLevel::Debug`]).
    pub level: LogLevel,
    /// The target (usually the module path), if given.
    pub target: Option<String>,
    /// The source file, if given.
    pub filename: Option<String>,
    /// The source line, if given.
    pub line_number: Option<u32>,
    /// The text.
    pub message: String,
}

/// A reducer call queued with `volatile_nonatomic_schedule_immediate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledCall {
    /// The reducer's name, as the module gave it (not checked).
    pub reducer: String,
    /// The BSATN of its arguments, as the module gave them (not checked).
    pub args: Vec<u8>,
}

/// What [`AbiHost::end_call`] hands back.
#[derive(Debug)]
pub struct CallEnd {
    /// The transaction, to commit or roll back.
    pub tx: Option<Tx>,
    /// What was written to [`SINK`] through this host (nothing, for calls made through the
    /// runtime, which captures its sinks itself).
    pub sink: Vec<u8>,
    /// The log records of the call.
    pub logs: Vec<LogRecord>,
    /// The calls queued during the call.
    pub scheduled: Vec<ScheduledCall>,
}

/// A slab handing out `slot + 1` handles and reusing the most recently freed slot first.
#[derive(Debug)]
struct Slab<T> {
    entries: Vec<Option<T>>,
    free: Vec<usize>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { entries: Vec::new(), free: Vec::new() }
    }
}

impl<T> Slab<T> {
    fn insert(&mut self, value: T) -> u32 {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.entries[slot] = Some(value);
                slot
            }
            None => {
                self.entries.push(Some(value));
                self.entries.len() - 1
            }
        };
        // A slab of more than u32::MAX - 1 live entries cannot exist in practice (each holds
        // heap data); saturate rather than wrap to 0.
        u32::try_from(slot + 1).unwrap_or(u32::MAX)
    }

    fn slot(handle: u32) -> Option<usize> {
        (handle as usize).checked_sub(1)
    }

    fn get(&self, handle: u32) -> Option<&T> {
        self.entries.get(Self::slot(handle)?)?.as_ref()
    }

    fn get_mut(&mut self, handle: u32) -> Option<&mut T> {
        self.entries.get_mut(Self::slot(handle)?)?.as_mut()
    }

    fn remove(&mut self, handle: u32) -> Option<T> {
        let slot = Self::slot(handle)?;
        let value = self.entries.get_mut(slot)?.take()?;
        self.free.push(slot);
        Some(value)
    }

    fn len(&self) -> usize {
        self.entries.len() - self.free.len()
    }
}

/// A row iterator: the remaining chunks of a materialised scan.
#[derive(Debug)]
struct RowIter {
    chunks: VecDeque<Vec<u8>>,
}

#[derive(Debug)]
struct Timer {
    name: String,
    start: Instant,
}

/// Splits rows into row-iterator chunks as the server does: rows are appended to the current
/// chunk, which is closed as soon as it exceeds [`ROW_ITER_CHUNK_SIZE`]; a trailing non-empty
/// chunk is kept. So a chunk exceeds 32 KiB only by its last row, and no row spans two chunks.
pub fn chunk_rows<'a>(rows: impl IntoIterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
    let mut chunks = Vec::new();
    let mut curr = Vec::new();
    for row in rows {
        curr.extend_from_slice(row);
        if curr.len() > ROW_ITER_CHUNK_SIZE {
            chunks.push(std::mem::take(&mut curr));
        }
    }
    if !curr.is_empty() {
        chunks.push(curr);
    }
    chunks
}

/// The host side of the ABI (`spacetime_10.0` to `spacetime_10.5`) for one module instance. See the
/// [module docs](self).
#[derive(Debug)]
pub struct AbiHost {
    identity: Identity,
    tx: Option<Tx>,
    /// The bytes sources (the call's arguments first, then HTTP responses and JWTs), each with
    /// how many of its bytes have been read; a source is gone once read to the end.
    sources: Slab<(Vec<u8>, usize)>,
    /// Set while a procedure runs (see `abi_host/procedure.rs`).
    procedure: Option<procedure::ProcedureState>,
    /// The token payloads of the connected clients that have one, by connection id (what
    /// `get_jwt` reads).
    jwts: std::collections::HashMap<[u8; 16], String>,
    /// The tables read during the current call, when [`track_reads`](Self::track_reads) asked
    /// for them (a view's dependencies).
    reads: Option<std::collections::BTreeSet<TableId>>,
    /// Row bytes inserted or updated since the transaction was installed (see
    /// [`HostLimits::max_written_bytes_per_call`]).
    written: usize,
    sink: Vec<u8>,
    iters: Slab<RowIter>,
    /// The bytes the open row iterators hold.
    iter_bytes: usize,
    timers: Slab<Timer>,
    logs: Vec<LogRecord>,
    scheduled: Vec<ScheduledCall>,
    limits: HostLimits,
}

/// `index` if it answers range scans: a hash index (2.x modules only) does not, and the range
/// scan imports refuse it with `WRONG_INDEX_ALGO` before decoding their arguments, as the 2.8
/// server does (its point scans answer it).
fn ranged(index: &IndexSchema) -> HostResult<&IndexSchema> {
    match index.kind {
        IndexKind::Hash => errno(Errno::WRONG_INDEX_ALGO),
        IndexKind::BTree | IndexKind::Direct => Ok(index),
    }
}

fn errno<T>(e: Errno) -> HostResult<T> {
    Err(HostError::Errno(e))
}

impl AbiHost {
    /// A host for a database whose identity (what the `identity` import returns) is
    /// `database_identity`, with no transaction, no arguments and an empty sink.
    pub fn new(database_identity: Identity) -> Self {
        AbiHost {
            identity: database_identity,
            tx: None,
            sources: Slab::default(),
            procedure: None,
            jwts: std::collections::HashMap::new(),
            reads: None,
            written: 0,
            sink: Vec::new(),
            iters: Slab::default(),
            iter_bytes: 0,
            timers: Slab::default(),
            logs: Vec::new(),
            scheduled: Vec::new(),
            limits: HostLimits::default(),
        }
    }

    /// Gives connection `connection_id` the token whose claims are `payload` (JSON), or takes
    /// its token away (`None`, when it disconnects): what `get_jwt` answers for it.
    pub fn set_jwt(&mut self, connection_id: worldtube_lib::ConnectionId, payload: Option<String>) {
        let key = connection_id.as_le_byte_array();
        match payload {
            Some(payload) => self.jwts.insert(key, payload),
            None => self.jwts.remove(&key),
        };
    }

    /// Starts recording which tables the module reads (scans, index scans, row counts), until
    /// [`take_reads`](Self::take_reads).
    pub fn track_reads(&mut self) {
        self.reads = Some(std::collections::BTreeSet::new());
    }

    /// The tables read since [`track_reads`](Self::track_reads), which it stops.
    pub fn take_reads(&mut self) -> std::collections::BTreeSet<TableId> {
        self.reads.take().unwrap_or_default()
    }

    /// Records a read of `table` if reads are tracked.
    fn note_read(&mut self, table: TableId) {
        if let Some(reads) = &mut self.reads {
            reads.insert(table);
        }
    }

    /// Records a read through `index` if reads are tracked.
    fn note_index_read(&mut self, index: IndexId) {
        if let Some(table) = self.tx.as_ref().and_then(|tx| tx.index_schema(index).ok()).map(|i| i.table) {
            self.note_read(table);
        }
    }

    /// The limits it enforces.
    pub fn limits(&self) -> HostLimits {
        self.limits
    }

    /// Replaces the limits it enforces (what is already open stays open).
    pub fn set_limits(&mut self, limits: HostLimits) {
        self.limits = limits;
    }

    /// The database identity.
    pub fn database_identity(&self) -> Identity {
        self.identity
    }

    /// Prepares a call: installs `tx` (none for describe), makes `args` the arguments source and
    /// empties the sink. Returns the `args` handle to pass to `__call_reducer__`: 0 when `args`
    /// is empty, [`ARGS_SOURCE`] otherwise. Log records and queued calls are not cleared (take
    /// them with [`end_call`](Self::end_call)); row iterators and timers persist.
    pub fn begin_call(&mut self, tx: Option<Tx>, args: Vec<u8>) -> u32 {
        self.tx = tx;
        self.written = 0;
        self.sink.clear();
        self.set_args(args)
    }

    /// Finishes a call: takes the transaction, the sink's contents, the log records and the
    /// queued calls; drops what is left of the arguments.
    pub fn end_call(&mut self) -> CallEnd {
        self.sources = Slab::default();
        CallEnd {
            tx: self.tx.take(),
            sink: std::mem::take(&mut self.sink),
            logs: std::mem::take(&mut self.logs),
            scheduled: std::mem::take(&mut self.scheduled),
        }
    }

    /// Installs `tx` (or none), returning the previous one.
    pub fn set_tx(&mut self, tx: Option<Tx>) -> Option<Tx> {
        std::mem::replace(&mut self.tx, tx)
    }

    /// Takes the transaction out.
    pub fn take_tx(&mut self) -> Option<Tx> {
        self.tx.take()
    }

    /// The current transaction.
    pub fn tx(&self) -> Option<&Tx> {
        self.tx.as_ref()
    }

    /// The current transaction, mutably.
    pub fn tx_mut(&mut self) -> Option<&mut Tx> {
        self.tx.as_mut()
    }

    /// Replaces the arguments source with `args`; returns its handle (0 for empty arguments,
    /// which get no source).
    pub fn set_args(&mut self, args: Vec<u8>) -> u32 {
        self.sources = Slab::default();
        self.new_source(args)
    }

    /// Adds a bytes source holding `bytes` for the current call (e.g. an HTTP handler's request
    /// body beside its request head): its handle, or 0 (no source) for no bytes. Dropped at
    /// [`end_call`](Self::end_call).
    pub fn add_source(&mut self, bytes: Vec<u8>) -> u32 {
        self.new_source(bytes)
    }

    /// A new bytes source holding `bytes`: its handle, or 0 (no source) for no bytes, as the
    /// server does.
    fn new_source(&mut self, bytes: Vec<u8>) -> u32 {
        if bytes.is_empty() {
            0
        } else {
            self.sources.insert((bytes, 0))
        }
    }

    /// How many argument bytes are left to read (`None` when there is no source, or it was
    /// exhausted).
    pub fn args_remaining(&self) -> Option<usize> {
        self.sources.get(ARGS_SOURCE).map(|(bytes, pos)| bytes.len() - pos)
    }

    /// What has been written to the sink.
    pub fn sink(&self) -> &[u8] {
        &self.sink
    }

    /// Takes the sink's contents, leaving it empty.
    pub fn take_sink(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.sink)
    }

    /// The log records so far.
    pub fn logs(&self) -> &[LogRecord] {
        &self.logs
    }

    /// Takes the log records.
    pub fn take_logs(&mut self) -> Vec<LogRecord> {
        std::mem::take(&mut self.logs)
    }

    /// The calls queued so far.
    pub fn scheduled(&self) -> &[ScheduledCall] {
        &self.scheduled
    }

    /// Takes the queued calls.
    pub fn take_scheduled(&mut self) -> Vec<ScheduledCall> {
        std::mem::take(&mut self.scheduled)
    }

    /// How many row iterators are alive (neither exhausted nor closed).
    pub fn open_row_iters(&self) -> usize {
        self.iters.len()
    }

    /// How many console timers are running.
    pub fn open_timers(&self) -> usize {
        self.timers.len()
    }

    fn tx_ref(&self) -> HostResult<&Tx> {
        self.tx.as_ref().ok_or(HostError::Errno(Errno::NOT_IN_TRANSACTION))
    }

    fn tx_mut_ref(&mut self) -> HostResult<&mut Tx> {
        self.tx.as_mut().ok_or(HostError::Errno(Errno::NOT_IN_TRANSACTION))
    }

    fn new_iter(&mut self, rows: &[std::sync::Arc<Row>]) -> HostResult<u32> {
        let limits = self.limits;
        if self.iters.len() >= limits.max_open_row_iters {
            return Err(Trap::new(format!(
                "the module has {} row iterators open, the limit (HostLimits::max_open_row_iters); iterate them \
                 to the end or close them",
                self.iters.len()
            ))
            .into());
        }
        let bytes: usize = rows.iter().map(|r| r.bytes().len()).sum();
        let held = self.iter_bytes.saturating_add(bytes);
        if held > limits.max_row_iter_bytes {
            return Err(Trap::new(format!(
                "opening this row iterator would make the open row iterators hold {held} bytes of rows, more than \
                 the limit of {} (HostLimits::max_row_iter_bytes); iterate them to the end or close them",
                limits.max_row_iter_bytes
            ))
            .into());
        }
        let chunks = chunk_rows(rows.iter().map(|r| r.bytes()));
        self.iter_bytes = held;
        Ok(self.iters.insert(RowIter { chunks: chunks.into() }))
    }

    /// Counts `len` row bytes written in this call; the trap past
    /// [`HostLimits::max_written_bytes_per_call`].
    fn charge_written(&mut self, len: usize) -> Result<(), Trap> {
        let written = self.written.saturating_add(len);
        if written > self.limits.max_written_bytes_per_call {
            return Err(Trap::new(format!(
                "the call wrote more than {} bytes of rows (HostLimits::max_written_bytes_per_call); its \
                 transaction is rolled back",
                self.limits.max_written_bytes_per_call
            )));
        }
        self.written = written;
        Ok(())
    }

    /// Removes iterator `iter`, giving back the bytes it held.
    fn remove_iter(&mut self, iter: u32) -> Option<RowIter> {
        let it = self.iters.remove(iter)?;
        self.iter_bytes -= it.chunks.iter().map(Vec::len).sum::<usize>();
        Some(it)
    }
}

impl Host for AbiHost {
    fn table_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        match self.tx_ref()?.schema().table_id(name) {
            Some(TableId(id)) => Ok(id),
            None => errno(Errno::NO_SUCH_TABLE),
        }
    }

    fn index_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        match self.tx_ref()?.schema().index_id(name) {
            Some(id) => Ok(id.0),
            None => errno(Errno::NO_SUCH_INDEX),
        }
    }

    fn datastore_table_row_count(&mut self, table_id: u32) -> HostResult<u64> {
        let table = TableId(table_id);
        let count = self.tx_ref()?.row_count(table).ok_or(DatastoreError::NoSuchTable(table))?;
        self.note_read(table);
        Ok(count)
    }

    fn datastore_table_scan_bsatn(&mut self, table_id: u32) -> HostResult<u32> {
        let rows = self.tx_ref()?.table_scan(TableId(table_id))?;
        self.note_read(TableId(table_id));
        self.new_iter(&rows)
    }

    fn datastore_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<u32> {
        let tx = self.tx_ref()?;
        let index = IndexId(index_id);
        let range = decode::range(ranged(tx.index_schema(index)?)?, tx.schema().typespace(), prefix, rstart, rend)?;
        let rows = tx.index_scan(index, &range.prefix, range.start, range.end)?;
        self.note_index_read(index);
        self.new_iter(&rows)
    }

    fn datastore_delete_by_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<u32> {
        let tx = self.tx_mut_ref()?;
        let index = IndexId(index_id);
        let range = decode::range(ranged(tx.index_schema(index)?)?, tx.schema().typespace(), prefix, rstart, rend)?;
        Ok(tx.delete_by_index_range(index, &range.prefix, range.start, range.end)?)
    }

    fn datastore_delete_all_by_eq_bsatn(&mut self, table_id: u32, relation: &[u8]) -> HostResult<u32> {
        let tx = self.tx_mut_ref()?;
        let table = TableId(table_id);
        let rows = decode::relation(tx.table_schema(table)?, tx.schema().typespace(), relation)?;
        Ok(tx.delete_all_by_eq(table, &rows)?)
    }

    fn row_iter_bsatn_advance(&mut self, iter: u32, buffer: &mut [u8]) -> HostResult<RowIterAdvance> {
        let Some(it) = self.iters.get_mut(iter) else {
            return errno(Errno::NO_SUCH_ITER);
        };
        let mut written = 0;
        while let Some(chunk) = it.chunks.front() {
            let Some(dst) = buffer.get_mut(written..written + chunk.len()) else { break };
            dst.copy_from_slice(chunk);
            written += chunk.len();
            it.chunks.pop_front();
        }
        self.iter_bytes -= written;
        match (written, it.chunks.front()) {
            (0, Some(next)) => Ok(RowIterAdvance::BufferTooSmall { needed: next.len() }),
            (_, None) => {
                self.iters.remove(iter);
                Ok(RowIterAdvance::Exhausted { written })
            }
            (_, Some(_)) => Ok(RowIterAdvance::More { written }),
        }
    }

    fn row_iter_bsatn_close(&mut self, iter: u32) -> HostResult<()> {
        match self.remove_iter(iter) {
            Some(_) => Ok(()),
            None => errno(Errno::NO_SUCH_ITER),
        }
    }

    fn datastore_insert_bsatn(&mut self, table_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        self.charge_written(row.len())?;
        let tx = self.tx_mut_ref()?;
        let table = TableId(table_id);
        let row = decode::row(tx.table_schema(table)?, tx.schema().typespace(), row)?;
        Ok(tx.insert_unchecked(table, row)?.generated_bsatn())
    }

    fn datastore_update_bsatn(&mut self, table_id: u32, index_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        self.charge_written(row.len())?;
        let tx = self.tx_mut_ref()?;
        let table = TableId(table_id);
        let row = decode::row(tx.table_schema(table)?, tx.schema().typespace(), row)?;
        Ok(tx.update_unchecked(table, IndexId(index_id), row)?.generated_bsatn())
    }

    fn volatile_nonatomic_schedule_immediate(&mut self, reducer: &str, args: &[u8]) -> Result<(), Trap> {
        self.scheduled.push(ScheduledCall { reducer: reducer.to_owned(), args: args.to_vec() });
        Ok(())
    }

    fn bytes_sink_write(&mut self, sink: u32, data: &[u8]) -> HostResult<usize> {
        if sink != SINK {
            return errno(Errno::NO_SUCH_BYTES);
        }
        self.sink.extend_from_slice(data);
        Ok(data.len())
    }

    fn bytes_source_read(&mut self, source: u32, buffer: &mut [u8]) -> HostResult<SourceRead> {
        let Some((bytes, pos)) = self.sources.get_mut(source) else {
            return errno(Errno::NO_SUCH_BYTES);
        };
        let n = buffer.len().min(bytes.len() - *pos);
        buffer[..n].copy_from_slice(&bytes[*pos..*pos + n]);
        *pos += n;
        let exhausted = *pos == bytes.len();
        if exhausted {
            self.sources.remove(source);
        }
        Ok(SourceRead { written: n, exhausted })
    }

    fn console_log(
        &mut self,
        level: u32,
        target: Option<&str>,
        filename: Option<&str>,
        line_number: Option<u32>,
        message: &str,
    ) -> Result<(), Trap> {
        self.logs.push(LogRecord {
            level: LogLevel::from_code_or_debug(level),
            target: target.map(str::to_owned),
            filename: filename.map(str::to_owned),
            line_number,
            message: message.to_owned(),
        });
        Ok(())
    }

    fn console_timer_start(&mut self, name: &str) -> Result<u32, Trap> {
        if self.timers.len() >= self.limits.max_open_timers {
            return Err(Trap::new(format!(
                "the module has {} console timers running, the limit (HostLimits::max_open_timers); end them with \
                 console_timer_end",
                self.timers.len()
            )));
        }
        Ok(self.timers.insert(Timer { name: name.to_owned(), start: Instant::now() }))
    }

    fn console_timer_end(&mut self, timer_id: u32) -> HostResult<()> {
        let Some(timer) = self.timers.remove(timer_id) else {
            return errno(Errno::NO_SUCH_CONSOLE_TIMER);
        };
        // The server's exact text (wasm_instance_env.rs, console_timer_end).
        let message = format!("Timing span {:?}: {:?}", timer.name, timer.start.elapsed());
        self.logs.push(LogRecord { level: LogLevel::Info, target: None, filename: None, line_number: None, message });
        Ok(())
    }

    fn identity(&mut self) -> Result<[u8; 32], Trap> {
        Ok(self.identity.to_byte_array())
    }

    // The imports of spacetime_10.1 to spacetime_10.5: see `abi_host/v2.rs`.

    fn bytes_source_remaining_length(&mut self, source: u32) -> HostResult<u32> {
        self.v2_bytes_source_remaining_length(source)
    }

    fn get_jwt(&mut self, connection_id: [u8; 16]) -> HostResult<u32> {
        self.v2_get_jwt(connection_id)
    }

    fn procedure_start_mut_tx(&mut self) -> HostResult<i64> {
        self.v2_procedure_start_mut_tx()
    }

    fn procedure_commit_mut_tx(&mut self) -> HostResult<()> {
        self.v2_procedure_end_mut_tx(true)
    }

    fn procedure_abort_mut_tx(&mut self) -> HostResult<()> {
        self.v2_procedure_end_mut_tx(false)
    }

    fn procedure_sleep_until(&mut self, wake_at: i64) -> Result<i64, Trap> {
        self.v2_procedure_sleep_until(wake_at)
    }

    fn procedure_http_request(&mut self, request: &[u8], body: &[u8]) -> HostResult<HttpOutcome> {
        self.v2_procedure_http_request(request, body)
    }

    fn datastore_index_scan_point_bsatn(&mut self, index_id: u32, point: &[u8]) -> HostResult<u32> {
        self.v2_datastore_index_scan_point_bsatn(index_id, point)
    }

    fn datastore_delete_by_index_scan_point_bsatn(&mut self, index_id: u32, point: &[u8]) -> HostResult<u32> {
        self.v2_datastore_delete_by_index_scan_point_bsatn(index_id, point)
    }

    fn datastore_clear(&mut self, table_id: u32) -> HostResult<u64> {
        self.v2_datastore_clear(table_id)
    }
}
