//! What `worldtube run` reports, and how: each step (and the install, each scheduled call, each
//! table dumped and the end of the run) becomes one [`Event`], which a [`Reporter`] writes either
//! as the human-readable text or, with `--json`, as one line of JSON (JSON Lines).
//!
//! The run decides what happened (outcomes, verdicts, failures); this module only renders it, so
//! the two formats cannot disagree about a run.

use super::args::{Expect, Step};
use super::Exit;
use crate::abi_host::LogRecord;
use crate::datastore::{Row, TxChanges};
use crate::engine::{Commit, Outcome, ProcedureOutcome, ProcedureStatus, RouteOutcome, Status};
use crate::schema::Schema;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use worldtube_abi::LogLevel;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ValueWithType};
use worldtube_lib::{ConnectionId, Identity, Timestamp};

/// Whether a call-like step counts as failed, and the note the text format prints after its
/// status (`  (expected)`, `  (FAILED: ...)` or nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Verdict {
    /// It was not what the step expected: it fails the run.
    pub(super) failed: bool,
    /// The text format's note.
    pub(super) note: &'static str,
}

impl Verdict {
    /// The verdict on a call that ended with `error` (`None`: it succeeded) given `expect`.
    pub(super) fn of(expect: &Expect, error: Option<&str>) -> Self {
        let (failed, note) = match (expect, error) {
            (Expect::Ok, None) => (false, ""),
            (Expect::Ok, Some(_)) => (true, ""),
            (Expect::Error(_), None) => (true, "  (FAILED: expected an error)"),
            (Expect::Error(text), Some(m)) if m.contains(text.as_str()) => (false, "  (expected)"),
            (Expect::Error(_), Some(_)) => (true, "  (FAILED: expected an error containing the given text)"),
        };
        Self { failed, note }
    }
}

/// Which step ran a reducer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReducerStep {
    /// A `call`.
    Call,
    /// A `connect`: the `client_connected` reducer.
    Connect,
    /// A `disconnect`: the `client_disconnected` reducer.
    Disconnect,
    /// An `advance`: a scheduled call that fell due.
    Scheduled,
}

impl ReducerStep {
    /// The JSON `event`.
    fn event(self) -> &'static str {
        match self {
            ReducerStep::Call => "call",
            ReducerStep::Connect => "connect",
            ReducerStep::Disconnect => "disconnect",
            ReducerStep::Scheduled => "scheduled",
        }
    }

    /// The lifecycle reducer the step runs, for `(no client_connected reducer)`.
    fn lifecycle(self) -> &'static str {
        match self {
            ReducerStep::Connect => "client_connected",
            ReducerStep::Disconnect => "client_disconnected",
            ReducerStep::Call | ReducerStep::Scheduled => "",
        }
    }
}

/// What rows an [`Event::Rows`] shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowsOf<'a> {
    /// A table's committed rows (`dump`).
    Table,
    /// A view's rows as `reader` (`None`: anonymously) reads them.
    View {
        /// Who read it.
        reader: Option<&'a str>,
    },
}

/// One thing a run reports.
pub(super) enum Event<'a> {
    /// The module was installed into a fresh database (running `init` if it has one).
    Installed {
        /// The `.wasm` file.
        module: &'a Path,
        /// Whether it has an `init` reducer (which then ran and committed).
        init: bool,
        /// The clock after the install.
        clock: Timestamp,
        /// What `init` logged.
        logs: &'a [LogRecord],
    },
    /// `as NAME`.
    As {
        /// The name later calls are made as.
        caller: &'a str,
    },
    /// A reducer ran.
    Reducer {
        /// The step that ran it.
        step: ReducerStep,
        /// Who called, by name.
        caller: &'a str,
        /// Whether the caller is the database itself (the text format then shows the call's
        /// time, as for a scheduled call).
        by_database: bool,
        /// What it did.
        outcome: &'a Outcome,
        /// What the step expected.
        expect: &'a Expect,
        /// The verdict on it.
        verdict: Verdict,
    },
    /// A procedure ran (a `call` of a procedure).
    Procedure {
        /// Who called, by name.
        caller: &'a str,
        /// What it did.
        outcome: &'a ProcedureOutcome,
        /// Its return type.
        return_type: &'a AlgebraicType,
        /// What the step expected.
        expect: &'a Expect,
        /// The verdict on it.
        verdict: Verdict,
    },
    /// A request to the module's routes ran an HTTP handler.
    Route {
        /// What it did.
        outcome: &'a RouteOutcome,
        /// What the step expected.
        expect: &'a Expect,
        /// The verdict on it.
        verdict: Verdict,
    },
    /// A table's or a view's rows.
    Rows {
        /// Which.
        of: RowsOf<'a>,
        /// The table's or view's name.
        name: &'a str,
        /// The row type.
        ty: &'a AlgebraicType,
        /// The rows.
        rows: &'a [AlgebraicValue],
    },
    /// An `advance` moved the clock.
    Advanced {
        /// The clock now.
        clock: Timestamp,
        /// How many scheduled calls ran.
        runs: usize,
    },
    /// A step could not be carried out (as opposed to a call that failed): among them a call the
    /// host refused before running it (no such reducer, invalid arguments), which an
    /// `expect-error` may expect.
    Error {
        /// Why.
        message: &'a str,
        /// What the step expected (`Expect::Ok` for steps that cannot expect an error).
        expect: &'a Expect,
        /// The verdict on the refusal.
        verdict: Verdict,
    },
    /// The run is over.
    Summary {
        /// Failed steps (and failed scheduled calls).
        failed_steps: usize,
        /// The step the run stopped after, if it stopped early.
        stopped_at: Option<&'a str>,
        /// The exit status.
        exit: Exit,
    },
}

/// Writes [`Event`]s as text or as JSON lines.
pub(super) struct Reporter<'a> {
    out: &'a mut dyn Write,
    json: bool,
    brief: bool,
    /// The step running: where it came from and its line, put into each JSON event.
    step: Option<(String, String)>,
}

impl<'a> Reporter<'a> {
    /// A reporter writing to `out`: JSON lines if `json`; changes as counts if `brief`.
    pub(super) fn new(out: &'a mut dyn Write, json: bool, brief: bool) -> Self {
        Self { out, json, brief, step: None }
    }

    /// A step starts: the text format prints it (`> call f [1]  (as alice)`, with the caller
    /// when the step does not name one); the JSON format names it in the events that follow.
    pub(super) fn begin_step(&mut self, step: &Step, caller: &str) -> io::Result<()> {
        use super::args::Action;
        let line = step.action.to_line();
        if !self.json {
            match &step.action {
                Action::Call { caller: None, .. } | Action::View { caller: None, anonymous: false, .. } => {
                    writeln!(self.out, "> {line}  (as {caller})")?
                }
                _ => writeln!(self.out, "> {line}")?,
            }
        }
        self.step = Some((step.origin.clone(), line));
        Ok(())
    }

    /// Writes `event`; `schema` names tables and types the rows.
    pub(super) fn event(&mut self, schema: &Schema, event: &Event<'_>) -> io::Result<()> {
        match self.json {
            true => self.json_event(schema, event),
            false => self.text_event(schema, event),
        }
    }

    fn text_event(&mut self, schema: &Schema, event: &Event<'_>) -> io::Result<()> {
        let out = &mut *self.out;
        match *event {
            Event::Installed { init, clock, logs, .. } => {
                let init = if init { "init: ok" } else { "no init reducer" };
                writeln!(out, "installed into a fresh database ({init}; clock at {clock})")?;
                write_logs(out, logs)?;
            }
            Event::As { .. } => {}
            Event::Reducer { step, by_database, outcome, verdict, .. } => {
                let name = if outcome.reducer.is_empty() {
                    format!("(no {} reducer)", step.lifecycle())
                } else if by_database {
                    format!("{} [scheduled at {}]", outcome.reducer, outcome.timestamp)
                } else {
                    outcome.reducer.clone()
                };
                let status = match &outcome.status {
                    Status::Committed => "ok".to_owned(),
                    Status::Failed(message) => format!("error: {message}"),
                    Status::Trapped(message) => format!("panic: {message}"),
                };
                writeln!(out, "  {name}: {status}{}", verdict.note)?;
                write_logs(out, &outcome.logs)?;
                write_changes(out, schema, self.brief, &outcome.changes)?;
            }
            Event::Procedure { outcome, return_type, verdict, .. } => {
                let status = match &outcome.status {
                    ProcedureStatus::Returned { value, .. } => {
                        let json = serde_json::to_string(&ValueWithType::new(value, return_type, schema.typespace()))
                            .unwrap_or_else(|e| format!("(cannot render the value: {e})"));
                        format!("returned {json}")
                    }
                    ProcedureStatus::Trapped(message) => format!("panic: {message}"),
                };
                writeln!(out, "  {}: {status}{}", outcome.procedure, verdict.note)?;
                write_logs(out, &outcome.logs)?;
                for exchange in &outcome.http {
                    let answer = match &exchange.answer {
                        Ok(status) => status.to_string(),
                        Err(error) => format!("failed: {error}"),
                    };
                    writeln!(out, "    http {} {} -> {answer}", exchange.method, exchange.uri)?;
                }
                write_commits(out, schema, self.brief, &outcome.commits)?;
                if outcome.ended_at > outcome.timestamp {
                    writeln!(out, "    slept until {}", outcome.ended_at)?;
                }
            }
            Event::Route { outcome, verdict, .. } => {
                match &outcome.response {
                    Ok(response) => {
                        writeln!(out, "  {}: {}{}", outcome.handler, response.status, verdict.note)?;
                        for (name, value) in &response.headers {
                            writeln!(out, "    {name}: {}", String::from_utf8_lossy(value))?;
                        }
                        if !response.body.is_empty() {
                            writeln!(out, "    {}", response.text().replace('\n', "\n    "))?;
                        }
                    }
                    Err(message) => writeln!(out, "  {}: 500, panic: {message}{}", outcome.handler, verdict.note)?,
                }
                write_logs(out, &outcome.logs)?;
                write_commits(out, schema, self.brief, &outcome.commits)?;
            }
            Event::Rows { name, ty, rows, .. } => {
                // `  NAME (N rows):` and the rows as pretty JSON.
                let count = rows.len();
                writeln!(out, "  {name} ({count} row{}):", if count == 1 { "" } else { "s" })?;
                let rendered: Vec<_> = rows.iter().map(|row| ValueWithType::new(row, ty, schema.typespace())).collect();
                let text = serde_json::to_string_pretty(&rendered).map_err(io::Error::other)?;
                for line in text.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
            Event::Advanced { clock, runs } => writeln!(out, "  clock at {clock} ({runs} scheduled call(s) ran)")?,
            Event::Error { message, verdict, .. } => writeln!(out, "  error: {message}{}", verdict.note)?,
            Event::Summary { stopped_at, .. } => {
                if let Some(origin) = stopped_at {
                    writeln!(out, "stopped: {origin} failed (--keep-going runs the remaining steps)")?;
                }
            }
        }
        Ok(())
    }

    fn json_event(&mut self, schema: &Schema, event: &Event<'_>) -> io::Result<()> {
        let brief = self.brief;
        let typespace = schema.typespace();
        let step = self.step.as_ref().map(|(origin, line)| (origin.as_str(), line.as_str()));
        let line = match *event {
            Event::Installed { module, init, clock, logs } => JsonLine::new("installed", None)
                .field("module", &module.display().to_string())?
                .field("init", &init)?
                .field("clock", &clock.to_string())?
                .field("logs", &Logs(logs))?,
            Event::As { caller } => JsonLine::new("as", step).field("caller", caller)?,
            Event::Reducer { step: kind, caller, outcome, expect, verdict, .. } => {
                let (status, error) = match &outcome.status {
                    Status::Committed => ("committed", None),
                    Status::Failed(message) => ("failed", Some(message)),
                    Status::Trapped(message) => ("panicked", Some(message)),
                };
                // A schedule table may call a procedure (2.x); an advance reports its run so.
                let procedure =
                    schema.reducer_id(&outcome.reducer).is_none() && schema.procedure_id(&outcome.reducer).is_some();
                JsonLine::new(kind.event(), step)
                    .caller(caller, outcome.caller.identity, outcome.caller.connection_id)?
                    .field("function", &Some(outcome.reducer.as_str()).filter(|name| !name.is_empty()))?
                    .field("kind", if procedure { "procedure" } else { "reducer" })?
                    .field("status", status)?
                    .field("error", &error)?
                    .field("server_error", &outcome.server_error())?
                    .field("timestamp", &outcome.timestamp.to_string())?
                    .field("logs", &Logs(&outcome.logs))?
                    .field("changes", &Changes { schema, brief, changes: &outcome.changes })?
                    .verdict(expect, verdict)?
            }
            Event::Procedure { caller, outcome, return_type, expect, verdict } => {
                let line = JsonLine::new("call", step)
                    .caller(caller, outcome.caller.identity, outcome.caller.connection_id)?
                    .field("function", &outcome.procedure)?
                    .field("kind", "procedure")?;
                let line = match &outcome.status {
                    ProcedureStatus::Returned { value, .. } => line
                        .field("status", "returned")?
                        .field("returned", &ValueWithType::new(value, return_type, typespace))?
                        .field("error", &None::<&str>)?,
                    ProcedureStatus::Trapped(message) => line.field("status", "panicked")?.field("error", message)?,
                };
                let http: Vec<_> = outcome
                    .http
                    .iter()
                    .map(|exchange| JsonHttp {
                        method: &exchange.method,
                        uri: &exchange.uri,
                        status: exchange.answer.as_ref().ok().copied(),
                        error: exchange.answer.as_ref().err().map(String::as_str),
                    })
                    .collect();
                let commits = json_commits(schema, brief, &outcome.commits);
                line.field("server_error", &outcome.server_error())?
                    .field("timestamp", &outcome.timestamp.to_string())?
                    .field("ended_at", &outcome.ended_at.to_string())?
                    .field("logs", &Logs(&outcome.logs))?
                    .field("http", &http)?
                    .field("commits", &commits)?
                    .verdict(expect, verdict)?
            }
            Event::Route { outcome, expect, verdict } => {
                let (headers, body) = match &outcome.response {
                    Ok(r) => {
                        let headers: Vec<(&str, String)> = r
                            .headers
                            .iter()
                            .map(|(n, v)| (n.as_str(), String::from_utf8_lossy(v).into_owned()))
                            .collect();
                        (Some(headers), Some(r.text()))
                    }
                    Err(_) => (None, None),
                };
                let commits = json_commits(schema, brief, &outcome.commits);
                JsonLine::new("route", step)
                    .field("handler", &outcome.handler)?
                    .field("status", &outcome.status())?
                    .field("headers", &headers)?
                    .field("body", &body)?
                    .field("error", &outcome.response.as_ref().err())?
                    .field("timestamp", &outcome.timestamp.to_string())?
                    .field("logs", &Logs(&outcome.logs))?
                    .field("commits", &commits)?
                    .verdict(expect, verdict)?
            }
            Event::Rows { of, name, ty, rows } => {
                let rendered: Vec<_> = rows.iter().map(|row| ValueWithType::new(row, ty, typespace)).collect();
                let line = match of {
                    RowsOf::Table => JsonLine::new("dump", step).field("table", name)?,
                    RowsOf::View { reader } => {
                        JsonLine::new("view", step).field("view", name)?.field("caller", &reader)?
                    }
                };
                line.field("count", &rows.len())?.field("rows", &rendered)?
            }
            Event::Advanced { clock, runs } => {
                JsonLine::new("advance", step).field("clock", &clock.to_string())?.field("runs", &runs)?
            }
            Event::Error { message, expect, verdict } => {
                JsonLine::new("error", step).field("message", message)?.verdict(expect, verdict)?
            }
            Event::Summary { failed_steps, stopped_at, exit } => JsonLine::new("summary", None)
                .field("failed_steps", &failed_steps)?
                .field("stopped_at", &stopped_at)?
                .field("exit", &(exit as i32))?,
        };
        writeln!(self.out, "{}", line.finish())
    }
}

/// Each commit of a procedure or HTTP handler: its time, then its changes.
fn write_commits(out: &mut dyn Write, schema: &Schema, brief: bool, commits: &[Commit]) -> io::Result<()> {
    for commit in commits {
        writeln!(out, "    committed at {}", commit.timestamp)?;
        write_changes(out, schema, brief, &commit.changes)?;
    }
    Ok(())
}

/// Each commit of a procedure or HTTP handler, for a JSON line.
fn json_commits<'a>(schema: &'a Schema, brief: bool, commits: &'a [Commit]) -> Vec<JsonCommit<'a>> {
    commits
        .iter()
        .map(|commit| JsonCommit {
            timestamp: commit.timestamp.to_string(),
            changes: Changes { schema, brief, changes: &commit.changes },
        })
        .collect()
}

/// One JSON object, its fields in the order written (`event` first).
struct JsonLine(String);

impl JsonLine {
    /// `{"event": EVENT`, and the step's `origin` and `line` if given.
    fn new(event: &str, step: Option<(&str, &str)>) -> Self {
        let line = Self(String::from("{")).field("event", event).expect("a string serializes");
        match step {
            Some((origin, text)) => {
                line.field("origin", origin).and_then(|line| line.field("line", text)).expect("strings serialize")
            }
            None => line,
        }
    }

    /// Adds `"key": value`.
    fn field<T: Serialize + ?Sized>(mut self, key: &str, value: &T) -> io::Result<Self> {
        let value = serde_json::to_string(value).map_err(io::Error::other)?;
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push_str(&serde_json::to_string(key).map_err(io::Error::other)?);
        self.0.push(':');
        self.0.push_str(&value);
        Ok(self)
    }

    /// The caller's name, identity and connection id (`null` without a connection).
    fn caller(self, name: &str, identity: Identity, connection: Option<ConnectionId>) -> io::Result<Self> {
        self.field("caller", name)?
            .field("identity", &identity.to_hex())?
            .field("connection_id", &connection.map(ConnectionId::to_hex))
    }

    /// What the step expected (`expect_error`: the text an error must contain, `null` if it
    /// should succeed) and whether it failed the run.
    fn verdict(self, expect: &Expect, verdict: Verdict) -> io::Result<Self> {
        let expect_error = match expect {
            Expect::Ok => None,
            Expect::Error(text) => Some(text.as_str()),
        };
        self.field("expect_error", &expect_error)?.field("failed_step", &verdict.failed)
    }

    fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// Log records as `[{"level": "INFO", "message": "..."}]`.
struct Logs<'a>(&'a [LogRecord]);

impl Serialize for Logs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Log<'a> {
            level: &'static str,
            message: &'a str,
        }
        s.collect_seq(self.0.iter().map(|log| Log { level: log.level.name(), message: &log.message }))
    }
}

/// A transaction's changes: `{"TABLE": {"inserted": [ROWS], "deleted": [ROWS]}}` in table order,
/// or with `brief` the numbers of rows.
struct Changes<'a> {
    schema: &'a Schema,
    brief: bool,
    changes: &'a TxChanges,
}

impl Serialize for Changes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Table<T> {
            inserted: T,
            deleted: T,
        }
        let mut map = s.serialize_map(Some(self.changes.tables.len()))?;
        for changes in &self.changes.tables {
            let table = self.schema.table(changes.table);
            let name = table.map_or("?", |t| t.name.as_str());
            if self.brief {
                map.serialize_entry(name, &Table { inserted: changes.inserted.len(), deleted: changes.deleted.len() })?;
            } else {
                let ty = table.map_or_else(AlgebraicType::unit, |t| AlgebraicType::Ref(t.row_type_ref));
                let rows = |rows| TableRows { schema: self.schema, ty: ty.clone(), rows };
                map.serialize_entry(
                    name,
                    &Table { inserted: rows(&changes.inserted), deleted: rows(&changes.deleted) },
                )?;
            }
        }
        map.end()
    }
}

/// Rows of a table, as JSON objects (columns in table order, as the text format shows them).
struct TableRows<'a> {
    schema: &'a Schema,
    ty: AlgebraicType,
    rows: &'a [Arc<Row>],
}

impl Serialize for TableRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for row in self.rows {
            // Rendering a product value needs it as an `AlgebraicValue`.
            let value = AlgebraicValue::Product(row.value().clone());
            seq.serialize_element(&ValueWithType::new(&value, &self.ty, self.schema.typespace()))?;
        }
        seq.end()
    }
}

/// One HTTP request a procedure made: the status it was answered with, or the error.
#[derive(Serialize)]
struct JsonHttp<'a> {
    method: &'a str,
    uri: &'a str,
    status: Option<u16>,
    error: Option<&'a str>,
}

/// One transaction a procedure committed.
#[derive(Serialize)]
struct JsonCommit<'a> {
    timestamp: String,
    changes: Changes<'a>,
}

/// Log records, indented under their call: `    [INFO] message`.
fn write_logs(out: &mut dyn Write, logs: &[LogRecord]) -> io::Result<()> {
    for log in logs {
        writeln!(out, "    {}", log_line(log.level, &log.message))?;
    }
    Ok(())
}

/// The rows `changes` deleted (-) and inserted (+), per table; with `brief`, their counts.
fn write_changes(out: &mut dyn Write, schema: &Schema, brief: bool, changes: &TxChanges) -> io::Result<()> {
    for changes in &changes.tables {
        let table = schema.table(changes.table).map_or("?", |t| t.name.as_str());
        if brief {
            writeln!(out, "    {table}: +{} -{}", changes.inserted.len(), changes.deleted.len())?;
            continue;
        }
        for row in &changes.deleted {
            writeln!(out, "    - {table} {}", row_text(schema, changes.table, row))?;
        }
        for row in &changes.inserted {
            writeln!(out, "    + {table} {}", row_text(schema, changes.table, row))?;
        }
    }
    Ok(())
}

/// A row as one line of JSON, columns in table order.
fn row_text(schema: &Schema, table: crate::schema::TableId, row: &Row) -> String {
    let Some(table) = schema.table(table) else { return "?".to_owned() };
    let value = AlgebraicValue::Product(row.value().clone());
    let ty = AlgebraicType::Ref(table.row_type_ref);
    serde_json::to_string(&ValueWithType::new(&value, &ty, schema.typespace()))
        .unwrap_or_else(|e| format!("(cannot render the row: {e})"))
}

/// `[INFO] message`.
pub(super) fn log_line(level: LogLevel, message: &str) -> String {
    format!("[{}] {message}", level.name())
}
