#!/usr/bin/env bash
# Fuzzes the sandbox's whole API (/openapi.json: the merchant API at its bare paths and under
# /v1, the public checkout API and the sandbox controls) with schemathesis: every check, every
# phase, against a sandbox started here with fresh demo data and stopped on exit.
#
# Two seeds, each against its own fresh sandbox: the fixed one (20250101, every phase), then
# one picked for this run (fuzzing and stateful: the coverage phase's cases do not depend on
# the seed). Both are printed first with the line that replays them alone, e.g.
#   FUZZ_SEED=1880802869 FUZZ_PHASES=fuzzing,stateful make fuzz
# Before each run, scripts/fuzz_fixtures.py makes the test data the operations taking an id
# need (checkouts, payments waiting in each provider's state, a transaction, a customer,
# webhook endpoints, a delivery log) and hands their ids to schemathesis, so no operation is
# only ever fuzzed at "unknown id"; the document's links chain the rest (create -> read ->
# pay -> settle) in the stateful phase. The default budget, 15 examples per operation and
# phase and seed, takes about a minute on 2 cores in all (as one seed at 30 did); the
# document's long Unicode patterns make Hypothesis slow per example, so a deeper run
# (FUZZ_MAX_EXAMPLES=100) takes several minutes. Exits non-zero when any seed finds something.
#
#   scripts/fuzz.sh [extra `st run` options]     e.g. --include-path-regex '^/products'
#
# FUZZ_SEED (one seed), FUZZ_PHASES (its phases, default all) and FUZZ_MAX_EXAMPLES override
# the runs and the examples per operation and phase.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS_DIR=${LOMI_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lomi-checkout/tools}
ST="$TOOLS_DIR/venv/bin/st"
ALL_PHASES=examples,coverage,fuzzing,stateful
# Each run: a seed and its phases. The coverage phase does not depend on the seed (its cases
# are the schema's boundaries, the same for any seed), so the second seed runs only the
# phases that do.
if [ -n "${FUZZ_SEED:-}" ]; then
  RUNS=("$FUZZ_SEED:${FUZZ_PHASES:-$ALL_PHASES}")
else
  RUNS=("20250101:$ALL_PHASES"
    "$(python3 -c 'import secrets; print(secrets.randbelow(2**31))'):fuzzing,stateful")
fi
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-15}
# A fixed test key: the curl line of a failure works against any sandbox started with it
# (LOMI_SANDBOX_API_KEY=... make run), once its port is changed.
API_KEY=lomi_sk_test_fuzz0000000000000000000000
BIN="${CARGO_TARGET_DIR:-target}/debug/lomi-sandbox"

if [ ! -x "$ST" ]; then
  echo "fuzz: $ST is missing: run scripts/install-tools.sh (or make install)" >&2
  exit 2
fi

cargo build -q -p lomi-sandbox

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lomi-fuzz.XXXXXX")
SANDBOX_PID=""
ST_PID=""
stop_sandbox() {
  if [ -n "$SANDBOX_PID" ] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
    kill -TERM "$SANDBOX_PID" 2>/dev/null || true
    # A graceful stop waits for requests in flight; give it a few seconds, then insist.
    for _ in $(seq 50); do kill -0 "$SANDBOX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SANDBOX_PID" 2>/dev/null || true
  fi
  [ -z "$SANDBOX_PID" ] || wait "$SANDBOX_PID" 2>/dev/null || true
  SANDBOX_PID=""
}
cleanup() {
  if [ -n "$ST_PID" ] && kill -0 "$ST_PID" 2>/dev/null; then
    kill -TERM "$ST_PID" 2>/dev/null || true
    wait "$ST_PID" 2>/dev/null || true
  fi
  stop_sandbox
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A fixed --public-url keeps the port out of response bodies (url, checkout_url, image_url),
# which schemathesis reuses as test data: the same seed then sends the same requests, the
# server's random ids aside. The sandbox then prints that URL, not the port it bound, so the
# port is picked here (free a moment ago; another try if something took it since).
# The public API's rate limits are off: schemathesis sends thousands of requests a minute
# from one address, and a 429 would hide what the request itself gets (the limits have
# their own tests, sandbox/tests/rate_limits.rs; the merchant API's are off by default).
# The operators wait an hour before giving up on a customer, so the test data's waiting
# payments still wait when the fuzzer reaches them.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# The webhooks the fuzzer registers point at any URL it makes up: `--webhook-hosts loopback`
# keeps every delivery on this machine (the others are logged as not sent).
start_sandbox() { # $1: a name for its database and log
  BASE=""
  for attempt in 1 2 3; do
    PORT=$(free_port)
    LOMI_SANDBOX_API_KEY=$API_KEY "$BIN" \
      --db "$WORK/$1-$attempt.db" --host 127.0.0.1 --port "$PORT" --dist "$WORK/no-page" \
      --public-url http://sandbox.fuzz.invalid --seed-demo --mobile-money-delay-ms 0 \
      --operator-timeout-secs 3600 --webhook-hosts loopback \
      --public-rate-limit-per-client 0 --public-rate-limit-per-payment 0 \
      >"$WORK/$1.log" 2>&1 &
    SANDBOX_PID=$!
    for _ in $(seq 300); do
      kill -0 "$SANDBOX_PID" 2>/dev/null || break
      if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
        BASE="http://127.0.0.1:$PORT"
        return 0
      fi
      sleep 0.1
    done
    stop_sandbox
    grep -q "binding" "$WORK/$1.log" || break
  done
  echo "fuzz: the sandbox did not start (or answer /healthz within 30 s):" >&2
  cat "$WORK/$1.log" >&2
  exit 2
}

# - every check, all four phases; stateful testing follows the document's links (a created
#   link or session to its page and pay, a payment to its status, code, prompt and settling,
#   a transaction to its customer, a webhook to its test event and delivery logs) and the
#   ones schemathesis infers;
# - one worker, no example database, no crash cache (.schemathesis/, off in schemathesis.toml)
#   and Hypothesis's own files (.hypothesis/) in the temporary directory, so the seed and the
#   test data alone decide what is generated and nothing is left in the tree;
# - every failing case of an operation is reported, not only the first, and with the real
#   header values (the key is this fixed test key), so each curl line reproduces as printed
#   against a sandbox that holds the same ids (the test data's ids are random);
# - strings keep their default (UTF-8 with NUL allowed): the API takes JSON text, in which
#   any character is valid, so refusing one is a finding, not noise.
# In the background and waited for, so an interrupt runs the cleanup at once.
fuzz_seed() { # $1: the seed; $2: the phases; the rest: extra `st run` options
  local seed=$1 phases=$2
  shift 2
  start_sandbox "sandbox-$seed"
  echo "fuzz: seed $seed, phases $phases, sandbox at $BASE" \
    "($MAX_EXAMPLES examples per operation and phase)" >&2
  cp schemathesis.toml "$WORK/schemathesis-$seed.toml"
  if ! python3 scripts/fuzz_fixtures.py "$BASE" "$API_KEY" "$WORK/ids-$seed.json" \
    >>"$WORK/schemathesis-$seed.toml"; then
    echo "fuzz: could not make the test data; the sandbox's log:" >&2
    cat "$WORK/sandbox-$seed.log" >&2
    exit 2
  fi
  local status=0
  FUZZ_IDS="$WORK/ids-$seed.json" HYPOTHESIS_STORAGE_DIRECTORY="$WORK/hypothesis-$seed" \
    "$ST" --config-file "$WORK/schemathesis-$seed.toml" \
    run "$BASE/openapi.json" \
    --url "$BASE" \
    --header "X-API-Key: $API_KEY" \
    --checks all \
    --phases "$phases" \
    --mode all \
    --seed "$seed" \
    --max-examples "$MAX_EXAMPLES" \
    --workers 1 \
    --generation-database none \
    --request-timeout 10 \
    --continue-on-failure \
    --output-sanitize false \
    "$@" &
  ST_PID=$!
  wait "$ST_PID" || status=$?
  ST_PID=""
  stop_sandbox
  # A panic drops the connection ("Network Error" above); the sandbox's log says where.
  if grep -q "panicked at" "$WORK/sandbox-$seed.log"; then
    echo "fuzz: the sandbox panicked:" >&2
    grep -A1 "panicked at" "$WORK/sandbox-$seed.log" | grep -v '^--$' | sort | uniq -c >&2
    [ "$status" -ne 0 ] || status=1
  fi
  return "$status"
}

replay() { # $1: seed:phases
  echo "FUZZ_SEED=${1%%:*} FUZZ_PHASES=${1#*:} make fuzz"
}
for run in "${RUNS[@]}"; do
  echo "fuzz: seed ${run%%:*} (replay: $(replay "$run"))" >&2
done
failed=()
for run in "${RUNS[@]}"; do
  fuzz_seed "${run%%:*}" "${run#*:}" "$@" || failed+=("$run")
done
for run in "${failed[@]}"; do
  echo "fuzz: seed ${run%%:*} found failures; replay it with $(replay "$run")" >&2
done
[ ${#failed[@]} -eq 0 ] || exit 1
echo "fuzz: seeds $(for run in "${RUNS[@]}"; do printf '%s ' "${run%%:*}"; done)found nothing" >&2
