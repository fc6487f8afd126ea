//! Checking a module definition the way a SpacetimeDB 1.3 host does before accepting it.
//!
//! [`validate`] applies the host's rules (summarised in the table of [`ValidationErrorKind`]s) and
//! reports every violation it finds, not just the first, each naming its culprit. It computes the
//! same generated names as the host, so a definition that passes here has no name collisions
//! there. Not checked: the SQL of row-level security filters (the host parses it against the
//! schema), NFC normalisation and exact Unicode `XID` classes of identifiers (see
//! [`identifier_problem`]), and `custom_ordering: false` orderings (the SDK always sends `true`).

mod error;
mod ident;
mod reducer;
mod table;
mod type_def;
mod type_size;
mod type_use;
mod v10;

pub use error::{ValidationError, ValidationErrorKind};
pub use ident::{identifier_problem, is_valid_identifier};
pub use v10::{validate_v10, ModuleSummaryV10, MAX_SUBMODULE_NAMESPACE_LEN};

use super::{Lifecycle, RawModuleDefV9};
use std::collections::HashMap;
use type_use::TypeUses;

/// What a valid module definition declares, with every generated name filled in: what a host
/// needs to resolve names to ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummary {
    /// The tables, in definition order.
    pub tables: Vec<TableSummary>,
    /// The reducer id (position in `reducers`) of the `init` reducer, if any.
    pub init: Option<usize>,
    /// The reducer id of the `client_connected` reducer, if any.
    pub on_connect: Option<usize>,
    /// The reducer id of the `client_disconnected` reducer, if any.
    pub on_disconnect: Option<usize>,
}

impl ModuleSummary {
    /// The reducer id of the reducer for `lifecycle`, if any.
    pub fn lifecycle_reducer(&self, lifecycle: Lifecycle) -> Option<usize> {
        match lifecycle {
            Lifecycle::Init => self.init,
            Lifecycle::OnConnect => self.on_connect,
            Lifecycle::OnDisconnect => self.on_disconnect,
        }
    }
}

/// One table of a [`ModuleSummary`]. Names are the explicit ones, or generated where the
/// definition left them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSummary {
    /// The table name.
    pub name: String,
    /// The column names, in column order.
    pub columns: Vec<String>,
    /// The primary key column, if any.
    pub primary_key: Option<u16>,
    /// The index names, in definition order.
    pub indexes: Vec<String>,
    /// The constraint names, in definition order.
    pub constraints: Vec<String>,
    /// The sequence names, in definition order.
    pub sequences: Vec<String>,
    /// The schedule name, for a schedule table.
    pub schedule: Option<String>,
}

/// Checks `def` against the rules a SpacetimeDB 1.3 host enforces, returning a summary with every
/// generated name if it passes, or every problem found.
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, ProductType};
/// use worldtube_lib::raw_def::{validate, RawModuleDefV9Builder};
///
/// let mut b = RawModuleDefV9Builder::new();
/// let row = ProductType::new([(Some("score"), AlgebraicType::F32)]);
/// b.build_table_with_new_type("player", row, true).with_column_sequence(0).finish();
/// let errors = validate(&b.finish()).unwrap_err();
/// assert_eq!(
///     errors[0].to_string(),
///     "table `player`: column `score` is F32, which cannot be auto_inc: sequences need an integer column"
/// );
/// ```
pub fn validate(def: &RawModuleDefV9) -> Result<ModuleSummary, Vec<ValidationError>> {
    let mut v = Validator {
        def,
        uses: TypeUses { typespace: &def.typespace, named: def.types.iter().map(|t| t.ty).collect(), v2_types: false },
        errors: Vec::new(),
        namespace: HashMap::new(),
    };
    v.type_defs();
    v.sum_sizes();
    let tables = def.tables.iter().map(|t| v.table(t)).collect();
    let [init, on_connect, on_disconnect] = v.reducers();
    v.schedules();
    if v.errors.is_empty() {
        Ok(ModuleSummary { tables, init, on_connect, on_disconnect })
    } else {
        Err(v.errors)
    }
}

struct Validator<'a> {
    def: &'a RawModuleDefV9,
    uses: TypeUses<'a>,
    errors: Vec<ValidationError>,
    /// The one namespace of tables, indexes, constraints, sequences and schedules: name -> owner.
    namespace: HashMap<String, String>,
}

impl Validator<'_> {
    fn error(&mut self, kind: ValidationErrorKind, message: String) {
        self.errors.push(ValidationError::new(kind, message));
    }

    /// Reports `what` (e.g. "table `t`: column `c`") if `name` is not an identifier.
    fn check_identifier(&mut self, name: &str, what: impl FnOnce() -> String) {
        if let Some(reason) = identifier_problem(name) {
            self.error(
                ValidationErrorKind::InvalidIdentifier,
                format!("{}: `{name}` is not a valid identifier: {reason}", what()),
            );
        }
    }

    /// Claims `name` in the global namespace for `owner` (e.g. "index `x` of table `t`").
    fn claim_name(&mut self, name: &str, owner: impl FnOnce() -> String) {
        match self.namespace.get(name) {
            Some(first) => {
                let message = format!(
                    "{} has the name `{name}`, which is already taken by {first}; the tables, indexes, constraints, \
                     sequences and schedules of a module share one namespace (generated names are made from table \
                     and column names), so rename one of them",
                    owner()
                );
                self.error(ValidationErrorKind::DuplicateName, message);
            }
            None => {
                self.namespace.insert(name.to_owned(), owner());
            }
        }
    }
}
