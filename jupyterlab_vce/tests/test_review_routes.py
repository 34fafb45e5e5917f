"""The reviewer's routes end to end against the real platform stand-in (server-mock, node).

One stand-in with a researcher and a reviewer (``--reviewer KEY:SECRET``); the
Jupyter server under test holds the reviewer's credentials (as JupyterHub's
spawner gives them), and the researcher submits jobs to the stand-in directly.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from tornado.httpclient import AsyncHTTPClient

from jupyterlab_vce.config import CHECKOUT_MOCK_CLI
from jupyterlab_vce.errors import InvalidRequest
from jupyterlab_vce.request_body import MAX_REVIEW_REASON
from jupyterlab_vce.review import REVIEW_FOLDER, review_output_path

from .conftest import Api
from .test_mock_integration import require_built_mock
from .test_routes import assert_error

RESEARCHER = ("alice", "alice-secret-3f9e1c", "alice@example.org")
REVIEWER = ("rev", "rev-secret-8a2d4b", "reviews@example.org")

#: Outputs the automatic review cannot decide (minimums and maximums are single
#: records' values: server-mock/src/review/rules/tables.ts `minMaxColumns`).
FOR_A_REVIEWER = b"""
import os
os.makedirs('output', exist_ok=True)
with open('output/summary.csv', 'w') as out:
    out.write('region,videos,max_views\\nUS,120,900\\nGB,140,800\\n')
"""

#: A chart (images go to a person) beside the table, and a line on stdout.
CHART_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect/></svg>\n'
WITH_A_CHART = (
    FOR_A_REVIEWER
    + (f"open('output/chart.svg', 'w').write({CHART_SVG!r})\nprint('chart written')\n").encode()
)


@pytest.fixture(scope="module")
def platform_url() -> Iterator[str]:
    """The stand-in with one researcher and one reviewer, on a free loopback port."""
    require_built_mock()
    # A short path: each job's data socket lives in it (Unix socket paths are short).
    data_dir = tempfile.mkdtemp(prefix="vce-review-")
    process = subprocess.Popen(
        [
            shutil.which("node") or "node",
            str(CHECKOUT_MOCK_CLI),
            "--port",
            "0",
            "--data-dir",
            data_dir,
            "--videos",
            "1000",
            "--client",
            ":".join(RESEARCHER),
            "--reviewer",
            ":".join(REVIEWER),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("vce-mock listening on "), f"the stand-in did not start: {line!r}"
        yield line.removeprefix("vce-mock listening on ")
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


def lab_credentials(
    monkeypatch: pytest.MonkeyPatch, url: str, client: tuple[str, str, str]
) -> dict[str, Any]:
    """The lab's environment as JupyterHub's spawner sets it: the platform and one client."""
    monkeypatch.setenv("RQS_API_URL", url)
    monkeypatch.setenv("RQS_CLIENT_KEY", client[0])
    monkeypatch.setenv("RQS_CLIENT_SECRET", client[1])
    return {}


@pytest.fixture
def vce_config(platform_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return lab_credentials(monkeypatch, platform_url, REVIEWER)


async def researcher_job(url: str, script: bytes = FOR_A_REVIEWER) -> str:
    """The researcher submits a script straight to the platform; its job id."""
    http = AsyncHTTPClient()
    form = {
        "grant_type": "client_credentials",
        "client_key": RESEARCHER[0],
        "client_secret": RESEARCHER[1],
    }
    token = json.loads(
        (await http.fetch(f"{url}/v2/oauth/token/", method="POST", body=urlencode(form))).body
    )["access_token"]
    submission = {
        "entry": "summary.py",
        "files": [{"name": "summary.py", "content_base64": base64.b64encode(script).decode()}],
    }
    response = await http.fetch(
        f"{url}/v2/vce/jobs/",
        method="POST",
        body=json.dumps(submission),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    return str(json.loads(response.body)["data"]["job_id"])


async def queued_for_review(api: Api, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """The job as the reviewer's queue shows it, once the automatic review has sent it there."""
    deadline = time.monotonic() + timeout
    while True:
        code, body = await api.get("review/jobs")
        assert code == 200, body
        for job in body["data"]["jobs"]:
            if job["job_id"] == job_id:
                return dict(job)
        assert time.monotonic() < deadline, f"{job_id} never reached the review queue"
        await asyncio.sleep(0.25)


async def test_a_reviewer_lab_is_connected_without_a_quota(api: Api) -> None:
    code, status = await api.get("status")
    assert code == 200
    assert status["platform"]["state"] == "connected", status["platform"]["message"]
    assert status["identity"]["role"] == "reviewer"
    assert status["quota"] is None


async def test_the_queue_shows_what_the_review_found_and_approve_releases_the_job(
    api: Api, platform_url: str
) -> None:
    job_id = await researcher_job(platform_url)
    job = await queued_for_review(api, job_id)
    assert (job["client_key"], job["status"], job["entry"]) == (
        RESEARCHER[0],
        "reviewing",
        "summary.py",
    )
    assert job["verdict"]["decision"] == "manual_review"
    findings = job["verdict"]["findings"]
    assert [(f["rule"], f["severity"], f["file"]) for f in findings] == [
        ("extreme_values", "manual", "summary.csv")
    ]

    reason = "  Checked: the maxima are of groups of over 100 videos.  "
    code, body = await api.call(
        "POST", f"review/jobs/{job_id}/decision", {"decision": "approve", "reason": reason}
    )
    assert code == 200, body
    decided = body["data"]
    assert (decided["job_id"], decided["status"]) == (job_id, "approved")
    assert decided["verdict"]["decided_by"] == "reviewer"
    assert decided["verdict"]["reviewer_reason"] == reason.strip()
    code, queue = await api.get("review/jobs")
    assert job_id not in [item["job_id"] for item in queue["data"]["jobs"]]

    # Decided once: a second decision is the platform's 409, passed on.
    code, body = await api.call(
        "POST", f"review/jobs/{job_id}/decision", {"decision": "reject", "reason": "again"}
    )
    assert code == 409
    assert_error(body, "review_not_pending")
    assert "not waiting for a reviewer" in body["error"]["message"]


async def test_reject_needs_a_reason_and_the_job_ends_rejected(api: Api, platform_url: str) -> None:
    job_id = await researcher_job(platform_url)
    await queued_for_review(api, job_id)
    code, body = await api.call("POST", f"review/jobs/{job_id}/decision", {"decision": "reject"})
    assert code == 400
    assert '"reason" must say why the job is rejected' in body["error"]["message"]
    code, body = await api.call(
        "POST",
        f"review/jobs/{job_id}/decision",
        {"decision": "reject", "reason": "The maxima single out one creator's video."},
    )
    assert code == 200, body
    assert body["data"]["status"] == "rejected"
    assert body["data"]["verdict"]["reviewer_reason"] == (
        "The maxima single out one creator's video."
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("{not json", "must be JSON"),
        ("[]", "must be a JSON object"),
        (
            {"decision": "maybe", "reason": "x"},
            '"decision" must be "approve" or "reject", not "maybe"',
        ),
        ({"reason": "x"}, '"decision" must be "approve" or "reject", not null'),
        # Found by the schema fuzz (tests/fuzz/extension.py): an object or a list is not
        # a key of the decisions (TypeError, 500 before).
        ({"decision": {}, "reason": ""}, '"decision" must be "approve" or "reject", not {}'),
        ({"decision": ["approve"], "reason": "x"}, 'not ["approve"]'),
        ({"decision": "approve", "reason": "   "}, '"reason" must say why the job is approved'),
        ({"decision": "approve", "reason": 7}, '"reason" must say why'),
        ({"decision": "approve", "reason": "x", "by": "me"}, "keys it does not take: by"),
        (
            {"decision": "approve", "reason": "x" * (MAX_REVIEW_REASON + 1)},
            f"has 2,001 characters: at most {MAX_REVIEW_REASON:,}",
        ),
    ],
)
async def test_a_bad_decision_is_400_saying_what_is_wrong_and_reaches_no_platform(
    api: Api, platform_url: str, body: Any, says: str
) -> None:
    job_id = await researcher_job(platform_url)
    await queued_for_review(api, job_id)
    code, answer = await api.call("POST", f"review/jobs/{job_id}/decision", body)
    assert code == 400
    assert_error(answer, "invalid_request")
    assert says in answer["error"]["message"]
    still = await queued_for_review(api, job_id, timeout=0)
    assert still["status"] == "reviewing"


async def test_an_oversized_decision_is_413(api: Api) -> None:
    code, answer = await api.call(
        "POST", "review/jobs/job_x/decision", {"decision": "approve", "reason": "x" * 70_000}
    )
    assert code == 413
    assert_error(answer, "payload_too_large")


async def test_an_unknown_job_is_the_platforms_404(api: Api) -> None:
    code, body = await api.call(
        "POST", "review/jobs/job_nothing/decision", {"decision": "approve", "reason": "fine"}
    )
    assert code == 404
    assert_error(body, "not_found")


SaveOutput = Callable[..., Awaitable[tuple[int, Any]]]


@pytest.fixture
def save_output(
    http_server_client: Any, jp_base_url: str, jp_auth_header: dict[str, str]
) -> SaveOutput:
    """POST the save route with the name URL-encoded as one path segment, as the lab sends it.

    (jp_fetch would encode the ``%`` once more.)
    """

    async def post(job_id: str, name: str, *, segment: str | None = None) -> tuple[int, Any]:
        path = f"{jp_base_url}vce/api/review/jobs/{job_id}/outputs/"
        response = await http_server_client.fetch(
            path + (segment if segment is not None else quote(name, safe="")),
            method="POST",
            body=b"",
            headers=dict(jp_auth_header),
            raise_error=False,
        )
        return response.code, json.loads(response.body)

    return post


def test_an_output_is_saved_under_vce_review_job_name_and_nowhere_else() -> None:
    assert review_output_path("job_1", "logs/stdout.txt") == (
        f"{REVIEW_FOLDER}/job_1",
        f"{REVIEW_FOLDER}/job_1/logs/stdout.txt",
    )
    for name in ["../x.csv", "a/../../x", "/etc/passwd", "a\\b", "", "a//b", "./a", "a\x00"]:
        with pytest.raises(InvalidRequest, match="is not one of the job's outputs"):
            review_output_path("job_1", name)


async def test_a_reviewer_lists_the_files_the_review_read_and_saves_one_to_open(
    api: Api, platform_url: str, save_output: SaveOutput, jp_root_dir: Path
) -> None:
    job_id = await researcher_job(platform_url, WITH_A_CHART)
    await queued_for_review(api, job_id)
    code, body = await api.get(f"review/jobs/{job_id}/outputs")
    assert code == 200, body
    outputs = {output["name"]: output for output in body["data"]["outputs"]}
    assert sorted(outputs) == ["chart.svg", "logs/stdout.txt", "summary.csv"]
    assert outputs["chart.svg"]["media_type"] == "image/svg+xml"
    assert outputs["summary.csv"]["media_type"] == "text/csv"
    assert [f["rule"] for f in outputs["summary.csv"]["findings"]] == ["extreme_values"]
    assert outputs["logs/stdout.txt"]["kind"] == "log"

    code, body = await save_output(job_id, "chart.svg")
    assert code == 200, body
    saved = body["data"]
    assert saved["path"] == f"vce-review/{job_id}/chart.svg"
    assert saved["media_type"] == "image/svg+xml"
    assert saved["sha256"] == outputs["chart.svg"]["sha256"]
    assert (jp_root_dir / saved["path"]).read_text() == CHART_SVG

    code, body = await save_output(job_id, "logs/stdout.txt")
    assert code == 200, body
    assert body["data"]["path"] == f"vce-review/{job_id}/logs/stdout.txt"
    assert (jp_root_dir / body["data"]["path"]).read_text() == "chart written\n"
    # Opened again: the same file, replaced with the same bytes.
    code, body = await save_output(job_id, "chart.svg")
    assert (code, body["data"]["path"]) == (200, f"vce-review/{job_id}/chart.svg")


@pytest.mark.parametrize(
    "segment", ["..%2F..%2Fescape.txt", "%2Fetc%2Fpasswd", "a%5Cb", "..", "logs%2F%2Fx"]
)
async def test_an_unsafe_output_name_is_400_and_nothing_is_written(
    api: Api, save_output: SaveOutput, jp_root_dir: Path, segment: str
) -> None:
    code, body = await save_output("job_x", "", segment=segment)
    assert code == 400, body
    assert_error(body, "invalid_request")
    assert "is not one of the job's outputs" in body["error"]["message"]
    assert not (jp_root_dir / REVIEW_FOLDER).exists()
    assert not (jp_root_dir.parent / "escape.txt").exists()


async def test_an_unknown_output_or_job_is_the_platforms_404(
    api: Api, platform_url: str, save_output: SaveOutput, jp_root_dir: Path
) -> None:
    code, body = await api.get("review/jobs/job_nothing/outputs")
    assert code == 404
    assert_error(body, "not_found")
    code, body = await save_output("job_nothing", "chart.svg")
    assert code == 404
    assert "is not waiting for a reviewer" in body["error"]["message"]
    job_id = await researcher_job(platform_url, WITH_A_CHART)
    await queued_for_review(api, job_id)
    code, body = await save_output(job_id, "other.csv")
    assert code == 404
    assert 'has no output "other.csv"' in body["error"]["message"]
    assert not (jp_root_dir / REVIEW_FOLDER).exists()


class TestResearcherLab:
    """A researcher's lab reaches the routes, and the platform says they are for reviewers."""

    @pytest.fixture
    def vce_config(self, platform_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        return lab_credentials(monkeypatch, platform_url, RESEARCHER)

    async def test_the_outputs_are_the_platforms_403(
        self, api: Api, save_output: SaveOutput, jp_root_dir: Path
    ) -> None:
        code, body = await api.get("review/jobs/job_x/outputs")
        assert code == 403
        assert_error(body, "forbidden")
        code, body = await save_output("job_x", "chart.svg")
        assert code == 403
        assert not (jp_root_dir / REVIEW_FOLDER).exists()

    async def test_the_queue_is_the_platforms_403(self, api: Api) -> None:
        code, body = await api.get("review/jobs")
        assert code == 403
        assert_error(body, "forbidden")
        assert "for the platform's reviewers" in body["error"]["message"]


class TestUnderHub:
    """The reviewer's lab spawned by JupyterHub: the browser cannot swap the credentials."""

    @pytest.fixture
    def vce_config(self, platform_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api")
        return lab_credentials(monkeypatch, platform_url, REVIEWER)

    async def test_sign_in_is_409_and_the_lab_stays_the_reviewers(self, api: Api) -> None:
        code, body = await api.sign_in(RESEARCHER[0], RESEARCHER[1])
        assert code == 409
        assert_error(body, "hub_managed_credentials")
        code, status = await api.get("status")
        assert status["hub_managed"] is True
        assert status["identity"]["client_key"] == REVIEWER[0]
