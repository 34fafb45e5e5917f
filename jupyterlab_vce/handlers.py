"""The base of the ``/vce/api/`` handlers, and the status, session and forwarding handlers.

The routes themselves are in :mod:`jupyterlab_vce.routes`.

Every route needs Jupyter's auth (and XSRF for writes) and answers errors with
``{"error": {"code", "message", "log_id"}}``, never with a traceback.
"""

from __future__ import annotations

import json
import os
from http.client import responses
from types import TracebackType
from typing import Any

from jupyter_server.base.handlers import APIHandler
from tornado.web import HTTPError, RequestHandler, authenticated

from .credentials import managed_by_hub, parse_sign_in_body
from .errors import VCEError
from .local_client import LocalClient, local_client_summary, local_secret_payload
from .platform_client import PlatformClient
from .status import read_status

#: Settings keys through which the extension app hands state to the handlers.
PLATFORM_SETTING = "vce_platform"
EMBEDDED_SETTING = "vce_embedded"
#: The embedded stand-in's generated client (:class:`~jupyterlab_vce.local_client.LocalClient`), or None.
LOCAL_CLIENT_SETTING = "vce_local_client"

HTTP_ERROR_CODES: dict[int, str] = {
    400: "invalid_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def http_error(error: HTTPError) -> VCEError:
    """The envelope-carrying form of a tornado/Jupyter HTTP error (auth, XSRF, 405...)."""
    if error.log_message:
        message = error.log_message % error.args if error.args else error.log_message
    else:
        message = error.reason or responses.get(error.status_code, "Error")
    code = HTTP_ERROR_CODES.get(error.status_code, "http_error")
    return VCEError(error.status_code, code, message)


#: The methods a handler may define; tornado answers 405 to the others.
HANDLER_METHODS = ("get", "post", "put", "patch", "delete")


def defined_methods(handler: type[RequestHandler]) -> list[str]:
    """The HTTP methods ``handler`` defines (not tornado's 405 stand-ins), upper case."""
    return [
        method.upper()
        for method in HANDLER_METHODS
        if getattr(handler, method) is not getattr(RequestHandler, method)
    ]


def internal_error() -> VCEError:
    return VCEError(
        500,
        "internal_error",
        "The jupyterlab_vce server extension failed unexpectedly. The Jupyter server log "
        "has the details under this log id.",
    )


class VCEHandler(APIHandler):
    """Base of the VCE routes: the platform client and the one error envelope."""

    _internal_error: VCEError | None = None

    @property
    def platform(self) -> PlatformClient:
        client: PlatformClient = self.settings[PLATFORM_SETTING]
        return client

    @property
    def embedded(self) -> bool:
        return bool(self.settings[EMBEDDED_SETTING])

    @property
    def local_client(self) -> LocalClient | None:
        local: LocalClient | None = self.settings.get(LOCAL_CLIENT_SETTING)
        return local

    def allowed_methods(self) -> list[str]:
        """The methods this route answers: the ``Allow`` header of its 405s."""
        return defined_methods(type(self))

    async def write_status(self) -> None:
        status = await read_status(self.platform, embedded=self.embedded)
        status["local_client"] = local_client_summary(self.local_client)
        self.finish(json.dumps(status))

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Expected errors in one line; unexpected ones with their traceback and log id."""
        if isinstance(value, VCEError):
            self.log.warning(
                "%s %s -> %s %s: %s (log id %s)",
                self.request.method,
                self.request.path,
                value.status,
                value.code,
                value.message,
                value.log_id,
            )
        elif isinstance(value, HTTPError):
            super().log_exception(typ, value, tb)
        else:
            self._internal_error = internal_error()
            self.log.error(
                "%s %s failed (log id %s)",
                self.request.method,
                self.request.path,
                self._internal_error.log_id,
                exc_info=(typ, value, tb),  # type: ignore[arg-type]
            )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Answer with the error envelope, whatever went wrong."""
        exc_info = kwargs.get("exc_info")
        value = exc_info[1] if exc_info else None
        if isinstance(value, VCEError):
            error = value
        elif isinstance(value, HTTPError) or value is None:
            error = http_error(value or HTTPError(status_code))
        else:
            error = self._internal_error or internal_error()
        self.set_status(error.status)
        if error.status == 405:  # RFC 9110: a 405 names the methods the route answers
            self.set_header("Allow", ", ".join(self.allowed_methods()))
        if error.retry_after is not None:  # a 503 that passes by itself (the platform starts)
            self.set_header("Retry-After", str(error.retry_after))
        self.finish(json.dumps(error.envelope()))


class StatusHandler(VCEHandler):
    """``GET /vce/api/status``: always 200, the platform's state inside."""

    @authenticated
    async def get(self) -> None:
        await self.write_status()


#: Why a server started by JupyterHub takes no sign-in or sign-out from the browser.
HUB_SESSION_MESSAGE = (
    "JupyterHub started this Jupyter server with the client key and secret you signed in "
    "with on the hub's login page; the hub holds them, so the lab cannot {what}. To "
    "{remedy}, log out of the hub (File > Log Out) and sign in on its login page."
)


class SessionHandler(VCEHandler):
    """``POST`` signs in with a client key and secret, ``DELETE`` signs out.

    Under JupyterHub (credentials from the spawn environment) both are refused
    with 409 ``hub_managed_credentials``: the browser must not replace or drop
    what the hub's login checked.
    """

    def _refuse_under_hub(self, what: str, remedy: str) -> None:
        if managed_by_hub(self.platform.credentials, os.environ):
            raise VCEError(
                409,
                "hub_managed_credentials",
                HUB_SESSION_MESSAGE.format(what=what, remedy=remedy),
            )

    @authenticated
    async def post(self) -> None:
        self._refuse_under_hub("take other credentials", "use another client key")
        credentials = parse_sign_in_body(self.request.body)
        await self.platform.sign_in(credentials)
        self.log.info("Signed in to the platform with client key %r.", credentials.client_key)
        await self.write_status()

    @authenticated
    async def delete(self) -> None:
        self._refuse_under_hub("sign out by itself", "sign out")
        self.platform.sign_out()
        self.log.info("Signed out of the platform.")
        await self.write_status()


class ForwardHandler(VCEHandler):
    """GET one platform route with the server's token; its body unchanged."""

    def initialize(self, platform_path: str) -> None:
        self.platform_path = platform_path

    @authenticated
    async def get(self) -> None:
        body = await self.platform.get(self.platform_path, self.request.query)
        self.finish(body)


class LocalClientSecretHandler(VCEHandler):
    """``GET /vce/api/local-client/secret``: the embedded stand-in's generated client secret.

    The one route that sends a client secret to the browser (docs/architecture.md):
    only the secret this server generated for its own loopback stand-in, on
    request, with Jupyter's auth; 404 ``no_local_client`` for any other platform.
    """

    @authenticated
    async def get(self) -> None:
        payload = local_secret_payload(self.local_client)
        self.set_header("Cache-Control", "no-store")
        self.log.info("Showed the embedded platform's client secret in the lab, on request.")
        self.finish(json.dumps(payload))
