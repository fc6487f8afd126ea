//! The engine: one database — its module, datastore, virtual clock and schedule queue — and the
//! rules for running reducers: every call in its own transaction, lifecycle reducers, scheduled
//! calls as the database identity.

mod error;
mod meanwhile;
mod outcome;
mod procedure;
mod route;
mod scheduler;
mod view;

pub use error::{AdvanceError, CallError, InstallError};
pub use outcome::{Caller, Outcome, Status, TRAP_MESSAGE, TRAP_MESSAGE_V10};
pub use procedure::{Commit, ProcedureOutcome, ProcedureStatus, PROCEDURE_TRAP_PREFIX};
pub use route::{RouteOutcome, RouteRequest, RouteResponse, NO_SUCH_ROUTE};
pub use scheduler::{Due, Scheduler};
pub use view::{ViewChange, ViewError, ViewRows};

use crate::abi_host::{AbiHost, LogRecord};
use crate::datastore::{Datastore, RowId, TxChanges};
use crate::http::HttpResponders;
use crate::runtime::{CallResult, ModuleInstance, ReducerCall, ERROR_SINK};
use crate::schema::{Generation, ModuleDef, ReducerId, ScheduleTarget, Schema, TableId};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use worldtube_abi::LogLevel;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductType};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::{Lifecycle, RawModuleDef, RawModuleDefV9};
use worldtube_lib::{ConnectionId, Identity, ScheduleAt, TimeDuration, Timestamp};

/// How many times one schedule (a schedule-table row, or the calls of one reducer queued with
/// `volatile_nonatomic_schedule_immediate`) may run at one instant of the virtual clock. One more
/// stops that schedule (the row stays in its table but is not run again until it is rescheduled;
/// the queued call is dropped) with a failed [`Outcome`] saying so, and time and the other
/// schedules go on: an `Interval(0)` schedule, or a reducer that queues itself immediately, would
/// otherwise make the virtual clock stand still forever.
pub const MAX_RUNS_PER_INSTANT: usize = 1_000;

/// Default [`EngineOptions::max_runs_per_advance`]: 100,000 scheduled calls per advance (a
/// 1 ms interval schedule for 100 virtual seconds).
pub const DEFAULT_MAX_RUNS_PER_ADVANCE: usize = 100_000;

/// How a database is set up.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Who owns the database: the caller of `init`.
    pub owner: Identity,
    /// The database's own identity: what `ctx.identity()` returns and who runs scheduled
    /// reducers.
    pub database_identity: Identity,
    /// The virtual clock's starting time.
    pub start_time: Timestamp,
    /// How far the clock moves on each call the test makes, so that successive calls have
    /// distinct timestamps (and `ctx.rng()` seeds), as they would on a server. Zero keeps the
    /// clock still.
    pub tick_per_call: TimeDuration,
    /// The most scheduled calls one advance of the clock may run ([`Engine::advance_to_each`]);
    /// past it the advance stops with [`AdvanceError::TooManyRuns`], so that advancing a long way
    /// over a short interval cannot run (and hold the outcomes of) millions of calls.
    pub max_runs_per_advance: usize,
}

/// A copy of a database's whole state: rows, sequences, clock and schedule queue.
#[derive(Debug, Clone)]
pub struct EngineSnapshot {
    datastore: Datastore,
    scheduler: Scheduler,
    now: Timestamp,
}

/// One database running one module.
pub struct Engine<M: ModuleInstance> {
    module: M,
    /// Taken out for the length of each call.
    host: Option<AbiHost>,
    datastore: Option<Datastore>,
    schema: Arc<Schema>,
    scheduler: Scheduler,
    now: Timestamp,
    options: EngineOptions,
    logs: Vec<LogRecord>,
    /// What answers procedures' HTTP requests (shared with the host during a procedure call).
    http: Arc<HttpResponders>,
    /// Kept view results and subscriptions.
    views: view::Views,
    /// A second instance of the module and its host, kept between procedure calls, for the
    /// reducers that fall due while a procedure sleeps (see `meanwhile.rs`).
    fork: Option<(M, AbiHost)>,
}

impl<M: ModuleInstance> std::fmt::Debug for Engine<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("tables", &self.schema.tables().len())
            .field("reducers", &self.schema.reducers().len())
            .field("now", &self.now)
            .field("scheduled", &self.scheduler.len())
            .field("logs", &self.logs.len())
            .finish_non_exhaustive()
    }
}

impl<M: ModuleInstance> Engine<M> {
    /// Installs `module` into a new, empty database: describes it, validates the definition,
    /// creates its tables and runs `init` (as the owner, if the module has one).
    pub fn install(mut module: M, options: EngineOptions) -> Result<Self, InstallError> {
        let (host, described) = module.describe(AbiHost::new(options.database_identity));
        let bytes = described.map_err(InstallError::Describe)?;
        let def = decode_module_def(&bytes).map_err(|e| InstallError::InvalidDescription(e.to_string()))?;
        let schema = Arc::new(Schema::from_module_def(&def).map_err(InstallError::Schema)?);
        // The server's own records while it creates the database (module_host.rs,
        // `init_database`): one per table, in name order, then (2.8.3) one per view, in name
        // order, then around `init`.
        let mut table_names: Vec<&str> = schema.tables().iter().map(|t| t.name.as_str()).collect();
        table_names.sort_unstable();
        let mut view_names: Vec<&str> = schema.views().iter().map(|v| v.name.as_str()).collect();
        view_names.sort_unstable();
        let logs: Vec<LogRecord> = table_names
            .iter()
            .map(|name| system_record(format!("Creating table `{name}`")))
            .chain(view_names.iter().map(|name| system_record(format!("Creating table for view `{name}`"))))
            .collect();
        let mut engine = Engine {
            module,
            host: Some(host),
            datastore: Some(Datastore::new(schema.clone())),
            schema,
            scheduler: Scheduler::default(),
            now: options.start_time,
            options,
            logs,
            http: Arc::default(),
            views: view::Views::default(),
            fork: None,
        };
        if let Some(init) = engine.schema.lifecycle_reducer(Lifecycle::Init) {
            engine.logs.push(system_record("Invoking `init` reducer".to_owned()));
            let owner = Caller::identity(engine.options.owner);
            let outcome = engine.run(init, owner, Vec::new(), engine.now);
            if !outcome.is_ok() {
                return Err(InstallError::InitFailed(Box::new(outcome)));
            }
            // Like every call, `init` moves the clock on: the next call gets its own timestamp
            // (and random seed).
            engine.tick();
        }
        engine.logs.push(system_record("Database initialized".to_owned()));
        Ok(engine)
    }

    /// The resolved module definition.
    pub fn schema(&self) -> &Arc<Schema> {
        &self.schema
    }

    /// The module definition in V9 form: as the module described it for a 1.x module, its V9
    /// equivalent under canonical names for a 2.x module (see [`Schema::def`]; the V10
    /// definition itself is [`Schema::module_def`]).
    pub fn module_def(&self) -> &RawModuleDefV9 {
        self.schema.def()
    }

    /// The committed state.
    pub fn datastore(&self) -> &Datastore {
        self.datastore.as_ref().expect("the datastore is only taken during a call")
    }

    /// The options the database was set up with.
    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    /// Every log record so far, in order, from every call (committed or not).
    pub fn logs(&self) -> &[LogRecord] {
        &self.logs
    }

    /// The virtual clock's current time.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Sets the limits the host enforces on the module's row iterators and timers (see
    /// [`HostLimits`](crate::abi_host::HostLimits)).
    pub fn set_host_limits(&mut self, limits: crate::abi_host::HostLimits) {
        self.host.as_mut().expect("the host is only taken during a call").set_limits(limits);
    }

    /// The schedule queue.
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Calls reducer `name` with BSATN `args` (the reducer's parameters, concatenated) as
    /// `caller`, at the current time, then moves the clock on by `tick_per_call`. Lifecycle
    /// reducers are refused, as the server refuses them to clients: they run through
    /// [`install`](Self::install), [`connect`](Self::connect) and [`disconnect`](Self::disconnect).
    ///
    /// An unknown reducer or arguments that do not decode are refused and, as on the server,
    /// leave an `Error` record in the database log (see [`log_rejected_call`](Self::log_rejected_call)).
    pub fn call(&mut self, name: &str, caller: Caller, args: Vec<u8>) -> Result<Outcome, CallError> {
        let checked = self.check_call(name, &caller, &args);
        let id = checked.inspect_err(|e| self.log_rejected_call(name, e))?;
        let outcome = self.run(id, caller, args, self.now);
        self.tick();
        Ok(outcome)
    }

    /// Calls reducer `name` with JSON arguments `args` (an array in parameter order or an object
    /// by parameter name; see [`crate::json`]), like [`call`](Self::call). The call is checked as
    /// the server checks it — the reducer exists, is no lifecycle reducer, then the arguments
    /// parse — and refused, and logged, as the server refuses it, with its texts.
    pub fn call_json(&mut self, name: &str, caller: Caller, args: &str) -> Result<Outcome, CallError> {
        let bytes = self.args_from_json(name, &caller, args).inspect_err(|e| self.log_rejected_call(name, e))?;
        self.call(name, caller, bytes)
    }

    fn args_from_json(&self, name: &str, caller: &Caller, args: &str) -> Result<Vec<u8>, CallError> {
        let id = self.callable_reducer(name, caller)?;
        let reducer = self.schema.reducer(id).expect("ids come from the schema");
        self.parse_args(name, &reducer.params, args)
            .map_err(|error| CallError::InvalidArguments { reducer: name.to_owned(), error })
    }

    /// JSON call arguments as the module's generation's server parses them (2.x adds a layer to
    /// the error chain).
    pub(crate) fn parse_args(&self, name: &str, params: &ProductType, args: &str) -> Result<Vec<u8>, String> {
        match self.schema.generation() {
            Generation::V9 => crate::json::args_from_json(name, params, self.schema.typespace(), args),
            Generation::V10 => crate::json::args_from_json_v10(name, params, self.schema.typespace(), args),
        }
    }

    fn check_call(&self, name: &str, caller: &Caller, args: &[u8]) -> Result<ReducerId, CallError> {
        let id = self.callable_reducer(name, caller)?;
        self.check_args(id, args)?;
        Ok(id)
    }

    /// The reducer `name` if `caller` may call it: it exists, is no lifecycle reducer and, for a
    /// 2.x module, is client-callable or the caller is the owner (the 2.8 server answers a private
    /// reducer's call by anyone else as of a reducer that does not exist).
    fn callable_reducer(&self, name: &str, caller: &Caller) -> Result<ReducerId, CallError> {
        let id = self.schema.reducer_id(name).ok_or_else(|| CallError::NoSuchReducer(name.to_owned()))?;
        let reducer = self.schema.reducer(id).expect("ids come from the schema");
        if let Some(lifecycle) = reducer.lifecycle {
            return Err(CallError::LifecycleReducer { reducer: reducer.name.clone(), lifecycle });
        }
        if !reducer.client_callable && caller.identity != self.options.owner {
            return Err(CallError::NoSuchReducer(name.to_owned()));
        }
        Ok(id)
    }

    /// Records in the database log, as the server does (`ModuleHost::call_reducer`), that a
    /// client's call of `reducer` was refused: an `Error` record with file name `external` for
    /// an unknown reducer or invalid arguments, nothing for other errors. [`call`](Self::call)
    /// does this itself; it is public for callers that check arguments first (JSON ones, say).
    pub fn log_rejected_call(&mut self, reducer: &str, error: &CallError) {
        let message = match error {
            CallError::NoSuchReducer(_) => format!(
                "External attempt to call nonexistent reducer \"{reducer}\" failed. Have you run `spacetime generate` \
                 recently?"
            ),
            CallError::InvalidArguments { .. } => format!(
                "External attempt to call reducer \"{reducer}\" failed, invalid arguments.\nThis is likely due to a \
                 mismatched client schema, have you run `spacetime generate` recently?"
            ),
            // 2.8.3 says the same of procedures (its call route tries the reducer first).
            CallError::NoSuchProcedure(_) => format!(
                "External attempt to call nonexistent procedure \"{reducer}\" failed. Have you run `spacetime \
                 generate` recently?"
            ),
            CallError::InvalidProcedureArguments { .. } => format!(
                "External attempt to call procedure \"{reducer}\" failed, invalid arguments.\nThis is likely due to a \
                 mismatched client schema, have you run `spacetime generate` recently?"
            ),
            _ => return,
        };
        self.logs.push(LogRecord {
            level: LogLevel::Error,
            target: None,
            filename: Some("external".to_owned()),
            line_number: None,
            message,
        });
    }

    /// A client connects without a token: runs `client_connected` (if the module has one). An
    /// `Err` or panic rejects the connection, and nothing of the call remains.
    pub fn connect(&mut self, caller: Caller) -> Outcome {
        self.connect_with_jwt(caller, None)
    }

    /// A client connects with a token whose claims are `jwt_payload` (a JSON object: what
    /// `ctx.sender_auth()` reads through `get_jwt` for the rest of the connection; 2.x). The
    /// caller's identity should be the one the claims derive (see
    /// [`names::identity_from_claims`](crate::names::identity_from_claims)), as on the server.
    pub fn connect_with_jwt(&mut self, caller: Caller, jwt_payload: Option<String>) -> Outcome {
        let connection = caller.connection_id;
        if let (Some(connection), Some(payload)) = (connection, jwt_payload) {
            self.host.as_mut().expect("the host is only taken during a call").set_jwt(connection, Some(payload));
        }
        let outcome = self.lifecycle(Lifecycle::OnConnect, caller);
        if !outcome.is_ok() {
            self.forget_jwt(connection);
        }
        outcome
    }

    /// A client disconnects: runs `client_disconnected` (if the module has one); its token is
    /// forgotten.
    pub fn disconnect(&mut self, caller: Caller) -> Outcome {
        let outcome = self.lifecycle(Lifecycle::OnDisconnect, caller);
        self.forget_jwt(caller.connection_id);
        outcome
    }

    fn forget_jwt(&mut self, connection: Option<ConnectionId>) {
        if let Some(connection) = connection {
            self.host.as_mut().expect("the host is only taken during a call").set_jwt(connection, None);
        }
    }

    fn lifecycle(&mut self, lifecycle: Lifecycle, caller: Caller) -> Outcome {
        let outcome = match self.schema.lifecycle_reducer(lifecycle) {
            Some(id) => self.run(id, caller, Vec::new(), self.now),
            None => Outcome {
                generation: self.schema.generation(),
                reducer: String::new(),
                caller,
                timestamp: self.now,
                status: Status::Committed,
                logs: Vec::new(),
                changes: TxChanges::default(),
                view_changes: Vec::new(),
            },
        };
        self.tick();
        outcome
    }

    /// Moves the clock to `time` (never backwards), running every scheduled call that falls due
    /// on the way, in time order, each at its due time. Returns their outcomes (a schedule
    /// stopped by the [`MAX_RUNS_PER_INSTANT`] guard included, as a failed outcome). If more than
    /// [`EngineOptions::max_runs_per_advance`] calls fall due, it stops after that many and logs
    /// an error record (see [`advance_to_each`](Self::advance_to_each), which reports it).
    pub fn advance_to(&mut self, time: Timestamp) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        // The error is in the database log; the outcomes that ran are returned.
        let _ = self.advance_to_each(time, |_, outcome| outcomes.push(outcome));
        outcomes
    }

    /// Like [`advance_to`](Self::advance_to), but hands each outcome to `each` (with the engine,
    /// to read its schema or state) as soon as the call ran, keeping none of them, and returns
    /// how many there were. Stops with [`AdvanceError::TooManyRuns`] after
    /// [`EngineOptions::max_runs_per_advance`] calls, leaving the clock at the last call's time
    /// and the rest queued (the error is also logged).
    pub fn advance_to_each(
        &mut self,
        time: Timestamp,
        each: impl FnMut(&Self, Outcome),
    ) -> Result<usize, AdvanceError> {
        self.run_due_until(time, false, each)
    }

    /// The loop of [`advance_to_each`](Self::advance_to_each); with `reducers_only`, it stops
    /// (leaving the clock where it is and the item queued) at the first due item that calls a
    /// procedure: what runs while a procedure sleeps.
    fn run_due_until(
        &mut self,
        time: Timestamp,
        reducers_only: bool,
        mut each: impl FnMut(&Self, Outcome),
    ) -> Result<usize, AdvanceError> {
        let mut runs = 0;
        // Runs per schedule at the current instant, for the MAX_RUNS_PER_INSTANT guard.
        let mut runs_at_this_instant: HashMap<DueKey, usize> = HashMap::new();
        while let Some(at) = self.scheduler.next_due().filter(|at| *at <= time) {
            if runs >= self.options.max_runs_per_advance {
                let error = AdvanceError::TooManyRuns { limit: self.options.max_runs_per_advance, at: self.now };
                self.logs.push(host_record(LogLevel::Error, None, error.to_string()));
                return Err(error);
            }
            let Some((at_popped, due)) = self.scheduler.pop_due(time) else { break };
            debug_assert_eq!(at, at_popped);
            if reducers_only && self.calls_procedure(&due) {
                self.scheduler.requeue(at, due);
                return Ok(runs);
            }
            if at > self.now {
                self.now = at;
                runs_at_this_instant.clear();
            }
            let count = runs_at_this_instant.entry(DueKey::of(&due)).or_insert(0);
            *count += 1;
            let outcome = if *count > MAX_RUNS_PER_INSTANT { self.stop_runaway(due) } else { self.run_due(due) };
            if let Some(outcome) = outcome {
                runs += 1;
                each(self, outcome);
            }
        }
        self.now = self.now.max(time);
        Ok(runs)
    }

    /// The [`MAX_RUNS_PER_INSTANT`] guard: `due` (already taken from the queue) is not run and
    /// not queued again; a failed outcome, with an error record, says so.
    fn stop_runaway(&mut self, due: Due) -> Option<Outcome> {
        let (reducer, what) = match &due {
            Due::Row { table, schedule_id } => {
                let (_, target, _, _) = self.schedule_row(*table, *schedule_id)?;
                let table = self.schema.table(*table).map_or("?", |t| t.name.as_str());
                (target, format!("the schedule row {schedule_id} of table `{table}`"))
            }
            Due::Immediate { reducer, .. } => {
                let id = self.schema.reducer_id(reducer)?;
                (
                    ScheduleTarget::Reducer(id),
                    format!("the calls of `{reducer}` queued with volatile_nonatomic_schedule_immediate"),
                )
            }
        };
        let name = self.function_name(reducer);
        let message = format!(
            "{what} ran more than {MAX_RUNS_PER_INSTANT} times at {} (MAX_RUNS_PER_INSTANT), so the engine stopped \
             it: it is not run again until it is rescheduled (an interval of zero, or a reducer that schedules \
             itself immediately?); time and the other schedules go on",
            self.now
        );
        let record = host_record(LogLevel::Error, Some(name.clone()), message.clone());
        self.logs.push(record.clone());
        Some(Outcome {
            generation: self.schema.generation(),
            reducer: name,
            caller: Caller::identity(self.options.database_identity),
            timestamp: self.now,
            status: Status::Failed(message),
            logs: vec![record],
            changes: TxChanges::default(),
            view_changes: Vec::new(),
        })
    }

    /// Moves the clock forward by `by`, running what falls due (see [`advance_to`](Self::advance_to)).
    ///
    /// # Panics
    ///
    /// If the clock would pass the largest timestamp; [`try_advance`](Self::try_advance) returns
    /// that as an error instead.
    pub fn advance(&mut self, by: TimeDuration) -> Vec<Outcome> {
        match self.try_advance(by) {
            Ok(outcomes) => outcomes,
            Err(error) => panic!("{error}"),
        }
    }

    /// Moves the clock forward by `by` like [`advance`](Self::advance), or refuses with
    /// [`AdvanceError::ClockOverflow`] (running nothing) if the clock would pass the largest
    /// timestamp.
    pub fn try_advance(&mut self, by: TimeDuration) -> Result<Vec<Outcome>, AdvanceError> {
        let target = self.advance_target(by)?;
        Ok(self.advance_to(target))
    }

    /// Moves the clock forward by `by`, handing each outcome to `each` as it happens (see
    /// [`advance_to_each`](Self::advance_to_each)); refuses a `by` that would move the clock past
    /// the largest timestamp.
    pub fn advance_each(&mut self, by: TimeDuration, each: impl FnMut(&Self, Outcome)) -> Result<usize, AdvanceError> {
        let target = self.advance_target(by)?;
        self.advance_to_each(target, each)
    }

    fn advance_target(&self, by: TimeDuration) -> Result<Timestamp, AdvanceError> {
        self.now.checked_add(by.abs()).ok_or(AdvanceError::ClockOverflow { now: self.now, by })
    }

    /// Runs whatever is due at the current time (calls queued with
    /// `volatile_nonatomic_schedule_immediate`, schedules at or before now).
    pub fn run_due_now(&mut self) -> Vec<Outcome> {
        self.advance_to(self.now)
    }

    /// A copy of the whole state, to [`restore`](Self::restore) later.
    pub fn snapshot(&self) -> EngineSnapshot {
        EngineSnapshot { datastore: self.datastore().clone(), scheduler: self.scheduler.clone(), now: self.now }
    }

    /// Puts back a state taken with [`snapshot`](Self::snapshot).
    pub fn restore(&mut self, snapshot: &EngineSnapshot) {
        self.datastore = Some(snapshot.datastore.clone());
        self.scheduler = snapshot.scheduler.clone();
        self.now = snapshot.now;
        self.views.invalidate();
    }

    /// Opens a transaction at the current time, hands `f` the host serving it, and rolls the
    /// transaction back when `f` gives the host back: for reading state through the module's own
    /// code (natively, the testing crate installs the host as the thread's host for the length
    /// of `f`). `f` reports a panic of the code it ran as `Err`; the engine rolls back first and
    /// then resumes the panic, so the database is unchanged either way.
    pub fn with_read_transaction<R>(
        &mut self,
        f: impl FnOnce(AbiHost, Timestamp) -> (AbiHost, std::thread::Result<R>),
    ) -> R {
        let mut host = self.host.take().expect("the host is only taken during a call");
        let tx = self.datastore.take().expect("the datastore is only taken during a call").begin(self.now);
        host.begin_call(Some(tx), Vec::new());
        let (mut host, result) = f(host, self.now);
        let end = host.end_call();
        self.host = Some(host);
        self.datastore = Some(end.tx.expect("the transaction is still installed").rollback());
        match result {
            Ok(r) => r,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }

    fn tick(&mut self) {
        self.now = self.now.checked_add(self.options.tick_per_call).unwrap_or(self.now);
    }

    fn check_args(&self, id: ReducerId, args: &[u8]) -> Result<(), CallError> {
        let reducer = self.schema.reducer(id).expect("ids come from the schema");
        let params = AlgebraicType::Product(reducer.params.clone());
        AlgebraicValue::decode_exact(&params, self.schema.typespace(), args)
            .map(drop)
            .map_err(|e| CallError::InvalidArguments { reducer: reducer.name.clone(), error: e.to_string() })
    }

    /// Runs one reducer in its own transaction at `timestamp`.
    fn run(&mut self, id: ReducerId, caller: Caller, args: Vec<u8>, timestamp: Timestamp) -> Outcome {
        let name = self.schema.reducer(id).expect("ids come from the schema").name.clone();
        let mut host = self.host.take().expect("the host is only taken during a call");
        let tx = self.datastore.take().expect("the datastore is only taken during a call").begin(timestamp);
        let args_source = host.begin_call(Some(tx), args);
        let call = export_call(id.0, &caller, timestamp, args_source);
        let iters_before = host.open_row_iters();
        let (mut host, result) = self.module.call_reducer(host, call);
        let leaked = host.open_row_iters().saturating_sub(iters_before);
        let end = host.end_call();
        self.host = Some(host);
        let tx = end.tx.expect("the transaction is still installed");
        let mut logs = end.logs;
        if leaked > 0 {
            // A server keeps unclosed iterators for the life of the module instance: a leak.
            logs.push(LogRecord {
                level: LogLevel::Warn,
                target: Some(name.clone()),
                filename: Some("worldtube-host".to_owned()),
                line_number: None,
                message: format!(
                    "`{name}` left {leaked} row iterator(s) open; a server keeps them allocated for the life of the \
                     module instance (iterate to the end or drop them)"
                ),
            });
        }
        // Queued immediate calls are outside the transaction: they stand whatever it does.
        for queued in end.scheduled {
            self.scheduler.schedule_immediate(queued.reducer, queued.args, timestamp);
        }
        let mut view_changes = Vec::new();
        let (status, changes) = match result {
            CallResult::Ok => {
                let (datastore, changes) = tx.commit();
                self.datastore = Some(datastore);
                self.scheduler.apply(&changes.schedules, timestamp);
                view_changes = self.after_commit(&changes);
                (Status::Committed, changes)
            }
            CallResult::Err(message) => {
                self.datastore = Some(tx.rollback());
                // The server logs a reducer's error under the reducer's name.
                logs.push(LogRecord {
                    level: LogLevel::Error,
                    target: Some(name.clone()),
                    filename: None,
                    line_number: None,
                    message: message.clone(),
                });
                (Status::Failed(message), TxChanges::default())
            }
            CallResult::Trap(message) => {
                self.datastore = Some(tx.rollback());
                (Status::Trapped(message), TxChanges::default())
            }
        };
        self.logs.extend(logs.iter().cloned());
        Outcome {
            generation: self.schema.generation(),
            reducer: name,
            caller,
            timestamp,
            status,
            logs,
            changes,
            view_changes,
        }
    }

    /// Runs one due item; `None` if there was nothing to run (the row is gone, or the queued
    /// reducer does not exist).
    fn run_due(&mut self, due: Due) -> Option<Outcome> {
        let scheduler_caller = Caller::identity(self.options.database_identity);
        match due {
            Due::Immediate { reducer, args } => {
                let id = self.schema.reducer_id(&reducer)?;
                self.check_args(id, &args).ok()?;
                Some(self.run(id, scheduler_caller, args, self.now))
            }
            Due::Row { table, schedule_id } => {
                let (_, target, row_bytes, _) = self.schedule_row(table, schedule_id)?;
                let mut outcome = match target {
                    ScheduleTarget::Reducer(reducer) => self.run(reducer, scheduler_caller, row_bytes, self.now),
                    ScheduleTarget::Procedure(procedure) => {
                        // As on 2.8.3, nothing scheduled runs while a scheduled procedure sleeps.
                        let ran = self.run_procedure(procedure, scheduler_caller, row_bytes, self.now, false);
                        self.scheduled_procedure_outcome(ran)
                    }
                };
                outcome.view_changes.extend(self.after_scheduled_run(table, schedule_id));
                Some(outcome)
            }
        }
    }

    /// Whether `due` calls a procedure (through its schedule table).
    fn calls_procedure(&self, due: &Due) -> bool {
        let Due::Row { table, schedule_id } = due else { return false };
        self.schedule_row(*table, *schedule_id)
            .is_some_and(|(_, target, _, _)| matches!(target, ScheduleTarget::Procedure(_)))
    }

    /// The name of what a schedule calls.
    fn function_name(&self, target: ScheduleTarget) -> String {
        match target {
            ScheduleTarget::Reducer(id) => self.schema.reducer(id).map(|r| r.name.clone()),
            ScheduleTarget::Procedure(id) => self.schema.procedure(id).map(|p| p.name.clone()),
        }
        .unwrap_or_default()
    }

    /// A scheduled procedure run as the [`Outcome`] an advance reports: committed if it
    /// returned, trapped if not, with the net changes of the transactions it committed.
    fn scheduled_procedure_outcome(&self, ran: ProcedureOutcome) -> Outcome {
        let status = match ran.status {
            ProcedureStatus::Returned { .. } => Status::Committed,
            ProcedureStatus::Trapped(message) => Status::Trapped(message),
        };
        let changes = ran.commits.into_iter().fold(TxChanges::default(), |all, c| all.then(c.changes));
        Outcome {
            generation: self.schema.generation(),
            reducer: ran.procedure,
            caller: ran.caller,
            timestamp: ran.timestamp,
            status,
            logs: ran.logs,
            changes,
            view_changes: ran.view_changes,
        }
    }

    /// The row of schedule table `table` whose primary key is `schedule_id` (found through the
    /// key's unique index): its id, what it calls, the argument bytes (the row) and its
    /// `ScheduleAt`.
    fn schedule_row(&self, table: TableId, schedule_id: u64) -> Option<(RowId, ScheduleTarget, Vec<u8>, ScheduleAt)> {
        let schedule = self.schema.table(table)?.schedule.as_ref()?;
        let key_index = self
            .schema
            .table(table)?
            .indexes
            .iter()
            .copied()
            .find(|&index| self.schema.index(index).is_some_and(|i| i.columns == [schedule.id_column]))?;
        let datastore = self.datastore();
        let row_id = *datastore.index_seek(key_index, &[AlgebraicValue::U64(schedule_id)])?.first()?;
        let row = datastore.row(table, row_id)?;
        let at_value = row.value().elements.get(usize::from(schedule.at_column))?;
        let at = bsatn::from_slice::<ScheduleAt>(&bsatn::to_vec(at_value)).ok()?;
        Some((row_id, schedule.target, row.bytes().to_vec(), at))
    }

    /// After a scheduled run, as the server does in a transaction of its own: an `Interval` row
    /// that still exists runs again one interval later; a `Time` row is deleted.
    /// What changed in subscribed views.
    fn after_scheduled_run(&mut self, table: TableId, schedule_id: u64) -> Vec<ViewChange> {
        let Some((row_id, _, _, at)) = self.schedule_row(table, schedule_id) else { return Vec::new() };
        match at {
            ScheduleAt::Interval(interval) => {
                // An interval that would pass the end of time never comes due again.
                if let Some(next) = self.now.checked_add(interval.abs()) {
                    self.scheduler.schedule_row(table, schedule_id, next);
                }
                Vec::new()
            }
            ScheduleAt::Time(_) => {
                let mut tx = self.datastore.take().expect("the datastore is only taken during a call").begin(self.now);
                tx.delete_row(table, row_id);
                let (datastore, changes) = tx.commit();
                self.datastore = Some(datastore);
                self.scheduler.apply(&changes.schedules, self.now);
                self.after_commit(&changes)
            }
        }
    }
}

/// Decodes a module's describe output as the server does (SPEC §7.1, §9): one `RawModuleDef`
/// from the front of `bytes`; anything after it is ignored (the server's BSATN `from_slice`
/// does not check for trailing bytes either).
pub fn decode_module_def(bytes: &[u8]) -> Result<ModuleDef, DescriptionError> {
    let mut reader = bsatn::Reader::new(bytes);
    match <RawModuleDef as bsatn::Decode<'_>>::decode(&mut reader).map_err(DescriptionError::Decode)? {
        RawModuleDef::V9(def) => Ok(ModuleDef::V9(def)),
        RawModuleDef::V10(def) => Ok(ModuleDef::V10(def)),
        RawModuleDef::V8BackCompat(never) => match never {},
    }
}

/// Why a module's description cannot be installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescriptionError {
    /// The bytes are not a `RawModuleDef`.
    Decode(bsatn::DecodeError),
}

impl fmt::Display for DescriptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DescriptionError::Decode(e) => write!(f, "the module's description does not decode: {e}"),
        }
    }
}

impl std::error::Error for DescriptionError {}

/// Which schedule a due item belongs to, for the [`MAX_RUNS_PER_INSTANT`] guard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum DueKey {
    Row(TableId, u64),
    Immediate(String),
}

impl DueKey {
    fn of(due: &Due) -> DueKey {
        match due {
            Due::Row { table, schedule_id } => DueKey::Row(*table, *schedule_id),
            Due::Immediate { reducer, .. } => DueKey::Immediate(reducer.clone()),
        }
    }
}

/// The arguments of a `__call_reducer__` (or `__call_procedure__`) call of function `id` by
/// `caller` at `timestamp`, its error (or result) sink [`ERROR_SINK`].
fn export_call(id: u32, caller: &Caller, timestamp: Timestamp, args_source: u32) -> ReducerCall {
    ReducerCall {
        id,
        sender: caller.identity.to_byte_array(),
        connection_id: caller.connection_id.unwrap_or(ConnectionId::ZERO).as_le_byte_array(),
        timestamp_micros: timestamp.to_micros_since_unix_epoch(),
        args_source,
        error_sink: ERROR_SINK,
    }
}

/// A record of this host's own (file name `worldtube-host`).
fn host_record(level: LogLevel, target: Option<String>, message: String) -> LogRecord {
    LogRecord { level, target, filename: Some("worldtube-host".to_owned()), line_number: None, message }
}

/// A record of the server's own (its `SystemLogger`): `Info`, no target, file name `spacetimedb`.
fn system_record(message: String) -> LogRecord {
    LogRecord {
        level: LogLevel::Info,
        target: None,
        filename: Some("spacetimedb".to_owned()),
        line_number: None,
        message,
    }
}
