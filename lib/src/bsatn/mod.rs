//! BSATN, SpacetimeDB's binary wire format.
//!
//! BSATN writes a value as the concatenation of its parts with no framing or self-description;
//! the reader has to know the type. The rules (all integers little-endian):
//!
//! | type | bytes |
//! |---|---|
//! | `bool` | `0x00` or `0x01` (anything else is an error) |
//! | `u8`..`u128`, `i8`..`i128`, [`u256`](crate::u256), [`i256`](crate::i256) | the integer, little-endian |
//! | `f32`, `f64` | the IEEE-754 bits, little-endian (NaN payloads preserved) |
//! | `String`, `&str` | `u32` byte length, then UTF-8 |
//! | `Vec<T>`, `[T]`, `[T; N]` | `u32` element count, then each element (bytes are arrays of `u8`) |
//! | structs, tuples | each field in declaration order; `()` is zero bytes |
//! | enums | one tag byte (the variant's index), then its payload |
//! | `Option<T>` | `0` + `T` for `Some`, `1` for `None` |
//! | `Result<T, E>` | `0` + `T` for `Ok`, `1` + `E` for `Err` |
//! | `Bound<T>` | `0` + `T` included, `1` + `T` excluded, `2` unbounded |
//!
//! ```
//! use worldtube_lib::bsatn;
//!
//! let bytes = bsatn::to_vec(&(7u16, Some("hi".to_string())));
//! assert_eq!(bytes, [7, 0, 0, 2, 0, 0, 0, b'h', b'i']);
//! let back: (u16, Option<String>) = bsatn::from_slice(&bytes).unwrap();
//! assert_eq!(back, (7, Some("hi".into())));
//!
//! // Hostile input is an error that says what and where, never a panic.
//! let err = bsatn::from_slice::<String>(&[255, 255, 255, 255]).unwrap_err();
//! assert_eq!(err.offset(), 4);
//! ```

mod error;
mod impls;
mod macros;
#[doc(hidden)]
pub mod pod;
mod reader;

pub use error::{DecodeError, DecodeErrorKind};
pub(crate) use impls::{encode_len, take_tag};
pub use impls::{encode_tag, push_tag};
pub use reader::{Reader, MAX_DEPTH, MAX_ZERO_SIZED_ELEMENTS};

/// A Rust value with a BSATN encoding.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no BSATN encoding, so it cannot be a column, an argument or a field of one",
    label = "not a SpacetimeType",
    note = "derive it on your struct or enum: `#[derive(SpacetimeType)]`"
)]
pub trait Encode {
    /// A lower bound on the encoded size of any value of this type; lets an array reserve room
    /// for its elements up front. Only ever a hint: `0` is always correct.
    #[doc(hidden)]
    const MIN_ENCODED_SIZE: usize = 0;

    /// Appends the BSATN bytes of `self` to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Appends the BSATN bytes of each item, back to back (no length prefix).
    ///
    /// Types whose in-memory layout on a little-endian machine equals their encoding override this
    /// with a single copy; everyone else keeps the loop.
    #[doc(hidden)]
    #[inline]
    fn encode_elements(items: &[Self], out: &mut Vec<u8>)
    where
        Self: Sized,
    {
        for item in items {
            item.encode(out);
        }
    }
}

/// A Rust value that can be read back from BSATN, possibly borrowing from the input.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be decoded from BSATN, so it cannot be a column, an argument or a field of one",
    label = "not a SpacetimeType",
    note = "derive it on your struct or enum: `#[derive(SpacetimeType)]`"
)]
pub trait Decode<'de>: Sized {
    /// The fewest bytes any value of this type occupies; lets array decoding reject a claimed
    /// length the input cannot hold before allocating anything.
    const MIN_SIZE: usize = 0;

    /// Reads one value from `r`.
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError>;

    /// Reads `count` values back to back and appends them to `out`.
    ///
    /// Overridden, like [`Encode::encode_elements`], by types that can be copied in bulk.
    #[doc(hidden)]
    #[inline]
    fn decode_elements(r: &mut Reader<'de>, count: usize, out: &mut Vec<Self>) -> Result<(), DecodeError> {
        r.check_room(count, Self::MIN_SIZE, || format!("array of {count} elements"))?;
        if std::mem::size_of::<Self>() == 0 {
            // Values of a zero-sized type cost no bytes to claim; bound the loop.
            r.charge_zero_sized(count, || format!("an array of {count} zero-sized values"))?;
        }
        out.reserve(count.min(r.remaining()));
        for _ in 0..count {
            out.push(Self::decode(r)?);
        }
        Ok(())
    }

    /// Reads the `N` elements of a fixed-size array (its length prefix already checked).
    ///
    /// The default collects into a `Vec`; numbers override it with one copy and no allocation.
    #[doc(hidden)]
    #[inline]
    fn decode_array<const N: usize>(r: &mut Reader<'de>) -> Result<[Self; N], DecodeError> {
        let mut items = Vec::with_capacity(N);
        Self::decode_elements(r, N, &mut items)?;
        // `items` holds exactly N elements here.
        Ok(items.try_into().unwrap_or_else(|_| unreachable!()))
    }
}

/// A type that can be decoded without borrowing from the input.
pub trait DecodeOwned: for<'de> Decode<'de> {}
impl<T: for<'de> Decode<'de>> DecodeOwned for T {}

/// Encodes `value` as BSATN.
#[inline]
pub fn to_vec<T: Encode + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.encode(&mut out);
    out
}

/// Appends the BSATN encoding of `value` to `out`.
#[inline]
pub fn to_writer<T: Encode + ?Sized>(out: &mut Vec<u8>, value: &T) {
    value.encode(out)
}

/// Decodes a `T` that must use all of `bytes`.
///
/// Trailing bytes are an error here; use [`Reader`] to decode a value from the front of a longer
/// buffer (as the server does with a module's describe output).
#[inline]
pub fn from_slice<'de, T: Decode<'de>>(bytes: &'de [u8]) -> Result<T, DecodeError> {
    let mut r = Reader::new(bytes);
    let value = T::decode(&mut r)?;
    r.finish()?;
    Ok(value)
}
