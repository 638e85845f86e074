#!/usr/bin/env python3
"""Importing an accounts workbook against a running Dealgate server (stdlib only).

usage: bench/import.py BASE_URL FILE [EMAIL]
Uploads FILE (made by `server sample-import`) as the demo rep, checks it (dry run: every row
read, parsed and planned, nothing written), imports the good rows, polls the job until done,
and prints one line with the rows and the rows per second of the check and of the import.
"""
import json, sys, time, urllib.parse, urllib.request

base, path = sys.argv[1], sys.argv[2]
email = sys.argv[3] if len(sys.argv) > 3 else "rep@demo.local"

def call(method, url, body=None, tok=None, raw=None, ctype="application/json"):
    headers = {"Content-Type": ctype, "Accept": "application/json"}
    if tok:
        headers["Authorization"] = "Bearer " + tok
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(base + url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=3600) as r:
        return json.loads(r.read() or b"null")

tok = call("POST", "/api/v1/auth/token", {"email": email, "password": "dealgate"})["token"]
with open(path, "rb") as f:
    data = f.read()
name = urllib.parse.quote(path.rsplit("/", 1)[-1])
t = time.perf_counter()
job = call("POST", f"/api/v1/imports?kind=accounts&file_name={name}", tok=tok, raw=data, ctype="application/octet-stream")
upload_s = time.perf_counter() - t
t = time.perf_counter()
job = call("POST", f"/api/v1/imports/{job['id']}/check", {}, tok)
check_s = time.perf_counter() - t
rows = job["total_rows"]
t = time.perf_counter()
call("POST", f"/api/v1/imports/{job['id']}/start", {"mode": "good_rows"}, tok)
while True:
    job = call("GET", f"/api/v1/imports/{job['id']}", tok=tok)
    if job["status"] != "running":
        break
    time.sleep(0.2)
import_s = time.perf_counter() - t
assert job["status"] == "done", job
print(f"{rows} rows, {len(data) // 1024} KB XLSX | upload {upload_s:.1f} s | check {check_s:.1f} s = {rows / check_s:,.0f} rows/s "
      f"| import {import_s:.1f} s = {job['imported'] / import_s:,.0f} rows/s ({job['imported']} in, {job['rejected']} refused)")
