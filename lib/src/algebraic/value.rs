//! `AlgebraicValue`: a value of any [`AlgebraicType`], decoded from BSATN given its type.

use super::{AlgebraicType, Typespace};
use crate::bsatn::{encode_len, take_tag, Decode, DecodeError, Encode, Reader};
use crate::{i256, u256};
use std::cmp::Ordering;

/// A dynamically typed value.
///
/// Its total order is the order of SpacetimeDB's indexes, so a host can key a B-tree on it:
/// numbers compare numerically, strings bytewise, arrays and products element by element
/// (a shorter prefix first), sums by tag and then payload, floats with `-0.0 == 0.0` and NaN
/// equal to itself and above everything else. Values of different types compare by variant
/// order, which never matters for values of one column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlgebraicValue {
    /// A sum value: a tag and its payload.
    Sum(SumValue),
    /// A product value.
    Product(ProductValue),
    /// An array value.
    Array(Box<[AlgebraicValue]>),
    /// A `bool`.
    Bool(bool),
    /// An `i8`.
    I8(i8),
    /// A `u8`.
    U8(u8),
    /// An `i16`.
    I16(i16),
    /// A `u16`.
    U16(u16),
    /// An `i32`.
    I32(i32),
    /// A `u32`.
    U32(u32),
    /// An `i64`.
    I64(i64),
    /// A `u64`.
    U64(u64),
    /// An `i128`.
    I128(i128),
    /// A `u128`.
    U128(u128),
    /// An `i256`.
    I256(Box<i256>),
    /// A `u256`.
    U256(Box<u256>),
    /// An `f32` under the total order described above.
    F32(F32),
    /// An `f64` under the total order described above.
    F64(F64),
    /// A string.
    String(Box<str>),
}

/// A product value: its elements in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProductValue {
    /// The elements.
    pub elements: Box<[AlgebraicValue]>,
}

/// A sum value: which variant, and its payload.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SumValue {
    /// The variant's index.
    pub tag: u8,
    /// The payload (the unit product for a variant without data).
    pub value: Box<AlgebraicValue>,
}

macro_rules! total_float {
    ($name:ident, $f:ty, $bits:ty) => {
        /// A float under SpacetimeDB's total order: `-0.0` equals `0.0`, NaN equals every NaN and
        /// sorts above every number. The exact bits are kept, so encoding is lossless.
        #[derive(Debug, Clone, Copy)]
        pub struct $name(pub $f);

        impl $name {
            /// The bits used for equality and hashing: one zero, one NaN.
            fn canonical_bits(self) -> $bits {
                if self.0.is_nan() {
                    <$f>::NAN.to_bits()
                } else if self.0 == 0.0 {
                    0
                } else {
                    self.0.to_bits()
                }
            }
        }
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.canonical_bits() == other.canonical_bits()
            }
        }
        impl Eq for $name {}
        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.canonical_bits().hash(state)
            }
        }
        impl Ord for $name {
            fn cmp(&self, other: &Self) -> Ordering {
                match self.0.partial_cmp(&other.0) {
                    Some(ord) => ord,
                    None => self.0.is_nan().cmp(&other.0.is_nan()),
                }
            }
        }
        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }
        impl From<$f> for $name {
            fn from(v: $f) -> Self {
                Self(v)
            }
        }
    };
}
total_float!(F32, f32, u32);
total_float!(F64, f64, u64);

impl ProductValue {
    /// A product of `elements`.
    pub fn new(elements: impl Into<Box<[AlgebraicValue]>>) -> Self {
        Self { elements: elements.into() }
    }
}

impl AlgebraicValue {
    /// The empty product `()`.
    pub fn unit() -> Self {
        Self::Product(ProductValue::default())
    }
    /// A sum value with `tag` and `value`.
    pub fn sum(tag: u8, value: AlgebraicValue) -> Self {
        Self::Sum(SumValue { tag, value: Box::new(value) })
    }
    /// `Some(value)` of an `Option`.
    pub fn option_some(value: AlgebraicValue) -> Self {
        Self::sum(0, value)
    }
    /// `None` of an `Option`.
    pub fn option_none() -> Self {
        Self::sum(1, Self::unit())
    }
    /// A product of `elements`.
    pub fn product(elements: impl Into<Box<[AlgebraicValue]>>) -> Self {
        Self::Product(ProductValue::new(elements))
    }
    /// The product, if this is one.
    pub fn as_product(&self) -> Option<&ProductValue> {
        match self {
            Self::Product(p) => Some(p),
            _ => None,
        }
    }

    /// Decodes one value of type `ty` (whose `Ref`s point into `typespace`) from `r`.
    ///
    /// ```
    /// use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, Typespace};
    /// use worldtube_lib::bsatn::Reader;
    ///
    /// let ty = AlgebraicType::option(AlgebraicType::U16);
    /// let mut r = Reader::new(&[0, 7, 0]);
    /// let v = AlgebraicValue::decode(&ty, &Typespace::default(), &mut r).unwrap();
    /// assert_eq!(v, AlgebraicValue::option_some(AlgebraicValue::U16(7)));
    /// ```
    pub fn decode(ty: &AlgebraicType, typespace: &Typespace, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        use AlgebraicType as T;
        Ok(match ty {
            T::Ref(type_ref) => {
                let Some(target) = typespace.get(*type_ref) else {
                    return Err(r.custom(format!(
                        "type refers to &{}, which the typespace (of {} types) does not contain",
                        type_ref.0,
                        typespace.types.len()
                    )));
                };
                r.nested(|r| Self::decode(target, typespace, r))?
            }
            T::Sum(sum) => {
                let tag = take_tag(r, "sum", sum.variants.len())?;
                let variant_ty = &sum.variants[usize::from(tag)].algebraic_type;
                let value = r.nested(|r| Self::decode(variant_ty, typespace, r))?;
                Self::sum(tag, value)
            }
            T::Product(product) => {
                // Sized up front: collecting the `Result`s directly grows (and then shrinks) the
                // buffer, several reallocations per row on a host's insert path.
                let elements = r.nested(|r| {
                    let mut elements = Vec::with_capacity(product.elements.len());
                    for e in product.elements.iter() {
                        elements.push(Self::decode(&e.algebraic_type, typespace, r)?);
                    }
                    Ok(elements.into_boxed_slice())
                })?;
                Self::product(elements)
            }
            T::Array(array) => {
                let count = r.take_len("the length of an array")?;
                let elem = &*array.elem_ty;
                let min_size = min_encoded_size(elem, typespace);
                r.check_room(count, min_size, || format!("array of {count} {} values", elem.describe()))?;
                if min_size == 0 {
                    r.charge_zero_sized(count, || format!("an array of the zero-sized type {}", elem.describe()))?;
                }
                let mut items = Vec::with_capacity(count);
                r.nested(|r| {
                    for _ in 0..count {
                        items.push(Self::decode(elem, typespace, r)?);
                    }
                    Ok(())
                })?;
                Self::Array(items.into())
            }
            T::String => Self::String(<Box<str>>::decode(r)?),
            T::Bool => Self::Bool(bool::decode(r)?),
            T::I8 => Self::I8(i8::decode(r)?),
            T::U8 => Self::U8(u8::decode(r)?),
            T::I16 => Self::I16(i16::decode(r)?),
            T::U16 => Self::U16(u16::decode(r)?),
            T::I32 => Self::I32(i32::decode(r)?),
            T::U32 => Self::U32(u32::decode(r)?),
            T::I64 => Self::I64(i64::decode(r)?),
            T::U64 => Self::U64(u64::decode(r)?),
            T::I128 => Self::I128(i128::decode(r)?),
            T::U128 => Self::U128(u128::decode(r)?),
            T::I256 => Self::I256(Box::new(i256::decode(r)?)),
            T::U256 => Self::U256(Box::new(u256::decode(r)?)),
            T::F32 => Self::F32(F32(f32::decode(r)?)),
            T::F64 => Self::F64(F64(f64::decode(r)?)),
        })
    }

    /// Decodes a value of type `ty` that must use all of `bytes`.
    pub fn decode_exact(ty: &AlgebraicType, typespace: &Typespace, bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let value = Self::decode(ty, typespace, &mut r)?;
        r.finish()?;
        Ok(value)
    }
}

pub use crate::bsatn::MAX_ZERO_SIZED_ELEMENTS;

/// The fewest bytes a value of `ty` can occupy (0 for unresolvable refs: no claim is made).
fn min_encoded_size(ty: &AlgebraicType, typespace: &Typespace) -> usize {
    fn go(ty: &AlgebraicType, ts: &Typespace, fuel: &mut u32) -> usize {
        use AlgebraicType as T;
        if *fuel == 0 {
            return 0;
        }
        *fuel -= 1;
        match ty {
            T::Ref(r) => ts.get(*r).map_or(0, |t| go(t, ts, fuel)),
            T::Sum(_) => 1,
            T::Product(p) => p.elements.iter().map(|e| go(&e.algebraic_type, ts, fuel)).sum(),
            T::Array(_) | T::String => 4,
            T::Bool | T::I8 | T::U8 => 1,
            T::I16 | T::U16 => 2,
            T::I32 | T::U32 | T::F32 => 4,
            T::I64 | T::U64 | T::F64 => 8,
            T::I128 | T::U128 => 16,
            T::I256 | T::U256 => 32,
        }
    }
    // Bounded so that a recursive or enormous type cannot make this walk expensive.
    go(ty, typespace, &mut 1024)
}

impl Encode for AlgebraicValue {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::Sum(s) => {
                out.push(s.tag);
                s.value.encode(out);
            }
            Self::Product(p) => p.encode(out),
            Self::Array(items) => {
                encode_len(items.len(), out);
                for item in items.iter() {
                    item.encode(out);
                }
            }
            Self::Bool(v) => v.encode(out),
            Self::I8(v) => v.encode(out),
            Self::U8(v) => v.encode(out),
            Self::I16(v) => v.encode(out),
            Self::U16(v) => v.encode(out),
            Self::I32(v) => v.encode(out),
            Self::U32(v) => v.encode(out),
            Self::I64(v) => v.encode(out),
            Self::U64(v) => v.encode(out),
            Self::I128(v) => v.encode(out),
            Self::U128(v) => v.encode(out),
            Self::I256(v) => v.encode(out),
            Self::U256(v) => v.encode(out),
            Self::F32(v) => v.0.encode(out),
            Self::F64(v) => v.0.encode(out),
            Self::String(v) => v.encode(out),
        }
    }
}

impl Encode for ProductValue {
    fn encode(&self, out: &mut Vec<u8>) {
        for e in self.elements.iter() {
            e.encode(out);
        }
    }
}

macro_rules! value_from {
    ($($t:ty => $v:ident),*) => {$(
        impl From<$t> for AlgebraicValue {
            fn from(x: $t) -> Self { Self::$v(x.into()) }
        }
    )*};
}
value_from!(bool => Bool, i8 => I8, u8 => U8, i16 => I16, u16 => U16, i32 => I32, u32 => U32, i64 => I64,
    u64 => U64, i128 => I128, u128 => U128, f32 => F32, f64 => F64, String => String, &str => String,
    Box<str> => String, i256 => I256, u256 => U256, ProductValue => Product, SumValue => Sum);
