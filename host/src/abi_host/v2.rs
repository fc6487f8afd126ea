//! The imports of `spacetime_10.1` to `spacetime_10.5` on [`AbiHost`]: the bodies behind the
//! one-line `Host` methods in `abi_host.rs`.
//!
//! Implemented with the server's semantics: `bytes_source_remaining_length`, `get_jwt` (no
//! connection has a token yet, so it always answers "none"), the point scans of 10.4 (a range
//! scan over the whole key) and `datastore_clear`. This host runs no procedures yet, so the
//! procedure imports answer as a server answers them outside a procedure: the transaction calls
//! with their errnos, sleeping and HTTP with a trap (servers link those two only into the
//! instances that run procedures).

use std::ops::Bound;

use worldtube_abi::{Errno, HostError, HostResult, HttpOutcome, Trap};
use worldtube_lib::algebraic::{AlgebraicValue, Typespace};
use worldtube_lib::bsatn::Reader;

use super::decode::BadBsatn;
use super::{errno, AbiHost, ARGS_SOURCE};
use crate::schema::{IndexId, IndexSchema, TableId};

/// The full key of `index` in `bytes` (trailing bytes are ignored, as on the server): one value
/// per key column, in key order.
fn point(index: &IndexSchema, typespace: &Typespace, bytes: &[u8]) -> Result<Vec<AlgebraicValue>, BadBsatn> {
    let mut r = Reader::new(bytes);
    index.key_types.iter().map(|ty| AlgebraicValue::decode(ty, typespace, &mut r).map_err(|_| BadBsatn)).collect()
}

/// A point as the range the range scans take: every column but the last as prefix, then the
/// last one included at both ends.
fn as_range(mut key: Vec<AlgebraicValue>) -> Result<(Vec<AlgebraicValue>, Bound<AlgebraicValue>), BadBsatn> {
    // An index always has at least one key column; an empty key cannot be looked up.
    let last = key.pop().ok_or(BadBsatn)?;
    Ok((key, Bound::Included(last)))
}

/// The trap of an import that only exists while a procedure runs.
fn only_in_procedures(import: &str) -> Trap {
    Trap::new(format!(
        "`{import}` is only available while a procedure runs (servers link it only into procedure instances), \
         and this host runs no procedures yet"
    ))
}

impl AbiHost {
    pub(super) fn v2_bytes_source_remaining_length(&mut self, source: u32) -> HostResult<u32> {
        if source != ARGS_SOURCE {
            return errno(Errno::NO_SUCH_BYTES);
        }
        let Some(remaining) = self.args_remaining() else {
            return errno(Errno::NO_SUCH_BYTES);
        };
        u32::try_from(remaining)
            .map_err(|_| HostError::Trap(Trap::new("a bytes source holds more than u32::MAX bytes")))
    }

    pub(super) fn v2_get_jwt(&mut self, _connection_id: [u8; 16]) -> HostResult<u32> {
        // It reads a system table: only in a transaction. No connection has a token on this host
        // yet, which the server answers with handle 0.
        self.tx_ref()?;
        Ok(0)
    }

    pub(super) fn v2_procedure_start_mut_tx(&mut self) -> HostResult<i64> {
        if self.tx.is_some() {
            // Always so in a reducer: it runs inside the transaction the host opened.
            return errno(Errno::WOULD_BLOCK_TRANSACTION);
        }
        // A server would open a transaction here; without procedures this host has none to give.
        Err(only_in_procedures("procedure_start_mut_tx").into())
    }

    pub(super) fn v2_procedure_end_mut_tx(&mut self) -> HostResult<()> {
        // No transaction is ever opened by procedure_start_mut_tx on this host: the reducer's
        // own transaction (or none) is not one the module may end.
        errno(Errno::TRANSACTION_NOT_ANONYMOUS)
    }

    pub(super) fn v2_procedure_sleep_until(&mut self, _wake_at: i64) -> Result<i64, Trap> {
        Err(only_in_procedures("procedure_sleep_until"))
    }

    pub(super) fn v2_procedure_http_request(&mut self, _request: &[u8], _body: &[u8]) -> HostResult<HttpOutcome> {
        Err(only_in_procedures("procedure_http_request").into())
    }

    pub(super) fn v2_datastore_index_scan_point_bsatn(&mut self, index_id: u32, key: &[u8]) -> HostResult<u32> {
        let tx = self.tx_ref()?;
        let index = IndexId(index_id);
        let (prefix, bound) = as_range(point(tx.index_schema(index)?, tx.schema().typespace(), key)?)?;
        let rows = tx.index_scan(index, &prefix, bound.clone(), bound)?;
        self.new_iter(&rows)
    }

    pub(super) fn v2_datastore_delete_by_index_scan_point_bsatn(
        &mut self,
        index_id: u32,
        key: &[u8],
    ) -> HostResult<u32> {
        let tx = self.tx_mut_ref()?;
        let index = IndexId(index_id);
        let (prefix, bound) = as_range(point(tx.index_schema(index)?, tx.schema().typespace(), key)?)?;
        Ok(tx.delete_by_index_range(index, &prefix, bound.clone(), bound)?)
    }

    pub(super) fn v2_datastore_clear(&mut self, table_id: u32) -> HostResult<u64> {
        let tx = self.tx_mut_ref()?;
        let table = TableId(table_id);
        tx.table_schema(table)?;
        let ids: Vec<_> = tx.rows(table).into_iter().flatten().map(|(id, _)| id).collect();
        Ok(ids.into_iter().filter(|id| tx.delete_row(table, *id)).count() as u64)
    }
}
