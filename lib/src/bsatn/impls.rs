//! BSATN for the standard library's types.

use super::{Decode, DecodeError, DecodeErrorKind, Encode, Reader};
use std::ops::Bound;

// ---------------------------------------------------------------------------------------------
// Numbers: little-endian; slices of them are one memcpy on little-endian machines, where the
// in-memory layout already is the wire layout.

macro_rules! impl_number {
    ($($ty:ty),*) => {$(
        impl Encode for $ty {
            const MIN_ENCODED_SIZE: usize = std::mem::size_of::<$ty>();
            #[inline]
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn encode_elements(items: &[Self], out: &mut Vec<u8>) {
                #[cfg(target_endian = "little")]
                out.extend_from_slice(bytemuck::cast_slice(items));
                #[cfg(not(target_endian = "little"))]
                for item in items {
                    item.encode(out);
                }
            }
        }
        impl<'de> Decode<'de> for $ty {
            const MIN_SIZE: usize = std::mem::size_of::<$ty>();
            #[inline]
            fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
                Ok(<$ty>::from_le_bytes(r.take_array(stringify!($ty))?))
            }
            #[inline]
            fn decode_elements(r: &mut Reader<'de>, count: usize, out: &mut Vec<Self>) -> Result<(), DecodeError> {
                const SIZE: usize = std::mem::size_of::<$ty>();
                let bytes = r.take(count.saturating_mul(SIZE), || {
                    format!("array of {count} {} values", stringify!($ty))
                })?;
                #[cfg(target_endian = "little")]
                // SAFETY: a number is a `PodField`: no padding, every bit pattern valid, and its
                // memory on a little-endian machine is its wire encoding (IEEE bits for floats).
                unsafe { super::pod::pod_extend(out, bytes, count) };
                #[cfg(not(target_endian = "little"))]
                out.extend(bytes.chunks_exact(SIZE).map(|c| <$ty>::from_le_bytes(c.try_into().unwrap())));
                Ok(())
            }
            #[inline]
            fn decode_array<const N: usize>(r: &mut Reader<'de>) -> Result<[Self; N], DecodeError> {
                let bytes = r.take(N * std::mem::size_of::<$ty>(), || {
                    format!("array of {N} {} values", stringify!($ty))
                })?;
                let mut items = [<$ty>::default(); N];
                #[cfg(target_endian = "little")]
                bytemuck::cast_slice_mut::<$ty, u8>(&mut items).copy_from_slice(bytes);
                #[cfg(not(target_endian = "little"))]
                for (item, c) in items.iter_mut().zip(bytes.chunks_exact(std::mem::size_of::<$ty>())) {
                    *item = <$ty>::from_le_bytes(c.try_into().unwrap());
                }
                Ok(items)
            }
        }
    )*};
}
// Floats too: `to_le_bytes`/`from_le_bytes` of a float are its IEEE bits, so every NaN payload
// survives a round trip.
impl_number!(u8, u16, u32, u64, u128, i8, i16, i32, i64, i128, f32, f64);

impl Encode for bool {
    const MIN_ENCODED_SIZE: usize = 1;
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        out.push(*self as u8);
    }
}
impl<'de> Decode<'de> for bool {
    const MIN_SIZE: usize = 1;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let at = r.offset();
        match r.take_u8("bool")? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(DecodeError::new(at, DecodeErrorKind::InvalidBool(b))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strings.

impl Encode for str {
    const MIN_ENCODED_SIZE: usize = 4;
    // Out of line: a string is written by a call, not by a copy of the length prefix and the
    // copy at every field of every encoder (kilobytes of a module's wasm). One reservation for
    // both keeps the call cheap: `vec_string` encodes at 2.4× the official crate's throughput
    // (2.7× inline; 1.0× with the length prefix's writer out of line too, so it is not).
    #[inline(never)]
    fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(4 + self.len());
        encode_len(self.len(), out);
        out.extend_from_slice(self.as_bytes());
    }
}
impl Encode for String {
    const MIN_ENCODED_SIZE: usize = 4;
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_str().encode(out)
    }
}

// Borrowing for any lifetime the input outlives (as serde and the official sats do), so a
// derived `Foo<'a> { field: &'a str }` decodes from a `Reader<'de>` with `'de: 'a`.
impl<'de: 'a, 'a> Decode<'de> for &'a str {
    const MIN_SIZE: usize = 4;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let len = r.take_len("the length of a string")?;
        let at = r.offset();
        let bytes = r.take(len, || format!("a string of {len} bytes"))?;
        std::str::from_utf8(bytes).map_err(|e| {
            DecodeError::new(at + e.valid_up_to(), DecodeErrorKind::InvalidUtf8 { valid_up_to: e.valid_up_to() })
        })
    }
}
impl<'de> Decode<'de> for String {
    const MIN_SIZE: usize = 4;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        <&str>::decode(r).map(str::to_owned)
    }
}
impl<'de> Decode<'de> for Box<str> {
    const MIN_SIZE: usize = 4;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        <&str>::decode(r).map(Into::into)
    }
}

// ---------------------------------------------------------------------------------------------
// Arrays: a u32 count, then the elements.

/// Writes an array or string length prefix.
///
/// # Panics
/// If `len` exceeds `u32::MAX`: BSATN cannot represent it (and no wasm32 module can hold it).
#[inline]
pub(crate) fn encode_len(len: usize, out: &mut Vec<u8>) {
    let len = u32::try_from(len).expect("BSATN cannot encode a string or array longer than u32::MAX");
    out.extend_from_slice(&len.to_le_bytes());
}

impl<T: Encode> Encode for [T] {
    const MIN_ENCODED_SIZE: usize = 4;
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        // One allocation for the prefix and (at least the minimum of) the elements, instead of
        // growing from the 4-byte prefix.
        out.reserve(4 + self.len().saturating_mul(T::MIN_ENCODED_SIZE));
        encode_len(self.len(), out);
        T::encode_elements(self, out);
    }
}
impl<T: Encode> Encode for Vec<T> {
    const MIN_ENCODED_SIZE: usize = 4;
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_slice().encode(out)
    }
}
impl<T: Encode, const N: usize> Encode for [T; N] {
    const MIN_ENCODED_SIZE: usize = 4usize.saturating_add(N.saturating_mul(T::MIN_ENCODED_SIZE));
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        self.as_slice().encode(out)
    }
}

impl<'de, T: Decode<'de>> Decode<'de> for Vec<T> {
    const MIN_SIZE: usize = 4;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let count = r.take_len("the length of an array")?;
        let mut out = Vec::new();
        T::decode_elements(r, count, &mut out)?;
        Ok(out)
    }
}
impl<'de, T: Decode<'de>> Decode<'de> for Box<[T]> {
    const MIN_SIZE: usize = 4;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        Vec::decode(r).map(Vec::into_boxed_slice)
    }
}
impl<'de: 'a, 'a> Decode<'de> for &'a [u8] {
    const MIN_SIZE: usize = 4;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let len = r.take_len("the length of a byte array")?;
        r.take(len, || format!("a byte array of {len} bytes"))
    }
}
impl<'de, T: Decode<'de>, const N: usize> Decode<'de> for [T; N] {
    const MIN_SIZE: usize = 4 + N * T::MIN_SIZE;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let at = r.offset();
        let count = r.take_len("the length of an array")?;
        if count != N {
            return Err(DecodeError::new(at, DecodeErrorKind::LengthMismatch { expected: N, found: count }));
        }
        T::decode_array(r)
    }
}

// ---------------------------------------------------------------------------------------------
// Sums of the standard library.

/// Appends a sum's tag, out of line: what the module definition's encoders (which run once per
/// module) write tags with, so that each carries a call instead of a copy of `Vec::push`'s
/// growth check. Rows' encoders (the derive's, `Option`'s, `bool`'s) push inline
/// ([`push_tag`]): out of line there, a call per tag halves `event_enums`' encoding throughput.
#[doc(hidden)]
#[inline(never)]
pub fn encode_tag(tag: u8, out: &mut Vec<u8>) {
    out.push(tag);
}

/// Appends a sum's tag inline (see [`encode_tag`]).
#[doc(hidden)]
#[inline(always)]
pub fn push_tag(tag: u8, out: &mut Vec<u8>) {
    out.push(tag);
}

impl<T: Encode> Encode for Option<T> {
    const MIN_ENCODED_SIZE: usize = 1;
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Some(v) => {
                out.push(0);
                v.encode(out);
            }
            None => out.push(1),
        }
    }
}
impl<'de, T: Decode<'de>> Decode<'de> for Option<T> {
    const MIN_SIZE: usize = 1;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        match take_tag(r, "Option", 2)? {
            0 => T::decode(r).map(Some),
            _ => Ok(None),
        }
    }
}

impl<T: Encode, E: Encode> Encode for Result<T, E> {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Ok(v) => {
                out.push(0);
                v.encode(out);
            }
            Err(e) => {
                out.push(1);
                e.encode(out);
            }
        }
    }
}
impl<'de, T: Decode<'de>, E: Decode<'de>> Decode<'de> for Result<T, E> {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        match take_tag(r, "Result", 2)? {
            0 => T::decode(r).map(Ok),
            _ => E::decode(r).map(Err),
        }
    }
}

impl<T: Encode> Encode for Bound<T> {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Bound::Included(v) => {
                out.push(0);
                v.encode(out);
            }
            Bound::Excluded(v) => {
                out.push(1);
                v.encode(out);
            }
            Bound::Unbounded => out.push(2),
        }
    }
}
impl<'de, T: Decode<'de>> Decode<'de> for Bound<T> {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        match take_tag(r, "Bound", 3)? {
            0 => T::decode(r).map(Bound::Included),
            1 => T::decode(r).map(Bound::Excluded),
            _ => Ok(Bound::Unbounded),
        }
    }
}

/// Reads a sum tag and checks it is below `variants`.
#[inline]
pub(crate) fn take_tag(r: &mut Reader<'_>, sum: &'static str, variants: usize) -> Result<u8, DecodeError> {
    let at = r.offset();
    let tag = r.take_u8(sum)?;
    if usize::from(tag) < variants {
        Ok(tag)
    } else {
        Err(DecodeError::new(at, DecodeErrorKind::InvalidTag { sum: sum.into(), tag, variants }))
    }
}

// ---------------------------------------------------------------------------------------------
// Pointers are transparent.

impl<T: Encode + ?Sized> Encode for &T {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out)
    }
}
impl<T: Encode + ?Sized> Encode for Box<T> {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out)
    }
}
impl<T: Encode + ?Sized> Encode for std::rc::Rc<T> {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out)
    }
}
impl<T: Encode + ?Sized> Encode for std::sync::Arc<T> {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        (**self).encode(out)
    }
}
impl<'de, T: Decode<'de>> Decode<'de> for std::rc::Rc<T> {
    const MIN_SIZE: usize = T::MIN_SIZE;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        T::decode(r).map(std::rc::Rc::new)
    }
}
impl<'de, T: Decode<'de>> Decode<'de> for std::sync::Arc<T> {
    const MIN_SIZE: usize = T::MIN_SIZE;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        T::decode(r).map(std::sync::Arc::new)
    }
}
impl<'de, T: Decode<'de>> Decode<'de> for Box<T> {
    const MIN_SIZE: usize = T::MIN_SIZE;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        T::decode(r).map(Box::new)
    }
}

// ---------------------------------------------------------------------------------------------
// Tuples are products: their elements in order; `()` is zero bytes.

macro_rules! impl_tuple {
    ($($name:ident)*) => {
        impl<$($name: Encode),*> Encode for ($($name,)*) {
            #[inline]
            #[allow(non_snake_case, unused_variables)]
            fn encode(&self, out: &mut Vec<u8>) {
                let ($($name,)*) = self;
                $($name.encode(out);)*
            }
        }
        impl<'de, $($name: Decode<'de>),*> Decode<'de> for ($($name,)*) {
            const MIN_SIZE: usize = 0 $(+ $name::MIN_SIZE)*;
            #[inline]
            #[allow(unused_variables)]
            fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
                Ok(($($name::decode(r)?,)*))
            }
        }
    };
}
// Up to 32 elements: a reducer's arguments (at most 32) travel as one tuple.
impl_tuple!();
impl_tuple!(T0);
impl_tuple!(T0 T1);
impl_tuple!(T0 T1 T2);
impl_tuple!(T0 T1 T2 T3);
impl_tuple!(T0 T1 T2 T3 T4);
impl_tuple!(T0 T1 T2 T3 T4 T5);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24 T25);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24 T25 T26);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24 T25 T26 T27);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24 T25 T26 T27 T28);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24 T25 T26 T27 T28 T29);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24 T25 T26 T27 T28 T29 T30);
impl_tuple!(T0 T1 T2 T3 T4 T5 T6 T7 T8 T9 T10 T11 T12 T13 T14 T15 T16 T17 T18 T19 T20 T21 T22 T23 T24 T25 T26 T27 T28 T29 T30 T31);
