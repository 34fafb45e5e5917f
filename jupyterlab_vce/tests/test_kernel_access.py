"""Sign-out that holds (issue 17): kernels reach the platform through the server's route.

Kernels get the kernel route and a kernel token, never the client secret; the
route checks the token, forwards the SDK's calls with the server's platform
token, and answers "signed out" at once, without calling the platform, while
the server holds no credentials.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPResponse

from jupyterlab_vce.kernel_access import (
    KernelAccess,
    export_kernel_environment,
    kernel_route_url,
    scrub_credentials,
)
from jupyterlab_vce.kernel_proxy import SIGNED_OUT_MESSAGE, allowed_method

from .conftest import Api
from .fake_platform import CLIENT_KEY, CLIENT_SECRET, QUOTA, FakePlatform

QUERY = {"category": "video", "fields": "id", "limit": 10}


class TestUnits:
    def test_the_token_is_compared_as_a_bearer(self) -> None:
        access = KernelAccess("tok-123")
        assert access.accepts("Bearer tok-123")
        assert access.accepts("bearer  tok-123 ")
        for header in (None, "", "Bearer", "Bearer tok-12", "token tok-123", "tok-123"):
            assert not access.accepts(header)
        assert "tok-123" not in repr(access)

    def test_the_token_is_random_and_long(self) -> None:
        assert len(KernelAccess().token) >= 40
        assert KernelAccess().token != KernelAccess().token

    @pytest.mark.parametrize(
        "ip, base_url, secure, url",
        [
            ("localhost", "/", False, "http://127.0.0.1:8888/vce/platform"),
            ("0.0.0.0", "/user/ada/", False, "http://127.0.0.1:8888/user/ada/vce/platform"),
            ("", "/", True, "https://127.0.0.1:8888/vce/platform"),
            ("::1", "/", False, "http://[::1]:8888/vce/platform"),
            ("10.0.0.7", "/lab", False, "http://10.0.0.7:8888/lab/vce/platform"),
        ],
    )
    def test_the_kernel_route_url(self, ip: str, base_url: str, secure: bool, url: str) -> None:
        assert kernel_route_url(ip, 8888, base_url, secure=secure) == url

    def test_scrubbing_removes_the_pair_only(self) -> None:
        environ = {"RQS_CLIENT_KEY": "k", "RQS_CLIENT_SECRET": "s", "PATH": "/bin"}
        assert scrub_credentials(environ) == ["RQS_CLIENT_KEY", "RQS_CLIENT_SECRET"]
        assert environ == {"PATH": "/bin"}
        assert scrub_credentials(environ) == []

    def test_a_child_cannot_read_the_secret_in_the_servers_initial_environment(self) -> None:
        """``/proc/<server>/environ`` (what a kernel could read of its parent) loses the pair."""
        script = textwrap.dedent(
            """
            import os, subprocess, sys
            from jupyterlab_vce.kernel_access import scrub_credentials
            assert b"s3cr3t-VALUE" in open("/proc/self/environ", "rb").read()
            print(scrub_credentials(os.environ))
            child = "print(b's3cr3t-VALUE' in open('/proc/%d/environ' % __import__('os').getppid(), 'rb').read())"
            print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True).stdout.strip())
            print("KEY-VALUE" in open("/proc/self/environ", "rb").read().decode("latin-1"))
            print(os.environ.get("PATH") is not None)
            """
        )
        environ = {
            **os.environ,
            "RQS_CLIENT_KEY": "KEY-VALUE",
            "RQS_CLIENT_SECRET": "s3cr3t-VALUE",
        }
        result = subprocess.run(
            [sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True
        )
        assert result.stdout.split("\n")[:4] == [
            "['RQS_CLIENT_KEY', 'RQS_CLIENT_SECRET']",
            "False",
            "False",
            "True",
        ]

    def test_the_kernel_environment(self) -> None:
        environ: dict[str, str] = {}
        export_kernel_environment(environ, "http://127.0.0.1:1/vce/platform", "t")
        assert environ == {
            "RQS_API_URL": "http://127.0.0.1:1/vce/platform",
            "RQS_ACCESS_TOKEN": "t",
        }

    @pytest.mark.parametrize(
        "path, method",
        [
            ("/v2/vce/query/", "POST"),
            ("/v2/vce/me/", "GET"),
            ("/v2/vce/quota/", "GET"),
            ("/v2/vce/query_tasks/", "POST"),
            ("/v2/vce/query_tasks/t-1/", "GET"),
            ("/v2/vce/query_tasks/t-1/result/", "GET"),
            ("/v2/vce/query_tasks/t-1/cancel/", "POST"),
            ("/v2/oauth/token/", None),
            ("/v2/vce/jobs/", None),
            ("/v2/vce/events/", None),
            ("/v2/vce/review/jobs/", None),
            ("/v2/vce/query_tasks/a/b/result/", None),
            # Tornado hands the handler a decoded path: nothing but a task id's characters.
            ("/v2/vce/query_tasks/../result/", None),
            ("/v2/vce/query_tasks/x?a=1/result/", None),
            ("/v2/vce/query_tasks/a b/", None),
        ],
    )
    def test_only_the_sdks_test_stage_calls_are_forwarded(
        self, path: str, method: str | None
    ) -> None:
        assert allowed_method(path) == method


class KernelCalls:
    """Calls to the kernel route the way pyrqs makes them, without Jupyter's token."""

    def __init__(self, serverapp: Any) -> None:
        self.base = os.environ["RQS_API_URL"]
        self.token = os.environ["RQS_ACCESS_TOKEN"]
        assert self.base.endswith(f"{serverapp.base_url}vce/platform")

    async def call(
        self, method: str, path: str, body: Any = None, token: str | None = "kernel"
    ) -> tuple[HTTPResponse, Any]:
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {self.token if token == 'kernel' else token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = await AsyncHTTPClient().fetch(
            self.base + path,
            method=method,
            headers=headers,
            body=json.dumps(body)
            if body is not None
            else (b"" if method in ("POST", "PUT") else None),
            raise_error=False,
        )
        return response, json.loads(response.body) if response.body else None


@pytest.fixture
def kernel(jp_serverapp: Any, http_server_client: Any) -> KernelCalls:
    """The server listening (``http_server_client``), and a kernel's way to it."""
    return KernelCalls(jp_serverapp)


class TestSignedIn:
    @pytest.fixture
    def vce_config(self, fake_platform: FakePlatform) -> dict[str, Any]:
        return {
            "platform_url": fake_platform.url,
            "client_key": CLIENT_KEY,
            "client_secret": CLIENT_SECRET,
        }

    async def test_a_query_is_forwarded_with_the_servers_token(
        self, kernel: KernelCalls, fake_platform: FakePlatform
    ) -> None:
        response, body = await kernel.call("POST", "/v2/vce/query/", QUERY)
        assert response.code == 200
        assert body["data"] == {"records": []}
        method, uri, content_type, sent = fake_platform.data_calls[-1]
        assert (method, uri, content_type) == ("POST", "/v2/vce/query/", "application/json")
        assert json.loads(sent) == QUERY
        assert fake_platform.issued  # the server's token, got with its own key and secret

    async def test_a_get_keeps_its_query_string(
        self, kernel: KernelCalls, fake_platform: FakePlatform
    ) -> None:
        response, _ = await kernel.call("GET", "/v2/vce/query_tasks/t-1/result/?cursor=c2")
        assert response.code == 200
        assert fake_platform.data_calls[-1][1] == "/v2/vce/query_tasks/t-1/result/?cursor=c2"

    @pytest.mark.parametrize("token", [None, "not-the-kernel-token", CLIENT_SECRET])
    async def test_without_the_kernel_token_nothing_is_forwarded(
        self, kernel: KernelCalls, fake_platform: FakePlatform, token: str | None
    ) -> None:
        response, body = await kernel.call("GET", "/v2/vce/quota/", token=token)
        assert response.code == 401
        assert body["error"]["code"] == "invalid_kernel_token"
        assert "RQS_ACCESS_TOKEN" in body["error"]["message"]
        assert fake_platform.data_requests == 0

    async def test_jupyters_token_is_not_the_kernel_token(
        self, kernel: KernelCalls, jp_serverapp: Any, fake_platform: FakePlatform
    ) -> None:
        response, _ = await kernel.call(
            "GET", "/v2/vce/quota/", token=jp_serverapp.identity_provider.token
        )
        assert response.code == 401 and fake_platform.data_requests == 0

    @pytest.mark.parametrize(
        "method, path, status",
        [
            ("POST", "/v2/vce/jobs/", 404),
            ("GET", "/v2/vce/events/", 404),
            ("POST", "/v2/oauth/token/", 404),
            ("GET", "/v2/vce/query/", 405),
            ("POST", "/v2/vce/quota/", 405),
        ],
    )
    async def test_other_calls_are_refused_with_what_to_do(
        self, kernel: KernelCalls, fake_platform: FakePlatform, method: str, path: str, status: int
    ) -> None:
        response, body = await kernel.call(method, path)
        assert response.code == status
        assert body["error"]["message"]
        assert fake_platform.data_requests == 0 and fake_platform.token_requests == 0

    @pytest.mark.parametrize(
        "method, path, status, code",
        [
            ("GET", "/v2/vce/query_tasks/%2E%2E/result/", 404, "not_found"),
            ("GET", "/v2/vce/query_tasks/x%3Fa%3D1/result/", 404, "not_found"),
            ("GET", "/v2/vce/query_tasks/a%20b/", 404, "not_found"),
            ("GET", "/v2/vce/query_tasks/%FF/", 400, "invalid_request"),
            ("PUT", "/v2/vce/quota/", 405, "method_not_allowed"),
            ("DELETE", "/v2/vce/query_tasks/t-1/", 405, "method_not_allowed"),
        ],
    )
    async def test_odd_paths_and_methods_are_refused_not_forwarded(
        self,
        kernel: KernelCalls,
        fake_platform: FakePlatform,
        method: str,
        path: str,
        status: int,
        code: str,
    ) -> None:
        response, body = await kernel.call(method, path)
        assert (response.code, body["error"]["code"]) == (status, code)
        assert "Traceback" not in response.body.decode()
        assert fake_platform.data_requests == 0

    async def test_a_rejected_server_pair_says_sign_in_again(
        self, kernel: KernelCalls, fake_platform: FakePlatform
    ) -> None:
        fake_platform.clients.clear()
        fake_platform.revoke_tokens()
        response, body = await kernel.call("GET", "/v2/vce/quota/")
        assert response.code == 401
        assert body["error"]["code"] == "sign_in_rejected"
        assert "sign in again (status bar)" in body["error"]["message"]

    async def test_sign_out_holds_and_sign_in_restores_the_same_kernel(
        self, api: Api, kernel: KernelCalls, fake_platform: FakePlatform
    ) -> None:
        response, body = await kernel.call("GET", "/v2/vce/quota/")
        assert (response.code, body["data"]) == (200, QUOTA)
        code, _ = await api.call("DELETE", "session")
        assert code == 200
        calls_before = (fake_platform.data_requests, fake_platform.token_requests)
        for method, path in (("POST", "/v2/vce/query/"), ("GET", "/v2/vce/quota/")):
            response, body = await kernel.call(method, path, QUERY if method == "POST" else None)
            assert response.code == 401
            assert body["error"]["code"] == "signed_out"
            assert body["error"]["message"] == SIGNED_OUT_MESSAGE
        # No platform call at all: nothing charged, no token asked for.
        assert (fake_platform.data_requests, fake_platform.token_requests) == calls_before
        code, _ = await api.sign_in(CLIENT_KEY, CLIENT_SECRET)
        assert code == 200
        response, body = await kernel.call("GET", "/v2/vce/quota/")
        assert (response.code, body["data"]) == (200, QUOTA)


class TestServerEnvironment:
    """The pair the hub (or an administrator) put in the server's environment."""

    @pytest.fixture
    def vce_config(
        self, fake_platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
    ) -> dict[str, Any]:
        monkeypatch.setenv("RQS_API_URL", fake_platform.url)
        monkeypatch.setenv("RQS_CLIENT_KEY", CLIENT_KEY)
        monkeypatch.setenv("RQS_CLIENT_SECRET", CLIENT_SECRET)
        monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:1/hub/api")
        return {}

    async def test_the_pair_is_read_then_scrubbed(
        self, api: Api, jp_serverapp: Any, fake_platform: FakePlatform
    ) -> None:
        assert "RQS_CLIENT_KEY" not in os.environ
        assert "RQS_CLIENT_SECRET" not in os.environ
        assert CLIENT_SECRET not in "".join(os.environ.values())
        assert os.environ["RQS_API_URL"].endswith("/vce/platform")
        code, status = await api.get("status")
        assert code == 200
        assert status["platform"]["state"] == "connected"
        assert status["platform_url"] == fake_platform.url
        assert status["hub_managed"] is True
        assert status["local_client"] is None  # not the embedded stand-in

    async def test_a_kernel_started_now_inherits_no_secret(
        self, jp_serverapp: Any, jp_fetch: Any, jp_root_dir: Path
    ) -> None:
        env = jp_serverapp.session_manager.get_kernel_env(str(jp_root_dir), "notebook.ipynb")
        assert "RQS_CLIENT_SECRET" not in env and "RQS_CLIENT_KEY" not in env
        assert env["RQS_ACCESS_TOKEN"] and env["RQS_API_URL"].endswith("/vce/platform")

    async def test_kernels_of_a_hub_lab_query_through_the_route(
        self, kernel: KernelCalls, fake_platform: FakePlatform
    ) -> None:
        response, body = await kernel.call("GET", "/v2/vce/me/")
        assert response.code == 200 and body["data"]["client_key"] == CLIENT_KEY

    async def test_no_local_secret_to_show(self, api: Api) -> None:
        code, body = await api.get("local-client/secret")
        assert code == 404
        assert body["error"]["code"] == "no_local_client"
        assert CLIENT_SECRET not in json.dumps(body)


class TestEmbeddedWithConfiguredPair:
    """The embedded stand-in registered with a pair set in the environment (the browser tests)."""

    @pytest.fixture
    def vce_config(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        from .test_embedded import STANDIN

        monkeypatch.setenv("RQS_CLIENT_KEY", CLIENT_KEY)
        monkeypatch.setenv("RQS_CLIENT_SECRET", CLIENT_SECRET)
        return {"mock_command": STANDIN, "mock_data_dir": str(tmp_path / "mock")}

    async def test_its_client_is_local_without_a_file_and_its_secret_not_shown(
        self, api: Api
    ) -> None:
        """A pair set in the environment may open a real platform too: never to the browser."""
        assert "RQS_CLIENT_SECRET" not in os.environ
        code, status = await api.get("status")
        assert status["local_client"] == {"client_key": CLIENT_KEY, "secret_file": None}
        assert CLIENT_SECRET not in json.dumps(status)
        code, body = await api.get("local-client/secret")
        assert (code, body["error"]["code"]) == (409, "secret_not_generated")
        assert "RQS_CLIENT_SECRET" in body["error"]["message"]
        assert CLIENT_SECRET not in json.dumps(body)
