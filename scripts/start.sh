#!/usr/bin/env bash
# README's first command: install everything, then start JupyterLab with the
# extension and the embedded local platform (server-mock) wired together.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$(pwd)/.venv/bin:$PATH"
args=()
[ "$(id -u)" = 0 ] && args+=(--allow-root)
printf '\n==> Starting JupyterLab (Ctrl+C to stop); the status bar shows the VCE connection.\n'
exec jupyter lab "${args[@]}" "$@"
