//! `worldtube run`: a fresh database, the steps in order, each outcome reported (as text, or as
//! JSON lines with `--json`).

use super::args::{Action, Dump, Expect, RunArgs, Step};
use super::report::{log_line, Event, ReducerStep, Reporter, RowsOf, Verdict};
use super::{CliError, Exit};
use crate::engine::{Caller, Engine, EngineOptions, InstallError, Outcome, RouteRequest};
use crate::http::HttpResponders;
use crate::runtime::WasmModule;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue};
use worldtube_lib::http::Method;
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

/// Runs `args` against a fresh database with `module` (read from the `.wasm` file `path`)
/// installed, reporting to `out` as text or, with `--json`, as JSON lines.
pub fn run(
    module: WasmModule,
    path: &Path,
    args: &RunArgs,
    http: HttpResponders,
    out: &mut dyn Write,
) -> Result<Exit, CliError> {
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
        report: Reporter::new(out, args.json, args.brief),
    };
    let schema = runner.engine.schema().clone();
    let installed = Event::Installed {
        module: path,
        init: schema.lifecycle_reducer(Lifecycle::Init).is_some(),
        clock: runner.engine.now(),
        // Whatever `init` logged.
        logs: runner.engine.logs(),
    };
    runner.report.event(&schema, &installed)?;
    for step in &args.steps {
        let failures = runner.failures;
        runner.step(step)?;
        if runner.failures > failures && !args.keep_going {
            return runner.finish(Some(&step.origin), Exit::Failed);
        }
    }
    for dump in &args.final_dumps {
        let step = Step { action: Action::Dump(dump.clone()), origin: "command line".to_owned() };
        runner.report.begin_step(&step, &runner.caller)?;
        runner.dump(dump)?;
    }
    let exit = if runner.failures > 0 && !args.keep_going { Exit::Failed } else { Exit::Ok };
    runner.finish(None, exit)
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
    report: Reporter<'a>,
}

impl Runner<'_> {
    fn step(&mut self, step: &Step) -> Result<(), CliError> {
        self.report.begin_step(step, &self.caller)?;
        let schema = self.engine.schema().clone();
        match &step.action {
            Action::As(name) => {
                self.caller = name.clone();
                self.report.event(&schema, &Event::As { caller: name })?;
            }
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
                self.report_reducer(ReducerStep::Connect, name, &outcome, expect)?;
            }
            Action::Disconnect { name, expect } => {
                let Some(caller) = self.connected.remove(name) else {
                    return self.step_error(format!("`{name}` is not connected"));
                };
                let outcome = self.engine.disconnect(caller);
                self.report_reducer(ReducerStep::Disconnect, name, &outcome, expect)?;
            }
            Action::Call { caller, reducer, text, expect, .. } => {
                let name = caller.as_deref().unwrap_or(&self.caller).to_owned();
                let caller = self.caller_named(&name);
                if schema.reducer_id(reducer).is_none() {
                    if let Some(id) = schema.procedure_id(reducer) {
                        return match self.engine.call_procedure_json(reducer, caller, text) {
                            Ok(outcome) => {
                                let return_type = schema.procedure(id).map(|p| &p.return_type);
                                let return_type = return_type.cloned().unwrap_or_else(AlgebraicType::unit);
                                let verdict = Verdict::of(expect, outcome.result().err());
                                self.failures += usize::from(verdict.failed);
                                let event = Event::Procedure {
                                    caller: &name,
                                    outcome: &outcome,
                                    return_type: &return_type,
                                    expect,
                                    verdict,
                                };
                                self.report.event(&schema, &event)?;
                                self.report_meanwhile(&outcome.meanwhile)
                            }
                            Err(e) => self.refused(e.to_string(), expect),
                        };
                    }
                    let names: Vec<&str> = schema.reducers().iter().map(|r| r.name.as_str()).collect();
                    let procedures: Vec<&str> = schema.procedures().iter().map(|p| p.name.as_str()).collect();
                    let procedures = match procedures.is_empty() {
                        true => String::new(),
                        false => format!("; its procedures are: {}", procedures.join(", ")),
                    };
                    // A refusal like any other: `expect-error` after the step may expect it.
                    let message = format!(
                        "the module has no reducer named `{reducer}`; its reducers are: {}{procedures}",
                        names.join(", ")
                    );
                    return self.refused(message, expect);
                }
                match self.engine.call_json(reducer, caller, text) {
                    Ok(outcome) => {
                        self.report_reducer(ReducerStep::Call, &name, &outcome, expect)?;
                        drop_aside(outcome);
                    }
                    Err(e) => return self.refused(e.to_string(), expect),
                }
            }
            Action::Advance { micros, .. } => {
                // Each outcome is reported as soon as its call ran: an advance over a short
                // interval may run many calls, and none of them is kept.
                let report = &mut self.report;
                let mut failures = 0;
                let mut written = Ok(());
                let advanced = self.engine.advance_each(TimeDuration::from_micros(*micros), |engine, outcome| {
                    if written.is_ok() {
                        let verdict = Verdict::of(&Expect::Ok, outcome.result().err().as_deref());
                        failures += usize::from(verdict.failed);
                        let event = Event::Reducer {
                            step: ReducerStep::Scheduled,
                            caller: crate::names::DATABASE,
                            by_database: outcome.caller.identity == engine.options().database_identity,
                            outcome: &outcome,
                            expect: &Expect::Ok,
                            verdict,
                        };
                        written = report.event(engine.schema(), &event);
                    }
                });
                written?;
                self.failures += failures;
                match advanced {
                    Ok(runs) => self.report.event(&schema, &Event::Advanced { clock: self.engine.now(), runs })?,
                    Err(error) => return self.step_error(error.to_string()),
                }
            }
            Action::View { caller, view, anonymous } => {
                let reader = match anonymous {
                    true => None,
                    false => Some(caller.as_deref().unwrap_or(&self.caller).to_owned()),
                };
                let identity = reader.as_deref().map(|name| self.caller_named(name).identity);
                match self.engine.read_view(view, identity) {
                    Ok(rows) => {
                        let ty = AlgebraicType::Ref(schema.view(rows.view).expect("read by id").row_type_ref);
                        let values: Vec<AlgebraicValue> = rows.rows.into_iter().map(AlgebraicValue::Product).collect();
                        let of = RowsOf::View { reader: reader.as_deref() };
                        self.report.event(&schema, &Event::Rows { of, name: view, ty: &ty, rows: &values })?;
                    }
                    Err(e) => return self.step_error(e.to_string()),
                }
            }
            Action::Route { method, target, body, expect } => {
                let request = RouteRequest::new(Method::from_name(method), target.clone()).body(body.as_bytes());
                match self.engine.call_route(request) {
                    Ok(outcome) => {
                        let verdict = Verdict::of(expect, outcome.response.as_ref().err().map(String::as_str));
                        self.failures += usize::from(verdict.failed);
                        self.report.event(&schema, &Event::Route { outcome: &outcome, expect, verdict })?;
                        self.report_meanwhile(&outcome.meanwhile)?;
                    }
                    Err(e) => return self.refused(e.to_string(), expect),
                }
            }
            Action::Dump(dump) => self.dump(dump)?,
        }
        Ok(())
    }

    /// Reports the scheduled reducers that ran while a procedure or HTTP handler slept, as an
    /// advance reports the calls it runs.
    fn report_meanwhile(&mut self, outcomes: &[Outcome]) -> Result<(), CliError> {
        for outcome in outcomes {
            let verdict = Verdict::of(&Expect::Ok, outcome.result().err().as_deref());
            self.failures += usize::from(verdict.failed);
            let event = Event::Reducer {
                step: ReducerStep::Scheduled,
                caller: crate::names::DATABASE,
                by_database: true,
                outcome,
                expect: &Expect::Ok,
                verdict,
            };
            self.report.event(self.engine.schema(), &event)?;
        }
        Ok(())
    }

    /// A step that could not be carried out (as opposed to a call that failed).
    fn step_error(&mut self, message: String) -> Result<(), CliError> {
        self.refused(message, &Expect::Ok)
    }

    /// A step that could not be carried out, or a call the host refused: a failure unless
    /// `expect` (a call's `expect-error`) expected the message.
    fn refused(&mut self, message: String, expect: &Expect) -> Result<(), CliError> {
        let verdict = match expect {
            Expect::Ok => Verdict { failed: true, note: "" },
            _ => Verdict::of(expect, Some(&message)),
        };
        self.failures += usize::from(verdict.failed);
        self.report.event(self.engine.schema(), &Event::Error { message: &message, expect, verdict })?;
        Ok(())
    }

    /// The caller called `name`: its connection if connected, otherwise just its identity.
    fn caller_named(&self, name: &str) -> Caller {
        self.connected.get(name).copied().unwrap_or_else(|| Caller::identity(crate::names::identity(name)))
    }

    /// Reports a reducer's outcome and counts a failure unless it was expected.
    fn report_reducer(
        &mut self,
        step: ReducerStep,
        caller: &str,
        outcome: &Outcome,
        expect: &Expect,
    ) -> Result<(), CliError> {
        let verdict = Verdict::of(expect, outcome.result().err().as_deref());
        self.failures += usize::from(verdict.failed);
        let by_database = outcome.caller.identity == self.engine.options().database_identity;
        let event = Event::Reducer { step, caller, by_database, outcome, expect, verdict };
        self.report.event(self.engine.schema(), &event)?;
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
            let event = Event::Rows { of: RowsOf::Table, name: &table.name, ty: &ty, rows: &rows };
            self.report.event(&schema, &event)?;
        }
        Ok(())
    }

    /// Ends the run (`stopped_at`: after that step failed) with `exit`.
    fn finish(mut self, stopped_at: Option<&str>, exit: Exit) -> Result<Exit, CliError> {
        let summary = Event::Summary { failed_steps: self.failures, stopped_at, exit };
        self.report.event(self.engine.schema(), &summary)?;
        if LEAVE_DATABASE_AT_EXIT.load(Ordering::Relaxed) {
            // The process ends next: freeing every row one by one (1.2 M rows of perf-test:
            // about half a second) would only delay the exit.
            std::mem::forget(self.engine);
        }
        Ok(exit)
    }
}

/// How many changed rows make an outcome big enough to free on a thread of its own.
const FREE_ASIDE_ROWS: usize = 100_000;

/// Frees a call's outcome once it is reported: one that changed many rows (perf-test's load
/// lists 1.2 M, each a shared row whose count drops; about 20 ms) on a thread of its own, so
/// that the time does not land on the next step; a small one here.
fn drop_aside(outcome: Outcome) {
    let rows: usize = outcome.changes.tables.iter().map(|t| t.inserted.len() + t.deleted.len()).sum();
    if rows >= FREE_ASIDE_ROWS {
        std::thread::spawn(move || drop(outcome));
    }
}

/// Set by the `worldtube` binary, whose process ends right after the run: the database is then
/// left to the operating system rather than freed row by row. Off for in-process callers (tests).
pub static LEAVE_DATABASE_AT_EXIT: AtomicBool = AtomicBool::new(false);
