"""The embedded stand-in starts in the background: the server answers before it listens.

Each stand-in here waits behind a gate (a file the test creates) before it runs,
so the *starting* window lasts exactly as long as the test wants. With a start
that blocked the server, the server would not answer until the stand-in listened
(or the start timed out) and none of the *starting* answers below would exist.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient

from jupyterlab_vce.config import detect_mock_command
from jupyterlab_vce.embedded import (
    ENV_PIP_INDEX_URL,
    PORT_FILE_NAME,
    EmbeddedPlatform,
    MockNotFound,
    RestartPolicy,
    embedded_credentials,
)
from jupyterlab_vce.platform_client import STARTING_MESSAGE, STARTING_RETRY_AFTER

from .conftest import Api
from .test_embedded import STANDIN, fake_executable, vce_app
from .test_mock_integration import require_built_mock
from .test_supervision import wait_for_new_pid

SETTLE_TIMEOUT = 60.0


def gated(path: Path, gate: Path, command: list[str]) -> Path:
    """An executable that waits until ``gate`` exists, then runs ``command`` with its arguments."""
    wait = f"while [ ! -e {shlex.quote(str(gate))} ]; do sleep 0.05; done"
    return fake_executable(path, f'{wait}\nexec {shlex.join(command)} "$@"')


async def settled(app: Any) -> None:
    """Wait (off the loop) until the stand-in listens or its start failed."""
    platform = app.embedded_platform
    assert await asyncio.to_thread(platform.settled.wait, SETTLE_TIMEOUT)


async def kernel_call(path: str) -> Any:
    """A call as a kernel makes it: the kernel route with the kernel token."""
    return await AsyncHTTPClient().fetch(
        os.environ["RQS_API_URL"] + path,
        headers={"Authorization": f"Bearer {os.environ['RQS_ACCESS_TOKEN']}"},
        raise_error=False,
    )


@pytest.fixture
def settle_embedded_start() -> bool:
    return False  # these tests look at the window before the stand-in listens


@pytest.fixture
def gate(tmp_path: Path) -> Path:
    return tmp_path / "gate"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "mock-data"


class TestWhileStarting:
    @pytest.fixture
    def vce_config(self, tmp_path: Path, gate: Path, data_dir: Path) -> dict[str, Any]:
        command = gated(tmp_path / "vce-mock", gate, STANDIN)
        return {"mock_command": [str(command)], "mock_data_dir": str(data_dir)}

    async def test_the_status_says_starting(self, api: Api, jp_serverapp: Any, gate: Path) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["embedded"] is True
        assert status["platform_url"] is None
        assert status["platform"] == {"state": "starting", "message": STARTING_MESSAGE}
        assert status["local_client"] is None
        assert ENV_PIP_INDEX_URL not in os.environ
        gate.touch()
        await settled(vce_app(jp_serverapp))

    async def test_calls_get_a_503_platform_starting_with_retry_after(
        self, api: Api, jp_fetch: Any, jp_serverapp: Any, gate: Path
    ) -> None:
        response = await jp_fetch("vce", "api", "quota", raise_error=False)
        body = json.loads(response.body)
        assert response.code == 503
        assert body["error"]["code"] == "platform_starting"
        assert body["error"]["message"] == STARTING_MESSAGE
        assert STARTING_MESSAGE == "The local platform is starting; try again in a moment."
        assert response.headers["Retry-After"] == str(STARTING_RETRY_AFTER)
        # A kernel started meanwhile hears the same from the kernel route.
        response = await kernel_call("/v2/vce/quota/")
        assert response.code == 503
        assert json.loads(response.body)["error"]["code"] == "platform_starting"
        assert response.headers["Retry-After"] == str(STARTING_RETRY_AFTER)
        gate.touch()
        await settled(vce_app(jp_serverapp))


class TestReadyLine:
    """The real stand-in, held at the gate: once its ready line arrives, the lab is connected."""

    @pytest.fixture
    def vce_config(self, tmp_path: Path, gate: Path, data_dir: Path) -> dict[str, Any]:
        command = gated(tmp_path / "vce-mock", gate, detect_mock_command(os.environ))
        return {"mock_command": [str(command)], "mock_data_dir": str(data_dir)}

    async def test_starting_then_connected(
        self, api: Api, jp_serverapp: Any, gate: Path, data_dir: Path
    ) -> None:
        require_built_mock()
        _, status = await api.get("status")
        assert status["platform"]["state"] == "starting"
        code, body = await api.get("quota")
        assert (code, body["error"]["code"]) == (503, "platform_starting")
        gate.touch()
        await settled(vce_app(jp_serverapp))
        _, status = await api.get("status")
        assert status["platform"]["state"] == "connected", status["platform"]
        assert status["platform_url"].startswith("http://127.0.0.1:")
        assert status["local_client"]["client_key"] == "vce-local-researcher"
        assert os.environ[ENV_PIP_INDEX_URL] == status["platform_url"] + "/simple/"
        code, body = await api.get("quota")
        assert code == 200, body
        # A kernel's call goes through now (its RQS_API_URL is the server's kernel route).
        response = await kernel_call("/v2/vce/quota/")
        assert response.code == 200, response.body


class TestFailureDuringStart:
    """A stand-in that exits before its ready line: the same message as a blocking start gave."""

    @pytest.fixture
    def vce_config(self, tmp_path: Path, gate: Path, data_dir: Path) -> dict[str, Any]:
        exits = [
            sys.executable,
            "-c",
            "import sys; sys.stderr.write('vce-mock: could not start: no sqlite\\n'); sys.exit(2)",
        ]
        command = gated(tmp_path / "vce-mock", gate, exits)
        return {"mock_command": [str(command)], "mock_data_dir": str(data_dir)}

    async def test_starting_then_unreachable_with_the_reason(
        self, api: Api, jp_serverapp: Any, gate: Path, captured_log: Any
    ) -> None:
        _, status = await api.get("status")
        assert status["platform"]["state"] == "starting"
        gate.touch()
        await settled(vce_app(jp_serverapp))
        code, status = await api.get("status")
        assert (code, status["platform"]["state"]) == (200, "unreachable")
        message = status["platform"]["message"]
        assert message.startswith(
            "The embedded platform stand-in could not start: The platform stand-in exited with "
            "code 2 before it was listening: vce-mock: could not start: no sqlite. Install the "
            "platform stand-in with `npm install -g vce-mock-"
        )
        code, body = await api.get("quota")
        assert (code, body["error"]["code"], body["error"]["message"]) == (
            503,
            "platform_unreachable",
            message,
        )
        assert f"jupyterlab_vce: {message}" in captured_log.getvalue().splitlines()
        # As after a start that blocked: no local client, no credentials held.
        assert status["local_client"] is None
        assert (status["signed_in"], status["credentials_source"]) == (False, None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TestIndexKnownBeforeReady:
    """A kernel started while the stand-in starts gets its package index at once when its port
    is known: the remembered one here (a first start on port 0 must wait for the ready line)."""

    @pytest.fixture
    def port(self) -> int:
        return free_port()

    @pytest.fixture
    def vce_config(self, tmp_path: Path, gate: Path, data_dir: Path, port: int) -> dict[str, Any]:
        data_dir.mkdir(parents=True)
        (data_dir / PORT_FILE_NAME).write_text(f"{port}\n")
        command = gated(tmp_path / "vce-mock", gate, STANDIN)
        return {"mock_command": [str(command)], "mock_data_dir": str(data_dir)}

    async def test_the_remembered_port_s_index_is_exported_while_starting(
        self, api: Api, jp_serverapp: Any, gate: Path, port: int
    ) -> None:
        _, status = await api.get("status")
        assert status["platform"]["state"] == "starting"
        assert os.environ[ENV_PIP_INDEX_URL] == f"http://127.0.0.1:{port}/simple/"
        gate.touch()
        await settled(vce_app(jp_serverapp))
        _, status = await api.get("status")
        assert status["platform_url"] == f"http://127.0.0.1:{port}"
        assert os.environ[ENV_PIP_INDEX_URL] == f"http://127.0.0.1:{port}/simple/"


class TestIndexOfTheConfiguredPort:
    @pytest.fixture
    def port(self) -> int:
        return free_port()

    @pytest.fixture
    def vce_config(self, tmp_path: Path, gate: Path, data_dir: Path, port: int) -> dict[str, Any]:
        command = gated(tmp_path / "vce-mock", gate, STANDIN)
        return {
            "mock_command": [str(command)],
            "mock_data_dir": str(data_dir),
            "mock_port": port,
        }

    async def test_the_configured_port_s_index_is_exported_while_starting(
        self, api: Api, jp_serverapp: Any, gate: Path, port: int
    ) -> None:
        _, status = await api.get("status")
        assert status["platform"]["state"] == "starting"
        assert os.environ[ENV_PIP_INDEX_URL] == f"http://127.0.0.1:{port}/simple/"
        gate.touch()
        await settled(vce_app(jp_serverapp))


class TestUnexpectedErrorDuringStart:
    """A start that raises what no rule expected (a bug): unavailable with why, not *starting*."""

    @pytest.fixture
    def vce_config(self, tmp_path: Path, data_dir: Path) -> dict[str, Any]:
        return {"mock_command": STANDIN, "mock_data_dir": str(data_dir)}

    @pytest.fixture(autouse=True)
    def popen_raises(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(self: EmbeddedPlatform, arguments: list[str]) -> None:
            raise subprocess.SubprocessError("preexec_fn failed")

        monkeypatch.setattr(EmbeddedPlatform, "_popen", refuse)

    async def test_unreachable_with_the_error_and_the_traceback_in_the_log(
        self, api: Api, jp_serverapp: Any, data_dir: Path, captured_log: Any
    ) -> None:
        await settled(vce_app(jp_serverapp))
        code, status = await api.get("status")
        assert (code, status["platform"]["state"]) == (200, "unreachable")
        message = status["platform"]["message"]
        assert message == (
            "The embedded platform stand-in could not start: SubprocessError: preexec_fn "
            "failed. Its log is in the Jupyter server's log (the error's traceback, and the "
            f"lines starting with [vce-mock]); its data is in {data_dir}. Restart JupyterLab; "
            "if it happens again, report it with that log."
        )
        assert "Traceback" not in message
        code, body = await api.get("quota")
        assert (code, body["error"]["code"], body["error"]["message"]) == (
            503,
            "platform_unreachable",
            message,
        )
        log = captured_log.getvalue()
        assert "start failed unexpectedly" in log
        assert "Traceback (most recent call last)" in log
        assert 'raise subprocess.SubprocessError("preexec_fn failed")' in log
        assert f"jupyterlab_vce: {message}" in log.splitlines()
        assert (status["signed_in"], status["local_client"]) == (False, None)


async def test_a_background_start_is_supervised_as_before(tmp_path: Path) -> None:
    """Ready → ``on_ready`` with the URL, then a killed stand-in comes back on the same port."""
    data_dir = tmp_path / "mock-data"
    credentials, email = embedded_credentials(None, data_dir)
    platform = EmbeddedPlatform(STANDIN, data_dir, credentials, email, logging.getLogger("t"))
    ready: list[str] = []
    failures: list[Exception] = []
    given_up: list[str] = []
    platform.start_in_background(
        10.0, ready.append, failures.append, given_up.append, RestartPolicy(first_delay=0.05)
    )
    try:
        assert await asyncio.to_thread(platform.settled.wait, SETTLE_TIMEOUT)
        assert failures == [] and len(ready) == 1
        assert ready[0].startswith("http://127.0.0.1:")
        first = platform.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        second = await wait_for_new_pid(platform, first)
        assert second != first and given_up == []
    finally:
        await platform.stop()


def test_no_command_raises_at_once_and_is_settled(tmp_path: Path) -> None:
    credentials, email = embedded_credentials(None, tmp_path)
    platform = EmbeddedPlatform([], tmp_path, credentials, email, logging.getLogger("t"))
    with pytest.raises(MockNotFound):
        platform.start_in_background(1.0, print, print, print)
    assert platform.settled.is_set()
