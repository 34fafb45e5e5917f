#!/usr/bin/env bash
# README, "Deploying for a team": start a JupyterHub on this machine whose login page takes a
# research client's key and secret and opens each researcher's own JupyterLab, wired to the
# platform (the stand-in, run by the hub as a managed service, or RQS_API_URL).
#
#   bash scripts/start-hub.sh [--port 8000] [--platform-port 8911] [--state-dir DIR]
#                             [--clients-file FILE] [--fresh]
#
# It installs what the hub needs from packages, the way a server would get them, into .hub/
# (VCE_HUB_HOME), away from the development environment:
#   .hub/dist/    the project's wheel (python -m build) and the stand-in's npm tarball (npm pack)
#   .hub/venv/    a virtual environment with the wheel and its [hub] extra (JupyterHub), at the
#                 versions requirements-dev.txt pins, and pyrqs for the labs' kernels
#   .hub/npm/     the stand-in's package (npm install -g --prefix): bin/vce-mock
#   .hub/proxy/   configurable-http-proxy, npm ci from deploy/package-lock.json
# The toolchain that builds the wheel and the tarball is README's first command's (scripts/
# setup.sh --start: .venv, the node packages, the stand-in's build). Every step is stamped with
# a hash of its inputs (.hub/stamps/) and skipped when they did not change: a second start
# only starts. The hub's state (database, cookie secret, crypt key, clients, homes, the
# stand-in's data) is in --state-dir (default .hub/state, VCE_HUB_STATE_DIR).
# scripts/install-test.sh leaves the wheel and the stand-in's package it checked in .hub/ under
# the same keys (scripts/hub-artefacts.sh): after it, a start builds neither again.
# Before installing anything it checks that the ports the hub will bind are free, and it holds
# a lock on STATE/.lock while the hub runs: one hub per state folder.
# Ctrl+C stops the hub, and with it the proxy, the stand-in and every lab.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
T0=$(date +%s.%N)

fail() { printf 'start-hub: %s\n' "$*" >&2; exit 1; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
usage() { sed -n '6,7p' "$0" | sed 's/^# \{0,3\}//'; }

PORT=${VCE_HUB_PORT:-8000}
PLATFORM_PORT=${VCE_HUB_PLATFORM_PORT:-8911}
STATE=${VCE_HUB_STATE_DIR:-$ROOT/.hub/state}
CLIENTS=${VCE_HUB_CLIENTS_FILE:-}
FRESH=0
while [ $# -gt 0 ]; do
  case $1 in
    --port | --platform-port | --state-dir | --clients-file)
      if [ $# -lt 2 ] || [ -z "$2" ]; then fail "$1 needs a value (run with --help)."; fi
      case $1 in
        --port) PORT=$2 ;;
        --platform-port) PLATFORM_PORT=$2 ;;
        --state-dir) STATE=$2 ;;
        --clients-file) CLIENTS=$2 ;;
      esac
      shift 2
      ;;
    --fresh) FRESH=1; shift ;;   # start from an empty state folder (the browser tests)
    -h | --help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option $1" ;;
  esac
done
for port in "$PORT" "$PLATFORM_PORT"; do
  if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
    fail "\"$port\" is not a port (1 to 65535)."
  fi
done
[ -z "$CLIENTS" ] || [ -f "$CLIENTS" ] || fail "--clients-file $CLIENTS does not exist (deploy/clients.example.json shows the form)."
[ -z "$CLIENTS" ] || CLIENTS=$(realpath "$CLIENTS")
mkdir -p "$STATE" && STATE=$(realpath "$STATE")
# --fresh empties only a folder start-hub made (its marker), or an empty one (but its lock).
if [ "$FRESH" = 1 ] && [ ! -f "$STATE/.vce-hub-state" ] \
  && [ -n "$(find "$STATE" -mindepth 1 -maxdepth 1 ! -name .lock -print -quit)" ]; then
  fail "--fresh would empty $STATE, which is not a state folder start-hub made; pick another."
fi
if [ "$FRESH" = 1 ] && [ -n "$CLIENTS" ] && [[ $CLIENTS == "$STATE"/* ]]; then
  fail "--fresh would delete --clients-file $CLIENTS: it is inside the state folder $STATE. Move it out, or start without --fresh."
fi

# One hub per state folder, for the hub's whole run: the lock is held on this file, open in
# this script and in the hub it starts, and the file says whose it is.
exec 7<>"$STATE/.lock"
if ! flock -n 7; then
  fail "a hub already runs from this state folder $STATE (pid $(head -n 1 "$STATE/.lock" 2>/dev/null || echo unknown)); stop it, or pick another --state-dir."
fi
printf '%s\n' "$$" >"$STATE/.lock"

# The ports the hub binds (deploy/jupyterhub_config.py: the public port, the proxy's API one
# above it, the hub's API 81 above it, the stand-in's), free before anything is installed.
PORT_CHECK=(--port "$PORT" --platform-port "$PLATFORM_PORT")
[ -z "${RQS_API_URL:-}" ] || PORT_CHECK+=(--no-platform)
"$(command -v python3 || command -v python)" deploy/hub_state.py ports "${PORT_CHECK[@]}" >&2 || exit 1

# Temporary folders of the installs (the wheel's clean copy of the sources) go with the script,
# however it ends.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vce-start-hub.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# --- 1. the toolchain: README's first command's setup (shared, stamped the same way) --------
bash scripts/setup.sh --start
export PATH="$ROOT/.venv/bin:$PATH"
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# shellcheck source=scripts/hub-artefacts.sh
. scripts/hub-artefacts.sh   # HUB, VERSION, HUB_WHEEL, HUB_TARBALL, the keys
WHEEL=$HUB_WHEEL TARBALL=$HUB_TARBALL
STAMPS=$HUB_STAMPS LOGS=$HUB/logs
mkdir -p "$STAMPS" "$LOGS" "$HUB_DIST"
# One install at a time (a second start-hub, the browser tests' hub): they share .hub/.
exec 8>"$HUB/.install.lock"
flock -n 8 || { printf '==> Another start-hub is installing; waiting for it\n'; flock 8; }

# step NAME TITLE KEY COMMAND...: run COMMAND (output in .hub/logs/NAME.log) unless the stamp
# NAME holds KEY; say how long it took.
step() {
  local name=$1 title=$2 key=$3 t0
  shift 3
  if [ -f "$STAMPS/$name" ] && [ "$(cat "$STAMPS/$name")" = "$key" ]; then
    printf '==> %s: up to date\n' "$title"
    return 0
  fi
  printf '==> %s ...\n' "$title"
  t0=$(date +%s.%N)
  rm -f "$STAMPS/$name"
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    printf '!! %s failed; the end of its output (%s):\n' "$title" "$LOGS/$name.log" >&2
    tail -n 30 "$LOGS/$name.log" >&2
    exit 1
  fi
  printf '%s\n' "$key" >"$STAMPS/$name"
  printf '==> %s (%s s)\n' "$title" "$(since "$t0")"
}

# --- 2. the wheel, built from a clean copy of the sources (as scripts/install-test.sh does) --
# The files git tracks or would add, without the stand-in, the browser tests and the deployment.
wheel_sources() {
  git ls-files -z --cached --others --exclude-standard \
    | grep -zv -e '^node_modules' -e '^server-mock/' -e '^ui-tests/' -e '^deploy/' -e '^docs/' -e '^bench/'
}
WHEEL_KEY=$(wheel_key)
build_wheel() {
  local src
  src=$(mktemp -d "$WORK/wheel.XXXXXX")
  wheel_sources | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$src"
  ln -s "$ROOT/node_modules" "$src/node_modules"
  rm -f "$WHEEL"
  (cd "$src" && python -m build --wheel --no-isolation --outdir "$HUB_DIST" .) || return 1
  rm -rf "$src"
  [ -f "$WHEEL" ]
}
[ -f "$WHEEL" ] || rm -f "$STAMPS/wheel"
step wheel "The wheel (python -m build: the production labextension, the hub's authenticator)" \
  "$WHEEL_KEY" build_wheel

# --- 3. the stand-in's npm tarball, and its install into .hub/npm ----------------------------
# setup.sh built server-mock/dist from the current sources (its stamp says so): pack that build
# (prepack would rebuild it with the development packages a start does not install).
MOCK_KEY=$(mock_key)
pack_mock() {
  chmod 755 server-mock/dist/cli.js
  rm -f "$TARBALL"
  (cd server-mock && npm pack --ignore-scripts --pack-destination "$HUB_DIST") && [ -f "$TARBALL" ] \
    && npm install -g --no-progress --prefix "$HUB/npm" --allow-scripts=better-sqlite3 "$TARBALL" \
    && [ -x "$HUB/npm/bin/vce-mock" ]
}
[ -x "$HUB/npm/bin/vce-mock" ] || rm -f "$STAMPS/vce-mock"
step vce-mock "The platform stand-in's package (npm pack, npm install -g into .hub/npm; better-sqlite3 may compile: ~2 min)" \
  "$MOCK_KEY" pack_mock

# --- 4. the hub's virtual environment: the wheel with [hub], pyrqs for the kernels ------------
VENV_KEY=$( { cat "$STAMPS/wheel" "$STAMPS/vce-mock"; sha256sum requirements-dev.txt deploy/lab-settings/overrides.json; } | sha256sum | cut -c1-64)
install_venv() {
  local base pyrqs
  base=$(python -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')
  [ -x "$HUB/venv/bin/python" ] || "$base" -m venv "$HUB/venv"
  pyrqs=$(ls "$HUB"/npm/lib/node_modules/vce-mock/dist/python/pyrqs-*.whl)
  # The versions the project pins (requirements-dev.txt), then our two wheels as built now
  # (same version numbers as an earlier build: reinstalled, not skipped).
  "$HUB/venv/bin/python" -m pip install --disable-pip-version-check -c requirements-dev.txt "${WHEEL}[hub]" "$pyrqs" \
    && "$HUB/venv/bin/python" -m pip install --disable-pip-version-check --no-deps --force-reinstall "$WHEEL" "$pyrqs" \
    && "$HUB/venv/bin/python" -c 'import jupyterlab_vce.hub, pyrqs' \
    && install -D -m 0644 deploy/lab-settings/overrides.json "$HUB/venv/share/jupyter/lab/settings/overrides.json" \
    && [ -x "$HUB/venv/bin/jupyterhub" ] && [ -x "$HUB/venv/bin/jupyterhub-singleuser" ]
}
[ -x "$HUB/venv/bin/jupyterhub" ] || rm -f "$STAMPS/venv"
step venv "The hub's Python environment (.hub/venv: the wheel with [hub], pyrqs)" "$VENV_KEY" install_venv

# --- 5. configurable-http-proxy from npm (deploy/package-lock.json) --------------------------
PROXY_KEY=$(hash_files deploy/package.json deploy/package-lock.json)
install_proxy() {
  mkdir -p "$HUB/proxy" && cp deploy/package.json deploy/package-lock.json "$HUB/proxy/"
  (cd "$HUB/proxy" && npm ci --omit=dev --no-progress) && [ -x "$HUB/proxy/node_modules/.bin/configurable-http-proxy" ]
}
[ -x "$HUB/proxy/node_modules/.bin/configurable-http-proxy" ] || rm -f "$STAMPS/proxy"
step proxy "configurable-http-proxy (npm ci into .hub/proxy)" "$PROXY_KEY" install_proxy
flock -u 8 && exec 8>&-

# --- 6. the hub's state: a fresh folder for tests, the crypt key, the clients ---------------
if [ "$FRESH" = 1 ]; then   # everything but the lock this script holds
  find "$STATE" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
fi
chmod 700 "$STATE" && touch "$STATE/.vce-hub-state"
export JUPYTERHUB_CRYPT_KEY
JUPYTERHUB_CRYPT_KEY=${JUPYTERHUB_CRYPT_KEY:-$(python deploy/hub_state.py crypt-key "$STATE/crypt-key")}
SHOW_SECRETS=()
if [ -n "${RQS_API_URL:-}" ]; then
  printf '==> Platform: %s (RQS_API_URL; no stand-in)\n' "$RQS_API_URL"
elif [ -n "$CLIENTS" ]; then
  printf '==> Clients: %s\n' "$CLIENTS"
else
  CLIENTS=$STATE/clients.json
  case $(python deploy/hub_state.py demo-clients "$CLIENTS") in
    created) printf '==> Demo clients: created %s (mode 0600)\n' "$CLIENTS" ;;
    *) printf '==> Demo clients: %s\n' "$CLIENTS" ;;
  esac
  SHOW_SECRETS=(--show-secrets)
fi

# --- 7. the hub ------------------------------------------------------------------------------
export VCE_HUB_STATE_DIR=$STATE VCE_HUB_PORT=$PORT VCE_HUB_PLATFORM_PORT=$PLATFORM_PORT
export VCE_HUB_CLIENTS_FILE=$CLIENTS
export VCE_MOCK_BIN=$HUB/npm/bin/vce-mock VCE_HUB_PROXY_BIN=$HUB/proxy/node_modules/.bin/configurable-http-proxy
# Only the hub's environment on PATH (and node, for the proxy and the stand-in).
NODE_DIR=$(dirname "$(command -v node)")
export PATH="$HUB/venv/bin:$NODE_DIR:/usr/local/bin:/usr/bin:/bin"
unset VIRTUAL_ENV PYTHONPATH RQS_CLIENT_KEY RQS_CLIENT_SECRET RQS_PIP_INDEX_URL
URL="http://${VCE_HUB_IP:-127.0.0.1}:$PORT/hub/login"
LOG=$STATE/jupyterhub.log
printf '==> Starting JupyterHub on %s (log: %s)\n' "${URL%/hub/login}" "$LOG"
LOG_FROM=$(($( [ -f "$LOG" ] && wc -l <"$LOG" || echo 0) + 1))   # this start's first line
(cd "$STATE" && exec jupyterhub -f "$ROOT/deploy/jupyterhub_config.py") >>"$LOG" 2>&1 &
HUB_PID=$!

stop_hub() {
  trap - INT TERM
  if kill -0 "$HUB_PID" 2>/dev/null; then
    printf '\n==> Stopping the hub (the proxy, the stand-in and every lab with it)\n'
    kill -TERM "$HUB_PID" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$HUB_PID" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$HUB_PID" 2>/dev/null; then
      kill -KILL "$HUB_PID" 2>/dev/null || true
      # The proxy, the stand-in and the labs run in sessions of their own: the hub stops them
      # on SIGTERM, and a killed hub cannot.
      printf '!! The hub did not stop within 30 s of SIGTERM and was killed (pid %s). Its proxy (pid in %s), the stand-in (port %s) and the labs may still be running: check with ps and stop them before the next start.\n' \
        "$HUB_PID" "$STATE/proxy.pid" "$PLATFORM_PORT" >&2
    fi
  fi
  wait "$HUB_PID" 2>/dev/null || true
  exit 0
}
trap stop_hub INT TERM
# The hub exited by itself: what it (or the stand-in, or the config) said went wrong, not the
# proxy's chatter around it; the whole log when nothing says.
hub_stopped() {
  local said
  said=$(tail -n "+$LOG_FROM" "$LOG" | grep -E '^\[[CE] |^vce-mock|^jupyterhub_config' | tail -n 15 || true)
  printf '!! The hub stopped. %s (whole log: %s)\n' "${said:+What it said:}" "$LOG" >&2
  if [ -n "$said" ]; then printf '%s\n' "$said" >&2; else tail -n "+$LOG_FROM" "$LOG" | tail -n 40 >&2; fi
  exit 1
}

# The login page answers once the proxy, the hub and the stand-in are up.
until python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$URL" 2>/dev/null; do
  if ! kill -0 "$HUB_PID" 2>/dev/null; then
    wait "$HUB_PID" || true
    hub_stopped
  fi
  sleep 0.3
done
if [ -n "$CLIENTS" ]; then
  python deploy/hub_state.py banner "$CLIENTS" "$URL" "${SHOW_SECRETS[@]}"
else
  printf '\n  The VCE login page: %s\n\n' "$URL"
fi
printf '==> Login page up %s s after the command. Ctrl+C stops the hub.\n' "$(since "$T0")"
wait "$HUB_PID" || hub_stopped
