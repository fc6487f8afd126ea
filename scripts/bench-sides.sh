# Shared by scripts/bench-module-build.sh and scripts/bench-upstream-module.sh (sourced, not run):
# clean wasm32 release builds timed, and the two sides (worldtube, official) compared run by run.

# Builds with `cargo build -q --release --target wasm32-unknown-unknown ARGS...` into the clean
# target directory DIR (in the current directory); prints "wall-seconds wasm-bytes cpu-seconds".
timed_wasm_build() { # DIR ARGS...
  local dir=$1; shift
  rm -rf "$dir"
  local start end cpu wasm
  cpu=$(mktemp)
  start=$(date +%s.%N)
  /usr/bin/time -o "$cpu" -f '%U %S' env CARGO_TARGET_DIR="$dir" cargo build -q --release --target wasm32-unknown-unknown "$@"
  end=$(date +%s.%N)
  wasm=$(find "$dir/wasm32-unknown-unknown/release" -maxdepth 1 -name '*.wasm' | head -1)
  echo "$(echo "$end - $start" | bc) $(stat -c %s "$wasm") $(awk '{print $1 + $2}' "$cpu")"
  rm -f "$cpu"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# Runs `build_side worldtube` and `build_side official` (defined by the caller, each printing what
# timed_wasm_build prints) RUNS times, alternating run by run so that a change in the shared
# machine's load weighs on both alike (each run's figures go to stderr), then prints the medians
# as a markdown table titled LABEL against "spacetimedb VERSION".
compare_sides() { # RUNS LABEL VERSION
  local runs=$1 label=$2 version=$3 run side out wall size cpu
  declare -A secs bytes cpus
  for run in $(seq "$runs"); do
    for side in worldtube official; do
      out=$(build_side "$side")
      read -r wall size cpu <<< "$out"
      echo "run $run $side: $wall s, $size bytes, $cpu s CPU (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
      secs[$side]+="$wall"$'\n'
      cpus[$side]+="$cpu"$'\n'
      bytes[$side]=$size
    done
  done
  local w_s o_s w_c o_c w_b=${bytes[worldtube]} o_b=${bytes[official]}
  w_s=$(printf '%s' "${secs[worldtube]}" | median)
  o_s=$(printf '%s' "${secs[official]}" | median)
  w_c=$(printf '%s' "${cpus[worldtube]}" | median)
  o_c=$(printf '%s' "${cpus[official]}" | median)
  echo "| $label, wasm32 release, clean | Worldtube | spacetimedb $version | ratio |"
  echo "|---|---:|---:|---:|"
  printf '| wasm size (bytes) | %d | %d | %.3f× |\n' "$w_b" "$o_b" "$(echo "$w_b / $o_b" | bc -l)"
  printf '| clean build wall time (s, median of %d) | %.1f | %.1f | %.2f× |\n' "$runs" "$w_s" "$o_s" "$(echo "$w_s / $o_s" | bc -l)"
  printf '| clean build CPU time (user + sys, s, median of %d) | %.1f | %.1f | %.2f× |\n' "$runs" "$w_c" "$o_c" "$(echo "$w_c / $o_c" | bc -l)"
}
