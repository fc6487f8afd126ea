//! Scenarios: a module, a fresh database, and steps with the outcomes a client must see — call
//! results and error texts, log records, rows. They are the fidelity scenarios verified against
//! the real servers (`tests/fidelity-module/scenarios`, SpacetimeDB 1.3, and
//! `tests/fidelity-v2/scenarios`, 2.8.3), read where they are and run through
//! [`ConformanceHost`].
//!
//! A scenario file (both formats in one; a field not given is not checked):
//!
//! ```json
//! { "name": "...", "module": "chat-v2" | "fidelity-v2",       // 1.x files name none: fidelity-module
//!   "clients": {"mia": {"iss": "...", "sub": "mia"}},         // optional: tokens with these claims
//!   "install_logs": [["Info", "Creating table `room`"], ...],
//!   "steps": [
//!     { "call": "name", "args": [..], "as": "alice",          // "as" defaults to "alice"
//!       "expect": "ok" | {"err": "text"} | {"panic": "message"} | {"returned": JSON}
//!               | {"failed": "text", "status": 500} | {"rejected": "text", "status": 404},
//!       "logs": [["Info", "text"], ...],                      // exactly the records the step added
//!       "tables": {"item": [{"id": 1}]} },                    // rows (read as owner), on the keys given
//!     { "sql": "SELECT * FROM name", "as": "owner", "rows": [{"col": JSON}, ...] },
//!     { "connect": "alice", "expect": "ok" },  { "disconnect": "alice" },
//!     { "route": "/path?query", "method": "POST", "body": "text", "headers": {"name": "value"},
//!       "expect": {"status": 201, "body": "text", "headers": {"name": "value"}}
//!               | {"status": 500, "panic": "message"} },      // an HTTP handler; "method": GET
//!     { "wait_ms": 300, "logs": [..], "tables": {..} } ] }
//! ```
//!
//! Values are the server's JSON ([`ClientOutcome::Returned`](crate::ClientOutcome::Returned)); rows are compared
//! order-insensitively. In expectations `"$name"` is client `name`'s identity (as hex, or `["0x…"]`),
//! `"$any"` any value, `{"$prefix": "text"}` a string starting with `text`, `{sub:name}` inside a
//! string the subject of `name`'s token; in arguments `{"$now_plus_ms": N}` is the database's time
//! plus N ms, in microseconds. A `rejected` expectation without `status` (1.x) compares the start
//! of the text only.
//!
//! A route step compares only the response headers its expectation names (a server adds its
//! own), and a 500 (a failed handler, whose body is the host's own description) by the step's
//! last `Panic` log record.
//!
//! A step that needs an adapter method answering [`UNSUPPORTED`] is skipped (and reported so), not
//! failed.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Map, Value as Json};

use crate::{ConformanceHost, RouteRequest, UNSUPPORTED};

/// The scenario directories of this repository, relative to the workspace root, with the module
/// a file runs when it names none.
pub const SCENARIO_DIRS: [(&str, &str); 2] =
    [("tests/fidelity-module/scenarios", "fidelity-module"), ("tests/fidelity-v2/scenarios", "fidelity-v2")];

/// The modules the scenarios run: name → the cargo package that builds it (to wasm32, as
/// `<package with _>.wasm`).
pub const SCENARIO_MODULES: [&str; 3] = ["fidelity-module", "fidelity-v2", "chat-v2"];

/// One scenario file.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Its `name`.
    pub name: String,
    /// The module it runs (a key of the modules given to [`run_scenarios`]).
    pub module: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The whole file.
    pub json: Json,
}

impl Scenario {
    /// Every `*.json` of `dir`, by file name; a file naming no `module` runs `default_module`.
    pub fn load_dir(dir: &Path, default_module: &str) -> Result<Vec<Scenario>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let json: Json = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                if !json["steps"].is_array() {
                    return Err(format!("{}: no `steps`", path.display()));
                }
                let name = json["name"].as_str().unwrap_or("?").to_owned();
                let module = json["module"].as_str().unwrap_or(default_module).to_owned();
                Ok(Scenario { name, module, path, json })
            })
            .collect()
    }

    /// The scenarios of this repository ([`SCENARIO_DIRS`]).
    pub fn bundled() -> Result<Vec<Scenario>, String> {
        let root = workspace_root();
        let mut all = Vec::new();
        for (dir, module) in SCENARIO_DIRS {
            all.extend(Scenario::load_dir(&root.join(dir), module)?);
        }
        Ok(all)
    }
}

/// The root of this repository (the parent of the kit's crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new(".")).to_path_buf()
}

/// The build step: `cargo build --release --target wasm32-unknown-unknown` of
/// [`SCENARIO_MODULES`] in `workspace` (with `cargo`, and `target_dir` as the target directory),
/// then reads the `.wasm` files: module name → bytes.
pub fn build_modules(cargo: &Path, workspace: &Path, target_dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut command = std::process::Command::new(cargo);
    command.current_dir(workspace).args(["build", "--release", "--target", "wasm32-unknown-unknown"]);
    for package in SCENARIO_MODULES {
        command.args(["-p", package]);
    }
    command.env("CARGO_TARGET_DIR", target_dir);
    let output = command.output().map_err(|e| format!("{}: {e}", cargo.display()))?;
    if !output.status.success() {
        return Err(format!("cargo build failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    SCENARIO_MODULES
        .iter()
        .map(|m| {
            let path = target_dir.join("wasm32-unknown-unknown/release").join(format!("{}.wasm", m.replace('-', "_")));
            std::fs::read(&path).map(|bytes| (m.to_string(), bytes)).map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

/// What one scenario did.
#[derive(Clone, Debug)]
pub struct ScenarioResult {
    /// The scenario's name.
    pub name: String,
    /// Its module.
    pub module: String,
    /// How many steps it has.
    pub steps: usize,
    /// What did not match (`step 3 (post): expected …, got …`); empty when it passed.
    pub problems: Vec<String>,
    /// The steps the adapter could not run, and why.
    pub skipped: Vec<String>,
}

impl ScenarioResult {
    /// Whether every step that ran matched.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// What [`run_scenarios`] found.
#[derive(Clone, Debug)]
pub struct ScenarioReport {
    /// [`ConformanceHost::describe_host`].
    pub host: String,
    /// One per scenario, in order.
    pub scenarios: Vec<ScenarioResult>,
}

impl ScenarioReport {
    /// How many scenarios passed.
    pub fn passed(&self) -> usize {
        self.scenarios.iter().filter(|s| s.passed()).count()
    }

    /// How many failed.
    pub fn failed(&self) -> usize {
        self.scenarios.len() - self.passed()
    }

    /// `N passed, M failed (S steps, K mismatches, J skipped)`.
    pub fn summary(&self) -> String {
        let steps: usize = self.scenarios.iter().map(|s| s.steps).sum();
        let problems: usize = self.scenarios.iter().map(|s| s.problems.len()).sum();
        let skipped: usize = self.scenarios.iter().map(|s| s.skipped.len()).sum();
        format!(
            "{} passed, {} failed ({steps} steps, {problems} mismatches, {skipped} skipped)",
            self.passed(),
            self.failed()
        )
    }
}

impl fmt::Display for ScenarioReport {
    /// One line per scenario (`ok`/`skip`/`FAIL`, name, module, steps), its mismatches and skipped steps
    /// indented below it, then the summary.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "scenarios on {}", self.host)?;
        for s in &self.scenarios {
            // `skip`: nothing failed, but some steps (or all) could not run on this adapter.
            let mark = match (s.passed(), s.skipped.is_empty()) {
                (false, _) => "FAIL",
                (true, true) => "ok  ",
                (true, false) => "skip",
            };
            writeln!(f, "{mark} {} ({}, {} steps)", s.name, s.module, s.steps)?;
            for p in &s.problems {
                writeln!(f, "       {p}")?;
            }
            for p in &s.skipped {
                writeln!(f, "       skipped: {p}")?;
            }
        }
        write!(f, "{}", self.summary())
    }
}

/// Runs each scenario on `host`: installs its module (from `modules`, by name) into a fresh
/// database and runs its steps. A panic of the adapter fails the scenario it happened in.
pub fn run_scenarios(
    scenarios: &[Scenario],
    modules: &BTreeMap<String, Vec<u8>>,
    host: &mut dyn ConformanceHost,
) -> ScenarioReport {
    let results = scenarios
        .iter()
        .map(|scenario| {
            let mut result = ScenarioResult {
                name: scenario.name.clone(),
                module: scenario.module.clone(),
                steps: scenario.json["steps"].as_array().map_or(0, Vec::len),
                problems: Vec::new(),
                skipped: Vec::new(),
            };
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Runner { host: &mut *host, result: &mut result }.run(scenario, modules)
            }));
            if let Err(panic) = run {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                result.problems.push(format!("the adapter panicked: {message}"));
            }
            result
        })
        .collect();
    ScenarioReport { host: host.describe_host(), scenarios: results }
}

struct Runner<'a> {
    host: &'a mut dyn ConformanceHost,
    result: &'a mut ScenarioResult,
}

/// Why a step stopped: the adapter cannot do it, or something failed.
enum Stop {
    Unsupported(String),
    Problem(String),
}

impl From<String> for Stop {
    fn from(e: String) -> Stop {
        if e.starts_with(UNSUPPORTED) {
            Stop::Unsupported(e)
        } else {
            Stop::Problem(e)
        }
    }
}

impl Runner<'_> {
    fn run(&mut self, scenario: &Scenario, modules: &BTreeMap<String, Vec<u8>>) {
        let Some(wasm) = modules.get(&scenario.module) else {
            self.result.problems.push(format!("no module `{}` was given", scenario.module));
            return;
        };
        if let Err(e) = self.host.install(wasm) {
            self.result.problems.push(format!("install: {e}"));
            return;
        }
        let claims = scenario.json.get("clients").and_then(Json::as_object).cloned().unwrap_or_default();
        for (client, claims) in &claims {
            if let Err(e) = self.host.identity(client, Some(claims)) {
                // Every step of such a client would stop the same way: the whole scenario does.
                self.stop(&format!("the whole scenario (client `{client}` with claims)"), e.into());
                return;
            }
        }
        let mut seen = 0;
        match self.host.log_records() {
            Ok(install) => {
                seen = install.len();
                if let Some(expected) = scenario.json.get("install_logs") {
                    let actual = logs_json(&install);
                    if *expected != actual {
                        self.result.problems.push(format!("install: logs: expected {expected}, got {actual}"));
                    }
                }
            }
            Err(e) if scenario.json.get("install_logs").is_some() => self.stop("install: logs", e.into()),
            Err(_) => {}
        }
        for (i, step) in scenario.json["steps"].as_array().into_iter().flatten().enumerate() {
            let what = describe(i, step);
            if let Err(stop) = self.step(step, &what, &mut seen) {
                self.stop(&what, stop);
            }
        }
    }

    /// A route step's request, and its answer as the scenario compares it.
    fn route(&mut self, step: &Json, target: &str, seen: usize) -> Result<Json, Stop> {
        let text = |v: &Json| v.as_str().unwrap_or_default().to_owned();
        let request = RouteRequest {
            method: step["method"].as_str().unwrap_or("GET").to_owned(),
            target: target.to_owned(),
            headers: step["headers"].as_object().into_iter().flatten().map(|(n, v)| (n.clone(), text(v))).collect(),
            body: text(&step["body"]).into_bytes(),
        };
        let reply = self.host.route(&request)?;
        if reply.status == 500 {
            let all = self.host.log_records()?;
            let new = all.get(seen..).unwrap_or_default();
            let panic = new.iter().rev().find(|(level, _)| level == "Panic").map(|(_, message)| message.clone());
            return Ok(json!({ "status": 500, "panic": panic }));
        }
        let mut actual = json!({ "status": reply.status, "body": reply.body });
        if let Some(wanted) = step["expect"]["headers"].as_object() {
            let header = |name: &String| reply.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
            let headers: Map<String, Json> =
                wanted.keys().filter_map(|name| Some((name.to_lowercase(), json!(header(name)?.1)))).collect();
            actual["headers"] = Json::Object(headers);
        }
        Ok(actual)
    }

    fn stop(&mut self, what: &str, stop: Stop) {
        match stop {
            Stop::Unsupported(e) => self.result.skipped.push(format!("{what}: {e}")),
            Stop::Problem(e) => self.result.problems.push(format!("{what}: {e}")),
        }
    }

    fn step(&mut self, step: &Json, what: &str, seen: &mut usize) -> Result<(), Stop> {
        if let Some(name) = step["call"].as_str() {
            let who = step["as"].as_str().unwrap_or("alice");
            let args = self.args(step.get("args").cloned().unwrap_or(json!([])))?;
            let actual = self.host.call_as(who, name, &args)?.to_json();
            self.expect(what, step.get("expect"), &actual)?;
        } else if let Some(query) = step["sql"].as_str() {
            let who = step["as"].as_str().unwrap_or("owner");
            let name = query
                .strip_prefix("SELECT * FROM ")
                .map(str::trim)
                .ok_or_else(|| Stop::Problem(format!("only `SELECT * FROM name` is supported: {query}")))?;
            let actual = self.host.query(who, name)?;
            let expected = step["rows"].as_array().cloned().unwrap_or_default();
            if !self.rows_match(&expected, &actual)? {
                let got = Json::from(actual);
                self.result.problems.push(format!("{what}: rows: expected {}, got {got}", Json::from(expected)));
            }
        } else if let Some(who) = step["connect"].as_str() {
            let actual = self.host.connect(who)?.to_json();
            self.expect(what, step.get("expect"), &actual)?;
        } else if let Some(who) = step["disconnect"].as_str() {
            let actual = self.host.disconnect(who)?.to_json();
            self.expect(what, step.get("expect"), &actual)?;
        } else if let Some(target) = step["route"].as_str() {
            let actual = self.route(step, target, *seen)?;
            self.expect(what, step.get("expect"), &actual)?;
        } else if let Some(ms) = step["wait_ms"].as_u64() {
            self.host.advance(Duration::from_millis(ms))?;
        } else {
            return Err(Stop::Problem(format!("not a step: {step}")));
        }
        if let Some(expected) = step.get("logs") {
            let all = self.host.log_records()?;
            let actual = logs_json(all.get(*seen..).unwrap_or_default());
            *seen = all.len();
            let expected = self.expand(expected)?;
            if !self.matches(&expected, &actual)? {
                self.result.problems.push(format!("{what}: logs: expected {expected}, got {actual}"));
            }
        } else if let Ok(all) = self.host.log_records() {
            *seen = all.len();
        }
        for (table, expected) in step.get("tables").and_then(Json::as_object).into_iter().flatten() {
            let expected = expected.as_array().cloned().unwrap_or_default();
            let keys: Vec<&String> = expected.iter().filter_map(Json::as_object).flat_map(|r| r.keys()).collect();
            let actual: Vec<Json> = self
                .host
                .query("owner", table)?
                .into_iter()
                .map(|row| match row {
                    Json::Object(o) => Json::Object(o.into_iter().filter(|(k, _)| keys.contains(&k)).collect()),
                    other => other,
                })
                .collect();
            if !self.rows_match(&expected, &actual)? {
                let got = Json::from(actual);
                self.result
                    .problems
                    .push(format!("{what}: table `{table}`: expected {}, got {got}", Json::from(expected)));
            }
        }
        Ok(())
    }

    /// Compares a call's outcome (`expected` absent: anything goes).
    fn expect(&mut self, what: &str, expected: Option<&Json>, actual: &Json) -> Result<(), Stop> {
        let Some(expected) = expected else { return Ok(()) };
        let expected = self.expand(expected)?;
        // 1.x: `{"rejected": "start of the text"}`, no status.
        let ok = match (expected.get("rejected"), expected.get("status"), actual.get("rejected")) {
            (Some(Json::String(prefix)), None, Some(Json::String(got))) => got.starts_with(prefix.as_str()),
            _ => self.matches(&expected, actual)?,
        };
        if !ok {
            self.result.problems.push(format!("{what}: expected {expected}, got {actual}"));
        }
        Ok(())
    }

    /// `{"$now_plus_ms": N}` in call arguments → microseconds since the epoch.
    fn args(&mut self, v: Json) -> Result<Json, Stop> {
        Ok(match v {
            Json::Object(o) if o.contains_key("$now_plus_ms") => {
                let ms = o["$now_plus_ms"].as_i64().unwrap_or(0);
                json!(self.host.now_micros()? + ms * 1000)
            }
            Json::Object(o) => {
                let mut out = Map::new();
                for (k, v) in o {
                    out.insert(k, self.args(v)?);
                }
                Json::Object(out)
            }
            Json::Array(a) => Json::Array(a.into_iter().map(|v| self.args(v)).collect::<Result<_, _>>()?),
            other => other,
        })
    }

    /// Expectations with `{sub:name}` replaced by the subject of `name`'s token.
    fn expand(&mut self, v: &Json) -> Result<Json, Stop> {
        Ok(match v {
            Json::String(s) if s.contains("{sub:") => {
                let mut out = String::new();
                let mut rest = s.as_str();
                while let Some(start) = rest.find("{sub:") {
                    out.push_str(&rest[..start]);
                    let end = rest[start..].find('}').map_or(rest.len(), |e| e + start);
                    out.push_str(&self.host.subject(&rest[start + 5..end])?);
                    rest = rest.get(end + 1..).unwrap_or_default();
                }
                out.push_str(rest);
                Json::String(out)
            }
            Json::Object(o) => {
                let mut out = Map::new();
                for (k, v) in o {
                    out.insert(k.clone(), self.expand(v)?);
                }
                Json::Object(out)
            }
            Json::Array(a) => Json::Array(a.iter().map(|v| self.expand(v)).collect::<Result<_, _>>()?),
            other => other.clone(),
        })
    }

    /// Whether `actual` matches `expected` (with `$any`, `$name` and `$prefix`).
    fn matches(&mut self, expected: &Json, actual: &Json) -> Result<bool, Stop> {
        Ok(match (expected, actual) {
            (Json::String(e), _) if e == "$any" => true,
            (Json::String(e), Json::String(a)) if e.starts_with('$') => self.is_identity(&e[1..], a)?,
            // An identity rendered as the server's one-field product (`["0x…"]`).
            (Json::String(e), Json::Array(a)) if e.starts_with('$') && a.len() == 1 && a[0].is_string() => {
                self.is_identity(&e[1..], a[0].as_str().unwrap_or_default())?
            }
            (Json::Object(e), Json::String(a)) if e.contains_key("$prefix") => {
                a.starts_with(e["$prefix"].as_str().unwrap_or_default())
            }
            (Json::Object(e), Json::Object(a)) => {
                let mut all = e.len() == a.len();
                for (k, v) in e {
                    all = all && a.get(k).map(|av| self.matches(v, av)).transpose()?.unwrap_or(false);
                }
                all
            }
            (Json::Array(e), Json::Array(a)) => {
                let mut all = e.len() == a.len();
                for (ev, av) in e.iter().zip(a) {
                    all = all && self.matches(ev, av)?;
                }
                all
            }
            _ => expected == actual,
        })
    }

    fn is_identity(&mut self, client: &str, hex: &str) -> Result<bool, Stop> {
        let identity = self.host.identity(client, None)?;
        let norm = |s: &str| s.trim_start_matches("0x").to_lowercase();
        Ok(norm(&identity) == norm(hex))
    }

    /// Rows compared order-insensitively: each expected row matches a different actual row.
    fn rows_match(&mut self, expected: &[Json], actual: &[Json]) -> Result<bool, Stop> {
        let mut left: Vec<&Json> = actual.iter().collect();
        let mut ok = expected.len() == actual.len();
        for e in expected {
            let mut found = None;
            for (i, a) in left.iter().enumerate() {
                if self.matches(e, a)? {
                    found = Some(i);
                    break;
                }
            }
            match found {
                Some(i) => {
                    left.remove(i);
                }
                None => ok = false,
            }
        }
        Ok(ok)
    }
}

fn logs_json(records: &[(String, String)]) -> Json {
    records.iter().map(|(level, message)| json!([level, message])).collect()
}

fn describe(i: usize, step: &Json) -> String {
    if let Some(name) = step["call"].as_str() {
        format!("step {i} ({name})")
    } else if let Some(query) = step["sql"].as_str() {
        format!("step {i} ({query})")
    } else if let Some(who) = step["connect"].as_str() {
        format!("step {i} (connect {who})")
    } else if let Some(who) = step["disconnect"].as_str() {
        format!("step {i} (disconnect {who})")
    } else if let Some(target) = step["route"].as_str() {
        format!("step {i} (route {target})")
    } else {
        format!("step {i} (wait {} ms)", step["wait_ms"])
    }
}
