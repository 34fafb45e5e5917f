"""A real JupyterHub with the VCE authenticator refuses to start where a secret would leak."""

from __future__ import annotations

import secrets
from pathlib import Path

from jupyterlab_vce.hub.startup import NO_AUTH_STATE, NO_PLATFORM

from .processes import Hub


def test_no_start_with_auth_state_turned_off(tmp_path: Path) -> None:
    hub = Hub(
        root=tmp_path,
        platform_url="http://127.0.0.1:8911",
        crypt_key=secrets.token_hex(32),
        extra_config="c.Authenticator.enable_auth_state = False",
    )
    assert hub.run_until_exit() != 0
    log = hub.log.read_text()
    assert NO_AUTH_STATE in log
    assert "JupyterHub is now running" not in log


def test_no_start_without_a_crypt_key(tmp_path: Path) -> None:
    hub = Hub(root=tmp_path, platform_url="http://127.0.0.1:8911", crypt_key="")
    assert hub.run_until_exit() != 0
    log = hub.log.read_text()
    # JupyterHub's own check runs first when auth_state is on (ours says the same in its words).
    assert "JUPYTERHUB_CRYPT_KEY" in log
    assert "JupyterHub is now running" not in log


def test_no_start_without_a_platform(tmp_path: Path) -> None:
    hub = Hub(root=tmp_path, platform_url="", crypt_key=secrets.token_hex(32))
    assert hub.run_until_exit() != 0
    log = hub.log.read_text()
    assert NO_PLATFORM in log
    assert "pip_index_url" not in log
