//! The module definition: what a module tells its host about itself from `__describe_module__`.
//!
//! [`RawModuleDef`] wraps a [`RawModuleDefV9`]: the module's [typespace](crate::algebraic::Typespace),
//! [tables](RawTableDefV9) (with their indexes, constraints, sequences and schedules),
//! [reducers](RawReducerDefV9), [type names](RawTypeDefV9) and
//! [row-level security filters](RawRowLevelSecurityDefV9). Every struct's fields are in wire order
//! and every enum's variants in tag order, so the BSATN encoding is byte-identical to what
//! SpacetimeDB 1.3's SDK sends.
//!
//! [`RawModuleDefV9Builder`] assembles a definition the way the SDK's generated code does,
//! [`validate`] checks it against the host's rules, and the `generated_*_name` functions
//! reproduce the names the host gives unnamed indexes, constraints, sequences and schedules.
//!
//! [`RawModuleDef`] can also hold a [`RawModuleDefV10`], SpacetimeDB 2.x's sectioned definition:
//! its types live in [`v10`], with [`RawModuleDefV10Builder`] and [`validate_v10`].

mod builder;
mod col_list;
mod module;
mod names;
mod reducer;
mod table;
mod type_def;
pub mod v10;
#[cfg(feature = "host")]
mod validate;

pub use builder::{RawModuleDefV9Builder, RawTableDefBuilder};
pub use col_list::ColList;
pub use module::{RawMiscModuleExportV9, RawModuleDef, RawModuleDefV8, RawModuleDefV9, RawRowLevelSecurityDefV9};
pub use names::{
    column_name, generated_index_name, generated_schedule_name, generated_sequence_name,
    generated_unique_constraint_name, index_name_from_column_names,
};
pub use reducer::{Lifecycle, RawReducerDefV9};
pub use table::{
    RawConstraintDataV9, RawConstraintDefV9, RawIndexAlgorithm, RawIndexDefV9, RawScheduleDefV9, RawSequenceDefV9,
    RawTableDefV9, RawUniqueConstraintDataV9, TableAccess, TableType,
};
pub use type_def::{RawScopedTypeNameV9, RawTypeDefV9};
pub use v10::{RawModuleDefV10, RawModuleDefV10Builder, RawModuleDefV10Section, RawTableDefBuilderV10};
#[cfg(feature = "host")]
pub use validate::{
    identifier_problem, is_valid_identifier, validate, validate_v10, ModuleSummary, ModuleSummaryV10, TableSummary,
    ValidationError, ValidationErrorKind, MAX_SUBMODULE_NAMESPACE_LEN,
};
