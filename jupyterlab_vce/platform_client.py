"""Asynchronous HTTP client of the platform's API (server-mock/openapi.yaml).

Holds the credentials, gets an access token with the client-credentials grant,
caches it in memory and refreshes it shortly before it expires, or once after
the platform answers 401 to it. Concurrent refreshes share one token request.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse

from .credentials import Credentials
from .errors import VCEError

# The platform routes this server calls (server-mock/openapi.yaml).
TOKEN_PATH = "/v2/oauth/token/"
IDENTITY_PATH = "/v2/vce/me/"
QUOTA_PATH = "/v2/vce/quota/"
QUERY_PATH = "/v2/vce/query/"
JOBS_PATH = "/v2/vce/jobs/"
#: Rehearsals of a script on the test-stage sample: reviewed, never released.
TEST_RUNS_PATH = "/v2/vce/test-runs/"
#: The server-sent events of job status and quota changes.
EVENTS_PATH = "/v2/vce/events/"
#: The mails sent to the primary researcher (result links).
OUTBOX_PATH = "/v2/vce/outbox/"
#: Reviewers only: the jobs in manual review; ``{job_id}/decision/`` decides one.
REVIEW_JOBS_PATH = "/v2/vce/review/jobs/"
#: The platform's public keys for attestations (no token needed).
JWKS_PATH = "/.well-known/jwks.json"
#: Refresh this many seconds before the token expires (at most half its lifetime).
REFRESH_MARGIN_SECONDS = 60.0
SIGN_IN_HINT = "Sign in with your client key and secret."
NO_PLATFORM = "No platform is configured: set RQS_API_URL or c.VCEApp.platform_url."
#: The embedded stand-in was spawned and has not said it listens yet.
STARTING_MESSAGE = "The local platform is starting; try again in a moment."
#: Seconds a caller should wait before asking again while the local platform starts.
STARTING_RETRY_AFTER = 2


class PlatformError(VCEError):
    """The platform answered with an error; carries its envelope (code, message, log_id)."""


class PlatformUnreachable(PlatformError):
    """The platform did not answer (503 ``platform_unreachable``)."""

    def __init__(self, message: str) -> None:
        super().__init__(503, "platform_unreachable", message)


class PlatformStarting(PlatformError):
    """The embedded stand-in is starting (503 ``platform_starting``, with ``Retry-After``)."""

    retry_after = STARTING_RETRY_AFTER

    def __init__(self) -> None:
        super().__init__(503, "platform_starting", STARTING_MESSAGE)


class CredentialsRejected(PlatformError):
    """The platform refused the client key and secret (401 ``invalid_client``)."""


class NotSignedIn(PlatformError):
    """The server holds no credentials (401 ``not_signed_in``)."""

    def __init__(self) -> None:
        super().__init__(401, "not_signed_in", SIGN_IN_HINT)


@dataclass(frozen=True)
class AccessToken:
    """A bearer token and the monotonic time after which it should be replaced."""

    value: str = field(repr=False)
    refresh_at: float

    def is_fresh(self, now: float) -> bool:
        return now < self.refresh_at


#: Connections for calls (everything but event streams) at once; more wait in tornado's queue.
CALL_CONNECTIONS = 50
#: Event streams open at once: one per open browser tab, each held as long as the tab is open.
STREAM_CONNECTIONS = 1000


class PlatformConnections:
    """The platform client's two connection pools, made on first use (on the server's loop).

    Event streams hold a connection for hours, so they have a pool of their own:
    tabs left open never keep a query, a job or a kernel's call waiting. Both are
    this client's own, never tornado's process-wide ``AsyncHTTPClient()`` (10
    connections, shared with the rest of the server).
    """

    def __init__(self) -> None:
        self._calls: AsyncHTTPClient | None = None
        self._streams: AsyncHTTPClient | None = None

    @property
    def calls(self) -> AsyncHTTPClient:
        if self._calls is None:
            self._calls = AsyncHTTPClient(force_instance=True, max_clients=CALL_CONNECTIONS)
        return self._calls

    @property
    def streams(self) -> AsyncHTTPClient:
        if self._streams is None:
            self._streams = AsyncHTTPClient(force_instance=True, max_clients=STREAM_CONNECTIONS)
        return self._streams

    def close(self) -> None:
        """Close both pools (the server stops); a later request makes them again."""
        for pool in (self._calls, self._streams):
            if pool is not None:
                pool.close()
        self._calls = self._streams = None


def refresh_time(issued_at: float, expires_in: float) -> float:
    """When to replace a token: 60 s before it expires, or halfway for short-lived ones."""
    return issued_at + expires_in - min(REFRESH_MARGIN_SECONDS, expires_in / 2)


def platform_error(response: HTTPResponse) -> PlatformError:
    """The typed error for a non-2xx answer of the platform, keeping its envelope."""
    return platform_error_of(response.code, response.body)


def platform_error_of(http_status: int, body: bytes | None) -> PlatformError:
    """The typed error for a non-2xx status and body of the platform.

    The platform's 4xx are the caller's business and keep their status; its 5xx
    become 502, since the fault is behind this server.
    """
    status = http_status if 400 <= http_status < 500 else 502
    error = _error_object(body)
    code = str(error.get("code") or "platform_error")
    message = str(
        error.get("message")
        or f"The platform answered HTTP {http_status} without saying why; try again later."
    )
    log_id = error.get("log_id")
    if http_status == 401 and code == "invalid_client":
        return CredentialsRejected(status, code, message, log_id)
    return PlatformError(status, code, message, log_id)


def _error_object(body: bytes | None) -> dict[str, Any]:
    """The error of an answer: the envelope's ``error``, or the token route's flat OAuth body
    (``{"error": "invalid_client", "error_description": …, "log_id": …}``) in the same keys."""
    try:
        answer = json.loads(body or b"")
        error = answer.get("error")
    except (ValueError, AttributeError):
        return {}
    if isinstance(error, str):
        return {
            "code": error,
            "message": answer.get("error_description"),
            "log_id": answer.get("log_id"),
        }
    return error if isinstance(error, dict) else {}


def unreachable_message(base_url: str, reason: str) -> str:
    return f"The platform at {base_url} is not answering ({reason})."


class PlatformClient:
    """The platform as seen from the Jupyter server: one client per server.

    ``unavailable_message`` marks a platform that cannot be reached at all (the
    embedded stand-in failed to start): every request then raises
    :class:`PlatformUnreachable` with that message. ``not_configured`` says
    there is no platform at all (no URL and no stand-in found). ``starting``
    says the embedded stand-in was spawned and its URL is not known yet: every
    request raises :class:`PlatformStarting` until the URL is set.
    """

    def __init__(
        self,
        base_url: str | None,
        credentials: Credentials | None = None,
        *,
        timeout: float = 20.0,
        unavailable_message: str | None = None,
        not_configured: bool = False,
        starting: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self._credentials = credentials
        self._timeout = timeout
        self.unavailable_message = unavailable_message
        self.not_configured = not_configured
        self.starting = starting
        self._clock = clock
        self._token: AccessToken | None = None
        self._token_lock = asyncio.Lock()
        #: The identity of these credentials: it does not change while they are held.
        self._identity: tuple[Credentials, Any] | None = None
        self._connections = PlatformConnections()

    @property
    def credentials(self) -> Credentials | None:
        return self._credentials

    async def sign_in(self, credentials: Credentials) -> None:
        """Verify the credentials by getting a token, then keep both.

        On failure the previous credentials stay in place.
        """
        async with self._token_lock:
            token = await self._request_token(credentials)
            self._credentials = credentials
            self._token = token

    def close(self) -> None:
        """Close the connections to the platform (the extension stops)."""
        self._connections.close()

    def sign_out(self) -> None:
        """Forget the credentials and the token."""
        self._credentials = None
        self._token = None

    async def get(self, path: str, query: str = "") -> bytes:
        """GET a Bearer-protected platform route; the body of its 2xx answer."""
        response = await self.call("GET", path, query=query)
        return response.body

    async def call(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        body: bytes | None = None,
        content_type: str | None = None,
        authenticated_route: bool = True,
        timeout: float | None = None,
        streaming_callback: Callable[[bytes], None] | None = None,
        header_callback: Callable[[str], None] | None = None,
        raise_for_status: bool = True,
    ) -> HTTPResponse:
        """One request to the platform with the bearer token.

        A 401 (a token the platform no longer takes) is sent once more with a new
        token: the platform refused the first request, so nothing happens twice.
        Nothing else is retried. With ``raise_for_status`` a 4xx/5xx answer raises
        its error envelope; without, it is returned for the caller to pass on.
        """
        url = self._url(path) + (f"?{query}" if query else "")

        def build(token: str | None) -> HTTPRequest:
            headers = {"Accept": "application/json, application/zip"}
            if token is not None:
                headers.update(_bearer(token))
            if content_type:
                headers["Content-Type"] = content_type
            return HTTPRequest(
                url,
                method=method,
                headers=headers,
                body=body if body is not None else (b"" if method == "POST" else None),
                connect_timeout=self._timeout,
                request_timeout=timeout or self._timeout,
                streaming_callback=streaming_callback,
                header_callback=header_callback,
            )

        if not authenticated_route:
            response = await self._deliver(build(None))
        else:
            token = await self._current_token()
            response = await self._deliver(build(token))
            if response.code == 401 and streaming_callback is None:
                token = await self._replace_rejected_token(token)
                response = await self._deliver(build(token))
        if raise_for_status and response.code >= 400:
            raise platform_error_of(response.code, response.body)
        return response

    async def stream(
        self,
        path: str,
        on_chunk: Callable[[bytes], None],
        headers: dict[str, str] | None = None,
        max_seconds: float = 24 * 3600.0,
    ) -> None:
        """GET a streaming platform route (server-sent events), passing each chunk on.

        Raises the platform's error (before any chunk is passed) when it refuses
        the request; a 401 is retried once with a new token. Returns when the
        platform ends the stream; ``on_chunk`` may raise to stop it.
        """
        token = await self._current_token()
        for attempt in range(2):
            status: list[int] = []
            refused: list[bytes] = []

            # Each attempt's callbacks keep that attempt's lists (bound now, not at call time).
            def on_header(line: str, status: list[int] = status) -> None:
                if line.startswith("HTTP/"):
                    status[:] = [int(line.split(" ", 2)[1])]

            def on_body(
                chunk: bytes, status: list[int] = status, refused: list[bytes] = refused
            ) -> None:
                if status and status[0] >= 400:
                    refused.append(chunk)
                else:
                    on_chunk(chunk)

            request = HTTPRequest(
                self._url(path),
                headers={**_bearer(token), **(headers or {}), "Accept": "text/event-stream"},
                header_callback=on_header,
                streaming_callback=on_body,
                connect_timeout=self._timeout,
                request_timeout=max_seconds,
            )
            try:
                response = await self._connections.streams.fetch(request, raise_error=False)
            except HTTPClientError as error:  # 599: a timeout, or the connection dropped
                if status and status[0] < 400:
                    return  # the stream ran its course; the browser reconnects
                raise PlatformUnreachable(
                    unreachable_message(str(self.base_url), error.message)
                ) from None
            except OSError as error:
                reason = error.strerror or type(error).__name__
                raise PlatformUnreachable(unreachable_message(str(self.base_url), reason)) from None
            if response.code == 401 and attempt == 0:
                token = await self._replace_rejected_token(token)
                continue
            if response.code >= 400:
                raise platform_error_of(response.code, b"".join(refused))
            return

    async def identity(self) -> Any:
        """Who the held credentials are (``GET /v2/vce/me/``), asked once per credentials."""
        credentials = self._credentials
        if self._identity is not None and self._identity[0] is credentials:
            return self._identity[1]
        identity = await self.get_data(IDENTITY_PATH)
        if credentials is not None and self._credentials is credentials:
            self._identity = (credentials, identity)
        return identity

    async def get_data(self, path: str) -> Any:
        """GET a platform route and unwrap the ``data`` of its success envelope."""
        body = await self.get(path)
        try:
            return json.loads(body)["data"]
        except (ValueError, KeyError, TypeError):
            raise PlatformError(
                502, "platform_error", f"The platform answered {path} without a data envelope."
            ) from None

    async def _current_token(self) -> str:
        token = self._token
        if token is not None and token.is_fresh(self._clock()):
            return token.value
        async with self._token_lock:
            token = self._token
            if token is None or not token.is_fresh(self._clock()):
                token = await self._fetch_token_for_current_credentials()
            return token.value

    async def _replace_rejected_token(self, rejected: str) -> str:
        """A new token after the platform refused ``rejected``; one request for many callers."""
        async with self._token_lock:
            token = self._token
            if token is None or token.value == rejected or not token.is_fresh(self._clock()):
                token = await self._fetch_token_for_current_credentials()
            return token.value

    async def _fetch_token_for_current_credentials(self) -> AccessToken:
        """Get a token and cache it, unless the credentials changed meanwhile."""
        credentials = self._credentials
        if credentials is None:
            raise NotSignedIn()
        token = await self._request_token(credentials)
        self._token = token if self._credentials is credentials else None
        return token

    async def _request_token(self, credentials: Credentials) -> AccessToken:
        form = urlencode(
            {
                "grant_type": "client_credentials",
                "client_key": credentials.client_key,
                "client_secret": credentials.client_secret,
            }
        )
        issued_at = self._clock()
        response = await self._send(
            HTTPRequest(
                self._url(TOKEN_PATH),
                method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                body=form,
            )
        )
        if response.code >= 400:
            raise platform_error(response)
        if _error_object(response.body).get("code") == "invalid_client":
            # The platform's token route may refuse the pair at HTTP 200, in its flat body
            # (docs/research/research-clients.md §2: ResearchTikPy PR #28): still a refusal.
            raise platform_error_of(401, response.body)
        try:
            answer = json.loads(response.body)
            value = str(answer["access_token"])
            expires_in = float(answer["expires_in"])
        except (ValueError, KeyError, TypeError):
            raise PlatformError(
                502, "platform_error", "The platform answered the token request without a token."
            ) from None
        return AccessToken(value, refresh_time(issued_at, expires_in))

    def _url(self, path: str) -> str:
        base_url = self.base_url
        if base_url is None:
            if self.starting:
                raise PlatformStarting()
            raise PlatformUnreachable(self.unavailable_message or NO_PLATFORM)
        return base_url + path

    async def _send(self, request: HTTPRequest) -> HTTPResponse:
        request.connect_timeout = self._timeout
        request.request_timeout = self._timeout
        request.headers["Accept"] = "application/json"
        return await self._deliver(request)

    async def _deliver(self, request: HTTPRequest) -> HTTPResponse:
        """Send as built; an unreachable platform becomes PlatformUnreachable, any answer is returned."""
        try:
            return await self._connections.calls.fetch(request, raise_error=False)
        except HTTPClientError as error:  # timeouts (599)
            raise PlatformUnreachable(
                unreachable_message(str(self.base_url), error.message)
            ) from None
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise PlatformUnreachable(unreachable_message(str(self.base_url), reason)) from None


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
