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

build() { # side; prints "seconds bytes cpu-seconds"
  local dir="$work/target-$1"
  rm -rf "$dir"
  local start end
  start=$(date +%s.%N)
  (cd "$work/$1" && /usr/bin/time -o "$work/cpu" -f '%U %S' env CARGO_TARGET_DIR="$dir" cargo build -q --release --target wasm32-unknown-unknown)
  end=$(date +%s.%N)
  echo "$(echo "$end - $start" | bc) $(stat -c %s "$dir/wasm32-unknown-unknown/release/bench_${m//-/_}.wasm") $(awk '{print $1 + $2}' "$work/cpu")"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A secs bytes cpus
# The sides alternate run by run, so that a change in the machine's load (it is shared) weighs on
# both alike; each run's times go to stderr.
for run in $(seq "$runs"); do
  for side in worldtube official; do
    out=$(build "$side")
    read -r wall size cpu <<< "$out"
    echo "run $run $side: $wall s, $size bytes, $cpu s CPU (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    secs[$side]+="$wall"$'\n'
    cpus[$side]+="$cpu"$'\n'
    bytes[$side]=$size
  done
done
w_s=$(printf '%s' "${secs[worldtube]}" | median)
o_s=$(printf '%s' "${secs[official]}" | median)
w_c=$(printf '%s' "${cpus[worldtube]}" | median)
o_c=$(printf '%s' "${cpus[official]}" | median)
w_b=${bytes[worldtube]}
o_b=${bytes[official]}
echo "| $m ($tag), wasm32 release, clean | Worldtube | spacetimedb $version | ratio |"
echo "|---|---:|---:|---:|"
printf '| wasm size (bytes) | %d | %d | %.2f× |\n' "$w_b" "$o_b" "$(echo "$w_b / $o_b" | bc -l)"
printf '| clean build wall time (s, median of %d) | %.1f | %.1f | %.2f× |\n' "$runs" "$w_s" "$o_s" "$(echo "$w_s / $o_s" | bc -l)"
printf '| clean build CPU time (user + sys, s, median of %d) | %.1f | %.1f | %.2f× |\n' "$runs" "$w_c" "$o_c" "$(echo "$w_c / $o_c" | bc -l)"
