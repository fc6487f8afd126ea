use super::{hex, HexError};
use crate::algebraic::{AlgebraicType, AlgebraicValue, SpacetimeType, TypespaceBuilder};
use crate::bsatn::{Decode, DecodeError, Encode, Reader};
use crate::u256;
use std::fmt;

/// The size of a [`Hash`](struct@Hash) in bytes.
pub const HASH_SIZE: usize = 32;

/// A 32-byte hash, stored as a `U256` column (its bytes little-endian); hex text is its bytes in
/// order. Payload-free and comparable, so it can key an index.
///
/// ```
/// use worldtube_lib::Hash;
/// let h = Hash::from_byte_array([0xab; 32]);
/// assert_eq!(h.to_hex(), "ab".repeat(32));
/// assert_eq!(Hash::from_hex(h.to_hex()).unwrap(), h);
/// assert_eq!(worldtube_lib::bsatn::to_vec(&h), [0xab; 32]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hash {
    /// The bytes.
    pub data: [u8; HASH_SIZE],
}

impl Hash {
    /// All zeros.
    pub const ZERO: Self = Self::from_byte_array([0; HASH_SIZE]);

    /// From its bytes.
    pub const fn from_byte_array(data: [u8; HASH_SIZE]) -> Self {
        Self { data }
    }
    /// From the `U256` it is stored as.
    pub fn from_u256(value: u256) -> Self {
        Self::from_byte_array(value.to_le_bytes())
    }
    /// As the `U256` it is stored as.
    pub fn to_u256(self) -> u256 {
        u256::from_le_bytes(self.data)
    }
    /// Lowercase hex of the bytes, in order.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.data)
    }
    /// The first 16 bytes.
    pub fn abbreviate(&self) -> &[u8; 16] {
        self.data[..16].try_into().expect("16 of 32 bytes")
    }
    /// Parses 64 hex digits (optionally `0x`-prefixed), the bytes in order.
    pub fn from_hex(hex: impl AsRef<str>) -> Result<Self, HexError> {
        hex::decode::<HASH_SIZE>(hex.as_ref()).map(Self::from_byte_array)
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.to_hex())
    }
}
impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}
impl std::str::FromStr for Hash {
    type Err = HexError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

impl Encode for Hash {
    const MIN_ENCODED_SIZE: usize = HASH_SIZE;
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        // A U256 is its little-endian bytes, which are exactly `data`.
        out.extend_from_slice(&self.data);
    }
}
impl<'de> Decode<'de> for Hash {
    const MIN_SIZE: usize = HASH_SIZE;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        Ok(Self::from_byte_array(r.take_array("Hash")?))
    }
}
impl SpacetimeType for Hash {
    fn make_type<S: TypespaceBuilder>(_: &mut S) -> AlgebraicType {
        AlgebraicType::U256
    }
}
impl From<Hash> for AlgebraicValue {
    fn from(h: Hash) -> Self {
        h.to_u256().into()
    }
}

/// The Keccak-256 hash of `bytes` (the official crate's `hash_bytes`).
///
/// ```
/// let h = worldtube_lib::hash::hash_bytes(b"");
/// assert_eq!(h.to_hex(), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
/// ```
pub fn hash_bytes(bytes: impl AsRef<[u8]>) -> Hash {
    Hash::from_byte_array(super::keccak::keccak256(bytes.as_ref()))
}
