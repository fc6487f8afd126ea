//! Sequences (`auto_inc`): each sequence's position, and filling a row's zero auto-inc columns
//! with generated values. A sequence is never rolled back (as on the server), so its state lives
//! outside the undo log.

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue};
use worldtube_lib::{i256, u256};

use super::error::DatastoreError;
use crate::schema::{ColId, SequenceSchema, TableSchema};

/// The position of one sequence.
#[derive(Debug, Clone)]
pub(super) struct SequenceState {
    /// The next value to hand out; `None` once the step past the last one overflowed `i128`.
    pub(super) next: Option<i128>,
}

impl SequenceState {
    /// A sequence that has handed out nothing yet.
    pub(super) fn new(seq: &SequenceSchema) -> Self {
        SequenceState { next: Some(seq.start) }
    }
}

/// Fills the zero auto-inc columns of `row` (a row of `ts`) from their sequences, whose states
/// are `states` (parallel to `ts.sequences`); returns the generated values in column order.
///
/// On an overflow the columns before the failing one keep their generated values and their
/// sequences stay advanced; the caller discards the row.
pub(super) fn generate(
    ts: &TableSchema,
    states: &mut [SequenceState],
    row: &mut ProductValue,
) -> Result<Vec<(ColId, AlgebraicValue)>, DatastoreError> {
    let mut generated = Vec::new();
    for (seq, state) in ts.sequences.iter().zip(states) {
        let col = usize::from(seq.col);
        if !row.elements.get(col).is_some_and(is_numeric_zero) {
            continue;
        }
        let value = next_value(ts, seq, state)?;
        row.elements[col] = value.clone();
        generated.push((seq.col, value));
    }
    Ok(generated)
}

/// Hands out the next value of `seq`, failing when it leaves the sequence's (and column type's)
/// range.
fn next_value(
    ts: &TableSchema,
    seq: &SequenceSchema,
    state: &mut SequenceState,
) -> Result<AlgebraicValue, DatastoreError> {
    let overflow = || DatastoreError::SequenceOverflow {
        table: ts.name.clone(),
        column: ts.columns.get(usize::from(seq.col)).map_or_else(|| "?".to_owned(), |c| c.name.clone()),
        sequence: seq.name.clone(),
        min: seq.min,
        max: seq.max,
    };
    let value = state.next.ok_or_else(overflow)?;
    if value < seq.min || value > seq.max {
        return Err(overflow());
    }
    let av = integer_value(&seq.col_type, value).ok_or_else(overflow)?;
    state.next = value.checked_add(seq.increment);
    Ok(av)
}

/// Whether `v` is an integer equal to zero (what triggers a sequence).
fn is_numeric_zero(v: &AlgebraicValue) -> bool {
    use AlgebraicValue as V;
    match v {
        V::I8(x) => *x == 0,
        V::U8(x) => *x == 0,
        V::I16(x) => *x == 0,
        V::U16(x) => *x == 0,
        V::I32(x) => *x == 0,
        V::U32(x) => *x == 0,
        V::I64(x) => *x == 0,
        V::U64(x) => *x == 0,
        V::I128(x) => *x == 0,
        V::U128(x) => *x == 0,
        V::I256(x) => **x == i256::ZERO,
        V::U256(x) => **x == u256::ZERO,
        _ => false,
    }
}

/// `value` as a value of the integer type `ty`, if it fits.
fn integer_value(ty: &AlgebraicType, value: i128) -> Option<AlgebraicValue> {
    use AlgebraicType as T;
    use AlgebraicValue as V;
    Some(match ty {
        T::I8 => V::I8(value.try_into().ok()?),
        T::U8 => V::U8(value.try_into().ok()?),
        T::I16 => V::I16(value.try_into().ok()?),
        T::U16 => V::U16(value.try_into().ok()?),
        T::I32 => V::I32(value.try_into().ok()?),
        T::U32 => V::U32(value.try_into().ok()?),
        T::I64 => V::I64(value.try_into().ok()?),
        T::U64 => V::U64(value.try_into().ok()?),
        T::I128 => V::I128(value),
        T::U128 => V::U128(value.try_into().ok()?),
        T::I256 => V::I256(Box::new(i256::from(value))),
        T::U256 => V::U256(Box::new(u256::from(u128::try_from(value).ok()?))),
        _ => return None,
    })
}
