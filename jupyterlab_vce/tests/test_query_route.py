"""``POST /vce/api/query``: the builder's preview, forwarded with the server's token."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from tornado.web import Application

from .conftest import Api, serve_platform
from .fake_platform import CLIENT_KEY, CLIENT_SECRET, LOG_ID, FakeHandler, FakePlatform

OK = {"code": "ok", "message": "", "log_id": LOG_ID}
QUOTA = {
    "day": "2026-11-25",
    "daily_limit": 5000,
    "used": 10,
    "remaining": 4990,
    "resets_at": "2026-11-26T00:00:00Z",
}
SEED_QUERY = {
    "category": "video",
    "condition_groups": [
        {
            "operator": "and",
            "conditions": [{"field": "like_count", "operator": "gte", "field_values": ["10"]}],
        }
    ],
    "fields": "display_name,video_description,create_time,id",
    "limit": 10,
}


@dataclass
class QueryPlatform(FakePlatform):
    """The fake platform plus ``POST /v2/vce/query/``; records what reached it."""

    received: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    answer: tuple[int, dict[str, Any]] | None = None

    def application(self) -> Application:
        app = super().application()
        app.add_handlers(r".*", [(r"/v2/vce/query/", QueryRoute, {"platform": self})])
        return app


class QueryRoute(FakeHandler):
    platform: QueryPlatform

    def post(self) -> None:
        token = self.request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.platform.valid_tokens:
            return self.answer(
                401,
                {"error": {"code": "access_token_invalid", "message": "expired", "log_id": LOG_ID}},
            )
        self.platform.received.append((json.loads(self.request.body), token))
        if self.platform.answer is not None:
            return self.answer(*self.platform.answer)
        records = [{"id": index, "display_name": f"u{index}"} for index in range(10)]
        self.answer(
            200,
            {
                "data": {"category": "video", "records": records, "count": 10, "quota": QUOTA},
                "error": OK,
            },
        )


@pytest.fixture
def fake_platform(jp_asyncio_loop: Any) -> Any:
    yield from serve_platform(QueryPlatform(), jp_asyncio_loop)


async def test_preview_forwards_the_sdk_body_with_the_servers_token(
    api: Api, fake_platform: QueryPlatform
) -> None:
    await api.sign_in(CLIENT_KEY, CLIENT_SECRET)
    status, body = await api.call("POST", "query", SEED_QUERY)
    assert status == 200
    assert body["data"]["count"] == 10
    assert body["data"]["quota"] == QUOTA
    assert fake_platform.received == [(SEED_QUERY, fake_platform.issued[-1])]
    assert not any(CLIENT_SECRET.encode() in sent for sent in api.bodies)


async def test_platform_refusals_pass_through_with_their_data(
    api: Api, fake_platform: QueryPlatform
) -> None:
    await api.sign_in(CLIENT_KEY, CLIENT_SECRET)
    problem = {
        "field": "condition_groups[0].conditions[0].field_values[0]",
        "message": "like_count takes integers",
    }
    problems = {"problems": [problem]}
    invalid = {"code": "invalid_params", "message": "The query is not valid", "log_id": LOG_ID}
    fake_platform.answer = (400, {"data": problems, "error": invalid})
    status, body = await api.call("POST", "query", SEED_QUERY)
    assert (status, body["error"]["code"], body["data"]) == (400, "invalid_params", problems)
    exceeded = {"code": "daily_quota_limit_exceeded", "message": "4990 remain", "log_id": LOG_ID}
    fake_platform.answer = (429, {"data": {"quota": QUOTA}, "error": exceeded})
    status, body = await api.call("POST", "query", SEED_QUERY)
    assert (status, body["error"]["code"], body["data"]["quota"]) == (
        429,
        "daily_quota_limit_exceeded",
        QUOTA,
    )


async def test_a_stale_token_is_replaced_once(api: Api, fake_platform: QueryPlatform) -> None:
    await api.sign_in(CLIENT_KEY, CLIENT_SECRET)
    fake_platform.revoke_tokens()
    status, _ = await api.call("POST", "query", SEED_QUERY)
    assert status == 200
    assert len(fake_platform.received) == 1


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ("not json", 400, "must be JSON"),
        ("[1]", 400, "JSON object"),
        (json.dumps({**SEED_QUERY, "cursor": "x"}), 400, "does not take: cursor"),
        (json.dumps({"fields": "x" * (1024 * 1024 + 1)}), 413, "larger than 1 MiB"),
    ],
)
async def test_bad_bodies_are_refused_before_the_platform(
    api: Api, fake_platform: QueryPlatform, body: str, status: int, message: str
) -> None:
    await api.sign_in(CLIENT_KEY, CLIENT_SECRET)
    code, answer = await api.call("POST", "query", body)
    assert code == status
    assert message in answer["error"]["message"]
    assert fake_platform.received == []


async def test_not_signed_in(api: Api, fake_platform: QueryPlatform) -> None:
    status, body = await api.call("POST", "query", SEED_QUERY)
    assert (status, body["error"]["code"]) == (401, "not_signed_in")
