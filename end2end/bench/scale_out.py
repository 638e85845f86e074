#!/usr/bin/env python3
"""One app server against two on one PostgreSQL: moves/s, board p95 and peak connections
(issue 18, item 6; a benchmark, not a test). Standard library only.

usage: bench/scale_out.py --server BIN --site DIR [--deals N] [--workers K] [--readers R] [--seconds D]

A throwaway PostgreSQL cluster (.ci/pg-start.sh) seeded with `server seed --deals N`. Phase 1:
server A alone; K move workers (bench/moves.py's REST side: stage 2 -> 1 with a reason and
back, as manager@) and R board readers (GET /api/v1/board as manager@, back to back) for D
seconds. Phase 2: server B started on the same database; the same load split evenly over A
and B. A sampler counts the database's connections (pg_stat_activity) every 0.2 s.
Prints one JSON line per phase and a summary line for docs/benchmarks.md.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
CI = os.path.join(HERE, "..", "..", ".ci")
sys.path.insert(0, HERE)
sys.path.insert(0, CI)
from moves import Client, pct, rest_side  # noqa: E402
from crash import Server  # noqa: E402


def peak_rss_kb(proc):
    try:
        with open("/proc/%d/status" % proc.pid) as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
    except (OSError, StopIteration):
        return None


def phase(bases, admin_url, db, args):
    c = Client(bases[0])
    st, out = c.call("POST", "/api/v1/auth/token", {"email": "manager@demo.local", "password": "dealgate"})
    assert st == 200, (st, out)
    token = out["token"]
    stop = threading.Event()
    lat, conns = [], []

    def reader(i):
        r = Client(bases[i % len(bases)], token)
        while not stop.is_set():
            t = time.perf_counter()
            st, _ = r.call("GET", "/api/v1/board")
            if st == 200:
                lat.append((time.perf_counter() - t) * 1000)

    def sampler():
        q = "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'" % db
        while not stop.is_set():
            p = subprocess.run(["psql", "-tAq", admin_url, "-c", q], capture_output=True, text=True)
            if p.returncode == 0 and p.stdout.strip().isdigit():
                conns.append(int(p.stdout.strip()))
            time.sleep(0.2)

    ts = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)] + [threading.Thread(target=sampler)]
    for t in ts:
        t.start()
    moves = rest_side(bases, "manager@demo.local", args.workers, args.per_worker, args.seconds)
    stop.set()
    for t in ts:
        t.join()
    return {
        "servers": len(bases),
        "moves_per_s": moves["rest_moves_per_s"],
        "move_p95_ms": moves["rest_p95_ms"],
        "move_errors": moves["errors"],
        "conflicts": moves["conflicts"],
        "board_reads": len(lat),
        "board_p50_ms": round(statistics.median(lat), 1) if lat else None,
        "board_p95_ms": round(pct(lat, 95), 1) if lat else None,
        "peak_connections": max(conns) if conns else None,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--deals", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--per-worker", type=int, default=20)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    args = ap.parse_args()
    binary, site = os.path.abspath(args.server), os.path.abspath(args.site)
    pgdir, workdir = tempfile.mkdtemp(prefix="dealgate-scale-pg."), tempfile.mkdtemp(prefix="dealgate-scale.")
    servers = []
    try:
        admin = subprocess.run([os.path.join(CI, "pg-start.sh"), pgdir], check=True, capture_output=True, text=True).stdout.strip()
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", "CREATE DATABASE scale"], check=True, capture_output=True)
        url = admin.rsplit("/", 1)[0] + "/scale"
        servers = [Server(binary, site, url, workdir), Server(binary, site, url, workdir)]
        t0 = time.time()
        servers[0].cli("seed", "--deals", str(args.deals), "--accounts", str(max(args.deals // 10, 100)))
        seeded = time.time() - t0
        servers[0].start()
        base = ["http://127.0.0.1:%d" % s.port for s in servers]
        one = phase(base[:1], admin, "scale", args)
        print(json.dumps(one), flush=True)
        servers[1].start()
        two = phase(base, admin, "scale", args)
        two["peak_rss_kb"] = [peak_rss_kb(s.proc) for s in servers]
        print(json.dumps(two), flush=True)
        cores = os.cpu_count()
        print("%d deals on PostgreSQL (seeded in %.0f s), %d move workers + %d board readers, %d s each, %d cores: "
              "1 server %.0f moves/s, board p95 %.0f ms, %d connections; 2 servers %.0f moves/s (%.2fx), board p95 %.0f ms, "
              "%d connections; errors %d/%d"
              % (args.deals, seeded, args.workers, args.readers, args.seconds, cores, one["moves_per_s"], one["board_p95_ms"],
                 one["peak_connections"] or 0, two["moves_per_s"], two["moves_per_s"] / max(one["moves_per_s"], 0.1),
                 two["board_p95_ms"], two["peak_connections"] or 0, one["move_errors"], two["move_errors"]), flush=True)
    finally:
        for s in servers:
            s.stop()
        subprocess.run([os.path.join(CI, "pg-stop.sh"), pgdir], capture_output=True)
        shutil.rmtree(pgdir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
