"""A small stand-in of the platform for the server extension's tests.

Counts token requests, and can be told to refuse the tokens it issued, to issue
short-lived ones, or to answer the quota route with an error.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from tornado.web import Application, RequestHandler

CLIENT_KEY = "researcher-key"
CLIENT_SECRET = "s3cr3t-Zq8-never-echo"
IDENTITY = {
    "client_key": CLIENT_KEY,
    "role": "researcher",
    "project": {"id": "p-1", "name": "Test project"},
    "primary_researcher_email": "pi@example.org",
}
QUOTA = {
    "day": "2026-11-25",
    "daily_limit": 5000,
    "used": 12,
    "remaining": 4988,
    "resets_at": "2026-11-26T00:00:00Z",
}
LOG_ID = "20261125050000AB12CD34EF56789A0B1C"


def envelope(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "log_id": LOG_ID}}


def oauth_error(code: str, description: str) -> dict[str, Any]:
    """The token route's flat error body, as the platform's (docs/research/research-clients.md §1)."""
    return {"error": code, "error_description": description, "log_id": LOG_ID}


@dataclass
class FakePlatform:
    """State of the fake platform; tests read the counters and flip the switches."""

    url: str = ""
    clients: dict[str, str] = field(default_factory=lambda: {CLIENT_KEY: CLIENT_SECRET})
    expires_in: int = 7200
    token_delay: float = 0.0
    #: The status of a refused pair: 401, or 200 as the platform may answer it (flat body either way).
    refusal_status: int = 401
    quota_error: tuple[int, dict[str, Any]] | None = None
    token_requests: int = 0
    data_requests: int = 0
    issued: list[str] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    #: (method, path?query, Content-Type, body) of every data request, in order.
    data_calls: list[tuple[str, str, str, bytes]] = field(default_factory=list)

    def revoke_tokens(self) -> None:
        """Answer 401 to every token issued so far."""
        self.valid_tokens.clear()

    def application(self) -> Application:
        return Application(
            [
                (r"/v2/oauth/token/", TokenHandler, {"platform": self}),
                (r"/v2/vce/me/", DataHandler, {"platform": self, "data": IDENTITY}),
                (r"/v2/vce/quota/", DataHandler, {"platform": self, "data": QUOTA}),
                (r"/v2/vce/query/", DataHandler, {"platform": self, "data": {"records": []}}),
                (r"/v2/vce/query_tasks/[^/]+/result/", DataHandler, {"platform": self, "data": {}}),
            ]
        )


class FakeHandler(RequestHandler):
    def initialize(self, platform: FakePlatform, data: dict[str, Any] | None = None) -> None:
        self.platform = platform
        self.data = data

    def answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class TokenHandler(FakeHandler):
    async def post(self) -> None:
        self.platform.token_requests += 1
        await asyncio.sleep(self.platform.token_delay)
        if self.get_body_argument("grant_type", "") != "client_credentials":
            return self.answer(
                400, oauth_error("invalid_request", "grant_type must be client_credentials.")
            )
        key = self.get_body_argument("client_key", "")
        secret = self.get_body_argument("client_secret", "")
        if self.platform.clients.get(key) != secret:
            return self.answer(
                self.platform.refusal_status,
                oauth_error("invalid_client", "Client key or secret is incorrect."),
            )
        token = f"clt.{len(self.platform.issued) + 1}"
        self.platform.issued.append(token)
        self.platform.valid_tokens.add(token)
        self.answer(
            200,
            {
                "access_token": token,
                "expires_in": self.platform.expires_in,
                "token_type": "Bearer",
                "scope": "research.vce",
            },
        )


class DataHandler(FakeHandler):
    def post(self) -> None:
        self.get()

    def get(self) -> None:
        self.platform.data_requests += 1
        self.platform.data_calls.append(
            (
                self.request.method or "",
                self.request.uri or "",
                self.request.headers.get("Content-Type", ""),
                self.request.body,
            )
        )
        token = self.request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.platform.valid_tokens:
            return self.answer(
                401, envelope("access_token_invalid", "The access token is expired; get a new one.")
            )
        if self.data is QUOTA and self.platform.quota_error is not None:
            return self.answer(*self.platform.quota_error)
        self.answer(
            200, {"data": self.data, "error": {"code": "ok", "message": "", "log_id": LOG_ID}}
        )
