#!/usr/bin/env bash
# README's second command (and CI's): install everything, then run every test:
# jest (server-mock, frontend), pytest (server extension and hub authenticator on JupyterHub 6,
# the hub authenticator on JupyterHub 5.5, three public Research API clients, pyrqs SDK), Galata
# in Debian's Chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REPORTS="$ROOT/.test-reports"
rm -rf "$REPORTS" && mkdir -p "$REPORTS"

ensure_chromium() {
  command -v chromium >/dev/null && return 0
  if [ "$(id -u)" = 0 ]; then
    printf '\n==> Installing Debian chromium (apt-get)\n'
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test: Chromium is missing; run: sudo apt-get install -y chromium" >&2
    return 1
  fi
}

set -e
bash scripts/setup.sh
ensure_chromium
export PATH="$ROOT/.venv/bin:$PATH"
set +e

status=0
run() { # name, command...
  local name=$1; shift
  printf '\n==> %s\n' "$name"
  "$@" || { status=1; printf '\n!! %s failed\n' "$name"; }
}

run "OpenAPI types are generated from server-mock/openapi.yaml" bash -c \
  'npm run --silent gen:api >/dev/null && git diff --exit-code -- src/api/platform.d.ts'
run "Query catalogue is generated from server-mock/src/query/catalogue.ts" bash -c \
  'npm run --silent gen:catalogue >/dev/null && git diff --exit-code -- src/query/catalogue.generated.ts'
run "Starter script of New clean-room script is generated from docs/examples/clean_room_starter.py" bash -c \
  'npm run --silent gen:starter >/dev/null && git diff --exit-code -- src/template/starter.generated.ts'
run "Import rules (dependency-cruiser): the extension's src/" npm run --silent lint:deps
run "Import rules (dependency-cruiser): server-mock/src/" bash -c "cd server-mock && npm run --silent lint:deps"
run "Lint and format (eslint, prettier): the extension" npm run --silent lint:check
run "Lint and format (eslint, prettier): server-mock" bash -c "cd server-mock && npm run --silent lint:check"
run "Lint and format (ruff): the Python code (config in pyproject.toml)" bash -c "ruff check . && ruff format --check ."
run "Install test: the wheel and the stand-in's npm tarball in a fresh venv and npm prefix, jupyter server from there" \
  bash scripts/install-test.sh
run "jest: server-mock" bash -c "cd server-mock && npx jest --ci --json --outputFile='$REPORTS/jest-server-mock.json'"
# Schemathesis over server-mock/openapi.yaml against a fresh stand-in (tests/fuzz/stand-in.toml).
run "Fuzz: the stand-in's contract (Schemathesis, fixed seed; any 5xx or contract break fails)" \
  bash scripts/fuzz-stand-in.sh --reports "$REPORTS/fuzz-stand-in"
# Schemathesis over jupyterlab_vce/openapi.yaml: a Jupyter server with the extension, a fresh stand-in.
run "Fuzz: the server extension's routes (Schemathesis, fixed seed; deep, huge and NUL bodies; any 5xx fails)" \
  bash scripts/fuzz-extension.sh --reports "$REPORTS/fuzz-extension"
run "jest: frontend" npx jest --ci --json --outputFile="$REPORTS/jest-frontend.json"
run "pytest: server extension, hub authenticator on JupyterHub 6" python -m pytest -q --junitxml="$REPORTS/pytest.xml"
# The hub tests again on JupyterHub 5.5 (.venv-hub55: JupyterHub and pytest, the checkout on
# PYTHONPATH); --confcutdir keeps the server extension's fixtures (jupyter_server) out of it.
run "pytest: hub authenticator on JupyterHub 5.5" env PYTHONPATH="$ROOT" .venv-hub55/bin/python -m pytest -q \
  -p no:cacheprovider --confcutdir=jupyterlab_vce/tests/hub --junitxml="$REPORTS/pytest-hub55.xml" \
  jupyterlab_vce/tests/hub
# Three public Research API clients from PyPI (.venv-clients), unmodified but for the address,
# crawl fresh stand-ins with and without fault plans; the oracle is the stand-in's data file.
run "pytest: public Research API clients (three PyPI clients against the stand-in)" \
  .venv-clients/bin/python -m pytest -q -p no:cacheprovider tests/research_clients \
  --junitxml="$REPORTS/pytest-research-clients.xml"
run "pytest: pyrqs SDK (unit, shared vectors, seed example in a real kernel)" bash -c \
  "cd server-mock/python && python -m pytest -q --junitxml='$REPORTS/pytest-pyrqs.xml'"
run "Galata: JupyterLab in Chromium" bash -c \
  "cd ui-tests && npm ci --no-progress && PLAYWRIGHT_JSON_OUTPUT_NAME='$REPORTS/galata.json' npx playwright test --reporter=line,json"
run "Galata: the team hub (scripts/start-hub.sh: JupyterHub, the proxy, two researchers) in Chromium" bash -c \
  "cd ui-tests && PLAYWRIGHT_JSON_OUTPUT_NAME='$REPORTS/galata-hub.json' npx playwright test -c playwright.hub.config.ts --reporter=line,json"

python scripts/summarize_tests.py "$REPORTS"
exit $status
