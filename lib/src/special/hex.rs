//! Hexadecimal text for identities and connection ids (big-endian, as users see them).

use std::fmt;

/// Why a hex string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HexError {
    /// The string (without prefix) does not have exactly `expected` hex digits.
    WrongLength {
        /// Digits required.
        expected: usize,
        /// Digits found.
        found: usize,
    },
    /// A character that is not a hex digit.
    InvalidDigit {
        /// The offending character.
        c: char,
        /// Its position in the digits.
        index: usize,
    },
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { expected, found } => {
                write!(f, "expected {expected} hex digits, found {found}")
            }
            Self::InvalidDigit { c, index } => write!(f, "invalid hex digit {c:?} at position {index}"),
        }
    }
}

impl std::error::Error for HexError {}

/// Lowercase hex of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Parses exactly `N` bytes of hex, accepting a `0x` prefix or SQL's `X'…'` form.
pub(crate) fn decode<const N: usize>(text: &str) -> Result<[u8; N], HexError> {
    let digits = if let Some(rest) = text.strip_prefix("0x") {
        rest
    } else if let Some(rest) = text.strip_prefix("X'").and_then(|r| r.strip_suffix('\'')) {
        rest
    } else {
        text
    };
    let found = digits.chars().count();
    if found != N * 2 {
        return Err(HexError::WrongLength { expected: N * 2, found });
    }
    let mut out = [0u8; N];
    for (index, c) in digits.chars().enumerate() {
        let v = c.to_digit(16).ok_or(HexError::InvalidDigit { c, index })? as u8;
        out[index / 2] |= if index % 2 == 0 { v << 4 } else { v };
    }
    Ok(out)
}
