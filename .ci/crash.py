#!/usr/bin/env python3
"""Crash safety, concurrency and a backup drill against the real server binary (issue 18,
items 3, 4 and 7). Python 3.11 standard library only; a fixed random seed; no retries.

usage: .ci/crash.py SERVER_BIN [--site DIR] [--db sqlite|postgresql|both] [--kills N] [--seed S]

Per database (SQLite: a temporary file; PostgreSQL: a throwaway cluster from .ci/pg-start.sh):
  1. `server seed --demo`, then the server on a free loopback port; bearer tokens over REST.
  2. Crash: 4 writer threads, each on deals of its own, make stage moves, amount edits,
     comments and quotes, each carrying a unique marker. The server is SIGKILLed at random
     moments N times; each time, with it down, `server verify` (summaries = their rebuild,
     SQLite integrity_check) must pass, and the server is restarted. Afterwards every write
     that was acknowledged (2xx) must be found over REST.
  3. Concurrency: 64 clients read, move and edit the same 4 deals at once. No 5xx; every 409
     names what changed; every deal's final state equals its last history row; every
     acknowledged write is one history row (no lost update, none counted twice); verify.
  4. Backup drill: `server backup FILE` while the writers run; restored into a fresh database
     (SQLite: the file; PostgreSQL: pg_restore of pg_dump's custom format into a new database),
     the copy must pass verify and hold every write acknowledged before the backup began.
Exits 1 naming what was lost or differed.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "dealgate"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Down(Exception):
    """The server did not answer (killed, or not yet back)."""


class Client:
    """One keep-alive connection; a request that gets no answer raises Down (never retried:
    the write may or may not have happened, and only answered writes are checked)."""

    def __init__(self, port, token=None):
        self.port, self.token, self.conn = port, token, None

    def call(self, method, path, data=None):
        body = None if data is None else json.dumps(data).encode()
        h = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            raw = r.read()
        except (http.client.HTTPException, OSError) as e:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            raise Down(str(e)) from e
        try:
            return r.status, json.loads(raw or b"null")
        except ValueError:
            return r.status, raw.decode(errors="replace")


class Server:
    def __init__(self, binary, site, url, workdir):
        self.binary, self.site, self.url, self.workdir = binary, site, url, workdir
        self.port, self.proc = free_port(), None

    def env(self, url=None):
        e = dict(os.environ)
        e.update(DATABASE_URL=url or self.url, DEALGATE_DATA_DIR=self.workdir, DEALGATE_LOG="warn",
                 LEPTOS_SITE_ADDR="127.0.0.1:%d" % self.port, LEPTOS_SITE_ROOT=self.site, LEPTOS_ENV="PROD")
        return e

    def cli(self, *args, url=None, check=True):
        p = subprocess.run([self.binary, *args], env=self.env(url), capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError("server %s failed (%d): %s%s" % (" ".join(args), p.returncode, p.stdout[-3000:], p.stderr[-3000:]))
        return p

    def start(self):
        log = open(os.path.join(self.workdir, "server-%d.log" % self.port), "ab")
        self.proc = subprocess.Popen([self.binary], env=self.env(), stdout=log, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server exited with %s; see %s" % (self.proc.returncode, log.name))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the server did not answer /healthz within 60 s")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def verify(self, url=None):
        """`server verify`: (passed, its summary line); a failure prints its differences."""
        p = self.cli("verify", url=url, check=False)
        line = (p.stdout.strip().splitlines() or ["(no output)"])[-1]
        if p.returncode != 0:
            print(p.stdout[-4000:] + p.stderr[-2000:], flush=True)
        return p.returncode == 0, line


def token(port, email):
    st, out = Client(port).call("POST", "/api/v1/auth/token", {"email": email, "password": PASSWORD})
    if st != 200:
        raise RuntimeError("token for %s: %s %s" % (email, st, out))
    return out["token"]


def history(c, deal):
    """The deal's whole history, newest first, page by page."""
    rows, before = [], None
    while True:
        st, page = c.call("GET", "/api/v1/deals/%s/history?limit=500" % deal + ("&before=%d" % before if before else ""))
        if st != 200:
            raise RuntimeError("history of %s: %s %s" % (deal, st, page))
        rows += page["history"]
        before = page["older"]
        if before is None:
            return rows


def comment_bodies(c, deal):
    bodies, before = set(), None
    while True:
        st, page = c.call("GET", "/api/v1/deals/%s/comments?limit=200" % deal + ("&before=%s" % before if before else ""))
        if st != 200:
            raise RuntimeError("comments of %s: %s %s" % (deal, st, page))
        bodies |= {x["body"] for x in page["comments"]}
        before = page.get("older")
        if not before:
            return bodies


def prepare_deals(port, tokens, want):
    """Deals the managers may move back and forth between the default pipeline's first two
    stages: those already in stage 2, and stage-1 deals the gate lets forward."""
    out = []
    for email, tok in tokens.items():
        c = Client(port, tok)
        st, b = c.call("GET", "/api/v1/board")
        s1, s2 = b["columns"][0]["stage"]["id"], b["columns"][1]["stage"]["id"]
        for stage in (s2, s1):
            st, page = c.call("GET", "/api/v1/deals?stage_id=%s&limit=200" % stage)
            for d in page["deals"]:
                if any(o["id"] == d["id"] for o in out):
                    continue
                if stage == s1:
                    st, m = c.call("POST", "/api/v1/deals/%s/moves" % d["id"], {"to_stage_id": s2, "version": d["version"], "reason": "crash setup"})
                    if st != 200:
                        continue
                    d = m["deal"]
                out.append({"id": d["id"], "email": email, "s1": s1, "s2": s2, "stage": d["stage_id"], "version": d["version"], "amount": d["amount_minor"]})
                if len(out) >= want:
                    return out
    raise RuntimeError("only %d movable deals, %d wanted" % (len(out), want))


class Writers:
    """Writer threads on deals of their own. Each acknowledged write is recorded with its
    marker; an unanswered one is not (it may or may not have happened). While the server is
    down they wait for `up`, then re-read their deal and go on."""

    def __init__(self, port, tokens, deals, n, rng):
        self.port, self.tokens, self.n = port, tokens, n
        self.shares = [deals[i::n] for i in range(n)]
        # Kept across start/stop, so markers stay unique when the writers run again.
        self.rngs = [random.Random(rng.randrange(1 << 30)) for _ in range(n)]
        self.counters = [0] * n
        self.acked = [[] for _ in range(n)]
        self.errors = []
        self.up, self.stop_ev = threading.Event(), threading.Event()
        self.up.set()
        self.threads = []
        self.lock = threading.Lock()

    def start(self):
        self.stop_ev.clear()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(self.n)]
        for t in self.threads:
            t.start()

    def stop(self):
        self.stop_ev.set()
        for t in self.threads:
            t.join()

    def count(self):
        with self.lock:
            return sum(len(a) for a in self.acked)

    def snapshot(self):
        with self.lock:
            return [list(a) for a in self.acked]

    def run(self, i):
        rng = self.rngs[i]
        clients = {e: Client(self.port, t) for e, t in self.tokens.items()}
        while not self.stop_ev.is_set():
            if not self.up.wait(timeout=0.2):
                continue
            d = rng.choice(self.shares[i])
            c = clients[d["email"]]
            self.counters[i] += 1
            k = self.counters[i]
            marker = "crash-w%d-%d" % (i, k)
            op = rng.choice(["move", "move", "amount", "comment", "quote"])
            rec = None
            try:
                if d.get("stale"):
                    st, fresh = c.call("GET", "/api/v1/deals/%s" % d["id"])
                    if st != 200:
                        self.errors.append("re-read %s: %s %s" % (d["id"], st, fresh))
                        continue
                    d.update(stage=fresh["stage_id"], version=fresh["version"], amount=fresh["amount_minor"], stale=False)
                if op == "move":
                    to = d["s1"] if d["stage"] == d["s2"] else d["s2"]
                    st, out = c.call("POST", "/api/v1/deals/%s/moves" % d["id"], {"to_stage_id": to, "version": d["version"], "reason": marker})
                    if st == 200:
                        d.update(stage=to, version=out["deal"]["version"])
                        rec = ("move", d["id"], marker, d["email"])
                elif op == "amount":
                    amount = 1_000_000 + i * 10_000_000 + k
                    st, out = c.call("PATCH", "/api/v1/deals/%s" % d["id"], {"version": d["version"], "amount_minor": amount})
                    if st == 200:
                        d.update(version=out["version"], amount=amount)
                        rec = ("amount", d["id"], amount, d["email"])
                elif op == "comment":
                    st, out = c.call("POST", "/api/v1/deals/%s/comments" % d["id"], {"body": marker})
                    rec = ("comment", d["id"], marker, d["email"]) if st == 201 else None
                else:
                    line = {"description": marker, "unit": "lot", "quantity": "1", "unit_price_minor": 100_000}
                    st, out = c.call("POST", "/api/v1/deals/%s/quotes" % d["id"], {"notes": marker, "lines": [line]})
                    rec = ("quote", d["id"], out["id"], d["email"]) if st == 201 else None
            except Down:
                d["stale"] = True
                continue
            if rec is not None and 200 <= st < 300:
                with self.lock:
                    self.acked[i].append(rec)
            else:
                # Only one writer per deal: any refusal is a fault of the server or of this script.
                self.errors.append("%s on %s answered %s: %s" % (op, d["id"], st, str(out)[:300]))
                d["stale"] = True


def find_missing(port, tokens, acked):
    """Every acknowledged write, looked up over REST; returns the ones not found."""
    by_deal = {}
    for rec in acked:
        by_deal.setdefault((rec[1], rec[3]), []).append(rec)
    missing = []
    for (deal, email), recs in sorted(by_deal.items()):
        c = Client(port, tokens[email])
        h = history(c, deal)
        notes = {r["note"] for r in h if r["kind"] == "moved"}
        amounts = {r["new_amount_minor"] for r in h if r["kind"] == "amount_changed"}
        bodies = comment_bodies(c, deal) if any(r[0] == "comment" for r in recs) else set()
        quotes = set()
        if any(r[0] == "quote" for r in recs):
            st, qs = c.call("GET", "/api/v1/deals/%s/quotes" % deal)
            quotes = {q["id"] for q in qs}
        for kind, _, what, _ in recs:
            found = {"move": notes, "amount": amounts, "comment": bodies, "quote": quotes}[kind]
            if what not in found:
                missing.append("%s %s on deal %s" % (kind, what, deal))
    return missing


def crash_phase(srv, tokens, writers, kills, rng):
    writers.start()
    verified = []
    for k in range(kills):
        time.sleep(rng.uniform(0.25, 0.9))
        writers.up.clear()
        srv.kill()
        ok, line = srv.verify()
        verified.append(ok)
        if not ok:
            fail("after kill %d: %s" % (k + 1, line))
        srv.start()
        writers.up.set()
    time.sleep(0.3)
    writers.stop()
    acked = [r for a in writers.snapshot() for r in a]
    missing = find_missing(srv.port, tokens, acked)
    for m in missing:
        fail("acknowledged but lost: " + m)
    for e in writers.errors:
        fail("writer: " + e)
    kinds = {}
    for r in acked:
        kinds[r[0]] = kinds.get(r[0], 0) + 1
    return {"kills": kills, "acked": len(acked), "by_kind": kinds, "missing": len(missing),
            "verify_ok": sum(verified), "writer_errors": len(writers.errors)}


def state_of_history(h):
    """The stage and amount a deal's history (newest first) says it has now."""
    stage = next((r["to_stage_id"] for r in h if r["kind"] == "moved"), None)
    amount = next((r["new_amount_minor"] for r in h if r["kind"] == "amount_changed"), None)
    return stage, amount


def concurrency_phase(srv, tokens, hot, clients_n, ops, rng):
    """`clients_n` clients, each `ops` times: read one of the hot deals, then move it to the
    other stage or set a new amount with the version read."""
    before = {}
    for d in hot:
        c = Client(srv.port, tokens[d["email"]])
        before[d["id"]] = len(history(c, d["id"]))
    seeds = [rng.randrange(1 << 30) for _ in range(clients_n)]
    acked = {d["id"]: [] for d in hot}
    stats = {"2xx": 0, "409": 0, "5xx": 0, "other": 0, "409_unexplained": 0, "down": 0}
    samples = []
    lock = threading.Lock()
    go = threading.Barrier(clients_n)

    def client(i):
        r = random.Random(seeds[i])
        conns = {e: Client(srv.port, t) for e, t in tokens.items()}
        go.wait()
        for k in range(ops):
            d = r.choice(hot)
            c = conns[d["email"]]
            try:
                st, cur = c.call("GET", "/api/v1/deals/%s" % d["id"])
                if st != 200:
                    with lock:
                        stats["5xx" if st >= 500 else "other"] += 1
                    continue
                if r.random() < 0.5:
                    to = d["s1"] if cur["stage_id"] == d["s2"] else d["s2"]
                    marker = "hot-c%d-%d" % (i, k)
                    st, out = c.call("POST", "/api/v1/deals/%s/moves" % d["id"], {"to_stage_id": to, "version": cur["version"], "reason": marker})
                    what = ("move", marker)
                else:
                    amount = 5_000_000 + i * 1000 + k
                    st, out = c.call("PATCH", "/api/v1/deals/%s" % d["id"], {"version": cur["version"], "amount_minor": amount})
                    what = ("amount", amount)
            except Down as e:
                with lock:
                    stats["down"] += 1
                    samples.append("no answer: %s" % e)
                continue
            with lock:
                if 200 <= st < 300:
                    stats["2xx"] += 1
                    acked[d["id"]].append(what)
                elif st == 409:
                    stats["409"] += 1
                    detail = out.get("detail", "") if isinstance(out, dict) else ""
                    # The answer must say what changed: the version the deal is at now.
                    if "version" not in detail:
                        stats["409_unexplained"] += 1
                    if len(samples) < 1:
                        samples.append("409: " + detail)
                elif st >= 500:
                    stats["5xx"] += 1
                    samples.append("%s: %s" % (st, str(out)[:300]))
                else:
                    stats["other"] += 1
                    samples.append("%s: %s" % (st, str(out)[:300]))

    t0 = time.time()
    ts = [threading.Thread(target=client, args=(i,)) for i in range(clients_n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.time() - t0
    lost = 0
    for d in hot:
        c = Client(srv.port, tokens[d["email"]])
        h = history(c, d["id"])
        new = h[: len(h) - before[d["id"]]]
        mine = acked[d["id"]]
        notes = [r["note"] for r in new if r["kind"] == "moved"]
        amounts = [r["new_amount_minor"] for r in new if r["kind"] == "amount_changed"]
        got = sorted([("move", n) for n in notes] + [("amount", a) for a in amounts], key=str)
        if got != sorted(mine, key=str):
            lost += 1
            fail("deal %s: %d acknowledged writes, %d new history rows; acknowledged but absent %s; present but not acknowledged %s"
                 % (d["id"], len(mine), len(new), sorted(set(map(str, mine)) - set(map(str, got)))[:5],
                    sorted(set(map(str, got)) - set(map(str, mine)))[:5]))
        st, cur = c.call("GET", "/api/v1/deals/%s" % d["id"])
        stage, amount = state_of_history(h)
        if (stage is not None and cur["stage_id"] != stage) or (amount is not None and cur["amount_minor"] != amount):
            lost += 1
            fail("deal %s is at stage %s amount %s, its last history rows say %s, %s" % (d["id"], cur["stage_id"], cur["amount_minor"], stage, amount))
    if stats["5xx"] or stats["other"] or stats["down"]:
        fail("concurrency: %s; e.g. %s" % (stats, samples[:3]))
    if stats["409_unexplained"]:
        fail("concurrency: %d conflicts did not say what changed; e.g. %s" % (stats["409_unexplained"], samples[:1]))
    ok, line = srv.verify()
    if not ok:
        fail("after the concurrent writers: " + line)
    return {"clients": clients_n, "requests": clients_n * ops, "seconds": round(elapsed, 1), "lost": lost, "verify": line,
            "sample_409": samples[0] if samples else None, **stats}


def backup_phase(srv, tokens, writers, pg_admin, workdir):
    """`server backup` while the writers run; the restored copy must verify and hold every
    write acknowledged before the backup began."""
    writers.start()
    time.sleep(1.0)
    before = [r for a in writers.snapshot() for r in a]
    target = os.path.join(workdir, "backup.%s" % ("dump" if pg_admin else "db"))
    t0 = time.time()
    srv.cli("backup", target)
    took = time.time() - t0
    time.sleep(0.5)
    writers.stop()
    during = writers.count() - len(before)
    if pg_admin:
        base = pg_admin.rsplit("/", 1)[0]
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", pg_admin, "-c", "CREATE DATABASE restored"], check=True, capture_output=True)
        url = base + "/restored"
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", url, target], check=True, capture_output=True)
    else:
        restored = os.path.join(workdir, "restored.db")
        shutil.copyfile(target, restored)
        url = "sqlite://%s?mode=rw" % restored
    copy = Server(srv.binary, srv.site, url, workdir)
    ok, line = copy.verify()
    if not ok:
        fail("the restored copy: " + line)
    copy.start()
    try:
        missing = find_missing(copy.port, tokens, before)
    finally:
        copy.stop()
    for m in missing:
        fail("acknowledged before the backup, absent from it: " + m)
    return {"backup_seconds": round(took, 2), "acked_before": len(before), "acked_during": during, "missing": len(missing), "verify": line}


def run_db(kind, args, rng):
    workdir = tempfile.mkdtemp(prefix="dealgate-crash-%s." % kind)
    pgdir, pg_admin = None, None
    t0 = time.time()
    try:
        if kind == "postgresql":
            pgdir = tempfile.mkdtemp(prefix="dealgate-crash-pg.")
            pg_admin = subprocess.run([os.path.join(HERE, "pg-start.sh"), pgdir], check=True, capture_output=True, text=True).stdout.strip()
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", pg_admin, "-c", "CREATE DATABASE crash"], check=True, capture_output=True)
            url = pg_admin.rsplit("/", 1)[0] + "/crash"
        else:
            url = "sqlite://%s/crash.db?mode=rwc" % workdir
        srv = Server(args.server, args.site, url, workdir)
        srv.cli("seed", "--demo")
        srv.start()
        tokens = {e: token(srv.port, e) for e in ("manager@demo.local", "manager2@demo.local")}
        deals = prepare_deals(srv.port, tokens, 12)
        hot, owned = deals[:4], deals[4:]
        writers = Writers(srv.port, tokens, owned, 4, rng)
        crash = crash_phase(srv, tokens, writers, args.kills, rng)
        print("[%s] crash: %s" % (kind, json.dumps(crash, ensure_ascii=False)), flush=True)
        conc = concurrency_phase(srv, tokens, hot, 64, 16, rng)
        print("[%s] concurrency: %s" % (kind, json.dumps(conc, ensure_ascii=False)), flush=True)
        back = backup_phase(srv, tokens, writers, pg_admin, workdir)
        print("[%s] backup: %s" % (kind, json.dumps(back, ensure_ascii=False)), flush=True)
        srv.stop()
        print("[%s] %d kills, %d acknowledged writes checked, %d missing; summaries equal their rebuild after %d/%d kills; "
              "64 clients: %d requests, %d conflicts (409, each naming the version), %d 5xx, %d lost updates; backup under load: "
              "%d writes acknowledged before it, %d missing from the restored copy; %.0f s"
              % (kind, crash["kills"], crash["acked"], crash["missing"], crash["verify_ok"], crash["kills"], conc["requests"], conc["409"],
                 conc["5xx"], conc["lost"], back["acked_before"], back["missing"], time.time() - t0), flush=True)
    finally:
        if "srv" in locals() and srv.proc and srv.proc.poll() is None:
            srv.kill()
        if pgdir:
            subprocess.run([os.path.join(HERE, "pg-stop.sh"), pgdir], capture_output=True)
        if not failures:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print("server logs kept in " + workdir, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("server")
    ap.add_argument("--site", help="LEPTOS_SITE_ROOT (default: target/site beside the binary's profile dir)")
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args()
    args.server = os.path.abspath(args.server)
    args.site = os.path.abspath(args.site or os.path.join(os.path.dirname(args.server), "..", "site"))
    rng = random.Random(args.seed)
    t0 = time.time()
    for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        run_db(kind, args, rng)
    print("crash drill: %.0f s, %d failures" % (time.time() - t0, len(failures)), flush=True)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures[:50]), flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
