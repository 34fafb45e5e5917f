#!/usr/bin/env bash
# Benchmark of README's first command (scripts/start.sh) on this machine; not a test
# (scripts/test.sh does not run it).
#
#   bash bench/start.sh [--cold-cache] [--keep]
#
# 1. first run: a fresh `git clone` of this checkout's HEAD into a temporary folder
#    (nothing installed is reused: a new .venv, new node_modules), `scripts/start.sh
#    --no-browser --port=<free>` until the server logs "Jupyter Server … is running at";
# 2. second run: the same in the same clone (every install step up to date);
# 3. baseline: a bare `jupyter server` from the clone's .venv, to the same line.
# npm's and pip's caches are the user's (warm, usually) unless --cold-cache points
# npm_config_cache and PIP_CACHE_DIR at empty temporary folders. --keep keeps the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

COLD=0
KEEP=0
for arg in "$@"; do
  case $arg in
    --cold-cache) COLD=1 ;;
    --keep) KEEP=1 ;;
    *) printf 'usage: %s [--cold-cache] [--keep]\n' "$0" >&2; exit 2 ;;
  esac
done

now() { date +%s.%N; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/vce-bench-start.XXXXXX")
SERVER_PID=""
cleanup() {
  stop_server
  if [ "$KEEP" = 1 ]; then printf 'kept: %s\n' "$WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [ "$COLD" = 1 ]; then
  export npm_config_cache="$WORK/npm-cache" PIP_CACHE_DIR="$WORK/pip-cache"
  CACHES="cold (empty npm and pip caches in $WORK)"
else
  CACHES="warm (npm cache $(npm config get cache), pip cache $(python3 -m pip cache dir 2>/dev/null || echo '?'))"
fi
[ -z "$(git status --porcelain --untracked-files=no)" ] \
  || printf 'bench: the checkout has uncommitted changes; the clone has HEAD only\n' >&2

# timed_start VAR LOG COMMAND...: start COMMAND in a process group of its own, wait
# for "Jupyter Server ... is running at" in its output; VAR gets the seconds taken.
timed_start() {
  local var=$1 log=$2 t0 deadline
  shift 2
  : >"$log"
  t0=$(now)
  setsid "$@" >"$log" 2>&1 </dev/null &
  SERVER_PID=$!
  deadline=$((SECONDS + 1800))
  until grep -qE 'Jupyter Server .* is running at' "$log"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      printf 'bench: the command exited before the server ran; the end of %s:\n' "$log" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    [ "$SECONDS" -lt "$deadline" ] || { printf 'bench: no server after 30 min\n' >&2; return 1; }
    sleep 0.1
  done
  printf -v "$var" '%s' "$(diff_s "$t0" "$(now)")"
}
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

root_args=()
[ "$(id -u)" = 0 ] && root_args+=(--allow-root)

printf '==> bench/start: %s, %s cores, node %s, %s\n' "$(date -u '+%F %T UTC')" "$(nproc)" \
  "$(node --version)" "$(python3 --version)"
printf '    caches: %s\n' "$CACHES"
git clone --quiet "$SRC" "$WORK/clone"
printf '    clone of %s at %s in %s\n' "$SRC" "$(git -C "$WORK/clone" rev-parse --short HEAD)" "$WORK/clone"
cd "$WORK/clone"

printf '==> first run (fresh clone) started %s\n' "$(date -u +%T)"
timed_start FIRST "$WORK/first.log" bash scripts/start.sh --no-browser --port="$(free_port)"
stop_server
grep -E '^==> .*\([0-9.]+ s\)$' "$WORK/first.log" | sed 's/^/    /'
printf '    first run: %s s\n' "$FIRST"

printf '==> second run (same clone) started %s\n' "$(date -u +%T)"
timed_start SECOND "$WORK/second.log" bash scripts/start.sh --no-browser --port="$(free_port)"
stop_server
grep -E '^==> ' "$WORK/second.log" | sed 's/^/    /'
printf '    second run: %s s\n' "$SECOND"

printf '==> baseline: bare jupyter server from the same .venv, started %s\n' "$(date -u +%T)"
timed_start BARE "$WORK/bare.log" .venv/bin/jupyter server --no-browser --port="$(free_port)" \
  "${root_args[@]}"
stop_server
printf '    bare jupyter server: %s s\n' "$BARE"

printf '\n==> bench/start (%s, caches %s)\n' "$(date -u '+%F %T UTC')" "$([ "$COLD" = 1 ] && echo cold || echo warm)"
printf '    first run   %7s s\n' "$FIRST"
printf '    second run  %7s s   (second/first %s)\n' "$SECOND" \
  "$(awk -v a="$SECOND" -v b="$FIRST" 'BEGIN { printf "%.3f", a / b }')"
printf '    bare server %7s s   (second run/bare %s)\n' "$BARE" \
  "$(awk -v a="$SECOND" -v b="$BARE" 'BEGIN { printf "%.2f", a / b }')"
