//! Decoding the BSATN arguments of the datastore imports into the values the datastore takes:
//! rows, the relation array of `datastore_delete_all_by_eq_bsatn`, and the `IndexPrefix` +
//! `Bound` encoding of range scans (following the server's `range_scan_decode_bounds`).
//!
//! Every failure is [`BadBsatn`] (the errno `BSATN_DECODE_ERROR`, see `errno.rs`).

use std::ops::Bound;

use worldtube_abi::IndexPrefix;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue, Typespace};
use worldtube_lib::bsatn::Reader;

use crate::schema::{IndexSchema, TableSchema};

/// An argument was not valid BSATN for its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BadBsatn;

/// A decoded range of an index: `prefix` values for the leading key columns, then bounds on the
/// next one.
#[derive(Debug)]
pub(super) struct Range {
    pub(super) prefix: Vec<AlgebraicValue>,
    pub(super) start: Bound<AlgebraicValue>,
    pub(super) end: Bound<AlgebraicValue>,
}

/// A row of `table` that must use all of `bytes`.
pub(super) fn row(table: &TableSchema, typespace: &Typespace, bytes: &[u8]) -> Result<ProductValue, BadBsatn> {
    match AlgebraicValue::decode_exact(&table.row_algebraic_type, typespace, bytes) {
        Ok(AlgebraicValue::Product(p)) => Ok(p),
        _ => Err(BadBsatn),
    }
}

/// A BSATN array of rows of `table` (trailing bytes after it are ignored, as on the server).
pub(super) fn relation(
    table: &TableSchema,
    typespace: &Typespace,
    bytes: &[u8],
) -> Result<Vec<ProductValue>, BadBsatn> {
    let array_ty = AlgebraicType::array(table.row_algebraic_type.clone());
    let rows = match AlgebraicValue::decode(&array_ty, typespace, &mut Reader::new(bytes)) {
        Ok(AlgebraicValue::Array(rows)) => rows,
        _ => return Err(BadBsatn),
    };
    rows.into_vec()
        .into_iter()
        .map(|row| match row {
            AlgebraicValue::Product(p) => Ok(p),
            _ => Err(BadBsatn),
        })
        .collect()
}

/// The arguments of a range scan on `index`: `prefix.elems` key columns' values in
/// `prefix.bytes`, then a `Bound` on the next column in each of `rstart` and `rend`.
pub(super) fn range(
    index: &IndexSchema,
    typespace: &Typespace,
    prefix: IndexPrefix<'_>,
    rstart: &[u8],
    rend: &[u8],
) -> Result<Range, BadBsatn> {
    let elems = usize::from(prefix.elems);
    if let [ty] = &*index.key_types {
        // Single-column index: the server accepts no prefix (it ignores `prefix_elems` when the
        // prefix bytes are empty).
        if elems != 0 && !prefix.bytes.is_empty() {
            return Err(BadBsatn);
        }
        let start = bound(ty, typespace, rstart)?;
        let end = bound(ty, typespace, rend)?;
        return Ok(Range { prefix: Vec::new(), start, end });
    }
    // Multi-column index: `elems` prefix columns, then the bounded one, then the suffix.
    if elems >= index.key_types.len() {
        return Err(BadBsatn);
    }
    let mut r = Reader::new(prefix.bytes);
    let prefix = index.key_types[..elems]
        .iter()
        .map(|ty| AlgebraicValue::decode(ty, typespace, &mut r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| BadBsatn)?;
    let range_ty = &index.key_types[elems];
    let start = bound(range_ty, typespace, rstart)?;
    let end = bound(range_ty, typespace, rend)?;
    Ok(Range { prefix, start, end })
}

/// A BSATN `Bound` of a value of type `ty` (trailing bytes are ignored, as on the server).
fn bound(ty: &AlgebraicType, typespace: &Typespace, bytes: &[u8]) -> Result<Bound<AlgebraicValue>, BadBsatn> {
    let mut r = Reader::new(bytes);
    let tag = r.take_u8("Bound tag").map_err(|_| BadBsatn)?;
    let mut value = || AlgebraicValue::decode(ty, typespace, &mut r).map_err(|_| BadBsatn);
    Ok(match tag {
        0 => Bound::Included(value()?),
        1 => Bound::Excluded(value()?),
        2 => Bound::Unbounded,
        _ => return Err(BadBsatn),
    })
}
