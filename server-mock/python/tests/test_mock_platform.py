"""Integration tests: the SDK against the real vce-mock (node server-mock/dist/cli.js).

Needs `cd server-mock && npm ci && npm run build` first (dist/cli.js). Each mock
runs on a free loopback port with its own data dir and the shared fixture data
(server-mock/test-vectors/fixture-data.json).
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyrqs import rqs

SERVER_MOCK = Path(__file__).resolve().parents[2]
CLI = SERVER_MOCK / "dist" / "cli.js"
VECTORS_DIR = SERVER_MOCK / "test-vectors"
FIXTURE = VECTORS_DIR / "fixture-data.json"
VECTORS = json.loads((VECTORS_DIR / "queries.json").read_text(encoding="utf-8"))
KEY, SECRET = "k", "s"
READY_PREFIX = "vce-mock listening on "
QUERY_ARGS = {"category", "condition_groups", "fields", "limit", "start_date", "end_date"}


@dataclass
class Mock:
    url: str
    data_dir: Path
    process: subprocess.Popen
    reader: threading.Thread

    def client(self, **kw) -> rqs.RQSClient:
        return rqs.RQSClient(self.url, KEY, SECRET, timeout=20, **kw)

    def issue_job_token(self) -> str:
        """A job-scoped token (research.vce.job) issued through the mock's own store, as the job runner does."""
        script = (
            "const { Store } = require(process.argv[1]);"
            "const store = new Store(process.argv[2]);"
            "process.stdout.write(store.issueJobToken(process.argv[3], new Date()));"
            "store.close && store.close();"
        )
        done = subprocess.run(
            [
                "node",
                "-e",
                script,
                str(SERVER_MOCK / "dist" / "store.js"),
                str(self.data_dir / "vce-mock.sqlite"),
                KEY,
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout.strip()


def start_mock(data_dir: Path, *extra: str) -> Mock:
    assert CLI.exists(), f"{CLI} is missing: run `cd {SERVER_MOCK} && npm run build` first"
    # stderr (the mock's logs) goes to a file: an undrained pipe could fill and stall the mock
    with open(data_dir / "vce-mock.stderr.log", "w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [
                "node",
                str(CLI),
                "--port",
                "0",
                "--data-dir",
                str(data_dir),
                "--client",
                f"{KEY}:{SECRET}:e@x.org",
                "--fixture-data",
                str(FIXTURE),
                *extra,
            ],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        line = lines.get(timeout=60)
    except queue.Empty:
        line = None
    if not line or not line.startswith(READY_PREFIX):
        process.kill()
        process.wait()
        reader.join(timeout=5)
        process.stdout.close()
        log = (data_dir / "vce-mock.stderr.log").read_text(encoding="utf-8")
        raise AssertionError(f"vce-mock did not start (first line {line!r}); stderr:\n{log}")
    return Mock(line[len(READY_PREFIX) :].strip(), data_dir, process, reader)


def stop_mock(mock: Mock) -> None:
    mock.process.send_signal(signal.SIGTERM)
    try:
        mock.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        mock.process.kill()
        mock.process.wait()
    mock.reader.join(timeout=5)
    if mock.process.stdout is not None:
        mock.process.stdout.close()


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mock]:
    running = start_mock(tmp_path_factory.mktemp("vce-mock"), "--daily-limit", "100000")
    yield running
    stop_mock(running)


@pytest.fixture(scope="module")
def mock_client(mock: Mock) -> rqs.RQSClient:
    return mock.client()


@pytest.fixture(scope="module")
def tight_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mock]:
    """A mock whose daily quota is 5 records."""
    running = start_mock(tmp_path_factory.mktemp("vce-mock-tight"), "--daily-limit", "5")
    yield running
    stop_mock(running)


def run_case(client: rqs.RQSClient, request: dict) -> rqs.QueryResult | dict:
    """A vector's request through the SDK: query() when its keys are query()'s, else the raw route."""
    if set(request) <= QUERY_ARGS and "category" in request:
        args = dict(request)
        args.setdefault("limit", None)  # send exactly the vector's body
        return client.query(**args)
    return client.request("POST", "/v2/vce/query/", request)


@pytest.mark.parametrize("case", VECTORS["cases"], ids=[case["name"] for case in VECTORS["cases"]])
def test_query_vectors(mock_client: rqs.RQSClient, case: dict) -> None:
    expect = case["expect"]
    if expect["status"] == 200:
        result = run_case(mock_client, case["request"])
        assert isinstance(result, rqs.QueryResult)
        assert len(result) == expect["count"]
        assert result.quota is not None and result.quota["remaining"] >= 0
        if (
            any(isinstance(record, dict) and "id" in record for record in result)
            or expect["count"] == 0
        ):
            assert sorted(record["id"] for record in result) == expect["ids"]
        requested = result.fields or []
        for record in result:
            assert set(record) <= set(requested), f"unrequested fields in {record}"
    else:
        with pytest.raises(rqs.RQSError) as caught:
            run_case(mock_client, case["request"])
        error = caught.value
        assert error.status == expect["status"]
        assert error.code == expect["error_code"]
        assert expect["message_contains"] in error.message
        if expect["error_code"] == "invalid_params":
            assert isinstance(error, rqs.ValidationError)
            assert error.field and error.problems


def test_the_vectors_are_there() -> None:
    assert len(VECTORS["cases"]) >= 10
    assert any(case["expect"]["status"] == 400 for case in VECTORS["cases"])


def test_validation_error_names_field_operation_value(mock_client: rqs.RQSClient) -> None:
    groups = [
        {
            "operator": "and",
            "conditions": [{"field": "region_code", "operator": "GT", "field_values": ["US"]}],
        }
    ]
    with pytest.raises(rqs.ValidationError) as caught:
        mock_client.query("video", groups, "id", 10)
    error = caught.value
    assert error.field.startswith("condition_groups[0].conditions[0]")
    assert error.operation == "GT"
    assert "region_code" in error.message and "GT" in error.message


def test_identity_and_quota(mock_client: rqs.RQSClient) -> None:
    assert mock_client.me()["client_key"] == KEY
    quota = mock_client.get_quota()
    assert quota["daily_limit"] == 100000 and quota["remaining"] == 100000 - quota["used"]


def test_query_charges_the_quota(mock_client: rqs.RQSClient) -> None:
    before = mock_client.get_quota()["used"]
    result = mock_client.query("video", fields=["id", "like_count"], limit=3)
    assert len(result) == 3
    assert result.quota["used"] == before + 3
    assert all(set(record) == {"id", "like_count"} for record in result)


def test_wrong_secret_is_an_authentication_error(mock: Mock) -> None:
    client = rqs.RQSClient(mock.url, KEY, "not-the-secret-123", timeout=20)
    with pytest.raises(rqs.AuthenticationError) as caught:
        client.query("video", fields="id")
    assert caught.value.code == "invalid_client" and caught.value.status == 401
    assert "not-the-secret-123" not in str(caught.value) + repr(caught.value)


def test_a_forgotten_token_is_replaced(mock: Mock) -> None:
    client = mock.client()
    client.get_quota()
    client._token.value = "clt.unknown-token"  # as if the platform forgot it
    assert client.get_quota()["daily_limit"] == 100000
    assert client._token.value != "clt.unknown-token"


def test_quota_exceeded_against_the_mock(tight_mock: Mock) -> None:
    client = tight_mock.client()
    with pytest.raises(rqs.QuotaExceededError) as caught:
        client.query("video", fields="id", limit=10)
    error = caught.value
    assert error.remaining == 5
    assert error.resets_at and error.resets_at.endswith("T00:00:00Z")
    assert "5" in str(error) and error.resets_at in str(error)
    assert client.get_quota()["used"] == 0  # refused whole, nothing charged


def test_a_task_over_quota_fails(tight_mock: Mock) -> None:
    client = tight_mock.client()
    task_id = client.create_query_task("video", fields="id", limit=10)
    with pytest.raises(rqs.QueryTaskError) as caught:
        client.wait_for_query_task(task_id, timeout=30, poll_interval=0.05)
    assert caught.value.task_status == "AnalysisFailed"
    assert caught.value.code == "daily_quota_limit_exceeded"
    assert client.check_query_task_status(task_id) == "AnalysisFailed"


def test_query_task_lifecycle(mock_client: rqs.RQSClient) -> None:
    groups = VECTORS["cases"][0]["request"][
        "condition_groups"
    ]  # the guide's like_count gte 10: 20 matches
    expected = VECTORS["cases"][0]["expect"]
    task_id = mock_client.create_query_task("video", groups, "id,like_count", limit=100)
    assert isinstance(task_id, str) and task_id
    assert mock_client.check_query_task_status(task_id) in rqs.TASK_STATUSES
    task = mock_client.wait_for_query_task(task_id, timeout=30, poll_interval=0.05)
    assert task["status"] == "Completed" and task["count"] == expected["count"]
    assert {"task_id", "status", "created_at", "updated_at"} <= set(task)
    first = mock_client.get_query_task_result(task_id, page_size=7)
    assert len(first["records"]) == 7 and first["has_more"] is True and first["cursor"]
    records = list(mock_client.iter_query_task_result(task_id, page_size=7))
    assert sorted(record["id"] for record in records) == expected["ids"]
    assert all(record["like_count"] >= 10 for record in records)
    with pytest.raises(rqs.RQSError) as caught:
        mock_client.cancel_query_task(task_id)
    assert (caught.value.status, caught.value.code) == (409, "task_not_finished")


def test_cancel_a_task(mock_client: rqs.RQSClient) -> None:
    task_id = mock_client.create_query_task("video", fields="id", limit=5)
    try:
        cancelled = mock_client.cancel_query_task(task_id)
    except rqs.RQSError as error:  # it finished before the cancel arrived
        assert (error.status, error.code) == (409, "task_not_finished")
        assert mock_client.check_query_task_status(task_id) == "Completed"
    else:
        assert cancelled["status"] == "Cancelled"
        assert mock_client.check_query_task_status(task_id) == "Cancelled"
        with pytest.raises(rqs.RQSError) as caught:
            mock_client.get_query_task_result(task_id)
        assert caught.value.code == "task_not_finished"


def test_unknown_task(mock_client: rqs.RQSClient) -> None:
    with pytest.raises(rqs.RQSError) as caught:
        mock_client.check_query_task_status("qt_000000000000000000000000")
    assert (caught.value.status, caught.value.code) == (404, "not_found")


def test_execution_stage_pages_every_match(mock: Mock) -> None:
    every = next(case for case in VECTORS["cases"] if case["name"] == "no conditions: every video")
    job = rqs.RQSClient(mock.url, access_token=mock.issue_job_token(), timeout=20)
    pages = list(job.iter_query_pages("video", [], "id,create_time", page_size=7))
    assert [len(page) for page in pages] == [7, 7, 7, 7, 2]
    assert [page.has_more for page in pages] == [True] * 4 + [False]
    ids = [record["id"] for page in pages for record in page]
    assert ids == every["expect"]["ids"]  # all matches, in id order
    assert job.query_all("video", [], "id", page_size=100_000) == [
        {"id": i} for i in every["expect"]["ids"]
    ]
    before = mock.client().get_quota()["used"]
    list(job.iter_query("video", [], "id"))
    assert mock.client().get_quota()["used"] == before  # the execution stage is not charged


def test_unreachable_after_the_mock_stops(tmp_path: Path) -> None:
    stopped = start_mock(tmp_path)
    client = stopped.client()
    client.get_quota()
    stop_mock(stopped)
    with pytest.raises(rqs.PlatformUnavailableError) as caught:
        client.get_quota()
    assert stopped.url in str(caught.value) and "RQS_API_URL" in str(caught.value)


def test_environment_variables_name_the_mock(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RQS_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("RQS_API_URL", mock.url)
    monkeypatch.setenv("RQS_CLIENT_KEY", KEY)
    monkeypatch.setenv("RQS_CLIENT_SECRET", SECRET)
    assert os.environ["RQS_API_URL"] == mock.url
    assert rqs.RQSClient().me()["client_key"] == KEY
