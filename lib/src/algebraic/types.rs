//! `AlgebraicType` and its parts: the type language of SpacetimeDB schemas.

use crate::bsatn::{encode_len, take_tag, Decode, DecodeError, Encode, Reader};

/// A reference to a type in a [`Typespace`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AlgebraicTypeRef(pub u32);

impl AlgebraicTypeRef {
    /// The index into [`Typespace::types`].
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// A SpacetimeDB type. The variant order is the BSATN tag used when types themselves are
/// encoded (for instance inside a module definition): `Ref` = 0 through `F64` = 19.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum AlgebraicType {
    /// A type defined in the typespace (tag 0).
    Ref(AlgebraicTypeRef),
    /// A tagged union (tag 1).
    Sum(SumType),
    /// A record or tuple (tag 2).
    Product(ProductType),
    /// A variable-length array (tag 3).
    Array(ArrayType),
    /// A UTF-8 string (tag 4).
    String,
    /// A boolean (tag 5).
    Bool,
    /// Tag 6.
    I8,
    /// Tag 7.
    U8,
    /// Tag 8.
    I16,
    /// Tag 9.
    U16,
    /// Tag 10.
    I32,
    /// Tag 11.
    U32,
    /// Tag 12.
    I64,
    /// Tag 13.
    U64,
    /// Tag 14.
    I128,
    /// Tag 15.
    U128,
    /// Tag 16.
    I256,
    /// Tag 17.
    U256,
    /// Tag 18.
    F32,
    /// Tag 19.
    F64,
}

/// A product type: named or unnamed elements in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProductType {
    /// The elements, in wire order.
    pub elements: Box<[ProductTypeElement]>,
}

/// One element of a [`ProductType`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProductTypeElement {
    /// The field name, if any.
    pub name: Option<Box<str>>,
    /// The field's type.
    pub algebraic_type: AlgebraicType,
}

impl ProductTypeElement {
    /// An element named `name` (or unnamed) of type `algebraic_type`. Not generic: generated code
    /// builds a product as `ProductType { elements: Box::new([ProductTypeElement::new(..), ..]) }`,
    /// which compiles to no conversion loop at all, where [`ProductType::new`] makes one per
    /// element count.
    ///
    /// ```
    /// use worldtube_lib::algebraic::{AlgebraicType, ProductType, ProductTypeElement};
    /// let p = ProductType { elements: Box::new([ProductTypeElement::new(Some("x"), AlgebraicType::I32)]) };
    /// assert_eq!(p, ProductType::new([(Some("x"), AlgebraicType::I32)]));
    /// ```
    pub fn new(name: Option<&str>, algebraic_type: AlgebraicType) -> Self {
        Self { name: name.map(Into::into), algebraic_type }
    }
}

/// A sum type: its variants, whose index is the BSATN tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SumType {
    /// The variants, in tag order.
    pub variants: Box<[SumTypeVariant]>,
}

/// One variant of a [`SumType`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SumTypeVariant {
    /// The variant name, if any.
    pub name: Option<Box<str>>,
    /// The payload type (the unit product for a variant without data).
    pub algebraic_type: AlgebraicType,
}

impl SumTypeVariant {
    /// A variant named `name` (or unnamed) with payload `algebraic_type`; not generic (see
    /// [`ProductTypeElement::new`]).
    ///
    /// ```
    /// use worldtube_lib::algebraic::{AlgebraicType, SumType, SumTypeVariant};
    /// let s = SumType { variants: Box::new([SumTypeVariant::new(Some("a"), AlgebraicType::unit())]) };
    /// assert_eq!(s, SumType::new([(Some("a"), AlgebraicType::unit())]));
    /// ```
    pub fn new(name: Option<&str>, algebraic_type: AlgebraicType) -> Self {
        Self { name: name.map(Into::into), algebraic_type }
    }
}

/// An array type. Encoded as just its element type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ArrayType {
    /// The element type.
    pub elem_ty: Box<AlgebraicType>,
}

/// The types a module defines, addressed by [`AlgebraicTypeRef`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Typespace {
    /// The types, indexed by `AlgebraicTypeRef`.
    pub types: Vec<AlgebraicType>,
}

impl Typespace {
    /// A typespace holding `types`.
    pub fn new(types: Vec<AlgebraicType>) -> Self {
        Self { types }
    }
    /// The type `r` refers to, if present.
    pub fn get(&self, r: AlgebraicTypeRef) -> Option<&AlgebraicType> {
        self.types.get(r.idx())
    }
    /// Follows `Ref`s from `ty` until a structural type, or `None` if one dangles or they loop.
    pub fn resolve<'a>(&'a self, mut ty: &'a AlgebraicType) -> Option<&'a AlgebraicType> {
        for _ in 0..=self.types.len() {
            match ty {
                AlgebraicType::Ref(r) => ty = self.get(*r)?,
                other => return Some(other),
            }
        }
        None
    }
}

// Names of the special types: a product or sum with exactly this shape is treated as the special
// type by the server (and rendered and validated accordingly).
/// Element name marking the `Identity` product.
pub const IDENTITY_TAG: &str = "__identity__";
/// Element name marking the `ConnectionId` product.
pub const CONNECTION_ID_TAG: &str = "__connection_id__";
/// Element name marking the `Timestamp` product.
pub const TIMESTAMP_TAG: &str = "__timestamp_micros_since_unix_epoch__";
/// Element name marking the `TimeDuration` product.
pub const TIME_DURATION_TAG: &str = "__time_duration_micros__";
/// Element name marking the `Uuid` product (a 2.x special type).
pub const UUID_TAG: &str = "__uuid__";

impl AlgebraicType {
    /// The empty product `()`.
    pub fn unit() -> Self {
        Self::Product(ProductType::default())
    }
    /// A product of `(name, type)` elements.
    pub fn product<N: Into<Box<str>>>(elements: impl IntoIterator<Item = (Option<N>, AlgebraicType)>) -> Self {
        Self::Product(ProductType::new(elements))
    }
    /// A sum of `(name, type)` variants.
    pub fn sum<N: Into<Box<str>>>(variants: impl IntoIterator<Item = (Option<N>, AlgebraicType)>) -> Self {
        Self::Sum(SumType::new(variants))
    }
    /// An array of `elem`.
    pub fn array(elem: AlgebraicType) -> Self {
        Self::Array(ArrayType { elem_ty: Box::new(elem) })
    }
    /// `Option<some>`: the sum `{ some: some, none: () }`.
    pub fn option(some: AlgebraicType) -> Self {
        Self::Sum(SumType {
            variants: Box::new([
                SumTypeVariant::new(Some("some"), some),
                SumTypeVariant::new(Some("none"), Self::unit()),
            ]),
        })
    }
    /// A special type: a product of one element, named `tag`, of type `ty`. Out of line: the
    /// special types' constructors are each a call to it.
    #[inline(never)]
    fn special(tag: &str, ty: Self) -> Self {
        Self::Product(ProductType { elements: Box::new([ProductTypeElement::new(Some(tag), ty)]) })
    }
    /// The `Identity` type: `{ __identity__: U256 }`.
    pub fn identity() -> Self {
        Self::special(IDENTITY_TAG, Self::U256)
    }
    /// The `ConnectionId` type: `{ __connection_id__: U128 }`.
    pub fn connection_id() -> Self {
        Self::special(CONNECTION_ID_TAG, Self::U128)
    }
    /// The `Timestamp` type: `{ __timestamp_micros_since_unix_epoch__: I64 }`.
    pub fn timestamp() -> Self {
        Self::special(TIMESTAMP_TAG, Self::I64)
    }
    /// The `TimeDuration` type: `{ __time_duration_micros__: I64 }`.
    pub fn time_duration() -> Self {
        Self::special(TIME_DURATION_TAG, Self::I64)
    }
    /// The `Uuid` type (2.x): `{ __uuid__: U128 }`.
    pub fn uuid() -> Self {
        Self::special(UUID_TAG, Self::U128)
    }
    /// `Result<ok, err>` (2.x): the sum `{ ok: ok, err: err }`.
    pub fn result(ok: AlgebraicType, err: AlgebraicType) -> Self {
        Self::Sum(SumType {
            variants: Box::new([SumTypeVariant::new(Some("ok"), ok), SumTypeVariant::new(Some("err"), err)]),
        })
    }
    /// The `ScheduleAt` type: `{ Interval: TimeDuration, Time: Timestamp }`.
    pub fn schedule_at() -> Self {
        Self::Sum(SumType {
            variants: Box::new([
                SumTypeVariant::new(Some("Interval"), Self::time_duration()),
                SumTypeVariant::new(Some("Time"), Self::timestamp()),
            ]),
        })
    }

    /// The product, if this is one.
    pub fn as_product(&self) -> Option<&ProductType> {
        match self {
            Self::Product(p) => Some(p),
            _ => None,
        }
    }
    /// The sum, if this is one.
    pub fn as_sum(&self) -> Option<&SumType> {
        match self {
            Self::Sum(s) => Some(s),
            _ => None,
        }
    }
    /// Whether this is the empty product.
    pub fn is_unit(&self) -> bool {
        matches!(self, Self::Product(p) if p.elements.is_empty())
    }
    /// Whether this is an integer type (the types a sequence may generate).
    pub fn is_integer(&self) -> bool {
        use AlgebraicType::*;
        matches!(self, I8 | U8 | I16 | U16 | I32 | U32 | I64 | U64 | I128 | U128 | I256 | U256)
    }
    /// Whether this is `F32` or `F64`.
    pub fn is_float(&self) -> bool {
        matches!(self, Self::F32 | Self::F64)
    }
    /// The `some` type, if this is an `Option`.
    pub fn as_option(&self) -> Option<&AlgebraicType> {
        self.as_sum().and_then(SumType::as_option)
    }
    /// Whether this is one of the special types recognised by shape: `Identity`, `ConnectionId`,
    /// `Timestamp`, `TimeDuration` (products) or `Option`, `ScheduleAt` (sums).
    pub fn is_special(&self) -> bool {
        match self {
            Self::Product(p) => p.special().is_some(),
            Self::Sum(s) => s.is_schedule_at() || s.as_option().is_some(),
            _ => false,
        }
    }

    /// Whether this type may be written inline where a column, parameter or field type is used,
    /// rather than as a `Ref` to a named type: anything but a product or sum, unless that product
    /// or sum is special, the unit, or the empty sum (arrays and options looked through).
    pub fn is_valid_inline_use(&self) -> bool {
        match self {
            Self::Sum(sum) => match sum.as_option() {
                Some(some) => some.is_valid_inline_use(),
                None => sum.is_schedule_at() || sum.variants.is_empty(),
            },
            Self::Product(p) => p.special().is_some() || p.elements.is_empty(),
            Self::Array(a) => a.elem_ty.is_valid_inline_use(),
            _ => true,
        }
    }
    /// Whether this is the `ScheduleAt` sum.
    pub fn is_schedule_at(&self) -> bool {
        matches!(self, Self::Sum(s) if s.is_schedule_at())
    }
    /// A short name for messages: `"U32"`, `"Array<String>"`, `"&3"`, `"Identity"`, ...
    pub fn describe(&self) -> String {
        match self {
            Self::Ref(r) => format!("&{}", r.0),
            Self::Array(a) => format!("Array<{}>", a.elem_ty.describe()),
            Self::Product(p) => match p.special() {
                Some(special) => special.name().into(),
                None if p.elements.is_empty() => "()".into(),
                None => "product".into(),
            },
            Self::Sum(s) if s.is_schedule_at() => "ScheduleAt".into(),
            Self::Sum(s) => match s.as_option() {
                Some(t) => format!("Option<{}>", t.describe()),
                None => "sum".into(),
            },
            other => format!("{other:?}"),
        }
    }
}

/// The special products, recognised by their single magic element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum SpecialProduct {
    /// `Identity`.
    Identity,
    /// `ConnectionId`.
    ConnectionId,
    /// `Timestamp`.
    Timestamp,
    /// `TimeDuration`.
    TimeDuration,
}

impl SpecialProduct {
    /// The Rust type name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "Identity",
            Self::ConnectionId => "ConnectionId",
            Self::Timestamp => "Timestamp",
            Self::TimeDuration => "TimeDuration",
        }
    }
}

impl ProductType {
    /// A product of `(name, type)` elements.
    pub fn new<N: Into<Box<str>>>(elements: impl IntoIterator<Item = (Option<N>, AlgebraicType)>) -> Self {
        Self {
            elements: elements
                .into_iter()
                .map(|(name, algebraic_type)| ProductTypeElement { name: name.map(Into::into), algebraic_type })
                .collect(),
        }
    }
    /// Which special type this is, judged as the server does: exactly one element with the magic
    /// name and the exact inner type.
    pub fn special(&self) -> Option<SpecialProduct> {
        let [only] = &*self.elements else { return None };
        let name = only.name.as_deref()?;
        match (name, &only.algebraic_type) {
            (IDENTITY_TAG, AlgebraicType::U256) => Some(SpecialProduct::Identity),
            (CONNECTION_ID_TAG, AlgebraicType::U128) => Some(SpecialProduct::ConnectionId),
            (TIMESTAMP_TAG, AlgebraicType::I64) => Some(SpecialProduct::Timestamp),
            (TIME_DURATION_TAG, AlgebraicType::I64) => Some(SpecialProduct::TimeDuration),
            _ => None,
        }
    }
    /// Whether this is the 2.x special type `Uuid`: exactly one element, `__uuid__: U128`. (Not
    /// one of the [`SpecialProduct`]s: 1.x servers treat it as an ordinary product.)
    pub fn is_uuid(&self) -> bool {
        matches!(&*self.elements, [only] if only.name.as_deref() == Some(UUID_TAG) && only.algebraic_type == AlgebraicType::U128)
    }
    /// The element named `name`, with its position.
    pub fn element(&self, name: &str) -> Option<(usize, &ProductTypeElement)> {
        self.elements.iter().enumerate().find(|(_, e)| e.name.as_deref() == Some(name))
    }
}

impl SumType {
    /// A sum of `(name, type)` variants.
    pub fn new<N: Into<Box<str>>>(variants: impl IntoIterator<Item = (Option<N>, AlgebraicType)>) -> Self {
        Self {
            variants: variants
                .into_iter()
                .map(|(name, algebraic_type)| SumTypeVariant { name: name.map(Into::into), algebraic_type })
                .collect(),
        }
    }
    /// The `ok` and `err` types if this is a `Result` (2.x): variants `ok(T)` then `err(E)`.
    pub fn as_result(&self) -> Option<(&AlgebraicType, &AlgebraicType)> {
        match &*self.variants {
            [ok, err] if ok.name.as_deref() == Some("ok") && err.name.as_deref() == Some("err") => {
                Some((&ok.algebraic_type, &err.algebraic_type))
            }
            _ => None,
        }
    }
    /// The `some` type if this is `Option`: variants `some(T)` then `none(())`, in that order.
    pub fn as_option(&self) -> Option<&AlgebraicType> {
        match &*self.variants {
            [some, none]
                if some.name.as_deref() == Some("some")
                    && none.name.as_deref() == Some("none")
                    && none.algebraic_type.is_unit() =>
            {
                Some(&some.algebraic_type)
            }
            _ => None,
        }
    }
    /// Whether this is `ScheduleAt`: `Interval(TimeDuration)` then `Time(Timestamp)`.
    pub fn is_schedule_at(&self) -> bool {
        match &*self.variants {
            [interval, time] => {
                interval.name.as_deref() == Some("Interval")
                    && interval.algebraic_type == AlgebraicType::time_duration()
                    && time.name.as_deref() == Some("Time")
                    && time.algebraic_type == AlgebraicType::timestamp()
            }
            _ => false,
        }
    }
    /// Whether every variant carries no data (such enums can be index keys).
    pub fn is_simple_enum(&self) -> bool {
        self.variants.iter().all(|v| v.algebraic_type.is_unit())
    }
}

// ---------------------------------------------------------------------------------------------
// BSATN of types themselves (module definitions carry them).

impl Encode for AlgebraicType {
    fn encode(&self, out: &mut Vec<u8>) {
        use AlgebraicType::*;
        let tag = match self {
            Ref(_) => 0,
            Sum(_) => 1,
            Product(_) => 2,
            Array(_) => 3,
            String => 4,
            Bool => 5,
            I8 => 6,
            U8 => 7,
            I16 => 8,
            U16 => 9,
            I32 => 10,
            U32 => 11,
            I64 => 12,
            U64 => 13,
            I128 => 14,
            U128 => 15,
            I256 => 16,
            U256 => 17,
            F32 => 18,
            F64 => 19,
        };
        crate::bsatn::encode_tag(tag, out);
        match self {
            Ref(r) => r.0.encode(out),
            Sum(s) => s.encode(out),
            Product(p) => p.encode(out),
            Array(a) => a.elem_ty.encode(out),
            _ => {}
        }
    }
}

impl<'de> Decode<'de> for AlgebraicType {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        use AlgebraicType::*;
        r.nested(|r| {
            Ok(match take_tag(r, "AlgebraicType", 20)? {
                0 => Ref(AlgebraicTypeRef(u32::decode(r)?)),
                1 => Sum(SumType::decode(r)?),
                2 => Product(ProductType::decode(r)?),
                3 => Array(ArrayType { elem_ty: Box::new(AlgebraicType::decode(r)?) }),
                4 => String,
                5 => Bool,
                6 => I8,
                7 => U8,
                8 => I16,
                9 => U16,
                10 => I32,
                11 => U32,
                12 => I64,
                13 => U64,
                14 => I128,
                15 => U128,
                16 => I256,
                17 => U256,
                18 => F32,
                _ => F64,
            })
        })
    }
}

impl Encode for ProductType {
    fn encode(&self, out: &mut Vec<u8>) {
        encode_len(self.elements.len(), out);
        for e in self.elements.iter() {
            e.name.as_deref().encode(out);
            e.algebraic_type.encode(out);
        }
    }
}
impl<'de> Decode<'de> for ProductType {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let elements: Vec<(Option<Box<str>>, AlgebraicType)> = Vec::decode(r)?;
        Ok(Self::new(elements))
    }
}
impl Encode for SumType {
    fn encode(&self, out: &mut Vec<u8>) {
        encode_len(self.variants.len(), out);
        for v in self.variants.iter() {
            v.name.as_deref().encode(out);
            v.algebraic_type.encode(out);
        }
    }
}
impl<'de> Decode<'de> for SumType {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let variants: Vec<(Option<Box<str>>, AlgebraicType)> = Vec::decode(r)?;
        Ok(Self::new(variants))
    }
}

impl Encode for AlgebraicTypeRef {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out)
    }
}
impl<'de> Decode<'de> for AlgebraicTypeRef {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        u32::decode(r).map(Self)
    }
}

impl Encode for Typespace {
    fn encode(&self, out: &mut Vec<u8>) {
        self.types.encode(out)
    }
}
impl<'de> Decode<'de> for Typespace {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        Vec::decode(r).map(Self::new)
    }
}
