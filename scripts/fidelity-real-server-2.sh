#!/usr/bin/env bash
# Replays the 2.x fidelity scenarios (tests/fidelity-v2/scenarios/*.json) against a real
# SpacetimeDB 2.8.3 server and compares what it does with what the scenarios expect — the same
# expectations `cargo test -p fidelity-v2` checks worldtube-host against (the format and the
# matching rules are in tests/fidelity-v2/tests/harness/mod.rs). Not run by CI: it needs the real
# server (built once per machine by real-server-2.sh).
#
#   scripts/fidelity-real-server-2.sh [scenario.json ...]     (default: every scenario)
#
# Builds the scenarios' modules (chat-v2, fidelity-v2) to wasm32 with Worldtube, starts the server
# (REAL_SERVER, default ../shared/tools/real-server-2.sh next to the repository; PORT, default
# 3100; CACHE, default ~/.cache/real-spacetimedb-2), publishes one fresh database per scenario and
# replays the steps over HTTP: calls (POST /call/NAME: reducers and procedures), SQL reads
# (POST /sql) as a client, requests to the module's HTTP routes (/route/PATH), real-time sleeps
# for `wait_ms`. Compares each call's HTTP status and
# body, the database log records each step added (level and message) and the rows read. Prints a
# report, stops the server, exits 1 on any mismatch, and appends a line (date, server, scenarios,
# steps, result) to tests/fidelity-v2/RUNS.md (commit it).
#
# Arguments are sent as compact JSON (no spaces), as the native runner passes them, so that the
# server's `line L column C` positions are comparable.
# Clients: a named client gets a token from POST /v1/identity (issuer `localhost`, a random
# subject, which `{sub:name}` in expectations stands for); a client listed in a scenario's
# `clients` gets a token with those claims, signed (ES256, with openssl) by the server's own key
# in CACHE/keys/priv.pem, which the server accepts for any issuer.
# Mapping of HTTP results: 200 with an empty body = "ok"; 200 with a body = {"returned": JSON};
# 530 with "The instance encountered a fatal error." = {"panic": <the step's last Panic record>};
# other 530 = {"err": body}; 500 = {"failed": body, "status": 500}; 4xx = {"rejected": body,
# "status": code}. Normalised, because it legitimately differs: identities (hex), token subjects,
# timestamps and random values (`$any` in expectations), texts the server takes from its network
# stack (`$prefix`); each scenario's `notes` say which.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVER=${REAL_SERVER:-../shared/tools/real-server-2.sh}
RUNS=tests/fidelity-v2/RUNS.md
PORT=${PORT:-3100}
CACHE=${CACHE:-$HOME/.cache/real-spacetimedb-2}
export PORT CACHE

cargo build -q -p chat-v2 -p fidelity-v2 --release --target wasm32-unknown-unknown
WASM_DIR=$(bash scripts/target-dir.sh)/wasm32-unknown-unknown/release
for m in chat_v2 fidelity_v2; do [ -f "$WASM_DIR/$m.wasm" ] || { echo "no $WASM_DIR/$m.wasm" >&2; exit 2; }; done

if [ $# -eq 0 ]; then set -- tests/fidelity-v2/scenarios/*.json; fi

bash "$SERVER" start
trap 'bash "$SERVER" stop >/dev/null 2>&1 || true' EXIT
VERSION=$(curl -s "http://127.0.0.1:$PORT/v1/ping" -o /dev/null -w '%{http_code}' >/dev/null; \
  basename "$(ls "$CACHE"/spacetimedb-standalone-v* 2>/dev/null | head -n1)" | sed 's/spacetimedb-standalone-//')

status=0
OUT=$(mktemp)
python3 - "$WASM_DIR" "$CACHE/keys/priv.pem" "$@" <<'PY' | tee "$OUT" || status=$?
import base64, json, os, subprocess, sys, time, urllib.request, urllib.error

BASE = f"http://127.0.0.1:{os.environ['PORT']}/v1"
TRAP = "The instance encountered a fatal error."
wasm_dir, key_file, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
MODULES = {"chat-v2": "chat_v2.wasm", "fidelity-v2": "fidelity_v2.wasm"}

def http(method, path, body=None, token=None, ctype=None, headers=None, with_headers=False):
    req = urllib.request.Request(BASE + path, data=body, method=method)
    if token: req.add_header("Authorization", f"Bearer {token}")
    if ctype: req.add_header("Content-Type", ctype)
    for k, v in (headers or {}).items(): req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            out = (r.status, r.read().decode(), r.headers)
    except urllib.error.HTTPError as e:
        out = (e.code, e.read().decode(), e.headers)
    return out if with_headers else out[:2]

def b64(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def claims_of(token):
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

def sign(claims):
    """An ES256 JWT with these claims, signed by the server's own key (openssl; DER -> r||s)."""
    head = b64(json.dumps({"typ": "JWT", "alg": "ES256"}).encode())
    body = b64(json.dumps(dict(claims, iat=int(time.time()), exp=None)).encode())
    msg = f"{head}.{body}".encode()
    der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key_file], input=msg,
                         capture_output=True, check=True).stdout
    i, sig = (2 if der[1] < 0x80 else 3), b""
    for _ in range(2):
        assert der[i] == 2; n = der[i + 1]; sig += der[i + 2:i + 2 + n].lstrip(b"\0").rjust(32, b"\0"); i += 2 + n
    return f"{head}.{body}.{b64(sig)}"

def hexid(s):
    s = s.lower()
    return s[2:] if s.startswith("0x") else s

identities = {}   # name -> (hex, token, subject), per scenario for claims clients

def identity(name, claims=None):
    if name not in identities:
        if claims is not None:
            token = sign(claims)
            # The identity the server derives from issuer and subject: the short-lived token it
            # hands out for this one carries it as `hex_identity`.
            status, body = http("POST", "/identity/websocket-token", token=token)
            assert status == 200, (status, body)
            hex_ = hexid(claims_of(json.loads(body)["token"])["hex_identity"])
        else:
            status, body = http("POST", "/identity")
            assert status == 200, (status, body)
            j = json.loads(body); token = j["token"]; hex_ = hexid(j["identity"])
        identities[name] = [hex_, token, claims_of(token)["sub"]]
    return identities[name]

def logs(db):
    status, body = http("GET", f"/database/{db}/logs?num_lines=1000000", token=identity("owner")[1])
    assert status == 200, (status, body)
    return [json.loads(l) for l in body.splitlines() if l.strip()]

def sql(db, query, token):
    status, body = http("POST", f"/database/{db}/sql", query.encode(), token)
    if status != 200:
        return None, f"HTTP {status} {body}"
    res = json.loads(body)[0]
    names = [c["name"]["some"] for c in res["schema"]["elements"]]
    return [dict(zip(names, r)) for r in res["rows"]], None

class Scenario:
    def __init__(self, sc):
        self.claims = sc.get("clients", {})
    def token(self, name):
        return identity(name, self.claims.get(name))[1]
    def hex(self, name):
        rec = identity(name, self.claims.get(name))
        return rec[0]
    def expand(self, v):
        if isinstance(v, str) and "{sub:" in v:
            out, rest = "", v
            while "{sub:" in rest:
                a = rest.index("{sub:"); b = rest.index("}", a)
                out += rest[:a] + identity(rest[a + 5:b], self.claims.get(rest[a + 5:b]))[2]; rest = rest[b + 1:]
            return out + rest
        if isinstance(v, dict): return {k: self.expand(x) for k, x in v.items()}
        if isinstance(v, list): return [self.expand(x) for x in v]
        return v
    def args(self, v):
        if isinstance(v, dict) and "$now_plus_ms" in v:
            return int(time.time() * 1e6) + v["$now_plus_ms"] * 1000
        if isinstance(v, dict): return {k: self.args(x) for k, x in v.items()}
        if isinstance(v, list): return [self.args(x) for x in v]
        return v
    def matches(self, e, a):
        if e == "$any": return True
        if isinstance(e, str) and e.startswith("$") and isinstance(a, str):
            return self.hex(e[1:]) == hexid(a)
        if isinstance(e, dict) and "$prefix" in e:
            return isinstance(a, str) and a.startswith(e["$prefix"])
        if isinstance(e, dict) and isinstance(a, dict):
            return e.keys() == a.keys() and all(self.matches(e[k], a[k]) for k in e)
        if isinstance(e, list) and isinstance(a, list):
            return len(e) == len(a) and all(self.matches(x, y) for x, y in zip(e, a))
        return e == a and type(e) == type(a)
    def rows_match(self, expected, actual):
        left = list(actual)
        ok = len(expected) == len(actual)
        for e in expected:
            for i, a in enumerate(left):
                if self.matches(e, a): del left[i]; break
            else: ok = False
        return ok

total_problems = total_steps = 0
for path in paths:
    sc = json.load(open(path))
    name = sc["name"]
    identities.clear()
    wasm = open(os.path.join(wasm_dir, MODULES[sc["module"]]), "rb").read()
    db = "fid2-" + name.replace("_", "-")
    status, body = http("PUT", f"/database/{db}?clear=true", wasm, identity("owner")[1], "application/wasm")
    if status != 200:
        print(f"FAIL {name}: publish: {status} {body}"); total_problems += 1; continue
    identities["database"] = [hexid(json.loads(body)["Success"]["database_identity"]), None, None]
    s = Scenario(sc)
    for c, claims in s.claims.items():
        identity(c, claims)
    install = logs(db)
    seen = len(install)
    problems = []
    if "install_logs" in sc:
        got = [[l["level"], l["message"]] for l in install]
        if got != sc["install_logs"]:
            problems.append(f"install: logs: expected {json.dumps(sc['install_logs'])}, got {json.dumps(got)}")
    for i, step in enumerate(sc["steps"]):
        total_steps += 1
        if "call" in step:
            what = f"step {i} ({step['call']})"
            who = step.get("as", "alice")
            args = s.args(step.get("args", []))
            status, body = http("POST", f"/database/{db}/call/{step['call']}", json.dumps(args, separators=(",", ":")).encode(),
                                s.token(who), "application/json")
        elif "sql" in step:
            what = f"step {i} ({step['sql']})"
            rows, err = sql(db, step["sql"], s.token(step.get("as", "owner")))
        elif "route" in step:
            what = f"step {i} (route {step['route']})"
            body = step["body"].encode() if "body" in step else None
            status, text, resp_headers = http(step.get("method", "GET"), f"/database/{db}/route{step['route']}", body,
                                              headers=step.get("headers"), with_headers=True)
        else:
            what = f"step {i} (wait {step['wait_ms']} ms)"
            time.sleep(step["wait_ms"] / 1000)
        all_logs = logs(db)
        new, seen = all_logs[seen:], len(all_logs)
        if "call" in step:
            if status == 200 and body == "":
                actual = "ok"
            elif status == 200:
                actual = {"returned": json.loads(body)}
            elif status == 530 and body == TRAP:
                panics = [l["message"] for l in new if l["level"] == "Panic"]
                actual = {"panic": panics[-1] if panics else None}
            elif status == 530:
                actual = {"err": body}
            elif status == 500:
                actual = {"failed": body, "status": 500}
            else:
                actual = {"rejected": body, "status": status}
            expected = s.expand(step["expect"])
            if not s.matches(expected, actual):
                problems.append(f"{what}: expected {json.dumps(expected)}, got HTTP {status} {json.dumps(actual)}")
        if "route" in step:
            if status == 500:
                panics = [l["message"] for l in new if l["level"] == "Panic"]
                actual = {"status": 500, "panic": panics[-1] if panics else None}
            else:
                actual = {"status": status, "body": text}
                if "headers" in step["expect"]:
                    actual["headers"] = {k.lower(): resp_headers[k] for k in step["expect"]["headers"] if k in resp_headers}
            expected = s.expand(step["expect"])
            if not s.matches(expected, actual):
                problems.append(f"{what}: expected {json.dumps(expected)}, got {json.dumps(actual)}")
        if "sql" in step:
            if err:
                problems.append(f"{what}: {err}")
            elif not s.rows_match(step["rows"], rows):
                problems.append(f"{what}: rows: expected {json.dumps(step['rows'])}, got {json.dumps(rows)}")
        if "logs" in step:
            got = [[l["level"], l["message"]] for l in new]
            expected = s.expand(step["logs"])
            if not s.matches(expected, got):
                problems.append(f"{what}: logs: expected {json.dumps(expected)}, got {json.dumps(got)}")
    print(("ok  " if not problems else "FAIL") + f" {name} ({len(sc['steps'])} steps)")
    for p in problems:
        print("     " + p)
    total_problems += len(problems)
print(f"\n{total_steps} steps, {total_problems} mismatch(es)")
sys.exit(1 if total_problems else 0)
PY
# One line per run: date, server, scenarios, result and the failing scenarios.
failing=$(grep '^FAIL' "$OUT" | awk '{print $2}' | tr -d ':' | sort -u | paste -sd, - || true)
summary=$(tail -n 1 "$OUT")
printf '| %s | SpacetimeDB %s (%s) | %s | %s | %s |\n' "$(date -u +%F)" "${VERSION:-2.x}" "$(basename "$SERVER")" "$#" \
  "$summary" "${failing:--}" >> "$RUNS"
rm -f "$OUT"
exit "$status"
