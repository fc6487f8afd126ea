//! Pointer rules shared by every generated glue function: NULL checks, length cells,
//! UTF-8 handling and the completion steps of each output protocol.

use std::borrow::Cow;

use crate::{HostError, HostResult, HttpOutcome, IndexPrefix, Memory, RowIterAdvance, SourceRead, Trap, Word};

fn non_null<W: Word>(ptr: W, what: &str) -> Result<(), Trap> {
    if ptr.is_null() {
        Err(Trap::new(format!("NULL pointer passed as {what}")))
    } else {
        Ok(())
    }
}

/// `(ptr, len)` bytes; NULL traps even for `len == 0`.
pub fn read_bytes<M: Memory + ?Sized>(mem: &M, ptr: M::Word, len: M::Word) -> Result<&[u8], Trap> {
    non_null(ptr, "a byte buffer")?;
    mem.read(ptr, len.to_usize()?)
}

/// `(ptr, len)` UTF-8; invalid UTF-8 traps.
pub fn read_str<M: Memory + ?Sized>(mem: &M, ptr: M::Word, len: M::Word) -> Result<&str, Trap> {
    std::str::from_utf8(read_bytes(mem, ptr, len)?)
        .map_err(|_| Trap::new("a name passed to the host is not valid UTF-8"))
}

/// `(ptr, len)` text with invalid UTF-8 replaced.
pub fn read_lossy<M: Memory + ?Sized>(mem: &M, ptr: M::Word, len: M::Word) -> Result<Cow<'_, str>, Trap> {
    Ok(String::from_utf8_lossy(read_bytes(mem, ptr, len)?))
}

/// Like [`read_lossy`], but a NULL pointer means "absent".
pub fn read_opt_lossy<M: Memory + ?Sized>(mem: &M, ptr: M::Word, len: M::Word) -> Result<Option<Cow<'_, str>>, Trap> {
    if ptr.is_null() {
        return Ok(None);
    }
    read_lossy(mem, ptr, len).map(Some)
}

/// The 16 bytes of a `ConnectionId` at a non-NULL address.
pub fn read_connection_id<M: Memory + ?Sized>(mem: &M, ptr: M::Word) -> Result<[u8; 16], Trap> {
    non_null(ptr, "a connection id pointer")?;
    let bytes = mem.read(ptr, 16)?;
    bytes.try_into().map_err(|_| Trap::new("a connection id must be 16 bytes"))
}

/// A line number where `u32::MAX` means "absent".
pub fn opt_line(line: u32) -> Option<u32> {
    (line != crate::NO_LINE_NUMBER).then_some(line)
}

/// An index prefix; the pointer is ignored (not even NULL-checked) when `elems == 0`.
pub fn read_index_prefix<M: Memory + ?Sized>(
    mem: &M,
    ptr: M::Word,
    len: M::Word,
    elems: u32,
) -> Result<IndexPrefix<'_>, Trap> {
    let elems =
        u16::try_from(elems).map_err(|_| Trap::new(format!("prefix_elems {elems} does not fit in a u16 column id")))?;
    let bytes = if elems == 0 { &[][..] } else { read_bytes(mem, ptr, len)? };
    Ok(IndexPrefix { bytes, elems })
}

fn read_len_cell<M: Memory + ?Sized>(mem: &M, len_ptr: M::Word) -> Result<usize, Trap> {
    non_null(len_ptr, "a length pointer")?;
    <M::Word as Word>::load(mem.read(len_ptr, <M::Word as Word>::SIZE)?).to_usize()
}

fn write_len_cell<M: Memory + ?Sized>(mem: &mut M, len_ptr: M::Word, len: usize) -> Result<(), Trap> {
    let cell = mem.read_mut(len_ptr, <M::Word as Word>::SIZE)?;
    <M::Word as Word>::from_usize(len)?.store(cell);
    Ok(())
}

/// `(ptr, len_ptr)` input: the `*len_ptr` bytes at `ptr`.
pub fn buffer<M: Memory + ?Sized>(mem: &M, ptr: M::Word, len_ptr: M::Word) -> Result<&[u8], Trap> {
    let len = read_len_cell(mem, len_ptr)?;
    non_null(ptr, "a buffer")?;
    mem.read(ptr, len)
}

/// `(ptr, len_ptr)` output: the writable `*len_ptr` bytes at `ptr`.
pub fn buffer_mut<M: Memory + ?Sized>(mem: &mut M, ptr: M::Word, len_ptr: M::Word) -> Result<&mut [u8], Trap> {
    let len = read_len_cell(mem, len_ptr)?;
    non_null(ptr, "a buffer")?;
    mem.read_mut(ptr, len)
}

/// Writes raw bytes to a non-NULL out-pointer.
pub fn write_bytes<M: Memory + ?Sized>(mem: &mut M, ptr: M::Word, bytes: &[u8]) -> Result<(), Trap> {
    non_null(ptr, "an out-pointer")?;
    mem.write(ptr, bytes)
}

/// Writes a `u32` (little-endian) to a non-NULL out-pointer.
pub fn write_u32<M: Memory + ?Sized>(mem: &mut M, ptr: M::Word, value: u32) -> Result<(), Trap> {
    write_bytes(mem, ptr, &value.to_le_bytes())
}

/// Writes a `u64` (little-endian) to a non-NULL out-pointer.
pub fn write_u64<M: Memory + ?Sized>(mem: &mut M, ptr: M::Word, value: u64) -> Result<(), Trap> {
    write_bytes(mem, ptr, &value.to_le_bytes())
}

/// Writes an `i64` (little-endian) to a non-NULL out-pointer.
pub fn write_i64<M: Memory + ?Sized>(mem: &mut M, ptr: M::Word, value: i64) -> Result<(), Trap> {
    write_bytes(mem, ptr, &value.to_le_bytes())
}

/// Insert/update completion: the generated values replace the row, `*len_ptr` their length.
pub fn write_back<M: Memory + ?Sized>(
    mem: &mut M,
    ptr: M::Word,
    len_ptr: M::Word,
    generated: &[u8],
) -> Result<(), Trap> {
    let capacity = read_len_cell(mem, len_ptr)?;
    if generated.len() > capacity {
        return Err(Trap::new(format!(
            "host bug: {} bytes of generated values do not fit the {capacity}-byte row buffer",
            generated.len()
        )));
    }
    mem.write(ptr, generated)?;
    write_len_cell(mem, len_ptr, generated.len())
}

/// Sink completion: `*len_ptr` becomes the number of bytes consumed.
pub fn write_consumed<M: Memory + ?Sized>(mem: &mut M, len_ptr: M::Word, consumed: usize) -> Result<(), Trap> {
    let offered = read_len_cell(mem, len_ptr)?;
    if consumed > offered {
        return Err(Trap::new(format!("host bug: consumed {consumed} of {offered} offered bytes")));
    }
    write_len_cell(mem, len_ptr, consumed)
}

/// The status-returning completion: run `on_ok` on success, turn an errno into its code.
pub fn finish_status<T>(outcome: HostResult<T>, on_ok: impl FnOnce(T) -> Result<(), Trap>) -> Result<u16, Trap> {
    match outcome {
        Ok(value) => on_ok(value).map(|()| 0),
        Err(HostError::Errno(errno)) => Ok(errno.code()),
        Err(HostError::Trap(trap)) => Err(trap),
    }
}

/// The completion of an import with a signed (`i16`) status that is never negative: like
/// [`finish_status`].
pub fn finish_signed_status<T>(outcome: HostResult<T>, on_ok: impl FnOnce(T) -> Result<(), Trap>) -> Result<i16, Trap> {
    let status = finish_status(outcome, on_ok)?;
    i16::try_from(status).map_err(|_| Trap::new(format!("errno {status} does not fit an i16 status")))
}

/// The HTTP completion: both handles and status 0 for a response, the first handle and
/// `HTTP_ERROR` for a failed request, nothing written for any other errno.
pub fn finish_http<M: Memory + ?Sized>(
    mem: &mut M,
    out: M::Word,
    outcome: HostResult<HttpOutcome>,
) -> Result<u16, Trap> {
    match outcome {
        Ok(HttpOutcome::Response { response, body }) => {
            let mut pair = [0u8; 8];
            pair[..4].copy_from_slice(&response.to_le_bytes());
            pair[4..].copy_from_slice(&body.to_le_bytes());
            write_bytes(mem, out, &pair)?;
            Ok(0)
        }
        Ok(HttpOutcome::Failed { error }) => {
            write_u32(mem, out, error)?;
            Ok(crate::Errno::HTTP_ERROR.code())
        }
        Err(HostError::Errno(errno)) => Ok(errno.code()),
        Err(HostError::Trap(trap)) => Err(trap),
    }
}

/// The result of a host method behind a `FillBuffer` output.
pub trait FillOutcome {
    /// The value for `*len_ptr`, the status, and whether the value is a count of bytes
    /// written (which must not exceed the capacity).
    fn into_raw(self) -> (usize, i16, bool);
}

impl FillOutcome for RowIterAdvance {
    fn into_raw(self) -> (usize, i16, bool) {
        match self {
            RowIterAdvance::More { written } => (written, 0, true),
            RowIterAdvance::Exhausted { written } => (written, crate::EXHAUSTED, true),
            RowIterAdvance::BufferTooSmall { needed } => (needed, crate::Errno::BUFFER_TOO_SMALL.code() as i16, false),
        }
    }
}

impl FillOutcome for SourceRead {
    fn into_raw(self) -> (usize, i16, bool) {
        let status = if self.exhausted { crate::EXHAUSTED } else { 0 };
        (self.written, status, true)
    }
}

/// The fill completion: write `*len_ptr`, return 0 / -1 / errno.
pub fn finish_fill<M: Memory + ?Sized>(
    mem: &mut M,
    len_ptr: M::Word,
    outcome: HostResult<impl FillOutcome>,
) -> Result<i16, Trap> {
    match outcome {
        Ok(outcome) => {
            let (len, status, is_written) = outcome.into_raw();
            let capacity = read_len_cell(mem, len_ptr)?;
            if is_written && len > capacity {
                return Err(Trap::new(format!("host bug: wrote {len} bytes into a {capacity}-byte buffer")));
            }
            write_len_cell(mem, len_ptr, len)?;
            Ok(status)
        }
        Err(HostError::Errno(errno)) => i16::try_from(errno.code())
            .map_err(|_| Trap::new(format!("errno {} does not fit an i16 status", errno.code()))),
        Err(HostError::Trap(trap)) => Err(trap),
    }
}
