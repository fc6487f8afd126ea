//! `Engine<WasmModule>`: the example modules built to wasm run through the engine. The chat
//! scenario runs twice — as wasm and natively (quickstart-chat is the one module crate linked
//! into this binary) — and both runs must agree call by call; the arena runs as wasm only
//! (linking a second module crate natively would clash in the reducer registry).

#[path = "../../host/tests/wasm_examples/mod.rs"]
mod wasm_examples;

use quickstart_chat as _;
use serde_json::{json, Value as Json};
use wasm_examples::example_wasm;
use worldtube_host::cli::run::{connection_id, engine_options};
use worldtube_host::engine::{CallError, Caller, Engine, Outcome, Status};
use worldtube_host::json::{args_from_json, row_to_json, table_to_json};
use worldtube_host::runtime::{ModuleInstance, WasmModule};
use worldtube_lib::TimeDuration;
use worldtube_testing::{NativeModule, TestDb};

fn wasm_module(package: &str) -> WasmModule {
    let path = example_wasm(package);
    let wasm = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    WasmModule::new(&wasm).unwrap_or_else(|e| panic!("{package} fits the interface: {e}"))
}

fn install<M: ModuleInstance>(module: M) -> Engine<M> {
    Engine::install(module, engine_options()).unwrap_or_else(|e| panic!("the module installs: {e}"))
}

/// A connected client `name`, the `n`th connection.
fn client(name: &str, n: u128) -> Caller {
    Caller { identity: TestDb::identity(name), connection_id: Some(connection_id(name, n)) }
}

/// Calls `reducer` with JSON arguments.
fn call<M: ModuleInstance>(engine: &mut Engine<M>, caller: Caller, reducer: &str, args: Json) -> Outcome {
    try_call(engine, caller, reducer, args).unwrap_or_else(|e| panic!("calling {reducer}: {e}"))
}

fn try_call<M: ModuleInstance>(
    engine: &mut Engine<M>,
    caller: Caller,
    reducer: &str,
    args: Json,
) -> Result<Outcome, CallError> {
    let schema = engine.schema().clone();
    let id = schema.reducer_id(reducer).ok_or_else(|| CallError::NoSuchReducer(reducer.into()))?;
    let params = &schema.reducer(id).expect("id from the schema").params;
    let bytes = args_from_json(reducer, params, schema.typespace(), &args.to_string())
        .map_err(|error| CallError::InvalidArguments { reducer: reducer.into(), error })?;
    engine.call(reducer, caller, bytes)
}

/// Every table as JSON, by name.
fn tables<M: ModuleInstance>(engine: &Engine<M>) -> Json {
    let schema = engine.schema();
    schema.tables().iter().map(|t| (t.name.clone(), table_to_json(engine.datastore(), t.id))).collect()
}

fn table<M: ModuleInstance>(engine: &Engine<M>, name: &str) -> Vec<Json> {
    let id = engine.schema().table_id(name).unwrap_or_else(|| panic!("no table `{name}`"));
    match table_to_json(engine.datastore(), id) {
        Json::Array(rows) => rows,
        other => panic!("not rows: {other}"),
    }
}

/// What the comparison looks at in an outcome: reducer, status with message, logs (level and
/// message), and the rows inserted and deleted per table as JSON.
fn summary<M: ModuleInstance>(engine: &Engine<M>, outcome: &Outcome) -> Json {
    let schema = engine.schema();
    let status = match &outcome.status {
        Status::Committed => json!("committed"),
        Status::Failed(m) => json!({ "failed": m }),
        Status::Trapped(m) => json!({ "trapped": m }),
    };
    let logs: Vec<Json> = outcome.logs.iter().map(|l| json!([format!("{:?}", l.level), l.message])).collect();
    let changes: Json = outcome
        .changes
        .tables
        .iter()
        .map(|c| {
            let rows = |rows: &[std::sync::Arc<worldtube_host::Row>]| -> Vec<Json> {
                rows.iter().map(|r| row_to_json(schema, c.table, r.value())).collect()
            };
            let name = schema.table(c.table).expect("table id").name.clone();
            (name, json!({ "inserted": rows(&c.inserted), "deleted": rows(&c.deleted) }))
        })
        .collect::<serde_json::Map<_, _>>()
        .into();
    json!({ "reducer": outcome.reducer, "timestamp": outcome.timestamp.to_micros_since_unix_epoch(),
            "status": status, "logs": logs, "changes": changes })
}

/// The chat scenario, step by step: each step's summary (or the refusal's message).
fn chat_scenario<M: ModuleInstance>(engine: &mut Engine<M>) -> Vec<Json> {
    let (alice, bob) = (client("alice", 1), client("bob", 2));
    let carol = Caller::identity(TestDb::identity("carol"));
    let mut steps = Vec::new();
    let mut record = |engine: &mut Engine<M>, outcome: Result<Outcome, CallError>| {
        steps.push(match outcome {
            Ok(outcome) => summary(engine, &outcome),
            Err(e) => json!({ "refused": e.to_string() }),
        });
    };
    let outcome = engine.connect(alice);
    record(engine, Ok(outcome));
    let outcome = engine.connect(bob);
    record(engine, Ok(outcome));
    let calls = [
        (alice, "set_name", json!([""])),
        (alice, "set_name", json!(["Alice"])),
        (bob, "set_name", json!({ "name": "Bob" })),
        (carol, "set_name", json!(["Carol"])),
        (alice, "send_message", json!(["Hello, Bob!"])),
        (bob, "send_message", json!([""])),
        (carol, "send_message", json!(["from outside"])),
        (alice, "client_connected", json!([])),
        (alice, "no_such_reducer", json!([])),
    ];
    for (caller, reducer, args) in calls {
        let outcome = try_call(engine, caller, reducer, args);
        record(engine, outcome);
    }
    // Nothing is scheduled in the chat: advancing only moves the clock.
    assert!(engine.advance(TimeDuration::from_micros(1_500_000)).is_empty());
    let outcome = try_call(engine, bob, "send_message", json!(["Hi Alice."]));
    record(engine, outcome);
    let outcome = engine.disconnect(bob);
    record(engine, Ok(outcome));
    let outcome = engine.disconnect(carol);
    record(engine, Ok(outcome));
    steps
}

#[test]
fn chat_wasm_matches_native() {
    let mut wasm = install(wasm_module("quickstart-chat"));
    let mut native = install(NativeModule::new());
    assert_eq!(wasm.module_def(), native.module_def(), "the same definition");

    let wasm_steps = chat_scenario(&mut wasm);
    let native_steps = chat_scenario(&mut native);
    assert_eq!(wasm_steps.len(), native_steps.len());
    for (i, (w, n)) in wasm_steps.iter().zip(&native_steps).enumerate() {
        assert_eq!(w, n, "step {i}: wasm (left) and native (right) differ");
    }
    assert_eq!(tables(&wasm), tables(&native));
    let logs = |e: &[worldtube_host::LogRecord]| -> Vec<(String, String)> {
        e.iter().map(|l| (format!("{:?}", l.level), l.message.clone())).collect()
    };
    assert_eq!(logs(wasm.logs()), logs(native.logs()));

    // And the scenario did what it should.
    let status = |i: usize| wasm_steps[i]["status"].clone();
    assert_eq!(status(2), json!({ "failed": "Names must not be empty" }));
    assert_eq!(status(3), json!("committed"));
    assert_eq!(status(5), json!({ "failed": "Cannot set name for unknown user" }));
    assert_eq!(status(7), json!({ "failed": "Messages must not be empty" }));
    assert_eq!(status(8), json!("committed"), "anyone may post, connected or not");
    assert!(wasm_steps[9].get("refused").is_some(), "lifecycle reducers are not called directly: {}", wasm_steps[9]);
    assert!(wasm_steps[10]["refused"].as_str().unwrap().contains("no reducer named `no_such_reducer`"));
    assert_eq!(status(11), json!("committed"));
    // Disconnecting an unknown user only logs a warning.
    assert_eq!(wasm_steps[13]["logs"][0][0], "Warn");
    let users = table(&wasm, "user");
    assert_eq!(users.len(), 2);
    assert!(users.contains(&json!({ "identity": TestDb::identity("alice").to_hex(), "name": "Alice", "online": true })));
    assert!(users.contains(&json!({ "identity": TestDb::identity("bob").to_hex(), "name": "Bob", "online": false })));
    let mut texts: Vec<String> = table(&wasm, "message").iter().map(|m| m["text"].as_str().unwrap().into()).collect();
    texts.sort();
    assert_eq!(texts, ["Hello, Bob!", "Hi Alice.", "from outside"]);
}

/// The avatar entity of `player_id` as JSON.
fn avatar_entity(engine: &Engine<WasmModule>, player_id: u64) -> Json {
    let avatar = table(engine, "avatar").into_iter().find(|a| a["player_id"] == player_id).expect("an avatar");
    table(engine, "entity").into_iter().find(|e| e["entity_id"] == avatar["entity_id"]).expect("its entity")
}

#[test]
fn arena_runs_as_wasm() {
    let mut arena = install(wasm_module("arena"));
    // init: settings, four zones, 40 food, the tick and a food burst in 10 s.
    assert_eq!(table(&arena, "config").len(), 1);
    assert_eq!(table(&arena, "zone").len(), 4);
    assert_eq!(table(&arena, "entity").len(), 40);
    assert_eq!(table(&arena, "tick_timer").len(), 1);
    assert_eq!(table(&arena, "event_timer").len(), 1);
    assert_eq!(arena.scheduler().len(), 2);

    let alice = client("alice", 1);
    let connected = arena.connect(alice);
    assert!(connected.is_ok(), "{:?}", connected.status);
    let player = table(&arena, "player").pop().expect("alice's player");
    let player_id = player["player_id"].as_u64().unwrap();
    assert_eq!(player["identity"], TestDb::identity("alice").to_hex());

    let steered = call(&mut arena, alice, "steer", json!([3.0, 4.0]));
    assert!(steered.is_ok(), "{:?}", steered.status);
    // JSON has no NaN: BSATN arguments directly.
    let nan = [f32::NAN.to_le_bytes(), 0f32.to_le_bytes()].concat();
    let refused = arena.call("steer", alice, nan).expect("the arguments decode");
    assert!(matches!(&refused.status, Status::Failed(m) if m == "direction must be finite"), "{:?}", refused.status);

    let step = 120.0 * 0.05;
    let mut before = avatar_entity(&arena, player_id);
    for _ in 0..5 {
        let outcomes = arena.advance(TimeDuration::from_micros(50_000));
        assert_eq!(outcomes.len(), 1, "one tick per 50 ms");
        assert_eq!(outcomes[0].reducer, "tick");
        assert!(outcomes[0].is_ok(), "{:?}", outcomes[0].status);
        assert_eq!(outcomes[0].caller.identity, TestDb::identity("database"), "ticks run as the database");
        let after = avatar_entity(&arena, player_id);
        let moved = |axis: &str, by: f64| {
            let (a, b) = (before[axis].as_f64().unwrap(), after[axis].as_f64().unwrap());
            let expected = (a + by).clamp(0.0, 1000.0);
            assert!((b - expected).abs() < 1e-3, "{axis}: {a} -> {b}, expected {expected}");
        };
        moved("x", 0.6 * step);
        moved("y", 0.8 * step);
        before = after;
    }

    // An announcement in 100 ms: it fires once and its row goes.
    let scheduled = call(&mut arena, alice, "schedule_announcement", json!(["welcome", 100]));
    assert!(scheduled.is_ok(), "{:?}", scheduled.status);
    assert_eq!(table(&arena, "event_timer").len(), 2);
    let outcomes = arena.advance(TimeDuration::from_micros(100_000));
    let fired: Vec<&Outcome> = outcomes.iter().filter(|o| o.reducer == "fire_event").collect();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].logs[0].message, "announcement: welcome");
    assert_eq!(table(&arena, "event_timer").len(), 1);

    // 10 s after init: the food burst fires, and its one-shot row is deleted.
    let outcomes = arena.advance(TimeDuration::from_micros(10_000_000));
    let fired: Vec<&Outcome> = outcomes.iter().filter(|o| o.reducer == "fire_event").collect();
    assert_eq!(fired.len(), 1);
    assert!(fired[0].is_ok());
    assert_eq!(fired[0].logs[0].message, "a burst of 10 food appeared");
    let food_added = fired[0].changes.tables.iter().map(|c| c.inserted.len()).sum::<usize>();
    assert_eq!(food_added, 10);
    assert!(table(&arena, "event_timer").is_empty(), "the one-shot row is deleted after it ran");
    assert_eq!(table(&arena, "tick_timer").len(), 1, "the interval row stays");
    assert!(outcomes.iter().filter(|o| o.reducer == "tick").count() >= 195, "ticks kept running");
    assert!(outcomes.iter().all(Outcome::is_ok));
    assert_eq!(arena.scheduler().len(), 1, "only the tick is left");

    let disconnected = arena.disconnect(alice);
    assert!(disconnected.is_ok());
    assert!(table(&arena, "avatar").is_empty());
    assert_eq!(table(&arena, "player")[0]["online"], false);
}
