//! [`CallOutcome`]: what one call did, with assertions; [`Snapshot`]: a copy of a database.

use std::sync::Arc;

use worldtube::rt::ReducerInfo;
use worldtube_host::datastore::TxChanges;
use worldtube_host::engine::{EngineSnapshot, Outcome, Status};
use worldtube_host::schema::Schema;
use worldtube_host::LogRecord;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue};
use worldtube_lib::bsatn::{self, DecodeOwned};
use worldtube_lib::Timestamp;

use crate::db::to_json;
use crate::Json;

/// A copy of a [`TestDb`](crate::TestDb)'s state.
#[derive(Debug, Clone)]
pub struct Snapshot(pub(crate) EngineSnapshot);

/// What one reducer call did: its result, log records, and rows inserted and deleted.
#[derive(Debug, Clone)]
pub struct CallOutcome {
    pub(crate) outcome: Box<Outcome>,
    pub(crate) schema: Arc<Schema>,
}

impl CallOutcome {
    /// The engine's `outcome`, read with `schema`.
    pub(crate) fn new(outcome: Outcome, schema: Arc<Schema>) -> Self {
        CallOutcome { outcome: Box::new(outcome), schema }
    }

    /// Each of the engine's `outcomes` (what ran while a procedure or handler slept).
    pub(crate) fn all(outcomes: &[Outcome], schema: &Arc<Schema>) -> Vec<Self> {
        outcomes.iter().map(|o| CallOutcome::new(o.clone(), schema.clone())).collect()
    }

    /// Whether the call committed.
    pub fn is_ok(&self) -> bool {
        self.outcome.is_ok()
    }

    /// `Ok(())`, or the error (or panic) message.
    pub fn result(&self) -> Result<(), String> {
        self.outcome.result()
    }

    /// The error message if the reducer returned `Err` or panicked.
    pub fn error(&self) -> Option<&str> {
        match &self.outcome.status {
            Status::Committed => None,
            Status::Failed(m) | Status::Trapped(m) => Some(m),
        }
    }

    /// What the server would return to the caller: `None` if the call committed, the reducer's
    /// error message, or for a panic or trap
    /// [`TRAP_MESSAGE`](crate::host::engine::TRAP_MESSAGE) (`"The Wasm instance encountered a fatal
    /// error."`, SpacetimeDB 1.3, for a 1.x module) or
    /// [`TRAP_MESSAGE_V10`](crate::host::engine::TRAP_MESSAGE_V10) (`"The instance encountered a
    /// fatal error."`, 2.8, for a 2.x module) — the panic message itself is in
    /// [`error`](Self::error) and the logs.
    pub fn server_error(&self) -> Option<&str> {
        self.outcome.server_error()
    }

    /// Whether the reducer panicked (or the host trapped it), rather than returning.
    pub fn panicked(&self) -> bool {
        matches!(self.outcome.status, Status::Trapped(_))
    }

    /// Panics, showing the error and the call's log, unless the call committed.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.is_ok(), "`{}` failed: {}", self.outcome.reducer, self.describe());
        self
    }

    /// Panics unless the call failed with an error message containing `expected`.
    #[track_caller]
    pub fn assert_err(&self, expected: &str) -> &Self {
        match self.error() {
            Some(e) if e.contains(expected) => self,
            Some(e) => panic!("`{}` failed with {e:?}, not with {expected:?}", self.outcome.reducer),
            None => panic!("`{}` succeeded; expected an error containing {expected:?}", self.outcome.reducer),
        }
    }

    /// Panics unless the call failed with exactly this error message.
    #[track_caller]
    pub fn assert_err_eq(&self, expected: &str) -> &Self {
        match self.error() {
            Some(e) if e == expected => self,
            Some(e) => panic!("`{}` failed with {e:?}, not with {expected:?}", self.outcome.reducer),
            None => panic!("`{}` succeeded; expected the error {expected:?}", self.outcome.reducer),
        }
    }

    /// Whether this was a call of reducer `R` — e.g. to pick the `tick`s out of what
    /// [`TestDb::advance`](crate::TestDb::advance) ran: `outcomes.iter().filter(|o| o.is::<tick>())`.
    pub fn is<R: ReducerInfo>(&self) -> bool {
        // A 2.x reducer's `R::NAME` is its source name; the outcome has its canonical name.
        match self.schema.reducer_id_by_source_name(R::NAME).and_then(|id| self.schema.reducer(id)) {
            Some(reducer) => self.outcome.reducer == reducer.name,
            None => self.outcome.reducer == R::NAME,
        }
    }

    /// The log records the call emitted.
    pub fn logs(&self) -> &[LogRecord] {
        &self.outcome.logs
    }

    /// Whether some log record of the call contains `text`.
    pub fn logged(&self, text: &str) -> bool {
        self.outcome.logs.iter().any(|l| l.message.contains(text))
    }

    /// The rows the call inserted into `table`, decoded as `T`.
    #[track_caller]
    pub fn inserted<T: DecodeOwned>(&self, table: &str) -> Vec<T> {
        decode_rows(table, &self.changed(table, true))
    }

    /// The rows the call deleted from `table`, decoded as `T`.
    #[track_caller]
    pub fn deleted<T: DecodeOwned>(&self, table: &str) -> Vec<T> {
        decode_rows(table, &self.changed(table, false))
    }

    /// The rows the call inserted into `table`, as JSON.
    #[track_caller]
    pub fn inserted_json(&self, table: &str) -> Json {
        self.changed_json(table, true)
    }

    /// The rows the call deleted from `table`, as JSON.
    #[track_caller]
    pub fn deleted_json(&self, table: &str) -> Json {
        self.changed_json(table, false)
    }

    /// The rows the call added to view `view` for its subscribers (see
    /// [`TestDb::subscribe`](crate::TestDb::subscribe)), decoded as `T`; for a per-caller view,
    /// of every subscribed reader.
    #[track_caller]
    pub fn view_inserted<T: DecodeOwned>(&self, view: &str) -> Vec<T> {
        self.view_rows(view, true)
    }

    /// The rows the call took out of view `view` for its subscribers, decoded as `T`.
    #[track_caller]
    pub fn view_deleted<T: DecodeOwned>(&self, view: &str) -> Vec<T> {
        self.view_rows(view, false)
    }

    #[track_caller]
    fn view_rows<T: DecodeOwned>(&self, view: &str, inserted: bool) -> Vec<T> {
        let changes = self.outcome.view_changes.iter().filter(|c| c.view == view);
        decode_rows(view, changes.flat_map(|c| if inserted { &c.inserted } else { &c.deleted }))
    }

    /// The call's timestamp.
    pub fn timestamp(&self) -> Timestamp {
        self.outcome.timestamp
    }

    /// The reducer that ran.
    pub fn reducer(&self) -> &str {
        &self.outcome.reducer
    }

    /// The engine's record of the call.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// The status and the log, for failure messages.
    pub(crate) fn describe(&self) -> String {
        let mut s = match &self.outcome.status {
            Status::Committed => "committed".to_string(),
            Status::Failed(m) => format!("returned an error: {m}"),
            Status::Trapped(m) => format!("panicked: {m}"),
        };
        for l in &self.outcome.logs {
            s.push_str(&format!("\n  [{:?}] {}", l.level, l.message));
        }
        s
    }

    #[track_caller]
    fn changed(&self, table: &str, inserted: bool) -> Vec<ProductValue> {
        changed_rows(&self.schema, &self.outcome.changes, table, inserted)
    }

    #[track_caller]
    fn changed_json(&self, table: &str, inserted: bool) -> Json {
        let Some(id) = self.schema.table_id(table) else { panic!("no table named `{table}`") };
        let ty = AlgebraicType::Ref(self.schema.table(id).expect("id from the schema").row_type_ref);
        Json::Array(
            self.changed(table, inserted)
                .into_iter()
                .map(|row| to_json(&AlgebraicValue::Product(row), &ty, &self.schema))
                .collect(),
        )
    }
}

/// The rows `changes` inserted into (or deleted from) `table`.
#[track_caller]
pub(crate) fn changed_rows(schema: &Schema, changes: &TxChanges, table: &str, inserted: bool) -> Vec<ProductValue> {
    let Some(id) = schema.table_id(table) else { panic!("no table named `{table}`") };
    changes
        .table(id)
        .map(|c| if inserted { &c.inserted } else { &c.deleted })
        .map(|rows| rows.iter().map(|r| r.value().clone()).collect())
        .unwrap_or_default()
}

/// `rows` of table (or view) `table`, decoded as `T`.
#[track_caller]
pub(crate) fn decode_rows<'a, T: DecodeOwned>(table: &str, rows: impl IntoIterator<Item = &'a ProductValue>) -> Vec<T> {
    let decode = |row: &ProductValue| {
        bsatn::from_slice(&bsatn::to_vec(row))
            .unwrap_or_else(|e| panic!("a changed `{table}` row is not this type: {e}"))
    };
    rows.into_iter().map(decode).collect()
}
