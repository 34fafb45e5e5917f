"""The research client's credentials, held on the Jupyter server only.

The secret is never part of a repr, a log line, an exception or a response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import InvalidRequest
from .request_body import parse_json_object

#: What the sign-in dialog posts, named in the refusal of a body that is not it.
SIGN_IN_BODY = 'sign-in body ({"client_key": "...", "client_secret": "..."})'


class CredentialsSource(StrEnum):
    """Where the server's credentials came from (``credentials_source`` in the status)."""

    #: Server configuration: ``RQS_CLIENT_KEY`` / ``RQS_CLIENT_SECRET`` or ``c.VCEApp``.
    ENVIRONMENT = "environment"
    #: Posted once by the researcher to ``POST /vce/api/session``.
    SIGN_IN = "sign_in"
    #: Generated for the embedded platform stand-in.
    EMBEDDED = "embedded"


@dataclass(frozen=True)
class Credentials:
    """A client key and secret, and where they came from."""

    client_key: str
    client_secret: str = field(repr=False)
    source: CredentialsSource


def configured_credentials(
    client_key: str | None, client_secret: str | None, source: CredentialsSource
) -> Credentials | None:
    """Credentials from configuration, or None unless both parts are set."""
    if client_key and client_secret:
        return Credentials(client_key, client_secret, source)
    return None


#: Set by JupyterHub in the environment of every server it spawns (jupyterhub
#: ``jupyterhub/spawner.py`` ``get_env``): this server runs under a hub.
ENV_HUB_API_URL = "JUPYTERHUB_API_URL"


def managed_by_hub(credentials: Credentials | None, environ: Mapping[str, str]) -> bool:
    """True when JupyterHub started this server with the researcher's credentials.

    The VCE authenticator (``jupyterlab_vce.hub``) hands the pair typed on the
    hub's login page to the spawned server as ``RQS_CLIENT_KEY`` /
    ``RQS_CLIENT_SECRET``: the hub, not the browser, owns them then.
    """
    return (
        credentials is not None
        and credentials.source is CredentialsSource.ENVIRONMENT
        and bool(environ.get(ENV_HUB_API_URL, "").strip())
    )


def parse_sign_in_body(body: bytes) -> Credentials:
    """Read ``{"client_key", "client_secret"}`` posted by the sign-in dialog.

    Raises :class:`InvalidRequest` saying what is wrong; never quotes the body.
    """
    payload = parse_json_object(body or b"null", SIGN_IN_BODY)
    missing = [name for name in ("client_key", "client_secret") if name not in payload]
    if missing:
        raise InvalidRequest(f"Missing field(s): {', '.join(missing)}.")
    blank = [
        name
        for name in ("client_key", "client_secret")
        if not isinstance(payload[name], str) or not payload[name].strip()
    ]
    if blank:
        raise InvalidRequest(f"These fields must be non-empty strings: {', '.join(blank)}.")
    return Credentials(
        payload["client_key"].strip(), payload["client_secret"].strip(), CredentialsSource.SIGN_IN
    )
