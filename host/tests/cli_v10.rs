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
        "definition: ok (6 table(s), 11 reducer(s), 5 procedure(s), ",
        "procedures (5):\n",
        "  room_stats(room: u32) -> RoomStats\n",
        "  post_digest(digest: Digest) -> ()  [private]  [scheduled by digest]\n",
        ", 2.x (V10))\n",
        "servers: SpacetimeDB 2.x only (1.x servers do not read a RawModuleDef::V10 definition)\n",
        "  chat_message (public, accessor message, row type ",
        "    style: Style  [default \"Plain\"]\n",
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
        r#"[1, "hi", {"Shout": []}]"#,
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
    let responders = std::env::temp_dir().join(format!("worldtube-cli-v10-http-{}.json", std::process::id()));
    std::fs::write(
        &responders,
        r#"[{"method": "GET", "url": "https://motd.example.com/*", "body": "Be kind."},
            {"url": "https://down.example.com/*", "error": "operation timed out"}]"#,
    )
    .unwrap();
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
        r#"[1, "hi", {"Plain": []}]"#,
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
