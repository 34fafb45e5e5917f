"""The one error shape of every ``/vce/api/`` route and of the platform.

``{"error": {"code": ..., "message": ..., "log_id": ...}}``: a machine-readable
code, a message a researcher can act on, and an id to find the log line.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any


def new_log_id(now: datetime | None = None) -> str:
    """A log id as the platform makes them, 34 characters: UTC ``YYYYMMDDHHMMSS`` + 20
    upper-case hex (docs/research/research-api.md §6)."""
    moment = now or datetime.now(UTC)
    return moment.strftime("%Y%m%d%H%M%S") + secrets.token_hex(10).upper()


def error_envelope(code: str, message: str, log_id: str) -> dict[str, Any]:
    """The error body every route answers with."""
    return {"error": {"code": code, "message": message, "log_id": log_id}}


def ok_envelope(data: Any) -> dict[str, Any]:
    """The body of a route that answers with the platform's envelope shape: data, no error."""
    return {"data": data, "error": {"code": "ok", "message": "", "log_id": ""}}


class VCEError(Exception):
    """An error the server extension answers with ``status`` and its envelope.

    The message is shown to researchers: it must say what to do and must never
    contain a credential. ``retry_after``: seconds for a ``Retry-After`` header
    (a 503 that will pass by itself), or None.
    """

    retry_after: int | None = None

    def __init__(self, status: int, code: str, message: str, log_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.log_id = log_id or new_log_id()

    def envelope(self) -> dict[str, Any]:
        return error_envelope(self.code, self.message, self.log_id)


class InvalidRequest(VCEError):
    """The browser sent a body the route cannot use (400 ``invalid_request``)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, "invalid_request", message)
