"""What the deployment tests share: a researcher as JupyterHub's spawners see one, and the
authenticator class the hub loads for ``authenticator_class = "vce"``."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

from jupyterhub.objects import Server

ROOT = Path(__file__).resolve().parents[2]
# A researcher's pair, as the platform issues them (the key keeps its case in auth state).
CLIENT_KEY = "AwZ3kQ9TeSt4Project"
CLIENT_SECRET = "s3cr3t-of-the-researcher-0123456789"


class Researcher:
    """A hub user as a spawner and the authenticator see it: a name, a URL, an auth state."""

    def __init__(self, name: str, auth_state: dict[str, str]) -> None:
        self.name = name
        self.escaped_name = name
        self.id = 7
        self.url = f"/user/{name}/"
        self.server = Server(base_url=f"/user/{name}/")
        self._auth_state = auth_state

    async def get_auth_state(self) -> dict[str, str]:
        return dict(self._auth_state)


def authenticator_class() -> type:
    """The class the hub loads for ``authenticator_class = "vce"``: the wheel's entry point."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    target = project["project"]["entry-points"]["jupyterhub.authenticators"]["vce"]
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)
