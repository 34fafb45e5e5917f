#!/usr/bin/env bash
# Install everything the project needs on a machine with Node 20 and Python
# 3.11: a virtual environment (.venv) with JupyterLab and this package
# (editable, labextension built), the platform stand-in built, and the node
# packages of every part from their lock files.
#
#   bash scripts/setup.sh           everything, development tools included (scripts/test.sh)
#   bash scripts/setup.sh --start   what running needs (scripts/start.sh): the stand-in's
#                                   production dependencies only, built with the
#                                   extension's TypeScript
#
# Every step is skipped when its inputs did not change: a step's inputs (lock
# files, sources, Node and Python versions) are hashed into a stamp under
# .venv/.vce-stamps/; the step runs when its stamp is missing or differs, or its
# output is missing, and writes the stamp only after it succeeded.
# VCE_SETUP_PARALLEL=0 runs the three installs one after the other (default: at once).
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

SETUP_T0=$(now)
STAMPS="$ROOT/.venv/.vce-stamps"
LOGS="$ROOT/.venv/.vce-logs"
CHANGED=0

# --- stamps ---------------------------------------------------------------
# hash_inputs PATH...: one hash of the files' contents (folders: every file
# under them but generated or installed ones) and of the tools' versions.
hash_inputs() {
  {
    printf 'node %s python %s\n' "$(node --version)" "$("$PYTHON" --version 2>&1)"
    find "$@" \( -name node_modules -o -name __pycache__ -o -name '*.egg-info' -o -name dist \
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
stamp() { mkdir -p "$STAMPS" && printf '%s\n' "$2" >"$STAMPS/$1"; }
skipped() { printf '==> %s: up to date\n' "$1"; }
# step TITLE NAME KEY COMMAND...: run COMMAND, time it, stamp NAME with KEY.
step() {
  local title=$1 name=$2 key=$3 t0
  shift 3
  printf '\n==> %s\n' "$title"
  t0=$(now)
  "$@"
  stamp "$name" "$key"
  CHANGED=1
  printf '==> %s (%s s)\n' "$title" "$(since "$t0")"
}

# --- the three installs: Python packages, the stand-in's and the extension's node packages
[ -x .venv/bin/python ] || {
  printf '\n==> Python virtual environment (.venv)\n'
  "$PYTHON" -m venv .venv
}
export PATH="$ROOT/.venv/bin:$PATH"
mkdir -p "$LOGS"

PIP_KEY=$(hash_inputs requirements-dev.txt)
# The stand-in's packages: production ones to run it, all of them for its tests
# and its type-checked build. A full install serves a start as well.
MOCK_LOCK=$(hash_inputs server-mock/package-lock.json server-mock/package.json)
if [ "$MODE" = start ]; then MOCK_KEY="$MOCK_LOCK production"; else MOCK_KEY="$MOCK_LOCK full"; fi
ROOT_KEY=$(hash_inputs package-lock.json package.json)
MOCK_OUT=server-mock/node_modules/.package-lock.json
ROOT_OUT=node_modules/.package-lock.json

pip_install() { python -m pip install --quiet -r requirements-dev.txt; }
mock_npm_ci() {
  if [ "$MODE" = start ]; then (cd server-mock && npm ci --omit=dev "$@"); else (cd server-mock && npm ci "$@"); fi
}
root_npm_ci() { npm ci "$@"; }

jobs_names=()
jobs_titles=()
jobs_keys=()
need_install() { # NAME TITLE KEY OUTPUT...
  local name=$1 title=$2 key=$3
  shift 3
  if up_to_date "$name" "$key" "$@"; then skipped "$title"; return; fi
  if [ "$name" = mock-npm ] && [ "$MODE" = start ] && up_to_date "$name" "$MOCK_LOCK full" "$@"; then
    skipped "$title"; return
  fi
  jobs_names+=("$name"); jobs_titles+=("$title"); jobs_keys+=("$key")
}
need_install pip "Python packages (requirements-dev.txt) into .venv" "$PIP_KEY" .venv/bin/jupyter-lab
if [ "$MODE" = start ]; then
  need_install mock-npm "Platform stand-in's production packages (server-mock: npm ci --omit=dev)" "$MOCK_KEY" "$MOCK_OUT"
else
  need_install mock-npm "Platform stand-in's packages (server-mock: npm ci)" "$MOCK_KEY" "$MOCK_OUT"
fi
need_install root-npm "Extension's node packages (npm ci)" "$ROOT_KEY" "$ROOT_OUT"

run_install() { # NAME [npm args...]
  local name=$1
  shift
  case $name in
    pip) pip_install ;;
    mock-npm) mock_npm_ci "$@" ;;
    root-npm) root_npm_ci "$@" ;;
  esac
}

# npm_count DIR: packages unpacked so far under DIR/node_modules (for the progress lines).
npm_count() {
  find "$1/node_modules" -mindepth 2 -maxdepth 3 -name package.json \
    \( -path "$1/node_modules/@*/*/package.json" -o -not -path "$1/node_modules/*/*/package.json" \) \
    2>/dev/null | wc -l
}
lock_count() { node -e 'const l=require(process.argv[1]);const o=process.argv[2]==="production";
  console.log(Object.entries(l.packages).filter(([k,v])=>k&&!(o&&v.dev)).length)' "$1" "$2"; }
progress_of() { # NAME: one progress word for the line printed every few seconds
  case $1 in
    pip) printf '%s of %s packages' \
      "$(find .venv/lib -maxdepth 3 -name '*.dist-info' 2>/dev/null | wc -l)" \
      "$(grep -c '==' requirements-dev.txt)" ;;
    mock-npm) printf '%s of %s packages' "$(npm_count server-mock)" "$MOCK_TOTAL" ;;
    root-npm) printf '%s of %s packages' "$(npm_count .)" "$ROOT_TOTAL" ;;
  esac
}
MOCK_TOTAL=$(lock_count "$ROOT/server-mock/package-lock.json" "$([ "$MODE" = start ] && echo production)")
ROOT_TOTAL=$(lock_count "$ROOT/package-lock.json" "")

if [ "${#jobs_names[@]}" -gt 1 ] && [ "${VCE_SETUP_PARALLEL:-1}" != 0 ]; then
  # At once: they wait on the network and the disk more than on the 2 cores.
  # Their output goes to .venv/.vce-logs/; a progress line every 5 s.
  printf '\n==> At once (logs in .venv/.vce-logs/):\n'
  declare -A pid_of t0_of
  for i in "${!jobs_names[@]}"; do
    printf '    %s\n' "${jobs_titles[$i]}"
    run_install "${jobs_names[$i]}" --no-progress >"$LOGS/${jobs_names[$i]}.log" 2>&1 &
    pid_of[$i]=$!
    t0_of[$i]=$(now)
  done
  T0=$(now)
  failed=0
  while [ "${#pid_of[@]}" -gt 0 ]; do
    for i in "${!pid_of[@]}"; do
      kill -0 "${pid_of[$i]}" 2>/dev/null && continue
      if wait "${pid_of[$i]}"; then
        stamp "${jobs_names[$i]}" "${jobs_keys[$i]}"
        printf '==> %s (%s s)\n' "${jobs_titles[$i]}" "$(since "${t0_of[$i]}")"
      else
        failed=1
        printf '!! %s failed; its output:\n' "${jobs_titles[$i]}" >&2
        tail -n 40 "$LOGS/${jobs_names[$i]}.log" >&2
      fi
      unset "pid_of[$i]"
      CHANGED=1
    done
    [ "${#pid_of[@]}" -gt 0 ] || break
    sleep 1
    if [ $((SECONDS % 5)) = 0 ]; then
      line=""
      for i in "${!pid_of[@]}"; do line+="${line:+; }${jobs_names[$i]} $(progress_of "${jobs_names[$i]}")"; done
      printf '    ... %s s: %s\n' "$(since "$T0" | cut -d. -f1)" "$line"
    fi
  done
  [ "$failed" = 0 ] || fail "an install failed (logs in .venv/.vce-logs/)"
else
  for i in "${!jobs_names[@]}"; do
    progress=()
    case ${jobs_names[$i]} in *npm) [ -t 1 ] && progress=(--progress) || progress=(--no-progress) ;; esac
    step "${jobs_titles[$i]}" "${jobs_names[$i]}" "${jobs_keys[$i]}" \
      run_install "${jobs_names[$i]}" "${progress[@]}"
  done
fi

# --- builds and registrations ---------------------------------------------
# The stand-in's build: in a full setup its own type-checked `npm run build`;
# for a start, without its development packages, the same tsc (the extension's
# typescript, the same version) emits the same JavaScript with --noCheck
# (types are checked by the full setup and the tests).
BUILD_SRC=$(hash_inputs server-mock/src server-mock/python server-mock/tsconfig.json server-mock/tsconfig.build.json \
  server-mock/package.json server-mock/package-lock.json)
build_mock_checked() { (cd server-mock && npm run --silent build); }
build_mock_unchecked() {
  (cd server-mock && "$ROOT/node_modules/.bin/tsc" -p tsconfig.build.json --noCheck)
}
if up_to_date mock-build "$BUILD_SRC checked" server-mock/dist/cli.js \
  || { [ "$MODE" = start ] && up_to_date mock-build "$BUILD_SRC unchecked" server-mock/dist/cli.js; }; then
  skipped "Platform stand-in: build"
elif [ "$MODE" = start ] && [ ! -x server-mock/node_modules/.bin/tsc ]; then
  step "Platform stand-in: build (tsc --noCheck)" mock-build "$BUILD_SRC unchecked" build_mock_unchecked
else
  step "Platform stand-in: build (npm run build)" mock-build "$BUILD_SRC checked" build_mock_checked
fi

SDK_KEY=$(hash_inputs server-mock/python/pyproject.toml)
if up_to_date pyrqs "$SDK_KEY" .venv/bin/python && python -c 'import pyrqs' 2>/dev/null; then
  skipped "SDK stand-in (pyrqs)"
else
  step "SDK stand-in (pyrqs): editable install into .venv, where kernels find it" pyrqs "$SDK_KEY" \
    python -m pip install --quiet --no-build-isolation -e server-mock/python
fi

LAB_KEY=$(hash_inputs src style schema package.json package-lock.json tsconfig.json)
if up_to_date labextension "$LAB_KEY" jupyterlab_vce/labextension/static/style.js \
  jupyterlab_vce/labextension/package.json; then
  skipped "Labextension build"
else
  step "Labextension build (npm run build: tsc, jupyter-builder)" labextension "$LAB_KEY" \
    npm run --silent build
fi

PKG_KEY=$(hash_inputs pyproject.toml package.json install.json jupyter-config)
register() {
  python -m pip install --quiet --no-build-isolation -e .
  jupyter-builder develop --overwrite . >/dev/null
  jupyter server extension enable --sys-prefix jupyterlab_vce >/dev/null
}
if up_to_date jupyterlab-vce "$PKG_KEY" .venv/share/jupyter/labextensions/jupyterlab-vce/package.json \
  .venv/etc/jupyter/jupyter_server_config.d/jupyterlab_vce.json \
  && python -c 'import jupyterlab_vce' 2>/dev/null; then
  skipped "jupyterlab_vce"
else
  step "jupyterlab_vce: editable install, labextension linked, server extension enabled" \
    jupyterlab-vce "$PKG_KEY" register
fi

if [ "$CHANGED" = 1 ]; then
  printf '\n==> Installed\n'
  jupyter labextension list 2>&1 | grep -E 'jupyterlab-vce' || fail "the labextension is not installed"
  jupyter server extension list 2>&1 | grep -E 'jupyterlab_vce.*OK' || fail "the server extension does not load"
fi
printf '\n==> Setup done (%s s)\n' "$(since "$SETUP_T0")"
