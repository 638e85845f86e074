# Dealgate: two commands. `make run` sets up what is missing and serves the demo;
# `make test` sets up what is missing and runs every check CI runs.
# Toolchain facts measured on our 2-core machines live here, not in anyone's memory.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# cargo-leptos 0.3.11 needs rustc 1.96+; ours is 1.95.
CARGO_LEPTOS_VERSION := 0.3.10
# Must equal the `wasm-bindgen = "=…"` pin in Cargo.toml (checked below).
WASM_BINDGEN_VERSION := 0.2.130
# Debian packages the tests need: the browser, CJK glyphs for Chinese screenshots,
# PostgreSQL for the throwaway test cluster, and poppler-utils to turn printed quotes
# (PDF) into PNGs and count their pages.
DEBIAN_PACKAGES := chromium fonts-noto-cjk postgresql poppler-utils

# cargo-leptos downloads tools from GitHub when they are not on PATH, which fails here:
# wasm-bindgen comes from cargo install, wasm-opt from npm `binaryen` (132; Debian's 108
# builds a WASM whose hydration dies in the browser).
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CARGO_TERM_QUIET := true
# Incremental caches double a target dir's size and a clean CI build never reuses them.
export CARGO_INCREMENTAL := 0

LEPTOS_SITE_ADDR ?= 127.0.0.1:3000
DEALGATE_DATA_DIR ?= $(CURDIR)/data
RUST_FEATURES := --workspace --exclude frontend --features app/ssr
NPM_STAMP := end2end/node_modules/.installed
# Build tools are installed with a quick release profile: cargo-leptos ships with fat LTO
# and one codegen unit, which took ~21 min on 2 cores; these overrides cut that to a few.
QUICK_INSTALL := env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=64 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
	CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=true

.PHONY: help run test setup tools npm debian fmt-check lint unit test-sqlite test-pg prune-if-tight release fuzz e2e e2e-two crash clean bench bench-data bench-forecast bench-quote bench-import bench-first-load bench-scale-out

help:
	@echo "make run   - set up, build and serve http://$(LEPTOS_SITE_ADDR) on SQLite with demo data"
	@echo "make test  - set up, then fmt, clippy, tests on SQLite and PostgreSQL, release build, API fuzzing, Playwright"

## ---- the two commands -------------------------------------------------------------

run: tools npm release
	@mkdir -p "$(DEALGATE_DATA_DIR)"
	DEALGATE_DATA_DIR="$(DEALGATE_DATA_DIR)" target/release/server seed --demo --if-empty
	DEALGATE_DATA_DIR="$(DEALGATE_DATA_DIR)" LEPTOS_SITE_ADDR=$(LEPTOS_SITE_ADDR) LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
		target/release/server

test: setup fmt-check lint test-sqlite test-pg prune-if-tight release fuzz e2e e2e-two crash
	@echo "all checks passed; disk: target $$(du -sh target | cut -f1), $$(df -h --output=avail . | tail -1 | tr -d ' ') free"

## ---- set-up (idempotent, quiet when already done) ----------------------------------

setup: tools npm debian

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@grep -q '^wasm-bindgen = "=$(WASM_BINDGEN_VERSION)"' Cargo.toml || { echo "Cargo.toml must pin wasm-bindgen = \"=$(WASM_BINDGEN_VERSION)\""; exit 1; }
	@cargo leptos --version 2>/dev/null | grep -q ' $(CARGO_LEPTOS_VERSION)$$' || $(QUICK_INSTALL) cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked
	@# --locked fails on a yanked webpki-roots; the fallback resolver picks versions our rustc builds.
	@wasm-bindgen --version 2>/dev/null | grep -q ' $(WASM_BINDGEN_VERSION)$$' || CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback $(QUICK_INSTALL) cargo install wasm-bindgen-cli@$(WASM_BINDGEN_VERSION)
	@cargo nextest --version >/dev/null 2>&1 || cargo install cargo-nextest --locked

npm: $(NPM_STAMP)
$(NPM_STAMP): end2end/package.json end2end/package-lock.json
	cd end2end && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

debian:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

## ---- checks -----------------------------------------------------------------------

fmt-check:
	cargo fmt --all -- --check

lint: tools
	cargo clippy $(RUST_FEATURES) --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

test-sqlite:
	cargo nextest run $(RUST_FEATURES)

# A throwaway cluster from Debian's postgresql package on a free loopback port; each
# test creates its own database on it.
test-pg: debian
	@dir=$$(mktemp -d /tmp/dealgate-pg.XXXXXX); \
	url=$$(.ci/pg-start.sh "$$dir"); \
	trap '.ci/pg-stop.sh "'"$$dir"'"' EXIT; \
	echo "PostgreSQL test cluster at $$url"; \
	TEST_DATABASE_URL="$$url" cargo nextest run $(RUST_FEATURES)

# A CI machine once ran out of disk linking test binaries. When space is tight, the debug
# build (whose tests have just run) makes room for the release build.
prune-if-tight:
	@free_kb=$$(df -Pk . | awk 'NR==2 {print $$4}'); \
	if [ "$$free_kb" -lt 8000000 ]; then echo "only $$((free_kb / 1024)) MB free: removing target/debug before the release build"; rm -rf target/debug; fi

# --precompress writes .br and .gz beside each bundle file; the static handler serves them
# (brotli to browsers that ask) instead of gzipping a megabytes-large WASM on every request.
# --split cuts the WASM at the lazy routes (app/src/lib.rs): each page is a chunk of its own.
release: tools npm
	cargo leptos build --release --precompress --split

# schemathesis against the real release server's OpenAPI document (a free port, a fresh SQLite
# file with the demo data), once as a rep and once as a manager: no 5xx, and every status code,
# content type, header and body as documented. A fixed seed and one worker make the requests
# the same on every run; FUZZ_EXAMPLES bounds each operation, FUZZ_BUDGET (s) all runs.
# Reports: target/fuzz-report/. The venv is made from hash-pinned requirements, once.
FUZZ_VENV := target/fuzz-venv
FUZZ_EXAMPLES ?= 10
FUZZ_SEED ?= 18
FUZZ_BUDGET ?= 120
fuzz: $(FUZZ_VENV)/.installed
	@test -x target/release/server || { echo "run 'make release' first"; exit 1; }
	python3 .ci/fuzz.py --server target/release/server --site target/site --schemathesis $(FUZZ_VENV)/bin/schemathesis \
		--examples $(FUZZ_EXAMPLES) --seed $(FUZZ_SEED) --budget $(FUZZ_BUDGET) --report-dir target/fuzz-report

$(FUZZ_VENV)/.installed: .ci/requirements-fuzz.txt
	@rm -rf $(FUZZ_VENV) && python3 -m venv $(FUZZ_VENV)
	@$(FUZZ_VENV)/bin/pip install -q --disable-pip-version-check --require-hashes -r .ci/requirements-fuzz.txt
	@touch $@

# The real release server on a free port and a fresh SQLite file, driven by Playwright
# in Debian's Chromium. Screenshots land in end2end/screenshots/ (not committed).
e2e: npm debian
	@test -x target/release/server || { echo "run 'make release' first"; exit 1; }
	@port=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	dir=$$(mktemp -d /tmp/dealgate-e2e.XXXXXX); status=0; \
	cd end2end && E2E_PORT=$$port E2E_SERVER_BIN="$(CURDIR)/target/release/server" E2E_SITE_ROOT="$(CURDIR)/target/site" \
		E2E_DATABASE_URL="sqlite://$$dir/e2e.db?mode=rwc" npx playwright test || status=$$?; \
	rm -rf "$$dir"; exit $$status

# Two release servers on one throwaway PostgreSQL, a browser on each: a move on A arrives
# live on B, an approval decided on B unblocks A, one session serves both (~1 min).
e2e-two: npm debian
	@test -x target/release/server || { echo "run 'make release' first"; exit 1; }
	python3 .ci/two_servers.py target/release/server --site target/site

# The release server SIGKILLed 20 times under write load (every acknowledged write must
# survive; `server verify` after each kill), 64 clients on 4 hot deals, and a backup drill
# under load: SQLite, then a throwaway PostgreSQL cluster. Fixed seed; ~2 min on 2 cores.
crash: debian
	@test -x target/release/server || { echo "run 'make release' first"; exit 1; }
	python3 .ci/crash.py target/release/server --site target/site

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/test-results end2end/screenshots

## ---- benchmarks (not part of `make test`) ----------------------------------------

BENCH_DB ?= /tmp/dealgate-bench/1m.db
BENCH_DEALS ?= 1000000
BENCH_FORECAST_N ?= 5

# Generates the 1M-deal data set once, serves it from the release build and measures the
# board and moves; then, with that server stopped, REST moves/s against raw SQLite writes
# (moves.py starts its own server for the REST half and writes the file directly for the
# raw half). Figures are appended to docs/benchmarks.md.
bench-data: release
	@mkdir -p "$(dir $(BENCH_DB))"
	@test -f "$(BENCH_DB)" || { /usr/bin/time -f "generate: %e s, peak RSS %M KB" env DATABASE_URL="sqlite://$(BENCH_DB)?mode=rwc" DEALGATE_LOG=warn \
		target/release/server seed --deals $(BENCH_DEALS) --accounts $$(( $(BENCH_DEALS) / 10 )); }

bench: release bench-data
	@port=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	DATABASE_URL="sqlite://$(BENCH_DB)?mode=rwc" LEPTOS_SITE_ADDR=127.0.0.1:$$port LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD DEALGATE_LOG=warn \
		target/release/server & pid=$$!; trap "kill $$pid" EXIT; \
	for i in $$(seq 3000); do curl -sf http://127.0.0.1:$$port/healthz >/dev/null && break; sleep 0.2; done; \
	for who in exec@demo.local manager@demo.local; do \
		echo "| $$(date -u +%F) | $$who | $$(python3 end2end/bench/board.py http://127.0.0.1:$$port $$who 30) | peak RSS $$(grep VmHWM /proc/$$pid/status | awk '{print $$2}') KB |" | tee -a docs/benchmarks.md; \
	done; \
	kill $$pid; wait $$pid || true; trap - EXIT; \
	echo "| $$(date -u +%F) | $$(python3 end2end/bench/moves.py --server target/release/server --site target/site --db $(BENCH_DB)) |" | tee -a docs/benchmarks.md

# The executive dashboard, GET /api/v1/forecast and /api/v1/progress on the same file, next
# to the sqlite3 CLI's raw aggregates (end2end/bench/forecast.py); appended to docs/benchmarks.md.
bench-forecast: release bench-data
	@port=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	DATABASE_URL="sqlite://$(BENCH_DB)?mode=rwc" LEPTOS_SITE_ADDR=127.0.0.1:$$port LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD DEALGATE_LOG=warn \
		target/release/server & pid=$$!; trap "kill $$pid" EXIT; \
	for i in $$(seq 3000); do curl -sf http://127.0.0.1:$$port/healthz >/dev/null && break; sleep 0.2; done; \
	echo "| $$(date -u +%F) | exec@demo.local | $$(python3 end2end/bench/forecast.py http://127.0.0.1:$$port exec@demo.local $(BENCH_DB) $(BENCH_FORECAST_N)) | peak RSS $$(grep VmHWM /proc/$$pid/status | awk '{print $$2}') KB |" | tee -a docs/benchmarks.md

# Importing an accounts workbook (`server sample-import`, BENCH_IMPORT_ROWS rows, 10 refused)
# on a fresh demo database, SQLite and then PostgreSQL; rows per second of the check and of
# the import, and the server's peak RSS, appended to docs/benchmarks.md.
BENCH_IMPORT_ROWS ?= 100000
bench-import: release
	@dir=$$(mktemp -d /tmp/dealgate-bench-import.XXXXXX); \
	target/release/server sample-import $$dir/accounts.xlsx --rows $(BENCH_IMPORT_ROWS) --bad 10 --prefix Bench; \
	for db in sqlite postgresql; do \
		if [ $$db = sqlite ]; then url="sqlite://$$dir/i.db?mode=rwc"; else pgdir=$$(mktemp -d); url=$$(.ci/pg-start.sh $$pgdir); fi; \
		port=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
		DATABASE_URL="$$url" DEALGATE_LOG=warn target/release/server seed --demo >/dev/null; \
		DATABASE_URL="$$url" LEPTOS_SITE_ADDR=127.0.0.1:$$port LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD DEALGATE_LOG=warn \
			target/release/server & pid=$$!; \
		for i in $$(seq 3000); do curl -sf http://127.0.0.1:$$port/healthz >/dev/null && break; sleep 0.2; done; \
		echo "| $$(date -u +%F) | import $$db | $$(python3 end2end/bench/import.py http://127.0.0.1:$$port $$dir/accounts.xlsx) | peak RSS $$(grep VmHWM /proc/$$pid/status | awk '{print $$2}') KB |" | tee -a docs/benchmarks.md; \
		kill $$pid; wait $$pid || true; \
		if [ $$db = postgresql ]; then .ci/pg-stop.sh $$pgdir; fi; \
	done; rm -rf $$dir

# Saving a 100-line quote (and reading it back) on a fresh demo database; the figures are
# appended to docs/benchmarks.md.
bench-quote: release
	@port=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	dir=$$(mktemp -d /tmp/dealgate-bench-quote.XXXXXX); \
	DATABASE_URL="sqlite://$$dir/q.db?mode=rwc" DEALGATE_LOG=warn target/release/server seed --demo; \
	DATABASE_URL="sqlite://$$dir/q.db?mode=rwc" LEPTOS_SITE_ADDR=127.0.0.1:$$port LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD DEALGATE_LOG=warn \
		target/release/server & pid=$$!; trap "kill $$pid; rm -rf $$dir" EXIT; \
	for i in $$(seq 3000); do curl -sf http://127.0.0.1:$$port/healthz >/dev/null && break; sleep 0.2; done; \
	echo "| $$(date -u +%F) | quote save | $$(python3 end2end/bench/quote_save.py http://127.0.0.1:$$port 30) |" | tee -a docs/benchmarks.md

# The first load a user waits for (issue 19): pages opened with an empty cache in headless
# Chromium, plain and with the CPU slowed 4x on an emulated fast-3G network
# (end2end/bench/first_load.mjs), on a fresh demo database; appended to docs/benchmarks.md.
BENCH_FIRST_LOAD_RUNS ?= 3
bench-first-load: release npm
	@port=$$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	dir=$$(mktemp -d /tmp/dealgate-bench-first.XXXXXX); \
	DATABASE_URL="sqlite://$$dir/f.db?mode=rwc" DEALGATE_LOG=warn target/release/server seed --demo >/dev/null; \
	DATABASE_URL="sqlite://$$dir/f.db?mode=rwc" LEPTOS_SITE_ADDR=127.0.0.1:$$port LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD DEALGATE_LOG=warn \
		target/release/server & pid=$$!; trap "kill $$pid; rm -rf $$dir" EXIT; \
	for i in $$(seq 3000); do curl -sf http://127.0.0.1:$$port/healthz >/dev/null && break; sleep 0.2; done; \
	echo "| $$(date -u +%F) | first load | $$(cd end2end && node bench/first_load.mjs http://127.0.0.1:$$port rep@demo.local $(BENCH_FIRST_LOAD_RUNS) /login / /board) |" | tee -a docs/benchmarks.md

# One release server, then two, on one throwaway PostgreSQL with BENCH_SCALE_DEALS deals:
# moves/s, board p95 and peak connections (end2end/bench/scale_out.py).
BENCH_SCALE_DEALS ?= 50000
bench-scale-out: release
	@echo "| $$(date -u +%F) | scale-out | $$(python3 end2end/bench/scale_out.py --server target/release/server --site target/site --deals $(BENCH_SCALE_DEALS) | tail -n 1) |" | tee -a docs/benchmarks.md
