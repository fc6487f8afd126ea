#!/usr/bin/env bash
# SpacetimeDB's perf-test module (official build, see scripts/upstream-modules.sh): its load
# reducer (1.2 M inserts) and then its four index-scan reducers, through `worldtube run` and on a
# real 2.x server, side by side in one session. Prints wall times per call and the ratios.
#
#   scripts/bench-perf-test.sh PERF_TEST.wasm [ROUNDS]
#
# worldtube: `$WORLDTUBE run WASM --script tests/upstream/perf-test.script --json` with the options
# in tests/upstream/perf-test.args; each call's time is the wall time between the JSON lines
# (the process start for the first), the whole run's from process start to exit (install
# included). Server ($SERVER, default http://127.0.0.1:3400, token in $TOKEN_FILE): a fresh
# database per round, each call timed over HTTP (POST .../call/NAME; the call also runs
# client_connected/client_disconnected, which this module does not define).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
wasm=${1:?usage: bench-perf-test.sh PERF_TEST.wasm [ROUNDS]}
rounds=${2:-3}
export WASM=$wasm ROUNDS=$rounds REPO=$repo
export WORLDTUBE=${WORLDTUBE:-worldtube} SERVER=${SERVER:-http://127.0.0.1:3400} TOKEN_FILE=${TOKEN_FILE:-/work/stdb2-up/token}
python3 - <<'PY'
import json, os, subprocess, time, urllib.request, uuid, statistics
wasm, rounds, repo = os.environ["WASM"], int(os.environ["ROUNDS"]), os.environ["REPO"]
script = f"{repo}/tests/upstream/perf-test.script"
extra = open(f"{repo}/tests/upstream/perf-test.args").read().split()
calls = [l.split()[1] for l in open(script) if l.startswith("call ")]

def ours():
    t0 = time.monotonic()
    p = subprocess.Popen([os.environ["WORLDTUBE"], "run", wasm, "--script", script, "--json", *extra],
                         stdout=subprocess.PIPE, text=True)
    times, last = {}, t0
    for line in p.stdout:
        now = time.monotonic()
        e = json.loads(line)
        if e["event"] == "installed":
            last = now
        elif e["event"] == "call":
            assert e["status"] == "committed", e
            times[e["function"]] = now - last
            last = now
    assert p.wait() == 0
    times["(whole run)"] = time.monotonic() - t0
    return times

def server():
    token = open(os.environ["TOKEN_FILE"]).read().strip()
    base = os.environ["SERVER"]
    db = "perf-" + uuid.uuid4().hex[:10]
    def req(method, path, body, ctype):
        r = urllib.request.Request(base + path, data=body, method=method)
        r.add_header("Authorization", f"Bearer {token}")
        r.add_header("Content-Type", ctype)
        with urllib.request.urlopen(r, timeout=3600) as resp:
            return resp.status
    req("PUT", f"/v1/database/{db}", open(wasm, "rb").read(), "application/wasm")
    times = {}
    for c in calls:
        t = time.monotonic()
        assert req("POST", f"/v1/database/{db}/call/{c}", b"[]", "application/json") == 200
        times[c] = time.monotonic() - t
    times["(whole run)"] = sum(times.values())
    return times

rows = {}
for i in range(rounds):
    for side, f in (("worldtube", ours), ("server", server)):
        for k, v in f().items():
            rows.setdefault(k, {}).setdefault(side, []).append(v)
def fmt(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
print(f"| call | worldtube run (median of {rounds}) | real 2.8.3 server (median of {rounds}) | server / worldtube |")
print("|---|---|---|---|")
for k in [*calls, "(whole run)"]:
    o, s = statistics.median(rows[k]["worldtube"]), statistics.median(rows[k]["server"])
    print(f"| {k} | {fmt(o)} | {fmt(s)} | {s / o:.2f} |")
print()
print("all rounds:", json.dumps({k: {side: [round(x, 4) for x in v] for side, v in d.items()} for k, d in rows.items()}))
PY
