//! V10 tables and what hangs off them: indexes, constraints, sequences and column defaults.

use crate::algebraic::AlgebraicTypeRef;
use crate::raw_def::{
    ColList, RawConstraintDataV9, RawIndexAlgorithm, RawUniqueConstraintDataV9, TableAccess, TableType,
};

/// The kinds of constraint in V10: unchanged from V9, so the same type.
pub type RawConstraintDataV10 = RawConstraintDataV9;
/// The columns of a V10 unique constraint: unchanged from V9, so the same type.
pub type RawUniqueConstraintDataV10 = RawUniqueConstraintDataV9;

/// A table in a V10 definition.
///
/// Compared with [`RawTableDefV9`](crate::raw_def::RawTableDefV9) the name is the *source*
/// (accessor) name, from which the host derives the canonical name through the module's
/// [case conversion policy](super::CaseConversionPolicy) or an [explicit name](super::ExplicitNames);
/// the schedule has moved to its own [section](super::RawModuleDefV10Section::Schedules); and two
/// fields are new: column default values and the event-table flag. Fields are in wire order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawTableDefV10 {
    /// The name the module's code knows the table by (the `accessor` of `#[table]`).
    pub source_name: Box<str>,
    /// The row type: a reference to a product in the typespace whose elements are all named.
    pub product_type_ref: AlgebraicTypeRef,
    /// The primary key column, or empty for none (more than one column is not supported).
    pub primary_key: ColList,
    /// The indexes.
    pub indexes: Vec<RawIndexDefV10>,
    /// The constraints.
    pub constraints: Vec<RawConstraintDefV10>,
    /// The sequences (`auto_inc` columns).
    pub sequences: Vec<RawSequenceDefV10>,
    /// Whether the system or the user made the table.
    pub table_type: TableType,
    /// Whether clients may read the table.
    pub table_access: TableAccess,
    /// Values for columns added by a later version of the module, so existing rows can be filled.
    pub default_values: Vec<RawColumnDefaultValueV10>,
    /// Whether this is an event table: rows inserted are published to subscribers and not kept.
    pub is_event: bool,
}
crate::__bsatn_def_product!(RawTableDefV10 {
    source_name,
    product_type_ref,
    primary_key,
    indexes,
    constraints,
    sequences,
    table_type,
    table_access,
    default_values,
    is_event,
});

/// A default value for one column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawColumnDefaultValueV10 {
    /// The column.
    pub col_id: u16,
    /// The value, BSATN-encoded at the column's type.
    pub value: Box<[u8]>,
}
crate::__bsatn_def_product!(RawColumnDefaultValueV10 { col_id, value });

/// An index on a V10 table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawIndexDefV10 {
    /// The index's source name. The official SDK always sets it (the host requires it): it joins
    /// the global namespace, and an [explicit index name](super::ExplicitNames) keyed by it gives
    /// the canonical name; without one the host generates
    /// [`generated_index_name`](crate::raw_def::generated_index_name) from the canonical table name.
    pub source_name: Option<Box<str>>,
    /// The name client code generation uses for the index's accessor.
    pub accessor_name: Option<Box<str>>,
    /// The kind of index and its columns.
    pub algorithm: RawIndexAlgorithm,
}
crate::__bsatn_def_product!(RawIndexDefV10 { source_name, accessor_name, algorithm });

/// A constraint on a V10 table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawConstraintDefV10 {
    /// Ignored by the host, which always generates
    /// [`generated_unique_constraint_name`](crate::raw_def::generated_unique_constraint_name); the
    /// SDK sends `None`.
    pub source_name: Option<Box<str>>,
    /// What is constrained.
    pub data: RawConstraintDataV10,
}
crate::__bsatn_def_product!(RawConstraintDefV10 { source_name, data });

/// A sequence on a V10 table: generates values for an `auto_inc` integer column.
///
/// `None` bounds take the host's defaults: start 1, minimum 1, maximum `i128::MAX`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawSequenceDefV10 {
    /// The sequence name; `None` (what the SDK sends) lets the host generate
    /// [`generated_sequence_name`](crate::raw_def::generated_sequence_name).
    pub source_name: Option<Box<str>>,
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
crate::__bsatn_def_product!(RawSequenceDefV10 { source_name, column, start, min_value, max_value, increment });
