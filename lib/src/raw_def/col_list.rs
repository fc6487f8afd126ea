//! `ColList`: an ordered list of column positions.

use crate::bsatn::Encode;
#[cfg(feature = "host")]
use crate::bsatn::{Decode, DecodeError, Reader};

/// An ordered list of column positions within a table's row type.
///
/// Its BSATN is an array of `u16`. Order is kept as given (an index over `[2, 0]` differs from one
/// over `[0, 2]`); duplicates are not removed.
///
/// ```
/// use worldtube_lib::raw_def::ColList;
/// let cols = ColList::from([2u16, 0]);
/// assert_eq!(worldtube_lib::bsatn::to_vec(&cols), [2, 0, 0, 0, 2, 0, 0, 0]);
/// assert_eq!(cols.head(), Some(2));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ColList(pub Vec<u16>);

impl ColList {
    /// The empty list (as in a table without a primary key).
    pub fn empty() -> Self {
        Self(Vec::new())
    }
    /// The list holding just `col`.
    pub fn new(col: u16) -> Self {
        Self(vec![col])
    }
    /// The first column, if any.
    pub fn head(&self) -> Option<u16> {
        self.0.first().copied()
    }
    /// How many columns are listed.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether no column is listed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The columns, in order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.0.iter().copied()
    }
    /// Appends `col`.
    pub fn push(&mut self, col: u16) {
        self.0.push(col)
    }
    /// The columns sorted and deduplicated: what a unique constraint or an index covers as a set.
    pub fn to_set(&self) -> Vec<u16> {
        let mut set = self.0.clone();
        set.sort_unstable();
        set.dedup();
        set
    }
}

impl From<u16> for ColList {
    fn from(col: u16) -> Self {
        Self::new(col)
    }
}
impl<const N: usize> From<[u16; N]> for ColList {
    fn from(cols: [u16; N]) -> Self {
        Self(cols.to_vec())
    }
}
impl From<Vec<u16>> for ColList {
    fn from(cols: Vec<u16>) -> Self {
        Self(cols)
    }
}
impl From<&[u16]> for ColList {
    fn from(cols: &[u16]) -> Self {
        Self(cols.to_vec())
    }
}
impl FromIterator<u16> for ColList {
    fn from_iter<I: IntoIterator<Item = u16>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Encode for ColList {
    #[inline]
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out)
    }
}
#[cfg(feature = "host")]
impl<'de> Decode<'de> for ColList {
    const MIN_SIZE: usize = 4;
    #[inline]
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        Vec::decode(r).map(Self)
    }
}
