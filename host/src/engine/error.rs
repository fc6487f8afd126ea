//! Why a database could not be set up ([`InstallError`]) or a call could not be made
//! ([`CallError`]): two families, because a caller handles them at different times — install
//! errors once, when a test or the CLI starts; call errors on every refused call, where the
//! server answers them to the client.

use std::fmt;

use worldtube_lib::raw_def::Lifecycle;
use worldtube_lib::{TimeDuration, Timestamp};

use super::Outcome;
use crate::runtime::RuntimeError;
use crate::schema::SchemaError;

/// Why a module could not be installed into a new database.
#[derive(Debug)]
pub enum InstallError {
    /// Running the module's start-up or `__describe_module__` failed.
    Describe(RuntimeError),
    /// The module's description does not decode.
    InvalidDescription(String),
    /// The module definition is invalid.
    Schema(SchemaError),
    /// `init` failed; the database was not created.
    InitFailed(Box<Outcome>),
    /// The module linked into the test binary defines no tables and no reducers: usually the
    /// module crate is not linked at all.
    EmptyModule,
}

impl fmt::Display for InstallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Describe(e) => write!(f, "describing the module failed: {e}"),
            // Both inner errors already say what was wrong with the module ("the module's
            // description does not decode: …", "the module definition is invalid (…)").
            Self::InvalidDescription(e) => f.write_str(e),
            Self::Schema(e) => write!(f, "{e}"),
            Self::InitFailed(o) => write!(f, "`init` failed: {}", o.result().unwrap_err()),
            Self::EmptyModule => f.write_str(
                "the module linked into this test binary defines no tables and no reducers; if the \
                 test names nothing from the module crate, the crate is not linked: add \
                 `use my_module as _;` (your module crate's name) to the test file",
            ),
        }
    }
}

impl std::error::Error for InstallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Describe(e) => Some(e),
            Self::Schema(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a call was refused before the reducer ran (nothing of it reaches the datastore).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// No reducer has this name.
    NoSuchReducer(String),
    /// No procedure (2.x) has this name, or the caller may not call it.
    NoSuchProcedure(String),
    /// The reducer runs only at a lifecycle event (`init`, `client_connected`,
    /// `client_disconnected`); like the server, the engine does not let it be called directly.
    LifecycleReducer {
        /// The reducer.
        reducer: String,
        /// Its lifecycle event.
        lifecycle: Lifecycle,
    },
    /// The arguments do not decode as the reducer's parameters.
    InvalidArguments {
        /// The reducer.
        reducer: String,
        /// What is wrong: for JSON arguments, the server's text after
        /// `invalid arguments for reducer NAME: `.
        error: String,
    },
    /// The arguments do not decode as the procedure's parameters.
    InvalidProcedureArguments {
        /// The procedure.
        procedure: String,
        /// What is wrong (for JSON arguments, the server's text).
        error: String,
    },
    /// No route of the module (2.x, HTTP handlers) matches the request's method and path.
    NoSuchRoute {
        /// The request's method.
        method: worldtube_lib::http::Method,
        /// The request's path.
        path: String,
    },
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSuchReducer(name) => write!(f, "the module has no reducer named `{name}`"),
            Self::NoSuchProcedure(name) => write!(f, "the module has no procedure named `{name}`"),
            Self::LifecycleReducer { reducer, lifecycle } => {
                write!(f, "`{reducer}` is the {lifecycle:?} lifecycle reducer and cannot be called directly")
            }
            // The server's own text (see `server_message`).
            Self::InvalidArguments { reducer, error } => write!(f, "invalid arguments for reducer {reducer}: {error}"),
            Self::InvalidProcedureArguments { procedure, error } => {
                write!(f, "invalid arguments for procedure {procedure}: {error}")
            }
            Self::NoSuchRoute { method, path } => {
                write!(f, "the module has no route for {} `{path}`", method.as_str())
            }
        }
    }
}

impl std::error::Error for CallError {}

impl CallError {
    /// The text the SpacetimeDB 1.3 server returns for a call it refuses this way (HTTP 404 for
    /// an unknown reducer, 400 otherwise).
    ///
    /// For invalid JSON arguments (see [`crate::json`]) the whole text is the server's. For
    /// invalid BSATN arguments only the start, `invalid arguments for reducer NAME: `, is: what
    /// follows is this host's description of the problem.
    pub fn server_message(&self) -> String {
        match self {
            Self::NoSuchReducer(_) => "no such reducer".to_owned(),
            // 2.8: the call route falls back from reducers to procedures, and answers this.
            Self::NoSuchProcedure(_) => "No such procedure".to_owned(),
            Self::LifecycleReducer { lifecycle, .. } => {
                format!("can't directly call special {lifecycle:?} lifecycle reducer")
            }
            Self::InvalidArguments { reducer, error } => format!("invalid arguments for reducer {reducer}: {error}"),
            Self::InvalidProcedureArguments { procedure, error } => {
                format!("invalid arguments for procedure {procedure}: {error}")
            }
            // 2.8, with status 404.
            Self::NoSuchRoute { .. } => super::NO_SUCH_ROUTE.to_owned(),
        }
    }
}

/// Why an advance of the clock was refused or stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvanceError {
    /// The clock cannot reach the requested time: it lies past the largest [`Timestamp`]. Nothing
    /// ran and the clock did not move.
    ClockOverflow {
        /// The clock's time.
        now: Timestamp,
        /// How far it was asked to move.
        by: TimeDuration,
    },
    /// More scheduled calls fell due than one advance may run
    /// ([`EngineOptions::max_runs_per_advance`](super::EngineOptions::max_runs_per_advance)):
    /// the calls that ran stand, the clock stays at the last one's time, and what is still due
    /// stays queued for the next advance.
    TooManyRuns {
        /// The limit.
        limit: usize,
        /// The clock's time when the advance stopped.
        at: Timestamp,
    },
}

impl fmt::Display for AdvanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ClockOverflow { now, by } => write!(
                f,
                "cannot advance the clock by {} µs from {now}: the time would be past the largest timestamp \
                 (i64::MAX µs since the Unix epoch)",
                by.to_micros()
            ),
            Self::TooManyRuns { limit, at } => write!(
                f,
                "more than {limit} scheduled calls fell due in one advance (EngineOptions::max_runs_per_advance); \
                 stopped at {at} with the rest still queued (advance in smaller steps to run them)"
            ),
        }
    }
}

impl std::error::Error for AdvanceError {}
