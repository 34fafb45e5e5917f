"""Client key → JupyterHub user name: a safe, stable, collision-free form of the key.

JupyterHub lowercases user names by default and uses them in URLs (``/user/<name>/``), in
spawners' resource names and as keys in its database. A client key is case-sensitive on
the platform, so a plain lowercase would let ``AbC`` and ``abc`` share one hub user (one
lab, one stored secret). The rule here:

- a key that is already lowercase is its own name (``ab12cd`` → ``ab12cd``);
- any other key gets its lowercase form, ``~`` and the first 10 hex digits of the
  SHA-256 of the exact key (``AbC`` → ``abc~<hash>``). ``~`` is not in the key
  alphabet, so such a name never equals a lowercase key, and the hash keeps two keys that
  only differ in case apart.

The rule is idempotent (a name maps to itself), so names the hub already holds, the admin
panel's "Add users" and ``allowed_users`` / ``admin_users`` in the configuration all
agree with what a sign-in produces. The exact key is kept in the encrypted ``auth_state``.
"""

from __future__ import annotations

import hashlib
import re

#: The platform's client key alphabet, as the stand-in enforces it
#: (server-mock/src/config.ts CLIENT_KEY_PATTERN): letters, digits, ".", "_", "-", 1-128.
CLIENT_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
#: What the safe-name rule produces (and all it produces).
HUB_NAME_PATTERN = re.compile(r"^[a-z0-9._-]{1,128}(~[0-9a-f]{10})?$")
#: Separates a mixed-case key's lowercase form from its hash: outside the key alphabet.
HASH_SEPARATOR = "~"
HASH_DIGITS = 10

KEY_FORMAT_MESSAGE = (
    "A client key holds only letters, digits, '.', '_' and '-' (at most 128 characters). "
    "Copy the Client key from your project on the platform's Research projects page."
)


def is_client_key(text: str) -> bool:
    """Whether ``text`` has the platform's client key format."""
    return CLIENT_KEY_PATTERN.fullmatch(text) is not None


def is_hub_name(text: str) -> bool:
    """Whether ``text`` is a name the safe-name rule produces."""
    return HUB_NAME_PATTERN.fullmatch(text) is not None and text.strip(".") != ""


def hub_name(client_key: str) -> str:
    """The hub user name of a client key (see the module's doc).

    Raises ``ValueError`` for a string outside the client key format.
    """
    if not is_client_key(client_key):
        raise ValueError(KEY_FORMAT_MESSAGE)
    lower = client_key.lower()
    if lower == client_key:
        return client_key
    digest = hashlib.sha256(client_key.encode("utf-8")).hexdigest()[:HASH_DIGITS]
    return f"{lower}{HASH_SEPARATOR}{digest}"


def normalize(name: str) -> str:
    """Normalise what an admin or a sign-in gives as a user name.

    A client key becomes its hub name; a hub name stays as it is (the rule is idempotent);
    anything else is returned unchanged, so that validation rejects it with its own text.
    """
    if is_hub_name(name):
        return name
    if is_client_key(name):
        return hub_name(name)
    return name
