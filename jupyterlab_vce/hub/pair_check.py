"""Is this client key and secret pair good? One call to the platform's token route.

``POST {platform}/v2/oauth/token/`` with the form fields ``client_key``, ``client_secret``
and ``grant_type=client_credentials`` (docs/research/research-api.md §1, docs/contracts.md).
The answer is classified, in :func:`classify` (pure), into:

- ``ACCEPTED``: 200 with an ``access_token`` (the token itself is dropped: the lab gets the
  pair and mints its own tokens);
- ``REJECTED``: the platform says the pair is wrong: error ``invalid_client`` (the real
  platform answers a flat ``{"error": "invalid_client", "error_description": …}`` with an
  undocumented status, research-api.md §1; the stand-in the envelope
  ``{"error": {"code": "invalid_client", …}}`` with 401), or a bare 401 / 403;
- ``UNREACHABLE``: no answer (connection refused, DNS, TLS, timeout);
- ``RATE_LIMITED``: the platform answered 429 (too many requests), with the seconds its
  ``Retry-After`` header asks for when it gave one;
- ``PLATFORM_ERROR``: an answer that is none of those (5xx, a 4xx about the request such as
  ``invalid_request``, a body that is not the token route's).

The secret goes into the request body only: never into a URL, a log line or a result.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest

TOKEN_PATH = "/v2/oauth/token/"
#: The platform's error code for a wrong key or secret (research-api.md §1).
INVALID_CLIENT = "invalid_client"


class Outcome(Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNREACHABLE = "unreachable"
    RATE_LIMITED = "rate limited"
    PLATFORM_ERROR = "platform error"


@dataclass(frozen=True)
class PairCheck:
    """The result of one check: the outcome and, for the log, what the platform said."""

    outcome: Outcome
    #: HTTP status of the platform's answer; None when there was no answer.
    status: int | None = None
    #: The platform's error code and message, or why there was no answer (never the secret).
    detail: str = ""
    #: The platform's ``log_id`` for a support request, when it gave one.
    log_id: str = ""
    #: The platform's own error message (from its JSON error, not a raw body), or "".
    message: str = ""
    #: RATE_LIMITED: the seconds the platform's ``Retry-After`` asks for; None if it gave none.
    retry_after: int | None = None

    def describe(self) -> str:
        """One line for the hub's log."""
        parts = [self.outcome.value]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.detail:
            parts.append(self.detail)
        if self.log_id:
            parts.append(f"log_id {self.log_id}")
        if self.retry_after is not None:
            parts.append(f"Retry-After {self.retry_after} s")
        return ", ".join(parts)


def token_url(platform_url: str) -> str:
    return platform_url.rstrip("/") + TOKEN_PATH


def token_request_body(client_key: str, client_secret: str) -> str:
    return urlencode(
        {
            "client_key": client_key,
            "client_secret": client_secret,
            "grant_type": "client_credentials",
        }
    )


def _error_fields(body: object) -> tuple[str, str, str]:
    """(code, message, log_id) from either error shape; empty strings when absent."""
    if not isinstance(body, dict):
        return "", "", ""
    error = body.get("error")
    if isinstance(error, dict):  # the envelope: {"error": {"code", "message", "log_id"}}
        return (
            str(error.get("code") or ""),
            str(error.get("message") or ""),
            str(error.get("log_id") or ""),
        )
    if isinstance(error, str):  # the flat OAuth body: {"error", "error_description", "log_id"}
        return error, str(body.get("error_description") or ""), str(body.get("log_id") or "")
    return "", "", ""


#: The longest Retry-After honoured (a platform asking for more is told as an hour).
MAX_RETRY_AFTER = 3600


def parse_retry_after(value: str | None, now: datetime | None = None) -> int | None:
    """``Retry-After`` (seconds, or an HTTP date) as whole seconds from ``now``; None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = math.ceil((when - (now or datetime.now(UTC))).total_seconds())
    return min(max(seconds, 1), MAX_RETRY_AFTER)


def classify(
    status: int, body: bytes, retry_after: str | None = None, now: datetime | None = None
) -> PairCheck:
    """Classify the token route's answer (see the module's doc).

    ``retry_after``: the answer's ``Retry-After`` header; ``now``: the clock for a date in it.
    """
    try:
        parsed = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        parsed = None
    code, message, log_id = _error_fields(parsed)
    detail = f"{code}: {message}" if code and message else code or message
    if status == 200:
        if isinstance(parsed, dict) and isinstance(parsed.get("access_token"), str):
            return PairCheck(Outcome.ACCEPTED, status)
        if code == INVALID_CLIENT:
            # Refused at HTTP 200 in the flat body, as the platform may answer (ResearchTikPy PR #28).
            return PairCheck(Outcome.REJECTED, status, detail, log_id)
        return PairCheck(
            Outcome.PLATFORM_ERROR, status, "the token route answered 200 without an access_token"
        )
    if code == INVALID_CLIENT and 400 <= status < 500:
        return PairCheck(Outcome.REJECTED, status, detail, log_id)
    if status in (401, 403):
        return PairCheck(Outcome.REJECTED, status, detail, log_id)
    if status == 429:
        return PairCheck(
            Outcome.RATE_LIMITED,
            status,
            detail,
            log_id,
            message or code,
            parse_retry_after(retry_after, now),
        )
    return PairCheck(
        Outcome.PLATFORM_ERROR, status, detail or "unexpected answer", log_id, message or code
    )


async def check_pair(
    platform_url: str,
    client_key: str,
    client_secret: str,
    *,
    timeout: float = 10.0,
    client: AsyncHTTPClient | None = None,
) -> PairCheck:
    """Ask the platform's token route whether the pair is good; never raises for the network."""
    request = HTTPRequest(
        token_url(platform_url),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        body=token_request_body(client_key, client_secret),
        connect_timeout=timeout,
        request_timeout=timeout,
        follow_redirects=False,
    )
    http = client or AsyncHTTPClient()
    try:
        response = await http.fetch(request, raise_error=False)
    except OSError as error:  # DNS failures, refused connections on some clients, TLS
        return PairCheck(Outcome.UNREACHABLE, None, f"{type(error).__name__}: {error}")
    if response.code == 599:  # tornado's "no HTTP answer": refused, reset, timed out
        reason = response.error or response.reason
        return PairCheck(Outcome.UNREACHABLE, None, str(reason))
    return classify(response.code, response.body or b"", response.headers.get("Retry-After"))
