//! What 2.x calls cost in the reference host, natively and through the wasm interpreter: an empty
//! reducer, a procedure with one transaction, and a view evaluated again after each commit that
//! changed it (BENCHMARKS.md, "2.x calls").
//!
//! `cargo bench -p chat-v2 --bench calls` (builds chat-v2 to wasm first, as the tests do).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;
use worldtube_compat::build::Builder;
use worldtube_host::cli::run::{connection_id, engine_options};
use worldtube_host::engine::{Caller, Engine};
use worldtube_host::runtime::{ModuleInstance, WasmModule};
use worldtube_testing::{NativeModule, TestDb};

use chat_v2 as _;

fn wasm() -> Vec<u8> {
    let target_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR").map_or(target_dir, Into::into);
    let built = Builder::new(&target_dir).build_ours("chat-v2").unwrap_or_else(|e| panic!("builds: {e}"));
    std::fs::read(&built.wasm_file).expect("the wasm file")
}

/// `set_name`'s arguments: a name that differs with `n` (so that every call changes the row).
fn name_args(n: u64) -> Vec<u8> {
    let text = format!("n{n}");
    let mut args = (text.len() as u32).to_le_bytes().to_vec();
    args.extend(text.as_bytes());
    args
}

fn alice() -> Caller {
    Caller { identity: TestDb::identity("alice"), connection_id: Some(connection_id("alice", 1)) }
}

/// The three measurements on one engine, named `{backend}/…`.
fn bench_engine<M: ModuleInstance>(c: &mut Criterion, backend: &str, module: impl Fn() -> M) {
    let mut engine = Engine::install(module(), engine_options()).expect("installs");
    let alice = alice();
    assert!(engine.connect(alice).is_ok());
    c.bench_function(&format!("{backend}/reducer-empty"), |b| {
        b.iter(|| assert!(engine.call("ping", alice, Vec::new()).expect("a reducer").is_ok()))
    });
    let room = 1u32.to_le_bytes().to_vec();
    c.bench_function(&format!("{backend}/procedure-one-tx"), |b| {
        b.iter(|| assert!(engine.call_procedure("room_stats", alice, room.clone()).expect("a procedure").is_ok()))
    });
    // A post commits a message; the lobby's messages view read its table, so each post makes it
    // evaluate again: the subscribed run minus the plain one is the re-evaluation.
    let post = |text: &str| {
        let mut args = 1u32.to_le_bytes().to_vec();
        args.extend((text.len() as u32).to_le_bytes());
        args.extend(text.as_bytes());
        args.push(0); // Style::Plain
        args
    };
    let message = post("hello");
    c.bench_function(&format!("{backend}/post"), |b| {
        b.iter(|| assert!(engine.call("post", alice, message.clone()).expect("a reducer").is_ok()))
    });
    // Keep the view small and constant: a fresh database with 10 lobby messages.
    let mut engine = Engine::install(module(), engine_options()).expect("installs");
    assert!(engine.connect(alice).is_ok());
    for _ in 0..10 {
        assert!(engine.call("post", alice, message.clone()).expect("a reducer").is_ok());
    }
    // Every call sets a name not set before, so that it changes the row (and the views).
    let mut names = 0u64;
    engine.subscribe_view("online_users", Some(alice.identity)).expect("a view");
    engine.subscribe_view("my_user", Some(alice.identity)).expect("a view");
    c.bench_function(&format!("{backend}/set-name-with-2-subscribed-views"), |b| {
        b.iter(|| {
            names += 1;
            let outcome = engine.call("set_name", alice, name_args(names)).expect("a reducer");
            assert_eq!(outcome.view_changes.len(), 2, "both views changed");
        })
    });
    engine.unsubscribe_view("online_users", Some(alice.identity));
    engine.unsubscribe_view("my_user", Some(alice.identity));
    c.bench_function(&format!("{backend}/set-name-unsubscribed"), |b| {
        b.iter(|| {
            names += 1;
            assert!(engine.call("set_name", alice, name_args(names)).expect("a reducer").is_ok());
        })
    });
}

fn benches(c: &mut Criterion) {
    bench_engine(c, "native", NativeModule::new);
    let wasm = wasm();
    bench_engine(c, "wasm", || WasmModule::new(&wasm).expect("fits the interface"));
}

criterion_group! {
    name = calls;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(calls);
