#!/usr/bin/env bash
# README's first command: install what running needs (each step skipped when its
# inputs did not change, see scripts/setup.sh), then start JupyterLab with the
# extension and the embedded local platform (server-mock) wired together.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --start
PATH="$(pwd)/.venv/bin:$PATH"
export PATH
args=()
[ "$(id -u)" = 0 ] && args+=(--allow-root)
# The researcher's files (notebooks, scripts, downloaded results) live in a
# folder of their own, not among the project's sources: workspace/ (ignored
# by git) unless VCE_WORKSPACE or a --ServerApp.root_dir/--notebook-dir says otherwise.
case " $* " in
  *" --ServerApp.root_dir"* | *" --notebook-dir"* | *" --ServerApp.notebook_dir"*) ;;
  *)
    workspace=${VCE_WORKSPACE:-$(pwd)/workspace}
    mkdir -p "$workspace"
    args+=("--ServerApp.root_dir=$workspace")
    printf '\n==> Workspace: %s\n' "$workspace"
    ;;
esac
# The stand-in this checkout just built, even where a vce-mock package is installed
# globally (the embedded default would take the one on PATH first).
export VCE_MOCK_BIN=${VCE_MOCK_BIN:-$(pwd)/server-mock/dist/cli.js}
printf '\n==> Starting JupyterLab (Ctrl+C to stop); the status bar shows the VCE connection.\n'
exec jupyter lab "${args[@]}" "$@"
