"""The /vce/api/ routes against a fake platform."""

from __future__ import annotations

import io
from typing import Any

import pytest

from jupyterlab_vce.errors import new_log_id

from .conftest import Api
from .fake_platform import (
    CLIENT_KEY,
    CLIENT_SECRET,
    IDENTITY,
    LOG_ID,
    QUOTA,
    FakePlatform,
    envelope,
)

SIGN_IN = {"client_key": CLIENT_KEY, "client_secret": CLIENT_SECRET}


def assert_error(body: Any, code: str) -> None:
    """The one error envelope, with a message and a well-formed log id."""
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert len(body["error"]["log_id"]) == len(new_log_id())


class TestNotSignedIn:
    async def test_status_asks_to_sign_in(self, api: Api, fake_platform: FakePlatform) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["platform"] == {
            "state": "not_signed_in",
            "message": "Sign in with your client key and secret.",
        }
        assert status["signed_in"] is False
        assert status["credentials_source"] is None
        assert status["platform_url"] == fake_platform.url
        assert status["embedded"] is False
        assert (status["identity"], status["quota"]) == (None, None)
        assert status["checked_at"].endswith("Z")

    @pytest.mark.parametrize("route", ["identity", "quota"])
    async def test_forwarded_routes_answer_401_not_signed_in(self, api: Api, route: str) -> None:
        code, body = await api.get(route)
        assert code == 401
        assert_error(body, "not_signed_in")

    async def test_sign_in_verifies_and_answers_the_status(
        self, api: Api, fake_platform: FakePlatform
    ) -> None:
        code, status = await api.call("POST", "session", SIGN_IN)
        assert code == 200
        assert status["signed_in"] is True
        assert status["credentials_source"] == "sign_in"
        assert status["platform"]["state"] == "connected"
        assert status["identity"] == IDENTITY
        assert status["quota"] == QUOTA
        code, quota = await api.get("quota")
        assert (code, quota["data"]) == (200, QUOTA)
        assert fake_platform.token_requests == 1

    async def test_wrong_secret_is_refused_with_the_platform_envelope(self, api: Api) -> None:
        code, body = await api.sign_in(CLIENT_KEY, "wrong-secret")
        assert code == 401
        assert body == envelope("invalid_client", "Client key or secret is incorrect.")
        code, status = await api.get("status")
        assert status["platform"]["state"] == "not_signed_in"

    @pytest.mark.parametrize(
        ("body", "says"),
        [
            ("{not json", "must be JSON"),
            ("[1, 2]", "must be a JSON object"),
            ({"client_key": CLIENT_KEY}, "Missing field(s): client_secret."),
            ({}, "Missing field(s): client_key, client_secret."),
            ({"client_key": "  ", "client_secret": 7}, "client_key, client_secret"),
        ],
    )
    async def test_bad_sign_in_body_is_400_saying_what_is_wrong(
        self, api: Api, fake_platform: FakePlatform, body: Any, says: str
    ) -> None:
        code, answer = await api.call("POST", "session", body)
        assert code == 400
        assert_error(answer, "invalid_request")
        assert says in answer["error"]["message"]
        assert fake_platform.token_requests == 0


class TestEnvironmentCredentials:
    @pytest.fixture
    def vce_config(
        self, fake_platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
    ) -> dict[str, Any]:
        monkeypatch.setenv("RQS_API_URL", fake_platform.url)
        monkeypatch.setenv("RQS_CLIENT_KEY", CLIENT_KEY)
        monkeypatch.setenv("RQS_CLIENT_SECRET", CLIENT_SECRET)
        return {}

    async def test_status_is_connected_with_identity_and_quota(self, api: Api) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["platform"]["state"] == "connected"
        assert CLIENT_KEY in status["platform"]["message"]
        assert status["credentials_source"] == "environment"
        assert (status["identity"], status["quota"]) == (IDENTITY, QUOTA)

    @pytest.mark.parametrize(("route", "data"), [("identity", IDENTITY), ("quota", QUOTA)])
    async def test_forwarded_body_is_the_platform_body(
        self, api: Api, route: str, data: Any
    ) -> None:
        code, body = await api.get(route)
        assert code == 200
        assert body == {"data": data, "error": {"code": "ok", "message": "", "log_id": LOG_ID}}

    async def test_many_calls_use_one_token(self, api: Api, fake_platform: FakePlatform) -> None:
        for _ in range(3):
            await api.get("status")
            await api.get("quota")
        assert fake_platform.token_requests == 1
        # The identity once (it does not change while signed in), the quota six times.
        assert fake_platform.data_requests == 7

    async def test_token_refused_by_the_platform_is_replaced_once(
        self, api: Api, fake_platform: FakePlatform
    ) -> None:
        await api.get("quota")
        fake_platform.revoke_tokens()
        code, body = await api.get("quota")
        assert (code, body["data"]) == (200, QUOTA)
        assert fake_platform.token_requests == 2

    async def test_platform_errors_are_forwarded_with_their_envelope(
        self, api: Api, fake_platform: FakePlatform
    ) -> None:
        fake_platform.quota_error = (429, envelope("quota_exceeded", "No records left today."))
        code, body = await api.get("quota")
        assert (code, body) == (429, envelope("quota_exceeded", "No records left today."))

    async def test_sign_out_forgets_the_credentials(
        self, api: Api, fake_platform: FakePlatform
    ) -> None:
        code, status = await api.call("DELETE", "session")
        assert code == 200
        assert status["signed_in"] is False
        assert status["platform"]["state"] == "not_signed_in"
        code, body = await api.get("quota")
        assert code == 401
        assert_error(body, "not_signed_in")
        assert fake_platform.token_requests == 0

    async def test_revoked_credentials_show_as_rejected(
        self, api: Api, fake_platform: FakePlatform
    ) -> None:
        fake_platform.clients.clear()
        code, status = await api.get("status")
        assert code == 200
        assert status["platform"]["state"] == "rejected"
        assert "RQS_CLIENT_KEY" in status["platform"]["message"]
        code, body = await api.get("identity")
        assert code == 401
        assert_error(body, "invalid_client")

    async def test_secret_never_appears_in_responses_or_logs(
        self, api: Api, fake_platform: FakePlatform, captured_log: io.StringIO
    ) -> None:
        await api.get("status")
        await api.get("identity")
        await api.sign_in(CLIENT_KEY, "wrong-secret")
        await api.sign_in(CLIENT_KEY, CLIENT_SECRET)
        await api.call("POST", "session", f'{{"client_key": "{CLIENT_SECRET}"')
        fake_platform.revoke_tokens()
        await api.get("quota")
        fake_platform.clients.clear()
        await api.get("status")
        await api.call("DELETE", "session")
        log = captured_log.getvalue()
        assert "Signed in to the platform" in log  # the scan reads the extension's log
        assert "/vce/api/quota" in log  # ... and the server's
        for body in api.bodies:
            assert CLIENT_SECRET.encode() not in body
        assert CLIENT_SECRET not in log


class TestUnreachablePlatform:
    @pytest.fixture
    def vce_config(self, closed_port_url: str) -> dict[str, Any]:
        return {
            "platform_url": closed_port_url,
            "client_key": CLIENT_KEY,
            "client_secret": CLIENT_SECRET,
        }

    async def test_status_is_200_and_unreachable_with_an_actionable_message(
        self, api: Api, closed_port_url: str
    ) -> None:
        code, status = await api.get("status")
        assert code == 200
        assert status["platform"] == {
            "state": "unreachable",
            "message": f"The platform at {closed_port_url} is not answering (Connection refused). "
            "Retrying.",
        }
        assert status["signed_in"] is True

    @pytest.mark.parametrize("route", ["identity", "quota"])
    async def test_forwarded_routes_answer_503(self, api: Api, route: str) -> None:
        code, body = await api.get(route)
        assert code == 503
        assert_error(body, "platform_unreachable")

    async def test_sign_in_answers_503(self, api: Api) -> None:
        code, body = await api.call("POST", "session", SIGN_IN)
        assert code == 503
        assert_error(body, "platform_unreachable")


class TestJupyterAuth:
    @pytest.mark.parametrize(
        ("method", "route", "body"),
        [
            ("GET", "status", None),
            ("POST", "session", SIGN_IN),
            ("DELETE", "session", None),
            ("GET", "quota", None),
        ],
    )
    async def test_requests_without_jupyter_auth_are_refused(
        self, api: Api, fake_platform: FakePlatform, method: str, route: str, body: Any
    ) -> None:
        code, answer = await api.call(method, route, body, headers={"Authorization": ""})
        assert code == 403
        assert_error(answer, "forbidden")
        assert fake_platform.token_requests == 0

    async def test_cookie_authenticated_writes_need_the_xsrf_token(
        self, api: Api, jp_fetch: Any, jp_serverapp: Any, fake_platform: FakePlatform
    ) -> None:
        login = await jp_fetch(
            "vce", "api", "status",
            params={"token": jp_serverapp.identity_provider.token},
            headers={"Authorization": ""},
        )  # fmt: skip
        session = "; ".join(cookie.split(";")[0] for cookie in login.headers.get_list("Set-Cookie"))
        cookie_auth = {"Authorization": "", "Cookie": session}
        code, answer = await api.call("POST", "session", SIGN_IN, headers=cookie_auth)
        assert code == 403
        assert_error(answer, "forbidden")
        assert "_xsrf" in answer["error"]["message"]
        assert fake_platform.token_requests == 0

        xsrf = "0123456789abcdef"
        with_xsrf = {"Authorization": "", "Cookie": f"{session}; _xsrf={xsrf}", "X-XSRFToken": xsrf}
        code, status = await api.call("POST", "session", SIGN_IN, headers=with_xsrf)
        assert (code, status["platform"]["state"]) == (200, "connected")

    async def test_unknown_method_answers_the_envelope(self, api: Api) -> None:
        code, body = await api.call("PUT", "status", "{}")
        assert code == 405
        assert_error(body, "method_not_allowed")


class TestUnexpectedFailure:
    async def test_answers_500_with_a_log_id_and_no_traceback(
        self, api: Api, monkeypatch: pytest.MonkeyPatch, captured_log: io.StringIO
    ) -> None:
        async def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("internal detail")

        monkeypatch.setattr("jupyterlab_vce.handlers.read_status", broken)
        code, body = await api.get("status")
        assert code == 500
        assert_error(body, "internal_error")
        assert "internal detail" not in body["error"]["message"]
        assert "Traceback" not in api.bodies[-1].decode()
        log = captured_log.getvalue()
        assert f"GET /a%40b/vce/api/status failed (log id {body['error']['log_id']})" in log
        assert "RuntimeError: internal detail" in log
