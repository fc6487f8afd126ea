//! 2.x modules (`RawModuleDef::V10`) on the reference host: the schema resolved from a V10
//! definition (canonical and source names, reducer ids, lifecycle, schedules, defaults, event
//! tables, visibility), hash indexes at the ABI, event tables in the datastore, and the engine's
//! 2.x answers — with a module written in Rust against the `Host` trait.

use std::ops::Bound;
use std::sync::Arc;

use worldtube_abi::{Errno, Host, HostError, IndexPrefix, RowIterAdvance};
use worldtube_host::datastore::Datastore;
use worldtube_host::engine::{
    decode_module_def, CallError, Caller, Engine, EngineOptions, InstallError, Status, TRAP_MESSAGE, TRAP_MESSAGE_V10,
};
use worldtube_host::runtime::{CallResult, ModuleInstance, ReducerCall, RuntimeError};
use worldtube_host::schema::{Generation, IndexKind, ModuleDef, ReducerId, ScheduleTarget, Schema, TableId};
use worldtube_host::AbiHost;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductType};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::v10::ExplicitNames;
use worldtube_lib::raw_def::{
    Lifecycle, RawIndexAlgorithm, RawModuleDef, RawModuleDefV10, RawModuleDefV10Builder, TableAccess,
    ValidationErrorKind,
};
use worldtube_lib::{Identity, Timestamp};

/// Tables, in order:
/// 0 `PlayerScore` (canonical `player_score`): `{ id: u64 auto_inc pk, player: String (hash,
///   unique), points: u32 (btree), level: u8 default 1 }`;
/// 1 `Ping` (event table): `{ who: String, n: u32 }`;
/// 2 `tick` (canonical `tick_queue`, an explicit name): `{ scheduled_id: u64 auto_inc pk,
///   scheduled_at: ScheduleAt }`, scheduling `onTick`.
///
/// Reducers, in order: `addScore(player, points)`, `initDb` (init), `onTick(arg)` (scheduled),
/// `secret()` (private), `ping(who)`, `hello` (client_connected).
fn module_def() -> RawModuleDefV10 {
    use AlgebraicType as T;
    let mut b = RawModuleDefV10Builder::new();
    let score = ProductType::new([
        (Some("id"), T::U64),
        (Some("player"), T::String),
        (Some("points"), T::U32),
        (Some("level"), T::U8),
    ]);
    b.build_table_with_new_type("PlayerScore", score, true)
        .with_access(TableAccess::Public)
        .with_auto_inc_primary_key(0)
        .with_index(RawIndexAlgorithm::btree(0), "PlayerScore_id_idx_btree", "id")
        .with_unique_constraint(1)
        .with_index(RawIndexAlgorithm::Hash { columns: 1.into() }, "by_player", "player")
        .with_index(RawIndexAlgorithm::btree(2), "by_points", "points")
        .with_default_column_value(3, &AlgebraicValue::U8(1))
        .finish();
    let ping = ProductType::new([(Some("who"), T::String), (Some("n"), T::U32)]);
    b.build_table_with_new_type("Ping", ping, true).with_event(true).finish();
    let tick = ProductType::new([(Some("scheduled_id"), T::U64), (Some("scheduled_at"), T::schedule_at())]);
    let tick_ref = b
        .build_table_with_new_type("tick", tick, true)
        .with_auto_inc_primary_key(0)
        .with_index(RawIndexAlgorithm::btree(0), "tick_scheduled_id_idx_btree", "scheduled_id")
        .finish();
    let mut names = ExplicitNames::default();
    names.insert_table("tick", "tick_queue");
    b.add_explicit_names(names);
    b.add_schedule("tick", 1, "onTick");
    b.add_reducer("addScore", ProductType::new([(Some("player"), T::String), (Some("points"), T::U32)]));
    b.add_lifecycle_reducer(Lifecycle::Init, "initDb", ProductType::default());
    b.add_reducer("onTick", ProductType::new([(Some("arg"), T::Ref(tick_ref))]));
    b.add_reducer("secret", ProductType::default());
    b.add_reducer("ping", ProductType::new([(Some("who"), T::String)]));
    b.add_lifecycle_reducer(Lifecycle::OnConnect, "hello", ProductType::default());
    let mut def = b.finish();
    // `secret` is private.
    for section in &mut def.sections {
        if let worldtube_lib::raw_def::RawModuleDefV10Section::Reducers(reducers) = section {
            reducers[3].visibility = worldtube_lib::raw_def::v10::FunctionVisibility::Private;
        }
    }
    def
}

fn schema() -> Arc<Schema> {
    Arc::new(Schema::from_v10(&module_def()).unwrap_or_else(|e| panic!("the test module is valid: {e}")))
}

const SCORE: TableId = TableId(0);
const PING: TableId = TableId(1);

fn host(ds: Datastore) -> AbiHost {
    let mut h = AbiHost::new(Identity::from_byte_array([7; 32]));
    h.begin_call(Some(ds.begin(Timestamp::from_micros_since_unix_epoch(1_700_000_000_000_000))), Vec::new());
    h
}

fn errno_of<T: std::fmt::Debug>(r: Result<T, HostError>) -> u16 {
    match r {
        Err(HostError::Errno(e)) => e.code(),
        other => panic!("expected an errno, got {other:?}"),
    }
}

fn score(player: &str, points: u32) -> Vec<u8> {
    bsatn::to_vec(&(0u64, player.to_string(), points, 1u8))
}

#[test]
fn a_v10_definition_decodes_and_resolves_under_canonical_names() {
    let bytes = bsatn::to_vec(&RawModuleDef::V10(module_def()));
    let def = decode_module_def(&bytes).expect("decodes");
    assert_eq!(def.generation(), Generation::V10);
    assert!(matches!(def, ModuleDef::V10(_)));
    let schema = Schema::from_module_def(&def).expect("valid");
    assert_eq!(schema.generation(), Generation::V10);

    let names: Vec<(&str, Option<&str>)> =
        schema.tables().iter().map(|t| (t.name.as_str(), t.accessor_name.as_deref())).collect();
    assert_eq!(
        names,
        [("player_score", Some("PlayerScore")), ("ping", Some("Ping")), ("tick_queue", Some("tick"))],
        "canonical names by the snake-case policy or the explicit name, with the source names"
    );
    // table_id_from_name: the canonical name, then the accessor (the 2.8 server's alias).
    assert_eq!(schema.table_id("player_score"), Some(SCORE));
    assert_eq!(schema.table_id("PlayerScore"), Some(SCORE));
    assert_eq!(schema.table_id("tick"), Some(TableId(2)));
    assert_eq!(schema.table_id("Tick_queue"), None);

    let index_names: Vec<&str> = schema.indexes().iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        index_names,
        [
            "player_score_id_idx_btree",
            "player_score_player_idx_hash",
            "player_score_points_idx_btree",
            "tick_queue_scheduled_id_idx_btree"
        ]
    );
    assert_eq!(schema.index_id("player_score_player_idx_hash").map(|i| i.0), Some(1));
    assert_eq!(schema.index_id("by_player").map(|i| i.0), Some(1), "the index's source name is its alias");
    assert_eq!(schema.index_id("player"), None, "the accessor name is not");
    assert_eq!(schema.index(schema.index_id("by_player").unwrap()).unwrap().kind, IndexKind::Hash);
    assert!(schema.indexes()[1].is_unique);

    // Reducer ids: positions in the Reducers section; lifecycle from its own section.
    let reducers: Vec<(&str, Option<Lifecycle>, bool)> =
        schema.reducers().iter().map(|r| (r.name.as_str(), r.lifecycle, r.client_callable)).collect();
    assert_eq!(
        reducers,
        [
            ("add_score", None, true),
            ("init_db", Some(Lifecycle::Init), false),
            ("on_tick", None, false),
            ("secret", None, false),
            ("ping", None, true),
            ("hello", Some(Lifecycle::OnConnect), false),
        ]
    );
    assert_eq!(schema.lifecycle_reducer(Lifecycle::Init).map(|r| r.0), Some(1));
    assert_eq!(schema.lifecycle_reducer(Lifecycle::OnConnect).map(|r| r.0), Some(5));
    assert_eq!(schema.lifecycle_reducer(Lifecycle::OnDisconnect), None);

    let (table, sched) = schema.schedule_tables().next().expect("a schedule table");
    assert_eq!(
        (table.name.as_str(), sched.name.as_str(), sched.reducer_name.as_str()),
        ("tick_queue", "tick_queue_sched", "on_tick")
    );
    assert_eq!(sched.target, ScheduleTarget::Reducer(ReducerId(2)));

    let score = schema.table(SCORE).unwrap();
    assert_eq!(score.default_values, [(3, AlgebraicValue::U8(1))]);
    assert_eq!(score.unique_constraints[1].name, "player_score_player_key");
    assert_eq!(score.sequences[0].name, "player_score_id_seq");
    assert!(!score.is_event);
    assert!(schema.table(PING).unwrap().is_event);

    // The V9 form carries the same names.
    assert_eq!(&*schema.def().tables[2].name, "tick_queue");
    assert_eq!(schema.def().reducers[1].lifecycle, Some(Lifecycle::Init));
}

#[test]
fn an_invalid_v10_definition_gets_the_validators_errors() {
    let mut bad = RawModuleDefV10Builder::new();
    bad.add_reducer("say_hello", ProductType::default());
    bad.add_reducer("sayHello", ProductType::default());
    bad.add_schedule("nowhere", 0, "say_hello");
    let error = Schema::from_v10(&bad.finish()).expect_err("invalid");
    let kinds: Vec<ValidationErrorKind> = error.errors.iter().map(|e| e.kind()).collect();
    assert!(kinds.contains(&ValidationErrorKind::DuplicateReducer), "{error}");
    assert!(kinds.contains(&ValidationErrorKind::ScheduleTableMissing), "{error}");
    assert!(error.unsupported.is_empty());
}

#[test]
fn a_schedule_may_call_a_procedure() {
    use AlgebraicType as T;
    let mut b = RawModuleDefV10Builder::new();
    let tick = ProductType::new([(Some("scheduled_id"), T::U64), (Some("scheduled_at"), T::schedule_at())]);
    let tick_ref = b
        .build_table_with_new_type("tick", tick, true)
        .with_auto_inc_primary_key(0)
        .with_index(RawIndexAlgorithm::btree(0), "tick_scheduled_id_idx_btree", "scheduled_id")
        .finish();
    b.add_procedure("fetch", ProductType::new([(Some("arg"), T::Ref(tick_ref))]), T::unit());
    b.add_schedule("tick", 1, "fetch");
    let schema = Schema::from_v10(&b.finish()).expect("installs");
    let fetch = schema.procedure_id("fetch").expect("the procedure");
    let tick = schema.table(schema.table_id("tick").expect("the table is there")).expect("id from the schema");
    assert_eq!(tick.schedule.as_ref().map(|s| s.target), Some(ScheduleTarget::Procedure(fetch)));
    let procedure = schema.procedure(fetch).expect("id from the schema");
    assert_eq!((procedure.name.as_str(), procedure.return_type.clone()), ("fetch", T::unit()));
    assert!(!procedure.client_callable, "a schedule's target is not for clients");
}

/// A host running a procedure over the test module's empty database.
fn procedure_host() -> AbiHost {
    let mut h = AbiHost::new(Identity::from_byte_array([7; 32]));
    let start = Timestamp::from_micros_since_unix_epoch(1_000);
    h.begin_procedure(Datastore::new(schema()), Vec::new(), start, Arc::default());
    h
}

#[test]
fn a_procedure_opens_commits_and_aborts_its_own_transactions() {
    let mut h = procedure_host();
    // A PlayerScore row: id (auto-inc), player, points, level.
    let score = |n: u32| {
        let player = AlgebraicValue::String(format!("p{n}").into());
        bsatn::to_vec(&AlgebraicValue::product([
            AlgebraicValue::U64(0),
            player,
            AlgebraicValue::U32(n),
            AlgebraicValue::U8(1),
        ]))
    };
    // No transaction yet: the datastore imports answer NOT_IN_TRANSACTION; ending one is refused.
    assert_eq!(errno_of(h.datastore_table_row_count(SCORE.0)), Errno::NOT_IN_TRANSACTION.code());
    assert_eq!(errno_of(h.procedure_commit_mut_tx()), Errno::TRANSACTION_NOT_ANONYMOUS.code());
    assert_eq!(errno_of(h.procedure_abort_mut_tx()), Errno::TRANSACTION_NOT_ANONYMOUS.code());

    assert_eq!(h.procedure_start_mut_tx().unwrap(), 1_000);
    assert_eq!(errno_of(h.procedure_start_mut_tx()), Errno::WOULD_BLOCK_TRANSACTION.code());
    // Blocking calls are refused while it is open.
    assert!(h.procedure_sleep_until(5_000).is_err(), "sleeping with a transaction open traps");
    assert_eq!(errno_of(h.procedure_http_request(&[], &[])), Errno::WOULD_BLOCK_TRANSACTION.code());
    h.datastore_insert_bsatn(SCORE.0, &score(1)).unwrap();
    h.procedure_commit_mut_tx().unwrap();

    // Sleeping moves the procedure's time; the next transaction starts then.
    assert_eq!(h.procedure_sleep_until(5_000).unwrap(), 5_000);
    assert_eq!(h.procedure_sleep_until(10).unwrap(), 5_000, "a time past wakes at once");
    assert_eq!(h.procedure_start_mut_tx().unwrap(), 5_000);
    h.datastore_insert_bsatn(SCORE.0, &score(2)).unwrap();
    h.procedure_abort_mut_tx().unwrap();

    // A transaction left open (a panic, or a forgotten commit) is rolled back at the end.
    h.procedure_start_mut_tx().unwrap();
    h.datastore_insert_bsatn(SCORE.0, &score(3)).unwrap();
    let end = h.end_procedure();
    assert!(end.rolled_back_open_tx);
    assert_eq!(end.now, Timestamp::from_micros_since_unix_epoch(5_000));
    assert_eq!(end.commits.len(), 1, "only the first transaction committed");
    assert_eq!(end.datastore.row_count(SCORE), Some(1));
}

#[test]
fn a_hash_index_answers_point_scans_and_refuses_range_scans() {
    let mut h = host(Datastore::new(schema()));
    h.datastore_insert_bsatn(SCORE.0, &score("ann", 5)).expect("inserted");
    h.datastore_insert_bsatn(SCORE.0, &score("bob", 7)).expect("inserted");
    let by_player = h.index_id_from_name("by_player").expect("by its source name");
    assert_eq!(h.index_id_from_name("player_score_player_idx_hash").expect("by its canonical name"), by_player);

    let point = bsatn::to_vec(&"bob".to_string());
    let iter = h.datastore_index_scan_point_bsatn(by_player, &point).expect("a point scan");
    let mut buffer = vec![0u8; 1024];
    let advance = h.row_iter_bsatn_advance(iter, &mut buffer).expect("rows");
    assert_eq!(advance, RowIterAdvance::Exhausted { written: score("bob", 7).len() }, "bob's row only");
    let bob = [&2u64.to_le_bytes()[..], &score("bob", 7)[8..]].concat();
    assert_eq!(&buffer[..bob.len()], &bob[..], "bob's row, with its generated id");

    let wrong = Errno::WRONG_INDEX_ALGO.code();
    assert_eq!(wrong, 10);
    let included = bsatn::to_vec(&Bound::Included("bob".to_string()));
    let range =
        h.datastore_index_scan_range_bsatn(by_player, IndexPrefix { bytes: &[], elems: 0 }, &included, &included);
    assert_eq!(errno_of(range), wrong, "a range scan on a hash index");
    // Refused before the arguments are decoded, as the server does.
    let garbage = h.datastore_index_scan_range_bsatn(by_player, IndexPrefix { bytes: &[], elems: 0 }, &[9], &[9]);
    assert_eq!(errno_of(garbage), wrong);
    let delete = h.datastore_delete_by_index_scan_range_bsatn(
        by_player,
        IndexPrefix { bytes: &[], elems: 0 },
        &included,
        &included,
    );
    assert_eq!(errno_of(delete), wrong);
    assert_eq!(h.tx().unwrap().row_count(SCORE), Some(2), "nothing deleted");

    // A btree index still answers both.
    let by_points = h.index_id_from_name("by_points").expect("found");
    let unbounded = bsatn::to_vec(&Bound::<u32>::Unbounded);
    h.datastore_index_scan_range_bsatn(by_points, IndexPrefix { bytes: &[], elems: 0 }, &unbounded, &unbounded)
        .expect("a range");
    // And the point delete works on the hash index.
    assert_eq!(h.datastore_delete_by_index_scan_point_bsatn(by_player, &point).expect("deleted"), 1);
    // The unique constraint on the hash-indexed column holds.
    let dup = h.datastore_insert_bsatn(SCORE.0, &score("ann", 9));
    assert_eq!(errno_of(dup), Errno::UNIQUE_ALREADY_EXISTS.code());
}

#[test]
fn event_table_rows_are_in_the_changes_and_never_committed() {
    let ds = Datastore::new(schema());
    let before = ds.dump();
    let mut h = host(ds);
    let ping = bsatn::to_vec(&("ann".to_string(), 1u32));
    h.datastore_insert_bsatn(PING.0, &ping).expect("inserted");
    h.datastore_insert_bsatn(PING.0, &bsatn::to_vec(&("bob".to_string(), 2u32))).expect("inserted");
    h.datastore_insert_bsatn(SCORE.0, &score("ann", 5)).expect("inserted");
    assert_eq!(h.tx().unwrap().row_count(PING), Some(2), "visible inside the transaction");
    let (ds, changes) = h.take_tx().unwrap().commit();
    let pings = changes.table(PING).expect("the event rows are in the changes");
    assert_eq!(pings.inserted.len(), 2);
    assert_eq!(pings.inserted[0].bytes(), &ping[..]);
    assert!(pings.deleted.is_empty());
    assert_eq!(ds.row_count(PING), Some(0), "and not in the committed state");
    assert_eq!(ds.row_count(SCORE), Some(1), "ordinary tables commit as before");

    // The next transaction starts without them, and deleting them finds nothing.
    let mut h = host(ds);
    assert_eq!(h.datastore_table_row_count(PING.0).unwrap(), 0);
    assert_eq!(
        h.datastore_delete_all_by_eq_bsatn(PING.0, &{
            let mut rel = 1u32.to_le_bytes().to_vec();
            rel.extend_from_slice(&ping);
            rel
        })
        .unwrap(),
        0
    );
    let (ds, changes) = h.take_tx().unwrap().commit();
    assert!(changes.is_empty());
    assert_ne!(ds.dump(), before);
}

/// A module whose reducers do what the test asks: `ping` inserts an event row, `secret` and
/// `add_score` succeed, and any call with argument bytes `[0xFF]` panics.
struct Fake;

impl ModuleInstance for Fake {
    fn describe<H: Host + 'static>(&mut self, host: H) -> (H, Result<Vec<u8>, RuntimeError>) {
        (host, Ok(bsatn::to_vec(&RawModuleDef::V10(module_def()))))
    }

    fn call_reducer<H: Host + 'static>(&mut self, mut host: H, call: ReducerCall) -> (H, CallResult) {
        let mut args = vec![0u8; 256];
        let n = match host.bytes_source_read(call.args_source, &mut args) {
            Ok(read) => read.written,
            Err(_) => 0,
        };
        args.truncate(n);
        // `ping` is reducer 4.
        if call.id == 4 {
            let who: String = bsatn::from_slice(&args).unwrap_or_default();
            if who == "boom" {
                return (host, CallResult::Trap("boom".into()));
            }
            host.datastore_insert_bsatn(PING.0, &bsatn::to_vec(&(who, 1u32))).expect("inserted");
        }
        (host, CallResult::Ok)
    }
}

fn options() -> EngineOptions {
    EngineOptions::named("owner")
}

#[test]
fn the_engine_runs_a_v10_module_with_2x_answers() {
    let mut engine = Engine::install(Fake, options()).expect("installed");
    assert_eq!(engine.schema().generation(), Generation::V10);
    let logs: Vec<&str> = engine.logs().iter().map(|l| l.message.as_str()).collect();
    assert_eq!(
        logs,
        [
            "Creating table `ping`",
            "Creating table `player_score`",
            "Creating table `tick_queue`",
            "Invoking `init` reducer",
            "Database initialized"
        ],
        "canonical names in the server's records"
    );
    let alice = Caller::identity(Identity::from_byte_array([1; 32]));
    let outcome = engine.call_json("ping", alice, r#"["ann"]"#).expect("called");
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(outcome.changes.table(PING).expect("event rows").inserted.len(), 1);
    assert_eq!(engine.datastore().row_count(PING), Some(0));

    // A trap: the 2.8 server's text, the state unchanged.
    let before = engine.datastore().dump();
    let outcome = engine.call_json("ping", alice, r#"["boom"]"#).expect("called");
    assert!(matches!(outcome.status, Status::Trapped(_)));
    assert_eq!(outcome.server_error(), Some(TRAP_MESSAGE_V10));
    assert_ne!(outcome.server_error(), Some(TRAP_MESSAGE));
    assert_eq!(engine.datastore().dump(), before);

    // Private and scheduled reducers: no such reducer for others, callable by the owner.
    for name in ["secret", "on_tick"] {
        let args = if name == "secret" {
            "[]"
        } else {
            r#"[{"scheduled_id": 1, "scheduled_at": {"Interval": {"__time_duration_micros__": 5}}}]"#
        };
        match engine.call_json(name, alice, args) {
            Err(CallError::NoSuchReducer(n)) => assert_eq!(n, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    let owner = Caller::identity(options().owner);
    assert!(engine.call_json("secret", owner, "[]").expect("the owner may").is_ok());
    // Lifecycle reducers stay refused, by their canonical names.
    assert!(matches!(engine.call_json("init_db", owner, "[]"), Err(CallError::LifecycleReducer { .. })));
    assert!(matches!(engine.call_json("initDb", owner, "[]"), Err(CallError::NoSuchReducer(_))));
}

#[test]
fn a_v10_module_whose_init_fails_is_not_installed() {
    struct FailingInit;
    impl ModuleInstance for FailingInit {
        fn describe<H: Host + 'static>(&mut self, host: H) -> (H, Result<Vec<u8>, RuntimeError>) {
            (host, Ok(bsatn::to_vec(&RawModuleDef::V10(module_def()))))
        }
        fn call_reducer<H: Host + 'static>(&mut self, host: H, _call: ReducerCall) -> (H, CallResult) {
            (host, CallResult::Trap("no".into()))
        }
    }
    match Engine::install(FailingInit, options()) {
        Err(InstallError::InitFailed(outcome)) => assert_eq!(outcome.server_error(), Some(TRAP_MESSAGE_V10)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn mangled_v10_definitions_never_panic_the_host() {
    // Every single-byte change and every truncation of a valid description: each either fails
    // to decode, fails validation, or resolves; none panics.
    let bytes = bsatn::to_vec(&RawModuleDef::V10(module_def()));
    let mut resolved = 0;
    let mut refused = 0;
    let mut attempt = |bytes: &[u8]| {
        if let Ok(def) = decode_module_def(bytes) {
            match Schema::from_module_def(&def) {
                Ok(_) => resolved += 1,
                Err(e) => {
                    assert!(!e.errors.is_empty() || !e.unsupported.is_empty());
                    refused += 1;
                }
            }
        }
    };
    for i in 0..bytes.len() {
        for delta in [1u8, 0x80, 0xFF] {
            let mut mangled = bytes.clone();
            mangled[i] = mangled[i].wrapping_add(delta);
            attempt(&mangled);
        }
        attempt(&bytes[..i]);
    }
    assert!(resolved > 0 && refused > 0, "resolved {resolved}, refused {refused}");
}

#[test]
fn submodules_are_refused_clearly() {
    let mut def = module_def();
    def.sections.push(worldtube_lib::raw_def::RawModuleDefV10Section::Submodules(vec![
        worldtube_lib::raw_def::v10::RawSubmoduleV10 { namespace: "auth".into(), module: RawModuleDefV10::default() },
    ]));
    let error = Schema::from_v10(&def).expect_err("not run yet");
    assert!(error.errors.is_empty(), "{error}");
    assert!(error.to_string().contains("submodule `auth`"), "{error}");
}
