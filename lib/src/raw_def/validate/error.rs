//! What [`validate`](super::validate) reports.

use std::fmt;

/// One problem found in a module definition: what kind, and a message naming the table, column,
/// reducer or type at fault and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    kind: ValidationErrorKind,
    message: String,
}

impl ValidationError {
    pub(super) fn new(kind: ValidationErrorKind, message: String) -> Self {
        Self { kind, message }
    }
    /// Which rule was broken.
    pub fn kind(&self) -> ValidationErrorKind {
        self.kind
    }
    /// The full message (the same as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValidationError {}

/// The rules a module definition must keep, one per kind of [`ValidationError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// A table, column, reducer, parameter, type, field or accessor name is not an identifier.
    InvalidIdentifier,
    /// A user table's name starts with `st_`, which is reserved for system tables.
    ReservedTableName,
    /// Two tables, indexes, constraints, sequences or schedules have the same (possibly
    /// generated) name; they share one namespace.
    DuplicateName,
    /// Two reducers have the same name.
    DuplicateReducer,
    /// Two type definitions have the same scoped name.
    DuplicateTypeName,
    /// A table's `product_type_ref` is not a product in the typespace.
    InvalidRowType,
    /// A column, reducer parameter, or field or variant of a named type has no name.
    Unnamed,
    /// An index, constraint, sequence, schedule or primary key names a column the row lacks.
    ColumnNotFound,
    /// A unique constraint has no index over the same set of columns.
    UniqueWithoutIndex,
    /// The primary key lists more than one column.
    CompositePrimaryKey,
    /// The primary key column has no unique constraint over exactly that column.
    PrimaryKeyNotUnique,
    /// A sequence is on a column that is not an integer.
    SequenceNotInteger,
    /// A column has more than one sequence.
    DuplicateSequence,
    /// A sequence's bounds are out of order (`min <= start <= max` fails).
    SequenceRange,
    /// A direct index is on a column that is not `u8`/`u16`/`u32`/`u64` or a payload-free enum.
    DirectIndexType,
    /// A hash index, which SpacetimeDB 1.3 does not support.
    HashIndex,
    /// A schedule table's `scheduled_at` column is not `ScheduleAt`.
    ScheduleAtColumn,
    /// A schedule table has no `u64` primary key.
    SchedulePrimaryKey,
    /// A schedule names a reducer that does not exist.
    ScheduledReducerMissing,
    /// A scheduled reducer does not take exactly one argument of the table's row type.
    ScheduledReducerParams,
    /// Two reducers are marked for the same lifecycle event.
    DuplicateLifecycle,
    /// A product or sum is written inline where only a `Ref` to a named type may be.
    InlineCompoundType,
    /// A `Ref` points outside the typespace.
    DanglingTypeRef,
    /// `Ref`s that loop without passing through a named type.
    RecursiveTypeRef,
    /// A type definition names something other than a product or sum.
    NotProductOrSum,
    /// A type use nests more `Ref`s, arrays and options than BSATN values may nest
    /// ([`MAX_DEPTH`](crate::bsatn::MAX_DEPTH)).
    TypeTooDeep,
    /// A sum type has more variants than a one-byte BSATN tag can tell apart (256).
    TooManyVariants,
    /// V10: an index has no source name (the host requires one).
    IndexWithoutSourceName,
    /// V10: a reducer's return types are not `()` and `String`.
    ReducerReturnType,
    /// V10: a view does not return `Vec<T>`, `Option<T>` or a query of a struct `T` in the typespace.
    ViewReturnType,
    /// V10: a view primary key is repeated, lists more than one column, or names a missing view or
    /// column.
    ViewPrimaryKey,
    /// V10: a column default value is not a value of the column's type.
    DefaultValueMalformed,
    /// V10: a schedule names a table that does not exist.
    ScheduleTableMissing,
    /// V10: a table has more than one schedule.
    DuplicateSchedule,
    /// V10: a lifecycle entry names a function that is not a reducer.
    LifecycleWithoutReducer,
    /// V10: two HTTP handlers have the same name.
    DuplicateHttpHandler,
    /// V10: an HTTP route has a bad path, names a missing handler, or overlaps an earlier route.
    HttpRoute,
    /// V10: a submodule's namespace is too long, not an identifier or repeated, or the submodule has
    /// lifecycle reducers.
    Submodule,
}
