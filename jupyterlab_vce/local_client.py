"""The embedded platform's own client: its key in the status, its secret on request.

The embedded stand-in is registered with one client: the generated
``vce-local-researcher`` with a random secret kept 0600 in its data folder, or
the pair set in the server's environment when there is one. After *Sign out*
the researcher needs that pair to sign in again, so the lab says where it is
and reveals the secret when asked.

This route is the ONE exception to "the client secret never reaches the
browser" (docs/architecture.md): it answers only for the generated client of
the loopback stand-in this server started itself (a secret that opens nothing
else; a pair set in the environment is refused, 409 ``secret_not_generated``),
to a request with Jupyter's auth, and refuses (404 ``no_local_client``)
whenever the platform is another one (``RQS_API_URL``, a hub). The handler is
:class:`jupyterlab_vce.handlers.LocalClientSecretHandler`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .credentials import Credentials, CredentialsSource
from .errors import VCEError

NOT_LOCAL_MESSAGE = (
    "This lab's platform is not the embedded local stand-in, so the lab has no local client "
    "secret to show: sign in with the client key and secret of your research project."
)

NOT_GENERATED_MESSAGE = (
    "The local platform's client is the pair set in the Jupyter server's environment "
    "(RQS_CLIENT_KEY / RQS_CLIENT_SECRET): the lab shows only a secret it generated itself, "
    "since a pair of yours may open a real platform too. Sign in with the pair you set."
)


@dataclass(frozen=True)
class LocalClient:
    """The client of the embedded stand-in, and the file its secret is kept in (if generated)."""

    credentials: Credentials
    secret_file: Path | None


def local_client_of(credentials: Credentials, secret_file: Path) -> LocalClient:
    """The embedded stand-in's client: the generated pair has a file, a configured one not."""
    generated = credentials.source is CredentialsSource.EMBEDDED
    return LocalClient(credentials, secret_file if generated else None)


def _where(local: LocalClient) -> str | None:
    return str(local.secret_file) if local.secret_file else None


def local_client_summary(local: LocalClient | None) -> dict[str, str | None] | None:
    """What the status says of the local client: its key and where the secret is; never the secret."""
    if local is None:
        return None
    return {"client_key": local.credentials.client_key, "secret_file": _where(local)}


def local_secret_payload(local: LocalClient | None) -> dict[str, Any]:
    """The body of ``GET /vce/api/local-client/secret``; raises 404 when there is no local client."""
    if local is None:
        raise VCEError(404, "no_local_client", NOT_LOCAL_MESSAGE)
    if local.secret_file is None:
        raise VCEError(409, "secret_not_generated", NOT_GENERATED_MESSAGE)
    return {
        "client_key": local.credentials.client_key,
        "client_secret": local.credentials.client_secret,
        "secret_file": _where(local),
    }
