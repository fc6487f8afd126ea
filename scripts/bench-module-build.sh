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

build() { # name, then cargo args; prints "seconds bytes cpu-seconds"
  local name=$1; shift
  local dir="$work/$name"
  rm -rf "$dir"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -o "$work/cpu" -f '%U %S' env CARGO_TARGET_DIR="$dir" cargo build -q --release --target wasm32-unknown-unknown "$@"
  end=$(date +%s.%N)
  local wasm
  wasm=$(find "$dir/wasm32-unknown-unknown/release" -maxdepth 1 -name '*.wasm' | head -1)
  echo "$(echo "$end - $start" | bc) $(stat -c %s "$wasm") $(awk '{print $1 + $2}' "$work/cpu")"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A secs bytes cpus
# The sides alternate run by run, so that a change in the machine's load (it is shared) weighs on
# both alike; each run's times go to stderr.
for run in $(seq "$runs"); do
  for side in worldtube official; do
    if [ "$side" = worldtube ]; then
      out=$(build worldtube -p "$example")
    else
      out=$(build official --locked --manifest-path "tests/official/$example/Cargo.toml")
    fi
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
echo "| $example, wasm32 release, clean | Worldtube | spacetimedb $official_version | ratio |"
echo "|---|---:|---:|---:|"
printf '| wasm size (bytes) | %d | %d | %.2f× |\n' "$w_b" "$o_b" "$(echo "$w_b / $o_b" | bc -l)"
printf '| clean build wall time (s, median of %d) | %.1f | %.1f | %.2f× |\n' "$runs" "$w_s" "$o_s" "$(echo "$w_s / $o_s" | bc -l)"
printf '| clean build CPU time (user + sys, s, median of %d) | %.1f | %.1f | %.2f× |\n' "$runs" "$w_c" "$o_c" "$(echo "$w_c / $o_c" | bc -l)"
