"""A server JupyterHub spawned: the hub's login page owns the credentials.

JupyterHub sets ``JUPYTERHUB_API_URL`` for every server it spawns, and the VCE
authenticator hands the pair typed on its login page over as ``RQS_CLIENT_KEY``
/ ``RQS_CLIENT_SECRET``. The browser can then neither replace nor drop them.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from .conftest import Api
from .fake_platform import CLIENT_KEY, CLIENT_SECRET, IDENTITY, QUOTA, FakePlatform
from .test_routes import assert_error

HUB_API_URL = "http://127.0.0.1:8081/hub/api"


@pytest.fixture
def vce_config(fake_platform: FakePlatform, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the spawner's environment holds under the hub."""
    monkeypatch.setenv("JUPYTERHUB_API_URL", HUB_API_URL)
    monkeypatch.setenv("RQS_API_URL", fake_platform.url)
    monkeypatch.setenv("RQS_CLIENT_KEY", CLIENT_KEY)
    monkeypatch.setenv("RQS_CLIENT_SECRET", CLIENT_SECRET)
    return {}


async def test_status_is_connected_and_says_the_hub_holds_the_credentials(api: Api) -> None:
    code, status = await api.get("status")
    assert code == 200
    assert status["platform"]["state"] == "connected"
    assert (status["credentials_source"], status["hub_managed"]) == ("environment", True)
    assert (status["identity"], status["quota"]) == (IDENTITY, QUOTA)


async def test_sign_in_from_the_browser_is_refused_with_409_and_changes_nothing(
    api: Api, fake_platform: FakePlatform
) -> None:
    fake_platform.clients["other-key"] = "other-secret"
    code, body = await api.sign_in("other-key", "other-secret")
    assert code == 409
    assert_error(body, "hub_managed_credentials")
    message = body["error"]["message"]
    assert "JupyterHub started this Jupyter server" in message
    assert "log out of the hub" in message
    assert fake_platform.token_requests == 0
    code, status = await api.get("status")
    assert status["identity"]["client_key"] == CLIENT_KEY


async def test_sign_out_from_the_browser_is_refused_with_409_and_keeps_the_connection(
    api: Api,
) -> None:
    code, body = await api.call("DELETE", "session")
    assert code == 409
    assert_error(body, "hub_managed_credentials")
    assert "sign out" in body["error"]["message"]
    code, status = await api.get("status")
    assert (status["signed_in"], status["platform"]["state"]) == (True, "connected")


async def test_a_revoked_secret_says_to_sign_in_again_on_the_login_page(
    api: Api, fake_platform: FakePlatform, captured_log: io.StringIO
) -> None:
    fake_platform.clients[CLIENT_KEY] = "a-new-secret"
    fake_platform.revoke_tokens()
    code, status = await api.get("status")
    assert code == 200
    assert status["platform"]["state"] == "rejected"
    message = status["platform"]["message"]
    assert "no longer accepts the client secret" in message
    assert "Sign in again on the login page" in message
    assert "RQS_CLIENT_SECRET" not in message
    assert all(CLIENT_SECRET.encode() not in body for body in api.bodies)
    assert CLIENT_SECRET not in captured_log.getvalue()


class TestHubWithoutVCECredentials:
    """A hub that gave no VCE credentials (another authenticator): the in-lab sign-in works."""

    @pytest.fixture
    def vce_config(
        self, fake_platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
    ) -> dict[str, Any]:
        monkeypatch.setenv("JUPYTERHUB_API_URL", HUB_API_URL)
        return {"platform_url": fake_platform.url}

    async def test_sign_in_and_out_are_allowed(self, api: Api) -> None:
        code, status = await api.sign_in(CLIENT_KEY, CLIENT_SECRET)
        assert (code, status["platform"]["state"], status["hub_managed"]) == (
            200,
            "connected",
            False,
        )
        code, status = await api.call("DELETE", "session")
        assert (code, status["signed_in"]) == (200, False)


class TestEnvironmentWithoutHub:
    """Credentials from the environment of a lab started by hand: the browser may still sign in."""

    @pytest.fixture
    def vce_config(
        self, fake_platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
    ) -> dict[str, Any]:
        monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)
        monkeypatch.setenv("RQS_API_URL", fake_platform.url)
        monkeypatch.setenv("RQS_CLIENT_KEY", CLIENT_KEY)
        monkeypatch.setenv("RQS_CLIENT_SECRET", CLIENT_SECRET)
        return {}

    async def test_sign_out_is_allowed(self, api: Api) -> None:
        code, status = await api.get("status")
        assert status["hub_managed"] is False
        code, status = await api.call("DELETE", "session")
        assert (code, status["platform"]["state"]) == (200, "not_signed_in")
