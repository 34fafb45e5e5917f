"""The embedded platform's own client: its key in the status, its secret on request.

The embedded stand-in is registered with a generated client
(``vce-local-researcher`` and a random secret kept 0600 in its data folder).
After *Sign out* the researcher needs that pair to sign in again, so the lab
says where it is and reveals the secret when asked.

This route is the ONE exception to "the client secret never reaches the
browser" (docs/architecture.md): it answers only for the secret this server
generated for its own loopback stand-in, to a request with Jupyter's auth,
and refuses (404 ``no_local_client``) for every other platform or for
credentials an administrator configured. The handler is
:class:`jupyterlab_vce.handlers.LocalClientSecretHandler`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .credentials import Credentials, CredentialsSource
from .errors import VCEError

NOT_LOCAL_MESSAGE = (
    "This lab's platform is not the embedded local stand-in with a generated client, so it has "
    "no local client secret to show. Sign in with the client key and secret of your research "
    "project."
)


@dataclass(frozen=True)
class LocalClient:
    """The generated client of the embedded stand-in, and the file its secret is kept in."""

    credentials: Credentials
    secret_file: Path


def local_client_of(credentials: Credentials, secret_file: Path) -> LocalClient | None:
    """The local client when the stand-in runs with the generated pair, else None."""
    if credentials.source is not CredentialsSource.EMBEDDED:
        return None
    return LocalClient(credentials, secret_file)


def local_client_summary(local: LocalClient | None) -> dict[str, str] | None:
    """What the status says of the local client: its key and where the secret is; never the secret."""
    if local is None:
        return None
    return {"client_key": local.credentials.client_key, "secret_file": str(local.secret_file)}


def local_secret_payload(local: LocalClient | None) -> dict[str, Any]:
    """The body of ``GET /vce/api/local-client/secret``; raises 404 when there is no local client."""
    if local is None:
        raise VCEError(404, "no_local_client", NOT_LOCAL_MESSAGE)
    return {
        "client_key": local.credentials.client_key,
        "client_secret": local.credentials.client_secret,
        "secret_file": str(local.secret_file),
    }
