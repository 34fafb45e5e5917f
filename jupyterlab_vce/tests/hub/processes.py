"""The real processes the hub tests run: the platform stand-in (vce-mock) and JupyterHub.

Both write their output to files (read after the test, e.g. to look for a secret) and are
stopped with SIGTERM, then SIGKILL, by the process id they were started with.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]
MOCK_CLI = CHECKOUT / "server-mock" / "dist" / "cli.js"
MOCK_READY = r"^vce-mock listening on (http://\S+)$"
HUB_READY = "JupyterHub is now running at"
START_TIMEOUT = 60.0
#: Where the tests look for configurable-http-proxy (JupyterHub's proxy, an npm package).
CHP_ENV = "VCE_CHP"
CHP_CANDIDATES = (CHECKOUT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy",)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port_url() -> str:
    """A loopback URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


def configurable_http_proxy() -> str:
    """The proxy's executable: $VCE_CHP, deploy/'s npm install, or PATH; else a clear failure."""
    candidates = [os.environ.get(CHP_ENV, "")] + [str(path) for path in CHP_CANDIDATES]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("configurable-http-proxy")
    assert found, (
        "configurable-http-proxy (npm, 5.3.0) was not found: install it with "
        "`npm ci --prefix deploy`, or set VCE_CHP to its executable."
    )
    return found


def _wait_for(log: Path, process: subprocess.Popen[bytes], pattern: str) -> str:
    """The log's first match of ``pattern`` once it appears; fail with the log's end if never."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        match = re.search(pattern, text, re.MULTILINE)
        if match:
            return match.group(1) if match.groups() else match.group(0)
        if process.poll() is not None:
            raise AssertionError(
                f"{process.args[:3]} exited ({process.returncode}):\n{text[-3000:]}"
            )
        time.sleep(0.1)
    raise AssertionError(f"{process.args[:3]} did not start in {START_TIMEOUT} s:\n{text[-3000:]}")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, then SIGKILL after 10 s: only the process this helper started."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class StandIn:
    """vce-mock with research clients, on one port and one data directory across restarts."""

    data_dir: Path
    clients: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StandIn:
        assert MOCK_CLI.is_file(), (
            f"server-mock is not built ({MOCK_CLI} is missing): run "
            "`cd server-mock && npm ci && npm run build`, then rerun these tests."
        )
        node = shutil.which("node")
        assert node, "node is not on PATH: install Node.js 20 or later."
        self.starts += 1
        log = self.data_dir / f"vce-mock-{self.starts}.log"
        command = [node, str(MOCK_CLI), "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--data-dir", str(self.data_dir / "data"), "--videos", "50"]
        for key, secret in self.clients.items():
            command += ["--client", f"{key}:{secret}"]
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _wait_for(log, self.process, MOCK_READY)
        return self

    def stop(self) -> None:
        stop(self.process)

    def restart(self, clients: dict[str, str]) -> None:
        """Stop, then start on the same port and data with these clients (a new secret)."""
        self.stop()
        self.clients = clients
        self.start()


@dataclass
class Hub:
    """A JupyterHub process with the VCE authenticator, its proxy and sqlite database in ``root``."""

    root: Path
    platform_url: str
    crypt_key: str
    extra_config: str = ""
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.root / "jupyterhub.log"

    @property
    def database(self) -> Path:
        return self.root / "jupyterhub.sqlite"

    def config(self) -> str:
        return "\n".join(
            [
                'c.JupyterHub.authenticator_class = "jupyterlab_vce.hub.VCEAuthenticator"',
                f"c.VCEAuthenticator.platform_url = {self.platform_url!r}",
                f'c.JupyterHub.bind_url = "http://127.0.0.1:{self.port}"',
                f'c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"',
                f'c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"',
                f"c.ConfigurableHTTPProxy.command = [{configurable_http_proxy()!r}]",
                # Runs servers as the hub's own user: no system users needed.
                'c.JupyterHub.spawner_class = "simple"',
                f'c.JupyterHub.db_url = "sqlite:///{self.database}"',
                f"c.JupyterHub.cookie_secret_file = {str(self.root / 'cookie_secret')!r}",
                f"c.JupyterHub.pid_file = {str(self.root / 'jupyterhub.pid')!r}",
                # The most the hub ever logs: a secret must not be in it at any level.
                'c.JupyterHub.log_level = "DEBUG"',
                self.extra_config,
            ]
        )

    def environment(self) -> dict[str, str]:
        """The hub's environment: the checkout importable, the test's crypt key (or none)."""
        checkout_first = filter(None, [str(CHECKOUT), os.environ.get("PYTHONPATH")])
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(checkout_first)}
        environment.pop("RQS_API_URL", None)
        environment.pop("JUPYTERHUB_CRYPT_KEY", None)
        if self.crypt_key:
            environment["JUPYTERHUB_CRYPT_KEY"] = self.crypt_key
        return environment

    def launch(self) -> subprocess.Popen[bytes]:
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "jupyterhub_config.py"
        config.write_text(self.config())
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(config)],
                cwd=self.root,
                env=self.environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return self.process

    def start(self) -> Hub:
        _wait_for(self.log, self.launch(), HUB_READY)
        return self

    def run_until_exit(self, timeout: float = START_TIMEOUT) -> int:
        """Start the hub expecting it to refuse to start: its exit status (its log says why)."""
        process = self.launch()
        try:
            return process.wait(timeout=timeout)
        finally:
            stop(process)

    def stop(self) -> None:
        stop(self.process)
