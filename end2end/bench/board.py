#!/usr/bin/env python3
"""Board and move latency against a running Dealgate server (stdlib only).

usage: bench/board.py BASE_URL EMAIL [N]
Prints JSON with p50/p95 (ms) of: SSR board page, board server function, a stage move.
"""
import json, statistics, sys, time, urllib.request, http.cookiejar

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
summary = {k: {"p50": round(statistics.median(v), 1), "p95": round(pct(v, 95), 1), "n": len(v)} for k, v in
           {"board_ssr_ms": ssr, "board_fn_ms": fn, "move_ms": moves}.items() if v}
summary["deals_total"] = sum(c["count"] for c in cols)
print(json.dumps(summary))
