"""The embedded default's process lifetime, with a Python stand-in of vce-mock."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

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
        platform = vce_app(jp_serverapp).embedded_platform
        assert os.environ["RQS_API_URL"].startswith("http://127.0.0.1:")
        assert os.environ["RQS_CLIENT_KEY"] == EMBEDDED_CLIENT_KEY
        assert os.environ["RQS_CLIENT_SECRET"] == secret_in(data_dir)
        # The guide's `pip install --index-url … pyrqs` gets the stand-in's package index.
        assert os.environ["RQS_PIP_INDEX_URL"] == f"{os.environ['RQS_API_URL']}/simple/"
        assert is_running(platform.pid)

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
        self, api: Api, jp_serverapp: Any
    ) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["embedded"] is True
        assert status["platform_url"] is None
        assert status["platform"]["state"] == "unreachable"
        assert "was not found" in status["platform"]["message"]
        assert "npm ci && npm run build` in server-mock/" in status["platform"]["message"]
        code, body = await api.get("quota")
        assert code == 503
        assert body["error"]["message"] == status["platform"]["message"]
        assert "RQS_API_URL" not in os.environ

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
        assert "exited with code 3 before it was listening" in message
        assert "Cannot find module dist/cli.js" in message
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


def test_child_dies_with_a_crashed_server(tmp_path: Path) -> None:
    """PR_SET_PDEATHSIG: SIGKILL the process that started the stand-in; the stand-in goes too."""
    script = f"""
import logging, pathlib, sys, time
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
