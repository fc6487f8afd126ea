#!/usr/bin/env bash
# SpacetimeDB's own test modules, built with the OFFICIAL `spacetimedb` crate from crates.io (the
# version the tag names, e.g. =2.8.3), then checked and run by Worldtube's reference host.
# Their code is only read from the checkout (git archive / git show) into a temporary crate,
# never copied into this repository.
#
#   scripts/upstream-modules.sh STDB_SRC TAG [MODULE ...]
#
# STDB_SRC is a clone (or bare git dir) of the SpacetimeDB repository, TAG a 2.x tag such as
# v2.8.3. Default modules: sdk-test-procedure sdk-test-view sdk-test-view-pk
# sdk-test-event-table module-test sdk-test-procedural-view-pk sdk-test-connect-disconnect
# sdk-test-case-conversion perf-test (each with a run script), and sdk-test
# sdk-test-procedure-concurrency benchmarks keynote-benchmarks (checked only).
#
# Each module becomes a crate under $UPSTREAM_WORK/<module> (default
# ${CARGO_TARGET_DIR:-target}/upstream-modules) depending on `spacetimedb = "=VERSION"` with the
# features its manifest asks for, plus its other dependencies; its Cargo.lock is seeded from
# tests/official/chat-v2/Cargo.lock (every spacetimedb-* crate pinned at 2.8.3). It is built with
# `cargo build --release --target wasm32-unknown-unknown` into $OFFICIAL_TARGET_DIR (default
# ${CARGO_TARGET_DIR:-target}/official) and its wasm copied to $UPSTREAM_WORK/<module>.wasm.
# Then `worldtube check` and, when tests/upstream/<module>.script exists, `worldtube run --json
# --script` (options from tests/upstream/<module>.args if present; JSON Lines kept in
# $UPSTREAM_WORK/<module>.jsonl). $WORLDTUBE names the binary
# (default: built from this checkout, release). Prints one line per module and a summary; exits 1
# if any module fails to build, check or run. Record runs in tests/UPSTREAM-MODULES.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
src=${1:?usage: upstream-modules.sh STDB_SRC TAG [MODULE ...]}
tag=${2:?usage: upstream-modules.sh STDB_SRC TAG [MODULE ...]}
shift 2
git_src() { git -C "$src" "$@"; }
git_src rev-parse -q --verify "$tag^{commit}" >/dev/null || { echo "no tag $tag in $src" >&2; exit 2; }
version=${tag#v}
[ $# -eq 0 ] && set -- sdk-test-procedure sdk-test-view sdk-test-view-pk sdk-test-event-table module-test \
  sdk-test-procedural-view-pk sdk-test-connect-disconnect sdk-test-case-conversion perf-test \
  sdk-test sdk-test-procedure-concurrency benchmarks keynote-benchmarks

target_root=${CARGO_TARGET_DIR:-$repo/target}
work=${UPSTREAM_WORK:-$target_root/upstream-modules}
official_target=${OFFICIAL_TARGET_DIR:-$target_root/official}
mkdir -p "$work"
if [ -z "${WORLDTUBE:-}" ]; then
  (cd "$repo" && cargo build -q --release -p worldtube-host --features wasm --bin worldtube)
  WORLDTUBE=$target_root/release/worldtube
fi

results=()
failed=()
for m in "$@"; do
  crate="$work/$m"
  rm -rf "$crate"
  mkdir -p "$crate/src"
  # the tree of the module's src only (a pathspec would walk the whole tag)
  git_src archive "$tag:modules/$m/src" | tar -x -C "$crate/src"
  manifest=$(git_src show "$tag:modules/$m/Cargo.toml")
  # The features the module asks of spacetimedb and its other dependencies (names and versions as
  # SpacetimeDB's workspace pins them at that tag).
  deps=$( { printf '%s\n' "$manifest"; echo '#---'; git_src show "$tag:Cargo.toml"; } | python3 -c '
import sys, tomllib
own, ws = sys.stdin.read().split("#---", 1)
own, ws = tomllib.loads(own), tomllib.loads(ws)
wsdeps = ws.get("workspace", {}).get("dependencies", {})
for name, spec in own.get("dependencies", {}).items():
    if name == "spacetimedb":
        feats = spec.get("features", []) if isinstance(spec, dict) else []
        print("FEATURES " + ", ".join(f"\"{f}\"" for f in feats))
        continue
    if isinstance(spec, dict) and spec.get("workspace"):
        w = wsdeps.get(name, "*")
        spec = {**(w if isinstance(w, dict) else {"version": w}), **{k: v for k, v in spec.items() if k != "workspace"}}
    if isinstance(spec, str):
        spec = {"version": spec}
    keep = {k: spec[k] for k in ("version", "package", "features", "default-features") if k in spec}
    body = ", ".join(f"{k} = " + ("[" + ", ".join(f"\"{x}\"" for x in v) + "]" if isinstance(v, list) else (str(v).lower() if isinstance(v, bool) else f"\"{v}\"")) for k, v in keep.items())
    print(f"{name} = {{ {body} }}")
ed = own.get("package", {}).get("edition", "2021")
if isinstance(ed, dict):
    ed = ws.get("workspace", {}).get("package", {}).get("edition", "2021")
print("EDITION " + ed)')
  features=$(printf '%s\n' "$deps" | sed -n 's/^FEATURES //p')
  edition=$(printf '%s\n' "$deps" | sed -n 's/^EDITION //p')
  others=$(printf '%s\n' "$deps" | grep -v -E '^(FEATURES|EDITION) ' || true)
  cat > "$crate/Cargo.toml" <<TOML
[package]
name = "upstream-$m"
version = "0.0.0"
edition = "$edition"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
spacetimedb = { version = "=$version", features = [$features] }
$others

[workspace]
TOML
  cp "$repo/tests/official/chat-v2/Cargo.lock" "$crate/Cargo.lock"
  wasm="$work/$m.wasm"
  rm -f "$wasm"
  if ! out=$(cd "$crate" && CARGO_TARGET_DIR=$official_target cargo build -q --release --target wasm32-unknown-unknown 2>&1); then
    first=$(printf '%s\n' "$out" | grep -m1 -E '^error' || printf '%s\n' "$out" | tail -n 1)
    results+=("BUILD-FAIL $m: $first"); failed+=("$m"); continue
  fi
  # every spacetimedb-* crate the build used is the tag's version
  stray=$(python3 -c '
import sys, tomllib
lock = tomllib.load(open(sys.argv[1], "rb"))
print(" ".join(p["name"] + "@" + p["version"] for p in lock["package"]
               if p["name"].startswith("spacetimedb") and p["version"] != sys.argv[2]))' "$crate/Cargo.lock" "$version")
  [ -z "$stray" ] || { results+=("LOCK $m: not $version: $stray"); failed+=("$m"); continue; }
  cp "$official_target/wasm32-unknown-unknown/release/upstream_${m//-/_}.wasm" "$wasm"
  size=$(stat -c %s "$wasm")
  if ! "$WORLDTUBE" check "$wasm" > "$work/$m.check" 2>&1; then
    results+=("CHECK-FAIL $m ($size bytes): $(grep -m1 -v '^$' "$work/$m.check")"); failed+=("$m"); continue
  fi
  script="$repo/tests/upstream/$m.script"
  if [ ! -f "$script" ]; then
    results+=("ok   $m ($size bytes): check ok, no run script"); continue
  fi
  # tests/upstream/<module>.args: extra `worldtube run` options (e.g. --brief, --fuel N), one line
  extra=()
  [ -f "$repo/tests/upstream/$m.args" ] && read -r -a extra < "$repo/tests/upstream/$m.args"
  start=$(date +%s.%N)
  if "$WORLDTUBE" run "$wasm" --script "$script" --json "${extra[@]}" > "$work/$m.jsonl" 2> "$work/$m.stderr"; then
    secs=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
    steps=$(grep -c '"event"' "$work/$m.jsonl" || true)
    results+=("ok   $m ($size bytes): check ok, run ok ($steps events, ${secs}s)")
  else
    summary=$(grep '"summary"' "$work/$m.jsonl" | tail -n 1)
    results+=("RUN-FAIL $m: ${summary:-$(tail -n 1 "$work/$m.stderr")}"); failed+=("$m")
  fi
done
printf '%s\n' "${results[@]}"
echo
echo "upstream $tag (official spacetimedb =$version): $(($# - ${#failed[@]})) ok, ${#failed[@]} failed (of $#)${failed:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
