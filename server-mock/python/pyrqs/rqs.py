"""The query client of the Virtual Compute Environment (``from pyrqs import rqs``).

Seed example (runs unchanged)::

    from pyrqs import rqs
    client = rqs.RQSClient()
    data = client.query(category="video", condition_groups=[...],
                        fields="display_name,video_description,create_time,id", limit=10)
    print(data)

The client talks to the platform's HTTP API (server-mock/openapi.yaml,
docs/contracts.md "Test stage"): it signs in with the client-credentials grant
(``POST /v2/oauth/token/``) the first time it needs a token, caches the token,
replaces it shortly before it expires or once after the platform answers 401.
Only the standard library is used (urllib), so it runs in sandboxed job
scripts too.

Stages (docs/research/vce-sdk.md):

- Test stage (a researcher's credentials): :meth:`RQSClient.query` returns a
  random sample of at most ``limit`` matching records (default 100, maximum
  5,000), charged to the day's quota of 5,000 records.
- Execution stage (a job's access token in ``RQS_ACCESS_TOKEN``):
  :meth:`RQSClient.iter_query` / :meth:`RQSClient.query_all` page through every
  match in id order, up to 100,000 records a page, not charged.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from ._stream import EnvelopeReader
from .errors import (
    AuthenticationError,
    ConfigurationError,
    PlatformUnavailableError,
    QueryTaskError,
    QuotaExceededError,
    RQSError,
    ValidationError,
)
from .result import MIME_TYPE, QueryResult

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "MIME_TYPE",
    "PlatformUnavailableError",
    "QueryResult",
    "QueryTaskError",
    "QuotaExceededError",
    "RQSClient",
    "RQSError",
    "TASK_STATUSES",
    "ValidationError",
]

ENV_API_URL = "RQS_API_URL"
ENV_CLIENT_KEY = "RQS_CLIENT_KEY"
ENV_CLIENT_SECRET = "RQS_CLIENT_SECRET"
#: A ready-made access token (a job's, execution stage): used as is, no sign-in.
ENV_ACCESS_TOKEN = "RQS_ACCESS_TOKEN"

TOKEN_PATH = "/v2/oauth/token/"
IDENTITY_PATH = "/v2/vce/me/"
QUOTA_PATH = "/v2/vce/quota/"
QUERY_PATH = "/v2/vce/query/"
TASKS_PATH = "/v2/vce/query_tasks/"

#: 401 codes of the JupyterLab server's kernel route (jupyterlab_vce/kernel_proxy.py), whose
#: message says what to do in the lab: ``signed_out`` ("Signed out of the VCE: sign in again
#: (status bar)"), ``sign_in_rejected``, ``invalid_kernel_token``.
LAB_SIGN_IN_CODES = ("signed_out", "sign_in_rejected", "invalid_kernel_token")

#: docs/research/vce-sdk.md: test-stage default limit 100 (maximum 5,000 records a day).
DEFAULT_LIMIT = 100
#: docs/research/vce-sdk.md: execution stage pages of up to 100,000 records.
MAX_PAGE_SIZE = 100_000
#: docs/research/vce-sdk.md: task statuses (not confirmed as exhaustive).
TASK_STATUSES = ("Created", "Validating", "Processing", "Completed", "AnalysisFailed", "Cancelled")
FINAL_TASK_STATUSES = ("Completed", "AnalysisFailed", "Cancelled")
#: Replace the token this many seconds before it expires (at most half its lifetime),
#: like the server extension (jupyterlab_vce/platform_client.py).
REFRESH_MARGIN_SECONDS = 60.0
DEFAULT_TIMEOUT = 30.0
USER_AGENT = "pyrqs/0.1 (vce-mock stand-in)"

_UNSET: Any = object()


@dataclass
class _Token:
    value: str = field(repr=False)
    refresh_at: float  # monotonic time; inf for a token given from outside


class RQSClient:
    """A client of the platform's query service.

    Parameters default to the environment: ``api_url`` to ``RQS_API_URL``,
    ``client_key`` to ``RQS_CLIENT_KEY``, ``client_secret`` to
    ``RQS_CLIENT_SECRET``, ``access_token`` to ``RQS_ACCESS_TOKEN`` (a job's
    token in the execution stage; when set, no key or secret is needed).
    ``timeout`` is the seconds to wait for each HTTP answer.

    Raises :class:`ConfigurationError` naming the missing variable(s). Nothing
    is sent until the first call that needs the platform.
    """

    def __init__(
        self,
        api_url: str | None = None,
        client_key: str | None = None,
        client_secret: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        access_token: str | None = None,
    ) -> None:
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        api_url = api_url or os.environ.get(ENV_API_URL) or None
        # A key and secret passed in are meant: the environment's token (a job's, or a
        # JupyterLab kernel's) does not override them.
        explicit_pair = bool(client_key and client_secret)
        if access_token is None and not explicit_pair:
            access_token = os.environ.get(ENV_ACCESS_TOKEN) or None
        client_key = client_key or os.environ.get(ENV_CLIENT_KEY) or None
        client_secret = client_secret or os.environ.get(ENV_CLIENT_SECRET) or None
        missing = []
        if not api_url:
            missing.append(ENV_API_URL)
        if access_token is None:
            if not client_key:
                missing.append(ENV_CLIENT_KEY)
            if not client_secret:
                missing.append(ENV_CLIENT_SECRET)
        if missing:
            raise ConfigurationError(
                f"pyrqs cannot reach the platform: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not set. Set the environment variable"
                f"{'' if len(missing) == 1 else 's'} (the VCE sets them in its kernels), or pass "
                "api_url=, client_key=, client_secret= to RQSClient().",
                code="not_configured",
            )
        unix_socket = _unix_socket_of(str(api_url))
        parsed = urllib.parse.urlsplit(UNIX_BASE_URL if unix_socket else str(api_url))
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConfigurationError(
                f"{ENV_API_URL} must be an http(s) URL such as http://127.0.0.1:8910 "
                f"(or unix:/path/to/socket inside a clean-room job), not {api_url!r}.",
                code="not_configured",
            )
        if not timeout or timeout <= 0:
            raise ConfigurationError(
                f"timeout must be a positive number of seconds, not {timeout!r}."
            )
        self.api_url = UNIX_BASE_URL if unix_socket else str(api_url).rstrip("/")
        self.client_key = client_key
        self.__secret = client_secret
        self.timeout = float(timeout)
        self._clock: Callable[[], float] = time.monotonic
        self._lock = threading.Lock()
        self._fixed_token = access_token is not None
        self._token: _Token | None = _Token(access_token, float("inf")) if access_token else None
        self._opener = (
            _unix_opener(unix_socket) if unix_socket else _opener_for(parsed.hostname or "")
        )

    def __repr__(self) -> str:
        who = "job token" if self._fixed_token else f"client_key={self.client_key!r}"
        return f"RQSClient(api_url={self.api_url!r}, {who})"

    # ------------------------------------------------------------------ test stage

    def query(
        self,
        category: str,
        condition_groups: list[dict[str, Any]] | None = None,
        fields: str | list[str] | None = None,
        limit: int | None = DEFAULT_LIMIT,
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> QueryResult:
        """Query public data: ``POST /v2/vce/query/``.

        - ``category``: ``"video"``, ``"comment"`` or ``"user"``
        - ``condition_groups``: ``[{"operator": "and"|"or"|"not", "conditions":
          [{"field", "operator", "field_values": [str, ...]}]}]``; groups are AND-ed;
          ``None`` or ``[]`` matches everything
        - ``fields``: the fields to return, a comma-separated string
          (``"id,create_time"``) or a list of names; required by the platform
        - ``limit``: the most records to return (docs/research/vce-sdk.md: test stage default 100,
          maximum 5,000 a day)
        - ``start_date`` / ``end_date``: optional ``"YYYYMMDD"`` (UTC) bounds on create_time

        With a researcher's credentials (test stage) the answer is a uniformly random
        sample of the matches, charged to the day's quota: the result's ``.quota``
        shows what is left. With a job token (execution stage) it is the first page of
        all matches in id order (``.cursor``, ``.has_more``): see :meth:`iter_query`.

        Raises :class:`ValidationError` (field, operation, value),
        :class:`QuotaExceededError` (remaining, resets_at), :class:`AuthenticationError`,
        :class:`PlatformUnavailableError`.
        """
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        body = _query_body(category, condition_groups, fields, limit, start_date, end_date)
        data, log_id = self._call("POST", QUERY_PATH, body)
        return _result(data, body.get("fields"), log_id)

    def me(self) -> dict[str, Any]:
        """The signed-in client: ``{"client_key", "role", "project": {"id", "name"}, "primary_researcher_email"}``."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        return self.request("GET", IDENTITY_PATH)

    def get_quota(self) -> dict[str, Any]:
        """Today's quota: ``{"day", "daily_limit", "used", "remaining", "resets_at"}`` (UTC day)."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        return self.request("GET", QUOTA_PATH)

    # ------------------------------------------------------------- execution stage

    def iter_query(
        self,
        category: str,
        condition_groups: list[dict[str, Any]] | None = None,
        fields: str | list[str] | None = None,
        page_size: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield every matching record, paging ``POST /v2/vce/query/`` with its cursor.

        Execution stage (a job's token): all matches in id order, ``page_size`` records
        a request (docs/research/vce-sdk.md: default 1,000, at most 100,000), not charged. In the test
        stage (a researcher's token) the platform answers one random sample of at most
        ``page_size`` records (charged); the iterator yields it and stops, so one
        script runs in both stages.
        """
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        body = _query_body(category, condition_groups, fields, page_size, start_date, end_date)
        cursor: str | None = None
        while True:
            page_body = dict(body, cursor=cursor) if cursor else body
            # Records as they arrive: a page of 100,000 is never held whole.
            data, _log_id = yield from self._stream_records("POST", QUERY_PATH, page_body)
            cursor = data.get("cursor")
            if not (data.get("has_more") and cursor):
                return

    def iter_query_pages(
        self,
        category: str,
        condition_groups: list[dict[str, Any]] | None = None,
        fields: str | list[str] | None = None,
        page_size: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> Iterator[QueryResult]:
        """Like :meth:`iter_query`, one :class:`QueryResult` per page (``.cursor``, ``.has_more``)."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        body = _query_body(category, condition_groups, fields, page_size, start_date, end_date)
        cursor: str | None = None
        while True:
            page_body = dict(body, cursor=cursor) if cursor else body
            records: list[dict[str, Any]] = []
            data, log_id = _drain(self._stream_records("POST", QUERY_PATH, page_body), records)
            page = _result(dict(data, records=records), body.get("fields"), log_id)
            yield page
            cursor = data.get("cursor")
            if not (data.get("has_more") and cursor):
                return

    def query_all(
        self,
        category: str,
        condition_groups: list[dict[str, Any]] | None = None,
        fields: str | list[str] | None = None,
        page_size: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> QueryResult:
        """Every record :meth:`iter_query` yields, in one :class:`QueryResult`."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        result: QueryResult | None = None
        for page in self.iter_query_pages(
            category, condition_groups, fields, page_size, start_date, end_date
        ):
            if result is None:
                result = page
            else:
                result.extend(page)
                result.quota = page.quota or result.quota
                result.log_id = page.log_id
            result.cursor, result.has_more = None, False
        return result if result is not None else QueryResult()

    # ------------------------------------------------------------------- tasks

    def create_query_task(
        self,
        category: str,
        condition_groups: list[dict[str, Any]] | None = None,
        fields: str | list[str] | None = None,
        limit: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> str:
        """Create a query task (``POST /v2/vce/query_tasks/``) and return its ``task_id`` (a string).

        Same parameters as :meth:`query`; ``limit=None`` leaves the platform's default
        (test stage 100, execution stage all matches are counted). The task runs on
        the platform: follow it with :meth:`check_query_task_status` and read it with
        :meth:`get_query_task_result`. A test-stage task is charged when it completes.
        """
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        body = _query_body(category, condition_groups, fields, limit, start_date, end_date)
        data = self.request("POST", TASKS_PATH, body)
        try:
            return str(data["task_id"])
        except (KeyError, TypeError):
            raise RQSError(
                "The platform created a query task but did not say its task_id.",
                code="platform_error",
            ) from None

    def get_query_task(self, task_id: str) -> dict[str, Any]:
        """The task's state: ``{"task_id", "status", "created_at", "updated_at", "count"?,
        "error"?: {"code", "message"}}`` (``count`` once Completed, ``error`` once AnalysisFailed)."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        return self.request("GET", _task_path(task_id))

    def check_query_task_status(self, task_id: str) -> str:
        """The task's status, one of ``TASK_STATUSES``: Created, Validating, Processing,
        Completed, AnalysisFailed, Cancelled (docs/research/vce-sdk.md)."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        return str(self.get_query_task(task_id)["status"])

    def wait_for_query_task(
        self, task_id: str, timeout: float = 600.0, poll_interval: float = 0.5
    ) -> dict[str, Any]:
        """Poll until the task is Completed and return its state (see :meth:`get_query_task`).

        Raises :class:`QueryTaskError` if it ends AnalysisFailed or Cancelled (``.task``
        holds its state, ``.code`` the platform's error code), and
        :class:`PlatformUnavailableError` if it is still running after ``timeout`` seconds.
        """
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        deadline = self._clock() + timeout
        while True:
            task = self.get_query_task(task_id)
            status = task.get("status")
            if status == "Completed":
                return task
            if status in FINAL_TASK_STATUSES:
                error = task.get("error") or {}
                detail = f": {error['message']}" if error.get("message") else "."
                raise QueryTaskError(
                    f"Query task {task_id} is {status}{detail}", task=task, code=error.get("code")
                )
            if self._clock() >= deadline:
                raise PlatformUnavailableError(
                    f"Query task {task_id} is still {status} after {timeout:g} s: check it later with "
                    "check_query_task_status(), or cancel it with cancel_query_task().",
                    code="task_timeout",
                )
            time.sleep(poll_interval)

    def get_query_task_result(
        self, task_id: str, cursor: str | None = None, page_size: int | None = None
    ) -> dict[str, Any]:
        """One page of a Completed task's records: ``GET /v2/vce/query_tasks/{task_id}/result/``.

        Returns ``{"task_id", "category", "records": QueryResult, "count", "cursor":
        str | None, "has_more": bool}``; pass ``cursor`` back for the next page.
        ``page_size``: records a page (platform default 1,000; docs/research/vce-sdk.md: at most
        100,000). A task that is not Completed yet raises :class:`RQSError` with code
        ``task_not_finished``.
        """
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        params = {}
        if cursor:
            params["cursor"] = cursor
        if page_size is not None:
            params["page_size"] = str(page_size)
        data, log_id = self._call("GET", _task_path(task_id) + "result/", params=params)
        page = dict(data)
        page["records"] = _result(data, None, log_id)
        page.setdefault("count", len(page["records"]))
        return page

    def iter_query_task_result(
        self, task_id: str, page_size: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield every record of a Completed task, following the result cursor."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        cursor: str | None = None
        while True:
            page = self.get_query_task_result(task_id, cursor=cursor, page_size=page_size)
            yield from page["records"]
            cursor = page.get("cursor")
            if not (page.get("has_more") and cursor):
                return

    def cancel_query_task(self, task_id: str) -> dict[str, Any]:
        """Cancel a task that is Created, Validating or Processing; returns its state
        (status ``Cancelled``). A finished task raises :class:`RQSError` (code
        ``task_not_finished``, HTTP 409)."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        return self.request("POST", _task_path(task_id) + "cancel/")

    # --------------------------------------------------------------------- HTTP

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        """Send an authenticated request to a platform route and return the ``data`` of its answer.

        Low-level: the methods above are built on it. Gets a token first when needed,
        and replaces it once if the platform answers 401.
        """
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        return self._call(method, path, body, params)[0]

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> tuple[Any, str | None]:
        """``(data, log_id)`` of an authenticated request (see :meth:`request`)."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        url = self.api_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        payload = json.dumps(body).encode("utf-8") if body is not None else None
        token = self._current_token()
        status, answer = self._send(method, url, payload, token)
        if status == 401 and not self._fixed_token:
            token = self._replace_rejected_token(token)
            status, answer = self._send(method, url, payload, token)
        if status >= 400:
            raise self._error(status, answer, url)
        if not isinstance(answer, dict) or "data" not in answer:
            raise RQSError(
                f"The platform answered {method} {path} without a data envelope.",
                code="platform_error",
                status=status,
            )
        error = answer.get("error")
        return answer["data"], error.get("log_id") if isinstance(error, dict) else None

    def _stream_records(
        self, method: str, path: str, body: dict[str, Any]
    ) -> Generator[dict[str, Any], None, tuple[dict[str, Any], str | None]]:
        """Yield the records of an answer as they arrive; return ``(data without records, log_id)``.

        The same checks and errors as :meth:`_call` (refused token replaced once, error
        answers raised typed); a body cut short raises :class:`PlatformUnavailableError`.
        """
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        url = self.api_url + path
        payload = json.dumps(body).encode("utf-8")
        token = self._current_token()
        status, opened = self._open(method, url, payload, token)
        if status == 401 and not self._fixed_token:
            token = self._replace_rejected_token(token)
            status, opened = self._open(method, url, payload, token)
        if not isinstance(opened, http.client.HTTPResponse):
            raise self._error(status, opened, url)
        with opened as response:
            reader = EnvelopeReader(lambda size: self._read_body(response, size))
            try:
                yield from reader.records()
            except (UnicodeDecodeError, ValueError):
                raise RQSError(
                    f"The platform at {self.api_url} answered HTTP {status} with a body that is not JSON.",
                    code="platform_error",
                    status=status,
                ) from None
        answer = reader.envelope
        if not isinstance(answer, dict) or "data" not in answer:
            raise RQSError(
                f"The platform answered {method} {path} without a data envelope.",
                code="platform_error",
                status=status,
            )
        data = answer["data"]
        if not isinstance(data, dict) or not reader.has_records:
            raise RQSError(
                "The platform answered without a list of records.", code="platform_error"
            )
        error = answer.get("error")
        return data, error.get("log_id") if isinstance(error, dict) else None

    def _read_body(self, response: http.client.HTTPResponse, size: int) -> bytes:
        """Up to ``size`` bytes of what has arrived; b"" only at the answer's real end."""
        try:
            data = response.read1(size)
            if not data and response.length:  # fewer bytes than Content-Length said
                raise http.client.IncompleteRead(b"", response.length)
            return data
        except TimeoutError:
            raise self._unreachable(f"no answer within {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(_reason(error) or "the answer was cut short") from None

    def _open(self, method: str, url: str, payload: bytes, token: str) -> tuple[int, Any]:
        """``(status, open response)`` of a success, or ``(status, parsed answer)`` of an error."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        headers = {
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
        }
        request = urllib.request.Request(url, data=payload, headers=headers, method=method)
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            try:
                raw = error.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                error.close()
            try:
                answer = json.loads(raw.decode("utf-8")) if raw else None
            except (UnicodeDecodeError, ValueError):
                answer = None
            return error.code, answer
        except urllib.error.URLError as error:
            raise self._unreachable(_reason(error.reason)) from None
        except TimeoutError:
            raise self._unreachable(f"no answer within {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(_reason(error)) from None
        return response.status, response

    def _current_token(self) -> str:
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        with self._lock:
            token = self._token
            if token is None or self._clock() >= token.refresh_at:
                token = self._token = self._sign_in()
            return token.value

    def _replace_rejected_token(self, rejected: str) -> str:
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        with self._lock:
            token = self._token
            if token is None or token.value == rejected or self._clock() >= token.refresh_at:
                token = self._token = self._sign_in()
            return token.value

    def _sign_in(self) -> _Token:
        """The client-credentials grant (docs/research/research-api.md §1): form-urlencoded key, secret, grant_type."""
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        form = urllib.parse.urlencode(
            {
                "client_key": self.client_key,
                "client_secret": self.__secret,
                "grant_type": "client_credentials",
            }
        ).encode("ascii")
        issued_at = self._clock()
        url = self.api_url + TOKEN_PATH
        status, answer = self._send(
            "POST", url, form, None, content_type="application/x-www-form-urlencoded"
        )
        if status >= 400:
            raise self._error(status, answer, url, signing_in=True)
        try:
            value = str(answer["access_token"])
            expires_in = float(answer["expires_in"])
        except (KeyError, TypeError, ValueError):
            raise RQSError(
                f"The platform at {self.api_url} answered the sign-in without an access token.",
                code="platform_error",
                status=status,
            ) from None
        margin = min(REFRESH_MARGIN_SECONDS, expires_in / 2)
        return _Token(value, issued_at + expires_in - margin)

    def _send(
        self,
        method: str,
        url: str,
        payload: bytes | None,
        token: str | None,
        content_type: str = "application/json",
    ) -> tuple[int, Any]:
        __tracebackhide__ = True  # IPython shows the researcher's line, not the SDK's
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if payload is not None:
            headers["Content-Type"] = content_type
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if method == "POST" and payload is None:
            payload = b""
        request = urllib.request.Request(url, data=payload, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status = error.code
            try:
                raw = error.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                error.close()
        except urllib.error.URLError as error:
            raise self._unreachable(_reason(error.reason)) from None
        except TimeoutError:
            raise self._unreachable(f"no answer within {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(_reason(error)) from None
        try:
            answer = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            answer = None
        if status < 400 and answer is None:
            raise RQSError(
                f"The platform at {self.api_url} answered HTTP {status} with a body that is not JSON.",
                code="platform_error",
                status=status,
            )
        return status, answer

    def _unreachable(self, reason: str) -> PlatformUnavailableError:
        return PlatformUnavailableError(
            self._scrub(
                f"The platform at {self.api_url} is not answering ({reason}). Check that {ENV_API_URL} "
                "points at a running platform, then try again (the data is unchanged; nothing was charged "
                "unless the platform received the query)."
            ),
            code="platform_unreachable",
        )

    def _error(self, status: int, answer: Any, url: str, signing_in: bool = False) -> RQSError:
        """The typed exception for a platform error answer (envelope per docs/contracts.md)."""
        envelope = answer if isinstance(answer, dict) else {}
        error = envelope.get("error")
        if isinstance(error, dict):
            code = error.get("code")
            message = error.get("message")
            log_id = error.get("log_id")
        else:  # the flat OAuth shape: {"error": "invalid_client", "error_description": ...}
            code = error if isinstance(error, str) else None
            message = envelope.get("error_description")
            log_id = envelope.get("log_id")
        code = str(code) if code else None
        message = self._scrub(str(message)) if message else None
        data = envelope.get("data") if isinstance(envelope.get("data"), dict) else {}
        path = urllib.parse.urlsplit(url).path

        if status >= 500:
            what = f"{code}: {message}" if message else f"HTTP {status}"
            return PlatformUnavailableError(
                f"The platform at {self.api_url} failed to answer {path} ({what}). Try again later; "
                "if it keeps failing, report the log_id.",
                code=code or "platform_error",
                status=status,
                log_id=log_id,
            )
        if status == 401 and code in LAB_SIGN_IN_CODES and message:
            # The lab's kernel route: its message is the whole story ("Signed out of the VCE: ...").
            return AuthenticationError(message, code=code, status=status)
        if signing_in or status == 401:
            if signing_in:
                text = (
                    f"The platform at {self.api_url} refused to sign in client {self.client_key!r}: "
                    f"{message or f'HTTP {status}'} Check {ENV_CLIENT_KEY} and {ENV_CLIENT_SECRET}."
                )
            elif self._fixed_token:
                text = (
                    f"The platform refused the access token ({message or 'HTTP 401'}); "
                    f"the job's token in {ENV_ACCESS_TOKEN} may have expired."
                )
            else:
                text = f"The platform refused the access token even after signing in again: {message or 'HTTP 401'}"
            return AuthenticationError(
                text, code=code or "access_token_invalid", status=status, log_id=log_id
            )
        if status == 429 and code != "rate_limit_exceeded":
            quota = data.get("quota") if isinstance(data.get("quota"), dict) else None
            remaining = quota.get("remaining") if quota else None
            resets_at = quota.get("resets_at") if quota else None
            text = message or "The daily quota is exceeded."
            if quota and (str(remaining) not in text or str(resets_at) not in text):
                text += f" {remaining} records remain today; the quota resets at {resets_at}."
            return QuotaExceededError(
                text,
                remaining=remaining,
                resets_at=resets_at,
                quota=quota,
                code=code or "daily_quota_limit_exceeded",
                status=status,
                log_id=log_id,
            )
        if code == "invalid_params" or (status == 400 and isinstance(data.get("problems"), list)):
            problems = [p for p in data.get("problems") or [] if isinstance(p, dict)]
            first = problems[0] if problems else {}
            return ValidationError(
                message or "The platform refused the query as not valid.",
                field=first.get("field"),
                operation=first.get("operation"),
                value=first.get("value"),
                problems=problems,
                code=code or "invalid_params",
                status=status,
                log_id=log_id,
            )
        return RQSError(
            message or f"The platform answered {path} with HTTP {status}.",
            code=code,
            status=status,
            log_id=log_id,
        )

    def _scrub(self, text: str) -> str:
        """Never let the secret (or a token) into a message."""
        secret = self.__secret
        # Short secrets (test clients such as "s") would mangle every message; the SDK
        # itself never writes the secret into one, this only guards platform echoes.
        if secret and len(secret) >= 6 and secret in text:
            text = text.replace(secret, "***")
        token = self._token.value if self._token else None
        if token and len(token) >= 6 and token in text:
            text = text.replace(token, "***")
        return text


def _query_body(
    category: str,
    condition_groups: list[dict[str, Any]] | None,
    fields: str | list[str] | tuple[str, ...] | None,
    limit: int | None,
    start_date: str | None,
    end_date: str | None,
) -> dict[str, Any]:
    """The JSON body of a query or query task; values go as given, the platform validates them."""
    body: dict[str, Any] = {"category": category, "condition_groups": condition_groups or []}
    if isinstance(fields, tuple):
        fields = list(fields)
    if fields is not None:
        body["fields"] = fields
    if limit is not None:
        body["limit"] = limit
    if start_date is not None:
        body["start_date"] = start_date
    if end_date is not None:
        body["end_date"] = end_date
    return body


def _drain(
    records: Generator[dict[str, Any], None, tuple[dict[str, Any], str | None]],
    into: list[dict[str, Any]],
) -> tuple[dict[str, Any], str | None]:
    """Every record of a record stream appended to ``into``; the stream's return value."""
    while True:
        try:
            into.append(next(records))
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def _field_names(fields: Any) -> list[str] | None:
    if isinstance(fields, str):
        return [name.strip() for name in fields.split(",") if name.strip()]
    if isinstance(fields, list) and all(isinstance(name, str) for name in fields):
        return [name.strip() for name in fields]
    return None


def _result(data: Any, fields: Any, log_id: str | None = None) -> QueryResult:
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise RQSError("The platform answered without a list of records.", code="platform_error")
    return QueryResult(
        data["records"],
        category=data.get("category"),
        fields=_field_names(fields),
        quota=data.get("quota"),
        cursor=data.get("cursor"),
        has_more=data.get("has_more"),
        log_id=log_id,
    )


def _task_path(task_id: str) -> str:
    task_id = str(task_id)
    if not task_id or "/" in task_id or task_id in (".", ".."):
        raise ValueError(
            f"{task_id!r} is not a task_id: use the string create_query_task() returned."
        )
    return TASKS_PATH + urllib.parse.quote(task_id, safe="") + "/"


def _reason(reason: Any) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


UNIX_BASE_URL = "http://localhost"
"""The base of request URLs when the platform is reached over a Unix socket (a job's data route)."""


def _unix_socket_of(api_url: str) -> str | None:
    """The socket path of ``unix:/path`` (how a clean-room job reaches its data gateway), else None."""
    return (
        api_url[len("unix:") :]
        if api_url.startswith("unix:") and len(api_url) > len("unix:")
        else None
    )


class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix-domain socket; the host name only fills the Host header."""

    def __init__(self, socket_path: str, *args: Any, **kwargs: Any) -> None:
        super().__init__("localhost", *args, **kwargs)
        self._socket_path = socket_path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout if isinstance(self.timeout, (int, float)) else None)
        try:
            sock.connect(self._socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class _UnixHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, socket_path: str) -> None:
        super().__init__()
        self._socket_path = socket_path

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            lambda _host, **kwargs: _UnixHTTPConnection(self._socket_path, **kwargs), req
        )


def _unix_opener(socket_path: str) -> urllib.request.OpenerDirector:
    """urllib's opener for a platform behind a Unix socket; no proxy applies."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _UnixHTTPHandler(socket_path)
    )


def _opener_for(host: str) -> urllib.request.OpenerDirector:
    """urllib's opener; loopback hosts bypass any HTTP(S)_PROXY of the environment."""
    loopback = host == "localhost"
    try:
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    return (
        urllib.request.build_opener(urllib.request.ProxyHandler({}))
        if loopback
        else urllib.request.build_opener()
    )
