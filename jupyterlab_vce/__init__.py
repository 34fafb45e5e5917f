"""JupyterLab extension for the Virtual Compute Environment (VCE).

Ships the prebuilt labextension and a Jupyter server extension that keeps the
platform credentials on the server, caches the access token and forwards the
browser's requests to the platform under ``/vce/api/``. ``jupyterlab_vce.hub``
holds the JupyterHub authenticator (the ``[hub]`` extra).

``VCEApp`` is imported on first use, so that importing ``jupyterlab_vce.hub`` in a
hub that has no jupyter_server does not import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .app import VCEApp

__all__ = ["VCEApp", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "VCEApp":
        from .app import VCEApp

        return VCEApp
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-vce"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import VCEApp

    return [{"module": "jupyterlab_vce", "app": VCEApp}]
