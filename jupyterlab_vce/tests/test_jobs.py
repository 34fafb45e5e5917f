"""The /vce/api/jobs routes against a fake platform with a jobs API."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError
from tornado.web import Application

from jupyterlab_vce.request_body import MAX_SUBMISSION_BODY

from .conftest import Api, serve_platform
from .fake_platform import CLIENT_KEY, CLIENT_SECRET, LOG_ID, FakeHandler, FakePlatform, envelope

OK = {"code": "ok", "message": "", "log_id": LOG_ID}
JWKS = {"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "x": "x", "y": "y"}]}


def job(job_id: str, status: str = "queued", entry: str = "analysis.py") -> dict[str, Any]:
    return {"job_id": job_id, "entry": entry, "status": status, "history": []}


def results_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


RESULT_FILES = {
    "results/counts_by_region.csv": b"region_code,videos\nUS,120\nGB,40\n",
    "results/chart.bin": bytes(range(256)),
    "manifest.json": b'{"job_id": "job_1"}\n',
    "attestation.jws": b"a.b.c\n",
}


@dataclass
class JobsPlatform(FakePlatform):
    """The fake platform plus the jobs routes; records what reached it."""

    received: list[tuple[str, str, bytes, str]] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    archive: bytes = field(default_factory=lambda: results_zip(RESULT_FILES))
    archive_digest: str | None = None
    queries: list[dict[str, str]] = field(default_factory=list)

    def application(self) -> Application:
        app = super().application()
        app.add_handlers(
            r".*",
            [
                (r"/v2/vce/jobs/", JobsRoute, {"platform": self}),
                (r"/v2/vce/test-runs/", JobsRoute, {"platform": self}),
                (r"/v2/vce/jobs/([^/]+)/", JobRoute, {"platform": self}),
                (
                    r"/v2/vce/jobs/([^/]+)/(cancel|resubmit|files|attestation|result)/",
                    JobActionRoute,
                    {"platform": self},
                ),
                (r"/.well-known/jwks.json", JwksRoute, {"platform": self}),
            ],
        )
        return app


class PlatformRoute(FakeHandler):
    platform: JobsPlatform

    def authorized(self) -> bool:
        self.platform.received.append(
            (
                self.request.method or "",
                self.request.path,
                self.request.body or b"",
                self.request.headers.get("Authorization", ""),
            )
        )
        token = self.request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.platform.valid_tokens:
            self.answer(401, envelope("access_token_invalid", "The access token is expired."))
            return False
        return True


class JobsRoute(PlatformRoute):
    def get(self) -> None:
        if self.authorized():
            self.platform.queries.append(
                {key: self.get_query_argument(key) for key in self.request.query_arguments}
            )
            jobs = sorted(self.platform.jobs.values(), key=lambda j: j["job_id"], reverse=True)
            self.answer(
                200, {"data": {"jobs": jobs, "cursor": None, "has_more": False}, "error": OK}
            )

    def post(self) -> None:
        if self.authorized():
            body = json.loads(self.request.body)
            job_id = f"job_{len(self.platform.jobs) + 1}"
            created = job(job_id, entry=body["entry"])
            if self.request.path.endswith("test-runs/"):
                created["stage"] = "test"
            self.platform.jobs[job_id] = created
            self.answer(201, {"data": created, "error": OK})


class JobRoute(PlatformRoute):
    def get(self, job_id: str) -> None:
        if self.authorized():
            if job_id not in self.platform.jobs:
                return self.answer(404, envelope("not_found", f"There is no job {job_id}."))
            self.answer(200, {"data": self.platform.jobs[job_id], "error": OK})


class JobActionRoute(PlatformRoute):
    def post(self, job_id: str, action: str) -> None:
        if not self.authorized():
            return
        current = self.platform.jobs[job_id]
        if action == "cancel":
            if current["status"] not in ("queued", "running"):
                return self.answer(409, envelope("job_not_cancellable", "Already finished."))
            current["status"] = "cancelled"
            return self.answer(200, {"data": current, "error": OK})
        again = job(f"job_{len(self.platform.jobs) + 1}")
        self.platform.jobs[again["job_id"]] = again
        self.answer(201, {"data": again, "error": OK})

    def get(self, job_id: str, action: str) -> None:
        if not self.authorized():
            return
        if action == "files":
            name = self.get_query_argument("name", "analysis.py")
            return self.answer(
                200,
                {
                    "data": {
                        "name": name,
                        "bytes": 5,
                        "sha256": "0" * 64,
                        "encoding": "utf-8",
                        "content": "print",
                    },
                    "error": OK,
                },
            )
        if action == "attestation":
            attestation = {
                "job_id": job_id,
                "jws": "a.b.c",
                "key_id": "k1",
                "jwks_url": "/.well-known/jwks.json",
            }
            return self.answer(200, {"data": attestation, "error": OK})
        if self.platform.jobs[job_id]["status"] != "approved":
            return self.answer(409, envelope("result_not_available", "Not approved yet."))
        archive = self.platform.archive
        self.set_header("Content-Type", "application/zip")
        self.set_header(
            "X-Content-SHA256", self.platform.archive_digest or hashlib.sha256(archive).hexdigest()
        )
        self.finish(archive)


class JwksRoute(PlatformRoute):
    def get(self) -> None:
        self.platform.received.append(
            ("GET", self.request.path, b"", self.request.headers.get("Authorization", ""))
        )
        self.answer(200, JWKS)


@pytest.fixture
def fake_platform(jp_asyncio_loop: Any) -> Any:
    """The conftest's fake platform, with the jobs routes."""
    yield from serve_platform(JobsPlatform(), jp_asyncio_loop)


@pytest.fixture
def vce_config(fake_platform: JobsPlatform, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Credentials from the environment, as in a JupyterHub deployment."""
    monkeypatch.setenv("RQS_API_URL", fake_platform.url)
    monkeypatch.setenv("RQS_CLIENT_KEY", CLIENT_KEY)
    monkeypatch.setenv("RQS_CLIENT_SECRET", CLIENT_SECRET)
    return {}


def submission(entry: str = "analysis.py", **files: bytes) -> dict[str, Any]:
    files = files or {entry: b"print('hello')\n"}
    return {
        "entry": entry,
        "files": [
            {"name": name.replace("__", "/"), "content_base64": base64.b64encode(content).decode()}
            for name, content in files.items()
        ],
    }


def platform_paths(platform: JobsPlatform) -> list[str]:
    return [f"{method} {path}" for method, path, _, _ in platform.received]


class TestSubmit:
    async def test_submission_is_forwarded_with_the_bearer_token(
        self, api: Api, fake_platform: JobsPlatform
    ) -> None:
        code, body = await api.call("POST", "jobs", submission())
        assert code == 201
        assert body["data"]["job_id"] == "job_1"
        method, path, sent, authorization = fake_platform.received[-1]
        assert (method, path) == ("POST", "/v2/vce/jobs/")
        assert json.loads(sent) == submission()
        assert authorization.startswith("Bearer clt.")

    async def test_test_run_goes_to_the_test_runs_route(
        self, api: Api, fake_platform: JobsPlatform
    ) -> None:
        code, body = await api.call("POST", "test-runs", submission())
        assert (code, body["data"]["stage"]) == (201, "test")
        assert platform_paths(fake_platform)[-1] == "POST /v2/vce/test-runs/"

    @pytest.mark.parametrize(
        ("body", "says"),
        [
            ("{oops", "must be JSON"),
            ("[]", "must be a JSON object"),
            ({"files": []}, '"entry"'),
            ({"entry": "a.py", "files": []}, '"files"'),
            ({"entry": "a.py", "files": [{"name": "a.py"}]}, "content_base64"),
            (
                {"entry": "a.py", "files": [{"name": "a.py", "content_base64": "***"}]},
                "not valid base64",
            ),
            ({"entry": "b.py", "files": [{"name": "a.py", "content_base64": ""}]}, "not among"),
            (
                {
                    "entry": "a.py",
                    "files": [{"name": f"{i}.py", "content_base64": ""} for i in range(201)],
                },
                "at most 200",
            ),
        ],
    )
    async def test_broken_submissions_never_reach_the_platform(
        self, api: Api, fake_platform: JobsPlatform, body: Any, says: str
    ) -> None:
        code, answer = await api.call("POST", "jobs", body)
        assert code == 400
        assert answer["error"]["code"] == "invalid_request"
        assert says in answer["error"]["message"]
        assert not [p for p in platform_paths(fake_platform) if "jobs" in p]

    async def test_a_body_over_the_limit_is_413_before_the_platform(
        self, api: Api, fake_platform: JobsPlatform
    ) -> None:
        big = base64.b64encode(b"x" * (21 * 1024 * 1024)).decode()
        code, answer = await api.call(
            "POST", "jobs", {"entry": "a.py", "files": [{"name": "a.py", "content_base64": big}]}
        )
        assert code == 413
        assert answer["error"]["code"] == "payload_too_large"
        assert "MiB" in answer["error"]["message"]
        assert len(big) > MAX_SUBMISSION_BODY - 2 * 1024 * 1024
        assert not [p for p in platform_paths(fake_platform) if "jobs" in p]

    async def test_stale_token_is_replaced_and_the_job_made_once(
        self, api: Api, fake_platform: JobsPlatform
    ) -> None:
        await api.get("jobs")
        fake_platform.revoke_tokens()
        code, _ = await api.call("POST", "jobs", submission())
        assert code == 201
        assert len(fake_platform.jobs) == 1

    async def test_platform_gone_mid_submit_is_503_and_says_so(
        self, api: Api, fake_platform: JobsPlatform, jp_serverapp: Any, closed_port_url: str
    ) -> None:
        await api.get("jobs")  # a token first
        client = jp_serverapp.web_app.settings["vce_platform"]
        client.base_url = closed_port_url
        code, answer = await api.call("POST", "jobs", submission())
        assert code == 503
        assert answer["error"]["code"] == "platform_unreachable"
        assert fake_platform.jobs == {}


class TestJobRoutes:
    async def test_list_forwards_filter_and_paging(
        self, api: Api, fake_platform: JobsPlatform
    ) -> None:
        await api.call("POST", "jobs", submission())
        code, body = await api.call(
            "GET", "jobs", params={"status": "running,queued", "page_size": "5", "cursor": "abc"}
        )
        assert code == 200
        assert [j["job_id"] for j in body["data"]["jobs"]] == ["job_1"]
        method, path, _, _ = fake_platform.received[-1]
        assert (method, path) == ("GET", "/v2/vce/jobs/")
        assert fake_platform.queries[-1] == {
            "status": "running,queued",
            "page_size": "5",
            "cursor": "abc",
        }

    async def test_detail_cancel_resubmit_files_attestation(
        self, api: Api, fake_platform: JobsPlatform
    ) -> None:
        await api.call("POST", "jobs", submission())
        assert (await api.get("jobs/job_1"))[0] == 200
        code, body = await api.call("POST", "jobs/job_1/cancel", {})
        assert (code, body["data"]["status"]) == (200, "cancelled")
        code, body = await api.call("POST", "jobs/job_1/cancel", {})
        assert (code, body["error"]["code"]) == (409, "job_not_cancellable")
        code, body = await api.call("POST", "jobs/job_1/resubmit", {})
        assert (code, body["data"]["job_id"]) == (201, "job_2")
        code, body = await api.get("jobs/job_1/files", params={"name": "helpers.py"})
        assert (code, body["data"]["name"]) == (200, "helpers.py")
        code, body = await api.get("jobs/job_1/attestation")
        assert (code, body["data"]["jws"]) == (200, "a.b.c")
        assert platform_paths(fake_platform)[-6:] == [
            "GET /v2/vce/jobs/job_1/",
            "POST /v2/vce/jobs/job_1/cancel/",
            "POST /v2/vce/jobs/job_1/cancel/",
            "POST /v2/vce/jobs/job_1/resubmit/",
            "GET /v2/vce/jobs/job_1/files/",
            "GET /v2/vce/jobs/job_1/attestation/",
        ]

    async def test_unknown_job_is_the_platforms_404(self, api: Api) -> None:
        code, body = await api.get("jobs/job_404")
        assert (code, body["error"]["code"]) == (404, "not_found")

    async def test_wrong_method_is_405_with_the_envelope(self, api: Api) -> None:
        code, body = await api.call("GET", "jobs/job_1/cancel")
        assert (code, body["error"]["code"]) == (405, "method_not_allowed")

    async def test_jwks_needs_no_platform_token(
        self, api: Api, fake_platform: JobsPlatform
    ) -> None:
        code, body = await api.get("jwks")
        assert (code, body) == (200, JWKS)
        assert fake_platform.received[-1][3] == ""


class TestResults:
    async def approved(self, api: Api, platform: JobsPlatform) -> None:
        await api.call("POST", "jobs", submission())
        platform.jobs["job_1"]["status"] = "approved"

    async def test_download_streams_the_zip(
        self, api: Api, fake_platform: JobsPlatform, jp_fetch: Callable[..., Any]
    ) -> None:
        await self.approved(api, fake_platform)
        response = await jp_fetch("vce", "api", "jobs", "job_1", "result")
        assert response.body == fake_platform.archive
        assert response.headers["Content-Type"] == "application/zip"
        assert 'filename="job_1-results.zip"' in response.headers["Content-Disposition"]
        assert (
            response.headers["X-Content-Sha256"]
            == hashlib.sha256(fake_platform.archive).hexdigest()
        )

    async def test_download_before_approval_is_the_platforms_409(
        self, api: Api, fake_platform: JobsPlatform, jp_fetch: Callable[..., Any]
    ) -> None:
        await api.call("POST", "jobs", submission())
        with pytest.raises(HTTPClientError) as raised:
            await jp_fetch("vce", "api", "jobs", "job_1", "result")
        assert raised.value.code == 409
        assert json.loads(raised.value.response.body)["error"]["code"] == "result_not_available"

    async def test_save_extracts_into_the_workspace_with_hashes(
        self, api: Api, fake_platform: JobsPlatform, jp_root_dir: Path
    ) -> None:
        await self.approved(api, fake_platform)
        code, body = await api.call("POST", "jobs/job_1/result/save", {"folder": "dcr-results"})
        assert code == 200, body
        saved = body["data"]
        assert saved["folder"] == "dcr-results/job_1"
        assert saved["already_there"] is None
        for name, content in RESULT_FILES.items():
            on_disk = jp_root_dir / "dcr-results" / "job_1" / name
            assert on_disk.read_bytes() == content
            entry = next(f for f in saved["files"] if f["name"] == name)
            assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        # Never over what is there: a second save goes beside it, and says which folder was taken.
        code, body = await api.call("POST", "jobs/job_1/result/save", {})
        assert (code, body["data"]["folder"]) == (200, "dcr-results/job_1-2")
        assert body["data"]["already_there"] == "dcr-results/job_1"
        code, body = await api.call("POST", "jobs/job_1/result/save", {})
        assert body["data"]["folder"] == "dcr-results/job_1-3"
        assert body["data"]["already_there"] == "dcr-results/job_1"
        first = jp_root_dir / "dcr-results" / "job_1" / "results" / "counts_by_region.csv"
        assert first.read_bytes() == RESULT_FILES["results/counts_by_region.csv"]

    async def test_damaged_download_saves_nothing(
        self, api: Api, fake_platform: JobsPlatform, jp_root_dir: Path
    ) -> None:
        await self.approved(api, fake_platform)
        fake_platform.archive_digest = "0" * 64
        code, body = await api.call("POST", "jobs/job_1/result/save", {})
        assert (code, body["error"]["code"]) == (502, "platform_error")
        assert not (jp_root_dir / "dcr-results").exists()

    @pytest.mark.parametrize("folder", ["../outside", "a/../../b", "x\\y"])
    async def test_folder_outside_the_workspace_is_refused(
        self, api: Api, fake_platform: JobsPlatform, folder: str
    ) -> None:
        await self.approved(api, fake_platform)
        code, body = await api.call("POST", "jobs/job_1/result/save", {"folder": folder})
        assert (code, body["error"]["code"]) == (400, "invalid_request")


async def test_secret_never_reaches_the_browser(
    api: Api, fake_platform: JobsPlatform, captured_log: io.StringIO
) -> None:
    await api.call("POST", "jobs", submission())
    fake_platform.jobs["job_1"]["status"] = "approved"
    for route in ("jobs", "jobs/job_1", "jobs/job_1/attestation", "jwks"):
        await api.get(route)
    await api.call("POST", "jobs/job_1/result/save", {})
    assert all(CLIENT_SECRET.encode() not in body for body in api.bodies)
    assert CLIENT_SECRET not in captured_log.getvalue()
