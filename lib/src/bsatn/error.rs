//! The one error type of BSATN decoding.

use std::fmt;

/// Why a BSATN decode failed, and at which byte.
///
/// Every decoder in this crate reports the offset (from the start of the input) of the byte where
/// the problem was found and what it expected there, so a malformed row or module definition can
/// be traced to its cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    offset: usize,
    kind: DecodeErrorKind,
}

/// The kinds of decode failure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended before a value was complete.
    UnexpectedEnd {
        /// What was being read (e.g. `"u32"`, `"string of 12 bytes"`).
        expected: String,
        /// Bytes needed.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A `bool` byte other than `0` or `1`.
    InvalidBool(u8),
    /// A sum tag that names no variant.
    InvalidTag {
        /// The sum type being decoded.
        sum: String,
        /// The tag byte found.
        tag: u8,
        /// How many variants the sum has.
        variants: usize,
    },
    /// String bytes that are not UTF-8.
    InvalidUtf8 {
        /// Offset of the first invalid byte, relative to the start of the string's bytes.
        valid_up_to: usize,
    },
    /// A fixed-size array whose length prefix differs from its size.
    LengthMismatch {
        /// The length the type requires.
        expected: usize,
        /// The length found on the wire.
        found: usize,
    },
    /// Bytes left over after a complete value, where none were allowed.
    TrailingBytes {
        /// How many bytes were left.
        count: usize,
    },
    /// Any other failure, described in words.
    Custom(String),
}

impl DecodeError {
    /// Makes an error of `kind` found at byte `offset`.
    pub fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        Self { offset, kind }
    }

    /// The byte offset, from the start of the input, at which the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What went wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BSATN decode error at byte {}: ", self.offset)?;
        match &self.kind {
            DecodeErrorKind::UnexpectedEnd { expected, needed, available } => {
                write!(f, "expected {expected} ({needed} bytes) but only {available} bytes remain")
            }
            DecodeErrorKind::InvalidBool(b) => {
                write!(f, "expected a bool (0x00 or 0x01) but found 0x{b:02x}")
            }
            DecodeErrorKind::InvalidTag { sum, tag, variants } => {
                write!(f, "invalid tag {tag} for {sum}, which has {variants} variant(s)")
            }
            DecodeErrorKind::InvalidUtf8 { valid_up_to } => {
                write!(f, "string is not valid UTF-8 (first invalid byte is {valid_up_to} bytes into it)")
            }
            DecodeErrorKind::LengthMismatch { expected, found } => {
                write!(f, "expected an array of exactly {expected} elements but its length prefix says {found}")
            }
            DecodeErrorKind::TrailingBytes { count } => {
                write!(f, "value is complete but {count} trailing bytes follow")
            }
            DecodeErrorKind::Custom(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for DecodeError {}
