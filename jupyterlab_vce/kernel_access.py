"""What kernels get to reach the platform: the server's own route and a revocable token.

Kernels never hold the client secret. The server reads ``RQS_CLIENT_KEY`` /
``RQS_CLIENT_SECRET`` once at start (configuration, or the hub's spawn
environment), then scrubs them from ``os.environ``, so kernels and terminals
started later do not inherit them. Instead they get:

- ``RQS_API_URL``: this Jupyter server's kernel route
  (``http://127.0.0.1:<port><base_url>vce/platform``, :mod:`jupyterlab_vce.kernel_proxy`),
  which forwards the SDK's test-stage calls with the server's current platform
  token and answers "signed out" at once while the server holds no credentials;
- ``RQS_ACCESS_TOKEN``: the kernel credential, which the SDK (``pyrqs``) already
  sends as a ready-made bearer token. Any pyrqs release works through the route.

One token per server, not per kernel: jupyter_server builds a kernel's
environment from ``os.environ`` (``SessionManager.get_kernel_env``) and offers
no hook to add per-kernel variables; a per-kernel token would mean wrapping the
kernel manager's ``start_kernel`` (whose kernel id is made inside it) and would
not survive custom or gateway kernel managers. The token only proves "a process
this server started"; signing out is held by the server dropping its
platform credentials, which the route checks on every call, so the same
kernel works again after signing in; signing in as another client switches
the running kernels to that client too (a lab has one identity at a time).
The token lives in memory only: a server restart revokes it, with the kernels
it started.
"""

from __future__ import annotations

import ctypes
import hmac
import os
import secrets
from collections.abc import MutableMapping

from .config import ENV_API_URL, ENV_CLIENT_KEY, ENV_CLIENT_SECRET

#: The SDK's ready-made bearer token (a job's in the execution stage; a kernel's here).
ENV_ACCESS_TOKEN = "RQS_ACCESS_TOKEN"
#: The kernel route, after the server's base URL.
KERNEL_ROUTE = "vce/platform"
#: What the server reads and then removes from its environment.
SCRUBBED = (ENV_CLIENT_KEY, ENV_CLIENT_SECRET)
#: Addresses a server may listen on that the kernels reach as 127.0.0.1.
_ANY_OR_LOOPBACK = {"", "*", "0.0.0.0", "::", "localhost", "127.0.0.1"}


class KernelAccess:
    """The per-server kernel token: issued at start, compared in constant time."""

    def __init__(self, token: str | None = None) -> None:
        self._token = token or secrets.token_urlsafe(32)

    @property
    def token(self) -> str:
        return self._token

    def accepts(self, authorization: str | None) -> bool:
        """True when ``Authorization: Bearer <token>`` carries this server's kernel token."""
        scheme, _, value = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return False
        return hmac.compare_digest(value.strip().encode(), self._token.encode())

    def __repr__(self) -> str:
        return "KernelAccess(token=[secret])"


def kernel_route_url(ip: str, port: int, base_url: str, *, secure: bool = False) -> str:
    """The kernel route as a kernel on this machine reaches it.

    A server listening on every address (or on loopback) is reached on
    127.0.0.1; one bound to a single address on that address.
    """
    host = ip.strip().strip("[]")
    if host in _ANY_OR_LOOPBACK:
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    base = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
    return f"{'https' if secure else 'http'}://{host}:{port}{base}{KERNEL_ROUTE}"


def scrub_credentials(environ: MutableMapping[str, str]) -> list[str]:
    """Remove the client key and secret from ``environ``; the names removed.

    Call after the configuration has read them: kernels and terminals started
    from now on do not inherit them. When ``environ`` is the process's own
    (``os.environ``), their values are first overwritten in the process's
    initial environment block too, which ``/proc/<pid>/environ`` shows: a
    kernel, a child of this server, could otherwise read the secret there.
    """
    if environ is os.environ:
        wipe_initial_environment(SCRUBBED)
    return [name for name in SCRUBBED if environ.pop(name, None) is not None]


def wipe_initial_environment(names: tuple[str, ...]) -> list[str]:
    """Overwrite ``NAME=value`` in place with NUL bytes after ``NAME=``; the names wiped.

    ``unsetenv`` (what ``os.environ.pop`` calls) only drops the pointer from
    the C ``environ`` array: the string stays in the block the kernel gave the
    process at exec, which ``/proc/<pid>/environ`` reads (the same user and
    root may read it). The block is writable memory of the process; the
    strings ``environ`` points to there are overwritten with zeros of the same
    length. Strings set later (``setenv``) live elsewhere and are left as
    they are (``unsetenv`` drops them). Linux with glibc or musl only; a no-op
    where the C ``environ`` cannot be reached.
    """
    try:
        libc = ctypes.CDLL(None)
        environ_array = ctypes.POINTER(ctypes.c_char_p).in_dll(libc, "environ")
        pointers = ctypes.cast(environ_array, ctypes.POINTER(ctypes.c_void_p))
    except (OSError, ValueError, AttributeError):
        return []
    prefixes = {name: (name + "=").encode() for name in names}
    wiped: list[str] = []
    index = 0
    while True:
        address = pointers[index]
        if not address:
            return wiped
        entry = ctypes.string_at(address)
        for name, prefix in prefixes.items():
            if entry.startswith(prefix) and len(entry) > len(prefix):
                ctypes.memset(address + len(prefix), 0, len(entry) - len(prefix))
                wiped.append(name)
        index += 1


def export_kernel_environment(environ: MutableMapping[str, str], url: str, token: str) -> None:
    """Give kernels started from now on the kernel route and the kernel token."""
    environ[ENV_API_URL] = url
    environ[ENV_ACCESS_TOKEN] = token
