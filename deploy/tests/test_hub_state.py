"""deploy/hub_state.py: the crypt key and the demo clients start-hub.sh keeps, and its banner."""

from __future__ import annotations

import json
import re
import socket
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import hub_state  # noqa: E402 (deploy/ is a folder of scripts, not a package)

# vce-mock's rules for a client (server-mock/src/config.ts: CLIENT_KEY_PATTERN, EMAIL_PATTERN).
KEY = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
EMAIL = re.compile(r"^[^\s@:]+@[^\s@:]+$")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_demo_clients_are_valid_for_the_stand_in_with_fresh_secrets():
    first, second = hub_state.demo_clients(), hub_state.demo_clients()
    entries = first["researchers"] + first["reviewers"]
    assert [e["client_key"] for e in first["researchers"]] == ["researcher-a", "researcher-b"]
    assert [e["client_key"] for e in first["reviewers"]] == ["reviewer"]
    for entry in entries:
        assert KEY.match(entry["client_key"]) and entry["client_key"] == entry["client_key"].lower()
        assert EMAIL.match(entry["email"])
        assert len(entry["client_secret"]) >= 24
    secrets = {e["client_secret"] for e in entries + second["researchers"] + second["reviewers"]}
    assert len(secrets) == 6


def test_the_clients_file_is_written_once_and_private(tmp_path, capsys):
    path = tmp_path / "state" / "clients.json"
    assert hub_state.main(["demo-clients", str(path)]) == 0
    assert capsys.readouterr().out == "created\n"
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    saved = path.read_text()
    assert json.loads(saved)["researchers"][0]["client_key"] == "researcher-a"
    assert hub_state.main(["demo-clients", str(path)]) == 0
    assert capsys.readouterr().out == "kept\n"
    assert path.read_text() == saved


def test_the_crypt_key_is_created_once_as_32_hex_bytes(tmp_path):
    path = tmp_path / "crypt-key"
    key = hub_state.crypt_key(path)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert mode(path) == 0o600
    assert hub_state.crypt_key(path) == key


def test_a_damaged_crypt_key_file_stops_with_a_message(tmp_path):
    path = tmp_path / "crypt-key"
    path.write_text("not a key\n")
    with pytest.raises(SystemExit) as stopped:
        hub_state.crypt_key(path)
    assert "does not hold a 32-byte hex key" in str(stopped.value.code)


def test_the_banner_shows_secrets_only_when_asked():
    clients = hub_state.demo_clients()
    url = "http://127.0.0.1:8000/hub/login"
    shown = "\n".join(hub_state.banner(clients, url, show_secrets=True))
    hidden = "\n".join(hub_state.banner(clients, url, show_secrets=False))
    assert f"The VCE login page: {url}" in shown
    for entry in clients["researchers"] + clients["reviewers"]:
        assert entry["client_key"] in shown and entry["client_key"] in hidden
        assert entry["client_secret"] in shown
        assert entry["client_secret"] not in hidden
    assert "Reviewers" in hidden


def test_an_unreadable_clients_file_says_so(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        hub_state.main(["banner", str(tmp_path / "none.json"), "http://x/hub/login"])
    assert "cannot read the clients file" in str(stopped.value.code)


def test_the_hub_ports_follow_the_config_defaults_and_overrides():
    assert hub_state.hub_ports(8000, 8911, {}) == [
        (8000, "the hub's public port", "--port"),
        (8001, "configurable-http-proxy's API, --port + 1", "--port"),
        (8081, "the hub's internal API, --port + 81", "--port"),
        (8911, "the platform stand-in", "--platform-port"),
    ]
    env = {"VCE_HUB_API_PORT": "9100"}
    assert (9100, "the hub's internal API, VCE_HUB_API_PORT", "VCE_HUB_API_PORT") in (
        hub_state.hub_ports(8000, None, env)
    )


def test_a_busy_port_is_named_with_a_free_choice():
    busy = {8081}
    free = lambda port: port not in busy  # noqa: E731
    assert hub_state.busy_port_message(8000, 8911, {}, free) == (
        "start-hub: port 8081 is in use (the hub's internal API, --port + 81); "
        "choose another with --port 8010."
    )
    busy = {8911, 8912}
    assert hub_state.busy_port_message(8000, 8911, {}, free) == (
        "start-hub: port 8911 is in use (the platform stand-in); "
        "choose another with --platform-port 8913."
    )
    # The suggested public port keeps its derived ports off the stand-in's.
    busy = {8000}
    assert hub_state.busy_port_message(8000, 8011, {}, free).endswith("--port 8020.")
    assert hub_state.busy_port_message(8000, None, {"VCE_HUB_API_PORT": "8081"}, free) == (
        "start-hub: port 8000 is in use (the hub's public port); choose another with --port 8010."
    )
    busy = {9100}
    assert hub_state.busy_port_message(8000, None, {"VCE_HUB_API_PORT": "9100"}, free) == (
        "start-hub: port 9100 is in use (the hub's internal API, VCE_HUB_API_PORT); "
        "choose another with VCE_HUB_API_PORT=9101."
    )
    busy = set()
    assert hub_state.busy_port_message(8000, 8911, {}, free) is None


def test_the_ports_command_sees_a_real_listener(capsys):
    hub = next(
        port
        for port in range(20000, 30000, 100)
        if all(hub_state.port_free(port + offset) for offset in (0, 1, 81))
    )
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        taken = listener.getsockname()[1]
        assert not hub_state.port_free(taken)
        code = hub_state.main(["ports", "--port", str(hub), "--platform-port", str(taken)])
        assert code == 1
        assert f"port {taken} is in use (the platform stand-in)" in capsys.readouterr().err
        no_platform = ["ports", "--port", str(hub), "--platform-port", str(taken), "--no-platform"]
        assert hub_state.main(no_platform) == 0
