//! The reference host's speed on the paths module tests exercise most, with a module defined
//! right here (linked natively, as in a module's own tests):
//!
//! * `call/noop` — a reducer that does nothing, called through the full native ABI path
//!   (arguments encoded, transaction begun, host installed, dispatch by id, commit);
//! * `insert/3-col` — rows of three columns inserted inside one reducer call, per row;
//! * `find/unique` — lookups through a unique column, per lookup;
//! * `filter/btree-range` — btree range scans returning 10 rows, per scan.
//!
//! Run with `cargo bench -p worldtube-host --bench host`; `scripts/bench-host.sh` prints the
//! table for BENCHMARKS.md.
// The module defined here is written as module authors write it (tables without Debug).
#![allow(missing_debug_implementations)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use worldtube::{reducer, table, ReducerContext, Table};
use worldtube_testing::TestDb;

#[table(name = item, index(name = by_score, btree(columns = [score])))]
pub struct Item {
    #[primary_key]
    #[auto_inc]
    id: u64,
    score: u32,
    label: String,
}

#[reducer]
pub fn noop(_ctx: &ReducerContext) {}

#[reducer]
pub fn insert_items(ctx: &ReducerContext, n: u32) {
    for i in 0..n {
        ctx.db.item().insert(Item { id: 0, score: i % 1000, label: "a label".into() });
    }
}

#[reducer]
pub fn find_items(ctx: &ReducerContext, n: u32) {
    for i in 0..n {
        let id = u64::from(i % 10_000) + 1;
        assert!(ctx.db.item().id().find(id).is_some());
    }
}

#[reducer]
pub fn filter_items(ctx: &ReducerContext, n: u32) {
    for i in 0..n {
        // 10,000 rows over 1,000 scores: each one-score range holds 10 rows.
        let start = i % 1000;
        let rows = ctx.db.item().by_score().filter(start..start + 1).count();
        assert_eq!(rows, 10);
    }
}

fn populated() -> TestDb {
    let mut db = TestDb::new();
    db.call::<insert_items>(TestDb::identity("bench"), (10_000,)).assert_ok();
    db
}

fn benches(c: &mut Criterion) {
    let caller = TestDb::identity("bench");

    let mut db = TestDb::new();
    c.bench_function("call/noop", |b| b.iter(|| db.call::<noop>(caller, ()).assert_ok().is_ok()));

    let mut g = c.benchmark_group("insert");
    const ROWS: u32 = 10_000;
    g.throughput(Throughput::Elements(u64::from(ROWS)));
    g.bench_function("3-col", |b| {
        b.iter_batched(
            TestDb::new,
            // The database is returned so that dropping it is not timed.
            |mut db| {
                db.call::<insert_items>(caller, (ROWS,)).assert_ok();
                db
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let mut db = populated();
    let mut g = c.benchmark_group("find");
    const LOOKUPS: u32 = 10_000;
    g.throughput(Throughput::Elements(u64::from(LOOKUPS)));
    g.bench_function("unique", |b| b.iter(|| db.call::<find_items>(caller, (LOOKUPS,)).assert_ok().is_ok()));
    g.finish();

    let mut g = c.benchmark_group("filter");
    const SCANS: u32 = 1_000;
    g.throughput(Throughput::Elements(u64::from(SCANS)));
    g.bench_function("btree-range", |b| b.iter(|| db.call::<filter_items>(caller, (SCANS,)).assert_ok().is_ok()));
    g.finish();
}

criterion_group! {
    name = host;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(host);
