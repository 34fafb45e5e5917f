"""Fixtures: a Jupyter server with the extension, a fake platform, an API helper."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port
from traitlets.config import Config

from jupyterlab_vce.config import ENV_API_URL, ENV_CLIENT_KEY, ENV_CLIENT_SECRET, ENV_MOCK_BIN
from jupyterlab_vce.embedded import ENV_PIP_INDEX_URL

from .fake_platform import FakePlatform

pytest_plugins = ("pytest_jupyter.jupyter_server",)

SDK_ENVIRONMENT = (
    ENV_API_URL,
    ENV_CLIENT_KEY,
    ENV_CLIENT_SECRET,
    ENV_MOCK_BIN,
    ENV_PIP_INDEX_URL,
)


@pytest.fixture(autouse=True)
def sdk_environment() -> Iterator[None]:
    """Start every test without the SDK's variables; undo what the extension exports."""
    saved = {name: os.environ.pop(name, None) for name in SDK_ENVIRONMENT}
    yield
    for name, value in saved.items():
        os.environ.pop(name, None)
        if value is not None:
            os.environ[name] = value


def serve_platform(platform: Any, loop: Any) -> Iterator[Any]:
    """Serve a fake platform (anything with ``application()`` and ``url``) on a free loopback port."""
    sock, port = bind_unused_port()

    async def serve() -> HTTPServer:
        server = HTTPServer(platform.application())
        server.add_sockets([sock])
        return server

    server = loop.run_until_complete(serve())
    platform.url = f"http://127.0.0.1:{port}"
    yield platform
    server.stop()


@pytest.fixture
def fake_platform(jp_asyncio_loop: Any) -> Iterator[FakePlatform]:
    yield from serve_platform(FakePlatform(), jp_asyncio_loop)


@pytest.fixture
def closed_port_url() -> str:
    """A loopback URL where nothing listens."""
    sock, port = bind_unused_port()
    sock.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def vce_config(fake_platform: FakePlatform) -> dict[str, Any]:
    """``c.VCEApp`` for the test's server; override per test class."""
    return {"platform_url": fake_platform.url}


@pytest.fixture
def jp_server_config(vce_config: dict[str, Any]) -> Config:
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_vce": True}},
            "VCEApp": vce_config,
        }
    )


#: The longest a test waits for the embedded stand-in's first start to be decided.
SETTLE_TIMEOUT = 60.0


@pytest.fixture
def settle_embedded_start() -> bool:
    """Whether ``jp_serverapp`` waits until the embedded stand-in listens or failed to start.

    The server does not wait for it (it starts in the background, the status
    says *starting*); tests of what follows its start see it decided. Tests of
    the *starting* window override this fixture with False.
    """
    return True


@pytest.fixture
def jp_serverapp(jp_serverapp: Any, settle_embedded_start: bool) -> Any:
    """pytest-jupyter's server, after the embedded stand-in's first start was decided."""
    app = jp_serverapp.web_app.settings.get("jupyterlab_vce")
    platform = getattr(app, "embedded_platform", None)
    if settle_embedded_start and platform is not None:
        assert platform.settled.wait(SETTLE_TIMEOUT), "the embedded stand-in never settled"
    return jp_serverapp


@pytest.fixture(autouse=True)
def captured_log(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Every log record emitted during the test, whatever logger and handlers.

    Hooks ``Logger.callHandlers`` because Jupyter applications reconfigure their
    loggers' handlers at start-up. Autouse, so it is in place before the server starts.
    """
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    call_handlers = logging.Logger.callHandlers

    def call_handlers_and_capture(logger: logging.Logger, record: logging.LogRecord) -> None:
        capture.handle(record)
        call_handlers(logger, record)

    monkeypatch.setattr(logging.Logger, "callHandlers", call_handlers_and_capture)
    return stream


@dataclass
class Api:
    """Calls ``/vce/api/<route>`` and keeps every response body for the secret scans."""

    fetch: Callable[..., Any]
    bodies: list[bytes] = field(default_factory=list)

    async def call(
        self, method: str, route: str, body: Any = None, **kwargs: Any
    ) -> tuple[int, Any]:
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        response = await self.fetch(
            "vce", "api", route, method=method, body=body, raise_error=False, **kwargs
        )
        self.bodies.append(response.body)
        return response.code, json.loads(response.body)

    async def get(self, route: str, **kwargs: Any) -> tuple[int, Any]:
        return await self.call("GET", route, **kwargs)

    async def sign_in(self, client_key: str, client_secret: str) -> tuple[int, Any]:
        return await self.call(
            "POST", "session", {"client_key": client_key, "client_secret": client_secret}
        )


@pytest.fixture
def api(jp_fetch: Callable[..., Any]) -> Api:
    return Api(jp_fetch)
