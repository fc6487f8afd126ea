//! Procedures (2.x modules): calls that run outside a transaction, open and commit their own
//! (each commit stands on its own: a later panic rolls back only the transaction still open),
//! may sleep on the virtual clock and make (simulated) HTTP requests, and return a value.
//!
//! Time: a procedure starts at the engine's time; each of its transactions starts at the
//! procedure's time then; `sleep_until` moves the procedure's time forward at once. When it
//! returns, the engine's clock moves to the procedure's time (if later) and on by one tick.
//! While a procedure a client called sleeps, the scheduled reducers that fall due before it
//! wakes run, each at its due time, on a second instance of the module (`meanwhile.rs`), as a
//! server runs them on its main instance; other scheduled calls wait for the next advance.

use std::sync::Arc;

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue};
use worldtube_lib::Timestamp;

use super::{CallError, Caller, Engine};
use crate::abi_host::LogRecord;
use crate::datastore::TxChanges;
use crate::http::{HttpExchange, HttpResponders};
use crate::runtime::{ModuleInstance, ProcedureResult};
use crate::schema::ProcedureId;
use worldtube_abi::LogLevel;

/// What the SpacetimeDB 2.8 server answers (HTTP 500) when a procedure traps or panics, before
/// the failure's own description.
pub const PROCEDURE_TRAP_PREFIX: &str = "The module instance encountered a fatal error: ";

/// How a procedure call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcedureStatus {
    /// It returned this value (decoded at the procedure's return type; `bytes` is its BSATN).
    Returned {
        /// The value.
        value: AlgebraicValue,
        /// Its BSATN, as the module wrote it.
        bytes: Vec<u8>,
    },
    /// It panicked or trapped, or returned bytes that are not a value of its return type: the
    /// message. Transactions it committed before stand; the one it had open is rolled back.
    Trapped(String),
}

/// One transaction a procedure committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// When the transaction started (its `ctx.timestamp`).
    pub timestamp: Timestamp,
    /// What it changed.
    pub changes: TxChanges,
}

/// Everything a procedure call did.
#[derive(Debug, Clone)]
pub struct ProcedureOutcome {
    /// The procedure's canonical name.
    pub procedure: String,
    /// Who called (the database itself for a scheduled call).
    pub caller: Caller,
    /// When it was called.
    pub timestamp: Timestamp,
    /// The procedure's time when it returned: later than [`timestamp`](Self::timestamp) if it
    /// slept.
    pub ended_at: Timestamp,
    /// How it ended.
    pub status: ProcedureStatus,
    /// The log records it emitted.
    pub logs: Vec<LogRecord>,
    /// The transactions it committed, in order.
    pub commits: Vec<Commit>,
    /// The HTTP requests it made, in order, with their answers.
    pub http: Vec<HttpExchange>,
    /// What its commits changed in the views readers subscribed to (net of all of them: the views
    /// are evaluated again when the procedure has returned).
    pub view_changes: Vec<super::ViewChange>,
    /// The scheduled reducers that ran while it slept, in order (as on a server, where they run
    /// on another instance meanwhile); their changes are in the database, not in `commits`.
    pub meanwhile: Vec<super::Outcome>,
}

impl ProcedureOutcome {
    /// The return value, or the trap message.
    pub fn result(&self) -> Result<&AlgebraicValue, &str> {
        match &self.status {
            ProcedureStatus::Returned { value, .. } => Ok(value),
            ProcedureStatus::Trapped(message) => Err(message),
        }
    }

    /// Whether it returned.
    pub fn is_ok(&self) -> bool {
        matches!(self.status, ProcedureStatus::Returned { .. })
    }

    /// The error text the 2.8 server answers the caller: `None` if it returned,
    /// [`PROCEDURE_TRAP_PREFIX`] and the failure otherwise.
    pub fn server_error(&self) -> Option<String> {
        match &self.status {
            ProcedureStatus::Returned { .. } => None,
            ProcedureStatus::Trapped(message) => Some(format!("{PROCEDURE_TRAP_PREFIX}{message}")),
        }
    }

    /// The net changes of all its commits, table by table, in commit order.
    pub fn changes(&self) -> impl Iterator<Item = &TxChanges> {
        self.commits.iter().map(|c| &c.changes)
    }
}

impl<M: ModuleInstance> Engine<M> {
    /// The HTTP responders procedures' requests are answered by (none at first: every request
    /// fails as to an unreachable host).
    pub fn http_responders(&self) -> &HttpResponders {
        &self.http
    }

    /// The HTTP responders, to add rules to.
    pub fn http_responders_mut(&mut self) -> &mut HttpResponders {
        Arc::make_mut(&mut self.http)
    }

    /// Calls procedure `name` (its canonical name) with BSATN `args` as `caller`, at the current
    /// time; then moves the clock to the procedure's time (if it slept) and on by one tick.
    /// Refused, and logged as the server logs it, if there is no such procedure the caller may
    /// call (a private or scheduled procedure is the owner's only) or the arguments do not
    /// decode.
    pub fn call_procedure(&mut self, name: &str, caller: Caller, args: Vec<u8>) -> Result<ProcedureOutcome, CallError> {
        let checked = self.callable_procedure(name, &caller).and_then(|id| {
            let procedure = self.schema.procedure(id).expect("ids come from the schema");
            let params = AlgebraicType::Product(procedure.params.clone());
            AlgebraicValue::decode_exact(&params, self.schema.typespace(), &args)
                .map(|_| id)
                .map_err(|e| CallError::InvalidProcedureArguments { procedure: name.to_owned(), error: e.to_string() })
        });
        let id = checked.inspect_err(|e| self.log_rejected_call(name, e))?;
        let outcome = self.run_procedure(id, caller, args, self.now, true);
        self.tick();
        Ok(outcome)
    }

    /// Calls procedure `name` with JSON arguments (an array in parameter order or an object by
    /// parameter name, parsed as for reducers; see [`crate::json`]).
    pub fn call_procedure_json(
        &mut self,
        name: &str,
        caller: Caller,
        args: &str,
    ) -> Result<ProcedureOutcome, CallError> {
        let bytes = self.callable_procedure(name, &caller).and_then(|id| {
            let procedure = self.schema.procedure(id).expect("ids come from the schema");
            self.parse_args(name, &procedure.params, args)
                .map_err(|error| CallError::InvalidProcedureArguments { procedure: name.to_owned(), error })
        });
        let bytes = bytes.inspect_err(|e| self.log_rejected_call(name, e))?;
        self.call_procedure(name, caller, bytes)
    }

    fn callable_procedure(&self, name: &str, caller: &Caller) -> Result<ProcedureId, CallError> {
        let id = self.schema.procedure_id(name).ok_or_else(|| CallError::NoSuchProcedure(name.to_owned()))?;
        let procedure = self.schema.procedure(id).expect("ids come from the schema");
        if !procedure.client_callable && caller.identity != self.options.owner {
            return Err(CallError::NoSuchProcedure(name.to_owned()));
        }
        Ok(id)
    }

    /// Runs procedure `id` at `timestamp`, as `caller`; with `meanwhile`, the reducers that fall
    /// due while it sleeps run then (see `meanwhile.rs`).
    pub(super) fn run_procedure(
        &mut self,
        id: ProcedureId,
        caller: Caller,
        args: Vec<u8>,
        timestamp: Timestamp,
        meanwhile: bool,
    ) -> ProcedureOutcome {
        let procedure = self.schema.procedure(id).expect("ids come from the schema").clone();
        let detached = self.run_detached(
            &procedure.name,
            args,
            Vec::new(),
            timestamp,
            meanwhile,
            |module, host, args_source, _| {
                module.call_procedure(host, super::export_call(id.0, &caller, timestamp, args_source))
            },
            |result| matches!(result, ProcedureResult::Returned(_)),
        );
        let status = match detached.result {
            ProcedureResult::Returned(bytes) => {
                match AlgebraicValue::decode_exact(&procedure.return_type, self.schema.typespace(), &bytes) {
                    Ok(value) => ProcedureStatus::Returned { value, bytes },
                    Err(e) => ProcedureStatus::Trapped(format!(
                        "the procedure's return value does not decode at its return type: {e}"
                    )),
                }
            }
            ProcedureResult::Trap(message) => ProcedureStatus::Trapped(message),
        };
        ProcedureOutcome {
            procedure: procedure.name,
            caller,
            timestamp,
            ended_at: detached.ended_at,
            status,
            logs: detached.logs,
            commits: detached.commits,
            http: detached.http,
            view_changes: detached.view_changes,
            meanwhile: detached.meanwhile,
        }
    }

    /// Runs a function that opens its own transactions (a procedure, or an HTTP handler) at
    /// `timestamp`: the host takes the committed state, `args` and `extra` become bytes sources
    /// (their handles are passed to `run`, 0 for none), and afterwards the commits are applied
    /// to the schedules and views, the logs kept and the clock moved to the function's time.
    /// `returned` says whether the result is a normal return, after which a transaction left
    /// open is worth a warning. With `meanwhile`, the reducers that fall due while the function
    /// sleeps run then, on a fork of the module (see `meanwhile.rs`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_detached<R>(
        &mut self,
        name: &str,
        args: Vec<u8>,
        extra: Vec<u8>,
        timestamp: Timestamp,
        meanwhile: bool,
        run: impl FnOnce(&mut M, crate::AbiHost, u32, u32) -> (crate::AbiHost, R),
        returned: impl FnOnce(&R) -> bool,
    ) -> Detached<R> {
        let mut host = self.host.take().expect("the host is only taken during a call");
        let datastore = self.datastore.take().expect("the datastore is only taken during a call");
        let args_source = host.begin_procedure(datastore, args, timestamp, self.http.clone());
        let extra_source = host.add_source(extra);
        let lent = if meanwhile { self.lend(host.limits()) } else { None };
        if let Some(lent) = &lent {
            host.run_meanwhile(Self::meanwhile(lent));
        }
        let (mut host, result) = run(&mut self.module, host, args_source, extra_source);
        let end = host.end_procedure();
        let call_end = host.end_call();
        let ran_meanwhile = lent.map(|lent| self.take_back(lent)).unwrap_or_default();
        self.host = Some(host);
        self.datastore = Some(end.datastore);
        let mut logs = call_end.logs;
        for queued in call_end.scheduled {
            self.scheduler.schedule_immediate(queued.reducer, queued.args, end.now);
        }
        let commits: Vec<Commit> =
            end.commits.into_iter().map(|(timestamp, changes)| Commit { timestamp, changes }).collect();
        let mut view_changes = Vec::new();
        for (i, commit) in commits.iter().enumerate() {
            // The first `handed_over` commits' schedule changes were applied during a sleep.
            if i >= end.handed_over.0 {
                self.scheduler.apply(&commit.changes.schedules, commit.timestamp);
            }
            view_changes.extend(self.after_commit(&commit.changes));
        }
        if end.rolled_back_open_tx && returned(&result) {
            // The server aborts a transaction left open; said, as it is likely a bug.
            logs.push(LogRecord {
                level: LogLevel::Warn,
                target: Some(name.to_owned()),
                filename: Some("worldtube-host".to_owned()),
                line_number: None,
                message: format!("`{name}` returned with a transaction open; it was rolled back, as the server does"),
            });
        }
        // The records handed over during sleeps are in the log already, before what ran then.
        self.logs.extend(logs.iter().skip(end.handed_over.1).cloned());
        self.now = self.now.max(end.now);
        Detached { result, logs, commits, http: end.http, view_changes, ended_at: end.now, meanwhile: ran_meanwhile }
    }
}

/// What [`Engine::run_detached`] hands back besides the function's own result.
pub(super) struct Detached<R> {
    pub(super) result: R,
    pub(super) logs: Vec<LogRecord>,
    pub(super) commits: Vec<Commit>,
    pub(super) http: Vec<HttpExchange>,
    pub(super) view_changes: Vec<super::ViewChange>,
    pub(super) ended_at: Timestamp,
    pub(super) meanwhile: Vec<super::Outcome>,
}
