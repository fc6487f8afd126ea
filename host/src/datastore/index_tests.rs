//! The packed index must answer exactly as the value-keyed index does: the same indexes filled
//! with the same random rows, both kept, then every kind of lookup (seeks, range scans with
//! prefixes, included/excluded/unbounded bounds under both generations' excluded-bound rules,
//! bounds of the wrong type, the dump's entries) compared.

use std::ops::Bound;

use proptest::prelude::*;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue};

use super::index::{ExcludedBounds, IndexData};
use super::packed_index::PackedIndex;
use super::row::RowId;
use super::value_index::ValueIndex;
use crate::schema::ColId;

/// The key layouts tried: the perf-test module's `(x, z, dimension)`, a bool with a small
/// signed column, one 64-bit column, and two full 128-bit ones (128 bits in all, the most
/// that packs).
const LAYOUTS: &[&[AlgebraicType]] = &[
    &[AlgebraicType::I32, AlgebraicType::I32, AlgebraicType::U32],
    &[AlgebraicType::Bool, AlgebraicType::I8, AlgebraicType::U16],
    &[AlgebraicType::U64],
    &[AlgebraicType::I64, AlgebraicType::U64],
    &[AlgebraicType::I128],
    &[AlgebraicType::U128],
];

/// A value of `ty` from a few that include its extremes (so fills meet real keys), as index
/// `i` picks.
fn value_of(ty: &AlgebraicType, i: u8) -> AlgebraicValue {
    use AlgebraicValue as V;
    let i = usize::from(i % 6);
    match ty {
        AlgebraicType::Bool => V::Bool(i % 2 == 1),
        AlgebraicType::I8 => V::I8([i8::MIN, -1, 0, 1, 2, i8::MAX][i]),
        AlgebraicType::U16 => V::U16([0, 1, 2, 3, u16::MAX - 1, u16::MAX][i]),
        AlgebraicType::I32 => V::I32([i32::MIN, -1, 0, 1, 2, i32::MAX][i]),
        AlgebraicType::U32 => V::U32([0, 1, 2, 3, u32::MAX - 1, u32::MAX][i]),
        AlgebraicType::I64 => V::I64([i64::MIN, -1, 0, 1, 2, i64::MAX][i]),
        AlgebraicType::U64 => V::U64([0, 1, 2, 3, u64::MAX - 1, u64::MAX][i]),
        AlgebraicType::I128 => V::I128([i128::MIN, -1, 0, 1, 2, i128::MAX][i]),
        _ => V::U128([0, 1, 2, 3, u128::MAX - 1, u128::MAX][i]),
    }
}

/// A bound value: mostly of the column's type, sometimes of another (below or above it in
/// `AlgebraicValue`'s variant order).
fn bound_value(ty: &AlgebraicType, pick: (u8, u8)) -> AlgebraicValue {
    match pick.0 % 8 {
        0 => AlgebraicValue::Array(Box::new([])),
        1 => AlgebraicValue::String("".into()),
        2 => AlgebraicValue::U8(pick.1),
        _ => value_of(ty, pick.1),
    }
}

fn bound(ty: &AlgebraicType, kind: u8, pick: (u8, u8)) -> Bound<AlgebraicValue> {
    match kind % 3 {
        0 => Bound::Unbounded,
        1 => Bound::Included(bound_value(ty, pick)),
        _ => Bound::Excluded(bound_value(ty, pick)),
    }
}

type Query = (u8, (u8, (u8, u8)), (u8, (u8, u8)), Vec<(u8, u8)>);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn packed_index_answers_as_the_value_index(
        layout in 0..LAYOUTS.len(),
        rows in prop::collection::vec(prop::collection::vec(any::<u8>(), 3), 0..40),
        removed in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
        queries in prop::collection::vec(any::<Query>(), 1..30),
    ) {
        let types = LAYOUTS[layout];
        let cols: Vec<ColId> = (0..types.len() as ColId).collect();
        let type_refs: Vec<&AlgebraicType> = types.iter().collect();
        let mut packed = IndexData::Packed(PackedIndex::new(&cols, &type_refs).expect("packable"));
        let mut values = IndexData::Values(ValueIndex::default(), cols.clone().into());
        let rows: Vec<ProductValue> = rows
            .iter()
            .map(|r| ProductValue::new(types.iter().zip(r).map(|(t, i)| value_of(t, *i)).collect::<Vec<_>>()))
            .collect();
        for (id, row) in rows.iter().enumerate() {
            packed.add(row, RowId(id as u64));
            values.add(row, RowId(id as u64));
        }
        for r in removed.iter().filter(|_| !rows.is_empty()) {
            let id = r.index(rows.len());
            packed.remove(&rows[id], RowId(id as u64));
            values.remove(&rows[id], RowId(id as u64));
        }
        prop_assert_eq!(packed.entries(), values.entries());
        for row in &rows {
            prop_assert_eq!(packed.first_with_key_of(row, None), values.first_with_key_of(row, None));
            prop_assert_eq!(packed.first_with_key_of(row, Some(RowId(0))), values.first_with_key_of(row, Some(RowId(0))));
        }
        for (prefix_len, (sk, sp), (ek, ep), picks) in queries {
            let prefix_len = usize::from(prefix_len) % types.len();
            let prefix: Vec<AlgebraicValue> = (0..prefix_len)
                .map(|c| bound_value(&types[c], picks.get(c).copied().unwrap_or((7, 0))))
                .collect();
            let key: Vec<AlgebraicValue> = (0..types.len())
                .map(|c| bound_value(&types[c], picks.get(c).copied().unwrap_or((7, 0))))
                .collect();
            prop_assert_eq!(packed.seek(&key), values.seek(&key));
            let ty = &types[prefix_len];
            for excluded in [ExcludedBounds::AsIncluded, ExcludedBounds::Exclude] {
                let (start, end) = (bound(ty, sk, sp), bound(ty, ek, ep));
                prop_assert_eq!(
                    packed.range(&prefix, start.clone(), end.clone(), excluded),
                    values.range(&prefix, start.clone(), end.clone(), excluded),
                    "prefix {:?} start {:?} end {:?} {:?}", prefix, start, end, excluded
                );
            }
        }
    }
}

#[test]
fn columns_that_do_not_pack_are_refused() {
    let cols: [ColId; 2] = [0, 1];
    let wide = [&AlgebraicType::U128, &AlgebraicType::Bool];
    assert!(PackedIndex::new(&cols, &wide).is_none(), "129 bits");
    assert!(PackedIndex::new(&cols[..1], &[&AlgebraicType::String]).is_none());
    assert!(PackedIndex::new(&cols[..1], &[&AlgebraicType::F64]).is_none());
    assert!(PackedIndex::new(&[], &[]).is_none());
}
