//! Shared by the runtime tests: a minimal fake [`Host`] that serves what quickstart-chat uses, and
//! helpers to read a module definition.
//!
//! This is a test double, not a datastore: tables are lists of BSATN rows, the only index is a
//! point lookup on the first 32 bytes of a row (quickstart-chat's `user.identity`).
#![allow(dead_code)]

use std::collections::HashMap;

use worldtube_abi::{Errno, HostError, HostResult, IndexPrefix, PartialHost, RowIterAdvance, SourceRead, Trap};
use worldtube_lib::raw_def::{RawModuleDef, RawModuleDefV9};

/// The `BytesSource` handle [`FakeHost`] serves the arguments under.
pub(crate) const ARGS_SOURCE: u32 = 7;

/// One `console_log` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Log {
    pub level: u32,
    pub message: String,
}

/// A fake host for quickstart-chat (and the hand-written test modules).
#[derive(Debug, Default)]
pub(crate) struct FakeHost {
    /// Table name and rows; the table id is the position.
    pub tables: Vec<(String, Vec<Vec<u8>>)>,
    /// Index name and the table it belongs to; the index id is the position. Every index
    /// matches rows by their first 32 bytes.
    pub indexes: Vec<(String, u32)>,
    /// The bytes served under [`ARGS_SOURCE`] (taken once read to the end).
    pub args: Option<Vec<u8>>,
    /// Live row iterators: the remaining bytes.
    pub iters: HashMap<u32, Vec<u8>>,
    next_iter: u32,
    /// Every `console_log` record.
    pub logs: Vec<Log>,
    /// What `datastore_update_bsatn` answers instead of updating, if set.
    pub update_fails_with: Option<HostError>,
    /// How many host calls were made (to see the host really came back each time).
    pub calls: u32,
}

impl FakeHost {
    /// Tables `user` and `message` and the index `user_identity_idx_btree`, as quickstart-chat
    /// declares them.
    pub(crate) fn chat() -> FakeHost {
        FakeHost {
            tables: vec![("user".to_owned(), Vec::new()), ("message".to_owned(), Vec::new())],
            indexes: vec![("user_identity_idx_btree".to_owned(), 0)],
            ..FakeHost::default()
        }
    }

    /// Serves `args` under [`ARGS_SOURCE`] for the next call.
    pub(crate) fn with_args(mut self, args: Vec<u8>) -> FakeHost {
        self.args = Some(args);
        self
    }

    /// The rows of table `name`.
    pub(crate) fn rows(&self, name: &str) -> &[Vec<u8>] {
        &self.tables.iter().find(|(n, _)| n == name).expect("a table of the fake").1
    }

    fn table(&mut self, table_id: u32) -> HostResult<&mut Vec<Vec<u8>>> {
        self.tables.get_mut(table_id as usize).map(|(_, rows)| rows).ok_or(HostError::Errno(Errno::NO_SUCH_TABLE))
    }

    fn new_iter(&mut self, rows: Vec<Vec<u8>>) -> u32 {
        self.next_iter += 1;
        self.iters.insert(self.next_iter, rows.concat());
        self.next_iter
    }
}

impl PartialHost for FakeHost {
    fn table_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        self.calls += 1;
        let position = self.tables.iter().position(|(n, _)| n == name).ok_or(Errno::NO_SUCH_TABLE)?;
        Ok(position as u32)
    }

    fn index_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        self.calls += 1;
        let position = self.indexes.iter().position(|(n, _)| n == name).ok_or(Errno::NO_SUCH_INDEX)?;
        Ok(position as u32)
    }

    fn datastore_table_scan_bsatn(&mut self, table_id: u32) -> HostResult<u32> {
        self.calls += 1;
        let rows = self.table(table_id)?.clone();
        Ok(self.new_iter(rows))
    }

    fn datastore_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        _rend: &[u8],
    ) -> HostResult<u32> {
        self.calls += 1;
        let &(_, table_id) = self.indexes.get(index_id as usize).ok_or(Errno::NO_SUCH_INDEX)?;
        // The key: the prefix, or the value of an `Included` lower bound.
        let key = match (prefix.elems, rstart.split_first()) {
            (0, Some((0, value))) => value,
            (0, _) => return Err(Errno::BSATN_DECODE_ERROR.into()),
            _ => prefix.bytes,
        };
        let rows = self.table(table_id)?.iter().filter(|row| row.starts_with(key)).cloned().collect();
        Ok(self.new_iter(rows))
    }

    fn row_iter_bsatn_advance(&mut self, iter: u32, buffer: &mut [u8]) -> HostResult<RowIterAdvance> {
        self.calls += 1;
        let bytes = self.iters.get(&iter).ok_or(Errno::NO_SUCH_ITER)?;
        if bytes.len() > buffer.len() {
            return Ok(RowIterAdvance::BufferTooSmall { needed: bytes.len() });
        }
        let bytes = self.iters.remove(&iter).expect("present");
        buffer[..bytes.len()].copy_from_slice(&bytes);
        Ok(RowIterAdvance::Exhausted { written: bytes.len() })
    }

    fn row_iter_bsatn_close(&mut self, iter: u32) -> HostResult<()> {
        self.calls += 1;
        self.iters.remove(&iter).map(drop).ok_or(Errno::NO_SUCH_ITER.into())
    }

    fn datastore_insert_bsatn(&mut self, table_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        self.calls += 1;
        self.table(table_id)?.push(row.to_vec());
        Ok(Vec::new())
    }

    fn datastore_update_bsatn(&mut self, table_id: u32, index_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        self.calls += 1;
        if let Some(error) = self.update_fails_with.clone() {
            return Err(error);
        }
        if self.indexes.get(index_id as usize).map(|&(_, table)| table) != Some(table_id) {
            return Err(Errno::NO_SUCH_INDEX.into());
        }
        let rows = self.table(table_id)?;
        let old = rows.iter_mut().find(|old| old[..32] == row[..32]).ok_or(Errno::NO_SUCH_ROW)?;
        *old = row.to_vec();
        Ok(Vec::new())
    }

    fn bytes_source_read(&mut self, source: u32, buffer: &mut [u8]) -> HostResult<SourceRead> {
        self.calls += 1;
        if source != ARGS_SOURCE {
            return Err(Errno::NO_SUCH_BYTES.into());
        }
        let args = self.args.as_mut().ok_or(Errno::NO_SUCH_BYTES)?;
        let written = buffer.len().min(args.len());
        buffer[..written].copy_from_slice(&args[..written]);
        args.drain(..written);
        let exhausted = args.is_empty();
        if exhausted {
            self.args = None;
        }
        Ok(SourceRead { written, exhausted })
    }

    fn bytes_sink_write(&mut self, _sink: u32, _data: &[u8]) -> HostResult<usize> {
        // The runtime captures the sinks it hands out; any other handle is unknown here.
        self.calls += 1;
        Err(Errno::NO_SUCH_BYTES.into())
    }

    fn console_log(
        &mut self,
        level: u32,
        _target: Option<&str>,
        _filename: Option<&str>,
        _line_number: Option<u32>,
        message: &str,
    ) -> Result<(), Trap> {
        self.calls += 1;
        self.logs.push(Log { level, message: message.to_owned() });
        Ok(())
    }
}

/// Decodes describe bytes; panics unless they are a `RawModuleDef::V9`.
pub(crate) fn decode_def(bytes: &[u8]) -> RawModuleDefV9 {
    match worldtube_lib::bsatn::from_slice::<RawModuleDef>(bytes) {
        Ok(RawModuleDef::V9(def)) => def,
        Ok(RawModuleDef::V10(_)) => panic!("the describe bytes are a RawModuleDef::V10, which these tests do not run"),
        Err(error) => panic!("the describe bytes do not decode as a RawModuleDef: {error:?}"),
    }
}

/// The id of reducer `name`: its position in the definition.
pub(crate) fn reducer_id(def: &RawModuleDefV9, name: &str) -> u32 {
    def.reducers.iter().position(|reducer| &*reducer.name == name).unwrap_or_else(|| panic!("no reducer `{name}`"))
        as u32
}

/// BSATN of a `String` argument (the product of one string parameter).
pub(crate) fn string_arg(text: &str) -> Vec<u8> {
    let mut bytes = (text.len() as u32).to_le_bytes().to_vec();
    bytes.extend_from_slice(text.as_bytes());
    bytes
}
