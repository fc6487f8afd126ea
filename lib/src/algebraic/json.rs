//! Readable JSON (or any serde format) for typed values: for display, logs and test snapshots.
//!
//! BSATN values do not describe themselves, so rendering needs the type: [`ValueWithType`] pairs
//! them. The rendering is meant for people and is not an interchange format:
//!
//! | value | rendered as |
//! |---|---|
//! | bool, integers up to 128 bits, floats | JSON booleans and numbers (non-finite floats: `null`) |
//! | `I256`, `U256` | decimal strings |
//! | strings | strings |
//! | arrays | arrays |
//! | `Identity`, `ConnectionId` | hex strings, most significant digit first |
//! | `Timestamp` | RFC 3339 strings |
//! | `TimeDuration` | signed seconds strings, e.g. `"+1.500000"` |
//! | `Option` | the value, or `null` |
//! | other products | objects keyed by field name (position for unnamed fields) |
//! | other sums | `"Variant"` for a variant without data, else `{"Variant": payload}` |

use super::{AlgebraicType, AlgebraicValue, SpecialProduct, Typespace};
use crate::{ConnectionId, Identity, TimeDuration, Timestamp};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// A value with its type, ready to serialize.
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, Typespace, ValueWithType};
/// let ty = AlgebraicType::product([(Some("name"), AlgebraicType::String),
///                                  (Some("score"), AlgebraicType::option(AlgebraicType::U32))]);
/// let v = AlgebraicValue::product([AlgebraicValue::from("ann"), AlgebraicValue::option_none()]);
/// let ts = Typespace::default();
/// let json = serde_json::to_string(&ValueWithType::new(&v, &ty, &ts)).unwrap();
/// assert_eq!(json, r#"{"name":"ann","score":null}"#);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ValueWithType<'a> {
    value: &'a AlgebraicValue,
    ty: &'a AlgebraicType,
    typespace: &'a Typespace,
}

impl<'a> ValueWithType<'a> {
    /// Pairs `value` with its type `ty`, whose refs point into `typespace`.
    pub fn new(value: &'a AlgebraicValue, ty: &'a AlgebraicType, typespace: &'a Typespace) -> Self {
        Self { value, ty, typespace }
    }

    fn with(&self, value: &'a AlgebraicValue, ty: &'a AlgebraicType) -> Self {
        Self { value, ty, typespace: self.typespace }
    }
}

impl Serialize for ValueWithType<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use AlgebraicType as T;
        use AlgebraicValue as V;
        let ty = self.typespace.resolve(self.ty).ok_or_else(|| {
            S::Error::custom(format!("type {} does not resolve in the typespace", self.ty.describe()))
        })?;
        if let Some(primitive) = primitive_type(self.value) {
            if primitive != *ty {
                return Err(S::Error::custom(format!("value {:?} does not have type {}", self.value, ty.describe())));
            }
        }
        match (self.value, ty) {
            (V::Product(p), T::Product(pt)) => {
                if let (Some(special), [inner]) = (pt.special(), &*p.elements) {
                    return serialize_special(special, inner, s);
                }
                if p.elements.len() != pt.elements.len() {
                    return Err(S::Error::custom("product value and type have different lengths"));
                }
                let mut map = s.serialize_map(Some(p.elements.len()))?;
                for (i, (v, e)) in p.elements.iter().zip(pt.elements.iter()).enumerate() {
                    match e.name.as_deref() {
                        Some(name) => map.serialize_entry(name, &self.with(v, &e.algebraic_type))?,
                        None => map.serialize_entry(&i.to_string(), &self.with(v, &e.algebraic_type))?,
                    }
                }
                map.end()
            }
            (V::Sum(sv), T::Sum(st)) => {
                let variant = st.variants.get(usize::from(sv.tag)).ok_or_else(|| {
                    S::Error::custom(format!("sum tag {} out of range for {} variants", sv.tag, st.variants.len()))
                })?;
                if st.as_option().is_some() {
                    return match sv.tag {
                        0 => self.with(&sv.value, &variant.algebraic_type).serialize(s),
                        _ => s.serialize_none(),
                    };
                }
                let name = variant.name.as_deref().map(str::to_owned).unwrap_or_else(|| sv.tag.to_string());
                if variant.algebraic_type.is_unit() {
                    return s.serialize_str(&name);
                }
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry(&name, &self.with(&sv.value, &variant.algebraic_type))?;
                map.end()
            }
            (V::Array(items), T::Array(at)) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(&self.with(item, &at.elem_ty))?;
                }
                seq.end()
            }
            (V::Bool(v), _) => s.serialize_bool(*v),
            (V::I8(v), _) => s.serialize_i8(*v),
            (V::U8(v), _) => s.serialize_u8(*v),
            (V::I16(v), _) => s.serialize_i16(*v),
            (V::U16(v), _) => s.serialize_u16(*v),
            (V::I32(v), _) => s.serialize_i32(*v),
            (V::U32(v), _) => s.serialize_u32(*v),
            (V::I64(v), _) => s.serialize_i64(*v),
            (V::U64(v), _) => s.serialize_u64(*v),
            (V::I128(v), _) => s.serialize_i128(*v),
            (V::U128(v), _) => s.serialize_u128(*v),
            (V::I256(v), _) => s.collect_str(v),
            (V::U256(v), _) => s.collect_str(v),
            (V::F32(v), _) => s.serialize_f32(v.0),
            (V::F64(v), _) => s.serialize_f64(v.0),
            (V::String(v), _) => s.serialize_str(v),
            (v, ty) => Err(S::Error::custom(format!("value {v:?} does not have type {}", ty.describe()))),
        }
    }
}

/// The type of a primitive value; `None` for sums, products and arrays.
fn primitive_type(v: &AlgebraicValue) -> Option<AlgebraicType> {
    use AlgebraicType as T;
    use AlgebraicValue as V;
    Some(match v {
        V::Sum(_) | V::Product(_) | V::Array(_) => return None,
        V::Bool(_) => T::Bool,
        V::I8(_) => T::I8,
        V::U8(_) => T::U8,
        V::I16(_) => T::I16,
        V::U16(_) => T::U16,
        V::I32(_) => T::I32,
        V::U32(_) => T::U32,
        V::I64(_) => T::I64,
        V::U64(_) => T::U64,
        V::I128(_) => T::I128,
        V::U128(_) => T::U128,
        V::I256(_) => T::I256,
        V::U256(_) => T::U256,
        V::F32(_) => T::F32,
        V::F64(_) => T::F64,
        V::String(_) => T::String,
    })
}

fn serialize_special<S: Serializer>(special: SpecialProduct, inner: &AlgebraicValue, s: S) -> Result<S::Ok, S::Error> {
    use AlgebraicValue as V;
    match (special, inner) {
        (SpecialProduct::Identity, V::U256(v)) => s.serialize_str(&Identity::from_u256(**v).to_hex()),
        (SpecialProduct::ConnectionId, V::U128(v)) => s.serialize_str(&ConnectionId::from_u128(*v).to_hex()),
        (SpecialProduct::Timestamp, V::I64(v)) => s.collect_str(&Timestamp::from_micros_since_unix_epoch(*v)),
        (SpecialProduct::TimeDuration, V::I64(v)) => s.collect_str(&TimeDuration::from_micros(*v)),
        (special, v) => Err(S::Error::custom(format!("value {v:?} is not a {}", special.name()))),
    }
}
