//! What one reducer call did.

use crate::abi_host::LogRecord;
use crate::datastore::TxChanges;
use crate::schema::Generation;
use worldtube_lib::{ConnectionId, Identity, Timestamp};

/// What the SpacetimeDB 1.3 server returns to the caller (HTTP 530, and the `ReducerCallResult`'s
/// error) when the module traps or panics, whatever the panic message: the message itself only
/// reaches the database log, as the module's `Panic`-level record. (Checked against the real
/// server by `tests/fidelity-module`, scenario `errors`.)
pub const TRAP_MESSAGE: &str = "The Wasm instance encountered a fatal error.";

/// What the SpacetimeDB 2.8 server returns instead of [`TRAP_MESSAGE`] when a 2.x module traps or
/// panics (its reducer runner's internal failure text); the host answers it for modules that
/// describe themselves as `RawModuleDef::V10`.
pub const TRAP_MESSAGE_V10: &str = "The instance encountered a fatal error.";

/// Who makes a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    /// The caller's identity.
    pub identity: Identity,
    /// The caller's connection, if any.
    pub connection_id: Option<ConnectionId>,
}

impl Caller {
    /// A caller with no connection (as over HTTP without one, or the scheduler).
    pub fn identity(identity: Identity) -> Self {
        Self { identity, connection_id: None }
    }
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The reducer returned `Ok`; its transaction committed.
    Committed,
    /// The reducer returned an error with this message; its transaction rolled back.
    Failed(String),
    /// The module panicked or trapped, with this message; its transaction rolled back.
    Trapped(String),
}

/// Everything a reducer call did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The generation of the module that ran it: it decides the server's texts
    /// ([`server_error`](Self::server_error)).
    pub generation: Generation,
    /// The reducer's name.
    pub reducer: String,
    /// Who called.
    pub caller: Caller,
    /// The call's timestamp.
    pub timestamp: Timestamp,
    /// How it ended.
    pub status: Status,
    /// The log records it emitted (including the error record the host adds for a failure).
    pub logs: Vec<LogRecord>,
    /// The rows it inserted and deleted, per table (empty unless it committed).
    pub changes: TxChanges,
    /// What it changed in the views readers subscribed to (2.x; see
    /// [`Engine::subscribe_view`](super::Engine::subscribe_view)).
    pub view_changes: Vec<super::ViewChange>,
}

impl Outcome {
    /// Whether the call committed.
    pub fn is_ok(&self) -> bool {
        self.status == Status::Committed
    }

    /// The error text the server returns to the caller for this call: `None` if it committed,
    /// the reducer's own error message if it returned `Err`, and if it trapped or panicked
    /// [`TRAP_MESSAGE`] (SpacetimeDB 1.3, for a 1.x module) or [`TRAP_MESSAGE_V10`] (2.8, for a
    /// 2.x module); the panic message is in [`result`](Self::result) and in the logs, as on the
    /// server.
    pub fn server_error(&self) -> Option<&str> {
        match &self.status {
            Status::Committed => None,
            Status::Failed(m) => Some(m),
            Status::Trapped(_) => Some(match self.generation {
                Generation::V9 => TRAP_MESSAGE,
                Generation::V10 => TRAP_MESSAGE_V10,
            }),
        }
    }

    /// `Ok(())` if it committed, else the error or trap message.
    pub fn result(&self) -> Result<(), String> {
        match &self.status {
            Status::Committed => Ok(()),
            Status::Failed(m) | Status::Trapped(m) => Err(m.clone()),
        }
    }
}
