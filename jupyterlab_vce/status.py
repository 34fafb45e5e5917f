"""The answer of ``GET /vce/api/status``: connection, sign-in, identity and quota."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from .config import ENV_CLIENT_KEY, ENV_CLIENT_SECRET
from .credentials import Credentials, CredentialsSource
from .platform_client import (
    NO_PLATFORM,
    QUOTA_PATH,
    SIGN_IN_HINT,
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


async def read_status(client: PlatformClient, *, embedded: bool) -> dict[str, Any]:
    """Ask the platform who we are and how much quota is left, and say how that went.

    Never raises for the platform's sake: its state is part of the answer.
    """
    credentials = client.credentials
    identity = quota = None
    if client.base_url is None:
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
    """Both at once; the first failure is raised after both have finished."""
    results: tuple[Any, Any] = await asyncio.gather(
        client.identity(), client.get_data(QUOTA_PATH), return_exceptions=True
    )
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results[0], results[1]


def rejected_message(
    base_url: str | None, credentials: Credentials, error: CredentialsRejected
) -> str:
    """Why the platform refused the credentials and how to fix it, for their source."""
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
    """The status body; ``signed_in`` means the server holds credentials."""
    return {
        "signed_in": credentials is not None,
        "credentials_source": credentials.source.value if credentials else None,
        "platform_url": client.base_url,
        "embedded": embedded,
        "platform": {"state": state, "message": message},
        "identity": identity,
        "quota": quota,
        "checked_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
