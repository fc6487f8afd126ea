//! Rows: a stored row (its value and its BSATN bytes), row ids, and the bytes key that gives a
//! table set semantics.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use worldtube_lib::algebraic::ProductValue;
use worldtube_lib::bsatn;

/// The largest encoding buffer [`Row::new`] keeps for the next row.
const MAX_SCRATCH: usize = 64 * 1024;

/// A row's stable identity within its table. Ids increase with insertion, so row-id order is
/// insertion order (a full table scan's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowId(pub u64);

/// A stored row: its value and its BSATN encoding.
///
/// The bytes are kept so that row iterators, set semantics and deletes by value never encode a
/// stored row again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    value: ProductValue,
    bytes: Box<[u8]>,
}

impl Row {
    /// A row holding `value`, encoded once.
    pub fn new(value: ProductValue) -> Self {
        // Encoding into a fresh `Vec` grows it a few times and then shrinks it into the box, a
        // reallocation each (7 % of a bulk load). A per-thread buffer keeps its size between
        // rows, so the box is one exact allocation.
        thread_local!(static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) });
        let bytes = SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                bsatn::to_writer(&mut buf, &value);
                let bytes = Box::from(buf.as_slice());
                // Don't hold on to the buffer of an exceptionally large row.
                if buf.capacity() > MAX_SCRATCH {
                    *buf = Vec::new();
                }
                bytes
            }
            Err(_) => bsatn::to_vec(&value).into_boxed_slice(),
        });
        Row { value, bytes }
    }
    /// The row's value.
    pub fn value(&self) -> &ProductValue {
        &self.value
    }
    /// The row's BSATN bytes (what a row iterator yields).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A row used as a key by its bytes (set semantics: two rows are the same row when their
/// encodings are equal).
#[derive(Debug, Clone)]
pub(super) struct RowBytes(pub(super) Arc<Row>);

impl PartialEq for RowBytes {
    fn eq(&self, other: &Self) -> bool {
        self.0.bytes == other.0.bytes
    }
}
impl Eq for RowBytes {}
impl Hash for RowBytes {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.bytes.hash(state)
    }
}
impl std::borrow::Borrow<[u8]> for RowBytes {
    fn borrow(&self) -> &[u8] {
        &self.0.bytes
    }
}
