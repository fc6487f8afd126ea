//! The 2.x scenario runner: every `scenarios/*.json` of one module, run against worldtube-host
//! natively through `TestDb`, the way the real 2.8.3 server's HTTP API reaches a database.
//! `scripts/fidelity-real-server-2.sh` replays the same files against the real server, which is
//! the arbiter: the expectations are what it does.
//!
//! Format of a scenario file:
//!
//! ```json
//! { "name": "...", "module": "chat-v2" | "fidelity-v2", "description": "...",
//!   "notes": ["what cannot be equal, and how it is normalised"],
//!   "clients": {"mia": {"iss": "...", "sub": "mia", "aud": ["..."]}},  // optional: tokens with these claims
//!   "install_logs": [["Info", "Creating table `room`"], ...],           // optional
//!   "steps": [
//!     { "call": "name", "args": [..], "as": "alice",                    // "as" defaults to "alice"
//!       "expect": "ok" | {"err": "text"} | {"panic": "message"} | {"returned": JSON}
//!               | {"failed": "start of the text", "status": 500}
//!               | {"rejected": "text", "status": 400 | 404},
//!       "logs": [["Info", "text"], ...] },                                // optional: exactly these
//!     { "sql": "SELECT * FROM view_or_table", "as": "owner", "rows": [{"col": JSON}, ...] },
//!     { "route": "/path?query", "method": "POST", "body": "text", "headers": {"name": "value"},
//!       "expect": {"status": 201, "body": "text", "headers": {"name": "value"}}
//!               | {"status": 500, "panic": "message"} },                // "method" defaults to GET
//!     { "wait_ms": 300, "logs": [..] } ] }
//! ```
//!
//! A call is what `POST /v1/database/DB/call/NAME` does on 2.8.3: a fresh connection of the
//! caller (`client_connected`, with the caller's token), the reducer `NAME` or, if there is no
//! such reducer, the procedure `NAME` (after the server's log record about the missing reducer),
//! then `client_disconnected`. An SQL step (`POST /v1/database/DB/sql`) also runs between a
//! connect and a disconnect of the reader; it reads one table or view, whole
//! (`SELECT * FROM name`), as the reader. Named clients are test clients (subject = name); those
//! in `clients` carry the given claims. On the server, named clients get tokens from
//! `POST /v1/identity` (issuer `localhost`, a random subject) and `clients` tokens are signed
//! with the server's own key.
//!
//! A route step is a request to `/v1/database/DB/route/PATH` (an HTTP handler; no client
//! connects for it). Only the response headers the expectation names are compared (the server
//! adds its own, e.g. CORS); a handler that panics answers 500 with a wasm backtrace as the body,
//! so a 500 is compared as `{"status": 500, "panic": <the step's last Panic record>}`.
//!
//! Values (returned values, rows) are compared in the server's JSON: a product is an array of its
//! fields, a sum `[tag, payload]`, an identity `["0x…"]`, a timestamp `[micros]`. Rows are
//! objects by column name, compared order-insensitively. In expectations:
//! - `"$name"` is the identity of client `name` (`$owner`, `$database` too), as hex;
//! - `"$any"` matches any value; `{"$prefix": "text"}` any string starting with `text`;
//! - `{sub:name}` inside a string is client `name`'s token subject;
//! - in `args`, `{"$now_plus_ms": N}` is the current time plus N ms, in microseconds.

use serde_json::{json, Map, Value as Json};
use std::path::Path;
use std::time::Duration;
use worldtube_lib::algebraic::AlgebraicType;
use worldtube_lib::http::Method;
use worldtube_testing::host::engine::{CallError, ProcedureStatus, TRAP_MESSAGE_V10};
use worldtube_testing::host::json::{server_json, server_row};
use worldtube_testing::{Client, LogLevel, RouteRequest, TestDb};

/// Runs every scenario of `module`; panics with the list of mismatches.
pub fn run_module(module: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("scenarios/").map(|e| e.expect("entry").path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable scenario");
        let scenario: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if scenario["module"] != module {
            continue;
        }
        ran += 1;
        let name = scenario["name"].as_str().unwrap_or("?").to_owned();
        for problem in Runner::new(&scenario).run(&scenario) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(ran > 0, "no scenarios for {module} in {}", dir.display());
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

struct Runner {
    db: TestDb,
    claims: Map<String, Json>,
}

impl Runner {
    fn new(scenario: &Json) -> Runner {
        let claims = scenario.get("clients").and_then(Json::as_object).cloned().unwrap_or_default();
        Runner { db: TestDb::new(), claims }
    }

    /// A new connection of client `name` (not yet connected).
    fn client(&mut self, name: &str) -> Client {
        match self.claims.get(name) {
            Some(claims) => self.db.client_with_claims(claims),
            None => self.db.client(name),
        }
    }

    fn identity_hex(&mut self, name: &str) -> String {
        match self.claims.get(name) {
            Some(_) => self.client(name).identity().to_hex().to_lowercase(),
            None => TestDb::identity(name).to_hex().to_lowercase(),
        }
    }

    fn subject(&self, name: &str) -> String {
        match self.claims.get(name) {
            Some(claims) => claims["sub"].as_str().unwrap_or_default().to_owned(),
            None => name.to_owned(),
        }
    }

    fn run(mut self, scenario: &Json) -> Vec<String> {
        let mut problems = Vec::new();
        if let Some(expected) = scenario.get("install_logs") {
            let actual = self.log_json(0);
            if *expected != actual {
                problems.push(format!("install: logs: expected {expected}, got {actual}"));
            }
        }
        for (i, step) in scenario["steps"].as_array().expect("steps").iter().enumerate() {
            let logs_before = self.db.logs().len();
            let what;
            if let Some(name) = step["call"].as_str() {
                what = format!("step {i} ({name})");
                let who = step["as"].as_str().unwrap_or("alice").to_owned();
                let args = self.args(step.get("args").cloned().unwrap_or(json!([])));
                let actual = self.call(&who, name, &args.to_string());
                let expected = self.expand(&step["expect"]);
                if !self.matches(&expected, &actual) {
                    problems.push(format!("{what}: expected {expected}, got {actual}"));
                }
            } else if let Some(query) = step["sql"].as_str() {
                what = format!("step {i} ({query})");
                let who = step["as"].as_str().unwrap_or("owner").to_owned();
                let actual = self.sql(&who, query);
                let expected = step["rows"].as_array().expect("rows");
                if let Some(diff) = self.compare_rows(expected, &actual) {
                    problems.push(format!("{what}: {diff}"));
                }
            } else if let Some(target) = step["route"].as_str() {
                what = format!("step {i} (route {target})");
                let actual = self.route(step, target, logs_before);
                let expected = self.expand(&step["expect"]);
                if !self.matches(&expected, &actual) {
                    problems.push(format!("{what}: expected {expected}, got {actual}"));
                }
            } else if let Some(ms) = step["wait_ms"].as_u64() {
                what = format!("step {i} (wait {ms} ms)");
                self.db.advance(Duration::from_millis(ms));
            } else {
                panic!("step {i}: neither `call`, `sql`, `route` nor `wait_ms`: {step}");
            }
            if let Some(expected) = step.get("logs") {
                let actual = self.log_json(logs_before);
                let expected = self.expand(expected);
                if !self.matches(&expected, &actual) {
                    problems.push(format!("{what}: logs: expected {expected}, got {actual}"));
                }
            }
        }
        problems
    }

    /// A call over HTTP: connect, the reducer or else the procedure, disconnect. The result as
    /// the harness compares it.
    fn call(&mut self, who: &str, name: &str, args: &str) -> Json {
        let client = self.client(who);
        self.db.connect_client(&client);
        let actual = match self.db.try_call_json(&client, name, args) {
            Ok(outcome) => match outcome.outcome().server_error() {
                None => json!("ok"),
                Some(TRAP_MESSAGE_V10) if outcome.panicked() => json!({ "panic": outcome.error() }),
                Some(returned) => json!({ "err": returned }),
            },
            Err(CallError::NoSuchReducer(_)) => match self.db.try_call_procedure_json(&client, name, args) {
                Ok(outcome) => match &outcome.outcome().status {
                    ProcedureStatus::Returned { value, .. } => {
                        let schema = self.db.engine().schema().clone();
                        let id = schema.procedure_id(name).expect("it ran");
                        let ty = &schema.procedure(id).expect("by id").return_type;
                        json!({ "returned": server_json(ty, schema.typespace(), value) })
                    }
                    ProcedureStatus::Trapped(_) => json!({ "failed": outcome.server_error(), "status": 500 }),
                },
                Err(e) => rejected(&e),
            },
            Err(e) => rejected(&e),
        };
        self.db.disconnect(&client);
        actual
    }

    /// A request to the module's routes: the response as the harness compares it (the headers
    /// the expectation names, by lower-case name).
    fn route(&mut self, step: &Json, target: &str, logs_before: usize) -> Json {
        let method = Method::from_name(step["method"].as_str().unwrap_or("GET"));
        let mut request = RouteRequest::new(method, target).body(step["body"].as_str().unwrap_or_default());
        for (name, value) in step["headers"].as_object().into_iter().flatten() {
            request = request.header(name.clone(), value.as_str().expect("header values are text"));
        }
        match self.db.try_route(request) {
            Ok(outcome) => match outcome.outcome().response.as_ref() {
                Ok(response) => {
                    let wanted = step["expect"]["headers"].as_object().map(|h| h.keys().cloned().collect::<Vec<_>>());
                    let headers: Map<String, Json> = wanted
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|name| {
                            let value = response.header(&name)?;
                            Some((name.to_lowercase(), json!(String::from_utf8_lossy(value))))
                        })
                        .collect();
                    let mut actual = json!({ "status": response.status, "body": response.text() });
                    if step["expect"].get("headers").is_some() {
                        actual["headers"] = Json::Object(headers);
                    }
                    actual
                }
                Err(_) => {
                    let logs = &self.db.logs()[logs_before..];
                    let panic = logs.iter().rev().find(|l| l.level == LogLevel::Panic).map(|l| l.message.clone());
                    json!({ "status": 500, "panic": panic })
                }
            },
            Err(e @ CallError::NoSuchRoute { .. }) => json!({ "status": 404, "body": e.server_message() }),
            Err(e) => panic!("a route request is refused only for want of a route: {e}"),
        }
    }

    /// An SQL query `SELECT * FROM name` over HTTP, as `who`: the rows as objects.
    fn sql(&mut self, who: &str, query: &str) -> Vec<Json> {
        let name = query.strip_prefix("SELECT * FROM ").expect("SELECT * FROM name").trim();
        let client = self.client(who);
        self.db.connect_client(&client);
        let schema = self.db.engine().schema().clone();
        let (ty, rows) = match schema.table_id(name) {
            Some(table) => {
                let t = schema.table(table).expect("by id");
                let rows: Vec<_> = self
                    .db
                    .engine()
                    .datastore()
                    .rows(table)
                    .expect("a table")
                    .map(|(_, row)| row.value().clone())
                    .collect();
                (AlgebraicType::Ref(t.row_type_ref), rows)
            }
            None => {
                let rows = self.db.engine().read_view(name, Some(client.identity())).expect("a table or view");
                (AlgebraicType::Ref(schema.view(rows.view).expect("by id").row_type_ref), rows.rows)
            }
        };
        let ts = schema.typespace();
        let row_ty = ts.resolve(&ty).and_then(AlgebraicType::as_product).expect("rows are products").clone();
        let out = rows.iter().map(|row| server_row(&row_ty, ts, row)).collect();
        self.db.disconnect(&client);
        out
    }

    /// `{"$now_plus_ms": N}` in call arguments → microseconds since the epoch.
    fn args(&self, v: Json) -> Json {
        match v {
            Json::Object(o) if o.contains_key("$now_plus_ms") => {
                let ms = o["$now_plus_ms"].as_i64().expect("ms");
                json!(self.db.now().to_micros_since_unix_epoch() + ms * 1000)
            }
            Json::Object(o) => Json::Object(o.into_iter().map(|(k, v)| (k, self.args(v))).collect()),
            Json::Array(a) => Json::Array(a.into_iter().map(|v| self.args(v)).collect()),
            other => other,
        }
    }

    /// Expectations with `{sub:name}` replaced.
    fn expand(&self, v: &Json) -> Json {
        match v {
            Json::String(s) if s.contains("{sub:") => {
                let mut out = String::new();
                let mut rest = s.as_str();
                while let Some(start) = rest.find("{sub:") {
                    out.push_str(&rest[..start]);
                    let end = rest[start..].find('}').expect("{sub:name}") + start;
                    out.push_str(&self.subject(&rest[start + 5..end]));
                    rest = &rest[end + 1..];
                }
                out.push_str(rest);
                Json::String(out)
            }
            Json::Object(o) => Json::Object(o.iter().map(|(k, v)| (k.clone(), self.expand(v))).collect()),
            Json::Array(a) => Json::Array(a.iter().map(|v| self.expand(v)).collect()),
            other => other.clone(),
        }
    }

    /// Whether `actual` matches `expected` (with `$any`, `$name` and `$prefix`).
    fn matches(&mut self, expected: &Json, actual: &Json) -> bool {
        match (expected, actual) {
            (Json::String(e), _) if e == "$any" => true,
            (Json::String(e), Json::String(a)) if e.starts_with('$') => {
                self.identity_hex(&e[1..]) == a.to_lowercase().trim_start_matches("0x")
            }
            (Json::Object(e), Json::String(a)) if e.contains_key("$prefix") => {
                a.starts_with(e["$prefix"].as_str().unwrap_or_default())
            }
            (Json::Object(e), Json::Object(a)) => {
                e.len() == a.len() && e.iter().all(|(k, v)| a.get(k).is_some_and(|av| self.matches(v, av)))
            }
            (Json::Array(e), Json::Array(a)) => {
                e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| self.matches(ev, av))
            }
            _ => expected == actual,
        }
    }

    /// Rows compared order-insensitively: each expected row matches a different actual row.
    fn compare_rows(&mut self, expected: &[Json], actual: &[Json]) -> Option<String> {
        let mut left: Vec<&Json> = actual.iter().collect();
        let mut ok = expected.len() == actual.len();
        for e in expected {
            match left.iter().position(|a| self.matches(e, a)) {
                Some(i) => {
                    left.remove(i);
                }
                None => ok = false,
            }
        }
        (!ok).then(|| format!("rows: expected {}, got {}", Json::from(expected.to_vec()), Json::from(actual.to_vec())))
    }

    fn log_json(&self, from: usize) -> Json {
        self.db.logs()[from..].iter().map(|l| json!([format!("{:?}", l.level), l.message])).collect()
    }
}

/// A refused call: the server's text and HTTP status.
fn rejected(e: &CallError) -> Json {
    let status = match e {
        CallError::NoSuchProcedure(_) | CallError::NoSuchReducer(_) => 404,
        _ => 400,
    };
    json!({ "rejected": e.server_message(), "status": status })
}
