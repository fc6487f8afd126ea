//! [`ProcedureCallOutcome`]: what one procedure call did — its return value or failure, its
//! commits, logs and HTTP requests — with assertions.

use std::sync::Arc;

use worldtube_host::datastore::TxChanges;
use worldtube_host::engine::{ProcedureOutcome, ProcedureStatus};
use worldtube_host::http::HttpExchange;
use worldtube_host::schema::Schema;
use worldtube_host::LogRecord;
use worldtube_lib::algebraic::{AlgebraicType, ProductValue};
use worldtube_lib::bsatn::{self, DecodeOwned};
use worldtube_lib::Timestamp;

use crate::db::to_json;
use crate::outcome::{changed_rows, decode_rows, CallOutcome};
use crate::Json;

/// What one procedure call did.
#[derive(Debug, Clone)]
pub struct ProcedureCallOutcome {
    pub(crate) outcome: Box<ProcedureOutcome>,
    pub(crate) schema: Arc<Schema>,
    /// The net changes of all its commits.
    pub(crate) changes: TxChanges,
}

impl ProcedureCallOutcome {
    pub(crate) fn new(outcome: ProcedureOutcome, schema: Arc<Schema>) -> Self {
        let changes = outcome.changes().cloned().fold(TxChanges::default(), TxChanges::then);
        ProcedureCallOutcome { outcome: Box::new(outcome), schema, changes }
    }

    /// Whether the procedure returned (rather than panicking).
    pub fn is_ok(&self) -> bool {
        self.outcome.is_ok()
    }

    /// The panic (or trap) message, if it did not return.
    pub fn error(&self) -> Option<&str> {
        self.outcome.result().err()
    }

    /// What the 2.8 server answers the caller when the procedure fails (HTTP 500): `None` if it
    /// returned.
    pub fn server_error(&self) -> Option<String> {
        self.outcome.server_error()
    }

    /// The return value, decoded as `T`.
    ///
    /// # Panics
    /// If the procedure did not return, or its value is not a `T`.
    #[track_caller]
    pub fn returned<T: DecodeOwned>(&self) -> T {
        match &self.outcome.status {
            ProcedureStatus::Returned { bytes, .. } => bsatn::from_slice(bytes)
                .unwrap_or_else(|e| panic!("`{}` returned a value that is not this type: {e}", self.outcome.procedure)),
            ProcedureStatus::Trapped(m) => panic!("`{}` did not return: it panicked: {m}", self.outcome.procedure),
        }
    }

    /// The return value as JSON (as the server answers it over HTTP).
    #[track_caller]
    pub fn returned_json(&self) -> Json {
        match &self.outcome.status {
            ProcedureStatus::Returned { value, .. } => {
                let ty = &self.schema.procedure_id(&self.outcome.procedure).and_then(|id| self.schema.procedure(id));
                let ty = ty.map_or(AlgebraicType::unit(), |p| p.return_type.clone());
                to_json(value, &ty, &self.schema)
            }
            ProcedureStatus::Trapped(m) => panic!("`{}` did not return: it panicked: {m}", self.outcome.procedure),
        }
    }

    /// Panics, showing the failure and the log, unless the procedure returned.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        if let Some(error) = self.error() {
            let log: String = self.outcome.logs.iter().map(|l| format!("\n  [{:?}] {}", l.level, l.message)).collect();
            panic!("`{}` panicked: {error}{log}", self.outcome.procedure);
        }
        self
    }

    /// Panics unless the procedure failed with a message containing `expected`.
    #[track_caller]
    pub fn assert_err(&self, expected: &str) -> &Self {
        match self.error() {
            Some(e) if e.contains(expected) => self,
            Some(e) => panic!("`{}` failed with {e:?}, not with {expected:?}", self.outcome.procedure),
            None => panic!("`{}` returned; expected a failure containing {expected:?}", self.outcome.procedure),
        }
    }

    /// How many transactions it committed.
    pub fn commits(&self) -> usize {
        self.outcome.commits.len()
    }

    /// The rows its committed transactions inserted into `table` (net of all of them), as `T`.
    #[track_caller]
    pub fn inserted<T: DecodeOwned>(&self, table: &str) -> Vec<T> {
        decode_rows(table, &self.changed(table, true))
    }

    /// The rows its committed transactions deleted from `table` (net of all of them), as `T`.
    #[track_caller]
    pub fn deleted<T: DecodeOwned>(&self, table: &str) -> Vec<T> {
        decode_rows(table, &self.changed(table, false))
    }

    /// The log records it emitted.
    pub fn logs(&self) -> &[LogRecord] {
        &self.outcome.logs
    }

    /// Whether some log record of the call contains `text`.
    pub fn logged(&self, text: &str) -> bool {
        self.outcome.logs.iter().any(|l| l.message.contains(text))
    }

    /// The HTTP requests it made, in order, with their answers.
    pub fn http_requests(&self) -> &[HttpExchange] {
        &self.outcome.http
    }

    /// The scheduled reducers that ran while it slept, in order (a server runs them meanwhile,
    /// and the procedure sees their commits when it wakes).
    pub fn ran_meanwhile(&self) -> Vec<CallOutcome> {
        CallOutcome::all(&self.outcome.meanwhile, &self.schema)
    }

    /// When it was called.
    pub fn timestamp(&self) -> Timestamp {
        self.outcome.timestamp
    }

    /// Its time when it returned (later than [`timestamp`](Self::timestamp) if it slept).
    pub fn ended_at(&self) -> Timestamp {
        self.outcome.ended_at
    }

    /// The engine's record of the call.
    pub fn outcome(&self) -> &ProcedureOutcome {
        &self.outcome
    }

    #[track_caller]
    fn changed(&self, table: &str, inserted: bool) -> Vec<ProductValue> {
        changed_rows(&self.schema, &self.changes, table, inserted)
    }
}
