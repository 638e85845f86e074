#!/usr/bin/env python3
"""Two app servers on one PostgreSQL (issue 18, item 6), driven by Playwright.

usage: .ci/two_servers.py SERVER_BIN [--site DIR]

A throwaway PostgreSQL cluster (.ci/pg-start.sh), `server seed --demo` into it, then the
release server twice on two free loopback ports, both on that database. Playwright runs
end2end/two/ with E2E_URL_A and E2E_URL_B: a browser on each server, a move on A arriving
live on B (LISTEN/NOTIFY between the processes), an approval decided on B unblocking A,
one session valid on both. Exits with Playwright's status; server logs are kept on failure.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from crash import Server  # noqa: E402  (same directory; the one way this repo starts a server)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("server")
    ap.add_argument("--site")
    args = ap.parse_args()
    binary = os.path.abspath(args.server)
    site = os.path.abspath(args.site or os.path.join(os.path.dirname(binary), "..", "site"))
    workdir = tempfile.mkdtemp(prefix="dealgate-two.")
    pgdir = tempfile.mkdtemp(prefix="dealgate-two-pg.")
    servers, status = [], 1
    try:
        admin = subprocess.run([os.path.join(HERE, "pg-start.sh"), pgdir], check=True, capture_output=True, text=True).stdout.strip()
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", "CREATE DATABASE two"], check=True, capture_output=True)
        url = admin.rsplit("/", 1)[0] + "/two"
        servers = [Server(binary, site, url, workdir), Server(binary, site, url, workdir)]
        servers[0].cli("seed", "--demo")
        for s in servers:
            s.start()
        env = dict(os.environ, E2E_URL_A="http://127.0.0.1:%d" % servers[0].port, E2E_URL_B="http://127.0.0.1:%d" % servers[1].port)
        print("two servers on one PostgreSQL: A :%d, B :%d" % (servers[0].port, servers[1].port), flush=True)
        status = subprocess.run(["npx", "playwright", "test", "-c", "two.config.ts"], cwd=os.path.join(HERE, "..", "end2end"), env=env).returncode
    finally:
        for s in servers:
            s.stop()
        subprocess.run([os.path.join(HERE, "pg-stop.sh"), pgdir], capture_output=True)
        shutil.rmtree(pgdir, ignore_errors=True)
        if status == 0:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print("server logs kept in " + workdir, flush=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
