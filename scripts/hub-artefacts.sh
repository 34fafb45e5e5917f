# shellcheck shell=bash disable=SC2034 # (its variables are for the scripts that source it)
# Sourced by scripts/start-hub.sh and scripts/install-test.sh (from the checkout's root, with
# the toolchain's python and node on PATH): where the hub's installs live and the keys that
# say which sources the wheel and the stand-in's package were built from. install-test.sh
# hands the artefacts it built and checked to start-hub.sh under these keys, so a test run
# (scripts/test.sh: the install test, then the browser tests' hub) builds each only once.

HUB=${VCE_HUB_HOME:-$PWD/.hub}
HUB_STAMPS=$HUB/stamps
HUB_DIST=$HUB/dist
VERSION=$(node -p 'require("./package.json").version')
# The tools' versions are part of every key: another node or Python builds again.
VERSIONS="node $(node --version) $(python --version 2>&1)"
HUB_WHEEL=$HUB_DIST/jupyterlab_vce-$VERSION-py3-none-any.whl
HUB_TARBALL=$HUB_DIST/vce-mock-$VERSION.tgz

# hash_files PATH...: one hash of the files' contents (Python's byte-code caches left out:
# a test run writes them beside pyrqs' sources) and of the tools' versions.
hash_files() {
  {
    printf '%s\n' "$VERSIONS" "$*"
    find "$@" -name __pycache__ -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
  } | sha256sum | cut -c1-64
}

# The wheel's key: what goes into it (pyproject.toml's sdist list) and how it is built, not
# the rest of the checkout (a changed script or test rebuilds nothing).
WHEEL_INPUTS=(pyproject.toml jupyterlab_vce src style schema jupyter-config install.json package.json
  package-lock.json tsconfig.json README.md)
wheel_key() {
  {
    printf '%s\n' "$VERSIONS"
    git ls-files -z --cached --others --exclude-standard -- "${WHEEL_INPUTS[@]}" \
      | grep -zv -e '/tests/' -e '/__tests__/' | xargs -0 -r sha256sum 2>/dev/null
  } | sha256sum | cut -c1-64
}

# The stand-in's key: its build (server-mock/dist, made by scripts/setup.sh or npm pack's
# prepack), its package files, the sandbox and pyrqs' sources.
mock_key() {
  hash_files server-mock/dist server-mock/package.json server-mock/package-lock.json \
    server-mock/sandbox server-mock/python/pyrqs
}
