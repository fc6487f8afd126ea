//! Connecting Rust types to algebraic types.

use super::AlgebraicType;
use std::any::TypeId;

/// A Rust type with a SpacetimeDB [`AlgebraicType`].
///
/// Primitives, strings, arrays, options and the special types describe themselves inline. A
/// user-defined struct or enum (what `#[derive(SpacetimeType)]` produces) registers itself with
/// the [`TypespaceBuilder`] under a name and returns an [`AlgebraicType::Ref`] to that entry.
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, SpacetimeType};
/// use worldtube_lib::raw_def::RawModuleDefV9Builder;
///
/// let mut builder = RawModuleDefV9Builder::new();
/// assert_eq!(Option::<Vec<u8>>::make_type(&mut builder),
///            AlgebraicType::option(AlgebraicType::array(AlgebraicType::U8)));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SpacetimeType, so it cannot be a column, an argument or a field of one",
    label = "not a SpacetimeType",
    note = "derive it on your struct or enum: `#[derive(SpacetimeType)]`"
)]
pub trait SpacetimeType {
    /// The algebraic type of `Self`, registering any named types it needs in `typespace`.
    fn make_type<S: TypespaceBuilder>(typespace: &mut S) -> AlgebraicType;
}

/// Where named types are collected while a module describes itself.
pub trait TypespaceBuilder {
    /// Returns the type for the Rust type `typeid`, adding it under `name` if it is not yet
    /// known. `make_ty` builds the structural type; it may itself add types (recursively, even
    /// `typeid` itself, which must then resolve to the slot being built).
    fn add(
        &mut self,
        typeid: TypeId,
        name: Option<&'static str>,
        make_ty: impl FnOnce(&mut Self) -> AlgebraicType,
    ) -> AlgebraicType;
}

macro_rules! primitive {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl SpacetimeType for $t {
            #[inline]
            fn make_type<S: TypespaceBuilder>(_: &mut S) -> AlgebraicType { AlgebraicType::$v }
        }
    )*};
}
primitive!(
    bool => Bool, i8 => I8, u8 => U8, i16 => I16, u16 => U16, i32 => I32, u32 => U32, i64 => I64, u64 => U64,
    i128 => I128, u128 => U128, crate::i256 => I256, crate::u256 => U256, f32 => F32, f64 => F64,
    String => String, str => String, Box<str> => String,
);

impl SpacetimeType for () {
    fn make_type<S: TypespaceBuilder>(_: &mut S) -> AlgebraicType {
        AlgebraicType::unit()
    }
}

impl<T: SpacetimeType> SpacetimeType for Vec<T> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        AlgebraicType::array(T::make_type(ts))
    }
}
impl<T: SpacetimeType> SpacetimeType for [T] {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        AlgebraicType::array(T::make_type(ts))
    }
}
impl<T: SpacetimeType, const N: usize> SpacetimeType for [T; N] {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        AlgebraicType::array(T::make_type(ts))
    }
}
impl<T: SpacetimeType> SpacetimeType for Box<[T]> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        AlgebraicType::array(T::make_type(ts))
    }
}
impl<T: SpacetimeType> SpacetimeType for Option<T> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        AlgebraicType::option(T::make_type(ts))
    }
}
/// `Result<T, E>` is the sum `{ ok: T, err: E }` (a type of the 2.x API: 1.x servers reject it
/// inline, 2.x ones accept it, e.g. as a procedure's return type).
impl<T: SpacetimeType, E: SpacetimeType> SpacetimeType for Result<T, E> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        AlgebraicType::result(T::make_type(ts), E::make_type(ts))
    }
}
impl<T: SpacetimeType + ?Sized> SpacetimeType for &T {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        T::make_type(ts)
    }
}
impl<T: SpacetimeType + ?Sized> SpacetimeType for std::rc::Rc<T> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        T::make_type(ts)
    }
}
impl<T: SpacetimeType + ?Sized> SpacetimeType for std::sync::Arc<T> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        T::make_type(ts)
    }
}
impl<T: SpacetimeType> SpacetimeType for Box<T> {
    fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
        T::make_type(ts)
    }
}
