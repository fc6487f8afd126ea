//! The `worldtube` binary: describe, check and run on quickstart-chat built to wasm, scripts,
//! exit codes, and clear messages for bad modules and missing files.

mod wasm_examples;

use std::path::{Path, PathBuf};
use std::process::Command;
use wasm_examples::{example_wasm, wasm_target_dir, workspace};

/// What a run of the binary printed, and its exit code.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

fn worldtube(args: &[&str]) -> Run {
    worldtube_with(args, |_| {})
}

fn worldtube_with(args: &[&str], setup: impl FnOnce(&mut Command)) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_worldtube"));
    command.args(args).current_dir(workspace());
    setup(&mut command);
    let output = command.output().expect("the binary runs");
    Run {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn chat() -> String {
    example_wasm("quickstart-chat").display().to_string()
}

/// A file with `contents` in this test binary's scratch directory.
fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("worldtube-cli");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("scratch file");
    path
}

#[test]
fn help_lists_the_commands() {
    for args in [&["--help"][..], &["help"], &["run", "--help"]] {
        let run = worldtube(args);
        assert_eq!(run.code, 0, "{run:?}");
        for text in ["worldtube describe <MODULE>", "worldtube check <MODULE>", "--call REDUCER", "--script FILE"] {
            assert!(run.stdout.contains(text), "{text} missing: {run:?}");
        }
    }
    let run = worldtube(&[]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no command given"), "{run:?}");
    let run = worldtube(&["frobnicate"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("unknown command `frobnicate`"), "{run:?}");
}

#[test]
fn script_runs_and_prints_outcomes() {
    let script = scratch(
        "chat.script",
        br#"# two users chat
connect alice
connect bob
call alice set_name ["Alice"]
as bob
call set_name {"name": "Bob"}
call alice send_message ["hello"]
call bob send_message [""]
expect-error must not be empty
advance 250
call send_message ["hi"]
disconnect bob
dump user
"#,
    );
    let run = worldtube(&["run", &chat(), "--script", script.to_str().unwrap(), "--dump", "message"]);
    assert_eq!(run.code, 0, "{run:?}");
    let out = &run.stdout;
    for expected in [
        "> connect alice\n  client_connected: ok\n    + user {\"identity\":\"",
        "> call alice set_name [\"Alice\"]\n  set_name: ok\n    [INFO] ",
        " is now known as Alice\n",
        "> call set_name {\"name\": \"Bob\"}  (as bob)\n  set_name: ok",
        "    + message {\"sender\":\"",
        "\"text\":\"hello\"}",
        "> call bob send_message [\"\"]\n  send_message: error: Messages must not be empty  (expected)\n    [ERROR] Messages must not be empty\n",
        "> advance 250\n  clock at 2025-01-01T00:00:00.250",
        "> disconnect bob\n  identity_disconnected: ok\n    - user",
        "> dump user\n  user (2 rows):\n  [\n",
        "\"online\": false",
        "> dump message\n  message (2 rows):",
    ] {
        assert!(out.contains(expected), "{expected:?} missing: {run:?}");
    }
    // Identities are `names::identity(name)`, as in native tests (`TestDb::identity`).
    let alice = worldtube_host::names::identity("alice").to_hex();
    assert!(out.contains(&format!("\"identity\": \"{alice}\",\n      \"name\": \"Alice\"")), "{run:?}");
    // The final dump comes last.
    assert!(out.rfind("> dump message") > out.rfind("> dump user"));
}

#[test]
fn a_failed_call_fails_the_run_unless_keep_going() {
    let chat = chat();
    let steps = ["--connect", "alice", "--as", "alice", "--call", "send_message", r#"[""]"#];
    let later = ["--call", "send_message", r#"["after"]"#, "--dump", "message"];

    let run = worldtube(&[&["run", chat.as_str()][..], &steps, &later].concat());
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("send_message: error: Messages must not be empty"), "{run:?}");
    assert!(run.stdout.contains("stopped: command line failed (--keep-going runs the remaining steps)"), "{run:?}");
    assert!(!run.stdout.contains("after"), "nothing runs after the failure: {run:?}");

    let run = worldtube(&[&["run", chat.as_str(), "--keep-going"][..], &steps, &later].concat());
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("\"text\": \"after\""), "{run:?}");

    // An expected error that does not come, and one with other text, fail the run too.
    let run = worldtube(&[
        "run",
        &chat,
        "--connect",
        "a",
        "--as",
        "a",
        "--call",
        "send_message",
        "[\"x\"]",
        "--expect-error",
        "",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("send_message: ok  (FAILED: expected an error)"), "{run:?}");
    let run = worldtube(&["run", &chat, "--call", "send_message", "[\"\"]", "--expect-error", "something else"]);
    assert_eq!(run.code, 1, "{run:?}");

    // A caller that never connected has no user row.
    let run = worldtube(&["run", &chat, "--call", "set_name", "[\"x\"]"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("set_name: error: Cannot set name for unknown user"), "{run:?}");

    // Steps that cannot be carried out fail as calls do.
    for (args, message) in [
        (&["--call", "nope"][..], "the module has no reducer named `nope`; its reducers are: "),
        // The server's text (its JSON reader's, at the position in the text as given).
        (
            &["--call", "send_message", "[ 1]"],
            "error: invalid arguments for reducer send_message: [0]: [0]: invalid type: integer `1`, expected a string at \
             line 1 column 3",
        ),
        (
            &["--call", "set_name", r#"["Cy", 300]"#],
            "error: invalid arguments for reducer set_name: .: .: trailing characters at line 1 column 8",
        ),
        (
            &["--call", "set_name", r#"{"nick": "Cy"}"#],
            "error: invalid arguments for reducer set_name: nick: nick: unknown reducer argument `nick`, expected `name` \
             at line 1 column 7",
        ),
        (&["--disconnect", "zed"], "`zed` is not connected"),
        (&["--dump", "nope"], "the module has no table named `nope`; its tables are: message, user"),
    ] {
        let run = worldtube(&[&["run", chat.as_str()][..], args].concat());
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.contains(message), "{message:?} missing: {run:?}");
    }
    // A refused call may be expected, as a failed one may.
    let run = worldtube(&["run", &chat, "--call", "send_message", "[ 1]", "--expect-error", "invalid type: integer"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("expected a string at line 1 column 3  (expected)"), "{run:?}");
    let run = worldtube(&["run", &chat, "--call", "nope", "--expect-error", "something else"]);
    assert_eq!(run.code, 1, "{run:?}");
}

#[test]
fn script_errors_name_the_line() {
    let script = scratch("bad.script", b"connect alice\n\ncall alice send_message [\"unterminated\"\n");
    let run = worldtube(&["run", &chat(), "--script", script.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("bad.script:3: the arguments are not JSON"), "{run:?}");
    assert!(run.stdout.is_empty(), "nothing runs: {run:?}");

    let run = worldtube(&["run", &chat(), "--script", "no/such.script"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("cannot read the script `no/such.script`"), "{run:?}");
}

#[test]
fn describe_prints_the_definition_as_json() {
    let run = worldtube(&["describe", &chat()]);
    assert_eq!(run.code, 0, "{run:?}");
    let def: serde_json::Value = serde_json::from_str(&run.stdout).expect("the output is JSON");
    let tables: Vec<&str> = def["tables"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tables, ["message", "user"]);
    let reducers: Vec<&str> = def["reducers"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(reducers.contains(&"send_message"), "{reducers:?}");
}

#[test]
fn check_summarises_the_module() {
    let run = worldtube(&["check", &chat()]);
    assert_eq!(run.code, 0, "{run:?}");
    for expected in [
        "interface: ok (imports ",
        " function(s) from spacetime_10.0, exports what the host calls)\n",
        "abi: needs spacetime_10.0 only: loads on every SpacetimeDB 1.x and 2.x server\n",
        "definition: ok (2 table(s), 4 reducer(s), 2 named type(s))",
        "  user (public, row type User)\n    identity: Identity  [primary key]\n    name: Option<String>\n    online: bool\n",
        "    index user_identity_idx_btree: btree(identity), unique\n",
        "    constraint user_identity_key: unique(identity)\n",
        "  client_connected()  [client_connected]\n",
        "  send_message(text: String)\n",
    ] {
        assert!(run.stdout.contains(expected), "{expected:?} missing: {run:?}");
    }
}

#[test]
fn arena_summary_shows_schedules_and_sequences() {
    let arena = example_wasm("arena").display().to_string();
    let run = worldtube(&["check", &arena]);
    assert_eq!(run.code, 0, "{run:?}");
    for expected in [
        "    schedule tick_timer_sched: calls tick at `scheduled_at` (id `scheduled_id`)\n",
        "    scheduled_id: u64  [primary key, auto_inc]\n",
        "    kind: EntityKind\n",
        "  tick(_timer: TickTimer)  [scheduled by tick_timer]\n",
        "  init()  [init]\n",
    ] {
        assert!(run.stdout.contains(expected), "{expected:?} missing: {run:?}");
    }
    let run = worldtube(&["run", &arena, "--connect", "alice", "--advance", "10s", "--brief", "--dump", "event_timer"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("fire_event [scheduled at 2025-01-01T00:00:10+00:00]: ok\n    [INFO] a burst of 10 food appeared\n    entity: +10 -0\n"), "{run:?}");
    assert!(run.stdout.contains("(201 scheduled call(s) ran)"), "{run:?}");
    assert!(run.stdout.contains("  event_timer (0 rows):\n  []\n"), "{run:?}");
}

/// A module in the 2.x style: it imports from `spacetime_10.4` (and 10.0, to write its empty
/// description) and exports `__call_procedure__`.
const V2_MODULE: &str = r#"
(module
  (import "spacetime_10.0" "bytes_sink_write" (func $write (param i32 i32 i32) (result i32)))
  (import "spacetime_10.4" "datastore_index_scan_point_bsatn" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; RawModuleDef::V9 with six empty arrays: 25 bytes.
  (data (i32.const 16) "\01")
  (func (export "__describe_module__") (param $sink i32)
    (i32.store (i32.const 8) (i32.const 25))
    (drop (call $write (local.get $sink) (i32.const 16) (i32.const 8))))
  (func (export "__call_reducer__") (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32) i32.const 0)
  (func (export "__call_procedure__") (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32) i32.const 0)
  (func (export "__call_view__") (param i32 i64 i64 i64 i64 i32 i32) (result i32) i32.const 0))
"#;

#[test]
fn check_reports_the_abi_version_a_module_needs() {
    let v2 = scratch("v2.wasm", &wat::parse_str(V2_MODULE).expect("valid WAT"));
    let run = worldtube(&["check", v2.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    for expected in [
        "interface: ok (imports 2 function(s) from spacetime_10.0, spacetime_10.4, exports what the host calls)\n",
        "abi: needs spacetime_10.4: loads on SpacetimeDB 1.12 and later 1.x, and every 2.x server\n",
        "definition: ok (0 table(s), 0 reducer(s), 0 named type(s))",
    ] {
        assert!(run.stdout.contains(expected), "{expected:?} missing: {run:?}");
    }
    assert!(!run.stdout.contains("ignore them"), "its exports need no later host than 10.4: {run:?}");

    // The same module importing `datastore_clear` instead: 2.2 and later only; its procedure
    // export is one a 10.5 host calls anyway.
    let v25 = V2_MODULE.replace(
        r#"(import "spacetime_10.4" "datastore_index_scan_point_bsatn" (func (param i32 i32 i32 i32) (result i32)))"#,
        r#"(import "spacetime_10.5" "datastore_clear" (func (param i32 i32) (result i32)))"#,
    );
    let v25 = scratch("v2_5.wasm", &wat::parse_str(v25).expect("valid WAT"));
    let run = worldtube(&["check", v25.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("abi: needs spacetime_10.5: loads on SpacetimeDB 2.2 and later 2.x servers only\n"),
        "{run:?}"
    );

    // Only 10.0 imports but a view export: loads everywhere, the export only matters to 10.4 hosts.
    let v10 = V2_MODULE.replace(
        r#"(import "spacetime_10.4" "datastore_index_scan_point_bsatn" (func (param i32 i32 i32 i32) (result i32)))"#,
        "",
    );
    let v10 = scratch("v1_views.wasm", &wat::parse_str(v10).expect("valid WAT"));
    let run = worldtube(&["check", v10.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            "abi: needs spacetime_10.0 only: loads on every SpacetimeDB 1.x and 2.x server; hosts older than its \
             exports ignore them: `__call_procedure__` (10.3), `__call_view__` (10.4)\n"
        ),
        "{run:?}"
    );
    // An official 2.14 build's HTTP handler export (another, later form): it loads, and check says
    // this host will not call it.
    let later = V2_MODULE.replace(
        r#"(func (export "__call_view__")"#,
        r#"(func (export "__call_http_handler__") (param i32 i64 i64 i64 i64 i32 i64 i32 i32 i32 i32) (result i32)
            i32.const 0)
          (func (export "__call_view__")"#,
    );
    let later = scratch("later_http.wasm", &wat::parse_str(later).expect("valid WAT"));
    let run = worldtube(&["check", later.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            "; it exports the unstable `__call_http_handler__` as (i32, i64, i64, i64, i64, i32, i64, i32, i32, i32, \
             i32) -> i32, a later server's form, which this host does not call\n"
        ),
        "{run:?}"
    );
}

#[test]
fn an_advance_past_the_end_of_time_is_an_error() {
    // About 292,000 years: the clock would pass i64::MAX microseconds.
    let run = worldtube(&["run", &chat(), "--advance", "9223372036854s"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("  error: cannot advance the clock by 92233720368"), "{run:?}");
    assert!(run.stdout.contains("past the largest timestamp"), "{run:?}");
}

/// A module whose one reducer counts to 1,000: more work than 500 units of fuel allow.
const BUSY_MODULE: &str = r#"
(module
  (import "spacetime_10.0" "bytes_sink_write" (func $write (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; RawModuleDef::V9 (tag 1): no types, no tables, one reducer `busy` (no parameters, no
  ;; lifecycle: option tag 1), then empty types, misc exports and row-level security: 38 bytes.
  (data (i32.const 16) "\01\00\00\00\00\00\00\00\00\01\00\00\00\04\00\00\00busy\00\00\00\00\01")
  (func (export "__describe_module__") (param $sink i32)
    (i32.store (i32.const 8) (i32.const 38))
    (drop (call $write (local.get $sink) (i32.const 16) (i32.const 8))))
  (func (export "__call_reducer__") (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32)
    (local $n i32)
    (loop $again
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $n) (i32.const 1000))))
    (i32.const 0)))
"#;

#[test]
fn fuel_can_be_set_per_run() {
    let busy = scratch("busy.wasm", &wat::parse_str(BUSY_MODULE).expect("valid WAT"));
    let busy = busy.to_str().unwrap();
    // Plenty of fuel: the call commits.
    let run = worldtube(&["run", busy, "--call", "busy"]);
    assert_eq!(run.code, 0, "{run:?}");
    // Too little for 1,000 loop turns: the call traps, naming the limit and how to raise it.
    let run = worldtube(&["run", busy, "--fuel", "500", "--call", "busy"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("fuel limit of 500 units"), "{run:?}");
    let run = worldtube(&["run", busy, "--fuel", "none"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--fuel: `none` is not a positive whole number"), "{run:?}");
}

/// A module importing from WASI: rejected with the reason, before anything runs.
const WASI_MODULE: &str = r#"
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "console_log" (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "__describe_module__") (param i32))
  (func (export "__call_reducer__") (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32) i32.const 0))
"#;

#[test]
fn bad_modules_and_missing_files_are_reported() {
    let wasi = scratch("wasi.wasm", &wat::parse_str(WASI_MODULE).expect("valid WAT"));
    let wasi = wasi.to_str().unwrap();
    for command in ["check", "describe", "run"] {
        let run = worldtube(&[command, wasi]);
        assert_eq!(run.code, 1, "{command}: {run:?}");
        assert!(
            run.stderr.contains(
                "error: the module does not fit the spacetime_10 interface (ABI 10.0 to 10.5):\n  - imports `fd_write` \
                 from `wasi_snapshot_preview1`; only imports from `spacetime_10.0` ... `spacetime_10.5` are allowed"
            ),
            "{command}: {run:?}"
        );
    }

    let not_wasm = scratch("not.wasm", b"hello");
    let run = worldtube(&["check", not_wasm.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("error: invalid wasm module"), "{run:?}");

    for command in ["check", "describe", "run"] {
        let run = worldtube(&[command, "no/such/module.wasm"]);
        assert_eq!(run.code, 2, "{command}: {run:?}");
        assert!(run.stderr.contains("error: cannot read the module `no/such/module.wasm`"), "{command}: {run:?}");
    }
    let run = worldtube(&["run", "examples"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("error: `examples` is a directory without a Cargo.toml"), "{run:?}");
}

#[test]
fn runs_a_module_crate_directory_with_the_demo_script() {
    // The README's command, building into this test's own target directory.
    let run = worldtube_with(
        &["run", "examples/quickstart-chat", "--script", "examples/quickstart-chat/demo.script"],
        |command| {
            command.env("CARGO_TARGET_DIR", wasm_target_dir()).env_remove("CARGO_BUILD_TARGET");
        },
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("building examples/quickstart-chat for wasm32-unknown-unknown"), "{run:?}");
    let wasm = wasm_target_dir().join("wasm32-unknown-unknown/release/quickstart_chat.wasm");
    assert!(run.stdout.starts_with(&format!("module: {}\n", wasm.display())), "{run:?}");
    for expected in [
        "send_message: error: Messages must not be empty  (expected)",
        "> dump user\n  user (2 rows):",
        "> dump message\n  message (2 rows):",
    ] {
        assert!(run.stdout.contains(expected), "{expected:?} missing: {run:?}");
    }
}

/// Every line of a `--json` run's stdout, parsed.
fn json_lines(run: &Run) -> Vec<serde_json::Value> {
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{run:?}")))
        .collect()
}

#[test]
fn run_json_prints_one_object_per_step() {
    let script = scratch(
        "json.script",
        br#"connect alice
call alice set_name ["Alice"]
as alice
call send_message [""]
expect-error must not be empty
advance 250
disconnect alice
dump
"#,
    );
    let script = script.to_str().unwrap();
    let run = worldtube(&["run", &chat(), "--json", "--script", script, "--dump", "message"]);
    assert_eq!(run.code, 0, "{run:?}");
    let events = json_lines(&run);
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().expect("an event")).collect();
    assert_eq!(
        kinds,
        ["installed", "connect", "call", "as", "call", "advance", "disconnect", "dump", "dump", "dump", "summary"],
        "{run:?}"
    );
    let [installed, connect, set_name, _, empty, advance, disconnect, messages, users, last, summary] = &events[..]
    else {
        unreachable!()
    };
    assert_eq!(installed["init"], false, "{run:?}");
    let last_log = installed["logs"].as_array().and_then(|logs| logs.last()).expect("the install's log");
    assert_eq!(*last_log, serde_json::json!({"level": "INFO", "message": "Database initialized"}));
    assert_eq!(connect["origin"], format!("{script}:1"));
    assert_eq!((&connect["function"], &connect["kind"]), (&"client_connected".into(), &"reducer".into()));
    assert_eq!(set_name["line"], r#"call alice set_name ["Alice"]"#);
    assert_eq!((&set_name["caller"], &set_name["status"]), (&"alice".into(), &"committed".into()));
    assert_eq!(set_name["timestamp"], "2025-01-01T00:00:00.000001+00:00", "{run:?}");
    let alice = worldtube_host::names::identity("alice").to_hex();
    assert_eq!(set_name["logs"][0]["level"], "INFO");
    assert_eq!(
        set_name["changes"]["user"],
        serde_json::json!({
            "inserted": [{"identity": alice, "name": "Alice", "online": true}],
            "deleted": [{"identity": alice, "name": null, "online": true}],
        }),
        "{run:?}"
    );
    assert_eq!(empty["origin"], format!("{script}:4"));
    assert_eq!((&empty["status"], &empty["failed_step"]), (&"failed".into(), &false.into()));
    assert_eq!(empty["expect_error"], "must not be empty");
    assert_eq!((&advance["runs"], &advance["clock"]), (&0.into(), &"2025-01-01T00:00:00.250003+00:00".into()));
    assert_eq!(
        (&disconnect["function"], &disconnect["status"]),
        (&"identity_disconnected".into(), &"committed".into())
    );
    // `dump` in the script: every table; then `--dump message` from the command line.
    assert_eq!((&messages["table"], &messages["count"]), (&"message".into(), &0.into()));
    assert_eq!((&users["table"], &users["rows"][0]["online"]), (&"user".into(), &false.into()));
    assert_eq!(
        (&last["origin"], &last["line"], &last["table"]),
        (&"command line".into(), &"dump message".into(), &"message".into())
    );
    assert_eq!(summary, &serde_json::json!({"event": "summary", "failed_steps": 0, "stopped_at": null, "exit": 0}));

    // A failure stops the run; the summary says where. Errors of the command stay on stderr.
    let run = worldtube(&["run", &chat(), "--json", "--call", "send_message", r#"[""]"#, "--dump", "message"]);
    assert_eq!(run.code, 1, "{run:?}");
    let events = json_lines(&run);
    assert_eq!(events.len(), 3, "{run:?}");
    assert_eq!((&events[1]["event"], &events[1]["failed_step"]), (&"call".into(), &true.into()));
    assert_eq!(
        events[2],
        serde_json::json!({"event": "summary", "failed_steps": 1, "stopped_at": "command line", "exit": 1})
    );
    let run = worldtube(&["run", "no-such.wasm", "--json"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{run:?}");
    assert!(run.stderr.contains("cannot read the module"), "{run:?}");

    // --brief: counts for the rows a call changed; scheduled calls, each as it runs.
    let arena = example_wasm("arena").display().to_string();
    let run = worldtube(&["run", &arena, "--json", "--brief", "--connect", "alice", "--advance", "10s"]);
    assert_eq!(run.code, 0, "{run:?}");
    let events = json_lines(&run);
    let scheduled: Vec<_> = events.iter().filter(|e| e["event"] == "scheduled").collect();
    assert_eq!(scheduled.len(), 201, "{run:?}");
    let burst = scheduled.iter().find(|e| e["function"] == "fire_event").expect("fire_event ran");
    assert_eq!(burst["changes"]["entity"], serde_json::json!({"inserted": 10, "deleted": 0}), "{burst}");
    assert_eq!(
        (&burst["caller"], &burst["kind"], &burst["line"]),
        (&"database".into(), &"reducer".into(), &"advance 10s".into())
    );
    assert_eq!(burst["timestamp"], "2025-01-01T00:00:10+00:00");
    let advance = &events[events.len() - 2];
    assert_eq!((&advance["event"], &advance["runs"]), (&"advance".into(), &201.into()));
}
