//! What one reducer call did.

use crate::abi_host::LogRecord;
use crate::datastore::TxChanges;
use worldtube_lib::{ConnectionId, Identity, Timestamp};

/// What the SpacetimeDB 1.3 server returns to the caller (HTTP 530, and the `ReducerCallResult`'s
/// error) when the module traps or panics, whatever the panic message: the message itself only
/// reaches the database log, as the module's `Panic`-level record. (Checked against the real
/// server by `tests/fidelity-module`, scenario `errors`.)
pub const TRAP_MESSAGE: &str = "The Wasm instance encountered a fatal error.";

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
}

impl Outcome {
    /// Whether the call committed.
    pub fn is_ok(&self) -> bool {
        self.status == Status::Committed
    }

    /// The error text the SpacetimeDB 1.3 server returns to the caller for this call: `None` if
    /// it committed, the reducer's own error message if it returned `Err`, [`TRAP_MESSAGE`] if
    /// it trapped or panicked (the panic message is in [`result`](Self::result) and in the
    /// logs, as on the server).
    pub fn server_error(&self) -> Option<&str> {
        match &self.status {
            Status::Committed => None,
            Status::Failed(m) => Some(m),
            Status::Trapped(_) => Some(TRAP_MESSAGE),
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
