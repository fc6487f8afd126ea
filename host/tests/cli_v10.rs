//! The `worldtube` binary on a 2.x module (chat-v2 built to wasm, `RawModuleDef::V10`):
//! describe prints the V10 definition, check validates and summarises it, run runs it.

mod wasm_examples;

use std::process::Command;
use wasm_examples::{example_wasm, workspace};

fn worldtube(args: &[&str]) -> (i32, String, String) {
    let output =
        Command::new(env!("CARGO_BIN_EXE_worldtube")).args(args).current_dir(workspace()).output().expect("it runs");
    (
        output.status.code().expect("exited"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A temporary HTTP responders file (`--http`): the motd answers "Be kind.", `down.example.com`
/// times out.
fn responders_file(test: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("worldtube-cli-v10-{test}-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"[{"method": "GET", "url": "https://motd.example.com/*", "body": "Be kind."},
            {"url": "https://down.example.com/*", "error": "operation timed out"}]"#,
    )
    .expect("a temporary file");
    path
}

fn chat_v2() -> String {
    example_wasm("chat-v2").display().to_string()
}

#[test]
fn describe_check_and_run_a_2x_module() {
    let wasm = chat_v2();

    let (code, out, err) = worldtube(&["describe", &wasm]);
    assert_eq!(code, 0, "{out}{err}");
    let def: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let sections = def["sections"].as_array().expect("a V10 definition: a list of sections");
    let tables = sections.iter().find_map(|s| s["Tables"].as_array()).expect("a Tables section");
    let names: Vec<&str> = tables.iter().map(|t| t["source_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["digest", "invite", "message", "room", "typing", "user"], "source names, as described");
    assert!(tables.iter().any(|t| t["is_event"] == true));

    let (code, out, err) = worldtube(&["check", &wasm]);
    assert_eq!(code, 0, "{out}{err}");
    for expected in [
        "describe: ok\n",
        "definition: ok (6 table(s), 12 reducer(s), 5 procedure(s), 5 view(s), ",
        "views (5):\n",
        "  my_user (public, per caller, primary key identity) -> rows of User\n",
        "  online_users (public, anonymous) -> query of User\n",
        "procedures (5):\n",
        "  room_stats(room: u32) -> RoomStats\n",
        "  post_digest(digest: Digest) -> ()  [private]  [scheduled by digest]\n",
        ", 2.x (V10))\n",
        "servers: SpacetimeDB 2.x only (1.x servers do not read a RawModuleDef::V10 definition)\n",
        "  chat_message (public, accessor message, row type ",
        "    style: Style  [default \"plain\"]\n",
        "  typing (public, event table, row type ",
        "    index room_owner_idx_hash: hash(owner)\n",
        "  post(room: u32, text: String, style: Style)\n",
        "  init()  [init]\n",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }

    let (code, out, err) = worldtube(&[
        "run",
        &wasm,
        "--connect",
        "alice",
        "--as",
        "alice",
        "--call",
        "post",
        r#"[1, "hi", {"shout": []}]"#,
        "--call",
        "start_typing",
        "[1]",
        "--dump",
        "typing",
        "--dump",
        "message",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    for expected in [
        "client_connected: ok",
        "post: ok",
        "    + chat_message {",
        "start_typing: ok\n    + typing {",
        "> dump typing\n  typing (0 rows)",
        "> dump message\n  chat_message (1 row)",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }
}

#[test]
fn run_calls_procedures_with_http_responders_from_a_file() {
    let wasm = chat_v2();
    let responders = responders_file("http");
    let (code, out, err) = worldtube(&[
        "run",
        &wasm,
        "--http",
        responders.to_str().unwrap(),
        "--connect",
        "alice",
        "--as",
        "alice",
        "--call",
        "room_stats",
        "[1]",
        "--call",
        "post_motd",
        r#"[1, "https://motd.example.com/today"]"#,
        "--call",
        "post_motd",
        r#"[1, "https://down.example.com/"]"#,
        "--call",
        "remind_at",
        r#"[1, {"__timestamp_micros_since_unix_epoch__": 1900000000000000}, "later"]"#,
    ]);
    std::fs::remove_file(&responders).ok();
    assert_eq!(code, 0, "{out}{err}");
    for expected in [
        "room_stats: returned {\"room\":1,\"messages\":0,\"invites\":0,\"at\":",
        "    committed at ",
        "post_motd: returned {\"ok\":200}\n    http GET https://motd.example.com/today -> 200\n",
        "    + chat_message {\"id\":1,",
        "\"text\":\"Be kind.\"",
        "post_motd: returned {\"err\":\"no message of the day: error sending request for url \
         (https://down.example.com/): operation timed out\"}\n    http GET https://down.example.com/ -> failed: ",
        "remind_at: returned \"2030-03-17T17:46:40+00:00\"\n    committed at 2030-03-17T17:46:40+00:00\n",
        "    slept until 2030-03-17T17:46:40+00:00\n",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }

    let (code, out, _) = worldtube(&["run", &wasm, "--call", "no_such_function"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: the module has no reducer named `no_such_function`; its reducers are: "), "{out}");
    assert!(out.contains("; its procedures are: fresh_code, post_digest, post_motd, remind_at, room_stats"), "{out}");
    // Like any refusal, it can be expected.
    let (code, out, _) = worldtube(&["run", &wasm, "--call", "no_such_function", "--expect-error", "no reducer named"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn run_reads_views_as_a_client_and_anonymously() {
    let wasm = chat_v2();
    let (code, out, err) = worldtube(&[
        "run",
        &wasm,
        "--connect",
        "alice",
        "--as",
        "alice",
        "--call",
        "post",
        r#"[1, "hi", {"plain": []}]"#,
        "--view",
        "my_user",
        "--view-anon",
        "lobby_messages",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    for expected in [
        "> view my_user  (as alice)\n  my_user (1 row):\n",
        "\"online\": true",
        "> view-anon lobby_messages\n  lobby_messages (1 row):\n",
        "\"text\": \"hi\"",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }
    let (code, out, _) = worldtube(&["run", &wasm, "--view-anon", "my_user"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: `my_user` is computed per caller"), "{out}");
}

#[test]
fn run_sends_requests_to_the_modules_http_routes() {
    let wasm = chat_v2();
    let script = std::env::temp_dir().join(format!("worldtube-routes-{}.script", std::process::id()));
    std::fs::write(
        &script,
        "route GET /rooms\nroute POST /echo?x=1 hello there\nroute POST /echo panic\nexpect-error echo was asked to panic\n",
    )
    .expect("a temporary script");
    let (code, out, err) = worldtube(&["run", &wasm, "--script", &script.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    for expected in [
        "> route GET /rooms\n  room_count: 200\n    1\n    committed at ",
        "> route POST /echo?x=1 hello there\n  echo: 201\n    x-echo: \n    POST echo hello there\n",
        "> route POST /echo panic\n  echo: 500, panic: echo was asked to panic  (expected)",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }

    let (code, out, _) = worldtube(&["run", &wasm, "--route", "DELETE /rooms", "--route", "PUT /v1/count", "--json"]);
    assert_eq!(code, 1, "{out}");
    let lines = json_lines(&out);
    assert_eq!(lines[1]["event"], "error", "{out}");
    assert_eq!(lines[1]["message"], "the module has no route for DELETE `/rooms`");
    assert_eq!(lines[2]["event"], "summary", "stops at the first failure: {out}");

    let (code, out, _) = worldtube(&["run", &wasm, "--route", "PUT /v1/count", "--json"]);
    assert_eq!(code, 0, "{out}");
    let route = &json_lines(&out)[1];
    assert_eq!((route["event"].as_str(), route["handler"].as_str()), (Some("route"), Some("room_count")));
    assert_eq!((route["status"].as_u64(), route["body"].as_str()), (Some(200), Some("1")));

    let (code, out, _) = worldtube(&["check", &wasm]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("routes (3, at /v1/database/NAME/route...):\n  GET /rooms -> room_count\n"), "{out}");
    assert!(out.contains("  any method /v1/count -> room_count\n"), "{out}");
    let _ = std::fs::remove_file(script);
}

#[test]
fn run_reports_the_reducers_that_ran_while_a_procedure_slept() {
    let wasm = example_wasm("fidelity-v2").display().to_string();
    let (code, out, err) = worldtube(&["run", &wasm, "--call", "sleep_past_a_note", r#"["early", 100, 500]"#]);
    assert_eq!(code, 0, "{out}{err}");
    // The procedure saw the note the reducer wrote while it slept; the reducer's run follows it.
    for expected in [
        "  sleep_past_a_note: returned [\"early\"]\n    [INFO] sleeping\n    [INFO] awake\n",
        "  write_note [scheduled at 2025-01-01T00:00:00.100001+00:00]: ok\n    [INFO] writing early\n",
    ] {
        assert!(out.contains(expected), "{expected:?} missing:\n{out}");
    }

    let (code, out, _) = worldtube(&["run", &wasm, "--call", "sleep_past_a_note", r#"["early", 100, 500]"#, "--json"]);
    assert_eq!(code, 0, "{out}");
    let events: Vec<String> = json_lines(&out).iter().map(|e| e["event"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(events, ["installed", "call", "scheduled", "summary"], "{out}");
}

/// Every line of a `--json` run's stdout, parsed.
fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))).collect()
}

#[test]
fn run_json_reports_one_object_per_step() {
    let wasm = chat_v2();
    let responders = responders_file("json");
    let (code, out, err) = worldtube(&[
        "run",
        &wasm,
        "--json",
        "--keep-going",
        "--http",
        responders.to_str().unwrap(),
        "--connect",
        "alice",
        "--as",
        "alice",
        "--call",
        "post",
        r#"[1, "hi", {"plain": []}]"#,
        "--call",
        "post",
        r#"[1, "", {"plain": []}]"#,
        "--expect-error",
        "must not be empty",
        "--call",
        "room_stats",
        "[1]",
        "--call",
        "post_motd",
        r#"[1, "https://motd.example.com/today"]"#,
        "--call",
        "post_motd",
        r#"[1, "https://down.example.com/"]"#,
        "--call",
        "schedule_digest",
        "[1, 10]",
        "--advance",
        "50",
        "--view",
        "my_user",
        "--view-anon",
        "lobby_messages",
        "--call",
        "remind_at",
        r#"[1, {"__timestamp_micros_since_unix_epoch__": 1900000000000000}, "later"]"#,
        "--call",
        "no_such_function",
        "--dump",
        "typing",
    ]);
    std::fs::remove_file(&responders).ok();
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("module: "), "no text in JSON mode:\n{out}");
    let events = json_lines(&out);
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().expect("an event")).collect();
    assert_eq!(
        kinds,
        [
            "installed",
            "connect",
            "as",
            "call",
            "call",
            "call",
            "call",
            "call",
            "call",
            "scheduled",
            "advance",
            "view",
            "view",
            "call",
            "error",
            "dump",
            "summary"
        ],
        "{out}"
    );
    let [installed, connect, as_alice, post, empty, stats, motd, down, schedule, digest, advance, my_user, lobby, remind, error, dump, summary] =
        &events[..]
    else {
        unreachable!()
    };

    assert_eq!(installed["init"], true);
    assert!(installed["module"].as_str().unwrap().ends_with("chat_v2.wasm"), "{installed}");
    assert_eq!(installed["clock"], "2025-01-01T00:00:00.000001+00:00", "after `init`");

    assert_eq!(connect["origin"], "command line");
    assert_eq!(connect["line"], "connect alice");
    assert_eq!(connect["caller"], "alice");
    assert_eq!(connect["identity"], worldtube_host::names::identity("alice").to_hex());
    assert!(connect["connection_id"].is_string(), "{connect}");
    assert_eq!(connect["function"], "client_connected");
    assert_eq!(connect["status"], "committed");
    assert_eq!(connect["changes"]["user"]["inserted"][0]["online"], true, "{connect}");
    assert_eq!(as_alice["caller"], "alice");

    // A reducer: its rows (columns in table order, as in the text), logs and verdict.
    assert_eq!(post["line"], r#"call post [1, "hi", {"plain": []}]"#);
    assert_eq!(
        (&post["caller"], &post["function"], &post["kind"]),
        (&"alice".into(), &"post".into(), &"reducer".into())
    );
    assert_eq!(post["status"], "committed");
    assert!(post["error"].is_null() && post["server_error"].is_null(), "{post}");
    assert_eq!(post["logs"], serde_json::json!([{"level": "INFO", "message": "hi"}]));
    let row = &post["changes"]["chat_message"]["inserted"][0];
    assert_eq!((&row["id"], &row["text"], &row["style"]), (&1.into(), &"hi".into(), &"plain".into()));
    assert!(out.contains(r#"{"id":1,"sender":""#), "columns in table order:\n{out}");
    assert_eq!(post["changes"]["chat_message"]["deleted"], serde_json::json!([]));
    assert_eq!((&post["expect_error"], &post["failed_step"]), (&serde_json::Value::Null, &false.into()));
    assert_eq!((&empty["status"], &empty["error"]), (&"failed".into(), &"Messages must not be empty".into()));
    assert_eq!(empty["server_error"], "Messages must not be empty");
    assert_eq!((&empty["expect_error"], &empty["failed_step"]), (&"must not be empty".into(), &false.into()));
    assert_eq!(empty["changes"], serde_json::json!({}));

    // Procedures: the value returned, each commit, the HTTP requests.
    assert_eq!((&stats["kind"], &stats["status"]), (&"procedure".into(), &"returned".into()));
    assert_eq!((&stats["returned"]["room"], &stats["returned"]["messages"]), (&1.into(), &1.into()), "{stats}");
    assert_eq!(stats["commits"].as_array().unwrap().len(), 1, "{stats}");
    assert_eq!(motd["returned"], serde_json::json!({"ok": 200}));
    assert_eq!(
        motd["http"],
        serde_json::json!([{"method": "GET", "uri": "https://motd.example.com/today", "status": 200, "error": null}])
    );
    assert_eq!(motd["commits"][0]["changes"]["chat_message"]["inserted"][0]["text"], "Be kind.");
    assert!(down["returned"]["err"].as_str().unwrap().contains("operation timed out"), "{down}");
    assert!(down["http"][0]["status"].is_null() && down["http"][0]["error"].is_string(), "{down}");
    assert_eq!(down["commits"], serde_json::json!([]));

    // An advance: each scheduled run (here a procedure), then the clock.
    assert_eq!(schedule["changes"]["digest"]["inserted"].as_array().unwrap().len(), 1, "{schedule}");
    assert_eq!((&digest["function"], &digest["kind"]), (&"post_digest".into(), &"procedure".into()), "{digest}");
    assert_eq!((&digest["caller"], &digest["line"]), (&"database".into(), &"advance 50".into()));
    assert_eq!(digest["status"], "committed");
    assert_eq!(digest["changes"]["chat_message"]["inserted"][0]["text"], "2 messages so far", "{digest}");
    assert_eq!(advance["runs"], 1);
    assert!(advance["clock"].as_str().unwrap().starts_with("2025-01-01T00:00:00.05"), "{advance}");

    // Views: the rows a reader gets.
    assert_eq!(
        (&my_user["view"], &my_user["caller"], &my_user["count"]),
        (&"my_user".into(), &"alice".into(), &1.into())
    );
    assert_eq!(my_user["rows"][0]["online"], true);
    assert_eq!((&lobby["view"], &lobby["caller"]), (&"lobby_messages".into(), &serde_json::Value::Null));

    assert_eq!(remind["returned"], "2030-03-17T17:46:40+00:00");
    assert_eq!(
        (&remind["timestamp"], &remind["ended_at"]),
        (&remind["timestamp"], &"2030-03-17T17:46:40+00:00".into())
    );
    assert_ne!(remind["timestamp"], remind["ended_at"]);

    assert_eq!(error["line"], "call no_such_function []");
    assert!(error["message"].as_str().unwrap().starts_with("the module has no reducer named `no_such_function`"));
    assert_eq!((&dump["table"], &dump["count"], &dump["rows"]), (&"typing".into(), &0.into(), &serde_json::json!([])));
    assert_eq!(dump["line"], "dump typing");
    assert_eq!(summary, &serde_json::json!({"event": "summary", "failed_steps": 1, "stopped_at": null, "exit": 0}));
}
