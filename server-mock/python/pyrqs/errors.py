"""The SDK's exceptions.

Every error the SDK raises is an :class:`RQSError`; the platform's error
envelope (``{"error": {"code", "message", "log_id"}}``, docs/contracts.md) is
kept on it as ``code``, ``status`` (HTTP status, ``None`` when there was no
answer) and ``log_id``. No message or repr ever contains the client secret.
"""

from __future__ import annotations

from typing import Any


class RQSError(Exception):
    """Base of every pyrqs error: ``message``, ``code``, ``status``, ``log_id``."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        log_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.log_id = log_id

    def __str__(self) -> str:
        if self.log_id:
            return f"{self.message} (log_id {self.log_id})"
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, message={self.message!r})"


class ConfigurationError(RQSError):
    """The client is missing its platform URL or credentials (names the variable to set)."""


class AuthenticationError(RQSError):
    """The platform refused the credentials or the access token (HTTP 400/401 on sign-in, 401 after a retry)."""


class ValidationError(RQSError):
    """The platform refused the query (400 ``invalid_params``).

    ``field``, ``operation`` and ``value`` describe the first problem the
    platform reported; ``problems`` holds all of them as plain dicts
    (``{"field", "operation"?, "value"?, "message"}``).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        operation: str | None = None,
        value: Any = None,
        problems: list[dict[str, Any]] | None = None,
        code: str | None = "invalid_params",
        status: int | None = 400,
        log_id: str | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status, log_id=log_id)
        self.field = field
        self.operation = operation
        self.value = value
        self.problems = problems or []


class QuotaExceededError(RQSError):
    """The day's record quota cannot cover the query (429 ``daily_quota_limit_exceeded``).

    ``remaining`` records are left today; the quota resets at ``resets_at``
    (ISO-8601, midnight UTC: docs/research/research-api.md §6). ``quota`` is the platform's
    whole quota object when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        remaining: int | None = None,
        resets_at: str | None = None,
        quota: dict[str, Any] | None = None,
        code: str | None = "daily_quota_limit_exceeded",
        status: int | None = 429,
        log_id: str | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status, log_id=log_id)
        self.remaining = remaining
        self.resets_at = resets_at
        self.quota = quota


class PlatformUnavailableError(RQSError):
    """The platform did not answer (refused connection, timeout) or failed (HTTP 5xx)."""


class QueryTaskError(RQSError):
    """A query task ended without results (AnalysisFailed or Cancelled); ``task`` is its status dict."""

    def __init__(self, message: str, *, task: dict[str, Any], code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.task = task
        self.task_id = task.get("task_id")
        self.task_status = task.get("status")


__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "PlatformUnavailableError",
    "QueryTaskError",
    "QuotaExceededError",
    "RQSError",
    "ValidationError",
]
