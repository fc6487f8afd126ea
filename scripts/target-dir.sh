#!/usr/bin/env bash
# Prints the workspace's cargo target directory (CARGO_TARGET_DIR, a .cargo/config.toml setting or
# `target/`), as cargo itself resolves it; the other scripts find build outputs through it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo metadata -q --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
