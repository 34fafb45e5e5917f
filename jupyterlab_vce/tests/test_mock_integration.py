"""The embedded default against the real platform stand-in (server-mock, node)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from tornado.httpclient import AsyncHTTPClient
from tornado.simple_httpclient import HTTPStreamClosedError

from jupyterlab_vce.config import CHECKOUT_MOCK_CLI
from jupyterlab_vce.embedded import EMBEDDED_CLIENT_EMAIL, EMBEDDED_CLIENT_KEY

from .conftest import Api
from .test_embedded import is_running, vce_app

BUILD_MESSAGE = (
    f"server-mock is not built ({CHECKOUT_MOCK_CLI} is missing): run "
    "`cd server-mock && npm ci && npm run build`, then rerun these tests."
)


def platform_url(serverapp: Any) -> str:
    """The embedded stand-in's address (kernels' RQS_API_URL is the server's kernel route)."""
    return str(serverapp.web_app.settings["vce_platform"].base_url)


def local_secret(serverapp: Any) -> str:
    """The embedded client's secret (no longer in the server's environment)."""
    return str(vce_app(serverapp).local_client.credentials.client_secret)


async def kernel_query(limit: int) -> Any:
    """A test-stage query as pyrqs in a kernel sends it: RQS_API_URL with RQS_ACCESS_TOKEN."""
    response = await AsyncHTTPClient().fetch(
        os.environ["RQS_API_URL"] + "/v2/vce/query/",
        method="POST",
        headers={
            "Authorization": f"Bearer {os.environ['RQS_ACCESS_TOKEN']}",
            "Content-Type": "application/json",
        },
        body=json.dumps({"category": "video", "fields": "id", "limit": limit}),
    )
    return json.loads(response.body)


def require_built_mock() -> None:
    assert CHECKOUT_MOCK_CLI.is_file(), BUILD_MESSAGE
    assert shutil.which("node"), "node is not on PATH: install Node.js 20 or later."


@pytest.fixture
def vce_config(tmp_path: Path) -> dict[str, Any]:
    """Nothing configured but the data directory: the embedded default."""
    return {"mock_data_dir": str(tmp_path / "mock-data")}


async def test_embedded_default_runs_the_checkout_mock(jp_serverapp: Any) -> None:
    require_built_mock()
    app = vce_app(jp_serverapp)
    assert app.mock_command == [shutil.which("node"), str(CHECKOUT_MOCK_CLI)]
    assert is_running(app.embedded_platform.pid)


async def test_status_is_connected_with_a_fresh_quota(
    api: Api, jp_serverapp: Any, captured_log: io.StringIO
) -> None:
    require_built_mock()
    code, status = await api.get("status")
    assert code == 200
    assert status["platform"]["state"] == "connected", status["platform"]["message"]
    assert (status["embedded"], status["credentials_source"]) == (True, "embedded")
    assert status["platform_url"] == platform_url(jp_serverapp)
    assert status["quota"]["used"] == 0
    assert status["quota"]["daily_limit"] == 5000
    assert status["identity"]["client_key"] == EMBEDDED_CLIENT_KEY
    assert status["identity"]["primary_researcher_email"] == EMBEDDED_CLIENT_EMAIL
    code, quota = await api.get("quota")
    assert (code, quota["data"]["remaining"]) == (200, 5000)
    secret = local_secret(jp_serverapp)
    assert all(secret.encode() not in body for body in api.bodies)
    assert secret not in captured_log.getvalue()


async def test_the_embedded_pair_works_on_the_platform(jp_serverapp: Any) -> None:
    require_built_mock()
    assert "RQS_CLIENT_SECRET" not in os.environ
    form = {
        "grant_type": "client_credentials",
        "client_key": EMBEDDED_CLIENT_KEY,
        "client_secret": local_secret(jp_serverapp),
    }
    response = await AsyncHTTPClient().fetch(
        platform_url(jp_serverapp) + "/v2/oauth/token/", method="POST", body=urlencode(form)
    )
    assert json.loads(response.body)["token_type"] == "Bearer"


async def test_sign_out_and_in_again_with_the_embedded_client(api: Api, jp_serverapp: Any) -> None:
    require_built_mock()
    code, status = await api.call("DELETE", "session")
    assert (code, status["platform"]["state"]) == (200, "not_signed_in")
    code, status = await api.sign_in(EMBEDDED_CLIENT_KEY, local_secret(jp_serverapp))
    assert (code, status["platform"]["state"]) == (200, "connected")
    code, body = await api.sign_in(EMBEDDED_CLIENT_KEY, "not-the-secret")
    assert (code, body["error"]["code"]) == (401, "invalid_client")


async def test_mock_is_gone_after_the_extension_stops(jp_serverapp: Any) -> None:
    require_built_mock()
    app = vce_app(jp_serverapp)
    pid = app.embedded_platform.pid
    await app.stop_extension()
    assert not is_running(pid)


async def test_events_relay_a_quota_change_within_a_second(
    api: Api, jp_serverapp: Any, jp_base_url: str, jp_http_port: int, jp_auth_header: dict[str, str]
) -> None:
    """A query in any kernel moves the quota: the browser's stream says so at once."""
    require_built_mock()
    chunks: list[bytes] = []
    seen = asyncio.Event()

    class Enough(Exception):
        pass

    def on_chunk(chunk: bytes) -> None:
        chunks.append(chunk)
        if b'"used":5,' in b"".join(chunks):
            seen.set()
            raise Enough()

    url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}vce/api/events"
    stream = asyncio.ensure_future(
        AsyncHTTPClient().fetch(
            url, headers=jp_auth_header, streaming_callback=on_chunk, request_timeout=30
        )
    )
    # The stream opens with the current quota.
    for _ in range(100):
        if b"event: quota" in b"".join(chunks):
            break
        await asyncio.sleep(0.05)
    assert b'"used":0,' in b"".join(chunks), b"".join(chunks)

    # A query the way a kernel makes it: the SDK's environment, i.e. the server's kernel route.
    started = time.monotonic()
    await kernel_query(5)
    await asyncio.wait_for(seen.wait(), timeout=1.0)
    assert time.monotonic() - started < 1.0
    # Raising in the callback ends our side of the stream; tornado reports it as either.
    with pytest.raises((Enough, HTTPStreamClosedError)):
        await stream


async def open_event_stream(port: int, base_url: str, auth: dict[str, str]) -> asyncio.StreamWriter:
    """A browser tab's ``/vce/api/events``, on a socket of its own, open once its first event came."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    headers = "".join(f"{name}: {value}\r\n" for name, value in auth.items())
    writer.write(
        f"GET {base_url}vce/api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode()
    )
    await writer.drain()
    opened = b""
    while b"event: quota" not in opened:
        opened += await asyncio.wait_for(reader.read(4096), timeout=10)
    return writer


async def test_a_browser_leaving_the_stream_ends_the_relay_quietly(
    api: Api,
    jp_serverapp: Any,
    jp_base_url: str,
    jp_http_port: int,
    jp_auth_header: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The tab closes: the next platform event ends the relay, and nothing is logged as an error."""
    require_built_mock()
    caplog.set_level(
        logging.INFO, logger="tornado.general"
    )  # where tornado notes "Malformed HTTP message"
    writer = await open_event_stream(jp_http_port, jp_base_url, jp_auth_header)
    writer.close()  # the browser goes away
    await asyncio.sleep(0.2)
    # A query makes a quota event: the relay finds the browser gone and closes the platform stream.
    await kernel_query(2)
    await asyncio.sleep(0.5)
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert errors == [], [record.getMessage() for record in errors]
    # Nor as a protocol error of the platform's stream.
    malformed = [
        record.getMessage()
        for record in caplog.records
        if "Malformed HTTP message" in record.getMessage()
    ]
    assert malformed == []


async def test_open_tabs_never_keep_calls_waiting(
    api: Api, jp_serverapp: Any, jp_base_url: str, jp_http_port: int, jp_auth_header: dict[str, str]
) -> None:
    """Twelve tabs hold twelve event streams; the quota, a query and a kernel's call still answer.

    (With the streams on tornado's shared client, 10 connections, they waited in its
    queue and failed with 503 "Timeout in request queue".)
    """
    require_built_mock()
    tabs = [await open_event_stream(jp_http_port, jp_base_url, jp_auth_header) for _ in range(12)]
    try:
        code, quota = await api.get("quota", request_timeout=5)
        assert code == 200, quota
        assert (await kernel_query(1))["data"] is not None
        code, result = await api.call(
            "POST", "query", {"category": "video", "fields": "id", "limit": 1}, request_timeout=5
        )
        assert code == 200, result
    finally:
        for writer in tabs:
            writer.close()


async def test_events_need_sign_in(api: Api, jp_serverapp: Any) -> None:
    require_built_mock()
    await api.call("DELETE", "session")
    code, body = await api.get("events")
    assert (code, body["error"]["code"]) == (401, "not_signed_in")


async def test_pyrqs_in_a_kernel_holds_sign_out_and_spends_nothing(
    api: Api, jp_serverapp: Any, http_server_client: Any
) -> None:
    """The SDK with a kernel's environment, against the real stand-in through the kernel route."""
    require_built_mock()
    from pyrqs import rqs

    assert "RQS_CLIENT_SECRET" not in os.environ
    client = rqs.RQSClient()  # RQS_API_URL (the kernel route) and RQS_ACCESS_TOKEN
    first = await asyncio.to_thread(client.query, category="video", fields="id", limit=4)
    used = first.quota["used"]
    code, _ = await api.call("DELETE", "session")
    assert code == 200
    with pytest.raises(rqs.AuthenticationError) as caught:
        await asyncio.to_thread(client.query, category="video", fields="id", limit=4)
    assert str(caught.value) == "Signed out of the VCE: sign in again (status bar)"
    code, _ = await api.sign_in(EMBEDDED_CLIENT_KEY, local_secret(jp_serverapp))
    assert code == 200
    # The same client, no restart: it works, and the refused query was not charged.
    quota = await asyncio.to_thread(client.get_quota)
    assert quota["used"] == used
    again = await asyncio.to_thread(client.query, category="video", fields="id", limit=4)
    assert again.quota["used"] == used + 4
