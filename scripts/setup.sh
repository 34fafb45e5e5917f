#!/usr/bin/env bash
# Install everything the project needs on a machine with Node 20 and Python
# 3.11: a virtual environment (.venv) with JupyterLab and this package
# (editable, labextension built), the platform stand-in built, and the node
# packages of every part from their lock files.
#
#   bash scripts/setup.sh           everything, development tools included (scripts/test.sh),
#                                   and .venv-hub55 (JupyterHub 5.5, for the hub tests)
#                                   and .venv-fuzz (Schemathesis, for the schema fuzz)
#                                   and .venv-clients (three public Research API clients
#                                   from PyPI, for tests/research_clients)
#   bash scripts/setup.sh --start   what running needs (scripts/start.sh): the stand-in's
#                                   production dependencies only, built with the
#                                   extension's TypeScript
#
# Every step is skipped when its inputs did not change: a step's inputs (lock
# files, sources, Node and Python versions) are hashed into a stamp under
# .venv/.vce-stamps/; the step runs when its stamp is missing or differs, or its
# output is missing, and writes the stamp only after it succeeded.
# The work runs as three chains at once (the Python packages then the SDK, the
# labextension and jupyterlab_vce; the stand-in's packages then its build; the
# extension's node packages, which the labextension and the stand-in's build wait
# for, as the stand-in's build waits for the Python packages): on 2 cores they
# wait on the network and the disk as much as on the CPU.
# Their commands' output goes to .venv/.vce-logs/, with a progress line every 5 s.
# VCE_SETUP_PARALLEL=0 runs one step after the other, npm's own output on the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

MODE=full
case "${1:-}" in
  --start) MODE=start ;;
  "") ;;
  *) printf 'usage: %s [--start]\n' "$0" >&2; exit 2 ;;
esac

fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3 || true)}
[ -n "$PYTHON" ] || fail "Python 3.11 is required (python3.11 or python3 on PATH)."
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || fail "Python 3.11 or newer is required; $PYTHON is $("$PYTHON" --version 2>&1)."
command -v node >/dev/null || fail "Node.js 20 is required (node on PATH)."
node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' \
  || fail "Node.js 20 or newer is required; node is $(node --version)."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # Chromium comes from Debian, never a download
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# node-gyp (better-sqlite3 is compiled when no prebuilt binary can be downloaded): all cores.
export JOBS=${JOBS:-max}

SETUP_T0=$(now)
STAMPS="$ROOT/.venv/.vce-stamps"
LOGS="$ROOT/.venv/.vce-logs"
VERSIONS="node $(node --version) python $("$PYTHON" --version 2>&1)"

# --- stamps ---------------------------------------------------------------
# hash_inputs PATH...: one hash of the files' contents (folders: every file
# under them but generated or installed ones) and of the tools' versions.
hash_inputs() {
  local path existing=()
  # A path that does not exist (yet) changes the hash by its name, and stops nothing.
  for path in "$@"; do [ ! -e "$path" ] || existing+=("$path"); done
  {
    printf '%s\n' "$VERSIONS" "$*" "${existing[*]-}"
    [ "${#existing[@]}" = 0 ] || find "${existing[@]}" \( -name node_modules -o -name __pycache__ -o -name '*.egg-info' -o -name dist \
      -o -name build -o -name lib -o -name .pytest_cache -o -name '*.tsbuildinfo' \) -prune \
      -o -type f -print 2>/dev/null | LC_ALL=C sort | xargs -r -d '\n' sha256sum
  } | sha256sum | cut -c1-64
}
# up_to_date NAME KEY OUTPUT...: the stamp NAME holds KEY and every OUTPUT exists.
up_to_date() {
  local name=$1 key=$2 out
  shift 2
  for out in "$@"; do [ -e "$out" ] || return 1; done
  [ -f "$STAMPS/$name" ] && [ "$(cat "$STAMPS/$name")" = "$key" ]
}

[ -x .venv/bin/python ] || {
  printf '\n==> Python virtual environment (.venv)\n'
  "$PYTHON" -m venv .venv
}
export PATH="$ROOT/.venv/bin:$PATH"
PARALLEL=${VCE_SETUP_PARALLEL:-1}
# One setup at a time in a checkout: a second one waits (they share the stamps and the logs).
exec 9>"$ROOT/.venv/.vce-setup.lock"
flock -n 9 || { printf '==> Another setup is running in this checkout; waiting for it\n'; flock 9; }
rm -rf "$LOGS" && mkdir -p "$LOGS" "$STAMPS"

# run_step NAME TITLE KEY COMMAND...: run COMMAND (its output into the step's log
# when the chains run at once), say how long it took, then stamp NAME with KEY.
run_step() {
  local name=$1 title=$2 key=$3 t0
  shift 3
  printf '==> %s ...\n' "$title"
  t0=$(now)
  rm -f "$STAMPS/$name"   # a step that fails half-way is never up to date
  touch "$LOGS/$name.running"
  # A new Python environment or a new registration: check the result below.
  case $name in pip | jupyterlab-vce) touch "$LOGS/changed" ;; esac
  if [ "$PARALLEL" = 0 ]; then
    "$@" || { rm -f "$LOGS/$name.running"; printf '!! %s failed\n' "$title" >&2; return 1; }
  elif ! "$@" >"$LOGS/$name.log" 2>&1; then
    rm -f "$LOGS/$name.running"
    printf '!! %s failed; the end of its output (.venv/.vce-logs/%s.log):\n' "$title" "$name" >&2
    tail -n 40 "$LOGS/$name.log" >&2
    return 1
  fi
  rm -f "$LOGS/$name.running"
  printf '%s\n' "$key" >"$STAMPS/$name"
  printf '==> %s (%s s)\n' "$title" "$(since "$t0")"
}
skipped() { printf '==> %s: up to date\n' "$1"; }
npm_progress() { if [ "$PARALLEL" = 0 ] && [ -t 1 ]; then echo --progress; else echo --no-progress; fi; }
# wait_status NAME: the install NAME (root-npm, pip) is done (other chains wait for it).
wait_status() {
  until [ -f "$LOGS/$1.status" ]; do sleep 0.2; done
  [ "$(cat "$LOGS/$1.status")" = 0 ]
}
wait_root_npm() { wait_status root-npm; }

# --- chain: the extension's node packages -----------------------------------
ROOT_KEY=$(hash_inputs package-lock.json package.json)
chain_root_npm() {
  local rc=0
  if up_to_date root-npm "$ROOT_KEY" node_modules/.package-lock.json; then
    skipped "Extension's node packages"
  else
    run_step root-npm "Extension's node packages (npm ci)" "$ROOT_KEY" npm ci "$(npm_progress)" || rc=1
  fi
  echo "$rc" >"$LOGS/root-npm.status"
  if [ "$rc" = 0 ] && [ "$MODE" = full ]; then
    # The tests only: the hub tests' configurable-http-proxy (deploy/package-lock.json);
    # scripts/start-hub.sh installs its own into .hub/proxy.
    if up_to_date deploy-npm "$DEPLOY_KEY" deploy/node_modules/.bin/configurable-http-proxy; then
      skipped "The hub tests' proxy (deploy/)"
    else
      run_step deploy-npm "The hub tests' proxy (deploy: npm ci)" "$DEPLOY_KEY" deploy_npm_ci || rc=1
    fi
  fi
  return "$rc"
}
DEPLOY_KEY=$(hash_inputs deploy/package-lock.json deploy/package.json)
deploy_npm_ci() { (cd deploy && npm ci --no-progress); }

# --- chain: the stand-in's packages, then its build --------------------------
# Its production packages to run it, all of them for its tests and its
# type-checked build; a full install serves a start as well. For a start without
# its development packages, the extension's tsc (the same version) emits the same
# JavaScript with --noCheck (types are checked by the full setup and the tests).
MOCK_LOCK=$(hash_inputs server-mock/package-lock.json server-mock/package.json)
BUILD_SRC=$(hash_inputs server-mock/src server-mock/python server-mock/scripts server-mock/tsconfig.json \
  server-mock/tsconfig.build.json server-mock/package.json server-mock/package-lock.json)
mock_npm_ci() { (cd server-mock && npm ci "$@"); }
# The build also builds pyrqs' wheel and sdist for the stand-in's package index
# (scripts/build-pyrqs.mjs), with .venv's hatchling: it waits for the Python packages.
build_mock_checked() { (cd server-mock && PYTHON="$ROOT/.venv/bin/python" VCE_REQUIRE_PYRQS=1 npm run --silent build); }
build_mock_unchecked() {
  (
    cd server-mock && "$ROOT/node_modules/.bin/tsc" -p tsconfig.build.json --noCheck \
      && PYTHON="$ROOT/.venv/bin/python" VCE_REQUIRE_PYRQS=1 node scripts/build-pyrqs.mjs
  )
}
chain_mock() {
  local out=server-mock/node_modules/.package-lock.json
  if up_to_date mock-npm "$MOCK_LOCK full" "$out" \
    || { [ "$MODE" = start ] && up_to_date mock-npm "$MOCK_LOCK production" "$out"; }; then
    skipped "Platform stand-in's packages"
  elif [ "$MODE" = start ]; then
    run_step mock-npm "Platform stand-in's production packages (server-mock: npm ci --omit=dev)" \
      "$MOCK_LOCK production" mock_npm_ci --omit=dev "$(npm_progress)" || return 1
  else
    run_step mock-npm "Platform stand-in's packages (server-mock: npm ci)" "$MOCK_LOCK full" \
      mock_npm_ci "$(npm_progress)" || return 1
  fi
  # The build's outputs: the stand-in, and pyrqs' wheel for its package index.
  local built=(server-mock/dist/cli.js server-mock/dist/python/pyrqs-*.whl)
  if up_to_date mock-build "$BUILD_SRC checked" "${built[@]}" \
    || { [ "$MODE" = start ] && up_to_date mock-build "$BUILD_SRC unchecked" "${built[@]}"; }; then
    skipped "Platform stand-in: build"
  elif [ "$MODE" = start ] && [ ! -x server-mock/node_modules/.bin/tsc ]; then
    wait_root_npm && wait_status pip || return 1
    run_step mock-build "Platform stand-in: build (tsc --noCheck)" "$BUILD_SRC unchecked" build_mock_unchecked
  else
    wait_status pip || return 1
    run_step mock-build "Platform stand-in: build (npm run build)" "$BUILD_SRC checked" build_mock_checked
  fi
}

# --- chain: Python packages, the SDK, the labextension, jupyterlab_vce --------
PIP_KEY=$(hash_inputs requirements-dev.txt)
SDK_KEY=$(hash_inputs server-mock/python/pyproject.toml)
LAB_KEY=$(hash_inputs src style schema package.json package-lock.json tsconfig.json)
PKG_KEY=$(hash_inputs pyproject.toml package.json install.json jupyter-config)
HUB55_KEY=$(hash_inputs requirements-hub55.txt)
FUZZ_KEY=$(hash_inputs requirements-fuzz.txt)
CLIENTS_KEY=$(hash_inputs requirements-clients.txt)
importable() { # MODULE: .venv's Python finds it (without importing it)
  python -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec(sys.argv[1]) is None)' "$1"
}
make_hub55() {
  "$PYTHON" -m venv --clear .venv-hub55 && .venv-hub55/bin/python -m pip install --quiet -r requirements-hub55.txt
}
# The schema fuzz's Schemathesis (scripts/fuzz-stand-in.sh), frozen in requirements-fuzz.txt,
# in a venv of its own so its pins and requirements-dev.txt's never meet.
make_fuzz() {
  "$PYTHON" -m venv --clear .venv-fuzz && .venv-fuzz/bin/python -m pip install --quiet -r requirements-fuzz.txt
}
# The public Research API clients that tests/research_clients runs against the stand-in,
# frozen in requirements-clients.txt, in a venv of their own (their pins and requirements-dev.txt's never meet).
make_clients() {
  "$PYTHON" -m venv --clear .venv-clients && .venv-clients/bin/python -m pip install --quiet -r requirements-clients.txt
}
register() {
  python -m pip install --quiet --no-build-isolation -e . \
    && jupyter-builder develop --overwrite . >/dev/null \
    && jupyter server extension enable --sys-prefix jupyterlab_vce >/dev/null
}
chain_python() {
  if up_to_date pip "$PIP_KEY" .venv/bin/jupyter-lab; then
    skipped "Python packages"
  elif ! run_step pip "Python packages (requirements-dev.txt) into .venv" "$PIP_KEY" \
    python -m pip install --quiet -r requirements-dev.txt; then
    echo 1 >"$LOGS/pip.status"
    return 1
  fi
  echo 0 >"$LOGS/pip.status"
  if up_to_date pyrqs "$SDK_KEY" && importable pyrqs; then
    skipped "SDK stand-in (pyrqs)"
  else
    run_step pyrqs "SDK stand-in (pyrqs): editable install into .venv, where kernels find it" "$SDK_KEY" \
      python -m pip install --quiet --no-build-isolation -e server-mock/python || return 1
  fi
  if up_to_date labextension "$LAB_KEY" jupyterlab_vce/labextension/static/style.js \
    jupyterlab_vce/labextension/package.json; then
    skipped "Labextension build"
  else
    wait_root_npm || return 1
    run_step labextension "Labextension build (npm run build: tsc, jupyter-builder)" "$LAB_KEY" \
      npm run --silent build || return 1
  fi
  if up_to_date jupyterlab-vce "$PKG_KEY" .venv/share/jupyter/labextensions/jupyterlab-vce/package.json \
    .venv/etc/jupyter/jupyter_server_config.d/jupyterlab_vce.json \
    && importable jupyterlab_vce; then
    skipped "jupyterlab_vce"
  else
    run_step jupyterlab-vce "jupyterlab_vce: editable install, labextension linked, server extension enabled" \
      "$PKG_KEY" register
  fi
  [ "$MODE" = full ] || return 0
  # The tests only (scripts/test.sh): the hub authenticator's tests also run on JupyterHub 5.5 (what
  # Zero to JupyterHub's chart ships), in a venv of its own with JupyterHub and pytest only; they
  # import jupyterlab_vce from the checkout (PYTHONPATH), so nothing else is installed there.
  if up_to_date hub55 "$HUB55_KEY" .venv-hub55/bin/jupyterhub; then
    skipped "JupyterHub 5.5 test environment (.venv-hub55)"
  else
    run_step hub55 "JupyterHub 5.5 test environment (requirements-hub55.txt) into .venv-hub55" "$HUB55_KEY" \
      make_hub55 || return 1
  fi
  if up_to_date fuzz "$FUZZ_KEY" .venv-fuzz/bin/st; then
    skipped "Schema fuzz environment (.venv-fuzz)"
  else
    run_step fuzz "Schema fuzz environment (requirements-fuzz.txt: Schemathesis) into .venv-fuzz" "$FUZZ_KEY" \
      make_fuzz || return 1
  fi
  if up_to_date clients "$CLIENTS_KEY" .venv-clients/bin/pytest; then
    skipped "Research API clients' environment (.venv-clients)"
  else
    run_step clients "Research API clients' environment (requirements-clients.txt) into .venv-clients" \
      "$CLIENTS_KEY" make_clients || return 1
  fi
}

# --- progress: a line every 5 s while an install runs -------------------------
npm_count() { # DIR: packages unpacked so far under DIR/node_modules
  find "$1/node_modules" -mindepth 2 -maxdepth 3 -name package.json \
    \( -path "$1/node_modules/@*/*/package.json" -o -not -path "$1/node_modules/*/*/package.json" \) \
    2>/dev/null | wc -l || true
}
lock_count() { # LOCKFILE [production]: the packages at node_modules' top level
  node -e 'const l = require(process.argv[1]); const prod = process.argv[2] === "production";
    console.log(Object.entries(l.packages).filter(([k, v]) => k.split("node_modules/").length === 2 && !(prod && v.dev)).length)' "$@"
}
progress_line() {
  local line="" name
  for name in pip root-npm mock-npm mock-build pyrqs labextension jupyterlab-vce hub55 fuzz clients; do
    [ -f "$LOGS/$name.running" ] || continue
    case $name in
      # The venv's own pip and setuptools count too: a number, not a fraction of the pins.
      pip) line+="; pip: $(find .venv/lib -maxdepth 3 -name '*.dist-info' 2>/dev/null | wc -l || true) packages in .venv" ;;
      root-npm) line+="; npm ci: $(npm_count .) of $ROOT_TOTAL packages" ;;
      mock-npm)
        line+="; server-mock npm ci: $(npm_count server-mock) of $MOCK_TOTAL packages"
        [ ! -f server-mock/node_modules/better-sqlite3/build/Makefile ] \
          || [ -f server-mock/node_modules/better-sqlite3/build/Release/better_sqlite3.node ] \
          || line+=" (compiling better-sqlite3)" ;;
      *) line+="; $name" ;;
    esac
  done
  [ -z "$line" ] || printf '    ... %s s%s\n' "$(since "$SETUP_T0" | cut -d. -f1)" "$line"
}

if [ "$PARALLEL" = 0 ]; then
  chain_root_npm
  chain_python
  chain_mock
else
  ROOT_TOTAL=$(lock_count "$ROOT/package-lock.json")
  MOCK_TOTAL=$(lock_count "$ROOT/server-mock/package-lock.json" "$([ "$MODE" = start ] && echo production)")
  chain_root_npm & root_pid=$!
  chain_mock & mock_pid=$!
  chain_python & python_pid=$!
  # Ctrl-C or a kill stops the three chains and everything they started (npm, pip, node-gyp).
  kill_tree() { # PID: the process and its descendants, children first
    local child
    for child in $(pgrep -P "$1" || true); do kill_tree "$child"; done
    kill -TERM "$1" 2>/dev/null || true
  }
  trap 'for pid in "$root_pid" "$mock_pid" "$python_pid"; do kill_tree "$pid"; done; fail "stopped"' INT TERM
  ticks=0
  while kill -0 "$root_pid" 2>/dev/null || kill -0 "$mock_pid" 2>/dev/null \
    || kill -0 "$python_pid" 2>/dev/null; do
    sleep 0.2
    ticks=$((ticks + 1))
    [ $((ticks % 25)) != 0 ] || progress_line || true
  done
  failed=0
  for pid in "$root_pid" "$mock_pid" "$python_pid"; do wait "$pid" || failed=1; done
  trap - INT TERM
  [ "$failed" = 0 ] || fail "a step failed (logs in .venv/.vce-logs/)"
fi

if [ -f "$LOGS/changed" ]; then
  printf '==> Installed? (jupyter labextension list, jupyter server extension list)\n'
  t0=$(now)
  jupyter labextension list >"$LOGS/labextension-list.log" 2>&1 &
  jupyter server extension list >"$LOGS/server-extension-list.log" 2>&1 || true
  wait $! || true
  # The list colours its words (ANSI codes between them): match on the words alone.
  sed 's/\x1b\[[0-9;]*m//g' "$LOGS/labextension-list.log" | grep -E 'jupyterlab-vce v.* enabled +OK' \
    || fail "the labextension is not installed, enabled and OK (.venv/.vce-logs/labextension-list.log)"
  grep -E 'jupyterlab_vce.*OK' "$LOGS/server-extension-list.log" || fail "the server extension does not load"
  printf '==> Installed (%s s)\n' "$(since "$t0")"
fi
printf '==> Setup done (%s s)\n' "$(since "$SETUP_T0")"
