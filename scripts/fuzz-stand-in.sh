#!/usr/bin/env bash
# Schema fuzz of the platform stand-in (issue 18): Schemathesis over server-mock/openapi.yaml
# against a freshly started stand-in, as a researcher, a reviewer and nobody; fixed seed and
# examples per operation (tests/fuzz/stand-in.toml). Fails on any 5xx, any response that
# breaks the contract, any crash. Needs `bash scripts/setup.sh` (.venv-fuzz, the built stand-in).
#   bash scripts/fuzz-stand-in.sh [--max-examples N] [--passes researcher,reviewer,anonymous]
#                                 [--reports DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv-fuzz/bin/st ] || { echo "fuzz: .venv-fuzz is missing: run bash scripts/setup.sh" >&2; exit 1; }
exec .venv-fuzz/bin/python tests/fuzz/stand_in.py "$@"
