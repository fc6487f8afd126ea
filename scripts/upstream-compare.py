#!/usr/bin/env python3
"""Replays a `worldtube run` script against a real SpacetimeDB 2.x server and compares.

    scripts/upstream-compare.py MODULE.wasm SCRIPT [--server URL] [--token FILE] [--worldtube BIN]

Runs `worldtube run MODULE.wasm --script SCRIPT --json --keep-going` (plus the options in
SCRIPT's sibling `.args` file), publishes the same wasm to the server as a fresh database, and
replays each step of the run over HTTP:

  call [CALLER] NAME JSON   POST /v1/database/DB/call/NAME as CALLER's token (reducers and
                            procedures share the route on 2.x)
  view [CALLER] NAME        SQL `SELECT * FROM NAME` as CALLER's token; view-anon as the owner
  dump TABLE                SQL `SELECT * FROM TABLE` as the owner (the publisher)
  route METHOD PATH [BODY]  METHOD /v1/database/DB/route/PATH with BODY: status and body compared
                            (a handler that panicked: both 500)
  advance MS                sleeps MS (plus 250 ms) of real time: the server's schedules run
  connect NAME              opens a WebSocket to /v1/database/DB/subscribe with NAME's token
                            (`client_connected` runs; a rejected connection is closed before the
                            server's first message) and keeps it open
  disconnect NAME           closes NAME's WebSocket (`client_disconnected` runs), then waits 300 ms

Each name gets its own server identity (POST /v1/identity); `owner` is the publisher. The server's
values (SATS JSON: products as arrays, sums as [tag, payload]) are rendered as worldtube renders
values (objects by field name, {"Variant": payload}, options as the value or null) from the types
in the server's own schema (`/schema?version=10`, its typespace as case-converted) and the SQL
answer's schema. A call the host refuses (an `error` event) is compared with the server's 4xx
text. Normalised, because they legitimately differ:
identities (each side's are replaced by "$NAME"; the database's by "$database"), timestamps
(real time on the server: "<timestamp>"), a panic's wasm backtrace (only the server's first line
is compared). Rows are compared as multisets. Prints one line per step (same / DIFF) and a
summary; exits 1 on any difference not listed in SCRIPT's `# server-differs: LINE-PREFIX` notes
(then reported as "known").
"""
import argparse
import base64
import socket
import struct
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")


def http(method, url, token=None, body=None, ctype=None):
    req = urllib.request.Request(url, data=body, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def jwt_identity(token):
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))["hex_identity"].lower().removeprefix("0x")


# ---- types: describe's JSON ("U32", {"Product": {"elements": [{"name": "a", ...}]}}) and the SQL
# schema's ({"U32": []}, names as {"some": "a"}) read alike


def kind(t):
    if isinstance(t, str):
        return t, None
    (k, v), = t.items()
    return k, v


def elem_name(e):
    n = e.get("name")
    if isinstance(n, dict):
        return n.get("some")
    return n


SPECIAL = {"__identity__", "__connection_id__", "__timestamp_micros_since_unix_epoch__",
           "__time_duration_micros__"}


def readable(v, t, ts):
    """A server SATS-JSON value of type t, rendered as worldtube renders values."""
    k, p = kind(t)
    if k == "Ref":
        return readable(v, ts[p], ts)
    if k == "Product":
        els = p["elements"]
        if len(els) == 1 and elem_name(els[0]) in SPECIAL:
            x = v[0] if isinstance(v, list) else list(v.values())[0]
            n = elem_name(els[0])
            if n in ("__identity__", "__connection_id__"):
                return hex_of(x).rjust(64 if n == "__identity__" else 32, "0")
            if n == "__timestamp_micros_since_unix_epoch__":
                return "<timestamp>"
            sign = "-" if x < 0 else "+"
            return f"{sign}{abs(x) // 1_000_000}.{abs(x) % 1_000_000:06}"
        vals = v if isinstance(v, list) else [v[elem_name(e)] for e in els]
        return {(elem_name(e) or str(i)): readable(x, e["algebraic_type"], ts)
                for i, (e, x) in enumerate(zip(els, vals))}
    if k == "Sum":
        vs = p["variants"]
        if isinstance(v, list):
            tag, payload = v
        else:
            (name, payload), = v.items()
            tag = [elem_name(x) for x in vs].index(name)
        names = [elem_name(x) for x in vs]
        if names == ["some", "none"]:
            return None if tag == 1 else readable(payload, vs[0]["algebraic_type"], ts)
        vt = vs[tag]["algebraic_type"]
        vk, vp = kind(vt)
        if vk == "Product" and not vp["elements"]:
            return names[tag]
        return {names[tag]: readable(payload, vt, ts)}
    if k == "Array":
        if isinstance(v, str):  # bytes: the server writes them as hex
            return [int(v[i:i + 2], 16) for i in range(0, len(v), 2)]
        return [readable(x, p, ts) for x in v]
    if k in ("I256", "U256"):
        return str(int(v, 16) if isinstance(v, str) and v.startswith(("0x", "-0x")) else int(v))
    return v


def hex_of(x):
    if isinstance(x, str):
        return x.lower().removeprefix("0x")
    return format(x, "x")


def normalise(v, ids):
    """Identities to $NAME, timestamps to <timestamp>, in values and inside strings."""
    if isinstance(v, dict):
        return {k: normalise(x, ids) for k, x in v.items()}
    if isinstance(v, list):
        return [normalise(x, ids) for x in v]
    if isinstance(v, str):
        if TS_RE.match(v):
            return "<timestamp>"
        for h, name in ids.items():
            v = v.replace(h, name)
        return v
    return v


def multiset(rows):
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


# ---- a WebSocket client, just enough to hold a connection open (stdlib only)


def ws_open(base, path, token):
    """Connects; returns (socket, True) once the server's first message came (the connection was
    accepted, `client_connected` ran), or (None, False) if the server closed it instead."""
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Protocol: v1.json.spacetimedb\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            return None, False
        head += chunk
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        s.close()
        return None, False
    rest = head.split(b"\r\n\r\n", 1)[1]
    opcode = ws_read_frame(s, rest)
    if opcode in (None, 8):  # closed, or a close frame: rejected
        s.close()
        return None, False
    return s, True


def ws_read_frame(s, buffered=b""):
    """The opcode of the next frame (its payload is read and dropped); None if the socket closed."""
    def need(n):
        nonlocal buffered
        while len(buffered) < n:
            chunk = s.recv(65536)
            if not chunk:
                return None
            buffered += chunk
        out, buffered = buffered[:n], buffered[n:]
        return out
    h = need(2)
    if h is None:
        return None
    length = h[1] & 0x7F
    if length == 126:
        length = struct.unpack(">H", need(2))[0]
    elif length == 127:
        length = struct.unpack(">Q", need(8))[0]
    if need(length) is None:
        return None
    return h[0] & 0x0F


def ws_close(s):
    """Sends a (masked, empty) close frame and closes the socket."""
    try:
        s.sendall(bytes([0x88, 0x80]) + os.urandom(4))
    finally:
        s.close()


class Server:
    def __init__(self, base, owner_token, wasm):
        self.base = base
        self.tokens = {"owner": owner_token}
        self.sockets = {}  # name -> open WebSockets
        self.ids = {jwt_identity(owner_token): "$owner"}
        self.db = "up-" + uuid.uuid4().hex[:12]
        code, body = http("PUT", f"{base}/v1/database/{self.db}", owner_token, open(wasm, "rb").read(),
                          "application/wasm")
        if code != 200:
            sys.exit(f"publish failed: {code} {body}")
        self.ids[json.loads(body)["Success"]["database_identity"].lower()] = "$database"
        # the module as the server holds it: its typespace under the case-conversion policy
        code, body = http("GET", f"{base}/v1/database/{self.db}/schema?version=10", owner_token)
        sections = {k: v for s in json.loads(body)["sections"] for k, v in s.items()}
        self.typespace = sections["Typespace"]["types"]
        self.returns = {p["source_name"]: p["return_type"] for p in sections.get("Procedures", [])}

    def token(self, name):
        if name not in self.tokens:
            code, body = http("POST", f"{self.base}/v1/identity")
            d = json.loads(body)
            self.tokens[name] = d["token"]
            self.ids[d["identity"].lower().removeprefix("0x")] = "$" + name
        return self.tokens[name]

    def identity_of(self, name):
        self.token(name)
        return next(h for h, n in self.ids.items() if n == "$" + name)

    def call(self, caller, name, args):
        return http("POST", f"{self.base}/v1/database/{self.db}/call/{name}", self.token(caller),
                    args.encode(), "application/json")

    def connect(self, name):
        s, ok = ws_open(self.base, f"/v1/database/{self.db}/subscribe", self.token(name))
        if ok:
            self.sockets.setdefault(name, []).append(s)
        return ok

    def disconnect(self, name):
        open_ = self.sockets.get(name) or []
        if not open_:
            return False
        ws_close(open_.pop(0))
        time.sleep(0.3)
        return True

    def sql(self, caller, query):
        code, body = http("POST", f"{self.base}/v1/database/{self.db}/sql", self.token(caller), query.encode())
        if code != 200:
            return None, f"{code} {body}"
        res = json.loads(body)[-1]
        row_type = {"Product": res["schema"]}
        return [readable(r, row_type, []) for r in res["rows"]], None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wasm")
    ap.add_argument("script")
    ap.add_argument("--server", default=os.environ.get("SERVER", "http://127.0.0.1:3400"))
    ap.add_argument("--token", default=os.environ.get("TOKEN_FILE", "/work/stdb2-up/token"))
    ap.add_argument("--worldtube", default=os.environ.get("WORLDTUBE", "worldtube"))
    a = ap.parse_args()

    script_text = open(a.script).read()
    known = [l.split(":", 1)[1].strip() for l in script_text.splitlines() if l.startswith("# server-differs:")]
    extra = []
    args_file = os.path.splitext(a.script)[0] + ".args"
    if os.path.exists(args_file):
        extra = open(args_file).read().split()
    run = subprocess.run([a.worldtube, "run", a.wasm, "--script", a.script, "--json", "--keep-going", *extra],
                         capture_output=True, text=True)
    ours = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]

    server = Server(a.server, open(a.token).read().strip(), a.wasm)
    our_ids = {}
    for e in ours:
        if e.get("identity") and e.get("caller"):
            our_ids[e["identity"].lower()] = "$" + e["caller"]
    # the database's identity: a scheduled call's sender
    for e in ours:
        if e["event"] == "scheduled" and e.get("identity"):
            our_ids[e["identity"].lower()] = "$database"

    results = []
    caller = "owner"
    for e in ours:
        line = e.get("line")
        ev = e["event"]
        if ev == "as":
            caller = e["caller"]
            continue
        if not line or ev in ("installed", "summary", "scheduled"):
            continue
        verdict, detail = "same", ""
        if ev == "error" and line.startswith("call "):
            # a call the host refused before running it (unknown name, bad arguments)
            parts = line.split(None, 2)
            fn, args = parts[1], (parts[2] if len(parts) > 2 else "[]")
            code, body = server.call(caller, fn, args)
            message = e["message"].strip()
            if message.startswith("the module has no reducer named "):
                # worldtube's own refusal lists the module's functions; the server's is its 404
                message = "No such procedure"
            if code < 400 or code >= 500 or body.strip() != message:
                verdict, detail = "DIFF", f"ours refused: {e['message']!r}; server {code}: {body[:300]!r}"
            else:
                detail = f"both refuse: {body[:160]}"
        elif ev == "call":
            who = e.get("caller", caller)
            fn = e.get("function") or line.split()[1]
            args = line.split(fn, 1)[1].strip() or "[]"
            for h, n in our_ids.items():
                if n.startswith("$") and n != "$database" and h in args:
                    args = args.replace(h, server.identity_of(n[1:]))
            code, body = server.call(who, fn, args)
            if e.get("kind") == "procedure" and e["status"] == "returned":
                want = normalise(e["returned"], our_ids)
                got = normalise(readable(json.loads(body), server.returns[fn], server.typespace), server.ids) if code == 200 else None
                if code != 200 or got != want:
                    verdict, detail = "DIFF", f"ours returned {json.dumps(want)}; server {code} {json.dumps(got) if got is not None else body[:300]}"
            elif e["status"] in ("ok", "committed"):
                if code != 200:
                    verdict, detail = "DIFF", f"ours ok; server {code} {body[:300]}"
            else:
                ours_text = e.get("server_error") or e.get("error") or ""
                theirs = body.splitlines()[0] if body else ""
                if code == 200:
                    verdict, detail = "DIFF", f"ours {e['status']}: {ours_text}; server 200 {body[:200]}"
                elif normalise(ours_text, our_ids).split(":")[0] != normalise(theirs, server.ids).split(":")[0]:
                    verdict, detail = "DIFF", f"ours {e['status']}: {ours_text!r}; server {code}: {theirs!r}"
                else:
                    detail = f"both fail: {theirs[:120]}"
        elif (ev == "route") or (ev == "error" and line.startswith("route ")):
            parts = line.split(None, 3)
            method, target, body = parts[1], parts[2], (parts[3] if len(parts) > 3 else "")
            code, text = http(method, f"{server.base}/v1/database/{server.db}/route{target}",
                              body=body.encode() if body else None)
            if ev == "error":
                want = (404, e["message"])
                ok = code == 404
            elif e["status"] == 500:
                want, ok = (500, e.get("error")), code == 500
            else:
                want = (e["status"], e["body"])
                ok = (code, text) == want
            if not ok:
                verdict, detail = "DIFF", f"ours {want!r}; server {code} {text[:200]!r}"
            else:
                detail = f"both {code}" + (f": {text[:80]!r}" if code != 500 else "")
        elif ev in ("view", "dump"):
            name = e.get("view") or e.get("table")
            who = (e.get("caller") or caller) if ev == "view" else "owner"
            if ev == "view" and line.startswith("view-anon"):
                who = "owner"
            rows, err = server.sql(who, f'SELECT * FROM "{name}"')
            want = multiset(normalise(e["rows"], our_ids))
            got = multiset(normalise(rows, server.ids)) if rows is not None else None
            if got != want:
                verdict = "DIFF"
                detail = f"ours {len(want)} rows {want[:4]}; server " + (err if got is None else f"{len(got)} rows {got[:4]}")
            else:
                detail = f"{len(want)} rows"
        elif ev == "advance":
            ms = e.get("micros", None)
            text = line.split(None, 1)[1]
            m = re.match(r"^(\d+)(ms|s|us)?$", text)
            secs = int(m.group(1)) * {"ms": 1e-3, None: 1e-3, "s": 1, "us": 1e-6}[m.group(2)]
            time.sleep(secs + 0.25)
            detail = f"slept {secs:.3f}s"
        elif ev in ("connect", "disconnect"):
            name = e.get("caller") or line.split()[1]
            ours_ok = e.get("status") == "committed" or e.get("function") is None and e.get("status") != "failed"
            theirs_ok = server.connect(name) if ev == "connect" else server.disconnect(name)
            if ours_ok != theirs_ok:
                verdict, detail = "DIFF", f"ours {e.get('status')}; server {'accepted' if theirs_ok else 'refused'}"
            else:
                detail = f"both {'accept' if ours_ok else 'refuse'} (WebSocket)"
        else:
            verdict, detail = "skip", "not replayed"
        if verdict == "DIFF" and any(line.startswith(k) for k in known):
            verdict = "known"
        results.append((verdict, e.get("origin", ""), line, detail))

    for verdict, origin, line, detail in results:
        print(f"{verdict:5} {origin.rsplit('/', 1)[-1]}: {line}" + (f"\n        {detail}" if detail else ""))
    diffs = sum(1 for r in results if r[0] == "DIFF")
    knowns = sum(1 for r in results if r[0] == "known")
    skips = sum(1 for r in results if r[0] == "skip")
    print(f"\n{os.path.basename(a.script)}: {len(results)} steps, {len(results) - diffs - knowns - skips} same, "
          f"{skips} not replayed, {knowns} known differences, {diffs} unexplained differences "
          f"(database {server.db})")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
