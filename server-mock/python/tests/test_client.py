"""Unit tests of RQSClient against the in-process fake platform (tests/fake_platform.py)."""

from __future__ import annotations

import socket
import threading

import pytest

from fake_platform import FakePlatform, Reply, Seen, fail, ok
from pyrqs import rqs

QUOTA = {
    "day": "2026-11-25",
    "daily_limit": 5000,
    "used": 2,
    "remaining": 4998,
    "resets_at": "2026-11-26T00:00:00Z",
}
SEED_GROUPS = [
    {
        "operator": "and",
        "conditions": [{"field": "like_count", "operator": "gte", "field_values": ["10"]}],
    }
]


def sample(records: list[dict]) -> Reply:
    return ok({"category": "video", "records": records, "count": len(records), "quota": QUOTA})


# -- configuration -------------------------------------------------------------


def test_reads_the_three_environment_variables(
    fake: FakePlatform, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("RQS_API_URL", fake.url + "/")
    clean_env.setenv("RQS_CLIENT_KEY", fake.client_key)
    clean_env.setenv("RQS_CLIENT_SECRET", fake.client_secret)
    fake.route("POST", "/v2/vce/query/", sample([{"id": 1}]))
    client = rqs.RQSClient()
    assert client.api_url == fake.url
    assert client.query(category="video", fields="id") == [{"id": 1}]


@pytest.mark.parametrize(
    "present, missing",
    [
        ({}, ["RQS_API_URL", "RQS_CLIENT_KEY", "RQS_CLIENT_SECRET"]),
        ({"RQS_API_URL": "http://127.0.0.1:1", "RQS_CLIENT_KEY": "k"}, ["RQS_CLIENT_SECRET"]),
        ({"RQS_CLIENT_KEY": "k", "RQS_CLIENT_SECRET": "secret-value"}, ["RQS_API_URL"]),
        (
            {"RQS_API_URL": "http://127.0.0.1:1", "RQS_CLIENT_SECRET": "secret-value"},
            ["RQS_CLIENT_KEY"],
        ),
    ],
)
def test_missing_variables_are_named(
    clean_env: pytest.MonkeyPatch, present: dict, missing: list[str]
) -> None:
    for name, value in present.items():
        clean_env.setenv(name, value)
    with pytest.raises(rqs.ConfigurationError) as caught:
        rqs.RQSClient()
    message = str(caught.value)
    for name in missing:
        assert name in message
    for name in set(present) - {"RQS_API_URL"}:
        assert name not in message
    assert "secret-value" not in message
    assert isinstance(caught.value, rqs.RQSError)


def test_rejects_a_url_that_is_not_http(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(rqs.ConfigurationError, match="RQS_API_URL must be an http"):
        rqs.RQSClient("ftp://example.org", "k", "s")


def test_a_job_token_needs_no_key_or_secret(
    fake: FakePlatform, clean_env: pytest.MonkeyPatch
) -> None:
    fake.valid_tokens.add("clt.job")
    fake.route("POST", "/v2/vce/query/", sample([{"id": 5}]))
    clean_env.setenv("RQS_API_URL", fake.url)
    clean_env.setenv("RQS_ACCESS_TOKEN", "clt.job")
    client = rqs.RQSClient()
    assert client.query("video", fields="id") == [{"id": 5}]
    assert fake.requests_to("/v2/oauth/token/") == []
    assert fake.seen[0].headers["Authorization"] == "Bearer clt.job"


# -- sign-in and token cache ----------------------------------------------------------


def test_signs_in_lazily_once_and_reuses_the_token(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    fake.route("POST", "/v2/vce/query/", sample([{"id": 1}]))
    assert fake.seen == []  # nothing sent by the constructor
    client.query("video", fields="id")
    client.query("video", fields="id")
    tokens = fake.requests_to("/v2/oauth/token/")
    assert len(tokens) == 1
    assert tokens[0].headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert tokens[0].form() == {
        "client_key": fake.client_key,
        "client_secret": fake.client_secret,
        "grant_type": "client_credentials",
    }
    queries = fake.requests_to("/v2/vce/query/")
    assert [q.headers["Authorization"] for q in queries] == ["Bearer clt.token-1"] * 2


def test_refreshes_the_token_60_seconds_before_it_expires(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    now = [1000.0]
    client._clock = lambda: now[0]
    fake.route("GET", "/v2/vce/quota/", ok(QUOTA))
    client.get_quota()
    now[0] += 7200 - 61
    client.get_quota()
    assert fake.issued == 1
    now[0] += 2  # 59 s before expiry
    client.get_quota()
    assert fake.issued == 2
    assert fake.seen[-1].headers["Authorization"] == "Bearer clt.token-2"


def test_short_lived_tokens_are_replaced_halfway(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.expires_in = 10
    now = [0.0]
    client._clock = lambda: now[0]
    fake.route("GET", "/v2/vce/quota/", ok(QUOTA))
    client.get_quota()
    now[0] = 4.9
    client.get_quota()
    now[0] = 5.0
    client.get_quota()
    assert fake.issued == 2


def test_signs_in_again_once_after_a_401(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route("GET", "/v2/vce/quota/", ok(QUOTA))
    client.get_quota()
    fake.revoke_tokens()  # e.g. the platform restarted
    assert client.get_quota() == QUOTA
    assert fake.issued == 2
    assert [s.path for s in fake.seen] == [
        "/v2/oauth/token/",
        "/v2/vce/quota/",
        "/v2/vce/quota/",
        "/v2/oauth/token/",
        "/v2/vce/quota/",
    ]


def test_a_second_401_is_an_authentication_error(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route(
        "GET", "/v2/vce/quota/", fail(401, "access_token_invalid", "The access token has expired.")
    )
    with pytest.raises(rqs.AuthenticationError) as caught:
        client.get_quota()
    assert caught.value.status == 401
    assert caught.value.code == "access_token_invalid"
    assert "expired" in str(caught.value)
    assert fake.issued == 2
    assert len(fake.requests_to("/v2/vce/quota/")) == 2


def test_a_refused_job_token_is_not_retried(
    fake: FakePlatform, clean_env: pytest.MonkeyPatch
) -> None:
    client = rqs.RQSClient(fake.url, access_token="clt.expired-job-token")
    with pytest.raises(rqs.AuthenticationError, match="RQS_ACCESS_TOKEN") as caught:
        client.get_quota()
    assert "clt.expired-job-token" not in str(caught.value)
    assert len(fake.seen) == 1


def test_wrong_credentials(fake: FakePlatform) -> None:
    client = rqs.RQSClient(fake.url, fake.client_key, "wrong-secret-123456", timeout=2)
    with pytest.raises(rqs.AuthenticationError) as caught:
        client.query("video", fields="id")
    error = caught.value
    assert error.code == "invalid_client" and error.status == 401
    text = str(error)
    assert "Client key or secret is incorrect." in text
    assert "RQS_CLIENT_KEY" in text and "RQS_CLIENT_SECRET" in text and fake.client_key in text
    assert "wrong-secret-123456" not in text + repr(error)
    assert fake.requests_to("/v2/vce/query/") == []


def test_flat_oauth_error_body(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.token_reply = Reply(
        400,
        {"error": "invalid_request", "error_description": "Client secret is missed in request."},
    )
    with pytest.raises(rqs.AuthenticationError, match="Client secret is missed") as caught:
        client.get_quota()
    assert caught.value.code == "invalid_request"


def test_concurrent_calls_share_one_sign_in(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route("GET", "/v2/vce/quota/", ok(QUOTA))
    errors: list[BaseException] = []

    def call() -> None:
        try:
            client.get_quota()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert fake.issued == 1
    assert len(fake.requests_to("/v2/vce/quota/")) == 8


# -- query ------------------------------------------------------------------------------


def test_query_sends_the_seed_body_and_returns_a_query_result(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    records = [{"display_name": "Ana", "video_description": "hi", "create_time": 1, "id": 7}]
    fake.route("POST", "/v2/vce/query/", sample(records))
    data = client.query(
        category="video",
        condition_groups=SEED_GROUPS,
        fields="display_name,video_description,create_time,id",
        limit=10,
    )
    sent = fake.requests_to("/v2/vce/query/")[0]
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.json() == {
        "category": "video",
        "condition_groups": SEED_GROUPS,
        "fields": "display_name,video_description,create_time,id",
        "limit": 10,
    }
    assert isinstance(data, rqs.QueryResult) and isinstance(data, list)
    assert data == records
    assert data.quota == QUOTA
    assert data.category == "video"
    assert data.fields == ["display_name", "video_description", "create_time", "id"]
    assert data.log_id == "20261125050000AB12CD34EF56"


def test_query_defaults_and_a_list_of_fields(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route("POST", "/v2/vce/query/", sample([]))
    result = client.query(
        "video", fields=["id", "like_count"], start_date="20240601", end_date="20240630"
    )
    assert fake.seen[-1].json() == {
        "category": "video",
        "condition_groups": [],
        "fields": ["id", "like_count"],
        "limit": 100,  # docs/research/vce-sdk.md: test-stage default limit 100
        "start_date": "20240601",
        "end_date": "20240630",
    }
    assert result == [] and result.fields == ["id", "like_count"]


def test_query_without_fields_leaves_them_to_the_platform(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    fake.route(
        "POST",
        "/v2/vce/query/",
        fail(
            400,
            "invalid_params",
            "The query is not valid: fields is required.",
            {"problems": [{"field": "fields", "message": "fields is required."}]},
        ),
    )
    with pytest.raises(rqs.ValidationError) as caught:
        client.query("video")
    assert "fields" not in fake.seen[-1].json()
    assert caught.value.field == "fields"


def test_validation_error_carries_field_operation_value(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    problem = {
        "field": "condition_groups[0].conditions[0].operator",
        "operation": "BETWEEN",
        "value": "BETWEEN",
        "message": '"BETWEEN" is not an operation; the operations are '
        "EQ, IN, GT, GTE, LT, LTE, LIKE, CONTAINS (any case).",
    }
    second = {"field": "limit", "value": 0, "message": "limit 0 is not allowed."}
    fake.route(
        "POST",
        "/v2/vce/query/",
        fail(
            400,
            "invalid_params",
            "The query is not valid: " + problem["message"] + " " + second["message"],
            {"problems": [problem, second]},
        ),
    )
    with pytest.raises(rqs.ValidationError) as caught:
        client.query("video", fields="id")
    error = caught.value
    assert (error.field, error.operation, error.value) == (problem["field"], "BETWEEN", "BETWEEN")
    assert error.problems == [problem, second]
    assert error.status == 400 and error.code == "invalid_params"
    assert "BETWEEN" in str(error) and "20261125050000FFFFFFFFFFFF" in str(error)


def test_quota_exceeded(fake: FakePlatform, client: rqs.RQSClient) -> None:
    quota = dict(QUOTA, used=4990, remaining=10)
    fake.route(
        "POST",
        "/v2/vce/query/",
        fail(
            429,
            "daily_quota_limit_exceeded",
            "The API daily quota limit exceeded.",
            {"quota": quota},
        ),
    )
    with pytest.raises(rqs.QuotaExceededError) as caught:
        client.query("video", fields="id", limit=100)
    error = caught.value
    assert error.remaining == 10
    assert error.resets_at == "2026-11-26T00:00:00Z"
    assert error.quota == quota
    assert "10" in str(error) and "2026-11-26T00:00:00Z" in str(error)
    assert error.status == 429


def test_quota_message_already_naming_both_is_kept(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    quota = dict(QUOTA, used=5000, remaining=0)
    message = (
        "this query would return 5 records but 0 of today's 5,000 remain; "
        "the quota resets at 2026-11-26T00:00:00Z."
    )
    fake.route(
        "POST", "/v2/vce/query/", fail(429, "daily_quota_limit_exceeded", message, {"quota": quota})
    )
    with pytest.raises(rqs.QuotaExceededError) as caught:
        client.query("video", fields="id", limit=5)
    assert caught.value.message == message
    assert caught.value.remaining == 0


def test_other_client_errors_keep_the_envelope(fake: FakePlatform, client: rqs.RQSClient) -> None:
    with pytest.raises(rqs.RQSError) as caught:
        client.check_query_task_status("qt_missing")
    error = caught.value
    assert type(error) is rqs.RQSError
    assert (error.status, error.code) == (404, "not_found")


# -- platform unavailable --------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_platform_unavailable(
    fake: FakePlatform, client: rqs.RQSClient, status: int
) -> None:
    fake.route(
        "POST", "/v2/vce/query/", fail(status, "data_unavailable", "No public data set is loaded.")
    )
    with pytest.raises(rqs.PlatformUnavailableError) as caught:
        client.query("video", fields="id")
    text = str(caught.value)
    assert (
        fake.url in text and "No public data set is loaded." in text and "Try again later" in text
    )
    assert caught.value.status == status


def test_5xx_without_a_json_body(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route("GET", "/v2/vce/quota/", Reply(502, raw=b"<html>Bad gateway</html>"))
    with pytest.raises(rqs.PlatformUnavailableError, match="HTTP 502"):
        client.get_quota()


def test_connection_refused(clean_env: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = rqs.RQSClient(f"http://127.0.0.1:{port}", "k", "secret-value-xyz", timeout=2)
    with pytest.raises(rqs.PlatformUnavailableError) as caught:
        client.query("video", fields="id")
    text = str(caught.value)
    assert f"http://127.0.0.1:{port}" in text
    assert "connection refused" in text.lower()
    assert "RQS_API_URL" in text
    assert "secret-value-xyz" not in text + repr(caught.value)


def test_timeout(fake: FakePlatform) -> None:
    client = rqs.RQSClient(fake.url, fake.client_key, fake.client_secret, timeout=0.3)
    fake.route("POST", "/v2/vce/query/", Reply(200, {"data": {"records": []}}, delay=1.5))
    with pytest.raises(rqs.PlatformUnavailableError) as caught:
        client.query("video", fields="id")
    text = str(caught.value)
    assert fake.url in text
    assert "timed out" in text or "no answer within 0.3 s" in text


def test_a_200_that_is_not_json(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route("GET", "/v2/vce/quota/", Reply(200, raw=b"not json"))
    with pytest.raises(rqs.RQSError, match="not JSON"):
        client.get_quota()


def test_loopback_ignores_proxy_variables(
    fake: FakePlatform, client: rqs.RQSClient, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    clean_env.setenv("http_proxy", "http://127.0.0.1:9")
    fake.route("GET", "/v2/vce/quota/", ok(QUOTA))
    proxied = rqs.RQSClient(fake.url, fake.client_key, fake.client_secret, timeout=2)
    assert proxied.get_quota() == QUOTA


# -- the secret ------------------------------------------------------------------------------


def test_the_secret_never_appears(fake: FakePlatform, client: rqs.RQSClient) -> None:
    secret = fake.client_secret
    assert secret not in repr(client) and secret not in str(client)
    # a platform that echoes the secret in an error message
    fake.token_reply = fail(
        401, "invalid_client", f"Client key or secret is incorrect: got {secret}."
    )
    with pytest.raises(rqs.AuthenticationError) as caught:
        client.get_quota()
    assert secret not in str(caught.value) and secret not in repr(caught.value)
    assert secret not in caught.value.message
    assert "***" in str(caught.value)
    fake.token_reply = None
    fake.route("GET", "/v2/vce/quota/", fail(503, "internal_error", f"failed for {secret}"))
    with pytest.raises(rqs.PlatformUnavailableError) as caught_5xx:
        client.get_quota()
    assert secret not in str(caught_5xx.value)
    problems = {"problems": [{"field": "x", "message": "m"}]}
    fake.route("GET", "/v2/vce/me/", fail(400, "invalid_params", f"bad {secret}", problems))
    with pytest.raises(rqs.ValidationError) as caught_400:
        client.me()
    assert secret not in str(caught_400.value)
    # the token is not in the client's repr either
    assert "clt.token" not in repr(client)


# -- execution stage paging ------------------------------------------------------------------


def _pager(total: int) -> tuple[list[dict], callable]:
    records = [{"id": i} for i in range(1, total + 1)]

    def handler(seen: Seen) -> Reply:
        body = seen.json()
        size = body.get("limit", 1000)
        start = int(body["cursor"]) if body.get("cursor") else 0
        page = records[start : start + size]
        more = start + size < total
        return ok(
            {
                "category": "video",
                "records": page,
                "count": len(page),
                "cursor": str(start + size) if more else None,
                "has_more": more,
            }
        )

    return records, handler


def test_iter_query_follows_the_cursor(fake: FakePlatform, client: rqs.RQSClient) -> None:
    records, handler = _pager(25)
    fake.route("POST", "/v2/vce/query/", handler)
    assert list(client.iter_query("video", fields="id", page_size=10)) == records
    bodies = [s.json() for s in fake.requests_to("/v2/vce/query/")]
    assert [b.get("cursor") for b in bodies] == [None, "10", "20"]
    assert all(b["limit"] == 10 for b in bodies)


def test_iter_query_pages_and_query_all(fake: FakePlatform, client: rqs.RQSClient) -> None:
    records, handler = _pager(7)
    fake.route("POST", "/v2/vce/query/", handler)
    pages = list(client.iter_query_pages("video", fields="id", page_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [p.has_more for p in pages] == [True, True, False]
    everything = client.query_all("video", fields="id", page_size=3)
    assert everything == records and everything.has_more is False and everything.cursor is None


def test_iter_query_without_page_size_leaves_the_platform_default(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    records, handler = _pager(3)
    fake.route("POST", "/v2/vce/query/", handler)
    assert list(client.iter_query("video", fields="id")) == records
    assert "limit" not in fake.seen[-1].json()


def test_iter_query_in_the_test_stage_yields_the_sample_once(
    fake: FakePlatform, client: rqs.RQSClient
) -> None:
    fake.route("POST", "/v2/vce/query/", sample([{"id": 3}, {"id": 1}]))
    assert list(client.iter_query("video", fields="id", page_size=2)) == [{"id": 3}, {"id": 1}]
    assert len(fake.requests_to("/v2/vce/query/")) == 1


# -- tasks ----------------------------------------------------------------------------------------


def test_task_methods(fake: FakePlatform, client: rqs.RQSClient) -> None:
    task = {
        "task_id": "qt_1",
        "status": "Completed",
        "created_at": "t0",
        "updated_at": "t1",
        "count": 3,
    }
    fake.route("POST", "/v2/vce/query_tasks/", ok({"task_id": "qt_1", "status": "Created"}))
    fake.route("GET", "/v2/vce/query_tasks/qt_1/", ok(task))
    fake.route("POST", "/v2/vce/query_tasks/qt_1/cancel/", ok(dict(task, status="Cancelled")))

    def result(seen: Seen) -> Reply:
        cursor = seen.query.get("cursor", [None])[0]
        if cursor is None:
            return ok(
                {
                    "task_id": "qt_1",
                    "category": "video",
                    "records": [{"id": 1}, {"id": 2}],
                    "count": 2,
                    "cursor": "c2",
                    "has_more": True,
                }
            )
        return ok(
            {
                "task_id": "qt_1",
                "category": "video",
                "records": [{"id": 3}],
                "count": 1,
                "cursor": None,
                "has_more": False,
            }
        )

    fake.route("GET", "/v2/vce/query_tasks/qt_1/result/", result)

    task_id = client.create_query_task(
        "video", SEED_GROUPS, "id", limit=3, start_date="20240601", end_date="20240630"
    )
    assert task_id == "qt_1"
    assert fake.seen[-1].json() == {
        "category": "video",
        "condition_groups": SEED_GROUPS,
        "fields": "id",
        "limit": 3,
        "start_date": "20240601",
        "end_date": "20240630",
    }
    assert client.check_query_task_status("qt_1") == "Completed"
    assert client.wait_for_query_task("qt_1", timeout=1) == task
    page = client.get_query_task_result("qt_1", page_size=2)
    assert fake.seen[-1].query == {"page_size": ["2"]}
    assert page["records"] == [{"id": 1}, {"id": 2}] and isinstance(
        page["records"], rqs.QueryResult
    )
    assert (page["task_id"], page["count"], page["cursor"], page["has_more"]) == (
        "qt_1",
        2,
        "c2",
        True,
    )
    page2 = client.get_query_task_result("qt_1", cursor=page["cursor"], page_size=2)
    assert fake.seen[-1].query == {"page_size": ["2"], "cursor": ["c2"]}
    assert page2["has_more"] is False
    assert list(client.iter_query_task_result("qt_1", page_size=2)) == [
        {"id": 1},
        {"id": 2},
        {"id": 3},
    ]
    assert client.cancel_query_task("qt_1")["status"] == "Cancelled"
    assert "limit" not in _create_body(client, fake)


def _create_body(client: rqs.RQSClient, fake: FakePlatform) -> dict:
    client.create_query_task("video", fields="id")
    return fake.seen[-1].json()


def test_wait_for_a_failed_task(fake: FakePlatform, client: rqs.RQSClient) -> None:
    states = iter(["Created", "Validating", "Processing", "AnalysisFailed"])

    def status(_seen: Seen) -> Reply:
        state = next(states)
        view = {"task_id": "qt_2", "status": state, "created_at": "t0", "updated_at": "t1"}
        if state == "AnalysisFailed":
            view["error"] = {
                "code": "daily_quota_limit_exceeded",
                "message": "The task would return 10 records but 5 remain.",
            }
        return ok(view)

    fake.route("GET", "/v2/vce/query_tasks/qt_2/", status)
    with pytest.raises(rqs.QueryTaskError) as caught:
        client.wait_for_query_task("qt_2", timeout=5, poll_interval=0.01)
    error = caught.value
    assert error.task_status == "AnalysisFailed" and error.task_id == "qt_2"
    assert error.code == "daily_quota_limit_exceeded"
    assert "5 remain" in str(error)


def test_wait_for_a_task_gives_up(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route("GET", "/v2/vce/query_tasks/qt_3/", ok({"task_id": "qt_3", "status": "Processing"}))
    with pytest.raises(rqs.PlatformUnavailableError, match="still Processing"):
        client.wait_for_query_task("qt_3", timeout=0.05, poll_interval=0.01)


def test_cancel_a_finished_task(fake: FakePlatform, client: rqs.RQSClient) -> None:
    fake.route(
        "POST",
        "/v2/vce/query_tasks/qt_4/cancel/",
        fail(409, "task_not_finished", "Task qt_4 is already Completed."),
    )
    with pytest.raises(rqs.RQSError) as caught:
        client.cancel_query_task("qt_4")
    assert (caught.value.status, caught.value.code) == (409, "task_not_finished")


@pytest.mark.parametrize("bad", ["", "a/b", ".."])
def test_task_ids_cannot_escape_the_route(client: rqs.RQSClient, bad: str) -> None:
    with pytest.raises(ValueError, match="not a task_id"):
        client.check_query_task_status(bad)


def test_task_statuses_are_the_documented_six() -> None:
    assert rqs.TASK_STATUSES == (
        "Created",
        "Validating",
        "Processing",
        "Completed",
        "AnalysisFailed",
        "Cancelled",
    )


def test_in_ipython_an_sdk_error_shows_the_cells_line_not_the_sdks(
    fake: FakePlatform, client: rqs.RQSClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """IPython always shows the frame that raised (the SDK's); the handler drops the SDK's frames."""
    from IPython.core.interactiveshell import InteractiveShell

    from pyrqs import notebook_errors

    fake.route(
        "POST",
        "/v2/vce/query/",
        fail(400, "invalid_params", "The query is not valid: fields is required."),
    )
    shell = InteractiveShell.instance()
    try:
        assert notebook_errors.install(shell)
        shell.user_ns["client"] = client
        shell.colors = "nocolor"
        shell.run_cell('client.query("video")')
        shown = capsys.readouterr().out
        assert "ValidationError" in shown
        assert "fields is required" in shown
        assert 'client.query("video")' in shown
        assert "rqs.py" not in shown and "_call" not in shown
    finally:
        InteractiveShell.clear_instance()
