#!/usr/bin/env python3
"""Forecast dashboard latency against a running Dealgate server, next to the sqlite3 CLI
doing the equivalent raw aggregates on the same file (stdlib only, plus /usr/bin/sqlite3).

usage: bench/forecast.py BASE_URL EMAIL DB_FILE [N]
Prints one JSON line with p50/p95 (ms) of: the executive dashboard page (/forecast, SSR;
its first view, then the seconds until its history figures are in, then warm views),
GET /api/v1/forecast?group_by=owner, GET /api/v1/progress (last week to this week, and the
last 91 days), and
the sqlite3 CLI's wall time for (a) the weighted forecast by owner over open deals and
(b) the history aggregate between the same two dates. The ratio app / raw is the figure
that matters; the machine is shared and noisy.
"""
import datetime, json, statistics, subprocess, sys, time, urllib.error, urllib.parse, urllib.request, http.cookiejar

base, email, db = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 10
TIMEOUT = 600

jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
form = urllib.parse.urlencode({"email": email, "password": "dealgate", "next": "/"}).encode()
op.open(urllib.request.Request(base + "/api/login", data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}), timeout=TIMEOUT).read()


def rest(path, token=None, data=None):
    req = urllib.request.Request(base + path, method="POST" if data is not None else "GET",
                                 data=None if data is None else json.dumps(data).encode(),
                                 headers={"Content-Type": "application/json", "Accept": "application/json",
                                          **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
        return r.status, r.read()


def timed(f):
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def summary(xs):
    return {"p50": round(statistics.median(xs), 1), "p95": round(pct(xs, 95), 1), "n": len(xs)}


def ok(status_body):
    status, body = status_body
    assert status == 200, status
    return body


_, tok = rest("/api/v1/auth/token", data={"email": email, "password": "dealgate"})
tok = json.loads(tok)["token"]
today = datetime.date.today()
monday = today - datetime.timedelta(days=today.weekday())
last_monday = monday - datetime.timedelta(days=7)

def dashboard():
    body = op.open(base + "/forecast", timeout=TIMEOUT).read().decode()
    # An error notice renders with status 200 when the page streams: check the figures are there.
    assert 'data-testid="forecast-kpis"' in body and 'notice-error' not in body, "the dashboard rendered an error"
    return body


out = {}
# The first view of a day also starts the history figures in the background: timed apart.
out["dashboard_first_ms"] = round(timed(dashboard), 1)
t0 = time.perf_counter()
def pending(body):
    return 'data-testid="history-pending"' in body or 'data-testid="trend-pending"' in body


while pending(dashboard()) and time.perf_counter() - t0 < TIMEOUT:
    time.sleep(2)
# Seconds after the first view until the background figures (history, past trend) were in.
out["background_ready_s"] = round(time.perf_counter() - t0, 1)
out["dashboard_ssr_ms"] = summary([timed(dashboard) for _ in range(n)])
out["forecast_rest_ms"] = summary([timed(lambda: ok(rest("/api/v1/forecast?group_by=owner", tok))) for _ in range(n)])
q = "/api/v1/progress?from=%s&to=%s" % (last_monday.isoformat(), today.isoformat())
out["progress_rest_ms"] = summary([timed(lambda: ok(rest(q, tok))) for _ in range(n)])
# "Between any two dates": a quarter back (its cost follows the history written since A).
quarter_ago = today - datetime.timedelta(days=91)
q91 = "/api/v1/progress?from=%s&to=%s" % (quarter_ago.isoformat(), today.isoformat())
out["progress_91d_rest_ms"] = summary([timed(lambda: ok(rest(q91, tok))) for _ in range(n)])
# Two and four quarters back: valued in an old quarter, read from the progress terms.
long_ago = {"200d": today - datetime.timedelta(days=200), "400d": today - datetime.timedelta(days=400)}
for key, since in long_ago.items():
    qk = "/api/v1/progress?from=%s&to=%s" % (since.isoformat(), today.isoformat())
    out["progress_%s_rest_ms" % key] = summary([timed(lambda: ok(rest(qk, tok))) for _ in range(n)])

# Drill-downs by forecast category (the page: first rows, totals over all of them).
for cat in ("commit", "pipeline"):
    out["drill_%s_ms" % cat] = summary([timed(lambda: op.open(base + "/forecast/deals?what=category:" + cat, timeout=TIMEOUT).read())
                                         for _ in range(n)])

# The same questions asked of the file directly: one process per query, as a DBA would.
RAW = {
    "raw_forecast_ms": "SELECT d.owner_id, COUNT(*), SUM(d.amount_fen), SUM(d.amount_fen * s.win_rate_pct / 100) "
                       "FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind = 'open' GROUP BY d.owner_id;",
    "raw_progress_ms": "SELECT kind, COUNT(*), SUM(COALESCE(new_amount_fen, 0) - COALESCE(old_amount_fen, 0)) FROM deal_history "
                       "WHERE at >= '%s' AND at < '%s' GROUP BY kind;" % (last_monday.isoformat(), (today + datetime.timedelta(days=1)).isoformat()),
    "raw_progress_91d_ms": "SELECT kind, COUNT(*), SUM(COALESCE(new_amount_fen, 0) - COALESCE(old_amount_fen, 0)) FROM deal_history "
                           "WHERE at >= '%s' AND at < '%s' GROUP BY kind;" % (quarter_ago.isoformat(), (today + datetime.timedelta(days=1)).isoformat()),
}
for key, since in long_ago.items():
    RAW["raw_progress_%s_ms" % key] = ("SELECT kind, COUNT(*), SUM(COALESCE(new_amount_fen, 0) - COALESCE(old_amount_fen, 0)) FROM deal_history "
                                      "WHERE at >= '%s' AND at < '%s' GROUP BY kind;" % (since.isoformat(), (today + datetime.timedelta(days=1)).isoformat()))
for name, sql in RAW.items():
    out[name] = summary([timed(lambda: subprocess.run(["sqlite3", "-readonly", db, sql], check=True, capture_output=True)) for _ in range(n)])
out["ratio_forecast"] = round(out["forecast_rest_ms"]["p50"] / max(out["raw_forecast_ms"]["p50"], 0.1), 3)
out["ratio_progress"] = round(out["progress_rest_ms"]["p50"] / max(out["raw_progress_ms"]["p50"], 0.1), 3)
out["ratio_progress_91d"] = round(out["progress_91d_rest_ms"]["p50"] / max(out["raw_progress_91d_ms"]["p50"], 0.1), 3)
for key in long_ago:
    out["ratio_progress_%s" % key] = round(out["progress_%s_rest_ms" % key]["p50"] / max(out["raw_progress_%s_ms" % key]["p50"], 0.1), 3)
counts = subprocess.run(["sqlite3", "-readonly", db, "SELECT (SELECT COUNT(*) FROM deals), (SELECT COUNT(*) FROM deal_history);"],
                        check=True, capture_output=True, text=True).stdout.strip().split("|")
out["deals"], out["history_rows"] = int(counts[0]), int(counts[1])
print(json.dumps(out))
