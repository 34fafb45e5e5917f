#!/usr/bin/env bash
# The install test: build the two artefacts a user installs (the wheel, the stand-in's npm
# tarball), install them with no checkout in sight (a fresh virtual environment, a fresh npm
# prefix), start `jupyter server` from there with no RQS_API_URL, and check that it works:
# both extensions listed as OK, /vce/api/status connected to the embedded stand-in, the
# labextension's static files served. One line per check; exits non-zero if any fails.
# When every check passes it hands the wheel and the tarball, and the npm prefix it installed
# the tarball into, to scripts/start-hub.sh (.hub/, under the keys of scripts/hub-artefacts.sh),
# so the browser tests' hub that scripts/test.sh starts next builds neither again.
# Run by scripts/test.sh after scripts/setup.sh (it needs .venv's build tools and the node
# packages); alone: PATH="$PWD/.venv/bin:$PATH" bash scripts/install-test.sh
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)

export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# shellcheck source=scripts/hub-artefacts.sh
. scripts/hub-artefacts.sh   # VERSION, where start-hub.sh looks (HUB_*), the keys
# The wheel's key from the sources as they are when the build copies them.
WHEEL_KEY=$(wheel_key)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vce-install-test.XXXXXX")
SERVER_PID=
failures=0

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
}
cleanup() {
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { printf 'ok   - %s\n' "$*"; }
fail() { printf 'FAIL - %s\n' "$*"; failures=$((failures + 1)); }
check() { # description, command...: one line, ok or FAIL
  local what=$1; shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
size() { printf '%s (%s bytes)' "$(du -h "$1" | cut -f1)" "$(stat -c %s "$1")"; }
# The checked artefacts to where start-hub.sh finds them, stamped with its keys (its install
# lock held: a start-hub may be installing from the same folder).
hand_on() {
  mkdir -p "$HUB_DIST" "$HUB_STAMPS" && exec 8>"$HUB/.install.lock" && flock 8 || return 1
  rm -f "$HUB_STAMPS/wheel" "$HUB_STAMPS/vce-mock"
  cp "$WHEEL" "$HUB_WHEEL" && printf '%s\n' "$WHEEL_KEY" >"$HUB_STAMPS/wheel" \
    && cp "$TARBALL" "$HUB_TARBALL" && rm -rf "$HUB/npm" && mv "$PREFIX" "$HUB/npm" \
    && printf '%s\n' "$MOCK_KEY" >"$HUB_STAMPS/vce-mock"
  local status=$?
  exec 8>&-
  return "$status"
}
finish() {
  if [ "$failures" -eq 0 ]; then
    echo "install test: all checks passed"
    stop_server
    if [ -n "${MOCK_KEY:-}" ] && hand_on; then
      echo "install test: the wheel and the stand-in's package handed on to scripts/start-hub.sh ($HUB)"
    else
      echo "install test: could not hand the artefacts on to $HUB (scripts/start-hub.sh builds them)"
    fi
    exit 0
  fi
  echo "install test: $failures check(s) failed"
  exit 1
}
abort() { # a step the rest depends on failed: say so and stop
  fail "$*"
  finish
}

DIST="$TMP/dist" SRC="$TMP/src" VENV="$TMP/venv" PREFIX="$TMP/npm-prefix"
mkdir -p "$DIST" "$SRC"

# 1. The wheel, built from a clean copy of the source tree (the files git tracks or would
#    add), so the build neither sees nor replaces the development labextension of the
#    editable install in jupyterlab_vce/labextension. The node packages are the checkout's.
git ls-files -z --cached --others --exclude-standard \
  | grep -zv -e '^node_modules' -e '^server-mock/' -e '^ui-tests/' \
  | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$SRC" \
  || abort "copy the source tree to $SRC"
ln -s "$ROOT/node_modules" "$SRC/node_modules"
printf '==> python -m build --wheel (production labextension; log: %s)\n' "$TMP/build.log"
t0=$SECONDS
(cd "$SRC" && python -m build --wheel --no-isolation --outdir "$DIST" . >"$TMP/build.log" 2>&1) \
  || { tail -30 "$TMP/build.log"; abort "python -m build --wheel"; }
WHEEL="$DIST/jupyterlab_vce-$VERSION-py3-none-any.whl"
[ -f "$WHEEL" ] || abort "the wheel is named $(basename "$WHEEL") (found: $(ls "$DIST"))"
pass "wheel built in $((SECONDS - t0)) s: $(basename "$WHEEL"), $(size "$WHEEL")"

# 2. The stand-in's npm tarball (its prepack builds the JavaScript).
printf '==> npm pack (server-mock)\n'
t0=$SECONDS
(cd server-mock && npm pack --silent --pack-destination "$DIST" >"$TMP/pack.log" 2>&1) \
  || { tail -30 "$TMP/pack.log"; abort "npm pack in server-mock/"; }
TARBALL="$DIST/vce-mock-$VERSION.tgz"
[ -f "$TARBALL" ] || abort "the tarball is named $(basename "$TARBALL") (found: $(ls "$DIST"))"
pass "npm tarball built in $((SECONDS - t0)) s: $(basename "$TARBALL"), $(size "$TARBALL")"
MOCK_KEY=$(mock_key)   # of the build npm pack's prepack just made (start-hub.sh packs the same)
check "the tarball holds the built stand-in (package/dist/cli.js)" \
  bash -c "tar -tzf '$TARBALL' | grep -qx 'package/dist/cli.js'"
check "the tarball holds pyrqs' wheel for the package index (package/dist/python/)" \
  bash -c "tar -tzf '$TARBALL' | grep -qE '^package/dist/python/pyrqs-$VERSION-py3-none-any\.whl$'"

# 3. A fresh virtual environment with the wheel (dependencies at the versions the project
#    pins), and a fresh npm prefix with the tarball.
BASE_PYTHON=$(python -c 'import sys; print(getattr(sys, "_base_executable", sys.executable))')
printf '==> pip install %s into a fresh virtual environment\n' "$(basename "$WHEEL")"
t0=$SECONDS
"$BASE_PYTHON" -m venv "$VENV" || abort "python -m venv $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  -c requirements-dev.txt "$WHEEL" || abort "pip install $(basename "$WHEEL")"
pass "pip install $(basename "$WHEEL") into a fresh virtual environment in $((SECONDS - t0)) s"
printf '==> npm install -g %s into a fresh prefix\n' "$(basename "$TARBALL")"
t0=$SECONDS
npm install -g --no-progress --prefix "$PREFIX" "$TARBALL" >"$TMP/npm-install.log" 2>&1 \
  || { tail -30 "$TMP/npm-install.log"; abort "npm install -g $(basename "$TARBALL")"; }
[ -x "$PREFIX/bin/vce-mock" ] || abort "npm install -g gives $PREFIX/bin/vce-mock"
pass "npm install -g $(basename "$TARBALL") into a fresh prefix in $((SECONDS - t0)) s gives bin/vce-mock"

# 4. The environment of a user: the fresh installs first on PATH (node for the stand-in), no
#    platform or SDK variables, Jupyter's user dirs (and HOME) empty and temporary.
unset RQS_API_URL RQS_CLIENT_KEY RQS_CLIENT_SECRET RQS_PIP_INDEX_URL VCE_MOCK_BIN VCE_WORKSPACE \
  VIRTUAL_ENV PYTHONPATH PYTHONHOME JUPYTER_PATH JUPYTER_CONFIG_PATH JUPYTER_PLATFORM_DIRS
NODE_DIR=$(dirname "$(command -v node)")
export PATH="$PREFIX/bin:$VENV/bin:$NODE_DIR:/usr/local/bin:/usr/bin:/bin"
export HOME="$TMP/home" JUPYTER_CONFIG_DIR="$TMP/home/.jupyter" \
  JUPYTER_DATA_DIR="$TMP/home/.local/share/jupyter" JUPYTER_RUNTIME_DIR="$TMP/home/runtime"
mkdir -p "$HOME" "$TMP/root"
check "vce-mock on PATH is the installed package's ($(command -v vce-mock))" \
  test "$(command -v vce-mock)" = "$PREFIX/bin/vce-mock"

listed() { # heading, end of section, pattern < a listing: the pattern is in the heading's section
  # (colours stripped; a slow import's note may sit at column 0 inside a section)
  sed 's/\x1b\[[0-9;]*m//g' | awk -v h="$1" -v end="$2" 'index($0, h) == 1 { on = 1; next } $0 ~ end { on = 0 } on' \
    | grep -Eq "$3"
}
LABEXT="$VENV/share/jupyter/labextensions/jupyterlab-vce"
"$VENV/bin/jupyter" labextension list >"$TMP/labextensions.txt" 2>&1
check "jupyter labextension list: jupyterlab-vce v$VERSION enabled OK, in the fresh environment" \
  listed "$VENV/share/jupyter/labextensions" "^(/|Other labextensions)" "jupyterlab-vce v$VERSION enabled +OK" \
  <"$TMP/labextensions.txt"
"$VENV/bin/jupyter" server extension list >"$TMP/serverextensions.txt" 2>&1
check "jupyter server extension list: jupyterlab_vce enabled by its config file in the fresh environment" \
  listed "Config dir: $VENV/etc/jupyter" "^Config dir:" "^ +jupyterlab_vce +enabled" <"$TMP/serverextensions.txt"
check "jupyter server extension list: jupyterlab_vce $VERSION OK" \
  listed "Config dir: $VENV/etc/jupyter" "^Config dir:" "jupyterlab_vce +$VERSION +OK" <"$TMP/serverextensions.txt"
check "the installed labextension is the production build (no source maps)" \
  bash -c "[ -f '$LABEXT/package.json' ] && ! ls '$LABEXT'/static/*.map >/dev/null 2>&1"

# 5. jupyter server from the fresh environment, and what it serves.
TOKEN=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(24))')
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '==> jupyter server on 127.0.0.1:%s (log: %s)\n' "$PORT" "$TMP/server.log"
"$VENV/bin/jupyter" server --no-browser --ip=127.0.0.1 --port="$PORT" --ServerApp.port_retries=0 --allow-root \
  --ServerApp.token="$TOKEN" --ServerApp.root_dir="$TMP/root" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

LOAD=$("$VENV/bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["jupyterlab"]["_build"]["load"])' \
  "$LABEXT/package.json" 2>/dev/null || echo "static/remoteEntry.missing.js")
"$VENV/bin/python" - "http://127.0.0.1:$PORT" "$TOKEN" "$SERVER_PID" "$LOAD" <<'PY'
import json, os, re, sys, time, urllib.error, urllib.request

base, token, pid, load = sys.argv[1:5]
failed = 0


def line(ok, what):
    global failed
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} - {what}", flush=True)


def get(path, auth=True):
    request = urllib.request.Request(base + path)
    if auth:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def alive():
    try:
        os.kill(int(pid), 0)
        return True
    except OSError:
        return False


deadline = time.monotonic() + 90
status = None
while time.monotonic() < deadline and alive():
    try:
        code, _ = get("/api/status")
    except OSError:
        code = None
    if code == 200:
        break
    time.sleep(0.5)
else:
    line(False, "jupyter server starts (it exited or did not answer in 90 s)")
    sys.exit(failed)
line(True, "jupyter server starts and answers /api/status")

# The embedded stand-in starts with the extension; wait for it to be reachable.
body = {}
while time.monotonic() < deadline:
    code, raw = get("/vce/api/status")
    body = json.loads(raw) if code == 200 else {"http": code}
    if body.get("platform", {}).get("state") == "connected":
        break
    time.sleep(1)
platform = body.get("platform", {})
line(
    body.get("signed_in") is True
    and body.get("embedded") is True
    and platform.get("state") == "connected",
    "GET /vce/api/status: signed_in true, embedded true, platform connected "
    f"({platform.get('state')}: {platform.get('message')})",
)
# The installed stand-in's package index serves pyrqs with its hash (the guide's pip step).
index = f"{body.get('platform_url')}/simple/pyrqs/"
try:
    with urllib.request.urlopen(index, timeout=10) as answer:
        page = answer.read().decode()
    served = re.search(r'href="[^"]*pyrqs-[^"]*\.whl#sha256=[0-9a-f]{64}"', page) is not None
except OSError as error:
    served, page = False, str(error)
line(served, f"GET {index}: the package index lists pyrqs' wheel with its sha256")
code, raw = get(f"/lab/extensions/jupyterlab-vce/{load}", auth=False)
line(code == 200 and len(raw) > 0, f"GET /lab/extensions/jupyterlab-vce/{load}: {code}")
code, _ = get("/vce/api/status", auth=False)
line(code == 403, f"GET /vce/api/status without the token is refused: {code}")
sys.exit(failed)
PY
http_failures=$?
if [ "$http_failures" -ne 0 ]; then
  failures=$((failures + http_failures))
  echo "---- the server's log (last 40 lines) ----"
  tail -40 "$TMP/server.log"
fi
finish
