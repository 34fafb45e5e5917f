"""Fixtures of the hub tests: the real platform stand-in, a crypt key, an authenticator.

These tests run on JupyterHub 6.x (the project's .venv) and 5.5 (.venv-hub55, which has
JupyterHub and pytest only: nothing here imports jupyter_server or the lab's test fixtures).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from jupyterlab_vce.hub import VCEAuthenticator
from jupyterlab_vce.hub.backoff import FailureTracker

from .processes import StandIn

T = TypeVar("T")

#: A research client of the stand-in: a key with capitals (its hub name gets a hash suffix).
KEY = "Res-Key.A1"
SECRET = "hub-test-secret-" + secrets.token_hex(8)
#: A second client, all lowercase: its key is its hub name.
KEY_B = "res-key-b2"
SECRET_B = "hub-test-secret-b-" + secrets.token_hex(8)


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine on a fresh event loop (no async test plugin needed)."""
    return asyncio.run(coroutine)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeUser:
    """What the authenticator uses of a hub user: its name and its decrypted auth_state."""

    def __init__(self, name: str, auth_state: dict[str, Any] | None) -> None:
        self.name = name
        self.auth_state = auth_state

    async def get_auth_state(self) -> dict[str, Any] | None:
        return self.auth_state


def start_standin(directory: Path) -> StandIn:
    """The real stand-in (server-mock, node) with the two research clients."""
    directory.mkdir()
    return StandIn(data_dir=directory, clients={KEY: SECRET, KEY_B: SECRET_B}).start()


@pytest.fixture(scope="module")
def shared_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandIn]:
    """One stand-in for a module's tests that neither stop nor restart it."""
    process = start_standin(tmp_path_factory.mktemp("hub") / "standin")
    yield process
    process.stop()


@pytest.fixture
def standin(tmp_path: Path) -> Iterator[StandIn]:
    """A stand-in of the test's own, which it may stop or restart."""
    process = start_standin(tmp_path / "standin")
    yield process
    process.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def authenticator(shared_standin: StandIn, clock: FakeClock) -> VCEAuthenticator:
    return VCEAuthenticator(
        platform_url=shared_standin.url,
        failure_tracker=FailureTracker(clock=clock),
        request_timeout=5.0,
    )
