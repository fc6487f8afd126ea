//! 256-bit integers, as BSATN and SpacetimeDB's `U256`/`I256` column types need them.
//!
//! They are deliberately small: construction from and to bytes and 128-bit halves, comparison,
//! and decimal formatting. That is all a module needs to store and compare such values; the
//! types are not a general big-integer library.

#![allow(non_camel_case_types)]

use crate::bsatn::{Decode, DecodeError, Encode, Reader};
use std::cmp::Ordering;
use std::fmt;

/// An unsigned 256-bit integer (SpacetimeDB's `U256`).
///
/// ```
/// use worldtube_lib::u256;
/// let x = u256::from_words(1, 0); // 2^128
/// assert_eq!(x.to_string(), "340282366920938463463374607431768211456");
/// assert!(x > u256::from(u128::MAX));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct u256 {
    hi: u128,
    lo: u128,
}

/// A signed 256-bit integer (SpacetimeDB's `I256`), two's complement.
///
/// ```
/// use worldtube_lib::i256;
/// assert!(i256::from(-1i128) < i256::ZERO);
/// assert_eq!(i256::MIN.to_string().len(), 78);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct i256 {
    hi: i128,
    lo: u128,
}

impl u256 {
    /// Zero.
    pub const ZERO: Self = Self { hi: 0, lo: 0 };
    /// One.
    pub const ONE: Self = Self { hi: 0, lo: 1 };
    /// The largest value, 2^256 - 1.
    pub const MAX: Self = Self { hi: u128::MAX, lo: u128::MAX };
    /// The smallest value, zero.
    pub const MIN: Self = Self::ZERO;

    /// The value `hi * 2^128 + lo`.
    pub const fn from_words(hi: u128, lo: u128) -> Self {
        Self { hi, lo }
    }
    /// The high and low 128-bit halves.
    pub const fn into_words(self) -> (u128, u128) {
        (self.hi, self.lo)
    }
    /// From 32 little-endian bytes.
    pub fn from_le_bytes(bytes: [u8; 32]) -> Self {
        let (lo, hi) = split_le(bytes);
        Self { hi: u128::from_le_bytes(hi), lo: u128::from_le_bytes(lo) }
    }
    /// From 32 big-endian bytes.
    pub fn from_be_bytes(mut bytes: [u8; 32]) -> Self {
        bytes.reverse();
        Self::from_le_bytes(bytes)
    }
    /// As 32 little-endian bytes.
    pub fn to_le_bytes(self) -> [u8; 32] {
        join_le(self.lo.to_le_bytes(), self.hi.to_le_bytes())
    }
    /// As 32 big-endian bytes.
    pub fn to_be_bytes(self) -> [u8; 32] {
        let mut bytes = self.to_le_bytes();
        bytes.reverse();
        bytes
    }
    /// Divides by a small divisor, returning quotient and remainder (for decimal formatting).
    fn div_rem_small(self, d: u64) -> (Self, u64) {
        let d = u128::from(d);
        // Long division over four 64-bit limbs, most significant first.
        let limbs = [(self.hi >> 64) as u64, self.hi as u64, (self.lo >> 64) as u64, self.lo as u64];
        let mut rem: u128 = 0;
        let mut q = [0u64; 4];
        for (i, limb) in limbs.into_iter().enumerate() {
            let cur = (rem << 64) | u128::from(limb);
            q[i] = (cur / d) as u64;
            rem = cur % d;
        }
        let hi = (u128::from(q[0]) << 64) | u128::from(q[1]);
        let lo = (u128::from(q[2]) << 64) | u128::from(q[3]);
        (Self { hi, lo }, rem as u64)
    }
}

impl i256 {
    /// Zero.
    pub const ZERO: Self = Self { hi: 0, lo: 0 };
    /// One.
    pub const ONE: Self = Self { hi: 0, lo: 1 };
    /// The largest value, 2^255 - 1.
    pub const MAX: Self = Self { hi: i128::MAX, lo: u128::MAX };
    /// The smallest value, -2^255.
    pub const MIN: Self = Self { hi: i128::MIN, lo: 0 };

    /// The value `hi * 2^128 + lo` (two's complement: `hi` carries the sign).
    pub const fn from_words(hi: i128, lo: u128) -> Self {
        Self { hi, lo }
    }
    /// The high (signed) and low halves.
    pub const fn into_words(self) -> (i128, u128) {
        (self.hi, self.lo)
    }
    /// From 32 little-endian bytes.
    pub fn from_le_bytes(bytes: [u8; 32]) -> Self {
        let (lo, hi) = split_le(bytes);
        Self { hi: i128::from_le_bytes(hi), lo: u128::from_le_bytes(lo) }
    }
    /// From 32 big-endian bytes.
    pub fn from_be_bytes(mut bytes: [u8; 32]) -> Self {
        bytes.reverse();
        Self::from_le_bytes(bytes)
    }
    /// As 32 little-endian bytes.
    pub fn to_le_bytes(self) -> [u8; 32] {
        join_le(self.lo.to_le_bytes(), self.hi.to_le_bytes())
    }
    /// As 32 big-endian bytes.
    pub fn to_be_bytes(self) -> [u8; 32] {
        let mut bytes = self.to_le_bytes();
        bytes.reverse();
        bytes
    }
    /// Whether the value is below zero.
    pub const fn is_negative(self) -> bool {
        self.hi < 0
    }
    /// The magnitude as an unsigned value (exact, also for `MIN`).
    pub fn unsigned_abs(self) -> u256 {
        let (hi, lo) = (self.hi as u128, self.lo);
        if !self.is_negative() {
            return u256 { hi, lo };
        }
        // Two's complement negation: invert and add one.
        let (lo, carry) = (!lo).overflowing_add(1);
        u256 { hi: (!hi).wrapping_add(carry as u128), lo }
    }
}

fn split_le(bytes: [u8; 32]) -> ([u8; 16], [u8; 16]) {
    let mut lo = [0; 16];
    let mut hi = [0; 16];
    lo.copy_from_slice(&bytes[..16]);
    hi.copy_from_slice(&bytes[16..]);
    (lo, hi)
}

fn join_le(lo: [u8; 16], hi: [u8; 16]) -> [u8; 32] {
    let mut out = [0; 32];
    out[..16].copy_from_slice(&lo);
    out[16..].copy_from_slice(&hi);
    out
}

impl Ord for u256 {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.hi, self.lo).cmp(&(other.hi, other.lo))
    }
}
impl PartialOrd for u256 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for i256 {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.hi, self.lo).cmp(&(other.hi, other.lo))
    }
}
impl PartialOrd for i256 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

macro_rules! from_small {
    ($($t:ty),*) => {$(
        impl From<$t> for u256 {
            fn from(v: $t) -> Self { Self { hi: 0, lo: v.into() } }
        }
        impl From<$t> for i256 {
            fn from(v: $t) -> Self { Self { hi: 0, lo: v.into() } }
        }
    )*};
}
from_small!(u8, u16, u32, u64, u128, bool);

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for i256 {
            fn from(v: $t) -> Self {
                let v = i128::from(v);
                Self { hi: if v < 0 { -1 } else { 0 }, lo: v as u128 }
            }
        }
    )*};
}
from_signed!(i8, i16, i32, i64, i128);

impl fmt::Display for u256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const CHUNK: u64 = 10_000_000_000_000_000_000; // 10^19, the largest power of ten in a u64
        if self.hi == 0 {
            return fmt::Display::fmt(&self.lo, f);
        }
        let mut chunks = Vec::new();
        let mut n = *self;
        while n != u256::ZERO {
            let (q, r) = n.div_rem_small(CHUNK);
            chunks.push(r);
            n = q;
        }
        let mut s = chunks.pop().map(|c| c.to_string()).unwrap_or_default();
        for c in chunks.iter().rev() {
            s.push_str(&format!("{c:019}"));
        }
        f.pad_integral(true, "", &s)
    }
}
impl fmt::Display for i256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.unsigned_abs().to_string();
        f.pad_integral(!self.is_negative(), "", &digits)
    }
}
impl fmt::Debug for u256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl fmt::Debug for i256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

macro_rules! bsatn_256 {
    ($($t:ident),*) => {$(
        impl Encode for $t {
            #[inline]
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
        impl<'de> Decode<'de> for $t {
            const MIN_SIZE: usize = 32;
            #[inline]
            fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
                Ok(Self::from_le_bytes(r.take_array(stringify!($t))?))
            }
        }
    )*};
}
bsatn_256!(u256, i256);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_matches_u128_where_it_fits() {
        for v in [0u128, 1, 9, 10, u64::MAX as u128, u128::MAX] {
            assert_eq!(u256::from(v).to_string(), v.to_string());
            assert_eq!(i256::from(v as i128).to_string(), (v as i128).to_string());
        }
        assert_eq!(
            u256::MAX.to_string(),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        assert_eq!(
            i256::MIN.to_string(),
            "-57896044618658097711785492504343953926634992332820282019728792003956564819968"
        );
    }

    #[test]
    fn order_is_numeric() {
        assert!(i256::MIN < i256::from(-1i8));
        assert!(i256::from(-1i8) < i256::ZERO);
        assert!(i256::MAX > i256::from(u128::MAX));
        assert!(u256::from_words(1, 0) > u256::from_words(0, u128::MAX));
    }
}
