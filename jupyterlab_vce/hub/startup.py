"""What must hold before a hub with the VCE authenticator may start (pure)."""

from __future__ import annotations

from urllib.parse import urlsplit

NO_AUTH_STATE = (
    "The VCE authenticator keeps each researcher's client secret in encrypted auth_state and "
    "does not start without it: set c.Authenticator.enable_auth_state = True (its default) "
    "and JUPYTERHUB_CRYPT_KEY (e.g. `export JUPYTERHUB_CRYPT_KEY=$(openssl rand -hex 32)`)."
)
NO_ENCRYPTION = (
    "The VCE authenticator keeps each researcher's client secret in encrypted auth_state, and "
    "encryption is not available ({reason}): set JUPYTERHUB_CRYPT_KEY to 32 random bytes, hex "
    "or base64 (e.g. `export JUPYTERHUB_CRYPT_KEY=$(openssl rand -hex 32)`), and keep it: "
    "a new key makes every researcher sign in again."
)
NO_PLATFORM = (
    "The VCE authenticator needs the platform's address to check client keys and secrets: "
    "set c.VCEAuthenticator.platform_url (or RQS_API_URL) to the platform's http(s) URL, "
    "e.g. http://127.0.0.1:8911."
)
BAD_URL = (
    "c.VCEAuthenticator.{name} is {value!r}, which is not an http(s) URL: set it to the "
    "platform's address, e.g. http://127.0.0.1:8911."
)


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def startup_problems(
    *,
    enable_auth_state: bool,
    encryption_error: str | None,
    urls: dict[str, str],
) -> list[str]:
    """Every reason the authenticator must not start; empty when it may.

    ``encryption_error`` is why JupyterHub's ``CryptKeeper`` cannot encrypt (None when it can);
    ``urls`` maps trait names (``platform_url`` first) to their values.
    """
    problems = []
    if not enable_auth_state:
        problems.append(NO_AUTH_STATE)
    elif encryption_error is not None:
        problems.append(NO_ENCRYPTION.format(reason=encryption_error))
    if not urls.get("platform_url"):
        # The other URLs default to ones made from it: only the missing one is worth saying.
        return [*problems, NO_PLATFORM]
    for name, value in urls.items():
        if not is_http_url(value):
            problems.append(BAD_URL.format(name=name, value=value))
    return problems
