#!/usr/bin/env bash
# Replays the fidelity scenarios (tests/fidelity-module/scenarios/*.json) against a real
# SpacetimeDB 1.3 server and compares what it does with what the scenarios expect — the same
# expectations `cargo test -p fidelity-module` checks worldtube-host against. Not run by CI: it
# needs the real server (built once per machine by real-server.sh).
#
#   scripts/fidelity-real-server.sh [scenario.json ...]     (default: every scenario)
#
# Builds the module to wasm32, starts the server (REAL_SERVER, default
# ../shared/tools/real-server.sh next to the repository; PORT, default 3000), publishes the module
# once per scenario
# (a fresh database each), replays the steps over HTTP — calls with JSON arguments as one
# identity per scenario name ("as"), real-time sleeps for `wait_ms` — then compares each call's
# HTTP result, the database log records each step added (level and message) and table contents
# (SQL `SELECT *`, order-insensitive, on the keys the expectation gives). Prints a report, stops
# the server, exits 1 on any mismatch. Each run is recorded: a line with the date, the server and
# the result is appended to tests/fidelity-module/RUNS.md (commit it).
#
# Normalised, because it legitimately differs: identities ("$name" in expectations; each side's
# own rendering reduced to lowercase hex), timestamps and connection ids (never compared), the
# server's backtrace field on panic records (ignored). An HTTP call runs client_connected before
# and client_disconnected after the reducer; the module defines neither, so they leave no trace.
# Mapping of HTTP results: 200 = "ok"; 530 with "The Wasm instance encountered a fatal error." =
# {"panic": <message of the step's Panic log record>}; other 530 = {"err": body}; 4xx =
# {"rejected": body} (compared as a prefix).
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER=${REAL_SERVER:-../shared/tools/real-server.sh}
RUNS=tests/fidelity-module/RUNS.md
PORT=${PORT:-3000}
CACHE=${CACHE:-$HOME/.cache/real-spacetimedb}
export PORT CACHE

cargo build -q -p fidelity-module --release --target wasm32-unknown-unknown
target=$(bash scripts/target-dir.sh)
WASM=$target/wasm32-unknown-unknown/release/fidelity_module.wasm
[ -f "$WASM" ] || { echo "no $WASM" >&2; exit 2; }

if [ $# -eq 0 ]; then set -- tests/fidelity-module/scenarios/*.json; fi

bash "$SERVER" start
trap 'bash "$SERVER" stop >/dev/null 2>&1 || true' EXIT

status=0
python3 - "$WASM" "$@" <<'PY' | tee /tmp/fidelity-real-server.out || status=$?
import json, os, sys, time, urllib.request, urllib.error

BASE = f"http://127.0.0.1:{os.environ['PORT']}/v1"
TRAP = "The Wasm instance encountered a fatal error."
wasm = open(sys.argv[1], "rb").read()
identities = {}  # name -> (hex, token)

def http(method, path, body=None, token=None, ctype=None):
    req = urllib.request.Request(BASE + path, data=body, method=method)
    if token: req.add_header("Authorization", f"Bearer {token}")
    if ctype: req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

def hexid(s):
    s = s.lower()
    return s[2:] if s.startswith("0x") else s

def identity(name):
    if name not in identities:
        status, body = http("POST", "/identity")
        assert status == 200, (status, body)
        j = json.loads(body)
        identities[name] = (hexid(j["identity"]), j["token"])
    return identities[name]

def logs(db):
    status, body = http("GET", f"/database/{db}/logs?num_lines=1000000", token=identity("owner")[1])
    assert status == 200, (status, body)
    return [json.loads(l) for l in body.splitlines() if l.strip()]

def table(db, name):
    status, body = http("POST", f"/database/{db}/sql", f"SELECT * FROM {name}".encode(), identity("owner")[1])
    assert status == 200, (status, body)
    res = json.loads(body)[0]
    cols = res["schema"]["elements"]
    rows = []
    for r in res["rows"]:
        obj = {}
        for col, v in zip(cols, r):
            ty = col["algebraic_type"]
            els = ty.get("Product", {}).get("elements", [])
            if len(els) == 1 and els[0]["name"].get("some") in ("__identity__", "__connection_id__"):
                v = hexid(v[0])
            obj[col["name"]["some"]] = v
        rows.append(obj)
    return rows

def norm(v):
    if isinstance(v, str) and v.startswith("$"):
        return identity(v[1:])[0]
    return v

def compare_rows(expected, actual):
    keys = {k for r in expected for k in r}
    e = sorted(json.dumps({k: norm(v) for k, v in r.items()}, sort_keys=True) for r in expected)
    a = sorted(json.dumps({k: v for k, v in r.items() if k in keys}, sort_keys=True) for r in actual)
    return None if e == a else f"expected {e}, got {a}"

total_problems = 0
for path in sys.argv[2:]:
    sc = json.load(open(path))
    name = sc["name"]
    db = "fidelity-" + name.replace("_", "-")
    status, body = http("PUT", f"/database/{db}", wasm, identity("owner")[1], "application/wasm")
    if status != 200:
        print(f"FAIL {name}: publish: {status} {body}"); total_problems += 1; continue
    install = logs(db)
    seen = len(install)
    problems = []
    if "install_logs" in sc:
        got = [[l["level"], l["message"]] for l in install]
        if got != sc["install_logs"]:
            problems.append(f"install: logs: expected {json.dumps(sc['install_logs'])}, got {json.dumps(got)}")
    for i, step in enumerate(sc["steps"]):
        if "call" in step:
            what = f"step {i} ({step['call']})"
            token = identity(step.get("as", "alice"))[1]
            status, body = http("POST", f"/database/{db}/call/{step['call']}",
                                json.dumps(step.get("args", [])).encode(), token, "application/json")
        else:
            what = f"step {i} (wait {step['wait_ms']} ms)"
            time.sleep(step["wait_ms"] / 1000)
        all_logs = logs(db)
        new, seen = all_logs[seen:], len(all_logs)
        if "call" in step:
            if status == 200:
                actual = "ok"
            elif status == 530 and body == TRAP:
                panics = [l["message"] for l in new if l["level"] == "Panic"]
                actual = {"panic": panics[-1] if panics else None}
            elif status == 530:
                actual = {"err": body}
            else:
                actual = {"rejected": body, "status": status}
            expected = step["expect"]
            if isinstance(expected, dict) and "rejected" in expected and isinstance(actual, dict) and "rejected" in actual:
                ok = actual["rejected"].startswith(expected["rejected"])
            else:
                ok = expected == actual
            if not ok:
                problems.append(f"{what}: expected {json.dumps(expected)}, got HTTP {status} {json.dumps(actual)}")
        if "logs" in step:
            got = [[l["level"], l["message"]] for l in new]
            if got != step["logs"]:
                problems.append(f"{what}: logs: expected {json.dumps(step['logs'])}, got {json.dumps(got)}")
        for t, rows in step.get("tables", {}).items():
            diff = compare_rows(rows, table(db, t))
            if diff:
                problems.append(f"{what}: table `{t}`: {diff}")
    print(("ok  " if not problems else "FAIL") + f" {name} ({len(sc['steps'])} steps)")
    for p in problems:
        print("     " + p)
    total_problems += len(problems)
print(f"\n{total_problems} mismatch(es)")
sys.exit(1 if total_problems else 0)
PY
# One line per run: date, server, scenarios, result and the failing scenarios.
failing=$(grep '^FAIL' /tmp/fidelity-real-server.out | awk '{print $2}' | tr -d ':' | sort -u | paste -sd, - || true)
summary=$(tail -n 1 /tmp/fidelity-real-server.out)
printf '| %s | SpacetimeDB 1.3 (%s) | %s | %s | %s |\n' "$(date -u +%F)" "$(basename "$SERVER")" "$#" "$summary" \
  "${failing:--}" >> "$RUNS"
exit "$status"
