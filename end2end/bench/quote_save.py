#!/usr/bin/env python3
"""Saving a 100-line quote against a running Dealgate server (stdlib only).

usage: bench/quote_save.py BASE_URL [N]
Signs in as the demo rep over REST, creates a quote with 100 lines on one of the rep's open
deals, then saves it whole N times (PUT /api/v1/quotes/{id}: lines priced, checked, written
in one transaction) and, side by side, reads it N times (GET). Prints one JSON line with
p50/p95 in ms.
"""
import json, sys, time, urllib.request

base = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 30

def call(method, path, body=None, tok=None):
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if tok:
        headers["Authorization"] = "Bearer " + tok
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None, headers=headers, method=method)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")

tok = call("POST", "/api/v1/auth/token", {"email": "rep@demo.local", "password": "dealgate"})["token"]
products = call("GET", "/api/v1/products", tok=tok)
deals = call("GET", "/api/v1/deals?limit=200", tok=tok)["deals"]
me = next(d for d in deals if d["owner"] == "张磊")
lines = [{"product_id": products[i % len(products)]["id"], "quantity": str(1 + i % 7), "discount_bp": (i % 4) * 250} for i in range(100)]
q = call("POST", f"/api/v1/deals/{me['id']}/quotes", {"lines": lines}, tok)

def pct(xs, p):
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))], 1)

saves, reads = [], []
for i in range(n):
    t = time.perf_counter()
    q = call("PUT", f"/api/v1/quotes/{q['id']}", {"lines": lines, "version": q["version"]}, tok)
    saves.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    call("GET", f"/api/v1/quotes/{q['id']}", tok=tok)
    reads.append((time.perf_counter() - t) * 1000)
print(json.dumps({"lines": len(q["lines"]), "save_100_lines_ms": {"p50": pct(saves, 50), "p95": pct(saves, 95), "n": n},
                  "read_100_lines_ms": {"p50": pct(reads, 50), "p95": pct(reads, 95), "n": n}}))
