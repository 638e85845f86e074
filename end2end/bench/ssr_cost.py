#!/usr/bin/env python3
"""What server-side rendering costs over the data it shows (issue 19), stdlib only.

usage: bench/ssr_cost.py EMAIL N LABEL=BASE_URL [LABEL=BASE_URL ...]
For each server (several builds on one database file, measured interleaved in one run so the
shared machine's noise falls on all alike): p50/p95 (ms) of the board, dashboard, forecast
and deal pages rendered on the server, next to the REST call that returns the same data, and
their ratio. Also the page's own data: the server functions the page itself calls while it
renders (its shell's too), timed one after another; `own_ratio_p50` is the page over the sum
of their p50s. (The REST call shows the same figures but not all a page loads: the dashboard
page also loads the day, the due accounts and the target-market split.) Prints one JSON line
per server.
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


# The server functions each page calls while rendering (shell: who is signed in, approvals
# waiting), as (endpoint, JSON body or None for an empty form post).
SHELL = [("me", None), ("approvals/count", {})]
OWN_DATA = {
    "dashboard": SHELL + [("room/my_day", {}), ("deals/summary", None), ("accounts/due", {"scope": "mine"}), ("dashboard/market", {})],
    "forecast": SHELL + [("forecast/dashboard", None)],
}


def server_fn(op, base, endpoint, body):
    if body is None:
        req = urllib.request.Request(f"{base}/api/{endpoint}", data=b"", headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        req = urllib.request.Request(f"{base}/api/{endpoint}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return op.open(req).read()


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
    state[label] = (op, rest, pages, {k: ([], []) for k in pages}, {(k, e): [] for k in pages for e, _ in OWN_DATA.get(k, [])})

for _ in range(n):
    for label, _base in servers:
        op, rest, pages, out, own = state[label]
        base = dict(servers)[label]
        for k, (page, api) in pages.items():
            out[k][0].append(timed(lambda: op.open(base + page).read()))
            out[k][1].append(timed(lambda: rest(api)))
            for e, body in OWN_DATA.get(k, []):
                own[(k, e)].append(timed(lambda: server_fn(op, base, e, body)))

for label, _ in servers:
    _, _, pages, out, own = state[label]
    res = {"server": label, "who": email, "n": n}
    for k, (ssr, api) in out.items():
        res[k] = {"ssr_p50": pct(ssr, 50), "ssr_p95": pct(ssr, 95), "rest_p50": pct(api, 50), "ratio_p50": round(pct(ssr, 50) / max(pct(api, 50), 0.1), 1)}
        if k in OWN_DATA:
            parts = {e: pct(own[(k, e)], 50) for e, _ in OWN_DATA[k]}
            res[k]["own_data_p50"] = round(sum(parts.values()), 1)
            res[k]["own_ratio_p50"] = round(pct(ssr, 50) / max(sum(parts.values()), 0.1), 2)
            res[k]["own_parts_p50"] = parts
    print(json.dumps(res))
