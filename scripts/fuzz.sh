#!/usr/bin/env bash
# Fuzzes the sandbox's whole API (/openapi.json: the merchant API at its bare paths and under
# /v1, the public checkout API and the sandbox controls) with schemathesis: every check, a
# fixed seed, against a sandbox started here with fresh demo data and stopped on exit.
# Exits with schemathesis's code. The default budget, 30 examples per operation and phase
# (about 4,100 requests), takes about a minute on 2 cores; the document's long Unicode
# patterns make Hypothesis slow per example, so FUZZ_MAX_EXAMPLES=100 (a deeper run) takes
# about 10 minutes.
#
#   scripts/fuzz.sh [extra `st run` options]     e.g. --include-path-regex '^/products'
#
# FUZZ_SEED and FUZZ_MAX_EXAMPLES override the seed and the examples per operation and phase.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS_DIR=${LOMI_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lomi-checkout/tools}
ST="$TOOLS_DIR/venv/bin/st"
SEED=${FUZZ_SEED:-20250101}
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-30}
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
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# The webhooks the fuzzer registers point at any URL it makes up: `--webhook-hosts loopback`
# keeps every delivery on this machine (the others are logged as not sent).
BASE=""
for attempt in 1 2 3; do
  PORT=$(free_port)
  LOMI_SANDBOX_API_KEY=$API_KEY "$BIN" \
    --db "$WORK/sandbox-$attempt.db" --host 127.0.0.1 --port "$PORT" --dist "$WORK/no-page" \
    --public-url http://sandbox.fuzz.invalid --seed-demo --mobile-money-delay-ms 0 \
    --webhook-hosts loopback \
    --public-rate-limit-per-client 0 --public-rate-limit-per-payment 0 \
    >"$WORK/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 300); do
    kill -0 "$SANDBOX_PID" 2>/dev/null || break
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
      BASE="http://127.0.0.1:$PORT"
      break 2
    fi
    sleep 0.1
  done
  stop_sandbox
  grep -q "binding" "$WORK/sandbox.log" || break
done
if [ -z "$BASE" ]; then
  echo "fuzz: the sandbox did not start (or answer /healthz within 30 s):" >&2
  cat "$WORK/sandbox.log" >&2
  exit 2
fi
echo "fuzz: sandbox at $BASE (seed $SEED, $MAX_EXAMPLES examples per operation)" >&2

# - every check, all four phases; stateful testing follows the links schemathesis infers
#   (created ids into reads, updates and deletes);
# - one worker, no example database, no crash cache (.schemathesis/, off in schemathesis.toml)
#   and Hypothesis's own files (.hypothesis/) in the temporary directory, so the seed alone
#   decides what is generated and nothing is left in the tree;
# - every failing case of an operation is reported, not only the first, and with the real
#   header values (the key is this fixed test key), so each curl line reproduces as printed;
# - strings keep their default (UTF-8 with NUL allowed): the API takes JSON text, in which
#   any character is valid, so refusing one is a finding, not noise.
# In the background and waited for, so an interrupt runs the cleanup at once.
HYPOTHESIS_STORAGE_DIRECTORY="$WORK/hypothesis" "$ST" --config-file schemathesis.toml run "$BASE/openapi.json" \
  --url "$BASE" \
  --header "X-API-Key: $API_KEY" \
  --checks all \
  --phases examples,coverage,fuzzing,stateful \
  --mode all \
  --seed "$SEED" \
  --max-examples "$MAX_EXAMPLES" \
  --workers 1 \
  --generation-database none \
  --request-timeout 10 \
  --continue-on-failure \
  --output-sanitize false \
  "$@" &
ST_PID=$!
status=0
wait "$ST_PID" || status=$?
ST_PID=""
# A panic drops the connection ("Network Error" above); the sandbox's log says where.
if grep -q "panicked at" "$WORK/sandbox.log"; then
  echo "fuzz: the sandbox panicked:" >&2
  grep -A1 "panicked at" "$WORK/sandbox.log" | grep -v '^--$' | sort | uniq -c >&2
fi
exit "$status"
