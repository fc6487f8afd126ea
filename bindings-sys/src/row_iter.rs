//! [`RowIter`]: the chunked row-iterator protocol, done right once.

use worldtube_abi::{Errno, ROW_ITER_CHUNK_SIZE};

use crate::raw;
use crate::status::{check, check_progress, Progress};

/// A host row iterator. Each step yields a batch of whole BSATN rows, concatenated (the caller
/// knows the row type and decodes them one after another).
///
/// Protocol: the buffer starts at [`RowIter::INITIAL_BUFFER_SIZE`] and grows to the size the
/// host reports with `BUFFER_TOO_SMALL`. When the host answers `-1` the iterator is exhausted
/// *and already destroyed by the host*, so it is not closed; an iterator dropped before that
/// point is closed exactly once.
#[derive(Debug)]
pub struct RowIter {
    /// 0 once exhausted (the host destroyed it) or closed.
    handle: u32,
    buffer: Vec<u8>,
    /// The length of the batch last returned by `next_batch`, at the front of `buffer`.
    batch_len: usize,
}

impl RowIter {
    /// Starting buffer size: two chunks.
    pub const INITIAL_BUFFER_SIZE: usize = 2 * ROW_ITER_CHUNK_SIZE;

    /// Takes ownership of a raw handle returned by a scan import. Handle 0 is an already
    /// exhausted iterator.
    pub fn from_handle(handle: u32) -> Self {
        RowIter { handle, buffer: Vec::new(), batch_len: 0 }
    }

    /// The raw handle (0 once exhausted or closed).
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// Whether the host has reported the end (or the iterator was closed).
    pub fn is_exhausted(&self) -> bool {
        self.handle == 0
    }

    /// The batch [`next_batch`](Self::next_batch) returned last (empty before the first call and
    /// at the end): lets a caller keep decoding it without holding the borrow.
    pub fn batch(&self) -> &[u8] {
        &self.buffer[..self.batch_len]
    }

    /// The next batch of rows, or `None` at the end. The slice is valid until the next call.
    pub fn next_batch(&mut self) -> Result<Option<&[u8]>, Errno> {
        self.batch_len = 0;
        if self.handle == 0 {
            return Ok(None);
        }
        if self.buffer.is_empty() {
            self.buffer = buffer_pool::take();
        }
        loop {
            let mut len = self.buffer.len();
            // SAFETY: `buffer` is writable for `len` bytes; `len` is a live usize.
            let status = unsafe { raw::row_iter_bsatn_advance(self.handle, self.buffer.as_mut_ptr(), &mut len) };
            match check_progress(status) {
                Ok(Progress::More) => {
                    self.batch_len = len;
                    return Ok(Some(&self.buffer[..len]));
                }
                Ok(Progress::Exhausted) => {
                    // The host destroyed the iterator; closing it now would be an error.
                    self.handle = 0;
                    self.batch_len = len;
                    return Ok((len > 0).then(|| &self.buffer[..len]));
                }
                Err(Errno::BUFFER_TOO_SMALL) if len > self.buffer.len() => {
                    // `len` now holds the size of the next chunk.
                    self.buffer.resize(len, 0);
                }
                Err(errno) => return Err(errno),
            }
        }
    }

    /// Reads every remaining batch and returns all rows concatenated.
    pub fn read_all(mut self) -> Result<Vec<u8>, Errno> {
        let mut rows = Vec::new();
        while let Some(batch) = self.next_batch()? {
            rows.extend_from_slice(batch);
        }
        Ok(rows)
    }

    /// Closes the iterator now (dropping does the same, ignoring the status).
    pub fn close(mut self) -> Result<(), Errno> {
        self.close_handle()
    }

    fn close_handle(&mut self) -> Result<(), Errno> {
        match std::mem::take(&mut self.handle) {
            0 => Ok(()),
            // SAFETY: no pointers.
            handle => check(unsafe { raw::row_iter_bsatn_close(handle) }),
        }
    }
}

/// Yields owned batches; prefer [`RowIter::next_batch`] to reuse the buffer.
impl Iterator for RowIter {
    type Item = Result<Vec<u8>, Errno>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_batch().map(|batch| batch.map(<[u8]>::to_vec)).transpose()
    }
}

impl Drop for RowIter {
    fn drop(&mut self) {
        // Nothing useful can be done with a failed close while dropping.
        let _ = self.close_handle();
        buffer_pool::give_back(std::mem::take(&mut self.buffer));
    }
}

/// Scan buffers, kept for reuse: a point lookup through a unique index is a scan, and allocating
/// (and zeroing) a fresh 64 KiB buffer for each would cost more than the lookup itself.
mod buffer_pool {
    use super::RowIter;
    use std::cell::RefCell;

    /// Enough for a few scans open at once (nested loops over tables).
    const KEPT: usize = 4;

    thread_local! {
        static POOL: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn take() -> Vec<u8> {
        // `try_with`: during thread exit the pool may already be gone; then just allocate.
        POOL.try_with(|pool| pool.borrow_mut().pop())
            .ok()
            .flatten()
            .unwrap_or_else(|| vec![0; RowIter::INITIAL_BUFFER_SIZE])
    }

    pub(super) fn give_back(buffer: Vec<u8>) {
        if buffer.is_empty() {
            return;
        }
        let _ = POOL.try_with(|pool| {
            let mut pool = pool.borrow_mut();
            if pool.len() < KEPT {
                pool.push(buffer);
            }
        });
    }
}
