#!/usr/bin/env python3
"""schemathesis against the real server: a free port, a fresh SQLite file with the demo data,
one bearer token per demo user, one bounded run per user with a fixed seed.

Fails on any 5xx, any answer the OpenAPI document does not describe (status code, content
type, headers, body), and any run that overruns its time. Prints one line per user and the
total; the ndjson reports stay in the report directory for a failure's details.

usage: fuzz.py --server BIN --site DIR --schemathesis BIN [--users a,b] [--examples N]
               [--seed N] [--budget SECONDS] [--report-dir DIR]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# What the document promises about every answer; `all` would add checks about what the server
# should accept or refuse that the document does not state (and the authorization walk of
# server/src/rest_tests/authz.rs already covers).
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
CONFORMANCE = set(CHECKS.split(",")) - {"not_a_server_error"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_json(url, body):
    req = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def tail(path, n=5000):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()[-n:]


def figure(ndjson):
    """(operations, requests, 5xx answers, conformance failures) of one run's report."""
    ops, requests, server_errors, mismatches = 0, 0, 0, 0
    with open(ndjson, encoding="utf-8") as f:
        for line in f:
            event = json.loads(line)
            if "LoadingFinished" in event:
                ops = event["LoadingFinished"]["statistic"]["operations"]["selected"]
            rec = event.get("ScenarioFinished", {}).get("recorder", {})
            for i in rec.get("interactions", {}).values():
                requests += 1
                if (i.get("response") or {}).get("status_code", 0) >= 500:
                    server_errors += 1
            for checks in rec.get("checks", {}).values():
                # "error": the document's schema itself could not be used to validate.
                mismatches += sum(1 for c in checks if c["name"] in CONFORMANCE and c["status"] != "success")
    return ops, requests, server_errors, mismatches


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--schemathesis", required=True)
    ap.add_argument("--users", default="rep@demo.local,manager@demo.local,admin@demo.local")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--budget", type=float, default=120, help="seconds for all runs together")
    ap.add_argument("--report-dir", default="target/fuzz-report")
    a = ap.parse_args()
    a.server, a.site, a.schemathesis = (os.path.abspath(p) for p in (a.server, a.site, a.schemathesis))

    tmp = tempfile.mkdtemp(prefix="dealgate-fuzz.")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=f"sqlite://{tmp}/fuzz.db?mode=rwc", DEALGATE_LOG="warn")
    server = None
    log = open(os.path.join(tmp, "server.log"), "w", encoding="utf-8")
    try:
        subprocess.run([a.server, "seed", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        env.update(LEPTOS_SITE_ADDR=f"127.0.0.1:{port}", LEPTOS_SITE_ROOT=a.site, LEPTOS_ENV="PROD")
        server = subprocess.Popen([a.server], env=env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        else:
            raise SystemExit("fuzz: the server did not answer /healthz in 60 s")
        if server.poll() is not None:
            raise SystemExit("fuzz: the server stopped")

        # Every token first: a run's wrong passwords slow further sign-ins from this address down.
        users = a.users.split(",")
        tokens = {u: post_json(base + "/api/v1/auth/token", {"email": u, "password": "dealgate"})["token"] for u in users}

        report_dir = os.path.abspath(a.report_dir)
        shutil.rmtree(report_dir, ignore_errors=True)
        os.makedirs(report_dir)
        deadline = time.monotonic() + a.budget
        total, failed = [0, 0, 0, 0], False
        for u in users:
            out = os.path.join(report_dir, u.split("@")[0])
            started = time.monotonic()
            cmd = [
                a.schemathesis, "run", base + "/api/v1/openapi.json",
                "--header", f"Authorization: Bearer {tokens[u]}",
                "--checks", CHECKS,
                "--max-examples", str(a.examples),
                "--seed", str(a.seed),
                # One worker and no example database: the same requests on every machine.
                "--workers", "1",
                "--generation-database", "none",
                "--request-timeout", "10",
                "--no-color",
                "--report", "ndjson",
                "--report-dir", out,
            ]
            with open(out + ".txt", "w", encoding="utf-8") as text:
                try:
                    # In the scratch directory: schemathesis keeps a cache of past crashes in its
                    # working directory, and replaying them would make runs differ.
                    rc = subprocess.run(
                        cmd, cwd=tmp, stdout=text, stderr=subprocess.STDOUT, timeout=max(1, deadline - time.monotonic())
                    ).returncode
                except subprocess.TimeoutExpired:
                    print(f"fuzz: {u}: over the {a.budget:.0f} s budget; see {out}.txt")
                    return 1
            reports = [os.path.join(out, f) for f in os.listdir(out) if f.endswith(".ndjson")]
            fig = figure(reports[0]) if reports else (0, 0, 0, 0)
            total = [t + f for t, f in zip(total, fig)]
            ops, reqs, errs, bad = fig
            print(f"schemathesis as {u}: {ops} operations, {reqs:,} requests, {errs} server errors, "
                  f"{bad} schema mismatches ({time.monotonic() - started:.0f} s)")
            if rc != 0 or errs or bad or not reqs:
                failed = True
                with open(out + ".txt", encoding="utf-8") as text:
                    sys.stdout.write(text.read()[-20000:])
                sys.stdout.write("server log (end):\n" + tail(log.name))
        print(f"schemathesis total: {total[1]:,} requests, {total[2]} server errors, {total[3]} schema mismatches")
        return 1 if failed else 0
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        if server is not None and server.returncode not in (0, -signal.SIGTERM, None):
            sys.stdout.write("server log (end):\n" + tail(log.name))
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
