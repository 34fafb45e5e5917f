"""The jobs routes end to end against the real platform stand-in (server-mock, node)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import Api
from .openapi_contract import final_job_statuses
from .test_mock_integration import local_secret, require_built_mock

#: The honest aggregate, one text for every suite (server-mock/test-vectors/README.md).
HONEST = (
    Path(__file__).parents[2] / "server-mock" / "test-vectors" / "analysis-job.py"
).read_bytes()

LEAKING = b"""
import csv, os
from pyrqs import rqs

rows = rqs.RQSClient().query(
    category='video',
    condition_groups=[{"operator": "and", "conditions": [
        {"field": "like_count", "operator": "gte", "field_values": ["0"]}]}],
    fields='id,username', limit=300)
os.makedirs('output', exist_ok=True)
with open('output/rows.csv', 'w', newline='') as out:
    w = csv.writer(out)
    w.writerow(['id', 'username'])
    for r in rows:
        w.writerow([r['id'], r['username']])
"""

FINAL = final_job_statuses()


@pytest.fixture
def vce_config() -> Iterator[dict[str, Any]]:
    """Nothing configured but the data directory: the embedded default.

    A short path: each job's data socket lives in it, and Unix socket paths are
    limited to 107 bytes (pytest's tmp_path is too deep for that).
    """
    data_dir = tempfile.mkdtemp(prefix="vce-jobs-")
    yield {"mock_data_dir": data_dir}
    shutil.rmtree(data_dir, ignore_errors=True)


def submission(name: str, content: bytes) -> dict[str, Any]:
    return {
        "entry": name,
        "files": [{"name": name, "content_base64": base64.b64encode(content).decode()}],
    }


async def wait_final(api: Api, job_id: str, timeout: float = 90.0) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        code, body = await api.get(f"jobs/{job_id}")
        assert code == 200, body
        if body["data"]["status"] in FINAL or loop.time() > deadline:
            return body["data"]
        await asyncio.sleep(0.25)


async def test_honest_job_is_approved_saved_and_matches_its_attestation(
    api: Api,
    jp_serverapp: Any,
    jp_root_dir: Path,
    jp_fetch: Callable[..., Any],
    captured_log: io.StringIO,
) -> None:
    require_built_mock()
    code, body = await api.call("POST", "jobs", submission("regions.py", HONEST))
    assert code == 201, body
    job_id = body["data"]["job_id"]
    assert body["data"]["files"][0]["sha256"] == hashlib.sha256(HONEST).hexdigest()

    job = await wait_final(api, job_id)
    assert job["status"] == "approved", job
    assert job["result_available"] is True

    code, listed = await api.get("jobs", params={"status": "approved"})
    assert job_id in [item["job_id"] for item in listed["data"]["jobs"]]

    # Into the workspace: the zip's files, byte for byte, with their hashes.
    code, saved = await api.call("POST", f"jobs/{job_id}/result/save", {"folder": "dcr-results"})
    assert code == 200, saved
    folder = jp_root_dir / saved["data"]["folder"]
    written = {item["name"]: item["sha256"] for item in saved["data"]["files"]}
    assert "results/videos_by_region.csv" in written and "attestation.jws" in written
    for name, digest in written.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    outputs = {output["name"]: output["sha256"] for output in job["outputs"]}
    assert outputs["videos_by_region.csv"] == written["results/videos_by_region.csv"]

    # To the computer: the same zip, streamed.
    response = await jp_fetch("vce", "api", "jobs", job_id, "result")
    assert response.headers["Content-Type"] == "application/zip"
    assert hashlib.sha256(response.body).hexdigest() == saved["data"]["archive_sha256"]
    with zipfile.ZipFile(io.BytesIO(response.body)) as archive:
        assert "results/videos_by_region.csv" in archive.namelist()

    # The attestation names the outputs' hashes; the keys verify it (in the browser, with jose).
    code, attestation = await api.get(f"jobs/{job_id}/attestation")
    assert code == 200
    payload = attestation["data"]["jws"].split(".")[1]
    statement = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert statement["job_id"] == job_id
    assert {o["name"]: o["sha256"] for o in statement["outputs"]} == outputs
    code, jwks = await api.get("jwks")
    assert code == 200 and jwks["keys"][0]["alg"] == "ES256"

    # The link went to the primary researcher: the outbox says when and to whom.
    code, outbox = await api.get("outbox")
    mails = [mail for mail in outbox["data"]["messages"] if mail["job_id"] == job_id]
    assert code == 200 and mails and mails[0]["kind"] == "approved"
    assert mails[0]["to"] == (await api.get("identity"))[1]["data"]["primary_researcher_email"]

    code, file = await api.get(f"jobs/{job_id}/files")
    assert (code, file["data"]["content"].encode()) == (200, HONEST)

    secret = local_secret(jp_serverapp).encode()
    assert all(secret not in body for body in api.bodies)
    assert secret.decode() not in captured_log.getvalue()


async def test_leaking_job_is_rejected_with_findings_and_nothing_to_download(
    api: Api, jp_serverapp: Any
) -> None:
    require_built_mock()
    code, body = await api.call("POST", "jobs", submission("leak.py", LEAKING))
    assert code == 201, body
    job = await wait_final(api, body["data"]["job_id"])
    assert job["status"] == "rejected", job
    rules = {finding["rule"] for finding in job["verdict"]["findings"]}
    assert "identifier_column" in rules
    assert all(finding["file"] == "rows.csv" for finding in job["verdict"]["findings"])
    code, refused = await api.call("POST", f"jobs/{job['job_id']}/result/save", {})
    assert (code, refused["error"]["code"]) == (409, "result_not_available")


async def test_a_running_job_is_cancelled_and_resubmitted(api: Api, jp_serverapp: Any) -> None:
    require_built_mock()
    code, body = await api.call(
        "POST",
        "jobs",
        submission("slow.py", b"import time\nfor _ in range(600):\n    time.sleep(1)\n"),
    )
    job_id = body["data"]["job_id"]
    for _ in range(200):
        code, current = await api.get(f"jobs/{job_id}")
        if current["data"]["status"] == "running":
            break
        await asyncio.sleep(0.1)
    code, cancelled = await api.call("POST", f"jobs/{job_id}/cancel", {})
    assert (code, cancelled["data"]["status"]) == (200, "cancelled")
    code, again = await api.call("POST", f"jobs/{job_id}/resubmit", {})
    assert code == 201
    assert again["data"]["resubmitted_from"] == job_id
    await api.call("POST", f"jobs/{again['data']['job_id']}/cancel", {})


async def test_bad_submissions_get_the_platforms_reasons(api: Api, jp_serverapp: Any) -> None:
    require_built_mock()
    code, body = await api.call("POST", "jobs", submission("notes.txt", b"hello"))
    assert code == 400
    assert body["error"]["message"]
    code, body = await api.call("POST", "jobs", submission("../evil.py", b"print(1)"))
    assert code == 400


async def test_a_test_run_is_reviewed_on_the_sample_and_never_released(
    api: Api, jp_serverapp: Any
) -> None:
    require_built_mock()
    code, body = await api.call("POST", "test-runs", submission("leak.py", LEAKING))
    assert code == 201, body
    assert body["data"]["stage"] == "test"
    job = await wait_final(api, body["data"]["job_id"])
    assert job["status"] == "rejected", job
    assert "identifier_column" in {finding["rule"] for finding in job["verdict"]["findings"]}
    assert job["result_available"] is False
    code, listed = await api.get("jobs", params={"stage": "test"})
    assert [item["job_id"] for item in listed["data"]["jobs"]] == [job["job_id"]]
