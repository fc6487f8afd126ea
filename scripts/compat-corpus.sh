#!/usr/bin/env bash
# The compatibility corpus: every Rust module in a SpacetimeDB checkout's `modules/` at a tag,
# compiled for wasm32 against Worldtube through the Cargo rename
# `spacetimedb = { package = "worldtube", ... }` — what a module author does. Their code is only
# read from the checkout (git show), never copied into this repository.
#
#   scripts/compat-corpus.sh STDB_SRC TAG [MODULE ...]
#
# STDB_SRC is a clone of the SpacetimeDB repository (e.g. from the search tool's fetch), TAG a tag
# such as v1.3.0 or v2.8.3; by default every module directory at that tag with a Cargo.toml and a
# src/lib.rs. Each module is checked (`cargo check --target wasm32-unknown-unknown`) in its own
# crate under a temporary directory, with the features it asks of `spacetimedb` (plus the
# generation switch `v2` at a v2.* tag) and the other
# dependencies it names at the versions SpacetimeDB's workspace pins. Prints one line per module
# (ok / FAIL with the first error) and a summary line; exits 1 if any module fails. Append the
# summary to tests/COMPAT-CORPUS.md when you record a run.
#
# With OFFICIAL_WASM_DIR set (a directory of official builds, <module>.wasm, such as
# scripts/upstream-modules.sh leaves in target/upstream-modules), each module is instead built
# (release, wasm32) and its module definition compared with the official build's, as printed by
# `worldtube describe` ($WORLDTUBE, default built from this checkout): "ok" then means the same
# definition, byte for byte (BSATN is canonical, so equal decoded definitions are equal bytes).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
src=${1:?usage: compat-corpus.sh STDB_SRC TAG [MODULE ...]}
tag=${2:?usage: compat-corpus.sh STDB_SRC TAG [MODULE ...]}
shift 2
git_src() { git -C "$src" "$@"; }
git_src rev-parse -q --verify "$tag^{commit}" >/dev/null || { echo "no tag $tag in $src" >&2; exit 2; }

if [ $# -eq 0 ]; then
  for dir in $(git_src ls-tree --name-only "$tag" modules/); do
    m=${dir#modules/}
    git_src cat-file -e "$tag:modules/$m/Cargo.toml" 2>/dev/null || continue
    git_src cat-file -e "$tag:modules/$m/src/lib.rs" 2>/dev/null || continue
    set -- "$@" "$m"
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR=${CORPUS_TARGET_DIR:-$repo/target/compat-corpus}
official_dir=${OFFICIAL_WASM_DIR:-}
if [ -n "$official_dir" ]; then
  worldtube=${WORLDTUBE:-}
  if [ -z "$worldtube" ]; then
    (cd "$repo" && cargo build -q --release -p worldtube-host --features wasm --bin worldtube)
    worldtube=$(cd "$repo" && cargo metadata --format-version 1 --no-deps | python3 -c 'import sys, json; print(json.load(sys.stdin)["target_directory"])')/release/worldtube
  fi
fi
# Checks the module in $1 (or, comparing definitions, builds it and compares it with the official
# build of module $2); prints the compiler's or the comparison's output and fails on a difference.
check_module() {
  if [ -z "$official_dir" ]; then
    (cd "$1" && cargo check -q --target wasm32-unknown-unknown 2>&1)
    return
  fi
  [ -f "$official_dir/$2.wasm" ] || { echo "error: no official build $official_dir/$2.wasm"; return 1; }
  (cd "$1" && cargo build -q --release --target wasm32-unknown-unknown 2>&1) || return 1
  local ours="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/corpus_${2//-/_}.wasm"
  "$worldtube" describe "$official_dir/$2.wasm" > "$work/$2.official.json" 2>&1 || { echo "error: describing the official build"; return 1; }
  "$worldtube" describe "$ours" > "$work/$2.ours.json" 2>&1 || { echo "error: describing ours"; return 1; }
  cmp -s "$work/$2.official.json" "$work/$2.ours.json" || { echo "error: the module definitions differ"; diff "$work/$2.official.json" "$work/$2.ours.json" | head -20; return 1; }
}
passed=0
failed=()
for m in "$@"; do
  crate="$work/$m"
  mkdir -p "$crate"
  git_src archive "$tag" "modules/$m/src" | tar -x -C "$work"
  mv "$work/modules/$m/src" "$crate/src"
  manifest=$(git_src show "$tag:modules/$m/Cargo.toml")
  # The features the module asks of spacetimedb, e.g. ["unstable"].
  features=$(printf '%s\n' "$manifest" | python3 -c '
import sys, re, tomllib
doc = tomllib.loads(sys.stdin.read())
dep = doc.get("dependencies", {}).get("spacetimedb", {})
print(", ".join(f"\"{f}\"" for f in (dep.get("features", []) if isinstance(dep, dict) else [])))')
  # A 2.x module (tag v2.*) states its generation in its dependency line, as its author would.
  case "$tag" in v2.*) features="${features:+$features, }\"v2\"" ;; esac
  others=$(printf '%s\n' "$manifest" | python3 -c '
import sys, tomllib
# The versions SpacetimeDB s workspace gives these crates (facts: names and version numbers).
pins = {"log": "0.4", "anyhow": "1", "paste": "1", "serde": "1", "serde_json": "1", "rand": "0.9", "rand08": "0.8"}
doc = tomllib.loads(sys.stdin.read())
for name, spec in doc.get("dependencies", {}).items():
    if name == "spacetimedb":
        continue
    if isinstance(spec, dict) and "version" in spec and "workspace" not in spec:
        version = spec["version"]
    elif isinstance(spec, str):
        version = spec
    else:
        version = pins.get(name, "*")
    package = ""
    if name == "rand08":
        package = ", package = \"rand\""
    print(f"{name} = {{ version = \"{version}\"{package} }}")')
  # The module's edition: its own, or (edition.workspace = true) the workspace's at that tag.
  edition=$( { printf '%s\n' "$manifest"; echo '#---'; git_src show "$tag:Cargo.toml"; } | python3 -c '
import sys, tomllib
own, ws = sys.stdin.read().split("#---", 1)
ed = tomllib.loads(own).get("package", {}).get("edition", "2021")
if isinstance(ed, dict):
    ed = tomllib.loads(ws).get("workspace", {}).get("package", {}).get("edition", "2021")
print(ed)')
  cat > "$crate/Cargo.toml" <<TOML
[package]
name = "corpus-${m}"
version = "0.0.0"
edition = "$edition"

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
spacetimedb = { package = "worldtube", path = "$repo/bindings", features = [$features] }
$others

[workspace]
TOML
  cp "$repo/Cargo.lock" "$crate/Cargo.lock" 2>/dev/null || true
  if out=$(check_module "$crate" "$m"); then
    echo "ok   $m"
    passed=$((passed + 1))
  else
    first=$(printf '%s\n' "$out" | grep -m1 -E '^error' || printf '%s\n' "$out" | tail -n 1)
    echo "FAIL $m: $first"
    [ -n "${VERBOSE:-}" ] && printf '%s\n' "$out" | grep -E -A6 '^error' | head -60
    failed+=("$m")
  fi
done
total=$#
echo
echo "corpus $tag${official_dir:+ (definitions against $official_dir)}: $passed passed, ${#failed[@]} failed (of $total)${failed:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
