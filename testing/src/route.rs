//! [`RouteCallOutcome`]: what a request to one of the module's HTTP routes did.

use std::sync::Arc;

use worldtube_host::datastore::TxChanges;
use worldtube_host::engine::{RouteOutcome, RouteResponse};
use worldtube_host::http::HttpExchange;
use worldtube_host::schema::Schema;
use worldtube_host::LogRecord;
use worldtube_lib::algebraic::ProductValue;
use worldtube_lib::bsatn::DecodeOwned;

use crate::outcome::{changed_rows, decode_rows, CallOutcome};

/// What one request to an HTTP route did: the handler's response (or its failure), what its
/// transactions committed, and what it logged.
#[derive(Debug, Clone)]
pub struct RouteCallOutcome {
    pub(crate) outcome: Box<RouteOutcome>,
    pub(crate) schema: Arc<Schema>,
    /// The net changes of all its commits.
    pub(crate) changes: TxChanges,
}

impl RouteCallOutcome {
    pub(crate) fn new(outcome: RouteOutcome, schema: Arc<Schema>) -> Self {
        let changes = outcome.commits.iter().map(|c| c.changes.clone()).fold(TxChanges::default(), TxChanges::then);
        RouteCallOutcome { outcome: Box::new(outcome), schema, changes }
    }

    /// The status the client gets: the handler's, or 500 if it failed.
    pub fn status(&self) -> u16 {
        self.outcome.status()
    }

    /// The handler's response.
    ///
    /// # Panics
    /// If the handler failed (panicked or trapped).
    #[track_caller]
    pub fn response(&self) -> &RouteResponse {
        match &self.outcome.response {
            Ok(response) => response,
            Err(e) => panic!("the HTTP handler `{}` failed: {e}", self.outcome.handler),
        }
    }

    /// The response body as text.
    ///
    /// # Panics
    /// If the handler failed.
    #[track_caller]
    pub fn text(&self) -> String {
        self.response().text()
    }

    /// Why the handler failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.outcome.response.as_ref().err().map(String::as_str)
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

    /// The HTTP requests the handler itself made, with their answers.
    pub fn http_requests(&self) -> &[HttpExchange] {
        &self.outcome.http
    }

    /// The scheduled reducers that ran while the handler slept, in order.
    pub fn ran_meanwhile(&self) -> Vec<CallOutcome> {
        CallOutcome::all(&self.outcome.meanwhile, &self.schema)
    }

    /// The engine's record of the request.
    pub fn outcome(&self) -> &RouteOutcome {
        &self.outcome
    }

    #[track_caller]
    fn changed(&self, table: &str, inserted: bool) -> Vec<ProductValue> {
        changed_rows(&self.schema, &self.changes, table, inserted)
    }
}
