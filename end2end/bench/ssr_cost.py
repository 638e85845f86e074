#!/usr/bin/env python3
"""What server-side rendering costs over the data it shows (issue 19), stdlib only.

usage: bench/ssr_cost.py EMAIL N LABEL=BASE_URL [LABEL=BASE_URL ...]
For each server (several builds on one database file, measured interleaved in one run so the
shared machine's noise falls on all alike): p50/p95 (ms) of the board, dashboard, forecast
and deal pages rendered on the server, next to the REST call that returns the same data, and
their ratio. Prints one JSON line per server.
"""
import json, sys, time, urllib.error, urllib.parse, urllib.request, http.cookiejar

email, n, servers = sys.argv[1], int(sys.argv[2]), [a.split("=", 1) for a in sys.argv[3:]]


def session(base):
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = urllib.parse.urlencode({"email": email, "password": "dealgate", "next": "/"}).encode()
    op.open(urllib.request.Request(base + "/api/login", data=body)).read()
    req = urllib.request.Request(base + "/api/v1/auth/token", data=json.dumps({"email": email, "password": "dealgate"}).encode(),
                                 headers={"Content-Type": "application/json"})
    token = json.loads(urllib.request.urlopen(req).read())["token"]
    return op, token


def timed(f):
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def pct(xs, p):
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))], 1)


state = {}
for label, base in servers:
    op, token = session(base)
    rest = lambda path, token=token, base=base: urllib.request.urlopen(
        urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})).read()
    board = json.loads(rest("/api/v1/board"))
    deal = next((c["id"] for col in board["columns"] for c in col["cards"]), None)
    pages = {"board": ("/board", "/api/v1/board"), "dashboard": ("/", "/api/v1/forecast"), "forecast": ("/forecast", "/api/v1/forecast")}
    if deal:
        pages["deal"] = (f"/deals/{deal}", f"/api/v1/deals/{deal}")
    # A page the user may not open (an executive has no deal page of their own) is left out.
    for k, (page, api) in list(pages.items()):
        try:
            op.open(base + page).read()
            rest(api)
        except urllib.error.HTTPError:
            del pages[k]
    state[label] = (op, rest, pages, {k: ([], []) for k in pages})

for _ in range(n):
    for label, _base in servers:
        op, rest, pages, out = state[label]
        base = dict(servers)[label]
        for k, (page, api) in pages.items():
            out[k][0].append(timed(lambda: op.open(base + page).read()))
            out[k][1].append(timed(lambda: rest(api)))

for label, _ in servers:
    _, _, pages, out = state[label]
    res = {"server": label, "who": email, "n": n}
    for k, (ssr, api) in out.items():
        res[k] = {"ssr_p50": pct(ssr, 50), "ssr_p95": pct(ssr, 95), "rest_p50": pct(api, 50), "ratio_p50": round(pct(ssr, 50) / max(pct(api, 50), 0.1), 1)}
    print(json.dumps(res))
