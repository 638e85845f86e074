#!/usr/bin/env python3
"""Sustained stage moves per second: REST over loopback vs raw SQLite writes (stdlib only).

usage:
  bench/moves.py --rest-only BASE_URL [opts]   REST side against a running server
  bench/moves.py --raw-only DBFILE [opts]      raw SQLite side; the server must be STOPPED
  bench/moves.py --server BIN --site DIR --db DBFILE [opts]
                                               both: starts BIN on a free loopback port, runs
                                               the REST side, stops it, runs the raw side
opts: --email E (manager@demo.local)  --workers K (8)  --per-worker M (20)  --seconds D (20)

REST side: K threads, each with its own keep-alive HTTP connection and M deals of its own
from stage 2 of the default pipeline, alternate POST /api/v1/deals/{id}/moves back to stage
1 (with a reason, always allowed) and forward to stage 2 (allowed: the deals are checked for
stage-2 key info first) for D seconds. Only outcome == "moved" counts; 409 conflicts and
anything else are counted apart.

Raw side: Python's sqlite3 on the same file with the server's settings (WAL,
synchronous=NORMAL, foreign_keys=ON), one BEGIN IMMEDIATE ... COMMIT per move, single
writer (the server also serialises its write transactions): "update+history" is the deal
UPDATE (version-guarded) plus the history INSERT; "with_totals" adds the two deal_totals
upserts the app makes. Each phase ends with every deal back in its starting stage (the
totals stay equal to the raw aggregate).

Prints one JSON line: rest_moves_per_s, rest_p50_ms, rest_p95_ms, conflicts, errors,
raw_update_history_per_s, raw_with_totals_per_s, ratio (REST / raw with totals), plus
context fields.
"""
import argparse, http.client, json, os, signal, socket, sqlite3, statistics, subprocess, sys, threading, time
import urllib.parse


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else None


# ---- REST ---------------------------------------------------------------------------------
class Client:
    def __init__(self, base, token=None):
        u = urllib.parse.urlsplit(base)
        self.host, self.port, self.token = u.hostname, u.port or 80, token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, method, path, data=None):
        body = None if data is None else json.dumps(data).encode()
        h = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                raw = r.read()
                break
            except (http.client.HTTPException, OSError):
                # A dropped keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        try:
            return r.status, json.loads(raw or b"null")
        except ValueError:
            return r.status, None


def ready(c, deal_id, need=("competitors", "motivation")):
    st, d = c.call("GET", "/api/v1/deals/%s" % deal_id)
    ki = (d or {}).get("key_info") or {}
    return st == 200 and all(ki.get(k) not in (None, "", []) for k in need)


def rest_side(base, email, workers, per_worker, seconds):
    """`base` may be a list of servers on one database: worker i talks to base[i % len]."""
    bases = base if isinstance(base, list) else [base]
    c = Client(bases[0])
    st, out = c.call("POST", "/api/v1/auth/token", {"email": email, "password": "dealgate"})
    assert st == 200, (st, out)
    c.token = out["token"]
    st, b = c.call("GET", "/api/v1/board")
    assert st == 200, (st, b)
    s1, s2 = b["columns"][0]["stage"]["id"], b["columns"][1]["stage"]["id"]
    want = workers * per_worker
    deals, cursor = [], None
    while len(deals) < want:
        q = "/api/v1/deals?stage_id=%s&limit=200" % s2 + ("&cursor=" + cursor if cursor else "")
        st, page = c.call("GET", q)
        assert st == 200, (st, page)
        deals += [d for d in page["deals"] if ready(c, d["id"])]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert len(deals) >= workers, "not enough stage-2 deals visible to %s" % email
    deals = deals[:want]
    shares = [deals[i::workers] for i in range(workers)]
    stop = threading.Event()
    go = threading.Barrier(workers + 1)
    results = [None] * workers

    def worker(i):
        w = Client(bases[i % len(bases)], c.token)
        mine = [{"card": d, "at": s2} for d in shares[i]]
        lat, counts, k = [], {"moved": 0, "conflict": 0, "other": 0}, 0
        go.wait()
        while not stop.is_set() and mine:
            m = mine[k % len(mine)]
            to, reason = (s1, "bench") if m["at"] == s2 else (s2, None)
            t = time.perf_counter()
            try:
                st, out = w.call("POST", "/api/v1/deals/%s/moves" % m["card"]["id"],
                                 {"to_stage_id": to, "version": m["card"]["version"], "reason": reason})
            except Exception:
                st, out = 0, None
            dt = (time.perf_counter() - t) * 1000
            if st == 200 and (out or {}).get("outcome") == "moved":
                lat.append(dt)
                counts["moved"] += 1
                m["card"], m["at"] = out["deal"], to
            elif st == 409:
                counts["conflict"] += 1
                st2, fresh = w.call("GET", "/api/v1/deals/%s" % m["card"]["id"])
                if st2 == 200:
                    m["card"], m["at"] = fresh, fresh["stage_id"]
            else:
                counts["other"] += 1
                mine.remove(m)  # refused: leave this deal alone
            k += 1
        # Put deals left in stage 1 back (not timed, not counted).
        for m in mine:
            if m["at"] == s1:
                w.call("POST", "/api/v1/deals/%s/moves" % m["card"]["id"], {"to_stage_id": s2, "version": m["card"]["version"], "reason": None})
        results[i] = (lat, counts)

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for t in ts:
        t.start()
    go.wait()
    t0 = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - t0
    for t in ts:
        t.join()
    lat = [x for r in results for x in r[0]]
    moved = sum(r[1]["moved"] for r in results)
    return {
        "rest_moves_per_s": round(moved / elapsed, 1),
        "rest_p50_ms": round(statistics.median(lat), 1) if lat else None,
        "rest_p95_ms": round(pct(lat, 95), 1) if lat else None,
        "conflicts": sum(r[1]["conflict"] for r in results),
        "errors": sum(r[1]["other"] for r in results),
        "rest_moved": moved,
        "rest_deals": len(deals),
        "workers": workers,
        "seconds": seconds,
    }


# ---- raw SQLite -----------------------------------------------------------------------------
def now_text():
    """RFC 3339 with nanoseconds and +00:00, like the rows the server writes."""
    ns = time.time_ns()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 1_000_000_000)) + ".%09d+00:00" % (ns % 1_000_000_000)


UPSERT = ("INSERT INTO deal_totals (pipeline_id, stage_id, team_id, owner_id, n, amount_fen) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT(pipeline_id, stage_id, team_id, owner_id) DO UPDATE SET "
          "n = deal_totals.n + excluded.n, amount_fen = deal_totals.amount_fen + excluded.amount_fen")


def raw_side(dbfile, email, n_deals, seconds):
    db = sqlite3.connect(dbfile, isolation_level=None, timeout=10)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    actor = db.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()[0]
    p = db.execute("SELECT id FROM pipelines WHERE is_default = 1").fetchone()[0]
    s1, s2 = [r[0] for r in db.execute("SELECT id FROM stages WHERE pipeline_id = ? ORDER BY position LIMIT 2", (p,))]
    rows = db.execute("SELECT id, version, pipeline_id, team_id, owner_id, amount_fen FROM deals WHERE stage_id = ? "
                      "ORDER BY id DESC LIMIT ?", (s2, n_deals)).fetchall()
    deals = [{"id": r[0], "version": r[1], "p": r[2], "team": r[3], "owner": r[4], "amt": r[5], "at": s2} for r in rows]

    def move(d, totals):
        to, note = (s1, "bench") if d["at"] == s2 else (s2, None)
        ts = now_text()
        db.execute("BEGIN IMMEDIATE")
        cur = db.execute("UPDATE deals SET stage_id = ?, stage_entered_at = ?, updated_at = ?, version = version + 1 "
                         "WHERE id = ? AND version = ?", (to, ts, ts, d["id"], d["version"]))
        if cur.rowcount != 1:
            db.execute("ROLLBACK")
            raise RuntimeError("version conflict on deal %d: is the server still running?" % d["id"])
        db.execute("INSERT INTO deal_history (deal_id, at, actor_id, kind, from_stage_id, to_stage_id, note) "
                   "VALUES (?, ?, ?, 'moved', ?, ?, ?)", (d["id"], ts, actor, d["at"], to, note))
        if totals:
            # Sorted by key like the app's bump(): (pipeline, stage, team, owner).
            for k in sorted([(d["p"], d["at"], d["team"], d["owner"], -1, -d["amt"]), (d["p"], to, d["team"], d["owner"], 1, d["amt"])]):
                db.execute(UPSERT, k)
        db.execute("COMMIT")
        d["version"] += 1
        d["at"] = to

    out = {}
    for key, totals in (("raw_update_history_per_s", False), ("raw_with_totals_per_s", True)):
        lat, k = [], 0
        t0 = time.perf_counter()
        end = t0 + seconds
        while True:
            t = time.perf_counter()
            if t >= end:
                break
            move(deals[k % len(deals)], totals)
            lat.append((time.perf_counter() - t) * 1000)
            k += 1
        elapsed = time.perf_counter() - t0
        for d in deals:  # back where they started (not timed)
            if d["at"] != s2:
                move(d, totals)
        out[key] = round(k / elapsed, 1)
        out[key.replace("_per_s", "_p95_ms")] = round(pct(lat, 95), 2)
    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    db.close()
    return out


# ---- driver -------------------------------------------------------------------------------------
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def healthy(base):
    try:
        c = http.client.HTTPConnection(urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port, timeout=2)
        c.request("GET", "/healthz")
        return c.getresponse().status == 200
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rest-only", metavar="BASE_URL")
    ap.add_argument("--raw-only", metavar="DBFILE")
    ap.add_argument("--server", metavar="BIN")
    ap.add_argument("--site", metavar="DIR")
    ap.add_argument("--db", metavar="DBFILE")
    ap.add_argument("--email", default="manager@demo.local")
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--per-worker", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=20)
    a = ap.parse_args()
    out = {}
    if a.rest_only:
        out.update(rest_side(a.rest_only.rstrip("/"), a.email, a.workers, a.per_worker, a.seconds))
    elif a.raw_only:
        out.update(raw_side(a.raw_only, a.email, a.workers * a.per_worker, a.seconds))
    elif a.server and a.db:
        port = free_port()
        base = "http://127.0.0.1:%d" % port
        env = dict(os.environ, DATABASE_URL="sqlite://%s?mode=rwc" % a.db, LEPTOS_SITE_ADDR="127.0.0.1:%d" % port,
                   LEPTOS_SITE_ROOT=a.site or "target/site", LEPTOS_ENV="PROD", DEALGATE_LOG="warn")
        srv = subprocess.Popen([a.server], env=env, stdout=sys.stderr)  # keep stdout to the one JSON line
        try:
            for _ in range(3000):
                if healthy(base):
                    break
                if srv.poll() is not None:
                    sys.exit("server exited with %s" % srv.returncode)
                time.sleep(0.2)
            out.update(rest_side(base, a.email, a.workers, a.per_worker, a.seconds))
            with open("/proc/%d/status" % srv.pid) as f:
                out["server_peak_rss_kb"] = int(next(l for l in f if l.startswith("VmHWM")).split()[1])
        finally:
            srv.send_signal(signal.SIGTERM)
            try:
                srv.wait(30)
            except subprocess.TimeoutExpired:
                srv.kill()
                srv.wait()
        out.update(raw_side(a.db, a.email, a.workers * a.per_worker, a.seconds))
    else:
        ap.error("give --rest-only URL, --raw-only DBFILE, or --server BIN --db DBFILE")
    if "rest_moves_per_s" in out and "raw_with_totals_per_s" in out:
        out["ratio"] = round(out["rest_moves_per_s"] / out["raw_with_totals_per_s"], 3)
        out["ratio_vs_update_history"] = round(out["rest_moves_per_s"] / out["raw_update_history_per_s"], 3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
