//! [`BytesSource`] and [`BytesSink`]: the byte-stream handles of reducer calls.

use worldtube_abi::{Errno, INVALID_HANDLE};

use crate::raw;
use crate::status::{check, check_progress, Progress};

/// A readable byte stream owned by the host (e.g. a reducer's arguments).
#[derive(Debug, PartialEq, Eq)]
pub struct BytesSource(u32);

impl BytesSource {
    /// The empty source: what `__call_reducer__` gets when the arguments are empty. It is never
    /// passed to the host.
    pub const EMPTY: BytesSource = BytesSource(INVALID_HANDLE);

    /// Wraps a raw handle (0 = empty).
    pub fn from_raw(handle: u32) -> Self {
        BytesSource(handle)
    }

    /// The raw handle.
    pub fn raw(&self) -> u32 {
        self.0
    }

    /// Appends everything left in the source to `out`. The host destroys the source when the
    /// last bytes are delivered, hence `self` by value.
    pub fn read_to_end(self, out: &mut Vec<u8>) -> Result<(), Errno> {
        if self.0 == INVALID_HANDLE {
            return Ok(());
        }
        loop {
            // Zero-filled spare room (never uninitialised memory) of at least 1 KiB, growing
            // with the data so large arguments need few calls.
            let start = out.len();
            let room = start.max(1024);
            out.resize(start + room, 0);
            let mut len = room;
            // SAFETY: `out[start..]` is writable for `len` bytes; `len` is a live usize.
            let status = unsafe { raw::bytes_source_read(self.0, out[start..].as_mut_ptr(), &mut len) };
            let progress = check_progress(status);
            out.truncate(start + if progress.is_ok() { len.min(room) } else { 0 });
            match progress? {
                Progress::More => continue,
                Progress::Exhausted => return Ok(()),
            }
        }
    }

    /// Everything in the source.
    pub fn read_all(self) -> Result<Vec<u8>, Errno> {
        let mut out = Vec::new();
        self.read_to_end(&mut out)?;
        Ok(out)
    }
}

/// A writable byte stream owned by the host (module description, reducer error message).
#[derive(Debug, PartialEq, Eq)]
pub struct BytesSink(u32);

impl BytesSink {
    /// Wraps a raw handle.
    pub fn from_raw(handle: u32) -> Self {
        BytesSink(handle)
    }

    /// The raw handle.
    pub fn raw(&self) -> u32 {
        self.0
    }

    /// Writes all of `bytes`, calling the host until it has consumed everything. A host that
    /// consumes nothing is reported as `NO_SPACE` instead of looping forever.
    pub fn write_all(&self, mut bytes: &[u8]) -> Result<(), Errno> {
        while !bytes.is_empty() {
            let mut len = bytes.len();
            // SAFETY: `bytes` is valid for `len` bytes; `len` is a live usize.
            check(unsafe { raw::bytes_sink_write(self.0, bytes.as_ptr(), &mut len) })?;
            if len == 0 {
                return Err(Errno::NO_SPACE);
            }
            bytes = &bytes[len.min(bytes.len())..];
        }
        Ok(())
    }
}
