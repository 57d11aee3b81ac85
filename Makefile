# The two commands of the README: `make run` and `make test`. Everything else is a step
# of theirs, usable on its own.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PORT ?= 8080
# The demo merchant's accent on the checkout (Boutique Awa's orange).
BRAND_COLOR ?= \#c2410c
TOOLS_DIR ?= $(or $(LOMI_TOOLS_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/lomi-checkout/tools)
export LOMI_TOOLS_DIR := $(TOOLS_DIR)
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER := wasm-bindgen-test-runner
# wasm-bindgen-test-runner and the e2e tests read the browser options from here.
export WASM_BINDGEN_TEST_TIMEOUT ?= 120

.PHONY: run test install install-bench page sandbox fmt lint test-native test-sdk test-browser test-e2e fuzz size bench screenshots clean

## Build the page, start the sandbox with demo data on http://127.0.0.1:$(PORT).
run: page
	cargo run -q -p lomi-sandbox -- --dist dist --seed-demo --port $(PORT) --brand-color '$(BRAND_COLOR)'

## Install what is missing, then run every check and test.
test: install lint test-native test-sdk fuzz test-browser page size test-e2e
	@echo "make test: all checks passed"

install:
	@scripts/install-tools.sh >/dev/null

page: install
	trunk build --release --offline
	node scripts/precompress.mjs dist

fmt:
	cargo fmt --all

lint: install
	cargo fmt --all -- --check
	cargo clippy -q -p checkout-core -p lomi-sandbox -p checkout-e2e --all-targets -- -D warnings
	cargo clippy -q -p lomi-checkout --target wasm32-unknown-unknown --all-targets -- -D warnings

test-native:
	cargo test -p checkout-core -p lomi-sandbox

## lomi.'s two official Python SDKs against a sandbox started for them (sdk-tests/conftest.py),
## each in its own virtual environment (both install a module named `lomi`): every call
## answers the model or object with its fields filled. Both suites run; either failing fails.
test-sdk: install
	cargo build -q -p lomi-sandbox
	@status=0; \
	.venv/sdk-generated/bin/python -m pytest -p no:cacheprovider sdk-tests/test_generated_sdk.py || status=1; \
	.venv/sdk-client/bin/python -m pytest -p no:cacheprovider sdk-tests/test_lomi_sdk.py || status=1; \
	exit $$status

test-browser: install
	cargo test -p lomi-checkout --target wasm32-unknown-unknown

test-e2e: page
	cargo test -p checkout-e2e -- --test-threads=1

## Schemathesis over the sandbox's whole OpenAPI document: every check, a fixed seed, against a
## sandbox started for the run; fails on any failure. FUZZ_SEED / FUZZ_MAX_EXAMPLES override.
fuzz: install
	scripts/fuzz.sh

## The first load as sent: the sandbox serves the built page, scripts/size.mjs fetches a
## payment link and everything it loads with Accept-Encoding: br, and fails over the budget
## in size-budget.txt.
size: page
	cargo build -q -p lomi-sandbox
	node scripts/size.mjs dist

## The first load on a throttled phone, page against its floor, Lighthouse and the page
## route's throughput: prints a table and target/bench.json. Not a test: never fails on timings.
## BENCH_RUNS (5) and BENCH_INSTANT_RUNS (3) set the paired runs.
bench: install-bench page
	cargo build -q -p lomi-sandbox --profile server
	node scripts/bench.mjs --dist dist --sandbox "$(or $(CARGO_TARGET_DIR),target)/server/lomi-sandbox"

## PNGs of every state at 360 and 1280 px, French and English, light and dark, into
## target/screenshots/ (SCREENSHOTS_DIR overrides), for a person to look at. Not in `make test`.
screenshots: page
	cargo test -p checkout-e2e --test screenshots -- --ignored --test-threads=1

install-bench:
	@scripts/install-tools.sh bench

clean:
	cargo clean
	rm -rf dist
