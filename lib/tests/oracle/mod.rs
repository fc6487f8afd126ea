//! Conversions from our algebraic model to the official `spacetimedb-sats =1.3.2`, so tests can
//! ask the official crate what bytes and what order it produces for the same type and value.

#![allow(dead_code)]

use spacetimedb_sats as s;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, Typespace};
use worldtube_lib::bsatn;

/// Their type, obtained by decoding our encoding of the type (itself checked elsewhere).
pub(crate) fn their_type(ty: &AlgebraicType) -> s::AlgebraicType {
    s::bsatn::from_slice(&bsatn::to_vec(ty)).expect("sats decodes our AlgebraicType")
}

/// Their typespace.
pub(crate) fn their_typespace(ts: &Typespace) -> s::Typespace {
    s::Typespace::new(ts.types.iter().map(their_type).collect())
}

/// Their value for our value `v` of type `ty`, built structurally (not via bytes).
pub(crate) fn their_value(v: &AlgebraicValue, ty: &AlgebraicType, ts: &Typespace) -> s::AlgebraicValue {
    use AlgebraicType as T;
    use AlgebraicValue as V;
    let ty = ts.resolve(ty).expect("type resolves");
    match (v, ty) {
        (V::Sum(sv), T::Sum(st)) => {
            let vty = &st.variants[sv.tag as usize].algebraic_type;
            s::AlgebraicValue::Sum(s::SumValue::new(sv.tag, their_value(&sv.value, vty, ts)))
        }
        (V::Product(pv), T::Product(pt)) => s::AlgebraicValue::Product(their_product(pv, pt, ts)),
        (V::Array(items), T::Array(at)) => s::AlgebraicValue::Array(their_array(items, &at.elem_ty, ts)),
        (V::Bool(x), _) => (*x).into(),
        (V::I8(x), _) => (*x).into(),
        (V::U8(x), _) => (*x).into(),
        (V::I16(x), _) => (*x).into(),
        (V::U16(x), _) => (*x).into(),
        (V::I32(x), _) => (*x).into(),
        (V::U32(x), _) => (*x).into(),
        (V::I64(x), _) => (*x).into(),
        (V::U64(x), _) => (*x).into(),
        (V::I128(x), _) => (*x).into(),
        (V::U128(x), _) => (*x).into(),
        (V::I256(x), _) => their_i256(**x).into(),
        (V::U256(x), _) => their_u256(**x).into(),
        (V::F32(x), _) => x.0.into(),
        (V::F64(x), _) => x.0.into(),
        (V::String(x), _) => s::AlgebraicValue::String(x.clone()),
        (v, ty) => panic!("value {v:?} does not fit type {ty:?}"),
    }
}

fn their_product(
    pv: &worldtube_lib::algebraic::ProductValue,
    pt: &worldtube_lib::algebraic::ProductType,
    ts: &Typespace,
) -> s::ProductValue {
    pv.elements.iter().zip(pt.elements.iter()).map(|(v, e)| their_value(v, &e.algebraic_type, ts)).collect()
}

fn their_array(items: &[AlgebraicValue], elem: &AlgebraicType, ts: &Typespace) -> s::ArrayValue {
    use AlgebraicType as T;
    let conv: Vec<s::AlgebraicValue> = items.iter().map(|v| their_value(v, elem, ts)).collect();
    match ts.resolve(elem).expect("type resolves") {
        T::Sum(_) => conv.into_iter().map(|v| v.into_sum().unwrap()).collect::<Box<[_]>>().into(),
        T::Product(_) => conv.into_iter().map(|v| v.into_product().unwrap()).collect::<Box<[_]>>().into(),
        T::Array(_) => conv.into_iter().map(|v| v.into_array().unwrap()).collect::<Box<[_]>>().into(),
        T::String => conv.into_iter().map(|v| v.into_string().unwrap()).collect::<Box<[_]>>().into(),
        T::Bool => conv.into_iter().map(|v| v.into_bool().unwrap()).collect::<Box<[_]>>().into(),
        T::I8 => conv.into_iter().map(|v| v.into_i8().unwrap()).collect::<Box<[_]>>().into(),
        T::U8 => conv.into_iter().map(|v| v.into_u8().unwrap()).collect::<Box<[_]>>().into(),
        T::I16 => conv.into_iter().map(|v| v.into_i16().unwrap()).collect::<Box<[_]>>().into(),
        T::U16 => conv.into_iter().map(|v| v.into_u16().unwrap()).collect::<Box<[_]>>().into(),
        T::I32 => conv.into_iter().map(|v| v.into_i32().unwrap()).collect::<Box<[_]>>().into(),
        T::U32 => conv.into_iter().map(|v| v.into_u32().unwrap()).collect::<Box<[_]>>().into(),
        T::I64 => conv.into_iter().map(|v| v.into_i64().unwrap()).collect::<Box<[_]>>().into(),
        T::U64 => conv.into_iter().map(|v| v.into_u64().unwrap()).collect::<Box<[_]>>().into(),
        T::I128 => conv.into_iter().map(|v| v.into_i128().unwrap().0).collect::<Box<[_]>>().into(),
        T::U128 => conv.into_iter().map(|v| v.into_u128().unwrap().0).collect::<Box<[_]>>().into(),
        T::I256 => conv.into_iter().map(|v| *v.into_i256().unwrap()).collect::<Box<[_]>>().into(),
        T::U256 => conv.into_iter().map(|v| *v.into_u256().unwrap()).collect::<Box<[_]>>().into(),
        T::F32 => conv.into_iter().map(|v| v.into_f32().unwrap()).collect::<Box<[_]>>().into(),
        T::F64 => conv.into_iter().map(|v| v.into_f64().unwrap()).collect::<Box<[_]>>().into(),
        T::Ref(_) => unreachable!("resolved"),
    }
}

pub(crate) fn their_u256(x: worldtube_lib::u256) -> s::u256 {
    let (hi, lo) = x.into_words();
    s::u256::from_words(hi, lo)
}

pub(crate) fn their_i256(x: worldtube_lib::i256) -> s::i256 {
    let (hi, lo) = x.into_words();
    s::i256::from_words(hi, lo as i128)
}

/// Their bytes for our value.
pub(crate) fn their_bytes(v: &AlgebraicValue, ty: &AlgebraicType, ts: &Typespace) -> Vec<u8> {
    s::bsatn::to_vec(&their_value(v, ty, ts)).expect("sats encodes")
}

/// Decodes a prefix of `bytes` at `ty` with their decoder: the value and the bytes consumed.
pub(crate) fn their_decode(
    bytes: &[u8],
    ty: &AlgebraicType,
    ts: &Typespace,
) -> Result<(s::AlgebraicValue, usize), String> {
    let (their_ts, their_ty) = (their_typespace(ts), their_type(ty));
    let mut rest = bytes;
    use s::de::DeserializeSeed;
    let value = s::WithTypespace::new(&their_ts, &their_ty)
        .deserialize(s::bsatn::Deserializer::new(&mut rest))
        .map_err(|e| e.to_string())?;
    Ok((value, bytes.len() - rest.len()))
}
