"""Schema fuzz of the server extension: Schemathesis over jupyterlab_vce/openapi.yaml.

Starts a fresh stand-in (as tests/fuzz/stand_in.py does, with one finished job), then a
Jupyter server from ``.venv`` with jupyterlab_vce pointed at it (``RQS_API_URL``, the
researcher's key and secret in its environment, a Jupyter token of its own, a temporary
root folder), and runs Schemathesis with ``tests/fuzz/extension.toml`` (fixed seed and
examples per operation) on every ``/vce/api/`` route but sign-out, then signed in as a
reviewer on the reviewers' routes, then on sign-out alone (it would turn every later call
into a 401). Before that it sends bodies no schema generator builds: JSON nested 100,000
deep to every POST route, 30 MiB to the submission routes, bodies past the query's and the
decision's bounds, NUL in a query. Exits non-zero on any 5xx or failed check.
Run it with the fuzz environment's Python: ``bash scripts/fuzz-extension.sh``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stand_in import (
    RESEARCHER,
    REVIEWER,
    ROOT,
    create_resources,
    end_process,
    fail_if_ended,
    log,
    log_tail,
    schemathesis_pass,
    stand_in,
    token_of,
)

SCHEMA = ROOT / "jupyterlab_vce" / "openapi.yaml"
CONFIG = Path(__file__).with_name("extension.toml")
JUPYTER = ROOT / ".venv" / "bin" / "jupyter-server"
DEEP = 100_000
#: The POST routes (a job id where the route has one).
POST_ROUTES = (
    "session",
    "jobs",
    "test-runs",
    "query",
    "jobs/{job}/cancel",
    "jobs/{job}/resubmit",
    "jobs/{job}/result/save",
    "review/jobs/{job}/decision",
    "review/jobs/{job}/outputs/out.txt",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, token: str, method: str = "GET", body: bytes | None = None) -> int:
    request = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        return int(error.code)


@contextmanager
def jupyter_server(temp: Path, platform: str, token: str) -> Iterator[str]:
    """A Jupyter server with the extension in front of ``platform``; its base URL."""
    port = free_port()
    root = temp / "root"
    root.mkdir()
    env = {
        **os.environ,
        "RQS_API_URL": platform,
        "RQS_CLIENT_KEY": RESEARCHER[0],
        "RQS_CLIENT_SECRET": RESEARCHER[1],
        "JUPYTER_RUNTIME_DIR": str(temp / "runtime"),
        "JUPYTER_DATA_DIR": str(temp / "data-jupyter"),
    }
    command = [
        str(JUPYTER),
        "--no-browser",
        "--allow-root",  # a container may run the tests as root
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
    ]
    with (temp / "jupyter.log").open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if fetch(f"{base}/vce/api/status", token) == 200:
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"fuzz: the Jupyter server did not start:\n{log_tail(out)}")
                time.sleep(0.5)
            yield base
            fail_if_ended(process, "the Jupyter server", out)
        finally:
            end_process(process, timeout=15)


def pinned_cases(base: str, token: str, job: str) -> tuple[int, list[str]]:
    """Bodies no schema generator builds; the requests sent and each 5xx."""
    deep = b"[" * DEEP + b"]" * DEEP
    huge = (
        b'{"entry": "a.py", "files": [{"name": "a.py", "content_base64": "'
        + b"A" * (30 * 1024 * 1024)
        + b'"}]}'
    )
    nul = (
        b'{"category": "video", "fields": "id", "condition_groups": [{"operator": "and", '
        b'"conditions": [{"field": "keyword", "operator": "EQ", "field_values": ["a\\u0000b"]}]}]}'
    )
    cases = [(route.format(job=job), deep) for route in POST_ROUTES]
    cases += [("jobs", huge), ("test-runs", huge), ("query", nul)]
    # Past each route's own bound: a 2 MiB query, a 100 KiB decision.
    cases += [("query", b'{"fields": "' + b"x" * (2 * 1024 * 1024) + b'"}')]
    cases += [(f"review/jobs/{job}/decision", b'{"reason": "' + b"x" * (100 * 1024) + b'"}')]
    server_errors = []
    for route, body in cases:
        status = fetch(f"{base}/vce/api/{route}", token, "POST", body)
        if status >= 500:
            server_errors.append(f"POST /vce/api/{route} ({len(body):,} bytes) -> {status}")
    log(f"pinned cases: {len(cases)} requests, {len(server_errors)} 5xx")
    return len(cases), server_errors


def run_schemathesis(
    name: str, base: str, token: str, filters: list[str], reports: Path, env: dict[str, str]
) -> tuple[int, int, list[str]]:
    """One pass over the extension's routes with the Jupyter token."""
    extra = ["--header", f"Authorization: token {token}", *filters]
    return schemathesis_pass(
        f"extension-{name}", SCHEMA, CONFIG, base, extra, env, reports, timeout=240
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, help="keep the reports here (default: a temp dir)")
    args = parser.parse_args()
    if not JUPYTER.exists():
        raise SystemExit(f"fuzz: {JUPYTER} is missing: run bash scripts/setup.sh")
    started = time.monotonic()
    token = os.urandom(16).hex()
    with tempfile.TemporaryDirectory(prefix="vce-fuzz-ext-") as temp_name:
        temp = Path(temp_name)
        reports = args.reports or temp / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        (temp / "mock").mkdir()
        with stand_in(temp / "mock", 300) as platform:
            resources = create_resources(platform, token_of(platform, RESEARCHER))
            with jupyter_server(temp, platform, token) as base:
                log(f"Jupyter server at {base}, the stand-in at {platform}")
                env = {**os.environ, **resources}
                job = resources["VCE_FUZZ_JOB_ID"]
                pinned, server_errors = pinned_cases(base, token, job)
                session = "^/vce/api/session$"
                routes = run_schemathesis(
                    "routes", base, token, ["--exclude-path-regex", session], reports, env
                )
                # The reviewers' routes again, signed in as the reviewer (a researcher gets 403).
                reviewer = {"client_key": REVIEWER[0], "client_secret": REVIEWER[1]}
                signed_in = fetch(
                    f"{base}/vce/api/session", token, "POST", json.dumps(reviewer).encode()
                )
                if signed_in != 200:
                    raise SystemExit(f"fuzz: signing in as the reviewer answered {signed_in}")
                review = ["--include-path-regex", "^/vce/api/review/"]
                results = [
                    routes,
                    run_schemathesis("reviewer", base, token, review, reports, env),
                    run_schemathesis(
                        "sign-out",
                        base,
                        token,
                        ["--include-path-regex", session, "--include-method", "DELETE"],
                        reports,
                        env,
                    ),
                ]
    total = pinned + sum(requests for _, requests, _ in results)
    server_errors += [line for _, _, errors in results for line in errors]
    failed = [
        name
        for name, (code, _, _) in zip(("routes", "reviewer", "sign-out"), results, strict=True)
        if code
    ]
    for line in server_errors[:20]:
        log(f"5xx: {line}")
    log(
        f"server extension: {total} requests fuzzed, {len(server_errors)} 5xx, passes failed: "
        f"{', '.join(failed) or 'none'} ({time.monotonic() - started:.0f} s)"
    )
    return 1 if failed or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
