"""deploy/jupyterhub_config.py loads in JupyterHub and sets up what the README promises:
the VCE authenticator, encrypted auth state, the stand-in as a managed service (or a real
platform from RQS_API_URL), one home per researcher under the state folder."""

from __future__ import annotations

import os
from pathlib import Path

import jupyterhub
import pytest
from jupyterhub.app import JupyterHub
from jupyterhub.auth import Authenticator
from jupyterhub.proxy import ConfigurableHTTPProxy
from jupyterhub.roles import get_default_roles
from jupyterhub.scopes import _check_scopes_exist, _expand_scope
from jupyterhub.services.service import Service
from jupyterhub.spawner import SimpleLocalProcessSpawner, Spawner
from traitlets.config.loader import PyFileConfigLoader

from jupyterlab_vce.hub import TEMPLATES_DIR, VCEAuthenticator

CONFIG = Path(__file__).resolve().parent.parent / "jupyterhub_config.py"
VARIABLES = (
    "VCE_HUB_STATE_DIR",
    "VCE_HUB_IP",
    "VCE_HUB_PORT",
    "VCE_HUB_API_PORT",
    "VCE_HUB_PROXY_API_PORT",
    "VCE_HUB_CLIENTS_FILE",
    "VCE_HUB_PLATFORM_PORT",
    "VCE_MOCK_BIN",
    "VCE_HUB_PROXY_BIN",
    "VCE_HUB_TEAM_ADMINS",
    "RQS_API_URL",
    "JUPYTERHUB_CRYPT_KEY",
)


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A state folder with a clients file, a crypt key, a vce-mock: what start-hub.sh sets."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    clients = tmp_path / "clients.json"
    clients.write_text('{"researchers": []}')
    mock = tmp_path / "bin" / "vce-mock"
    mock.parent.mkdir()
    mock.write_text("#!/bin/sh\n")
    mock.chmod(0o755)
    values = {
        "VCE_HUB_STATE_DIR": str(tmp_path / "state"),
        "VCE_HUB_CLIENTS_FILE": str(clients),
        "VCE_MOCK_BIN": str(mock),
        "JUPYTERHUB_CRYPT_KEY": "ab" * 32,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def load():
    """The config as `jupyterhub -f deploy/jupyterhub_config.py` reads it (traitlets' loader)."""
    return PyFileConfigLoader(CONFIG.name, str(CONFIG.parent)).load_config()


def test_every_setting_is_one_jupyterhub_6_1_1_knows(env):
    """A misspelt trait is only a warning at start: check every name against the classes."""
    assert jupyterhub.__version__ == "6.1.1"
    config = load()
    for section, cls in [
        ("JupyterHub", JupyterHub),
        ("Authenticator", Authenticator),
        ("ConfigurableHTTPProxy", ConfigurableHTTPProxy),
        ("Spawner", Spawner),
        ("SimpleLocalProcessSpawner", SimpleLocalProcessSpawner),
        ("VCEAuthenticator", VCEAuthenticator),
    ]:
        assert set(config[section]) <= set(cls.class_trait_names()), section
    assert set(config) == {
        "JupyterHub",
        "Authenticator",
        "ConfigurableHTTPProxy",
        "Spawner",
        "SimpleLocalProcessSpawner",
        "VCEAuthenticator",
    }


def test_the_vce_login_with_encrypted_auth_state_and_everyone_the_platform_accepts(env):
    config = load()
    assert config.JupyterHub.authenticator_class == "vce"
    assert config.JupyterHub.template_paths == [TEMPLATES_DIR]
    assert Path(TEMPLATES_DIR, "login.html").is_file()
    assert config.Authenticator.enable_auth_state is True
    assert config.Authenticator.allow_all is True


def test_signing_out_stops_the_lab(env):
    """A lab never outlives the sign-in that gave it its secret: the next one respawns it."""
    assert load().JupyterHub.shutdown_on_logout is True


def expanded(scopes: list[str]) -> set[str]:
    return set().union(*(_expand_scope(scope) for scope in scopes))


def test_no_admin_by_default_and_the_team_admin_role_reads_no_secret(env, monkeypatch):
    monkeypatch.setenv("VCE_HUB_TEAM_ADMINS", "alice, bob,")
    config = load()
    assert "admin_users" not in config.Authenticator
    assert "admin_users" not in config.JupyterHub
    [role] = config.JupyterHub.load_roles
    assert role["name"] == "vce-team-admin"
    assert role["users"] == ["alice", "bob"]
    _check_scopes_exist(role["scopes"], who_for="vce-team-admin")
    granted = expanded(role["scopes"])
    assert {"admin-ui", "list:users", "servers", "delete:servers"} <= granted
    # Not the auth_state (the secret), not tokens, not the labs (their environment holds it).
    assert not granted & {"admin:auth_state", "admin:users", "tokens", "access:servers"}
    # Why a role of its own: JupyterHub's admin role carries the secret.
    [admin] = [spec for spec in get_default_roles() if spec["name"] == "admin"]
    assert "admin:auth_state" in expanded(admin["scopes"])


def test_without_team_admins_the_role_has_no_members(env):
    [role] = load().JupyterHub.load_roles
    assert role["users"] == []


def test_a_state_folder_open_to_others_is_made_private(env):
    state = Path(env["VCE_HUB_STATE_DIR"])
    state.mkdir(mode=0o755)
    state.chmod(0o755)
    load()
    assert (state.stat().st_mode & 0o777) == 0o700


def test_the_stand_in_is_a_managed_service_with_the_clients_file(env):
    config = load()
    state = Path(env["VCE_HUB_STATE_DIR"]).resolve()
    [service] = config.JupyterHub.services
    assert service["name"] == "vce-platform"
    assert service["url"] == "http://127.0.0.1:8911"
    command = service["command"]
    assert command[0] == env["VCE_MOCK_BIN"]
    assert command[command.index("--port") + 1] == "8911"
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--clients-file") + 1] == env["VCE_HUB_CLIENTS_FILE"]
    assert command[command.index("--data-dir") + 1] == str(state / "platform")
    # Every field is one JupyterHub's Service knows (it refuses the others at start).
    assert set(service) <= set(Service.class_trait_names())
    assert service["timeout"] == 120
    assert config.VCEAuthenticator.platform_url == "http://127.0.0.1:8911"


def test_a_real_platform_from_RQS_API_URL_starts_no_stand_in(env, monkeypatch):
    monkeypatch.setenv("RQS_API_URL", "https://vce.platform.example/")
    monkeypatch.delenv("VCE_MOCK_BIN")
    monkeypatch.setenv("VCE_HUB_CLIENTS_FILE", "/nonexistent/clients.json")
    config = load()
    assert "services" not in config.JupyterHub
    assert config.VCEAuthenticator.platform_url == "https://vce.platform.example"


def test_state_and_ports_come_from_the_environment(env, monkeypatch):
    monkeypatch.setenv("VCE_HUB_PORT", "8030")
    monkeypatch.setenv("VCE_HUB_PLATFORM_PORT", "8931")
    config = load()
    state = Path(env["VCE_HUB_STATE_DIR"]).resolve()
    assert state.is_dir() and (state.stat().st_mode & 0o077) == 0
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8030"
    assert config.JupyterHub.hub_port == 8111
    assert config.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:8031"
    assert config.JupyterHub.db_url == f"sqlite:///{state / 'jupyterhub.sqlite'}"
    assert config.JupyterHub.cookie_secret_file == str(state / "jupyterhub_cookie_secret")
    assert config.JupyterHub.services[0]["url"] == "http://127.0.0.1:8931"


def test_one_home_per_researcher_in_jupyterlab(env):
    config = load()
    state = Path(env["VCE_HUB_STATE_DIR"]).resolve()
    assert config.JupyterHub.spawner_class == "simple"
    assert config.SimpleLocalProcessSpawner.home_dir_template == str(state / "homes" / "{username}")
    assert config.Spawner.default_url == "/lab"
    assert Path(config.Spawner.cmd[0]).name == "jupyterhub-singleuser"
    assert Path(config.Spawner.cmd[0]).is_file()
    assert ("--allow-root" in config.Spawner.get("args", [])) == (os.geteuid() == 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"JUPYTERHUB_CRYPT_KEY": None}, "JUPYTERHUB_CRYPT_KEY is not set"),
        ({"VCE_MOCK_BIN": None, "PATH": "/nonexistent"}, "`vce-mock` is not on PATH"),
        ({"VCE_HUB_CLIENTS_FILE": "/nonexistent/c.json"}, "no clients file at /nonexistent/c.json"),
        ({"VCE_HUB_PORT": "eighty"}, "VCE_HUB_PORT='eighty' is not a port"),
        ({"VCE_HUB_PORT": "65500"}, "set VCE_HUB_API_PORT: its default (65581) is past 65535"),
    ],
)
def test_a_missing_or_wrong_setting_says_what_to_do(env, monkeypatch, change, message):
    for name, value in change.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        load()
    assert message in str(stopped.value.code)
