//! The memcpy fast path for rows made only of numbers.
//!
//! A struct whose fields are all fixed-size numbers, laid out in memory in declaration order with
//! no padding, has the same bytes in memory (on a little-endian machine) as on the wire. Such rows
//! are copied in one go, singly and in slices, instead of field by field.
//! [`__bsatn_pod_product!`](crate::__bsatn_pod_product) checks the layout at compile time, so a
//! struct that does not qualify fails to build rather than encoding wrong bytes:
//!
//! ```
//! #[repr(C)]
//! struct Tick { at: u64, x: f32, y: f32 }
//! worldtube_lib::__bsatn_pod_product!(Tick { at: u64, x: f32, y: f32 });
//! let bytes = worldtube_lib::bsatn::to_vec(&vec![Tick { at: 1, x: 0.5, y: 2.0 }]);
//! assert_eq!(bytes.len(), 4 + 16);
//! ```
//!
//! ```compile_fail
//! #[repr(C)]
//! struct Padded { flag: u8, at: u64 } // 7 bytes of padding after `flag`
//! worldtube_lib::__bsatn_pod_product!(Padded { flag: u8, at: u64 });
//! ```
//!
//! ```compile_fail
//! #[repr(C)]
//! struct Lies { alive: bool } // listed as u8: the bulk copy could make an invalid bool
//! worldtube_lib::__bsatn_pod_product!(Lies { alive: u8 });
//! ```
//!
//! ```compile_fail
//! #[repr(C)]
//! struct WithBool { at: u64, alive: bool, b: u8, c: u16, d: u32 } // no padding, but a bool may be invalid
//! worldtube_lib::__bsatn_pod_product!(WithBool { at: u64, alive: bool, b: u8, c: u16, d: u32 });
//! ```

/// Number types whose in-memory bytes on a little-endian machine are their BSATN encoding, and
/// for which every bit pattern is a valid value.
///
/// # Safety
/// Implementors must be plain-old-data numbers: no padding, no invalid bit patterns, no
/// pointers, and BSATN equal to their little-endian memory representation.
#[doc(hidden)]
pub unsafe trait PodField: Copy + 'static {}

/// `unsafe impl PodField` for each type, with the one reason that covers them all.
macro_rules! pod_fields {
    ($($ty:ty),*) => {$(
        // SAFETY: fixed-size integers and IEEE floats: every bit pattern is valid, no padding,
        // and their BSATN is exactly their little-endian bytes.
        unsafe impl PodField for $ty {}
    )*};
}
pod_fields!(u8, u16, u32, u64, u128, i8, i16, i32, i64, i128, f32, f64);

/// The bytes of a slice of rows.
///
/// # Safety
/// `T` must consist only of [`PodField`]s laid out without padding (checked by the macro).
#[doc(hidden)]
#[inline]
pub unsafe fn pod_bytes<T: Copy>(items: &[T]) -> &[u8] {
    // SAFETY: per the contract, every byte of `items` is an initialised byte of some field.
    unsafe { std::slice::from_raw_parts(items.as_ptr().cast::<u8>(), std::mem::size_of_val(items)) }
}

/// Appends `count` rows copied from `bytes` (exactly `count * size_of::<T>()` long) to `out`.
///
/// # Safety
/// As for [`pod_bytes`]; additionally every bit pattern must be a valid `T`.
#[doc(hidden)]
#[inline]
pub unsafe fn pod_extend<T: Copy>(out: &mut Vec<T>, bytes: &[u8], count: usize) {
    assert_eq!(Some(bytes.len()), count.checked_mul(std::mem::size_of::<T>()));
    out.reserve(count);
    // SAFETY: the spare capacity holds at least `count` elements; any bit pattern is a valid `T`,
    // so after copying `bytes.len()` bytes those elements are initialised.
    unsafe {
        let dst = out.as_mut_ptr().add(out.len()).cast::<u8>();
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst, bytes.len());
        out.set_len(out.len() + count);
    }
}

/// Implements [`Encode`](crate::bsatn::Encode) and [`Decode`](crate::bsatn::Decode) for a struct
/// of numbers with the memcpy fast path on little-endian targets (field by field elsewhere).
///
/// Every field must be listed in declaration order with its type, and the struct's memory layout
/// must equal that order with no padding — true for `#[repr(C)]` structs whose fields are
/// ordered largest-first — or the build fails.
#[doc(hidden)]
#[macro_export]
macro_rules! __bsatn_pod_product {
    ($ty:ident { $($field:ident : $fty:ty),+ $(,)? }) => {
        const _: () = {
            // The layout proof: each field sits right after the previous one and nothing trails.
            let mut offset = 0usize;
            $(
                assert!(
                    ::core::mem::offset_of!($ty, $field) == offset,
                    concat!("field `", stringify!($field), "` of `", stringify!($ty), "` is not at its wire offset: use #[repr(C)] and order fields so no padding is needed")
                );
                offset += ::core::mem::size_of::<$fty>();
            )+
            assert!(offset == ::core::mem::size_of::<$ty>(), concat!("`", stringify!($ty), "` has trailing padding"));
            const fn pod_fields<T: $crate::bsatn::pod::PodField>() {}
            $( pod_fields::<$fty>(); )+
            // The listed types must be the fields' real types: the bulk path copies raw bytes, so a
            // field listed as `u8` but declared `bool` (or a payload-free enum) could otherwise
            // receive invalid values. Moving each field into its listed type proves it (no
            // coercion applies to a moved value).
            #[allow(dead_code)]
            fn field_types_are_as_listed(row: $ty) {
                $( let _: $fty = row.$field; )+
            }
        };
        impl ::core::marker::Copy for $ty {}
        impl ::core::clone::Clone for $ty {
            #[inline]
            fn clone(&self) -> Self { *self }
        }
        impl $crate::bsatn::Encode for $ty {
            #[inline]
            fn encode(&self, out: &mut ::std::vec::Vec<u8>) {
                $crate::bsatn::Encode::encode_elements(::core::slice::from_ref(self), out)
            }
            #[inline]
            fn encode_elements(items: &[Self], out: &mut ::std::vec::Vec<u8>) {
                #[cfg(target_endian = "little")]
                // SAFETY: the const block above proved the layout is the wire layout of PodFields.
                out.extend_from_slice(unsafe { $crate::bsatn::pod::pod_bytes(items) });
                #[cfg(not(target_endian = "little"))]
                for item in items {
                    $( $crate::bsatn::Encode::encode(&item.$field, out); )+
                }
            }
        }
        impl<'de> $crate::bsatn::Decode<'de> for $ty {
            const MIN_SIZE: usize = ::core::mem::size_of::<$ty>();
            #[inline]
            fn decode(r: &mut $crate::bsatn::Reader<'de>) -> ::core::result::Result<Self, $crate::bsatn::DecodeError> {
                ::core::result::Result::Ok(Self { $( $field: $crate::bsatn::Decode::decode(r)?, )+ })
            }
            #[inline]
            fn decode_elements(
                r: &mut $crate::bsatn::Reader<'de>,
                count: usize,
                out: &mut ::std::vec::Vec<Self>,
            ) -> ::core::result::Result<(), $crate::bsatn::DecodeError> {
                let size = ::core::mem::size_of::<$ty>();
                let bytes = r.take(count.saturating_mul(size), || {
                    ::std::format!("array of {count} {} rows", stringify!($ty))
                })?;
                #[cfg(target_endian = "little")]
                // SAFETY: layout proven above; every field accepts any bit pattern.
                unsafe { $crate::bsatn::pod::pod_extend(out, bytes, count) };
                #[cfg(not(target_endian = "little"))]
                {
                    let mut inner = $crate::bsatn::Reader::new(bytes);
                    for _ in 0..count {
                        out.push(<Self as $crate::bsatn::Decode>::decode(&mut inner)?);
                    }
                }
                ::core::result::Result::Ok(())
            }
        }
    };
}
