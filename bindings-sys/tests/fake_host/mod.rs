//! A small in-test host: enough of the 10.0 interface to exercise the protocols.

use std::collections::{BTreeMap, VecDeque};

use worldtube_abi::{Errno, HostResult, PartialHost, RowIterAdvance, SourceRead, Trap};

/// level, target, filename, line number, message
pub(crate) type LogRecord = (u32, Option<String>, Option<String>, Option<u32>, String);

#[derive(Default)]
pub(crate) struct FakeHost {
    pub identity: [u8; 32],
    /// Chunks each new table scan of a table hands out.
    pub table_chunks: BTreeMap<u32, Vec<Vec<u8>>>,
    iters: BTreeMap<u32, VecDeque<Vec<u8>>>,
    next_handle: u32,
    /// Buffer capacity seen by every advance call.
    pub advance_capacities: Vec<usize>,
    /// Every row_iter_bsatn_close call.
    pub closed: Vec<u32>,
    pub sources: BTreeMap<u32, Vec<u8>>,
    pub sinks: BTreeMap<u32, Vec<u8>>,
    /// At most this many bytes are taken per sink write (to force the write loop).
    pub sink_take_limit: usize,
    pub inserted: Vec<Vec<u8>>,
    next_auto_inc: u32,
    pub logs: Vec<LogRecord>,
    /// Makes `identity` call back into the bindings (re-entrancy test).
    pub reenter_on_identity: bool,
    /// Makes `identity` run a nested call (`table_id_from_name("people")`) against a host of its
    /// own, as a server runs a reducer while a procedure sleeps; its result goes to
    /// `nested_result`.
    pub nested_call_on_identity: bool,
    /// What the nested call returned.
    pub nested_result: Option<Result<worldtube_sys::TableId, worldtube_sys::Errno>>,
}

impl FakeHost {
    pub(crate) fn new() -> Self {
        FakeHost { next_handle: 1, next_auto_inc: 1000, sink_take_limit: usize::MAX, ..Default::default() }
    }
}

impl PartialHost for FakeHost {
    fn table_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        match name {
            "people" => Ok(7),
            _ => Err(Errno::NO_SUCH_TABLE.into()),
        }
    }

    fn datastore_table_scan_bsatn(&mut self, table_id: u32) -> HostResult<u32> {
        let chunks = self.table_chunks.get(&table_id).ok_or(Errno::NO_SUCH_TABLE)?.clone();
        let handle = self.next_handle;
        self.next_handle += 1;
        self.iters.insert(handle, chunks.into());
        Ok(handle)
    }

    fn row_iter_bsatn_advance(&mut self, iter: u32, buffer: &mut [u8]) -> HostResult<RowIterAdvance> {
        self.advance_capacities.push(buffer.len());
        let chunks = self.iters.get_mut(&iter).ok_or(Errno::NO_SUCH_ITER)?;
        let mut written = 0;
        while let Some(chunk) = chunks.front() {
            if written + chunk.len() > buffer.len() {
                break;
            }
            buffer[written..written + chunk.len()].copy_from_slice(chunk);
            written += chunk.len();
            chunks.pop_front();
        }
        if chunks.is_empty() {
            self.iters.remove(&iter);
            return Ok(RowIterAdvance::Exhausted { written });
        }
        if written == 0 {
            return Ok(RowIterAdvance::BufferTooSmall { needed: chunks[0].len() });
        }
        Ok(RowIterAdvance::More { written })
    }

    fn row_iter_bsatn_close(&mut self, iter: u32) -> HostResult<()> {
        self.closed.push(iter);
        self.iters.remove(&iter).map(drop).ok_or(Errno::NO_SUCH_ITER.into())
    }

    fn datastore_insert_bsatn(&mut self, table_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        if table_id != 7 {
            return Err(Errno::NO_SUCH_TABLE.into());
        }
        self.inserted.push(row.to_vec());
        // Column 0 is a u32 auto-inc column: generated when supplied as zero.
        if row.len() >= 4 && row[..4] == [0; 4] {
            self.next_auto_inc += 1;
            return Ok(self.next_auto_inc.to_le_bytes().to_vec());
        }
        Ok(Vec::new())
    }

    fn bytes_sink_write(&mut self, sink: u32, data: &[u8]) -> HostResult<usize> {
        let taken = data.len().min(self.sink_take_limit);
        self.sinks.get_mut(&sink).ok_or(Errno::NO_SUCH_BYTES)?.extend_from_slice(&data[..taken]);
        Ok(taken)
    }

    fn bytes_source_read(&mut self, source: u32, buffer: &mut [u8]) -> HostResult<SourceRead> {
        let remaining = self.sources.get_mut(&source).ok_or(Errno::NO_SUCH_BYTES)?;
        let written = buffer.len().min(remaining.len());
        buffer[..written].copy_from_slice(&remaining[..written]);
        remaining.drain(..written);
        let exhausted = remaining.is_empty();
        if exhausted {
            self.sources.remove(&source);
        }
        Ok(SourceRead { written, exhausted })
    }

    fn console_log(
        &mut self,
        level: u32,
        target: Option<&str>,
        filename: Option<&str>,
        line_number: Option<u32>,
        message: &str,
    ) -> Result<(), Trap> {
        let owned = |s: Option<&str>| s.map(str::to_owned);
        self.logs.push((level, owned(target), owned(filename), line_number, message.to_owned()));
        Ok(())
    }

    fn identity(&mut self) -> Result<[u8; 32], Trap> {
        if self.reenter_on_identity {
            worldtube_sys::identity();
        }
        if self.nested_call_on_identity {
            let (result, _) = worldtube_sys::with_host(FakeHost::new(), || worldtube_sys::table_id_from_name("people"));
            self.nested_result = Some(result);
        }
        Ok(self.identity)
    }
}
