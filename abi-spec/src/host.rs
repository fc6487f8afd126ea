//! [`Host`]: the 10.0 imports as a safe Rust trait, and the small types its methods use.

use crate::{Errno, Trap};

/// Why a host call did not succeed: either a status code for the module, or a trap that
/// aborts the instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostError {
    /// Returned to the module as the call's status.
    Errno(Errno),
    /// Aborts the module instance (for failures 10.0 has no errno for).
    Trap(Trap),
}

impl From<Errno> for HostError {
    fn from(errno: Errno) -> Self {
        HostError::Errno(errno)
    }
}

impl From<Trap> for HostError {
    fn from(trap: Trap) -> Self {
        HostError::Trap(trap)
    }
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostError::Errno(errno) => errno.fmt(f),
            HostError::Trap(trap) => trap.fmt(f),
        }
    }
}

impl std::error::Error for HostError {}

/// Result of a [`Host`] method whose import returns a status.
pub type HostResult<T> = Result<T, HostError>;

/// The key prefix of an index range scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexPrefix<'a> {
    /// BSATN of the first `elems` key column values, concatenated (empty when `elems == 0`).
    pub bytes: &'a [u8],
    /// How many leading key columns the prefix fixes; the range bounds apply to key column
    /// number `elems`.
    pub elems: u16,
}

/// What one `row_iter_bsatn_advance` call produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowIterAdvance {
    /// `written` bytes of whole chunks were copied and more chunks remain (status 0).
    More {
        /// Bytes written to the front of the buffer.
        written: usize,
    },
    /// `written` bytes were copied and nothing remains; the host has destroyed the iterator
    /// (status -1).
    Exhausted {
        /// Bytes written to the front of the buffer (may be 0).
        written: usize,
    },
    /// Nothing fitted; the next chunk needs `needed` bytes (status `BUFFER_TOO_SMALL`).
    BufferTooSmall {
        /// Size of the next chunk.
        needed: usize,
    },
}

/// What one `bytes_source_read` call produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRead {
    /// Bytes written to the front of the buffer.
    pub written: usize,
    /// Whether these were the last bytes; the host has then destroyed the source (status -1).
    pub exhausted: bool,
}

/// A host of ABI 10.0 with safe types: slices and strings instead of pointers, return values
/// instead of out-pointers. The glue in [`crate::glue`] turns raw calls into calls of these
/// methods and applies the pointer protocols, so an implementation never sees module memory.
///
/// There is one method per distinct import; the deprecated aliases call the same method as
/// the import they alias. Every method has a default that traps with
/// [`Trap::unsupported`], so a partial host (a test double) implements only what it needs.
///
/// Methods whose import returns a status return [`HostResult`]: an [`Errno`] goes back to the
/// module, a [`Trap`] aborts it. Methods of imports without a status can only trap.
pub trait Host {
    /// `table_id_from_name`: the TableId of the table with this exact name.
    fn table_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        let _ = name;
        Err(Trap::unsupported("table_id_from_name").into())
    }

    /// `index_id_from_name`: the IndexId of the index with this exact name.
    fn index_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        let _ = name;
        Err(Trap::unsupported("index_id_from_name").into())
    }

    /// `datastore_table_row_count`: rows in the table as the current transaction sees them.
    fn datastore_table_row_count(&mut self, table_id: u32) -> HostResult<u64> {
        let _ = table_id;
        Err(Trap::unsupported("datastore_table_row_count").into())
    }

    /// `datastore_table_scan_bsatn`: a new row iterator handle (nonzero) over a snapshot of
    /// every row.
    fn datastore_table_scan_bsatn(&mut self, table_id: u32) -> HostResult<u32> {
        let _ = table_id;
        Err(Trap::unsupported("datastore_table_scan_bsatn").into())
    }

    /// `datastore_index_scan_range_bsatn` (and its alias `datastore_btree_scan_bsatn`): a new
    /// row iterator handle over the matching rows, in index order. `rstart`/`rend` are BSATN
    /// `Bound`s of key column `prefix.elems`.
    fn datastore_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<u32> {
        let _ = (index_id, prefix, rstart, rend);
        Err(Trap::unsupported("datastore_index_scan_range_bsatn").into())
    }

    /// `datastore_delete_by_index_scan_range_bsatn` (and its alias
    /// `datastore_delete_by_btree_scan_bsatn`): deletes the matching rows, returns how many.
    fn datastore_delete_by_index_scan_range_bsatn(
        &mut self,
        index_id: u32,
        prefix: IndexPrefix<'_>,
        rstart: &[u8],
        rend: &[u8],
    ) -> HostResult<u32> {
        let _ = (index_id, prefix, rstart, rend);
        Err(Trap::unsupported("datastore_delete_by_index_scan_range_bsatn").into())
    }

    /// `datastore_delete_all_by_eq_bsatn`: `relation` is a BSATN array of rows; deletes every
    /// stored row equal to one of them and returns how many.
    fn datastore_delete_all_by_eq_bsatn(&mut self, table_id: u32, relation: &[u8]) -> HostResult<u32> {
        let _ = (table_id, relation);
        Err(Trap::unsupported("datastore_delete_all_by_eq_bsatn").into())
    }

    /// `row_iter_bsatn_advance`: copy whole chunks into `buffer` (its length is the capacity).
    fn row_iter_bsatn_advance(&mut self, iter: u32, buffer: &mut [u8]) -> HostResult<RowIterAdvance> {
        let _ = (iter, buffer);
        Err(Trap::unsupported("row_iter_bsatn_advance").into())
    }

    /// `row_iter_bsatn_close`: destroy an iterator.
    fn row_iter_bsatn_close(&mut self, iter: u32) -> HostResult<()> {
        let _ = iter;
        Err(Trap::unsupported("row_iter_bsatn_close").into())
    }

    /// `datastore_insert_bsatn`: insert `row`; return the BSATN of the generated auto-inc
    /// values (in column order; empty if none). It must not be longer than `row`.
    fn datastore_insert_bsatn(&mut self, table_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        let _ = (table_id, row);
        Err(Trap::unsupported("datastore_insert_bsatn").into())
    }

    /// `datastore_update_bsatn`: replace the row with the same key under unique index
    /// `index_id`; return the generated values as for insert.
    fn datastore_update_bsatn(&mut self, table_id: u32, index_id: u32, row: &[u8]) -> HostResult<Vec<u8>> {
        let _ = (table_id, index_id, row);
        Err(Trap::unsupported("datastore_update_bsatn").into())
    }

    /// `volatile_nonatomic_schedule_immediate`: queue a reducer call outside the transaction.
    fn volatile_nonatomic_schedule_immediate(&mut self, reducer: &str, args: &[u8]) -> Result<(), Trap> {
        let _ = (reducer, args);
        Err(Trap::unsupported("volatile_nonatomic_schedule_immediate"))
    }

    /// `bytes_sink_write`: append (a prefix of) `data`; return how many bytes were taken.
    fn bytes_sink_write(&mut self, sink: u32, data: &[u8]) -> HostResult<usize> {
        let _ = (sink, data);
        Err(Trap::unsupported("bytes_sink_write").into())
    }

    /// `bytes_source_read`: copy the next bytes into `buffer` (its length is the capacity).
    fn bytes_source_read(&mut self, source: u32, buffer: &mut [u8]) -> HostResult<SourceRead> {
        let _ = (source, buffer);
        Err(Trap::unsupported("bytes_source_read").into())
    }

    /// `console_log`: one log record. `level` is the raw wire value (see
    /// [`LogLevel::from_code_or_debug`](crate::LogLevel::from_code_or_debug)).
    fn console_log(
        &mut self,
        level: u32,
        target: Option<&str>,
        filename: Option<&str>,
        line_number: Option<u32>,
        message: &str,
    ) -> Result<(), Trap> {
        let _ = (level, target, filename, line_number, message);
        Err(Trap::unsupported("console_log"))
    }

    /// `console_timer_start`: start a timer, return its nonzero id.
    fn console_timer_start(&mut self, name: &str) -> Result<u32, Trap> {
        let _ = name;
        Err(Trap::unsupported("console_timer_start"))
    }

    /// `console_timer_end`: end a timer and log the elapsed time.
    fn console_timer_end(&mut self, timer_id: u32) -> HostResult<()> {
        let _ = timer_id;
        Err(Trap::unsupported("console_timer_end").into())
    }

    /// `identity`: the database identity as 32 little-endian bytes.
    fn identity(&mut self) -> Result<[u8; 32], Trap> {
        Err(Trap::unsupported("identity"))
    }
}
