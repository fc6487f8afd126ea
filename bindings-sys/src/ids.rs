//! Typed ids, so a table id cannot be passed where an index id is expected.

/// A table, as returned by [`table_id_from_name`](crate::table_id_from_name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct TableId(pub u32);

/// An index, as returned by [`index_id_from_name`](crate::index_id_from_name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct IndexId(pub u32);

/// A column position (also used as a count of key columns). Crosses the ABI as a `u32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct ColId(pub u16);

/// A console timer, as returned by [`console_timer_start`](crate::console_timer_start).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct TimerId(pub u32);
