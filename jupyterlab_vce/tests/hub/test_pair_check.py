"""The token-route check: its classification (pure) and its call against the real stand-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from jupyterlab_vce.hub.pair_check import (
    Outcome,
    check_pair,
    classify,
    parse_retry_after,
    token_request_body,
    token_url,
)

from .conftest import KEY, SECRET, run
from .processes import StandIn, closed_port_url


def body(value: object) -> bytes:
    return json.dumps(value).encode()


def test_the_request_is_the_platforms_form() -> None:
    assert token_url("http://p:1/") == "http://p:1/v2/oauth/token/"
    assert parse_qs(token_request_body("k", "s&=x")) == {
        "client_key": ["k"],
        "client_secret": ["s&=x"],
        "grant_type": ["client_credentials"],
    }


def test_a_token_is_accepted() -> None:
    answer = body({"access_token": "clt.x", "expires_in": 7200, "token_type": "Bearer"})
    assert classify(200, answer).outcome is Outcome.ACCEPTED


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        # The stand-in's envelope (docs/contracts.md).
        (
            401,
            {
                "error": {
                    "code": "invalid_client",
                    "message": "Client key or secret is incorrect.",
                    "log_id": "20261206X",
                }
            },
        ),
        # The real platform's flat body; its status is not documented (research-api.md §1).
        (
            400,
            {"error": "invalid_client", "error_description": "Client key or secret is incorrect."},
        ),
        (401, None),
        (403, {"message": "forbidden"}),
    ],
)
def test_a_wrong_pair_is_rejected(status: int, answer: object) -> None:
    check = classify(status, body(answer) if answer is not None else b"")
    assert check.outcome is Outcome.REJECTED
    assert check.status == status


def test_the_platforms_words_and_log_id_are_kept_for_the_log() -> None:
    answer = {"error": {"code": "invalid_client", "message": "Wrong.", "log_id": "L1"}}
    check = classify(401, body(answer))
    assert check.describe() == "rejected, HTTP 401, invalid_client: Wrong., log_id L1"


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (500, b'{"error": {"code": "internal_error", "message": "boom"}}'),
        (502, b"<html>Bad gateway</html>"),
        (400, b'{"error": "invalid_request", "error_description": "Grant type is missed."}'),
        (200, b'{"no": "token"}'),
        (200, b"not json"),
        (302, b""),
    ],
)
def test_other_answers_are_platform_errors(status: int, answer: bytes) -> None:
    assert classify(status, answer).outcome is Outcome.PLATFORM_ERROR


def test_an_answered_error_keeps_the_platforms_message_for_the_page() -> None:
    answer = b'{"error": "invalid_request", "error_description": "Grant type is missed."}'
    check = classify(400, answer)
    assert (check.status, check.message) == (400, "Grant type is missed.")
    assert classify(502, b"<html>Bad gateway</html>").message == ""  # never a raw body


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("17", 17),
        (None, None),
        ("soon", None),
        ("0", 1),
        ("999999", 3600),  # capped at an hour
        ("Sun, 06 Dec 2026 12:00:30 GMT", 30),  # an HTTP date, from "now"
        ("Sun, 06 Dec 2026 11:00:00 GMT", 1),  # a date past: try now (1 s)
    ],
)
def test_429_is_rate_limited_for_as_long_as_retry_after_says(
    header: str | None, seconds: int | None
) -> None:
    now = datetime(2026, 12, 6, 12, 0, 0, tzinfo=UTC)
    answer = b'{"error": {"code": "rate_limit_exceeded", "message": "slow down"}}'
    check = classify(429, answer, header, now)
    assert check.outcome is Outcome.RATE_LIMITED
    assert (check.retry_after, check.message) == (seconds, "slow down")
    assert parse_retry_after(header, now) == seconds


def test_the_right_pair_on_the_stand_in(shared_standin: StandIn) -> None:
    check = run(check_pair(shared_standin.url, KEY, SECRET))
    assert check.outcome is Outcome.ACCEPTED


def test_a_wrong_secret_on_the_stand_in(shared_standin: StandIn) -> None:
    check = run(check_pair(shared_standin.url, KEY, SECRET + "x"))
    assert check.outcome is Outcome.REJECTED
    assert check.status == 401
    assert "invalid_client" in check.detail
    assert SECRET not in check.describe()


def test_an_unknown_key_on_the_stand_in(shared_standin: StandIn) -> None:
    assert run(check_pair(shared_standin.url, "nobody", SECRET)).outcome is Outcome.REJECTED


def test_a_closed_port_is_unreachable() -> None:
    check = run(check_pair(closed_port_url(), KEY, SECRET))
    assert check.outcome is Outcome.UNREACHABLE
    assert check.status is None
    assert SECRET not in check.describe()


def test_an_unknown_host_is_unreachable() -> None:
    check = run(check_pair("http://vce-platform.invalid", KEY, SECRET, timeout=5))
    assert check.outcome is Outcome.UNREACHABLE


def test_a_pair_refused_at_http_200_in_the_flat_body_is_rejected() -> None:
    # ResearchTikPy PR #28: the platform may answer a wrong pair at HTTP 200.
    answer = json.dumps(
        {"error": "invalid_client", "error_description": "Wrong.", "log_id": "L2"}
    ).encode()
    check = classify(200, answer)
    assert (check.outcome, check.detail, check.log_id) == (
        Outcome.REJECTED,
        "invalid_client: Wrong.",
        "L2",
    )
