#!/usr/bin/env bash
# Install everything the project needs, idempotently, on a machine with Node 20
# and Python 3.11: a virtual environment (.venv) with JupyterLab and this
# package (editable, labextension built), the platform stand-in built, and
# the node packages of every part from their lock files.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3 || true)}
[ -n "$PYTHON" ] || fail "Python 3.11 is required (python3.11 or python3 on PATH)."
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || fail "Python 3.11 or newer is required; $PYTHON is $("$PYTHON" --version 2>&1)."
command -v node >/dev/null || fail "Node.js 20 is required (node on PATH)."
node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' \
  || fail "Node.js 20 or newer is required; node is $(node --version)."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1   # Chromium comes from Debian, never a download
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

step "Python virtual environment (.venv)"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
export PATH="$ROOT/.venv/bin:$PATH"
python -m pip install --quiet -r requirements-dev.txt

step "Platform stand-in (server-mock): npm ci && build"
(cd server-mock && npm ci --no-progress && npm run build)

step "SDK stand-in (pyrqs): editable install into .venv, where kernels find it"
python -m pip install --quiet --no-build-isolation -e server-mock/python

step "Extension node packages: npm ci"
npm ci --no-progress

step "jupyterlab_vce: editable install, labextension build"
python -m pip install --quiet --no-build-isolation -e .
jupyter-builder develop --overwrite . >/dev/null
jupyter server extension enable --sys-prefix jupyterlab_vce >/dev/null

step "Installed"
jupyter labextension list 2>&1 | grep -E 'jupyterlab-vce' || fail "the labextension is not installed"
jupyter server extension list 2>&1 | grep -E 'jupyterlab_vce.*OK' || fail "the server extension does not load"
