//! chat-v2 three ways through the same engine: natively linked (this binary), as its Worldtube
//! wasm build, and as the official `spacetimedb` 2.8.3 build of the same source
//! (`tests/official/chat-v2`, built as the compatibility suite builds it). The same steps must
//! give the same outcomes (status and server answer, log levels and messages, rows inserted and
//! deleted) and the same tables, step by step.

use chat_v2 as _;
use serde_json::{json, Value as Json};
use std::path::Path;
use worldtube_compat::build::{Builder, Flavor};
use worldtube_host::cli::run::{connection_id, engine_options};
use worldtube_host::engine::{
    Caller, Engine, Outcome, ProcedureOutcome, ProcedureStatus, RouteOutcome, RouteRequest, Status,
};
use worldtube_host::http::HttpReply;
use worldtube_host::json::{row_to_json, table_to_json, value_to_json};
use worldtube_host::runtime::{ModuleInstance, WasmModule};
use worldtube_lib::TimeDuration;
use worldtube_testing::{NativeModule, TestDb};

/// The wasm of chat-v2 built as `flavor` (cached in the workspace target directory, shared with
/// `tests/tests/describe_v10_matches_official.rs`).
fn wasm(flavor: Flavor) -> WasmModule {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("the tmp dir is inside the target dir");
    let builder = Builder::new(target_dir);
    let built = match flavor {
        Flavor::Ours => builder.build_ours("chat-v2"),
        Flavor::Official => builder.build_official("chat-v2"),
    }
    .unwrap_or_else(|error| panic!("the {} build of chat-v2 failed:\n{error}", flavor.name()));
    let bytes = std::fs::read(&built.wasm_file).unwrap_or_else(|e| panic!("{}: {e}", built.wasm_file.display()));
    WasmModule::new(&bytes).unwrap_or_else(|e| panic!("the {} build fits the interface: {e}", flavor.name()))
}

fn client(name: &str, n: u128) -> Caller {
    Caller { identity: TestDb::identity(name), connection_id: Some(connection_id(name, n)) }
}

/// What is compared of an outcome: reducer, status with the server's answer, logs (level and
/// message), and the rows inserted and deleted per table as JSON.
fn summary<M: ModuleInstance>(engine: &Engine<M>, outcome: &Outcome) -> Json {
    let status = match &outcome.status {
        Status::Committed => json!("committed"),
        Status::Failed(m) => json!({ "failed": m }),
        Status::Trapped(_) => json!({ "trapped": outcome.server_error() }),
    };
    json!({ "reducer": outcome.reducer, "timestamp": outcome.timestamp.to_micros_since_unix_epoch(),
            "status": status, "logs": logs(&outcome.logs), "changes": changes(engine, &outcome.changes) })
}

/// A procedure call's summary: its return value as JSON (or the server's answer to a failure),
/// logs, each commit's changes and the HTTP requests it made.
fn procedure_summary<M: ModuleInstance>(engine: &Engine<M>, outcome: &ProcedureOutcome) -> Json {
    let schema = engine.schema();
    let status = match &outcome.status {
        ProcedureStatus::Returned { value, .. } => {
            let procedure = schema.procedure(schema.procedure_id(&outcome.procedure).expect("ran")).expect("id");
            json!({ "returned": value_to_json(&procedure.return_type, schema.typespace(), value) })
        }
        ProcedureStatus::Trapped(_) => json!({ "trapped": outcome.server_error() }),
    };
    let commits: Vec<Json> = outcome
        .commits
        .iter()
        .map(|c| json!([c.timestamp.to_micros_since_unix_epoch(), changes(engine, &c.changes)]))
        .collect();
    let http: Vec<Json> = outcome.http.iter().map(|h| json!([h.method, h.uri, h.answer])).collect();
    json!({ "procedure": outcome.procedure, "timestamp": outcome.timestamp.to_micros_since_unix_epoch(),
            "ended_at": outcome.ended_at.to_micros_since_unix_epoch(), "status": status,
            "logs": logs(&outcome.logs), "commits": commits, "http": http })
}

/// An HTTP handler's summary: its response (status, headers, body as text) or its failure,
/// logs and each commit's changes.
fn route_summary<M: ModuleInstance>(engine: &Engine<M>, outcome: &RouteOutcome) -> Json {
    let response = match &outcome.response {
        Ok(r) => {
            let headers: Vec<Json> = r.headers.iter().map(|(n, v)| json!([n, String::from_utf8_lossy(v)])).collect();
            json!({ "status": r.status, "headers": headers, "body": r.text() })
        }
        Err(e) => json!({ "failed": e }),
    };
    let commits: Vec<Json> = outcome.commits.iter().map(|c| changes(engine, &c.changes)).collect();
    json!({ "handler": outcome.handler, "timestamp": outcome.timestamp.to_micros_since_unix_epoch(),
            "response": response, "logs": logs(&outcome.logs), "commits": commits })
}

fn logs(logs: &[worldtube_host::LogRecord]) -> Vec<Json> {
    logs.iter().map(|l| json!([format!("{:?}", l.level), l.message])).collect()
}

fn changes<M: ModuleInstance>(engine: &Engine<M>, changes: &worldtube_host::TxChanges) -> Json {
    let schema = engine.schema();
    changes
        .tables
        .iter()
        .map(|c| {
            let rows = |rows: &[std::sync::Arc<worldtube_host::Row>]| -> Vec<Json> {
                rows.iter().map(|r| row_to_json(schema, c.table, r.value())).collect()
            };
            let name = schema.table(c.table).expect("table id").name.clone();
            (name, json!({ "inserted": rows(&c.inserted), "deleted": rows(&c.deleted) }))
        })
        .collect::<serde_json::Map<String, Json>>()
        .into()
}

fn tables<M: ModuleInstance>(engine: &Engine<M>) -> Json {
    let schema = engine.schema();
    schema.tables().iter().map(|t| (t.name.clone(), table_to_json(engine.datastore(), t.id))).collect()
}

/// The steps, each step's summary and the tables after it.
fn scenario<M: ModuleInstance>(module: M) -> Vec<Json> {
    let mut engine = Engine::install(module, engine_options()).unwrap_or_else(|e| panic!("installs: {e}"));
    let (alice, bob) = (client("alice", 1), client("bob", 2));
    let carol = Caller::identity(TestDb::identity("carol"));
    let mut steps = vec![json!({ "installed": tables(&engine) })];
    let mut record = |engine: &Engine<M>, step: Json| steps.push(json!({ "step": step, "tables": tables(engine) }));

    let outcome = engine.connect(alice);
    record(&engine, summary(&engine, &outcome));
    let outcome = engine.connect(bob);
    record(&engine, summary(&engine, &outcome));
    // A moderator, whose token's claims `ctx.sender_auth()` reads through `get_jwt`.
    let claims = json!({ "iss": chat_v2::MODERATION_ISSUER, "sub": "mia", "aud": [chat_v2::MODERATION_AUDIENCE] });
    let mia = Caller {
        identity: worldtube_lib::Identity::from_claims(chat_v2::MODERATION_ISSUER, "mia"),
        connection_id: Some(connection_id("mia", 3)),
    };
    let outcome = engine.connect_with_jwt(mia, Some(claims.to_string()));
    record(&engine, summary(&engine, &outcome));
    let calls = [
        (alice, "set_name", json!([""])),
        (alice, "set_name", json!(["Alice"])),
        (bob, "set_name", json!({ "name": "Bob" })),
        (carol, "set_name", json!(["Carol"])),
        (alice, "post", json!([1, "Hello, Bob!", { "plain": [] }])),
        (bob, "post", json!([1, "HI", { "shout": [] }])),
        (bob, "post", json!([1, "", { "plain": [] }])),
        (alice, "open_room", json!(["games"])),
        (bob, "open_room", json!(["games"])),
        (alice, "start_typing", json!([2])),
        (alice, "send_message", json!([1, "x", { "plain": [] }])),
        (alice, "init", json!([])),
        (alice, "post", json!([1])),
        (alice, "remove_message", json!([1])),
        (carol, "remove_message", json!([1])),
        (mia, "remove_message", json!([1])),
        (mia, "remove_message", json!([1])),
    ];
    for (caller, reducer, args) in calls {
        let step = match engine.call_json(reducer, caller, &args.to_string()) {
            Ok(outcome) => summary(&engine, &outcome),
            Err(e) => json!({ "refused": e.server_message() }),
        };
        record(&engine, step);
    }
    engine.http_responders_mut().respond(Some("GET"), "https://motd.example.com/*", HttpReply::ok("Be kind."));
    let wake = engine.now().to_micros_since_unix_epoch() + 30_000_000;
    let procedures = [
        (alice, "room_stats", json!([1])),
        (bob, "fresh_code", json!([])),
        (alice, "post_motd", json!([1, "https://motd.example.com/today"])),
        (alice, "post_motd", json!([1, "https://nowhere.example.org/"])),
        (alice, "post_motd", json!([99, "https://motd.example.com/today"])),
        (bob, "remind_at", json!([1, { "__timestamp_micros_since_unix_epoch__": wake }, "lunch"])),
        (bob, "post_digest", json!([{ "scheduled_id": 1, "scheduled_at": { "Time": 0 }, "room": 1 }])),
        (bob, "no_such_procedure", json!([])),
    ];
    for (caller, procedure, args) in procedures {
        let step = match engine.call_procedure_json(procedure, caller, &args.to_string()) {
            Ok(outcome) => procedure_summary(&engine, &outcome),
            Err(e) => json!({ "refused": e.server_message() }),
        };
        record(&engine, step);
    }
    let outcome = engine.call_json("schedule_digest", alice, "[1, 1000]").expect("a reducer");
    record(&engine, summary(&engine, &outcome));
    let ran = engine.advance(TimeDuration::from_micros(2_000_000));
    assert_eq!(ran.len(), 1, "the digest ran");
    record(&engine, summary(&engine, &ran[0]));
    let reads = [
        (Some(alice), "my_user"),
        (Some(bob), "my_user"),
        (None, "lobby_messages"),
        (None, "online_users"),
        (Some(alice), "MyRooms"),
        (Some(alice), "invited_rooms"),
        (None, "my_user"),
        (Some(carol), "no_such_view"),
    ];
    for (reader, view) in reads {
        let step = match engine.read_view(view, reader.map(|r| r.identity)) {
            Ok(rows) => {
                let schema = engine.schema();
                let ty = worldtube_lib::algebraic::AlgebraicType::Ref(schema.view(rows.view).expect("id").row_type_ref);
                let rows: Vec<Json> = rows
                    .rows
                    .into_iter()
                    .map(|row| {
                        value_to_json(&ty, schema.typespace(), &worldtube_lib::algebraic::AlgebraicValue::Product(row))
                    })
                    .collect();
                json!({ "view": view, "rows": rows })
            }
            Err(e) => json!({ "view": view, "error": e.to_string() }),
        };
        record(&engine, step);
    }
    let requests = [
        RouteRequest::get("/rooms"),
        RouteRequest::new(worldtube_lib::http::Method::Put, "/v1/count?x=1"),
        RouteRequest::post("/echo", "hello").header("x-note", "a note"),
        RouteRequest::post("/echo", "panic"),
        RouteRequest::get("/nope"),
    ];
    for request in requests {
        let step = match engine.call_route(request) {
            Ok(outcome) => route_summary(&engine, &outcome),
            Err(e) => json!({ "refused": e.server_message() }),
        };
        record(&engine, step);
    }
    let outcome = engine.disconnect(bob);
    record(&engine, summary(&engine, &outcome));
    let logs: Vec<Json> = engine.logs().iter().map(|l| json!([format!("{:?}", l.level), l.message])).collect();
    steps.push(json!({ "database log": logs }));
    steps
}

fn assert_same(what: &str, expected: &[Json], got: &[Json]) {
    assert_eq!(expected.len(), got.len(), "{what}: the number of steps");
    for (i, (e, g)) in expected.iter().zip(got).enumerate() {
        assert_eq!(
            e,
            g,
            "{what}: step {i} differs\nnative: {}\n{what}: {}",
            serde_json::to_string_pretty(e).unwrap(),
            serde_json::to_string_pretty(g).unwrap()
        );
    }
}

#[test]
fn chat_v2_native_wasm_and_official_build_agree() {
    let native = scenario(NativeModule::new());
    // The scenario does reach every kind of answer.
    let text = serde_json::to_string(&native).unwrap();
    for needle in [
        "Names must not be empty",
        "\"refused\":\"no such reducer\"",
        "lifecycle reducer",
        "typing",
        "committed",
        "Be kind.",
        "error sending request",
        "room 99 is gone",
        "lunch",
        "messages so far",
        "No such procedure",
        "POST echo hello",
        "echo was asked to panic",
        "Database has not registered a handler",
    ] {
        assert!(text.contains(needle), "the native run has {needle}: {text}");
    }
    let ours = scenario(wasm(Flavor::Ours));
    assert_same("our wasm build", &native, &ours);
    let official = scenario(wasm(Flavor::Official));
    assert_same("the official 2.8.3 build", &native, &official);
}
