//! The fidelity scenarios (`scenarios/*.json`), run against worldtube-host.
//!
//! Each scenario is a fresh database and a list of steps; each step calls a reducer with JSON
//! arguments as a named identity, or moves the clock, and says what must follow: how the call
//! ended, the log records it produced (level and text, in order) and table contents (as JSON,
//! order-insensitive). `scripts/fidelity-real-server.sh` replays the same files against the real
//! SpacetimeDB 1.3 server, which is the arbiter: expectations are what the server does.
//!
//! Format of a scenario file:
//!
//! ```json
//! { "name": "...", "description": "...", "notes": ["known differences, if any"],
//!   "install_logs": [["Info", "Creating table `item`"], ...],      // optional: the log after publishing
//!   "steps": [
//!     { "call": "reducer", "args": [..], "as": "alice",          // "as" defaults to "alice"
//!       "expect": "ok" | {"err": "the reducer's error"} | {"panic": "the panic message"}
//!                | {"rejected": "start of the server's response"},
//!       "logs": [["Info", "text"], ...],                          // optional: exactly these
//!       "tables": {"item": [{"id": 1, "name": "a"}]} },           // optional: only the keys given
//!     { "wait_ms": 300, "logs": [..], "tables": {..} } ] }
//! ```
//!
//! In `tables`, a string `"$name"` stands for the identity of `name` (each side renders
//! identities its own way; both are normalised to lowercase hex without `0x`).
//!
//! Calls are made the way an HTTP call reaches the server: as a fresh connection of the caller
//! (a connection id is present), without running `client_connected`/`client_disconnected` (the
//! module defines neither, and on the server those lifecycles then leave no trace).

use fidelity_module as _;
use serde_json::{json, Value as Json};
use std::path::Path;
use std::time::Duration;
use worldtube_testing::host::engine::TRAP_MESSAGE;
use worldtube_testing::TestDb;

#[test]
fn scenarios_match_the_recorded_server_behaviour() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("scenarios/").map(|e| e.expect("entry").path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    assert!(!files.is_empty(), "no scenarios in {}", dir.display());
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable scenario");
        let scenario: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = scenario["name"].as_str().unwrap_or("?").to_owned();
        for problem in run(&scenario) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

/// Runs one scenario; returns what did not match.
fn run(scenario: &Json) -> Vec<String> {
    let mut db = TestDb::new();
    let mut problems = Vec::new();
    if let Some(expected) = scenario.get("install_logs") {
        let actual = log_json(&db, 0);
        if *expected != actual {
            problems.push(format!("install: logs: expected {expected}, got {actual}"));
        }
    }
    for (i, step) in scenario["steps"].as_array().expect("steps").iter().enumerate() {
        let logs_before = db.logs().len();
        let what;
        if let Some(reducer) = step["call"].as_str() {
            what = format!("step {i} ({reducer})");
            let caller = db.client(step["as"].as_str().unwrap_or("alice"));
            let args = step.get("args").cloned().unwrap_or(json!([])).to_string();
            let actual = match db.try_call_json(&caller, reducer, &args) {
                Ok(outcome) => match outcome.outcome().server_error() {
                    None => json!("ok"),
                    Some(returned) if outcome.panicked() => {
                        if returned != TRAP_MESSAGE {
                            problems.push(format!("{what}: a trap returns {returned:?}"));
                        }
                        json!({ "panic": outcome.error() })
                    }
                    Some(returned) => json!({ "err": returned }),
                },
                Err(e) => json!({ "rejected": e.server_message() }),
            };
            let expected = &step["expect"];
            let matches = match (expected.get("rejected"), actual.get("rejected")) {
                (Some(prefix), Some(Json::String(got))) => got.starts_with(prefix.as_str().unwrap_or("")),
                _ => *expected == actual,
            };
            if !matches {
                problems.push(format!("{what}: expected {expected}, got {actual}"));
            }
        } else if let Some(ms) = step["wait_ms"].as_u64() {
            what = format!("step {i} (wait {ms} ms)");
            db.advance(Duration::from_millis(ms));
        } else {
            panic!("step {i}: neither `call` nor `wait_ms`: {step}");
        }
        if let Some(expected) = step.get("logs") {
            let actual = log_json(&db, logs_before);
            if *expected != actual {
                problems.push(format!("{what}: logs: expected {expected}, got {actual}"));
            }
        }
        if let Some(tables) = step.get("tables").and_then(Json::as_object) {
            for (table, expected) in tables {
                let expected = expected.as_array().expect("rows");
                let actual = db.table_json(table);
                let actual = actual.as_array().expect("rows");
                if let Some(diff) = compare_rows(expected, actual) {
                    problems.push(format!("{what}: table `{table}`: {diff}"));
                }
            }
        }
    }
    problems
}

/// The log records from the `from`th on, as `[level, message]` pairs.
fn log_json(db: &TestDb, from: usize) -> Json {
    db.logs()[from..].iter().map(|l| json!([format!("{:?}", l.level), l.message])).collect()
}

/// Compares rows order-insensitively, on the keys the expected rows give.
fn compare_rows(expected: &[Json], actual: &[Json]) -> Option<String> {
    let keys: Vec<String> = expected.iter().flat_map(|r| r.as_object().expect("object rows").keys().cloned()).collect();
    let canon = |rows: &[Json], project: bool| {
        let mut out: Vec<String> = rows
            .iter()
            .map(|r| {
                let obj = r.as_object().expect("object rows");
                let kept: serde_json::Map<String, Json> = obj
                    .iter()
                    .filter(|(k, _)| !project || keys.contains(k))
                    .map(|(k, v)| (k.clone(), normalise(v)))
                    .collect();
                Json::Object(kept).to_string()
            })
            .collect();
        out.sort();
        out
    };
    let (e, a) = (canon(expected, false), canon(actual, true));
    (e != a).then(|| format!("expected {e:?}, got {a:?}"))
}

/// `"$name"` → the hex of `name`'s identity; hex strings lowercase without `0x`.
fn normalise(v: &Json) -> Json {
    match v.as_str() {
        Some(s) if s.starts_with('$') => Json::String(TestDb::identity(&s[1..]).to_hex().to_lowercase()),
        _ => v.clone(),
    }
}

/// A zero interval never lets the virtual clock move on; the engine stops that schedule after
/// `MAX_RUNS_PER_INSTANT` runs with a failed outcome saying why, instead of hanging the test, and
/// the clock goes on.
#[test]
fn a_zero_interval_does_not_hang_the_clock() {
    let mut db = worldtube_testing::TestDb::new();
    db.call_json(worldtube_testing::TestDb::identity("owner"), "schedule_every", r#"["zero", 0, 1000000]"#).assert_ok();
    let before = db.now();
    let ran = db.advance(std::time::Duration::from_millis(1));
    assert_eq!(ran.len(), worldtube_testing::host::engine::MAX_RUNS_PER_INSTANT + 1);
    assert!(db.logs().iter().any(|l| l.message.contains("(MAX_RUNS_PER_INSTANT)")));
    assert!(db.now() > before, "the clock moved on");
}
