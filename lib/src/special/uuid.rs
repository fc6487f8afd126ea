use super::{special_product, Timestamp};
use std::cell::Cell;
use std::fmt;
use std::str::FromStr;

/// Which kind of UUID a [`Uuid`] is, as its version bits say (see [`Uuid::get_version`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Version {
    /// The all-zero UUID, [`Uuid::NIL`].
    Nil = 0,
    /// Version 4: random bits.
    V4 = 4,
    /// Version 7: a millisecond Unix time, a counter and random bits; sorts by creation.
    V7 = 7,
    /// The all-ones UUID, [`Uuid::MAX`].
    Max = 0xff,
}

/// A universally unique identifier (RFC 9562): 128 bits, written as 32 hex digits in groups
/// `8-4-4-4-12`. A SpacetimeDB 2.x special type: a column or argument of this type is the
/// product `{ __uuid__: U128 }`, its BSATN the little-endian `u128`, and it orders by that
/// number (so version 7 UUIDs sort by creation time).
///
/// Modules make them with `ctx.new_uuid_v4()` / `ctx.new_uuid_v7()` (from the call's random
/// generator and clock), or from bytes with [`from_random_bytes_v4`](Self::from_random_bytes_v4)
/// and [`from_counter_v7`](Self::from_counter_v7).
///
/// ```
/// use worldtube_lib::uuid::{Uuid, Version};
/// let id: Uuid = "67e55044-10b1-426f-9247-bb680e5fe0c8".parse().unwrap();
/// assert_eq!(id.get_version(), Some(Version::V4));
/// assert_eq!(id.as_u128(), 0x67e5504410b1426f9247bb680e5fe0c8);
/// assert_eq!(id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
/// assert!(Uuid::NIL < id && id < Uuid::MAX);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid {
    __uuid__: u128,
}
special_product!(Uuid, u128, __uuid__, uuid);

/// Why text is not a UUID (see [`Uuid::parse_str`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UuidParseError {
    len: usize,
}

impl fmt::Display for UuidParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a UUID ({} characters): expected 32 hex digits, optionally hyphenated as 8-4-4-4-12, \
             in braces or after `urn:uuid:`",
            self.len
        )
    }
}

impl std::error::Error for UuidParseError {}

/// Sets the RFC variant bits (byte 8: `10xxxxxx`) and the version nibble (byte 6).
fn stamp(mut bytes: [u8; 16], version: u8) -> u128 {
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    bytes[6] = (bytes[6] & 0x0f) | (version << 4);
    u128::from_be_bytes(bytes)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// 32 hex digits, most significant first.
fn parse_digits(digits: impl Iterator<Item = u8>) -> Option<u128> {
    let mut value = 0u128;
    let mut count = 0;
    for c in digits {
        value = (value << 4) | u128::from(hex_value(c)?);
        count += 1;
    }
    (count == 32).then_some(value)
}

/// `8-4-4-4-12` hex digits.
fn parse_hyphenated(s: &[u8]) -> Option<u128> {
    if s.len() != 36 || [8, 13, 18, 23].iter().any(|&i| s[i] != b'-') {
        return None;
    }
    parse_digits(s.iter().enumerate().filter(|(i, _)| ![8, 13, 18, 23].contains(i)).map(|(_, &c)| c))
}

impl Uuid {
    /// The all-zero UUID, `00000000-0000-0000-0000-000000000000`.
    pub const NIL: Self = Self { __uuid__: 0 };

    /// The all-ones UUID, `ffffffff-ffff-ffff-ffff-ffffffffffff`.
    pub const MAX: Self = Self { __uuid__: u128::MAX };

    /// A version 4 UUID from 16 random bytes: the bytes as they are, but for the six version
    /// and variant bits. The bytes must already be random (`ctx.new_uuid_v4()` draws them from
    /// the call's generator).
    ///
    /// ```
    /// use worldtube_lib::uuid::Uuid;
    /// assert_eq!(Uuid::from_random_bytes_v4([0xff; 16]).to_string(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    /// ```
    pub fn from_random_bytes_v4(random_bytes: [u8; 16]) -> Self {
        Self { __uuid__: stamp(random_bytes, 4) }
    }

    /// A version 7 UUID: the 48-bit Unix time of `now` in milliseconds, then the 31-bit value
    /// of `counter` (which then steps by one, wrapping to 0 after 2³¹−1), then 31 bits of
    /// `random_bytes` (the top bit of its first byte is dropped), around the version and variant
    /// bits. Within one millisecond the counter keeps successive UUIDs in order.
    ///
    /// It never fails (the `Result` mirrors the official signature).
    ///
    /// # Panics
    /// If `now` is before the Unix epoch.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use worldtube_lib::uuid::Uuid;
    /// use worldtube_lib::Timestamp;
    /// let counter = Cell::new(5);
    /// let now = Timestamp::from_micros_since_unix_epoch(1_700_000_000_123_456);
    /// let a = Uuid::from_counter_v7(&counter, now, &[0xff; 4]).unwrap();
    /// let b = Uuid::from_counter_v7(&counter, now, &[0; 4]).unwrap();
    /// assert_eq!(a.to_string(), "018bcfe5-687b-7000-8000-000a7fffffff");
    /// assert!(a < b);
    /// assert_eq!(counter.get(), 7);
    /// ```
    pub fn from_counter_v7(
        counter: &Cell<u32>,
        now: Timestamp,
        random_bytes: &[u8; 4],
    ) -> Result<Self, std::convert::Infallible> {
        let count = counter.get();
        counter.set(count.wrapping_add(1) & 0x7fff_ffff);
        let micros = now.to_micros_since_unix_epoch();
        assert!(micros >= 0, "timestamp before unix epoch");
        let millis = ((micros / 1000) as u64) & 0xffff_ffff_ffff;

        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
        bytes[7] = (count >> 23) as u8;
        bytes[9] = (count >> 15) as u8;
        bytes[10] = (count >> 7) as u8;
        bytes[11] = ((count & 0x7f) << 1) as u8;
        bytes[12] = random_bytes[0] & 0x7f;
        bytes[13..].copy_from_slice(&random_bytes[1..]);
        Ok(Self { __uuid__: stamp(bytes, 7) })
    }

    /// Parses a UUID: 32 hex digits (either case), plain or hyphenated `8-4-4-4-12`, and the
    /// hyphenated form also in braces (`{…}`) or after `urn:uuid:`.
    ///
    /// ```
    /// use worldtube_lib::uuid::Uuid;
    /// let plain = Uuid::parse_str("67E5504410B1426F9247BB680E5FE0C8").unwrap();
    /// assert_eq!(Uuid::parse_str("{67e55044-10b1-426f-9247-bb680e5fe0c8}"), Ok(plain));
    /// assert_eq!(Uuid::parse_str("urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8"), Ok(plain));
    /// assert!(Uuid::parse_str("67e55044-10b1-426f-9247").is_err());
    /// ```
    pub fn parse_str(s: &str) -> Result<Self, UuidParseError> {
        let b = s.as_bytes();
        let value = match b.len() {
            32 => parse_digits(b.iter().copied()),
            36 => parse_hyphenated(b),
            38 if b[0] == b'{' && b[37] == b'}' => parse_hyphenated(&b[1..37]),
            45 if b[..9].eq_ignore_ascii_case(b"urn:uuid:") => parse_hyphenated(&b[9..]),
            _ => None,
        };
        value.map(Self::from_u128).ok_or(UuidParseError { len: s.chars().count() })
    }

    /// The kind of UUID its version bits name: `None` for versions other than 4 and 7, and for
    /// version nibbles 0 and 15 unless the UUID is [`NIL`](Self::NIL) or [`MAX`](Self::MAX).
    pub fn get_version(&self) -> Option<Version> {
        match (self.__uuid__ >> 76) & 0xf {
            0 if *self == Self::NIL => Some(Version::Nil),
            4 => Some(Version::V4),
            7 => Some(Version::V7),
            0xf if *self == Self::MAX => Some(Version::Max),
            _ => None,
        }
    }

    /// From its 128-bit number (the first hex digit is the most significant).
    pub const fn from_u128(value: u128) -> Self {
        Self { __uuid__: value }
    }

    /// Its 128-bit number.
    pub const fn as_u128(&self) -> u128 {
        self.__uuid__
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 36];
        let mut at = 0;
        for (i, byte) in self.__uuid__.to_be_bytes().into_iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out[at] = b'-';
                at += 1;
            }
            out[at] = DIGITS[usize::from(byte >> 4)];
            out[at + 1] = DIGITS[usize::from(byte & 0xf)];
            at += 2;
        }
        // All ASCII by construction.
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

impl FromStr for Uuid {
    type Err = UuidParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_str(s)
    }
}
