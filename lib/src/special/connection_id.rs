use super::{hex, special_product, HexError};
use std::fmt;
use std::str::FromStr;

/// Identifies one client connection: a 128-bit number; zero means "no connection" (for
/// reducers the server itself runs: `init`, scheduled reducers).
///
/// Little-endian on the wire and across the ABI; big-endian hex as text.
///
/// ```
/// use worldtube_lib::ConnectionId;
/// assert_eq!(ConnectionId::ZERO.none_if_zero(), None);
/// let c = ConnectionId::from_u128(0xabc);
/// assert_eq!(c.to_hex(), "00000000000000000000000000000abc");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ConnectionId {
    __connection_id__: u128,
}
special_product!(ConnectionId, u128, __connection_id__, connection_id);

impl ConnectionId {
    /// The zero connection id ("none").
    pub const ZERO: Self = Self::from_u128(0);

    /// From its number.
    pub const fn from_u128(value: u128) -> Self {
        Self { __connection_id__: value }
    }
    /// Its number.
    pub const fn to_u128(&self) -> u128 {
        self.__connection_id__
    }
    /// From 16 little-endian bytes (wire and ABI order).
    pub const fn from_le_byte_array(bytes: [u8; 16]) -> Self {
        Self::from_u128(u128::from_le_bytes(bytes))
    }
    /// From 16 big-endian bytes (hex text order).
    pub const fn from_be_byte_array(bytes: [u8; 16]) -> Self {
        Self::from_u128(u128::from_be_bytes(bytes))
    }
    /// Its 16 little-endian bytes.
    pub const fn as_le_byte_array(&self) -> [u8; 16] {
        self.__connection_id__.to_le_bytes()
    }
    /// Its 16 big-endian bytes.
    pub const fn as_be_byte_array(&self) -> [u8; 16] {
        self.__connection_id__.to_be_bytes()
    }
    /// From a 16-byte big-endian slice.
    ///
    /// # Panics
    /// If the slice is not 16 bytes long.
    pub fn from_be_slice(slice: impl AsRef<[u8]>) -> Self {
        let bytes: [u8; 16] = slice.as_ref().try_into().expect("a connection id is exactly 16 bytes");
        Self::from_be_byte_array(bytes)
    }
    /// Parses 32 hex digits (optionally `0x`-prefixed), most significant first.
    pub fn from_hex(hex: &str) -> Result<Self, HexError> {
        hex::decode::<16>(hex).map(Self::from_be_byte_array)
    }
    /// 32 lowercase hex digits, most significant first.
    pub fn to_hex(self) -> String {
        hex::encode(&self.as_be_byte_array())
    }
    /// The 8 most significant bytes.
    pub fn abbreviate(&self) -> [u8; 8] {
        let be = self.as_be_byte_array();
        [be[0], be[1], be[2], be[3], be[4], be[5], be[6], be[7]]
    }
    /// The first 16 hex digits.
    pub fn to_abbreviated_hex(self) -> String {
        hex::encode(&self.abbreviate())
    }
    /// As an IPv6 address (a convenient 128-bit display form).
    pub fn to_ipv6(self) -> std::net::Ipv6Addr {
        std::net::Ipv6Addr::from(self.__connection_id__)
    }
    /// As IPv6 text.
    pub fn to_ipv6_string(self) -> String {
        self.to_ipv6().to_string()
    }
    /// `None` for the zero id, else `Some(self)`.
    pub fn none_if_zero(self) -> Option<Self> {
        (self != Self::ZERO).then_some(self)
    }
}

impl From<u128> for ConnectionId {
    fn from(value: u128) -> Self {
        Self::from_u128(value)
    }
}
impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.to_hex())
    }
}
impl fmt::Debug for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConnectionId").field(&format_args!("{self}")).finish()
    }
}
impl FromStr for ConnectionId {
    type Err = HexError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}
