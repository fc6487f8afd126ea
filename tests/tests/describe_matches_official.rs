//! Each example, built by Worldtube and by the official `spacetimedb` 1.3.2 crate from the same
//! source, must describe itself with the same bytes and import only `spacetime_10.0`, each import
//! with the signature the declaration table gives it.
//!
//! The builds are real `cargo build`s to `wasm32-unknown-unknown` (see
//! [`worldtube_compat::build`]); each runs once per test binary, the first time a test needs
//! it. Run with `--nocapture` to see how long they took.

mod import_check;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use worldtube_compat::build::{Builder, Built, Flavor, EXAMPLES};
use worldtube_compat::runner::{self, Describe};
use worldtube_lib::raw_def::{Lifecycle, RawModuleDef, RawModuleDefV9};

/// The builder for this workspace: `$CARGO`, and the target directory `cargo test` uses.
fn builder() -> Builder {
    // `CARGO_TARGET_TMPDIR` is `<target dir>/tmp`.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("the tmp dir is inside the target dir");
    Builder::new(target_dir)
}

/// The builds of every example as `flavor`, done once per flavor, one `cargo build` each.
fn builds(flavor: Flavor) -> &'static HashMap<&'static str, Result<Built, String>> {
    static OURS: OnceLock<HashMap<&'static str, Result<Built, String>>> = OnceLock::new();
    static OFFICIAL: OnceLock<HashMap<&'static str, Result<Built, String>>> = OnceLock::new();
    let cell = match flavor {
        Flavor::Ours => &OURS,
        Flavor::Official => &OFFICIAL,
    };
    cell.get_or_init(|| {
        let builder = builder();
        EXAMPLES
            .iter()
            .map(|&example| {
                let built = match flavor {
                    Flavor::Ours => builder.build_ours(example),
                    Flavor::Official => builder.build_official(example),
                };
                if let Ok(built) = &built {
                    eprintln!("{} build of {example} took {:.1?}", flavor.name(), built.elapsed);
                }
                (example, built)
            })
            .collect()
    })
}

/// The wasm of `example` built as `flavor`; panics with the build's error.
fn wasm(flavor: Flavor, example: &str) -> Vec<u8> {
    let built = match &builds(flavor)[example] {
        Ok(built) => built,
        Err(error) => panic!("the {} build of {example} failed:\n{error}", flavor.name()),
    };
    let path = &built.wasm_file;
    std::fs::read(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The describe step of `example` built as `flavor`; panics with the runner's error.
fn describe(flavor: Flavor, example: &str) -> Describe {
    runner::describe(&wasm(flavor, example))
        .unwrap_or_else(|error| panic!("describing the {} build of {example} failed: {error}", flavor.name()))
}

/// The description decoded with our decoder, which must see V9.
fn decode_ours(bytes: &[u8], what: &str) -> RawModuleDefV9 {
    match worldtube_lib::bsatn::from_slice::<RawModuleDef>(bytes) {
        Ok(RawModuleDef::V9(def)) => def,
        Ok(other) => panic!("{what}: not V9: {other:?}"),
        Err(error) => panic!("{what}: worldtube_lib cannot decode the description: {error}"),
    }
}

/// The description decoded with the official `spacetimedb-lib` 1.3.2, which must see V9 and
/// re-encode it to the same bytes (so nothing was left over or skipped).
fn decode_official(bytes: &[u8], what: &str) -> spacetimedb_lib::db::raw_def::v9::RawModuleDefV9 {
    let def = spacetimedb_lib::bsatn::from_slice::<spacetimedb_lib::RawModuleDef>(bytes)
        .unwrap_or_else(|error| panic!("{what}: spacetimedb-lib cannot decode the description: {error}"));
    let reencoded = spacetimedb_lib::bsatn::to_vec(&def).expect("a decoded definition re-encodes");
    assert!(reencoded == bytes, "{what}: spacetimedb-lib re-encodes the description differently");
    match def {
        spacetimedb_lib::RawModuleDef::V9(def) => def,
        other => panic!("{what}: not V9: {other:?}"),
    }
}

/// What an example must describe, each list sorted by name.
struct Expected {
    /// The table names.
    tables: Vec<&'static str>,
    /// The reducer names, with their lifecycles.
    reducers: Vec<(&'static str, Option<Lifecycle>)>,
    /// The names of the named types.
    types: Vec<&'static str>,
}

/// The tables, reducers (with lifecycles) and named types each example must describe.
fn expected(example: &str) -> Expected {
    match example {
        "quickstart-chat" => Expected {
            tables: vec!["message", "user"],
            reducers: vec![
                ("client_connected", Some(Lifecycle::OnConnect)),
                ("identity_disconnected", Some(Lifecycle::OnDisconnect)),
                ("send_message", None),
                ("set_name", None),
            ],
            types: vec!["Message", "User"],
        },
        "arena" => Expected {
            tables: vec!["avatar", "config", "entity", "event_timer", "player", "tick_timer", "zone"],
            reducers: vec![
                ("connect", Some(Lifecycle::OnConnect)),
                ("disconnect", Some(Lifecycle::OnDisconnect)),
                ("enter_game", None),
                ("fire_event", None),
                ("init", Some(Lifecycle::Init)),
                ("schedule_announcement", None),
                ("steer", None),
                ("tick", None),
            ],
            types: vec![
                "ArenaEvent",
                "Avatar",
                "Config",
                "Entity",
                "EntityKind",
                "EventTimer",
                "Player",
                "TickTimer",
                "Zone",
            ],
        },
        "kitchen-sink" => Expected {
            tables: vec![
                "body",
                "config",
                "counter",
                "event_log",
                "everything",
                "everything_private",
                "job",
                "person",
                "person_archive",
                "person_secret",
                "reminder",
                "slot",
                "ticket",
                "visitor",
            ],
            reducers: vec![
                ("eval", None),
                ("exercise_context", None),
                ("exercise_indexes", None),
                ("exercise_tables", None),
                ("fail_after_insert", None),
                ("init", Some(Lifecycle::Init)),
                ("log_everything", None),
                ("more_arg_types", None),
                ("on_connect", Some(Lifecycle::OnConnect)),
                ("on_disconnect", Some(Lifecycle::OnDisconnect)),
                ("on_update", None),
                ("panic_now", None),
                ("remind", None),
                ("renamed", None),
                ("returns_box_str", None),
                ("returns_custom", None),
                ("returns_reducer_result", None),
                ("returns_string", None),
                ("run_job", None),
                ("schedule_all", None),
                ("schedule_now", None),
                ("thirty_two_args", None),
                ("zero_args", None),
            ],
            types: vec![
                "Binding",
                "Body",
                "Color",
                "Config",
                "Counter",
                "EventLog",
                "Everything",
                "Expr",
                "Job",
                "JobKind",
                "Label",
                "Nothing",
                "Person",
                "Point",
                "Reminder",
                "Shape",
                "Slot",
                "Ticket",
                "Visitor",
            ],
        },
        other => panic!("no expectations for example {other}"),
    }
}

/// Asserts that `def` has exactly the expected tables, reducers and type names of `example`.
fn assert_expected_items(def: &RawModuleDefV9, example: &str, what: &str) {
    let Expected { tables, reducers, types } = expected(example);
    let mut got_tables: Vec<&str> = def.tables.iter().map(|table| &*table.name).collect();
    got_tables.sort_unstable();
    assert_eq!(got_tables, tables, "{what}: tables");
    let mut got_reducers: Vec<(&str, Option<Lifecycle>)> =
        def.reducers.iter().map(|reducer| (&*reducer.name, reducer.lifecycle)).collect();
    got_reducers.sort_unstable_by_key(|&(name, _)| name);
    assert_eq!(got_reducers, reducers, "{what}: reducers");
    let mut got_types: Vec<&str> = def.types.iter().map(|ty| &*ty.name.name).collect();
    got_types.sort_unstable();
    assert_eq!(got_types, types, "{what}: named types");
    let schedule = |table: &str| {
        let table = def.tables.iter().find(|t| &*t.name == table).expect("the table exists");
        table.schedule.as_ref().map(|schedule| (schedule.reducer_name.to_string(), schedule.scheduled_at_column))
    };
    if example == "arena" {
        assert_eq!(schedule("tick_timer"), Some(("tick".to_owned(), 1)), "{what}: tick_timer's schedule");
        assert_eq!(schedule("event_timer"), Some(("fire_event".to_owned(), 1)), "{what}: event_timer's schedule");
    }
    if example == "kitchen-sink" {
        assert_eq!(schedule("reminder"), Some(("remind".to_owned(), 1)), "{what}: reminder's schedule");
        // Scheduled by `execute_job`, renamed `run_job`, at the column `run_at`.
        assert_eq!(schedule("job"), Some(("run_job".to_owned(), 1)), "{what}: job's schedule");
        let rls: Vec<&str> = def.row_level_security.iter().map(|rls| &*rls.sql).collect();
        assert_eq!(rls, ["SELECT * FROM person WHERE owner = :sender"], "{what}: row-level security");
        let scoped = def.types.iter().find(|ty| &*ty.name.name == "Shape").expect("Shape is named");
        let scope: Vec<&str> = scoped.name.scope.iter().map(|s| &**s).collect();
        assert_eq!(scope, ["Game", "Scope"], "{what}: Shape's scope");
    }
}

/// Asserts that a module imports only from `spacetime_10.0`, and only imports of the table with
/// their declared wasm signatures.
fn assert_imports_only_spacetime_10_0(flavor: Flavor, example: &str) {
    let wasm = wasm(flavor, example);
    let problems = import_check::import_problems(&wasm);
    assert!(
        problems.is_empty(),
        "the {} build of {example} imports differently from the table: {problems:#?}",
        flavor.name()
    );
    let interface = runner::interface(&wasm).expect("the module loads");
    let foreign: Vec<_> =
        interface.imports.iter().filter(|import| import.module != worldtube_abi::IMPORT_MODULE).collect();
    assert!(foreign.is_empty(), "the {} build of {example} imports from elsewhere: {foreign:#?}", flavor.name());
    for import in &interface.imports {
        assert!(
            worldtube_abi::import(&import.name).is_some_and(|decl| decl.version == worldtube_abi::AbiVersion::BASE),
            "the {} build of {example} imports {}, which is not an import of ABI 10.0 (a 1.x-style module must \
             load on every 1.x server)",
            flavor.name(),
            import.name
        );
    }
    let exports = interface.function_exports();
    for required in ["__describe_module__", "__call_reducer__"] {
        assert!(exports.contains(&required), "the {} build of {example} does not export {required}", flavor.name());
    }
}

#[test]
fn official_builds_describe_the_expected_module() {
    for &example in EXAMPLES {
        let what = format!("official {example}");
        let described = describe(Flavor::Official, example);
        assert!(!described.preinits.is_empty(), "{what}: no __preinit__ exports ran");
        let def = decode_ours(&described.bytes, &what);
        assert_expected_items(&def, example, &what);
        assert_eq!(worldtube_lib::bsatn::to_vec(&RawModuleDef::V9(def)), described.bytes, "{what}: our re-encoding");
        decode_official(&described.bytes, &what);
    }
}

#[test]
fn official_builds_import_only_spacetime_10_0() {
    for &example in EXAMPLES {
        assert_imports_only_spacetime_10_0(Flavor::Official, example);
    }
}

#[test]
fn our_builds_import_only_spacetime_10_0() {
    for &example in EXAMPLES {
        assert_imports_only_spacetime_10_0(Flavor::Ours, example);
    }
}

#[test]
fn our_descriptions_decode_with_spacetimedb_lib() {
    for &example in EXAMPLES {
        let what = format!("our {example}");
        let described = describe(Flavor::Ours, example);
        decode_official(&described.bytes, &what);
        assert_expected_items(&decode_ours(&described.bytes, &what), example, &what);
    }
}

#[test]
fn quickstart_chat_describes_like_official() {
    assert_describes_like_official("quickstart-chat");
}

#[test]
fn arena_describes_like_official() {
    assert_describes_like_official("arena");
}

#[test]
fn kitchen_sink_describes_like_official() {
    assert_describes_like_official("kitchen-sink");
}

/// Asserts that our build of `example` describes itself with exactly the official bytes.
fn assert_describes_like_official(example: &str) {
    let official = describe(Flavor::Official, example);
    let ours = describe(Flavor::Ours, example);
    if ours.bytes != official.bytes {
        panic!(
            "{example}: our description differs from the official one\n{}",
            worldtube_compat::diff::explain(&ours.bytes, &official.bytes)
        );
    }
}

#[test]
fn the_difference_report_finds_the_first_differing_item() {
    let chat = describe(Flavor::Official, "quickstart-chat").bytes;
    let arena = describe(Flavor::Official, "arena").bytes;
    let report = worldtube_compat::diff::explain(&chat, &arena);
    assert!(report.contains("first differing byte at offset"), "{report}");
    assert!(report.contains("tables: DIFFERENT (ours 2 items, official 7 items)"), "{report}");
    assert!(report.contains("first difference, tables[0]"), "{report}");
    assert!(report.contains("misc_exports: equal (0 items)"), "{report}");
    assert_eq!(
        worldtube_compat::diff::explain(&chat, &chat),
        "identical (470 bytes)\n".replace("470", &chat.len().to_string())
    );
}
