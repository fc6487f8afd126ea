#!/usr/bin/env bash
# BSATN encode/decode throughput, Worldtube vs spacetimedb-sats 1.3.2 (issue #2).
#
# Runs the criterion bench `lib/benches/bsatn.rs`, then prints a markdown table from criterion's
# estimates (target/criterion/<workload>_<direction>/<impl>/new/estimates.json, mean point
# estimate): time per batch for each side and the ratio Worldtube throughput / sats throughput
# (= sats time / Worldtube time). The goal is a ratio >= 1.5 everywhere.
#
# Usage: scripts/bench-bsatn.sh            # run the bench, then print the table
#        scripts/bench-bsatn.sh --report   # only print the table from the last run
# Extra arguments after `--` go to criterion (e.g. `-- position_rows` to filter).
set -euo pipefail
cd "$(dirname "$0")/.."

run=1
if [[ "${1:-}" == "--report" ]]; then
    run=0
    shift
fi
[[ "${1:-}" == "--" ]] && shift

target_dir=$(bash scripts/target-dir.sh)

if [[ $run == 1 ]]; then
    cargo bench -p worldtube-lib --bench bsatn -- "$@" >&2
fi

python3 - "$target_dir/criterion" <<'PY'
import json, os, sys

root = sys.argv[1]
workloads = ["position_rows", "player_rows", "event_enums", "vec_u32", "vec_f64", "vec_u8", "vec_string"]
goal = 1.5

def estimate(group, impl):
    d = os.path.join(root, group, impl, "new")
    try:
        with open(os.path.join(d, "estimates.json")) as f:
            mean_ns = json.load(f)["mean"]["point_estimate"]
        with open(os.path.join(d, "benchmark.json")) as f:
            tp = json.load(f).get("throughput") or {}
    except FileNotFoundError:
        return None, None
    return mean_ns, tp.get("Bytes")

def fmt_time(ns):
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"

def fmt_tp(nbytes, ns):
    return f"{nbytes / ns * 1e9 / 2**30:.2f} GiB/s" if nbytes else "?"

print("| workload | direction | bytes | Worldtube (mean) | sats (mean) | Worldtube thrpt | sats thrpt | ratio | ≥ 1.5× |")
print("|---|---|---:|---:|---:|---:|---:|---:|:---:|")
missing = False
for w in workloads:
    for direction in ["encode", "decode"]:
        group = f"{w}_{direction}"
        ours, nbytes = estimate(group, "worldtube")
        theirs, _ = estimate(group, "sats")
        if ours is None or theirs is None:
            missing = True
            continue
        ratio = theirs / ours
        print(f"| {w} | {direction} | {nbytes or '?'} | {fmt_time(ours)} | {fmt_time(theirs)} | "
              f"{fmt_tp(nbytes, ours)} | {fmt_tp(nbytes, theirs)} | **{ratio:.2f}×** | {'yes' if ratio >= goal else 'NO'} |")
if missing:
    print("\n(some workloads have no results; run the bench without a filter)", file=sys.stderr)
PY
