use super::{hex, special_product, HexError};
use crate::u256;
use std::fmt;
use std::str::FromStr;

/// A user or database identity: a 256-bit number.
///
/// On the wire and across the host ABI it is 32 little-endian bytes; as text it is 64 hex digits
/// in big-endian order (most significant first), which is how users see identities.
///
/// ```
/// use worldtube_lib::Identity;
/// let id = Identity::from_u256(258u16.into());
/// assert_eq!(id.to_byte_array()[..2], [2, 1]);
/// assert!(id.to_hex().ends_with("0102"));
/// assert_eq!(id.to_hex().parse::<Identity>().unwrap(), id);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Identity {
    __identity__: u256,
}
special_product!(Identity, u256, __identity__, identity);

impl Identity {
    /// The all-zero identity.
    pub const ZERO: Self = Self::from_u256(u256::ZERO);
    /// The identity whose number is one.
    pub const ONE: Self = Self::from_u256(u256::ONE);

    /// From its 32 little-endian bytes (the wire and ABI order).
    pub fn from_byte_array(bytes: [u8; 32]) -> Self {
        Self::from_u256(u256::from_le_bytes(bytes))
    }
    /// From 32 big-endian bytes (the order of its hex text).
    pub fn from_be_byte_array(bytes: [u8; 32]) -> Self {
        Self::from_u256(u256::from_be_bytes(bytes))
    }
    /// From its number.
    pub const fn from_u256(value: u256) -> Self {
        Self { __identity__: value }
    }
    /// Its number.
    pub const fn to_u256(&self) -> u256 {
        self.__identity__
    }
    /// Its 32 little-endian bytes.
    pub fn to_byte_array(&self) -> [u8; 32] {
        self.__identity__.to_le_bytes()
    }
    /// Its 32 big-endian bytes.
    pub fn to_be_byte_array(&self) -> [u8; 32] {
        self.__identity__.to_be_bytes()
    }
    /// 64 lowercase hex digits, most significant first.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.to_be_byte_array())
    }
    /// The 8 most significant bytes.
    pub fn abbreviate(&self) -> [u8; 8] {
        let be = self.to_be_byte_array();
        [be[0], be[1], be[2], be[3], be[4], be[5], be[6], be[7]]
    }
    /// The first 16 hex digits.
    pub fn to_abbreviated_hex(&self) -> String {
        hex::encode(&self.abbreviate())
    }
    /// Parses 64 hex digits (optionally `0x`-prefixed), most significant first.
    pub fn from_hex(hex: impl AsRef<str>) -> Result<Self, HexError> {
        hex::decode::<32>(hex.as_ref()).map(Self::from_be_byte_array)
    }
    /// The identity SpacetimeDB derives for an OpenID Connect `issuer` and `subject`.
    ///
    /// BLAKE3 of `"{issuer}|{subject}"` gives 26 bytes of id; a checksum over `c2 00` and those
    /// bytes gives 4 more; the identity's big-endian bytes are `c2 00`, checksum, id, so every
    /// such identity's hex starts with `c200`. Needs the `claims` feature.
    #[cfg(feature = "claims")]
    pub fn from_claims(issuer: &str, subject: &str) -> Self {
        let hash = super::blake3::hash(format!("{issuer}|{subject}").as_bytes());
        let id = &hash[..26];
        let mut checksum_input = [0u8; 28];
        checksum_input[..2].copy_from_slice(&[0xc2, 0x00]);
        checksum_input[2..].copy_from_slice(id);
        let checksum = super::blake3::hash(&checksum_input);
        let mut be = [0u8; 32];
        be[..2].copy_from_slice(&[0xc2, 0x00]);
        be[2..6].copy_from_slice(&checksum[..4]);
        be[6..].copy_from_slice(id);
        Self::from_be_byte_array(be)
    }
    /// A placeholder identity (zero), as the official SDK offers for tests.
    #[doc(hidden)]
    pub fn __dummy() -> Self {
        Self::ZERO
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.to_hex())
    }
}
impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Identity(<hex>)`, as the official type prints (logs compare equal across SDKs).
        write!(f, "Identity({})", self.to_hex())
    }
}
impl FromStr for Identity {
    type Err = HexError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}
