//! The special types: products and sums the server recognises by shape and treats specially
//! (hex rendering, clocks, scheduling). Each is a thin wrapper whose BSATN is its inner integer.

#[cfg(feature = "claims")]
mod blake3;
mod connection_id;
mod hash;
mod hex;
mod identity;
mod keccak;
mod schedule_at;
mod time_duration;
mod timestamp;
pub(crate) mod uuid;

pub use connection_id::ConnectionId;
pub use hash::{hash_bytes, Hash, HASH_SIZE};
pub use hex::HexError;
pub use identity::Identity;
pub use schedule_at::ScheduleAt;
pub use time_duration::TimeDuration;
pub use timestamp::{Rfc3339Error, Timestamp};
pub use uuid::{Uuid, UuidParseError};

/// Implements BSATN and `SpacetimeType` for a newtype special type over its one integer field.
macro_rules! special_product {
    ($ty:ident, $inner:ty, $field:ident, $make:ident) => {
        impl $crate::bsatn::Encode for $ty {
            #[inline]
            fn encode(&self, out: &mut Vec<u8>) {
                $crate::bsatn::Encode::encode(&self.$field, out)
            }
        }
        impl<'de> $crate::bsatn::Decode<'de> for $ty {
            const MIN_SIZE: usize = std::mem::size_of::<$inner>();
            #[inline]
            fn decode(r: &mut $crate::bsatn::Reader<'de>) -> Result<Self, $crate::bsatn::DecodeError> {
                Ok(Self { $field: <$inner as $crate::bsatn::Decode>::decode(r)? })
            }
        }
        impl $crate::algebraic::SpacetimeType for $ty {
            fn make_type<S: $crate::algebraic::TypespaceBuilder>(_: &mut S) -> $crate::algebraic::AlgebraicType {
                $crate::algebraic::AlgebraicType::$make()
            }
        }
        impl From<$ty> for $crate::algebraic::AlgebraicValue {
            fn from(v: $ty) -> Self {
                Self::product([v.$field.into()])
            }
        }
    };
}
pub(crate) use special_product;
