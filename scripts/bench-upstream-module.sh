#!/usr/bin/env bash
# One of SpacetimeDB's own test modules (e.g. perf-test) built for wasm32 in release from a clean
# target directory twice: with the official `spacetimedb` crate of the tag's version, and with
# Worldtube through the Cargo rename (`features = ["v2"]` at a v2.* tag), alternating run by run;
# prints wasm size and clean build wall time for each as a markdown table, as
# scripts/bench-module-build.sh does for our examples. The module's code is read from the checkout
# into temporary crates (as scripts/upstream-modules.sh and scripts/compat-corpus.sh do), never
# copied here. Dependencies are fetched first so that downloads are not timed.
#
#   scripts/bench-upstream-module.sh STDB_SRC TAG MODULE [runs]   (default 1 run each; median)
#
# The official crate's lock is seeded from tests/official/chat-v2/Cargo.lock (every spacetimedb-*
# crate at 2.8.3), ours from this workspace's Cargo.lock. Modules with dependencies other than
# spacetimedb and log are refused (their versions would differ between the two builds).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
src=${1:?usage: bench-upstream-module.sh STDB_SRC TAG MODULE [runs]}
tag=${2:?usage: bench-upstream-module.sh STDB_SRC TAG MODULE [runs]}
m=${3:?usage: bench-upstream-module.sh STDB_SRC TAG MODULE [runs]}
runs=${4:-1}
version=${tag#v}
git -C "$src" rev-parse -q --verify "$tag^{commit}" >/dev/null || { echo "no tag $tag in $src" >&2; exit 2; }
manifest=$(git -C "$src" show "$tag:modules/$m/Cargo.toml")
features=$(printf '%s\n' "$manifest" | python3 -c '
import sys, tomllib
deps = tomllib.loads(sys.stdin.read()).get("dependencies", {})
other = sorted(set(deps) - {"spacetimedb", "log"})
if other:
    sys.exit("dependencies other than spacetimedb and log: " + ", ".join(other))
spec = deps.get("spacetimedb", {})
print(", ".join(f"\"{f}\"" for f in (spec.get("features", []) if isinstance(spec, dict) else [])))')
ours_features=$features
case "$tag" in v2.*) ours_features="${features:+$features, }\"v2\"" ;; esac
uses_log=$(printf '%s\n' "$manifest" | grep -c '^log' || true)
# The module's edition: its own, or (edition.workspace = true) the workspace's at that tag.
edition=$( { printf '%s\n' "$manifest"; echo '#---'; git -C "$src" show "$tag:Cargo.toml"; } | python3 -c '
import sys, tomllib
own, ws = sys.stdin.read().split("#---", 1)
ed = tomllib.loads(own).get("package", {}).get("edition", "2021")
if isinstance(ed, dict):
    ed = tomllib.loads(ws).get("workspace", {}).get("package", {}).get("edition", "2021")
print(ed)')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_crate() { # dir, spacetimedb dependency line, lock file
  mkdir -p "$1/src"
  git -C "$src" archive "$tag:modules/$m/src" | tar -x -C "$1/src"
  {
    printf '[package]\nname = "bench-%s"\nversion = "0.0.0"\nedition = "%s"\npublish = false\n\n' "$m" "$edition"
    printf '[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\n%s\n' "$2"
    [ "$uses_log" -gt 0 ] && printf 'log = "0.4"\n'
    printf '\n[workspace]\n'
  } > "$1/Cargo.toml"
  cp "$3" "$1/Cargo.lock"
}
make_crate "$work/official" "spacetimedb = { version = \"=$version\", features = [$features] }" "$repo/tests/official/chat-v2/Cargo.lock"
make_crate "$work/worldtube" "spacetimedb = { package = \"worldtube\", path = \"$repo/bindings\", features = [$ours_features] }" "$repo/Cargo.lock"
(cd "$work/official" && cargo fetch -q)
(cd "$work/worldtube" && cargo fetch -q)

source "$repo/scripts/bench-sides.sh"
build_side() { (cd "$work/$1" && timed_wasm_build "$work/target-$1"); }
compare_sides "$runs" "$m ($tag)" "$version"
