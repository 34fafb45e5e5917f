#!/usr/bin/env bash
# Schema fuzz of the server extension (issue 18): Schemathesis over jupyterlab_vce/openapi.yaml
# against a Jupyter server with jupyterlab_vce in front of a fresh stand-in; fixed seed and
# examples per operation (tests/fuzz/extension.toml), plus deep, huge and NUL bodies on every
# POST route. Fails on any 5xx or crash. Needs `bash scripts/setup.sh` (.venv, .venv-fuzz, the
# built stand-in).   bash scripts/fuzz-extension.sh [--reports DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-fuzz/bin/st ] || { echo "fuzz: .venv-fuzz is missing: run bash scripts/setup.sh" >&2; exit 1; }
exec .venv-fuzz/bin/python tests/fuzz/extension.py "$@"
