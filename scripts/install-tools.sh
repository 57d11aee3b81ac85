#!/usr/bin/env bash
# Installs what `make run` and `make test` need, skipping whatever is already present,
# so a second run costs a few version checks. Cold, on 2 cores: about 15 minutes (trunk).
# `install-tools.sh bench` installs only what `make bench` adds (npm packages, under the
# same tools directory): nothing that `make run` or `make test` needs.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock to the patch level.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
TOOLS_DIR=${LOMI_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lomi-checkout/tools}
# make bench: Chromium driven over CDP, Lighthouse (13 wants Node 22), the load generator.
BENCH_NPM=(playwright-core@1.65.1 lighthouse@12.2.3 autocannon@9.0.0)

say() { printf '==> %s\n' "$*" >&2; }

if [ "${1:-}" = bench ]; then
  missing=()
  for spec in "${BENCH_NPM[@]}"; do
    name=${spec%@*} version=${spec##*@}
    grep -qs "\"version\": \"$version\"" "$TOOLS_DIR/node_modules/$name/package.json" \
      || missing+=("$spec")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} under $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --save-exact --no-audit --no-fund --silent "${missing[@]}"
  fi
  exit 0
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  say "installing trunk $TRUNK_VERSION (the slow one)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the registry mirror lacks one of its pinned dependencies.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) under $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# axe-core: the accessibility rules the e2e tests run in the browser over every state.
AXE_VERSION=4.14.1
if ! grep -qs "\"version\": \"$AXE_VERSION\"" "$TOOLS_DIR/node_modules/axe-core/package.json"; then
  say "installing axe-core $AXE_VERSION under $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --save-exact --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
fi

# Reading the installed distribution's version is much faster than `st --version`; a venv
# whose Python is gone (pyenv upgrade) fails the check too and is rebuilt.
SCHEMATHESIS_VERSION=4.32.5
VENV="$TOOLS_DIR/venv"
if ! "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' \
  2>/dev/null | grep -qx "$SCHEMATHESIS_VERSION"; then
  say "installing schemathesis $SCHEMATHESIS_VERSION in $VENV"
  if ! "$VENV/bin/python" -c '' 2>/dev/null; then
    mkdir -p "$TOOLS_DIR"
    python3 -m venv --clear "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" >&2
fi

# lomi.'s two official Python SDKs for `make test-sdk`, each in its own project-local
# virtual environment (both install a module named `lomi`). sdk-tests/requirements-*.txt pin
# every distribution; a venv whose Python runs and that holds each pin's dist-info folder is
# current (file tests only, no Python started), otherwise it is rebuilt from scratch.
sdk_venv_current() {
  local venv=$1 requirements=$2 line name version
  [ -x "$venv/bin/python" ] || return 1
  while IFS= read -r line; do
    line=${line%%#*} line=${line//[[:space:]]/}
    [ -n "$line" ] || continue
    name=${line%%==*} version=${line#*==}
    name=${name,,} name=${name//[-.]/_}
    compgen -G "$venv/lib/python3*/site-packages/$name-$version.dist-info" >/dev/null || return 1
  done <"$requirements"
}
for sdk in generated client; do
  venv=.venv/sdk-$sdk requirements=sdk-tests/requirements-$sdk.txt
  if ! sdk_venv_current "$venv" "$requirements"; then
    say "installing the $sdk Python SDK's test environment in $venv"
    python3 -m venv --clear "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  fi
done

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Chromium and ChromeDriver"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Print the PATH addition for callers (the Makefile evaluates it).
echo "$TOOLS_DIR/node_modules/.bin"
