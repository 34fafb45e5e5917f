"""JupyterLab extension for the Virtual Compute Environment (VCE).

Ships the prebuilt labextension and a Jupyter server extension that keeps the
platform credentials on the server, caches the access token and forwards the
browser's requests to the platform under ``/vce/api/``.
"""

from ._version import __version__
from .app import VCEApp

__all__ = ["VCEApp", "__version__"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-vce"}]


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    return [{"module": "jupyterlab_vce", "app": VCEApp}]
