//! The imports of `spacetime_10.1` to `spacetime_10.5` on [`AbiHost`]: the bodies behind the
//! one-line `Host` methods in `abi_host.rs`.
//!
//! Implemented with the server's semantics: `bytes_source_remaining_length`, `get_jwt` (the
//! token payload the engine gave the connection, see [`AbiHost::set_jwt`]), the point scans of 10.4 (a range
//! scan over the whole key) and `datastore_clear`. The procedure imports of 10.3 are in
//! `procedure.rs`.

use std::ops::Bound;

use worldtube_abi::{Errno, HostError, HostResult, Trap};
use worldtube_lib::algebraic::{AlgebraicValue, Typespace};
use worldtube_lib::bsatn::Reader;

use super::decode::BadBsatn;
use super::{errno, AbiHost};
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

impl AbiHost {
    pub(super) fn v2_bytes_source_remaining_length(&mut self, source: u32) -> HostResult<u32> {
        let Some((bytes, pos)) = self.sources.get(source) else {
            return errno(Errno::NO_SUCH_BYTES);
        };
        let remaining = bytes.len() - pos;
        u32::try_from(remaining)
            .map_err(|_| HostError::Trap(Trap::new("a bytes source holds more than u32::MAX bytes")))
    }

    pub(super) fn v2_get_jwt(&mut self, connection_id: [u8; 16]) -> HostResult<u32> {
        // It reads a system table: only in a transaction. A connection without a token is
        // answered with handle 0, as the server does.
        self.tx_ref()?;
        let payload = self.jwts.get(&connection_id).map(|p| p.clone().into_bytes()).unwrap_or_default();
        Ok(self.new_source(payload))
    }

    pub(super) fn v2_datastore_index_scan_point_bsatn(&mut self, index_id: u32, key: &[u8]) -> HostResult<u32> {
        let tx = self.tx_ref()?;
        let index = IndexId(index_id);
        let (prefix, bound) = as_range(point(tx.index_schema(index)?, tx.schema().typespace(), key)?)?;
        let rows = tx.index_scan(index, &prefix, bound.clone(), bound)?;
        self.note_index_read(index);
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
