"""The embedded default's process lifetime, with a Python stand-in of vce-mock."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient

from jupyterlab_vce import config
from jupyterlab_vce.embedded import EMBEDDED_CLIENT_KEY, SECRET_FILE_NAME

from .conftest import Api

STANDIN = [sys.executable, str(Path(__file__).with_name("standin.py"))]


def is_running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def wait_until_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(pid):
            return True
        time.sleep(0.05)
    return False


def vce_app(serverapp: Any) -> Any:
    return serverapp.web_app.settings["jupyterlab_vce"]


def secret_in(data_dir: Path) -> str:
    return (data_dir / SECRET_FILE_NAME).read_text().strip()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "mock-data"


class TestStandIn:
    @pytest.fixture
    def vce_config(self, data_dir: Path) -> dict[str, Any]:
        return {"mock_command": STANDIN, "mock_data_dir": str(data_dir)}

    async def test_environment_is_exported_for_kernels(
        self, jp_serverapp: Any, data_dir: Path
    ) -> None:
        app = vce_app(jp_serverapp)
        platform_url = jp_serverapp.web_app.settings["vce_platform"].base_url
        # Kernels reach the platform through the server's kernel route with the kernel
        # token; they never hold the embedded client's key or secret.
        assert os.environ["RQS_API_URL"] == (
            f"http://127.0.0.1:{jp_serverapp.port}{jp_serverapp.base_url}vce/platform"
        )
        assert os.environ["RQS_ACCESS_TOKEN"] == app.kernel_access.token
        assert "RQS_CLIENT_KEY" not in os.environ
        assert "RQS_CLIENT_SECRET" not in os.environ
        assert secret_in(data_dir) not in "".join(os.environ.values())
        # The guide's `pip install --index-url … pyrqs` gets the stand-in's package index.
        assert os.environ["RQS_PIP_INDEX_URL"] == f"{platform_url}/simple/"
        assert is_running(app.embedded_platform.pid)

    async def test_the_status_says_where_the_local_client_is(
        self, api: Api, jp_serverapp: Any, data_dir: Path
    ) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["local_client"] == {
            "client_key": EMBEDDED_CLIENT_KEY,
            "secret_file": str(data_dir / SECRET_FILE_NAME),
        }
        assert secret_in(data_dir) not in json.dumps(status)

    async def test_the_local_secret_is_shown_on_request(
        self, api: Api, jp_serverapp: Any, data_dir: Path
    ) -> None:
        response = await api.fetch("vce", "api", "local-client", "secret", raise_error=False)
        assert response.code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert json.loads(response.body) == {
            "client_key": EMBEDDED_CLIENT_KEY,
            "client_secret": secret_in(data_dir),
            "secret_file": str(data_dir / SECRET_FILE_NAME),
        }

    async def test_the_local_secret_needs_jupyter_auth(
        self, jp_serverapp: Any, http_server_client: Any, jp_base_url: str, data_dir: Path
    ) -> None:
        url = f"http://127.0.0.1:{jp_serverapp.port}{jp_base_url}vce/api/local-client/secret"
        response = await AsyncHTTPClient().fetch(url, raise_error=False, follow_redirects=False)
        assert response.code == 403
        assert secret_in(data_dir).encode() not in response.body

    async def test_child_is_gone_after_the_extension_stops(self, jp_serverapp: Any) -> None:
        app = vce_app(jp_serverapp)
        pid = app.embedded_platform.pid
        await app.stop_extension()
        assert not is_running(pid)

    async def test_output_reaches_the_log_with_the_secret_redacted(
        self, jp_serverapp: Any, data_dir: Path, captured_log: io.StringIO
    ) -> None:
        await vce_app(jp_serverapp).stop_extension()  # the stand-in wrote its stderr by now
        log = captured_log.getvalue()
        assert f"registered client {EMBEDDED_CLIENT_KEY}:[secret]:" in log
        assert secret_in(data_dir) not in log


class TestConfiguredPlatform:
    """A real platform (RQS_API_URL set by the user): its package index is the user's to set."""

    @pytest.fixture(params=[None, "https://pypi.example.org/simple/"])
    def vce_config(
        self, request: pytest.FixtureRequest, fake_platform: Any, monkeypatch: pytest.MonkeyPatch
    ) -> dict[str, Any]:
        monkeypatch.setenv("RQS_API_URL", fake_platform.url)
        if request.param is not None:
            monkeypatch.setenv("RQS_PIP_INDEX_URL", request.param)
        return {}

    async def test_pip_index_url_is_left_as_the_user_set_it(
        self, jp_serverapp: Any, request: pytest.FixtureRequest
    ) -> None:
        assert vce_app(jp_serverapp).embedded_platform is None
        expected = request.node.callspec.params["vce_config"]
        assert os.environ.get("RQS_PIP_INDEX_URL") == expected


class TestEmbeddedStartFailures:
    @pytest.fixture
    def mock_command(self) -> list[str]:
        return []

    @pytest.fixture
    def vce_config(self, data_dir: Path, mock_command: list[str]) -> dict[str, Any]:
        return {
            "mock_command": mock_command,
            "mock_data_dir": str(data_dir),
            "mock_startup_timeout": 1.0,
        }

    async def test_missing_stand_in_is_reported_in_status_and_forwarded_routes(
        self, api: Api, jp_serverapp: Any, http_server_client: Any
    ) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["embedded"] is True
        assert status["platform_url"] is None
        assert status["platform"]["state"] == "not_configured"
        assert "was not found" in status["platform"]["message"]
        assert "npm install -g vce-mock-" in status["platform"]["message"]
        code, body = await api.get("quota")
        assert code == 503
        assert body["error"]["message"] == status["platform"]["message"]
        # Kernels get the kernel route, which says the same instead of "signed out".
        response = await AsyncHTTPClient().fetch(
            os.environ["RQS_API_URL"] + "/v2/vce/quota/",
            headers={"Authorization": f"Bearer {os.environ['RQS_ACCESS_TOKEN']}"},
            raise_error=False,
        )
        assert response.code == 503
        assert json.loads(response.body)["error"]["message"] == status["platform"]["message"]
        assert "RQS_PIP_INDEX_URL" not in os.environ

    @pytest.mark.parametrize(
        "mock_command",
        [
            [
                sys.executable,
                "-c",
                "import sys; sys.stderr.write('Cannot find module dist/cli.js\\n'); sys.exit(3)",
            ]
        ],
    )
    async def test_stand_in_exiting_early_is_explained_with_its_output(
        self, api: Api, data_dir: Path, captured_log: io.StringIO
    ) -> None:
        code, status = await api.get("status")
        assert (code, status["platform"]["state"]) == (200, "unreachable")
        message = status["platform"]["message"]
        assert (
            "exited with code 3 before it was listening: Cannot find module dist/cli.js" in message
        )
        assert secret_in(data_dir) not in captured_log.getvalue()

    @pytest.mark.parametrize(
        "mock_command", [[sys.executable, "-c", "import time; time.sleep(60)"]]
    )
    async def test_silent_stand_in_times_out(self, api: Api) -> None:
        code, status = await api.get("status")
        assert (code, status["platform"]["state"]) == (200, "unreachable")
        assert "did not report it was listening within 1 s" in status["platform"]["message"]
        assert "mock_startup_timeout" in status["platform"]["message"]

    @pytest.mark.parametrize("mock_command", [["/nonexistent/node", "cli.js"]])
    async def test_missing_node_says_to_install_it(self, api: Api) -> None:
        code, status = await api.get("status")
        assert (code, status["platform"]["state"]) == (200, "unreachable")
        assert "Could not run '/nonexistent/node'" in status["platform"]["message"]
        assert "Install Node.js" in status["platform"]["message"]


def fake_executable(path: Path, body: str) -> Path:
    """A ``#!/bin/sh`` script at ``path``, executable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def standin_executable(path: Path) -> Path:
    """An executable that runs the Python stand-in with its arguments."""
    return fake_executable(path, f'exec "{sys.executable}" "{STANDIN[1]}" "$@"')


#: A stand-in in JavaScript that prints the ready line and serves nothing but 200s.
FAKE_CLI_JS = """
const http = require('node:http');
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const server = http.createServer((request, response) => response.end());
server.listen(port, '127.0.0.1', () => {
  console.log(`vce-mock listening on http://127.0.0.1:${server.address().port}`);
});
"""


def only_errors(log: str) -> list[str]:
    return [
        line
        for line in log.splitlines()
        if line.startswith("jupyterlab_vce: ") and "could not" in line
    ]


class TestLookup:
    """The default command: $VCE_MOCK_BIN, then vce-mock on PATH, then the checkout's cli.js."""

    @pytest.fixture
    def bin_dir(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """PATH is this directory (with node) only: no vce-mock installed on the machine counts."""
        directory = tmp_path / "bin"
        directory.mkdir()
        node = shutil.which("node")
        if node:
            (directory / "node").symlink_to(node)
        monkeypatch.setenv("PATH", str(directory))
        return directory

    @pytest.fixture
    def checkout_cli(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """Where the source tree's stand-in would be; absent unless a test writes it."""
        cli = tmp_path / "checkout" / "server-mock" / "dist" / "cli.js"
        monkeypatch.setattr(config, "CHECKOUT_MOCK_CLI", cli)
        return cli

    @pytest.fixture
    def vce_config(self, data_dir: Path, bin_dir: Path, checkout_cli: Path) -> dict[str, Any]:
        """Tests name the fixture that puts stand-ins in place before the server."""
        return {"mock_data_dir": str(data_dir), "mock_startup_timeout": 10.0}

    @pytest.fixture
    def with_all_three(
        self, tmp_path: Path, bin_dir: Path, checkout_cli: Path, monkeypatch: pytest.MonkeyPatch
    ) -> Path:
        """A configured stand-in, one on PATH that fails, and a checkout one that fails."""
        configured = standin_executable(tmp_path / "configured" / "my-vce-mock")
        monkeypatch.setenv("VCE_MOCK_BIN", str(configured))
        fake_executable(bin_dir / "vce-mock", "exit 1")
        checkout_cli.parent.mkdir(parents=True)
        checkout_cli.write_text("process.exit(1);\n")
        return configured

    async def test_the_configured_command_comes_first(
        self, with_all_three: Path, jp_serverapp: Any
    ) -> None:
        app = vce_app(jp_serverapp)
        assert app.mock_command == [str(with_all_three)]
        assert os.environ["RQS_API_URL"].startswith("http://127.0.0.1:")
        assert is_running(app.embedded_platform.pid)

    @pytest.fixture
    def on_path(self, bin_dir: Path, checkout_cli: Path) -> Path:
        checkout_cli.parent.mkdir(parents=True)
        checkout_cli.write_text("process.exit(1);\n")
        return standin_executable(bin_dir / "vce-mock")

    async def test_vce_mock_on_path_comes_next(self, on_path: Path, jp_serverapp: Any) -> None:
        app = vce_app(jp_serverapp)
        assert app.mock_command == [str(on_path)]
        assert os.environ["RQS_API_URL"].startswith("http://127.0.0.1:")

    @pytest.fixture
    def in_checkout(self, bin_dir: Path, checkout_cli: Path) -> Path:
        if not (bin_dir / "node").exists():
            pytest.skip("node is not installed")
        checkout_cli.parent.mkdir(parents=True)
        checkout_cli.write_text(FAKE_CLI_JS)
        return checkout_cli

    async def test_the_source_tree_runs_with_node_last(
        self, in_checkout: Path, bin_dir: Path, jp_serverapp: Any
    ) -> None:
        app = vce_app(jp_serverapp)
        assert app.mock_command == [str(bin_dir / "node"), str(in_checkout)]
        assert os.environ["RQS_API_URL"].startswith("http://127.0.0.1:")
        assert is_running(app.embedded_platform.pid)

    async def test_nothing_found_leaves_the_lab_usable_and_says_the_two_ways_out(
        self, api: Api, jp_serverapp: Any, jp_fetch: Any, captured_log: io.StringIO
    ) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["platform"]["state"] == "not_configured"
        message = status["platform"]["message"]
        assert "\n" not in message
        assert "No platform is configured" in message
        assert "`npm install -g vce-mock-" in message
        assert "set RQS_API_URL (with RQS_CLIENT_KEY and RQS_CLIENT_SECRET)" in message
        code, body = await api.get("jobs")
        assert (code, body["error"]["message"]) == (503, message)
        assert (await jp_fetch("api", "contents")).code == 200  # the rest of the lab works
        log = captured_log.getvalue()
        assert [
            line for line in log.splitlines() if line.startswith("jupyterlab_vce: No platform")
        ] == [f"jupyterlab_vce: {message}"]
        assert "Traceback" not in log


class TestExitsAtStart:
    """A stand-in that exits at start: one line, in the log and in the status."""

    @pytest.fixture
    def vce_config(self, data_dir: Path, tmp_path: Path) -> dict[str, Any]:
        exits = fake_executable(
            tmp_path / "vce-mock",
            """echo '{"level":30,"msg":"Server starting"}' >&2
echo "vce-mock: could not start: Cannot find module 'better-sqlite3'" >&2
echo '{"level":30,"msg":"bye"}' >&2
exit 1""",
        )
        return {"mock_command": [str(exits)], "mock_data_dir": str(data_dir)}

    async def test_a_stand_in_that_exits_at_start(
        self, api: Api, captured_log: io.StringIO
    ) -> None:
        code, status = await api.get("status")
        assert (code, status["platform"]["state"]) == (200, "unreachable")
        message = status["platform"]["message"]
        assert message.startswith(
            "The embedded platform stand-in could not start: The platform stand-in exited with "
            "code 1 before it was listening: vce-mock: could not start: Cannot find module "
            "'better-sqlite3'. Install the platform stand-in with `npm install -g vce-mock-"
        )
        assert "level" not in message and "\n" not in message
        log = captured_log.getvalue()
        assert only_errors(log) == [f"jupyterlab_vce: {message}"]
        assert "Traceback" not in log


class TestPortInUse:
    """The configured port is taken: one line, in the log and in the status."""

    @pytest.fixture
    def busy_port(self) -> Iterator[int]:
        with socket.socket() as held:
            held.bind(("127.0.0.1", 0))
            held.listen()
            yield held.getsockname()[1]

    @pytest.fixture
    def vce_config(self, data_dir: Path, tmp_path: Path, busy_port: int) -> dict[str, Any]:
        return {
            "mock_command": [str(standin_executable(tmp_path / "vce-mock"))],
            "mock_port": busy_port,
            "mock_data_dir": str(data_dir),
        }

    async def test_a_port_in_use(self, api: Api, busy_port: int, captured_log: io.StringIO) -> None:
        code, status = await api.get("status")
        assert (code, status["platform"]["state"]) == (200, "unreachable")
        message = status["platform"]["message"]
        assert (
            f"before it was listening: vce-mock: could not start: listen EADDRINUSE: address "
            f"already in use 127.0.0.1:{busy_port}. Another program is listening on that port"
        ) in message
        assert "c.VCEApp.mock_port" in message and "npm install" not in message
        log = captured_log.getvalue()
        assert only_errors(log) == [f"jupyterlab_vce: {message}"]
        assert "Traceback" not in log


def test_child_dies_with_a_crashed_server(tmp_path: Path) -> None:
    """PR_SET_PDEATHSIG: SIGKILL the process that started the stand-in; the stand-in goes too."""
    script = f"""
import logging, pathlib, sys, time
from jupyterlab_vce import config
from jupyterlab_vce.embedded import EmbeddedPlatform
from jupyterlab_vce.credentials import Credentials, CredentialsSource
credentials = Credentials("k", "a-long-random-secret", CredentialsSource.EMBEDDED)
platform = EmbeddedPlatform(
    {STANDIN!r}, pathlib.Path({str(tmp_path)!r}), credentials, "e@x", logging.getLogger("t")
)
platform.start(10)
print(platform.pid, flush=True)
time.sleep(60)
"""
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child = int(server.stdout.readline())  # type: ignore[union-attr]
        assert is_running(child)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    assert wait_until_gone(child), f"the stand-in (pid {child}) outlived the server"


class TestStablePort:
    """Links in mails survive a restart: the stand-in keeps its port across starts."""

    @staticmethod
    def platform(data_dir: Path, port: int = 0) -> Any:
        import logging

        from jupyterlab_vce.credentials import Credentials, CredentialsSource
        from jupyterlab_vce.embedded import EmbeddedPlatform

        credentials = Credentials("k", "a-long-random-secret", CredentialsSource.EMBEDDED)
        return EmbeddedPlatform(
            STANDIN, data_dir, credentials, "e@x", logging.getLogger("test"), port
        )

    @staticmethod
    def port_of(url: str) -> int:
        return int(url.rsplit(":", 1)[1])

    async def test_a_restart_reuses_the_port_remembered_in_the_data_folder(
        self, data_dir: Path
    ) -> None:
        from jupyterlab_vce.embedded import PORT_FILE_NAME

        first = self.platform(data_dir)
        url = first.start(10)
        await first.stop()
        assert (data_dir / PORT_FILE_NAME).read_text().strip() == str(self.port_of(url))
        second = self.platform(data_dir)
        try:
            assert second.start(10) == url
        finally:
            await second.stop()

    async def test_a_taken_port_gets_a_new_one_which_is_remembered(
        self, data_dir: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        from jupyterlab_vce.embedded import PORT_FILE_NAME

        first = self.platform(data_dir)
        url = first.start(10)
        await first.stop()
        with socket.socket() as held:  # another program took the port meanwhile
            held.bind(("127.0.0.1", self.port_of(url)))
            held.listen()
            second = self.platform(data_dir)
            try:
                new_url = second.start(10)
            finally:
                await second.stop()
        assert new_url != url
        assert (data_dir / PORT_FILE_NAME).read_text().strip() == str(self.port_of(new_url))
        assert f"port {self.port_of(url)} (remembered in" in caplog.text
        assert "result links in earlier mails no longer work" in caplog.text

    async def test_a_configured_port_is_kept_to_and_not_remembered(self, data_dir: Path) -> None:
        from jupyterlab_vce.embedded import PORT_FILE_NAME, remembered_port

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        platform = self.platform(data_dir, port)
        try:
            assert self.port_of(platform.start(10)) == port
        finally:
            await platform.stop()
        assert not (data_dir / PORT_FILE_NAME).exists()
        (data_dir).mkdir(parents=True, exist_ok=True)
        for text in ("", "x", "0", "70000", "\u00b2", "\u0663\u0663"):
            (data_dir / PORT_FILE_NAME).write_text(text, encoding="utf-8")
            assert remembered_port(data_dir) is None
        (data_dir / PORT_FILE_NAME).write_text("8123\n")
        assert remembered_port(data_dir) == 8123
        (data_dir / PORT_FILE_NAME).unlink()
        (data_dir / PORT_FILE_NAME).mkdir()  # a folder where the file should be: a new port
        assert remembered_port(data_dir) is None
