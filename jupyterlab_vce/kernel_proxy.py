"""``<base_url>vce/platform/v2/...``: the platform as this server's kernels see it.

Kernels hold no client secret (:mod:`jupyterlab_vce.kernel_access`): their
``RQS_API_URL`` is this route and their ``RQS_ACCESS_TOKEN`` the server's kernel
token. The route checks that token (in constant time; kernels do not have
Jupyter's token, so Jupyter's own auth does not apply), then forwards the
SDK's test-stage calls with the server's current platform token, through the
one platform client. While the server is signed out it answers at once 401
``signed_out`` without calling the platform: nothing is charged, and the same
kernel works again as soon as the researcher signs in.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.decorator import allow_unauthenticated
from tornado.web import HTTPError, RequestHandler

from .errors import VCEError
from .handlers import PLATFORM_SETTING, http_error
from .kernel_access import KernelAccess
from .platform_client import (
    IDENTITY_PATH,
    NO_PLATFORM,
    QUERY_PATH,
    QUOTA_PATH,
    CredentialsRejected,
    NotSignedIn,
    PlatformClient,
    PlatformStarting,
    PlatformUnreachable,
)

#: Settings key of the :class:`~jupyterlab_vce.kernel_access.KernelAccess`.
KERNEL_ACCESS_SETTING = "vce_kernel_access"
#: The exact text pyrqs raises in a kernel after *Sign out* (issue 17).
SIGNED_OUT_MESSAGE = "Signed out of the VCE: sign in again (status bar)"
SIGNED_OUT_CODE = "signed_out"
REJECTED_MESSAGE = (
    "The platform no longer accepts the client key this lab signed in with: sign in again "
    "(status bar)"
)
REJECTED_CODE = "sign_in_rejected"
BAD_TOKEN_CODE = "invalid_kernel_token"
BAD_TOKEN_MESSAGE = (
    "This route serves the kernels of this Jupyter server: send the RQS_ACCESS_TOKEN a kernel "
    "started by it holds as `Authorization: Bearer <token>` (restart the kernel if the server "
    "was restarted)."
)
#: A query task's id as the platform issues it. Tornado has URL-decoded the path already,
#: so anything else (``..``, ``?``, spaces) is refused rather than forwarded.
_TASK = r"/v2/vce/query_tasks/[A-Za-z0-9_-]{1,100}/"
#: The platform calls the SDK makes in the test stage (pyrqs/rqs.py), and their methods.
KERNEL_CALLS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), method)
    for pattern, method in (
        (re.escape(QUERY_PATH), "POST"),
        (re.escape(IDENTITY_PATH), "GET"),
        (re.escape(QUOTA_PATH), "GET"),
        (r"/v2/vce/query_tasks/", "POST"),
        (_TASK, "GET"),
        (_TASK + "result/", "GET"),
        (_TASK + "cancel/", "POST"),
    )
)
LOG = logging.getLogger("jupyterlab_vce")
#: The most a kernel may send in one call (a query body is a few kilobytes).
MAX_BODY_BYTES = 1024 * 1024


def allowed_method(path: str) -> str | None:
    """The method the SDK uses on ``path``, or None when the route does not forward it."""
    for pattern, method in KERNEL_CALLS:
        if pattern.fullmatch(path):
            return method
    return None


def kernel_call_problem(method: str, path: str) -> VCEError | None:
    """Why the route does not forward ``method path``, or None when it does."""
    allowed = allowed_method(path)
    if allowed is None:
        return VCEError(
            404,
            "not_found",
            f"{path} is not forwarded to kernels: this route takes the SDK's test-stage calls "
            "only (query, identity, quota, query tasks).",
        )
    if method != allowed:
        return VCEError(405, "method_not_allowed", f"Use {allowed} for {path}, not {method}.")
    return None


class KernelProxyHandler(RequestHandler):
    """Forward one SDK call of a kernel; refuse everything else with the error envelope.

    A plain tornado handler: Jupyter's identity provider would read the kernel's
    bearer token as a Jupyter (or hub) token and try to check it.
    """

    SUPPORTED_METHODS = ("GET", "POST")

    def check_xsrf_cookie(self) -> None:
        """No cookies here: the kernel token in the Authorization header is the check."""

    @property
    def platform(self) -> PlatformClient:
        client: PlatformClient = self.settings[PLATFORM_SETTING]
        return client

    @property
    def access(self) -> KernelAccess:
        access: KernelAccess = self.settings[KERNEL_ACCESS_SETTING]
        return access

    @allow_unauthenticated
    async def get(self, path: str) -> None:
        await self._forward("GET", path)

    @allow_unauthenticated
    async def post(self, path: str) -> None:
        await self._forward("POST", path)

    async def _forward(self, method: str, path: str) -> None:
        if not self.access.accepts(self.request.headers.get("Authorization")):
            return self._refuse(VCEError(401, BAD_TOKEN_CODE, BAD_TOKEN_MESSAGE))
        problem = kernel_call_problem(method, path)
        if problem is not None:
            return self._refuse(problem)
        if len(self.request.body or b"") > MAX_BODY_BYTES:
            return self._refuse(
                VCEError(413, "payload_too_large", "A kernel's call may send at most 1 MiB.")
            )
        if self.platform.base_url is None:  # no platform: say why, not "signed out"
            if self.platform.starting:
                return self._refuse(PlatformStarting())
            return self._refuse(
                PlatformUnreachable(self.platform.unavailable_message or NO_PLATFORM)
            )
        if self.platform.credentials is None:
            return self._refuse(VCEError(401, SIGNED_OUT_CODE, SIGNED_OUT_MESSAGE))
        try:
            response = await self.platform.call(
                method,
                quote(path, safe="/"),
                query=self.request.query,
                body=self.request.body if method == "POST" else None,
                content_type=self.request.headers.get("Content-Type") if method == "POST" else None,
                raise_for_status=False,
            )
        except NotSignedIn:  # signed out while the call was on its way
            return self._refuse(VCEError(401, SIGNED_OUT_CODE, SIGNED_OUT_MESSAGE))
        except CredentialsRejected:
            return self._refuse(VCEError(401, REJECTED_CODE, REJECTED_MESSAGE))
        except VCEError as error:  # the platform did not answer
            return self._refuse(error)
        self.set_status(response.code)
        self.set_header(
            "Content-Type", response.headers.get("Content-Type", "application/json; charset=utf-8")
        )
        self.finish(response.body or b"")

    def _refuse(self, error: VCEError) -> None:
        if error.status >= 500:
            LOG.warning(
                "%s -> %s %s: %s", self.request.path, error.status, error.code, error.message
            )
        self.set_status(error.status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        if error.retry_after is not None:
            self.set_header("Retry-After", str(error.retry_after))
        self.finish(json.dumps(error.envelope()))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Tornado's own refusals (a malformed path, an unlisted method) with their status and
        code; anything unexpected as 500 with a log id that is in the server log. Never a
        traceback."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, HTTPError) and status_code < 500:
            refusal = http_error(error)
        else:
            refusal = VCEError(
                status_code if status_code >= 500 else 500,
                "internal_error",
                "The jupyterlab_vce kernel route failed unexpectedly; the Jupyter server log "
                "has the details under this log id.",
            )
            LOG.error(
                "%s %s failed (log id %s)",
                self.request.method,
                self.request.path,
                refusal.log_id,
                exc_info=kwargs.get("exc_info"),
            )
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(refusal.envelope()))
