#!/usr/bin/env bash
# Builds the 2.x examples with the official `spacetimedb` crate at a later version than the one
# the compatibility suite pins (default 2.14.0), and compares each one's module definition with
# Worldtube's build of the same source: the check that the pinned 2.8.3 oracle still speaks for
# the current official crate. Not run by CI (a toolchain download and a large build).
#
#   scripts/check-official-2.14.sh [VERSION] [EXAMPLE ...]     (default: 2.14.0 chat-v2)
#
# The official crate at 2.14 needs a newer compiler than this repository pins (1.97 for 2.14.0):
# RUSTUP_TOOLCHAIN (default 1.97.0) is used for the official build, installed by rustup if
# missing. Each example's official package (tests/official/EXAMPLE, its own workspace) is copied
# to a temporary directory with its `spacetimedb` requirement set to =VERSION and a fresh lock
# file in which every spacetimedb-* crate is pinned to VERSION; both builds are described by the
# `worldtube describe` command and the JSON definitions must be equal (BSATN is canonical, so equal
# decoded definitions are equal bytes). Prints one line per example and exits 1 on a difference.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-2.14.0}
shift || true
[ $# -gt 0 ] || set -- chat-v2
toolchain=${RUSTUP_TOOLCHAIN_OFFICIAL:-1.97.0}
rustup toolchain install "$toolchain" --profile minimal --target wasm32-unknown-unknown >/dev/null
target=$(bash "$repo/scripts/target-dir.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q -p worldtube-host --features wasm --bin worldtube
worldtube="$target/debug/worldtube"
status=0
for example in "$@"; do
  src="$repo/tests/official/$example"
  dst="$work/$example"
  mkdir -p "$dst"
  cp -r "$src/src" "$dst/src" 2>/dev/null || mkdir -p "$dst/src"
  # The official package's source includes the example's file by a relative path: keep it valid.
  sed -e "s|^spacetimedb = .*|spacetimedb = { version = \"=$version\", features = [\"unstable\"] }|" \
    "$src/Cargo.toml" > "$dst/Cargo.toml"
  sed -i "s|^#\[path = .*\]|#[path = \"$repo/examples/$example/src/lib.rs\"]|" "$dst/src/lib.rs"
  (cd "$dst" && cargo +"$toolchain" generate-lockfile -q)
  for crate in $(cd "$dst" && cargo +"$toolchain" tree -q --prefix none --target wasm32-unknown-unknown \
      | grep -o '^spacetimedb[a-z0-9-]* v[0-9.]*' | awk '{print $1}' | sort -u); do
    (cd "$dst" && cargo +"$toolchain" update -q -p "$crate" --precise "$version" 2>/dev/null || true)
  done
  (cd "$dst" && CARGO_TARGET_DIR="$target/official-$version" \
    cargo +"$toolchain" build -q --release --target wasm32-unknown-unknown)
  official="$target/official-$version/wasm32-unknown-unknown/release/official_${example//-/_}.wasm"
  "$worldtube" describe "$official" > "$work/official.json"
  "$worldtube" describe "$repo/examples/$example" > "$work/ours.json"
  if cmp -s "$work/official.json" "$work/ours.json"; then
    echo "same definition: $example (official $version vs Worldtube)"
  else
    echo "DIFFERENT definition: $example (official $version vs Worldtube)"
    diff <(python3 -m json.tool "$work/official.json") <(python3 -m json.tool "$work/ours.json") | head -40 || true
    status=1
  fi
done
exit $status
