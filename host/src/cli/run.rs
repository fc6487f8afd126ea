//! `worldtube run`: a fresh database, the steps in order, each outcome printed.

use super::args::{Action, Dump, Expect, RunArgs, Step};
use super::{CliError, Exit};
use crate::datastore::TxChanges;
use crate::engine::{Caller, Engine, EngineOptions, InstallError, Outcome, ProcedureOutcome, ProcedureStatus, Status};
use crate::http::HttpResponders;
use crate::runtime::WasmModule;
use crate::schema::{Schema, TableId};
use std::collections::BTreeMap;
use std::io::Write;
use worldtube_abi::LogLevel;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue, ValueWithType};
use worldtube_lib::raw_def::Lifecycle;
use worldtube_lib::TimeDuration;

/// The settings of a database a run installs the module into: [`EngineOptions::named`] for
/// [`OWNER`], as a native test's database has them by default, so that a run and a native test
/// of the same steps see the same identities, clock and random seeds.
pub fn engine_options() -> EngineOptions {
    EngineOptions::named(OWNER)
}

/// The owner's name: who runs `init`, and who calls before any `as`.
pub use crate::names::OWNER;

/// The connection id of the `n`th connection (counting from 1) of a run, made for `name`: the
/// same as a native test's client gets ([`crate::names::connection_id`]).
pub use crate::names::connection_id;

/// Runs `args` against a fresh database with `module` installed.
pub fn run(module: WasmModule, args: &RunArgs, http: HttpResponders, out: &mut dyn Write) -> Result<Exit, CliError> {
    let mut engine = Engine::install(module, engine_options()).map_err(|e| match e {
        InstallError::InitFailed(outcome) => CliError::Module(format!(
            "`init` failed: {}{}",
            outcome.result().unwrap_err(),
            outcome.logs.iter().map(|l| format!("\n  {}", log_line(l.level, &l.message))).collect::<String>()
        )),
        other => CliError::Module(other.to_string()),
    })?;
    *engine.http_responders_mut() = http;
    let mut runner = Runner {
        engine,
        connected: BTreeMap::new(),
        connections: 0,
        caller: OWNER.to_owned(),
        failures: 0,
        brief: args.brief,
        out,
    };
    let init = match runner.engine.schema().lifecycle_reducer(Lifecycle::Init) {
        Some(_) => "init: ok",
        None => "no init reducer",
    };
    writeln!(runner.out, "installed into a fresh database ({init}; clock at {})", runner.engine.now())?;
    // Whatever `init` logged.
    for log in runner.engine.logs() {
        writeln!(runner.out, "    {}", log_line(log.level, &log.message))?;
    }
    for step in &args.steps {
        let failures = runner.failures;
        runner.step(step)?;
        if runner.failures > failures && !args.keep_going {
            writeln!(runner.out, "stopped: {} failed (--keep-going runs the remaining steps)", step.origin)?;
            return Ok(Exit::Failed);
        }
    }
    for dump in &args.final_dumps {
        writeln!(runner.out, "> {}", Action::Dump(dump.clone()).to_line())?;
        runner.dump(dump)?;
    }
    if runner.failures > 0 && !args.keep_going {
        return Ok(Exit::Failed);
    }
    Ok(Exit::Ok)
}

struct Runner<'a> {
    engine: Engine<WasmModule>,
    /// Connected clients by name.
    connected: BTreeMap<String, Caller>,
    /// Connections made so far (for connection ids).
    connections: u128,
    /// The name calls without a caller are made as.
    caller: String,
    /// Failed steps so far.
    failures: usize,
    brief: bool,
    out: &'a mut dyn Write,
}

impl Runner<'_> {
    fn step(&mut self, step: &Step) -> Result<(), CliError> {
        match &step.action {
            Action::Call { caller: None, .. } | Action::View { caller: None, anonymous: false, .. } => {
                writeln!(self.out, "> {}  (as {})", step.action.to_line(), self.caller)?
            }
            action => writeln!(self.out, "> {}", action.to_line())?,
        }
        match &step.action {
            Action::As(name) => self.caller = name.clone(),
            Action::Connect { name, expect } => {
                if self.connected.contains_key(name) {
                    return self.step_error(format!("`{name}` is already connected"));
                }
                self.connections += 1;
                let caller = Caller {
                    identity: crate::names::identity(name),
                    connection_id: Some(connection_id(name, self.connections)),
                };
                let outcome = self.engine.connect(caller);
                if outcome.is_ok() {
                    self.connected.insert(name.clone(), caller);
                }
                self.report(&outcome, "client_connected", expect)?;
            }
            Action::Disconnect { name, expect } => {
                let Some(caller) = self.connected.remove(name) else {
                    return self.step_error(format!("`{name}` is not connected"));
                };
                let outcome = self.engine.disconnect(caller);
                self.report(&outcome, "client_disconnected", expect)?;
            }
            Action::Call { caller, reducer, text, expect, .. } => {
                let name = caller.as_deref().unwrap_or(&self.caller).to_owned();
                let caller = self.caller_named(&name);
                let schema = self.engine.schema().clone();
                if schema.reducer_id(reducer).is_none() {
                    if schema.procedure_id(reducer).is_some() {
                        return match self.engine.call_procedure_json(reducer, caller, text) {
                            Ok(outcome) => self.report_procedure(&outcome, expect),
                            Err(e) => self.step_error(e.to_string()),
                        };
                    }
                    let names: Vec<&str> = schema.reducers().iter().map(|r| r.name.as_str()).collect();
                    let procedures: Vec<&str> = schema.procedures().iter().map(|p| p.name.as_str()).collect();
                    let procedures = match procedures.is_empty() {
                        true => String::new(),
                        false => format!("; its procedures are: {}", procedures.join(", ")),
                    };
                    return self.step_error(format!(
                        "the module has no reducer named `{reducer}`; its reducers are: {}{procedures}",
                        names.join(", ")
                    ));
                }
                match self.engine.call_json(reducer, caller, text) {
                    Ok(outcome) => self.report(&outcome, reducer, expect)?,
                    Err(e) => return self.step_error(e.to_string()),
                }
            }
            Action::Advance { micros, .. } => {
                // Each outcome is printed as soon as its call ran: an advance over a short
                // interval may run many calls, and none of them is kept.
                let (out, brief) = (&mut *self.out, self.brief);
                let mut failures = 0;
                let mut written = Ok(());
                let advanced = self.engine.advance_each(TimeDuration::from_micros(*micros), |engine, outcome| {
                    if written.is_ok() {
                        written = report(out, engine, brief, &outcome, "", &Expect::Ok).map(|failed| {
                            failures += usize::from(failed);
                        });
                    }
                });
                written?;
                self.failures += failures;
                match advanced {
                    Ok(runs) => writeln!(self.out, "  clock at {} ({runs} scheduled call(s) ran)", self.engine.now())?,
                    Err(error) => return self.step_error(error.to_string()),
                }
            }
            Action::View { caller, view, anonymous } => {
                let reader = match anonymous {
                    true => None,
                    false => Some(self.caller_named(caller.as_deref().unwrap_or(&self.caller)).identity),
                };
                match self.engine.read_view(view, reader) {
                    Ok(rows) => {
                        let schema = self.engine.schema().clone();
                        let ty = AlgebraicType::Ref(schema.view(rows.view).expect("read by id").row_type_ref);
                        let values: Vec<AlgebraicValue> = rows.rows.into_iter().map(AlgebraicValue::Product).collect();
                        self.write_rows(view, &ty, &values, &schema)?;
                    }
                    Err(e) => return self.step_error(e.to_string()),
                }
            }
            Action::Dump(dump) => self.dump(dump)?,
        }
        Ok(())
    }

    /// `  NAME (N rows):` and the rows as pretty JSON.
    fn write_rows(
        &mut self,
        name: &str,
        ty: &AlgebraicType,
        rows: &[AlgebraicValue],
        schema: &Schema,
    ) -> Result<(), CliError> {
        let count = rows.len();
        writeln!(self.out, "  {name} ({count} row{}):", if count == 1 { "" } else { "s" })?;
        let rendered: Vec<_> = rows.iter().map(|row| ValueWithType::new(row, ty, schema.typespace())).collect();
        let text = serde_json::to_string_pretty(&rendered).map_err(|e| CliError::Module(e.to_string()))?;
        for line in text.lines() {
            writeln!(self.out, "  {line}")?;
        }
        Ok(())
    }

    /// A step that could not be carried out (as opposed to a call that failed).
    fn step_error(&mut self, message: String) -> Result<(), CliError> {
        self.failures += 1;
        writeln!(self.out, "  error: {message}")?;
        Ok(())
    }

    /// The caller called `name`: its connection if connected, otherwise just its identity.
    fn caller_named(&self, name: &str) -> Caller {
        self.connected.get(name).copied().unwrap_or_else(|| Caller::identity(crate::names::identity(name)))
    }

    /// Prints an outcome (see [`report`]) and counts a failure unless it was expected.
    fn report(&mut self, outcome: &Outcome, lifecycle: &str, expect: &Expect) -> Result<(), CliError> {
        if report(&mut *self.out, &self.engine, self.brief, outcome, lifecycle, expect)? {
            self.failures += 1;
        }
        Ok(())
    }

    /// Prints a procedure call: its return value (or failure), log, HTTP requests and the rows
    /// each committed transaction changed; counts a failure unless it was expected.
    fn report_procedure(&mut self, outcome: &ProcedureOutcome, expect: &Expect) -> Result<(), CliError> {
        let schema = self.engine.schema().clone();
        let (status, error) = match &outcome.status {
            ProcedureStatus::Returned { value, .. } => {
                let ty = schema.procedure_id(&outcome.procedure).and_then(|id| schema.procedure(id));
                let ty = ty.map_or_else(AlgebraicType::unit, |p| p.return_type.clone());
                let json = serde_json::to_string(&ValueWithType::new(value, &ty, schema.typespace()))
                    .unwrap_or_else(|e| format!("(cannot render the value: {e})"));
                (format!("returned {json}"), None)
            }
            ProcedureStatus::Trapped(message) => (format!("panic: {message}"), Some(message)),
        };
        let (failed, verdict) = verdict(expect, error.map(String::as_str));
        writeln!(self.out, "  {}: {status}{verdict}", outcome.procedure)?;
        for log in &outcome.logs {
            writeln!(self.out, "    {}", log_line(log.level, &log.message))?;
        }
        for exchange in &outcome.http {
            let answer = match &exchange.answer {
                Ok(status) => status.to_string(),
                Err(error) => format!("failed: {error}"),
            };
            writeln!(self.out, "    http {} {} -> {answer}", exchange.method, exchange.uri)?;
        }
        for commit in &outcome.commits {
            writeln!(self.out, "    committed at {}", commit.timestamp)?;
            write_changes(&mut *self.out, &schema, self.brief, &commit.changes)?;
        }
        if outcome.ended_at > outcome.timestamp {
            writeln!(self.out, "    slept until {}", outcome.ended_at)?;
        }
        self.failures += usize::from(failed);
        Ok(())
    }

    fn dump(&mut self, dump: &Dump) -> Result<(), CliError> {
        let schema = self.engine.schema().clone();
        let tables: Vec<_> = match dump {
            Dump::All => schema.tables().iter().map(|t| t.id).collect(),
            Dump::Table(name) => match schema.table_id(name) {
                Some(id) => vec![id],
                None => {
                    let names: Vec<&str> = schema.tables().iter().map(|t| t.name.as_str()).collect();
                    return self.step_error(format!(
                        "the module has no table named `{name}`; its tables are: {}",
                        names.join(", ")
                    ));
                }
            },
        };
        for id in tables {
            let Some(table) = schema.table(id) else { continue };
            let ty = AlgebraicType::Ref(table.row_type_ref);
            let rows: Vec<AlgebraicValue> = self
                .engine
                .datastore()
                .rows(id)
                .map(|rows| rows.map(|(_, row)| AlgebraicValue::Product(row.value().clone())).collect())
                .unwrap_or_default();
            self.write_rows(&table.name, &ty, &rows, &schema)?;
        }
        Ok(())
    }
}

/// Prints an outcome: how it ended, its log, and the rows it changed; whether it counts as a
/// failure (it was not what `expect` asked for).
fn report(
    out: &mut dyn Write,
    engine: &Engine<WasmModule>,
    brief: bool,
    outcome: &Outcome,
    lifecycle: &str,
    expect: &Expect,
) -> std::io::Result<bool> {
    let name = if outcome.reducer.is_empty() {
        format!("(no {lifecycle} reducer)")
    } else if outcome.caller.identity == engine.options().database_identity {
        format!("{} [scheduled at {}]", outcome.reducer, outcome.timestamp)
    } else {
        outcome.reducer.clone()
    };
    let status = match &outcome.status {
        Status::Committed => "ok".to_owned(),
        Status::Failed(message) => format!("error: {message}"),
        Status::Trapped(message) => format!("panic: {message}"),
    };
    let (failed, verdict) = verdict(
        expect,
        match &outcome.status {
            Status::Committed => None,
            Status::Failed(m) | Status::Trapped(m) => Some(m.as_str()),
        },
    );
    writeln!(out, "  {name}: {status}{verdict}")?;
    for log in &outcome.logs {
        writeln!(out, "    {}", log_line(log.level, &log.message))?;
    }
    write_changes(out, engine.schema(), brief, &outcome.changes)?;
    Ok(failed)
}

/// Whether a call that ended with `error` (`None`: it succeeded) counts as a failure given
/// `expect`, and the note printed after its status.
fn verdict(expect: &Expect, error: Option<&str>) -> (bool, &'static str) {
    match (expect, error) {
        (Expect::Ok, None) => (false, ""),
        (Expect::Ok, Some(_)) => (true, ""),
        (Expect::Error(_), None) => (true, "  (FAILED: expected an error)"),
        (Expect::Error(text), Some(m)) if m.contains(text.as_str()) => (false, "  (expected)"),
        (Expect::Error(_), Some(_)) => (true, "  (FAILED: expected an error containing the given text)"),
    }
}

/// The rows `changes` deleted (-) and inserted (+), per table; with `brief`, their counts.
fn write_changes(out: &mut dyn Write, schema: &Schema, brief: bool, changes: &TxChanges) -> std::io::Result<()> {
    for changes in &changes.tables {
        let table = schema.table(changes.table).map_or("?", |t| t.name.as_str());
        if brief {
            writeln!(out, "    {table}: +{} -{}", changes.inserted.len(), changes.deleted.len())?;
            continue;
        }
        for row in &changes.deleted {
            writeln!(out, "    - {table} {}", row_text(schema, changes.table, row.value()))?;
        }
        for row in &changes.inserted {
            writeln!(out, "    + {table} {}", row_text(schema, changes.table, row.value()))?;
        }
    }
    Ok(())
}

/// A row as one line of JSON, columns in table order.
fn row_text(schema: &Schema, table: TableId, row: &ProductValue) -> String {
    let Some(table) = schema.table(table) else { return "?".to_owned() };
    let value = AlgebraicValue::Product(row.clone());
    let ty = AlgebraicType::Ref(table.row_type_ref);
    serde_json::to_string(&ValueWithType::new(&value, &ty, schema.typespace()))
        .unwrap_or_else(|e| format!("(cannot render the row: {e})"))
}

/// `[INFO] message`.
fn log_line(level: LogLevel, message: &str) -> String {
    format!("[{}] {message}", level.name())
}
