#!/usr/bin/env bash
# Builds an example (default examples/quickstart-chat) to wasm32 (release profile, clean target
# dir) with Worldtube and with the official crate its tests/official/EXAMPLE package pins
# (spacetimedb =1.3.2 for the 1.x examples, =2.8.3 for chat-v2; it compiles the same source file),
# alternating run by run, and prints wasm size and clean build wall time for each as a markdown
# table. Dependencies are fetched first so that downloads are not timed.
#
#   scripts/bench-module-build.sh [runs] [example]   (default 1 run each; the table shows the median)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
example=${2:-quickstart-chat}
official_version=$(grep -o 'spacetimedb = { version = "=[0-9.]*' "tests/official/$example/Cargo.toml" | grep -o '[0-9.]*$' \
  || grep -o '^spacetimedb = "=[0-9.]*' "tests/official/$example/Cargo.toml" | grep -o '[0-9.]*$')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo fetch -q
cargo fetch -q --manifest-path "tests/official/$example/Cargo.toml"

source scripts/bench-sides.sh
build_side() {
  if [ "$1" = worldtube ]; then
    timed_wasm_build "$work/worldtube" -p "$example"
  else
    timed_wasm_build "$work/official" --locked --manifest-path "tests/official/$example/Cargo.toml"
  fi
}
compare_sides "$runs" "$example" "$official_version"
