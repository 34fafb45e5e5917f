"""Configuration of the VCE server extension (``c.VCEApp.<name>``).

Every setting has a default that works without configuration: the platform
credentials come from the SDK's environment variables, and without a platform
URL the extension starts the bundled platform stand-in (server-mock).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from traitlets import Float, Int, List, Unicode, default
from traitlets.config import Configurable

#: Environment variables the SDK (``pyrqs``) reads in kernels.
ENV_API_URL = "RQS_API_URL"
ENV_CLIENT_KEY = "RQS_CLIENT_KEY"
ENV_CLIENT_SECRET = "RQS_CLIENT_SECRET"
#: Explicit location of the platform stand-in's executable (or its ``cli.js``).
ENV_MOCK_BIN = "VCE_MOCK_BIN"

#: Name of the platform stand-in's executable when installed on PATH.
MOCK_EXECUTABLE = "vce-mock"
#: The stand-in's entry point in a source checkout of this repository.
CHECKOUT_MOCK_CLI = Path(__file__).resolve().parent.parent / "server-mock" / "dist" / "cli.js"


def detect_mock_command(
    environ: Mapping[str, str],
    which: Callable[[str], str | None] = shutil.which,
    checkout_cli: Path | None = None,
) -> list[str]:
    """How to run the platform stand-in, or ``[]`` when it cannot be found.

    Looks, in order, at ``VCE_MOCK_BIN``, at ``vce-mock`` on PATH (the npm
    package installed with ``npm install -g``), and at the built
    ``server-mock/dist/cli.js`` of a source checkout (run with node).
    ``c.VCEApp.mock_command``, when set, replaces this lookup.
    """
    if checkout_cli is None:
        checkout_cli = CHECKOUT_MOCK_CLI
    explicit = environ.get(ENV_MOCK_BIN, "").strip()
    if explicit:
        return node_command(explicit, which) if explicit.endswith(".js") else [explicit]
    installed = which(MOCK_EXECUTABLE)
    if installed:
        return [installed]
    if checkout_cli.is_file():
        return node_command(str(checkout_cli), which)
    return []


def node_command(script: str, which: Callable[[str], str | None] = shutil.which) -> list[str]:
    """The command running a JavaScript file with node (``node`` if not on PATH)."""
    return [which("node") or "node", script]


class VCEConfig(Configurable):
    """Settings of the VCE server extension, mixed into :class:`~jupyterlab_vce.app.VCEApp`."""

    platform_url = Unicode(
        None,
        allow_none=True,
        help=(
            "Base URL of the platform, e.g. http://127.0.0.1:8910. Defaults to $RQS_API_URL; "
            "when neither is set, the bundled platform stand-in is started on loopback."
        ),
    ).tag(config=True)

    client_key = Unicode(
        None,
        allow_none=True,
        help="Client key of the research client. Defaults to $RQS_CLIENT_KEY.",
    ).tag(config=True)

    client_secret = Unicode(
        None,
        allow_none=True,
        help=(
            "Client secret of the research client. Defaults to $RQS_CLIENT_SECRET. Prefer the "
            "environment: Jupyter logs its configuration files' values at debug level."
        ),
    ).tag(config=True)

    platform_timeout = Float(
        20.0, help="Seconds to wait for the platform to answer one request."
    ).tag(config=True)

    mock_command = List(
        Unicode(),
        help=(
            "Command running the platform stand-in (server-mock). Defaults to $VCE_MOCK_BIN, "
            "then vce-mock on PATH, then node server-mock/dist/cli.js of a source checkout."
        ),
    ).tag(config=True)

    mock_port = Int(
        0,
        min=0,
        max=65535,
        help="Port of the embedded platform stand-in on 127.0.0.1; 0 picks a free port.",
    ).tag(config=True)

    mock_data_dir = Unicode(
        help="Data directory of the embedded platform stand-in (its database and client secret)."
    ).tag(config=True)

    mock_startup_timeout = Float(
        30.0, help="Seconds to wait for the embedded platform stand-in to report it is listening."
    ).tag(config=True)

    @default("platform_url")
    def _default_platform_url(self) -> str | None:
        return os.environ.get(ENV_API_URL) or None

    @default("client_key")
    def _default_client_key(self) -> str | None:
        return os.environ.get(ENV_CLIENT_KEY) or None

    @default("client_secret")
    def _default_client_secret(self) -> str | None:
        return os.environ.get(ENV_CLIENT_SECRET) or None

    @default("mock_command")
    def _default_mock_command(self) -> list[str]:
        return detect_mock_command(os.environ)

    @default("mock_data_dir")
    def _default_mock_data_dir(self) -> str:
        return str(Path(jupyter_data_dir()) / "jupyterlab_vce" / "mock")
