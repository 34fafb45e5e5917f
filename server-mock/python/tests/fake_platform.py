"""A tiny in-process stand-in of the platform's HTTP API for the SDK's unit tests.

It speaks the envelopes of docs/contracts.md: the token route issues tokens for
one client, every other route needs a live Bearer token and answers what the
test registered with :meth:`FakePlatform.route`.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    raw: bytes | None = None
    delay: float = 0.0


Handler = Callable[[Seen], Reply]


def ok(data: Any) -> Reply:
    return Reply(
        200,
        {
            "data": data,
            "error": {"code": "ok", "message": "", "log_id": "20261125050000AB12CD34EF56"},
        },
    )


def fail(status: int, code: str, message: str, data: Any = None) -> Reply:
    body: dict[str, Any] = {
        "error": {"code": code, "message": message, "log_id": "20261125050000FFFFFFFFFFFF"}
    }
    if data is not None:
        body["data"] = data
    return Reply(status, body)


@dataclass
class FakePlatform:
    client_key: str = "key-1"
    client_secret: str = "S3cr3t-never-shown-42"
    expires_in: int = 7200
    seen: list[Seen] = field(default_factory=list)
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    valid_tokens: set[str] = field(default_factory=set)
    token_reply: Reply | None = None
    issued: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        platform = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urllib.parse.urlsplit(self.path)
                seen = Seen(
                    self.command,
                    parts.path,
                    urllib.parse.parse_qs(parts.query),
                    dict(self.headers),
                    body,
                )
                with platform._lock:
                    platform.seen.append(seen)
                reply = platform.dispatch(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _handle
            do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def route(self, method: str, path: str, handler: Handler | Reply) -> None:
        self.routes[(method, path)] = handler if callable(handler) else (lambda _seen, r=handler: r)

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]

    def revoke_tokens(self) -> None:
        self.valid_tokens.clear()

    def dispatch(self, seen: Seen) -> Reply:
        if seen.path == "/v2/oauth/token/" and seen.method == "POST":
            return self._token(seen)
        auth = seen.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer ") :] not in self.valid_tokens:
            return fail(
                401,
                "access_token_invalid",
                "The access token is unknown or expired: get a new one.",
            )
        handler = self.routes.get((seen.method, seen.path))
        if handler is None:
            return fail(404, "not_found", f"No route {seen.method} {seen.path}.")
        return handler(seen)

    def _token(self, seen: Seen) -> Reply:
        if self.token_reply is not None:
            return self.token_reply
        form = seen.form()
        if form.get("grant_type") != "client_credentials":
            return Reply(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "grant_type must be client_credentials.",
                },
            )
        if (
            form.get("client_key") != self.client_key
            or form.get("client_secret") != self.client_secret
        ):
            return fail(401, "invalid_client", "Client key or secret is incorrect.")
        with self._lock:
            self.issued += 1
            token = f"clt.token-{self.issued}"
            self.valid_tokens.add(token)
        return Reply(
            200,
            {
                "access_token": token,
                "expires_in": self.expires_in,
                "token_type": "Bearer",
                "scope": "research.vce",
            },
        )
