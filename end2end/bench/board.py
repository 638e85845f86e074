#!/usr/bin/env python3
"""Board and move latency against a running Dealgate server (stdlib only).

usage: bench/board.py BASE_URL EMAIL [N]
Prints one JSON line with p50/p95 (ms) of: SSR board page, board server function, REST
board (GET /api/v1/board), a gate-path move (move_ms, usually blocked) and the write path
of a move (move_write_ms: REST moves that succeed, stage 2 -> 1 with a reason and back).
Read-only roles (executive) cannot move deals; their write path is timed as admin, which
sees the same deals, and the output says so in move_write_as.
"""
import json, statistics, sys, time, urllib.error, urllib.request, http.cookiejar

base, email = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

def post(path, data=None, form=None):
    if form is not None:
        body, ctype = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    else:
        body, ctype = json.dumps(data or {}).encode(), "application/json"
    req = urllib.request.Request(base + path, data=body, headers={"Content-Type": ctype, "Accept": "application/json"})
    with op.open(req) as r:
        return r.read()

import urllib.parse
post("/api/login", form={"email": email, "password": "dealgate", "next": "/"})

def timed(f):
    t = time.perf_counter(); f(); return (time.perf_counter() - t) * 1000

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

ssr = [timed(lambda: op.open(base + "/board").read()) for _ in range(n)]
fn = [timed(lambda: post("/api/board", {"filter": {}})) for _ in range(n)]
board = json.loads(post("/api/board", {"filter": {}}))
cols = board["columns"]
# Move the first card of the first column one stage forward and back (with a reason).
moves = []
first = next((c for c in cols[0]["cards"]), None)
if first:
    card, a, b = first, cols[0]["stage"]["id"], cols[1]["stage"]["id"]
    for i in range(n):
        to, reason = (b, None) if i % 2 == 0 else (a, "bench")
        t = time.perf_counter()
        out = json.loads(post("/api/deals/move", {"deal": card["id"], "to_stage": to, "version": card["version"], "reason": reason, "lost_reason": None}))
        moves.append((time.perf_counter() - t) * 1000)
        if "Moved" in out:
            card = out["Moved"]["card"]
        else:
            # Blocked by the gate: refresh the version and keep timing the gate path.
            card["version"] = card["version"]

# ---- REST: board, and the write path of a move -------------------------------------------
def rest(method, path, token, data=None):
    """(status, parsed JSON body); HTTP errors are answers here, not exceptions."""
    req = urllib.request.Request(base + path, method=method, data=None if data is None else json.dumps(data).encode(),
                                 headers={"Content-Type": "application/json", "Accept": "application/json",
                                          **({"Authorization": "Bearer " + token} if token else {})})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        body = e.read()
        try:
            return e.code, json.loads(body or b"null")
        except ValueError:
            return e.code, None

def token_for(who):
    st, out = rest("POST", "/api/v1/auth/token", None, {"email": who, "password": "dealgate"})
    assert st == 200, (st, out)
    return out["token"]

tok = token_for(email)
board_rest = [timed(lambda: rest("GET", "/api/v1/board", tok)) for _ in range(n)]

def ready(tok, card, need=("competitors", "motivation")):
    """True when the deal's key info holds what stage 2 requires, so the forward move passes."""
    st, d = rest("GET", "/api/v1/deals/%s" % card["id"], tok)
    ki = (d or {}).get("key_info") or {}
    return st == 200 and all(ki.get(k) not in (None, "", []) for k in need)

def write_moves(tok):
    """Alternate a stage-2 deal of the default pipeline: back to stage 1 (reason given,
    always allowed), then forward to stage 2 (allowed when its key info exists). Only
    outcome == "moved" is timed. Deals are checked for stage-2 key info first; if a move is
    still refused the next deal is used. An even number of moves leaves each deal where it
    started. Returns (times, attempts, {outcome: count}, forbid reason)."""
    _, b = rest("GET", "/api/v1/board", tok)
    s1, s2 = b["columns"][0]["stage"]["id"], b["columns"][1]["stage"]["id"]
    cands = list(b["columns"][1]["cards"])
    _, page = rest("GET", "/api/v1/deals?stage_id=%s&limit=100" % s2, tok)
    seen = {c["id"] for c in cands}
    cands += [d for d in page["deals"] if d["id"] not in seen]
    times, attempts, other, card, at = [], 0, {}, None, s2
    while attempts < n:
        if card is None:
            while cands and not ready(tok, cands[0]):
                cands.pop(0)
            if not cands:
                break
            card, at = cands.pop(0), s2
        to, reason = (s1, "bench") if at == s2 else (s2, None)
        t = time.perf_counter()
        st, out = rest("POST", "/api/v1/deals/%s/moves" % card["id"], tok, {"to_stage_id": to, "version": card["version"], "reason": reason})
        dt = (time.perf_counter() - t) * 1000
        attempts += 1
        if st == 200 and out.get("outcome") == "moved":
            times.append(dt)
            card, at = out["deal"], to
            continue
        kind = (out or {}).get("outcome") or str(st)
        other[kind] = other.get(kind, 0) + 1
        if kind == "forbidden":
            return times, attempts, other, (out or {}).get("reason")
        card = None  # refused (blocked, pending approval, conflict): use the next deal
    # Leave the last deal in stage 2, as found (not timed).
    if card is not None and at == s1:
        rest("POST", "/api/v1/deals/%s/moves" % card["id"], tok, {"to_stage_id": s2, "version": card["version"], "reason": None})
    return times, attempts, other, None

move_as = email
write, attempts, other, why = write_moves(tok)
if why == "read_only_role":
    move_as = "admin@demo.local"
    write, attempts, other, why = write_moves(token_for(move_as))

summary = {k: {"p50": round(statistics.median(v), 1), "p95": round(pct(v, 95), 1), "n": len(v)} for k, v in
           {"board_ssr_ms": ssr, "board_fn_ms": fn, "board_rest_ms": board_rest, "move_ms": moves, "move_write_ms": write}.items() if v}
summary["move_write_moved"] = "%d/%d" % (len(write), attempts)
if other:
    summary["move_write_other"] = other
if move_as != email:
    summary["move_write_as"] = move_as
summary["deals_total"] = sum(c["count"] for c in cols)
print(json.dumps(summary))
