"""Bodies no route can use are refused with 400, never 500 (issue 18, defect 3).

Every POST route of the table is driven with bodies an attacker would send: JSON nested
10,000 and 100,000 deep (``json.loads`` raises ``RecursionError``), ``NaN``, bytes that are not UTF-8.
The routes that read a body answer 400 ``invalid_request`` without reaching the platform.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tornado.web import RequestHandler

from jupyterlab_vce.request_body import MAX_JSON_DEPTH, json_depth, parse_json
from jupyterlab_vce.routes import API_PREFIX, ROUTES

from .conftest import Api
from .fake_platform import FakePlatform

#: Far past Python's recursion limit (1,000), and small enough for every route's size
#: bound (a review decision takes 64 KiB).
DEEP = 10_000
DEEP_ARRAY = "[" * DEEP + "]" * DEEP
DEEP_OBJECT = '{"a":' * DEEP + "1" + "}" * DEEP
JOB = "job-1"

#: The POST routes that read a JSON body (the others take none: cancel, resubmit, saving
#: a review output).
BODY_ROUTES = [
    "session",
    "jobs",
    "test-runs",
    f"jobs/{JOB}/result/save",
    "query",
    f"review/jobs/{JOB}/decision",
]


def post_routes() -> list[str]:
    """Every route of the table with a ``post`` method, its job id and name filled in."""
    routes = []
    for pattern, handler, _ in ROUTES:
        if handler.post is RequestHandler.post:  # tornado's "405" stand-in: no POST
            continue
        route = pattern.removeprefix(f"{API_PREFIX}/")
        route = re.sub(r"\(\[\^/\]\+\)", "out.txt", route)
        routes.append(re.sub(r"\([^)]*\)", JOB, route))
    return routes


def test_the_body_routes_are_post_routes_of_the_table() -> None:
    assert set(BODY_ROUTES) <= set(post_routes())


@pytest.mark.parametrize("route", BODY_ROUTES)
@pytest.mark.parametrize(
    ("body", "says"),
    [
        (DEEP_ARRAY, f"more than {MAX_JSON_DEPTH} levels deep"),
        (DEEP_OBJECT, f"more than {MAX_JSON_DEPTH} levels deep"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "levels deep"),
        ('{"a": NaN}', "must be JSON"),
        (b'{"a": "\xff\xfe"}', "must be JSON"),
    ],
    ids=["deep-array", "deep-object", "one-level-too-deep", "nan", "not-utf-8"],
)
async def test_a_body_no_route_can_use_is_a_400(
    api: Api, fake_platform: FakePlatform, route: str, body: Any, says: str
) -> None:
    code, answer = await api.call("POST", route, body)
    assert code == 400, answer
    assert answer["error"]["code"] == "invalid_request"
    assert says in answer["error"]["message"]
    assert (fake_platform.token_requests, fake_platform.data_calls) == (0, [])


@pytest.mark.parametrize("route", post_routes())
async def test_no_post_route_answers_5xx_to_a_deep_body(api: Api, route: str) -> None:
    code, answer = await api.call("POST", route, "[" * 100_000 + "]" * 100_000)
    assert code < 500, answer
    assert set(answer) >= {"error"} or "data" in answer


def test_depth_is_measured_without_recursion() -> None:
    assert json_depth(1) == 0
    assert json_depth([]) == 1
    assert json_depth({"a": [{"b": []}]}) == 4
    value: Any = []
    for _ in range(DEEP):
        value = [value]
    assert json_depth(value) == DEEP + 1


def test_a_body_within_the_bound_is_read() -> None:
    body = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert json_depth(parse_json(body.encode(), "body")) == MAX_JSON_DEPTH
