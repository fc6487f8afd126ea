//! Tables and what hangs off them: indexes, constraints, sequences and schedules.

use super::ColList;
use crate::algebraic::AlgebraicTypeRef;
use crate::bsatn::Encode;
#[cfg(feature = "host")]
use crate::bsatn::{take_tag, Decode, DecodeError, Reader};

/// A table: its name, row type and the indexes, constraints, sequences and schedule on it.
///
/// Fields are in wire order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawTableDefV9 {
    /// The table name; a valid identifier, unique among the module's tables, indexes, constraints,
    /// sequences and schedules.
    pub name: Box<str>,
    /// The row type: a reference to a product in the typespace whose elements (the columns) are
    /// all named.
    pub product_type_ref: AlgebraicTypeRef,
    /// The primary key column, or empty for none (more than one column is not supported). It must
    /// also carry a unique constraint.
    pub primary_key: ColList,
    /// The indexes.
    pub indexes: Vec<RawIndexDefV9>,
    /// The constraints.
    pub constraints: Vec<RawConstraintDefV9>,
    /// The sequences (`auto_inc` columns).
    pub sequences: Vec<RawSequenceDefV9>,
    /// Set if this is a schedule table, whose rows trigger a reducer.
    pub schedule: Option<RawScheduleDefV9>,
    /// Whether the system or the user made the table.
    pub table_type: TableType,
    /// Whether clients may read the table.
    pub table_access: TableAccess,
}
crate::__bsatn_def_product!(RawTableDefV9 {
    name,
    product_type_ref,
    primary_key,
    indexes,
    constraints,
    sequences,
    schedule,
    table_type,
    table_access,
});

/// Who created a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum TableType {
    /// Tag 0: a system table (`st_...`), made by the host.
    System,
    /// Tag 1: a table the module declared. What every SDK-built table is.
    User,
}
crate::__bsatn_def_sum!(TableType { 0 => System, 1 => User });

/// Whether clients may read a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum TableAccess {
    /// Tag 0: any client may read and subscribe to it.
    Public,
    /// Tag 1: only the module (and the database owner) can read it. The SDK's default.
    Private,
}
crate::__bsatn_def_sum!(TableAccess { 0 => Public, 1 => Private });

/// An index on a table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawIndexDefV9 {
    /// The index name; `None` (what the SDK sends) lets the host generate
    /// [`generated_index_name`](super::generated_index_name), which the module then uses to look
    /// the index up.
    pub name: Option<Box<str>>,
    /// The name client code generation uses for the index's accessor; not stored by the host.
    pub accessor_name: Option<Box<str>>,
    /// The kind of index and its columns.
    pub algorithm: RawIndexAlgorithm,
}
crate::__bsatn_def_product!(RawIndexDefV9 { name, accessor_name, algorithm });

/// The data structure of an index and the columns it covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RawIndexAlgorithm {
    /// Tag 0: a B-tree over `columns`, in that order; supports range scans over prefixes.
    BTree {
        /// The indexed columns, in key order.
        columns: ColList,
    },
    /// Tag 1: a hash index. Defined by the format but rejected by SpacetimeDB 1.3 hosts.
    Hash {
        /// The indexed columns.
        columns: ColList,
    },
    /// Tag 2: a direct (array-indexed) index on one column of type `u8`, `u16`, `u32`, `u64` or
    /// an enum without payloads.
    Direct {
        /// The indexed column.
        column: u16,
    },
}

impl RawIndexAlgorithm {
    /// A B-tree index over `columns`.
    pub fn btree(columns: impl Into<ColList>) -> Self {
        Self::BTree { columns: columns.into() }
    }
    /// A direct index on `column`.
    pub fn direct(column: u16) -> Self {
        Self::Direct { column }
    }
    /// The columns the index covers, in key order.
    pub fn columns(&self) -> ColList {
        match self {
            Self::BTree { columns } | Self::Hash { columns } => columns.clone(),
            Self::Direct { column } => ColList::new(*column),
        }
    }
    /// The suffix of generated index names: `"btree"`, `"hash"` or `"direct"`.
    pub fn label(&self) -> &'static str {
        match self {
            Self::BTree { .. } => "btree",
            Self::Hash { .. } => "hash",
            Self::Direct { .. } => "direct",
        }
    }
}

// Each variant's payload is a one-field product, which encodes as just that field.
impl Encode for RawIndexAlgorithm {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::BTree { columns } => {
                out.push(0);
                columns.encode(out);
            }
            Self::Hash { columns } => {
                out.push(1);
                columns.encode(out);
            }
            Self::Direct { column } => {
                out.push(2);
                column.encode(out);
            }
        }
    }
}
#[cfg(feature = "host")]
impl<'de> Decode<'de> for RawIndexAlgorithm {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        Ok(match take_tag(r, "RawIndexAlgorithm", 3)? {
            0 => Self::BTree { columns: ColList::decode(r)? },
            1 => Self::Hash { columns: ColList::decode(r)? },
            _ => Self::Direct { column: u16::decode(r)? },
        })
    }
}

/// A constraint on a table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawConstraintDefV9 {
    /// The constraint name; `None` (what the SDK sends) lets the host generate
    /// [`generated_unique_constraint_name`](super::generated_unique_constraint_name).
    pub name: Option<Box<str>>,
    /// What is constrained.
    pub data: RawConstraintDataV9,
}
crate::__bsatn_def_product!(RawConstraintDefV9 { name, data });

/// The kinds of constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RawConstraintDataV9 {
    /// Tag 0: no two rows may agree on all the given columns.
    Unique(RawUniqueConstraintDataV9),
}
crate::__bsatn_def_sum!(RawConstraintDataV9 { 0 => Unique(data) });

/// The columns of a unique constraint. An index over exactly the same set of columns must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawUniqueConstraintDataV9 {
    /// The columns that are unique together.
    pub columns: ColList,
}
crate::__bsatn_def_product!(RawUniqueConstraintDataV9 { columns });

/// A sequence: generates values for an `auto_inc` integer column when a row is inserted with `0`
/// there.
///
/// `None` bounds take the host's defaults: start 1, minimum 1, maximum `i128::MAX`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawSequenceDefV9 {
    /// The sequence name; `None` (what the SDK sends) lets the host generate
    /// [`generated_sequence_name`](super::generated_sequence_name).
    pub name: Option<Box<str>>,
    /// The column it fills.
    pub column: u16,
    /// The first value.
    pub start: Option<i128>,
    /// The smallest value.
    pub min_value: Option<i128>,
    /// The largest value.
    pub max_value: Option<i128>,
    /// The step between values (the SDK sends 1).
    pub increment: i128,
}
crate::__bsatn_def_product!(RawSequenceDefV9 { name, column, start, min_value, max_value, increment });

/// Makes a table a schedule table: each row says when to call `reducer_name` with that row.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawScheduleDefV9 {
    /// The schedule name; `None` (what the SDK sends) lets the host generate
    /// [`generated_schedule_name`](super::generated_schedule_name).
    pub name: Option<Box<str>>,
    /// The reducer to call; it must take exactly one argument, the table's row type.
    pub reducer_name: Box<str>,
    /// The column of type `ScheduleAt` saying when.
    pub scheduled_at_column: u16,
}
crate::__bsatn_def_product!(RawScheduleDefV9 { name, reducer_name, scheduled_at_column });
