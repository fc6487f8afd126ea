#!/usr/bin/env bash
# Time to first green test: a new module crate with one native test, `cargo test` from a clean
# target directory (dependencies already downloaded, so the network is not timed).
#
#   scripts/bench-first-test.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/my-module/src" "$work/my-module/tests"
cat > "$work/my-module/Cargo.toml" <<TOML
[package]
name = "my-module"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
spacetimedb = { package = "worldtube", path = "$repo/bindings" }

[dev-dependencies]
worldtube-testing = { path = "$repo/testing" }

[workspace]
TOML
cat > "$work/my-module/src/lib.rs" <<'RS'
use spacetimedb::{reducer, table, Identity, ReducerContext, Table};

#[table(name = score, public)]
pub struct Score {
    #[primary_key]
    player: Identity,
    points: u32,
}

#[reducer]
pub fn add_points(ctx: &ReducerContext, points: u32) -> Result<(), String> {
    if points > 100 {
        return Err("too many points at once".into());
    }
    let current = ctx.db.score().player().find(ctx.sender).map_or(0, |s| s.points);
    ctx.db.score().player().delete(ctx.sender);
    ctx.db.score().insert(Score { player: ctx.sender, points: current + points });
    Ok(())
}
RS
cat > "$work/my-module/tests/score.rs" <<'RS'
use my_module::add_points;
use worldtube_testing::TestDb;

#[test]
fn points_add_up() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<add_points>(&alice, (30,)).assert_ok();
    db.call::<add_points>(&alice, (500,)).assert_err("too many points");
    db.call::<add_points>(&alice, (12,)).assert_ok();
    assert_eq!(db.table_json("score")[0]["points"], 42);
}
RS
# The same lock file as the workspace, so versions match what the repository tests.
cp "$repo/Cargo.lock" "$work/my-module/Cargo.lock"
cd "$work/my-module"
cargo fetch -q
export CARGO_TARGET_DIR="$work/target"
start=$(date +%s.%N)
cargo test -q 2>&1 | tail -3
end=$(date +%s.%N)
crates=$(cargo tree -e normal,dev --prefix none 2>/dev/null | sed 's/ (\*)//' | sort -u | wc -l)
printf 'time to first green test: %.1f s (clean target dir, %s crates in the dependency tree)\n' "$(echo "$end - $start" | bc)" "$crates"
