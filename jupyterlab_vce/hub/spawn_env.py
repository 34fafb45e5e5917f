"""The researcher's server environment: the variables the server extension and pyrqs read.

The names are the ones the lab reads today (jupyterlab_vce/config.py, embedded.py): with
``RQS_API_URL`` set the server extension starts no embedded stand-in and signs in with
``RQS_CLIENT_KEY`` / ``RQS_CLIENT_SECRET``. The server reads the pair once and removes it
from its environment; its kernels reach the platform through the server's kernel route
with a kernel token (jupyterlab_vce/kernel_access.py), never with the secret.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

ENV_API_URL = "RQS_API_URL"
ENV_CLIENT_KEY = "RQS_CLIENT_KEY"
ENV_CLIENT_SECRET = "RQS_CLIENT_SECRET"
ENV_PIP_INDEX_URL = "RQS_PIP_INDEX_URL"

#: auth_state's keys (the exact client key and its secret; encrypted by the hub).
STATE_KEY = "client_key"
STATE_SECRET = "client_secret"


def stored_pair(auth_state: Mapping[str, object] | None) -> tuple[str, str] | None:
    """(client key, secret) from a user's auth_state, or None if it does not hold both."""
    if not auth_state:
        return None
    key = auth_state.get(STATE_KEY)
    secret = auth_state.get(STATE_SECRET)
    if isinstance(key, str) and key and isinstance(secret, str) and secret:
        return key, secret
    return None


def secret_changed(auth_state: Mapping[str, object] | None, new_secret: str) -> bool:
    """True when a stored pair holds another secret than ``new_secret`` (constant time).

    A running server was started with the stored secret (its environment is fixed at spawn):
    after a sign-in with a new one it must be restarted. No stored pair: nothing to compare.
    """
    pair = stored_pair(auth_state)
    if pair is None:
        return False
    return not hmac.compare_digest(pair[1].encode(), new_secret.encode())


def auth_state_for(client_key: str, client_secret: str) -> dict[str, str]:
    return {STATE_KEY: client_key, STATE_SECRET: client_secret}


def spawner_environment(
    *, platform_url: str, pip_index_url: str, client_key: str, client_secret: str
) -> dict[str, str]:
    """The variables a researcher's server starts with."""
    return {
        ENV_API_URL: platform_url,
        ENV_CLIENT_KEY: client_key,
        ENV_CLIENT_SECRET: client_secret,
        ENV_PIP_INDEX_URL: pip_index_url,
    }
