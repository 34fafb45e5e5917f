"""The embedded stand-in is started again when it ends on its own, and only then."""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_vce import embedded
from jupyterlab_vce.embedded import (
    EmbeddedPlatform,
    RestartPolicy,
    embedded_credentials,
    exit_description,
)

from .conftest import Api
from .test_embedded import STANDIN, is_running, vce_app, wait_until_gone
from .test_mock_integration import require_built_mock

RESTART_TIMEOUT = 20.0


class TestRestartPolicy:
    def test_delays_double_up_to_the_cap(self) -> None:
        policy = RestartPolicy(max_restarts=100, window=600.0)
        delays = [policy.next_delay(started=t, ended=t + 1.0) for t in range(0, 80, 10)]
        assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]

    def test_a_run_of_a_minute_starts_the_doubling_over(self) -> None:
        policy = RestartPolicy()
        assert policy.next_delay(0.0, 1.0) == 1.0
        assert policy.next_delay(2.0, 3.0) == 2.0
        assert policy.next_delay(5.0, 65.0) == 1.0  # up for 60 s
        assert policy.next_delay(66.0, 67.0) == 2.0

    def test_gives_up_after_five_restarts_in_ten_minutes(self) -> None:
        policy = RestartPolicy()
        assert all(policy.next_delay(t, t + 1.0) is not None for t in (0.0, 2, 4, 6, 8))
        assert policy.next_delay(10.0, 11.0) is None

    def test_restarts_older_than_the_window_do_not_count(self) -> None:
        policy = RestartPolicy(max_restarts=2, window=100.0)
        assert policy.next_delay(0.0, 1.0) is not None
        assert policy.next_delay(2.0, 3.0) is not None
        assert policy.next_delay(4.0, 5.0) is None
        assert policy.next_delay(100.0, 101.0) is not None  # the one at 1.0 left the window

    def test_exit_description(self) -> None:
        assert exit_description(1) == "exit code 1"
        assert exit_description(-signal.SIGKILL) == "signal SIGKILL"


async def wait_for_new_pid(platform: EmbeddedPlatform, old: int) -> int:
    deadline = time.monotonic() + RESTART_TIMEOUT
    while time.monotonic() < deadline:
        pid = platform.pid
        if pid is not None and pid != old and is_running(pid):
            return pid
        await asyncio.sleep(0.1)
    raise AssertionError(f"the stand-in (pid {old}) was not started again")


async def wait_for_connected(api: Api) -> dict[str, Any]:
    deadline = time.monotonic() + RESTART_TIMEOUT
    status: dict[str, Any] = {}
    while time.monotonic() < deadline:
        _, status = await api.get("status")
        if status["platform"]["state"] == "connected":
            return status
        await asyncio.sleep(0.2)
    raise AssertionError(status["platform"])


class TestTheRealStandIn:
    @pytest.fixture
    def vce_config(self, tmp_path: Path) -> dict[str, Any]:
        return {"mock_data_dir": str(tmp_path / "mock-data")}

    async def test_a_killed_stand_in_is_started_again_on_the_same_url(
        self, api: Api, jp_serverapp: Any, captured_log: io.StringIO
    ) -> None:
        require_built_mock()
        platform = vce_app(jp_serverapp).embedded_platform
        url = jp_serverapp.web_app.settings["vce_platform"].base_url
        _, status = await api.get("status")
        assert status["platform"]["state"] == "connected", status["platform"]
        old = platform.pid
        os.kill(old, signal.SIGKILL)
        new = await wait_for_new_pid(platform, old)
        status = await wait_for_connected(api)
        assert status["platform_url"] == url
        log = captured_log.getvalue()
        assert f"stand-in (pid {old}) ended (signal SIGKILL); starting it again in 1 s" in log
        assert f"listening again on {url} (pid {new})" in log

    async def test_stopping_the_extension_is_not_a_crash(
        self, jp_serverapp: Any, captured_log: io.StringIO
    ) -> None:
        require_built_mock()
        app = vce_app(jp_serverapp)
        platform = app.embedded_platform
        first = platform.pid
        os.kill(first, signal.SIGKILL)  # supervised: it comes back
        second = await wait_for_new_pid(platform, first)
        await app.stop_extension()
        assert wait_until_gone(second)
        await asyncio.sleep(2.5)  # longer than the next backoff (2 s)
        assert platform.pid == second
        assert not is_running(second)
        assert f"(pid {second}) ended" not in captured_log.getvalue()


class TestGivingUp:
    @pytest.fixture
    def vce_config(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        # No restart at all: the first end is one too many.
        monkeypatch.setattr(
            embedded, "RestartPolicy", functools.partial(RestartPolicy, max_restarts=0)
        )
        return {"mock_command": STANDIN, "mock_data_dir": str(tmp_path / "mock-data")}

    async def test_the_status_says_to_restart_jupyterlab(
        self, api: Api, jp_serverapp: Any, tmp_path: Path
    ) -> None:
        platform = vce_app(jp_serverapp).embedded_platform
        pid = platform.pid
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + RESTART_TIMEOUT
        while time.monotonic() < deadline:
            _, status = await api.get("status")
            if "keeps stopping" in status["platform"]["message"]:
                break
            await asyncio.sleep(0.1)
        message = status["platform"]["message"]
        assert status["platform"]["state"] == "unreachable"
        assert "The local platform (the embedded stand-in) keeps stopping" in message
        assert "[vce-mock]" in message
        assert str(tmp_path / "mock-data") in message
        assert message.endswith("Restart JupyterLab.")
        assert platform.pid == pid


async def test_restarts_then_gives_up(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A fast policy on the Python stand-in: one restart, then the message."""
    data_dir = tmp_path / "mock-data"
    credentials, email = embedded_credentials(None, data_dir)
    platform = EmbeddedPlatform(STANDIN, data_dir, credentials, email, logging.getLogger("t"))
    url = platform.start(10.0)
    messages: list[str] = []
    platform.supervise(url, 10.0, messages.append, RestartPolicy(first_delay=0.05, max_restarts=1))
    try:
        first = platform.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        second = await wait_for_new_pid(platform, first)
        os.kill(second, signal.SIGKILL)
        deadline = time.monotonic() + RESTART_TIMEOUT
        while not messages and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(messages) == 1
        assert "restarted 1 times in 10 minutes and ended again (signal SIGKILL)" in messages[0]
        assert platform.pid == second
    finally:
        await platform.stop()


async def test_an_unexpected_error_restarting_still_ends_in_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart raising what no rule expected counts as a failed start: the policy gives up."""
    data_dir = tmp_path / "mock-data"
    credentials, email = embedded_credentials(None, data_dir)
    platform = EmbeddedPlatform(STANDIN, data_dir, credentials, email, logging.getLogger("t"))
    url = platform.start(10.0)
    messages: list[str] = []

    def broken_launch(port: int, timeout: float) -> str:
        raise subprocess.SubprocessError("preexec_fn failed")

    monkeypatch.setattr(platform, "_launch", broken_launch)
    platform.supervise(url, 10.0, messages.append, RestartPolicy(first_delay=0.05, max_restarts=2))
    try:
        first = platform.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + RESTART_TIMEOUT
        while not messages and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(messages) == 1
        assert "keeps stopping" in messages[0]
    finally:
        await platform.stop()
