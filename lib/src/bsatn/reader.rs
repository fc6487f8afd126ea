//! A cursor over BSATN input that knows its offset, so errors can say where they happened.

use super::{DecodeError, DecodeErrorKind};

/// A position in a byte slice being decoded.
///
/// Decoders take what they need with [`Reader::take`] and friends; every read checks that the
/// bytes are there first, so a hostile length never causes an allocation or a panic.
#[derive(Debug, Clone)]
pub struct Reader<'de> {
    buf: &'de [u8],
    pos: usize,
    depth: u32,
    /// Zero-sized values (unit products, empty structs) this input may still claim; see
    /// [`Reader::charge_zero_sized`].
    zero_sized_left: usize,
}

/// How many values occupying no bytes one input may claim in all: they cost nothing on the wire
/// but memory to hold, so without a budget a few bytes of nested array lengths could claim
/// gigabytes. Far beyond any real use.
pub const MAX_ZERO_SIZED_ELEMENTS: usize = 1 << 16;

/// How deeply recursive decoders (types, dynamically typed values) may nest before the input is
/// rejected; far beyond any real schema, and well inside a wasm module's stack.
pub const MAX_DEPTH: u32 = 256;

impl<'de> Reader<'de> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'de [u8]) -> Self {
        Self { buf, pos: 0, depth: 0, zero_sized_left: MAX_ZERO_SIZED_ELEMENTS }
    }

    /// Bytes consumed so far: the offset of the next byte to read.
    #[inline]
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Bytes not yet consumed.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The unconsumed rest of the input.
    #[inline]
    pub fn rest(&self) -> &'de [u8] {
        &self.buf[self.pos..]
    }

    /// An error of `kind` at the current offset.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.pos, kind)
    }

    /// An error at the current offset described in words.
    pub fn custom(&self, msg: impl Into<String>) -> DecodeError {
        self.error(DecodeErrorKind::Custom(msg.into()))
    }

    /// Takes the next `n` bytes; `what` names them in the error if they are not all there.
    #[inline]
    pub fn take(&mut self, n: usize, what: impl FnOnce() -> String) -> Result<&'de [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.eof(n, what()));
        }
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    /// Takes exactly `N` bytes as an array; `what` names the value being read.
    #[inline]
    pub fn take_array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], DecodeError> {
        match self.buf.get(self.pos..self.pos + N) {
            Some(bytes) => {
                self.pos += N;
                // The slice has length N by construction.
                let mut out = [0u8; N];
                out.copy_from_slice(bytes);
                Ok(out)
            }
            None => Err(self.eof(N, what.to_owned())),
        }
    }

    /// Takes one byte; `what` names it in the error.
    #[inline]
    pub fn take_u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.eof(1, what.to_owned())),
        }
    }

    /// Reads the `u32` length prefix of a string, byte string or array.
    #[inline]
    pub fn take_len(&mut self, what: &'static str) -> Result<usize, DecodeError> {
        let bytes = self.take_array::<4>(what)?;
        Ok(u32::from_le_bytes(bytes) as usize)
    }

    /// Fails if any input is left.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(self.error(DecodeErrorKind::TrailingBytes { count })),
        }
    }

    /// Checks that `count` elements of at least `min_size` bytes each can still be present, before
    /// anything is allocated for them.
    #[inline]
    pub fn check_room(&self, count: usize, min_size: usize, what: impl FnOnce() -> String) -> Result<(), DecodeError> {
        let needed = count.saturating_mul(min_size);
        if needed > self.remaining() {
            return Err(self.eof(needed, what()));
        }
        Ok(())
    }

    /// Runs `f` one nesting level deeper, failing once [`MAX_DEPTH`] is exceeded, so hostile
    /// input cannot exhaust the stack of a recursive decoder.
    #[inline]
    pub fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, DecodeError>) -> Result<T, DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.custom(format!("value nests deeper than the limit of {MAX_DEPTH} levels")));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// Charges `count` values that occupy no bytes (described by `what`) against this input's
    /// budget of [`MAX_ZERO_SIZED_ELEMENTS`], failing once it is spent.
    pub fn charge_zero_sized(&mut self, count: usize, what: impl FnOnce() -> String) -> Result<(), DecodeError> {
        match self.zero_sized_left.checked_sub(count) {
            Some(left) => {
                self.zero_sized_left = left;
                Ok(())
            }
            None => Err(self.custom(format!(
                "{} claims {count} values that occupy no bytes; one input may hold at most {MAX_ZERO_SIZED_ELEMENTS} in all",
                what()
            ))),
        }
    }

    #[cold]
    fn eof(&self, needed: usize, expected: String) -> DecodeError {
        self.error(DecodeErrorKind::UnexpectedEnd { expected, needed, available: self.remaining() })
    }
}
