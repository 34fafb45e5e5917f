"""The answer of ``GET /vce/api/status``: connection, sign-in, identity and quota."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from .config import ENV_CLIENT_KEY, ENV_CLIENT_SECRET
from .credentials import Credentials, CredentialsSource, managed_by_hub
from .platform_client import (
    NO_PLATFORM,
    QUOTA_PATH,
    SIGN_IN_HINT,
    STARTING_MESSAGE,
    CredentialsRejected,
    NotSignedIn,
    PlatformClient,
    PlatformError,
    PlatformUnreachable,
)

CONNECTED = "connected"
UNREACHABLE = "unreachable"
NOT_SIGNED_IN = "not_signed_in"
REJECTED = "rejected"
#: No platform URL and no stand-in: nothing to retry until the server restarts.
NOT_CONFIGURED = "not_configured"
#: The embedded stand-in was spawned and has not said it listens yet.
STARTING = "starting"
#: The platform's role of clients that decide jobs in manual review (no quota, no jobs).
REVIEWER = "reviewer"


async def read_status(client: PlatformClient, *, embedded: bool) -> dict[str, Any]:
    """Ask the platform who we are and how much quota is left, and say how that went.

    Never raises for the platform's sake: its state is part of the answer.
    """
    credentials = client.credentials
    identity = quota = None
    if client.base_url is None and client.starting:
        state, message = STARTING, STARTING_MESSAGE
    elif client.base_url is None:
        state = NOT_CONFIGURED if client.not_configured else UNREACHABLE
        message = client.unavailable_message or NO_PLATFORM
    elif credentials is None:
        state, message = NOT_SIGNED_IN, SIGN_IN_HINT
    else:
        try:
            identity, quota = await _identity_and_quota(client)
            state = CONNECTED
            message = (
                f'Connected to the platform at {client.base_url} as "{credentials.client_key}".'
            )
        except NotSignedIn:
            state, message = NOT_SIGNED_IN, SIGN_IN_HINT
        except CredentialsRejected as error:
            state, message = REJECTED, rejected_message(client.base_url, credentials, error)
        except PlatformUnreachable as error:
            state, message = UNREACHABLE, f"{error.message} Retrying."
        except PlatformError as error:
            state = UNREACHABLE
            message = (
                f"The platform at {client.base_url} answered with an error: {error.message} "
                f"(log id {error.log_id}). Retrying."
            )
    return status_payload(client, credentials, embedded, state, message, identity, quota)


async def _identity_and_quota(client: PlatformClient) -> tuple[Any, Any]:
    """Who the client is, and its quota: none for a reviewer, who runs no queries.

    The identity is asked once per credentials (the client caches it), so
    asking it first costs one round trip per sign-in.
    """
    identity = await client.identity()
    if isinstance(identity, dict) and identity.get("role") == REVIEWER:
        return identity, None
    return identity, await client.get_data(QUOTA_PATH)


def rejected_message(
    base_url: str | None, credentials: Credentials, error: CredentialsRejected
) -> str:
    """Why the platform refused the credentials and how to fix it, for their source."""
    if managed_by_hub(credentials, os.environ):
        return (
            f'The platform at {base_url} no longer accepts the client secret of "'
            f'{credentials.client_key}" you signed in with on the login page (it may have '
            f"been revoked or replaced): {error.message} Sign in again on the login page "
            "with your client key and current secret."
        )
    if credentials.source is CredentialsSource.ENVIRONMENT:
        hint = (
            f"Check {ENV_CLIENT_KEY} and {ENV_CLIENT_SECRET} in the Jupyter server's "
            "environment, or sign in with your client key and secret."
        )
    else:
        hint = SIGN_IN_HINT
    return (
        f'The platform at {base_url} refused the client key "{credentials.client_key}": '
        f"{error.message} {hint}"
    )


def status_payload(
    client: PlatformClient,
    credentials: Credentials | None,
    embedded: bool,
    state: str,
    message: str,
    identity: Any,
    quota: Any,
) -> dict[str, Any]:
    """The status body; ``signed_in`` means the server holds credentials.

    ``hub_managed``: JupyterHub gave this server the credentials (its login page
    signs in and out; ``POST``/``DELETE /vce/api/session`` answer 409).
    """
    return {
        "signed_in": credentials is not None,
        "credentials_source": credentials.source.value if credentials else None,
        "platform_url": client.base_url,
        "embedded": embedded,
        "hub_managed": managed_by_hub(credentials, os.environ),
        "platform": {"state": state, "message": message},
        "identity": identity,
        "quota": quota,
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
