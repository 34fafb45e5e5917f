"""ResearchTikPy, PyPI ``researchtikpy==0.2.2``.

Its functions post to literal URLs with ``requests.post`` / ``requests.Session()``: it
is pointed at the stand-in by mounting the rewriting adapter on every session made
while a crawl runs (:func:`address.every_session_to`); nothing else changed. It needs
``cachetools``, which it imports without declaring (pinned in requirements-clients.txt).
Its crawl: a region query over 30 days (``get_videos_query``, page 1 with
``search_id: null, cursor: 0``), the comments of a few videos, the user info of every
creator it found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import oracle
import pandas as pd
import pytest
import researchtikpy as rtk
import server
from address import every_session_to
from researchtikpy.query_lang import Condition, Fields, Operators, Query

CLIENT = "researchtikpy 0.2.2"
REGIONS = ["ID", "MX", "BR"]
START, END = "20260701", "20260730"


@pytest.fixture
def pointed(clean: server.StandIn) -> Iterator[str]:
    """The crawl's token, every session pointed at the clean stand-in meanwhile."""
    with every_session_to(clean.base):
        yield token_of()


def token_of() -> str:
    return rtk.get_access_token(server.CLIENT_KEY, server.CLIENT_SECRET)["access_token"]


def crawl_videos(token: str) -> pd.DataFrame:
    query = Query(and_=[Condition(Fields.region_code, Operators.isin, REGIONS)])
    return rtk.get_videos_query(query, token, START, END, total_max_count=10**6, max_count=20)


def expected_videos(db: sqlite3.Connection) -> set[int]:
    first, after = oracle.day_bounds(START, END)
    return oracle.ids(
        db,
        "SELECT id FROM videos WHERE region_code IN (?, ?, ?) "
        "AND create_time >= ? AND create_time < ?",
        *REGIONS,
        first,
        after,
    )


def test_video_crawl_collects_exactly_the_matching_videos(
    pointed: str, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    videos = crawl_videos(pointed)
    ids = [int(i) for i in videos["id"]]
    collected(CLIENT, "clean", "videos", len(ids))
    assert len(ids) == len(set(ids))
    expected = expected_videos(db)
    assert len(expected) > 40
    assert set(ids) == expected


def test_comment_crawl_collects_every_comment_of_each_video(
    pointed: str, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    chosen = oracle.most_commented(db)
    # Its input is a DataFrame of videos with an "id" column (a crawl's, as its docs show).
    videos = pd.DataFrame({"id": chosen, "username": ["-"] * len(chosen)})
    comments = rtk.get_video_comments(videos, pointed, max_count=20, verbose=False)
    collected(CLIENT, "clean", "comments", len(comments))
    for video_id in chosen:
        ids = [int(i) for i in comments[comments["video_id"] == video_id]["id"]]
        assert len(ids) == len(set(ids))
        assert set(ids) == oracle.comment_ids(db, video_id)
    assert len(comments) > 3 * 20, "several pages of 20"


def test_user_info_of_every_creator(
    pointed: str, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    marks = ",".join(str(i) for i in sorted(expected_videos(db)))
    usernames = sorted(
        row[0] for row in db.execute(f"SELECT DISTINCT username FROM videos WHERE id IN ({marks})")
    )
    users = rtk.get_users_info(usernames, pointed, verbose=False)
    collected(CLIENT, "clean", "users", len(users))
    assert len(users) == len(usernames) > 10
    assert "error" not in users.columns, "no user refused"
    for username, (_, info) in zip(usernames, users.iterrows(), strict=True):
        row = oracle.user_row(db, username)
        assert row is not None
        expected = oracle.expected_user_info(row)
        assert {key: info[key] for key in expected} == expected


# --- Faults (server-mock/README.md § Faults on a switch) ------------------------------------
# get_query.py L200-211: a page that is not 200 is sent again, with no cap; before that
# if_needed_log_failures_and_wait (L214-231) sleeps 10 s for a 429 rate_limit_exceeded, for a
# 400/500 whose message is one of four texts (L263-272: the stand-in's 500 says "Something went
# wrong. Please try again later.", one of them; so is "Invalid count or cursor") and for
# "Search Id … is invalid or expired" (L287-290); anything else raises ValueError.

Faulty = Callable[[dict[str, Any]], server.StandIn]


def crawl_on(stand_in: server.StandIn) -> pd.DataFrame:
    with every_session_to(stand_in.base):
        return crawl_videos(token_of())


#: Every error it retries, on the video query; the seed draws one of each (10 s sleep each).
TRANSIENT = (
    {"kind": "internal_error", "probability": 0.1, "endpoints": ["video/query"]},
    {"kind": "search_id_expired", "probability": 0.1},
    {"kind": "invalid_count_or_cursor", "probability": 0.1, "endpoints": ["video/query"]},
    {"kind": "rate_limit", "probability": 0.1, "retry_after": 1},
)
TRANSIENT_SEED = 109


def test_video_crawl_survives_transient_errors(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(server.plan(*TRANSIENT, seed=TRANSIENT_SEED))
    videos = crawl_on(stand_in)
    faults = {
        "500": stand_in.served("internal_error"),
        "search id": stand_in.served("invalid_params", "Search Id"),
        "cursor": stand_in.served("invalid_params", "Invalid count or cursor"),
        "429": stand_in.served("rate_limit_exceeded"),
    }
    collected(CLIENT, f"transient {faults}", "videos", len(videos))
    assert all(faults.values()), f"every kind drawn at least once: {faults}"
    ids = [int(i) for i in videos["id"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_videos(db)


def test_daily_quota_429_raises_value_error(faulty: Faulty) -> None:
    """The 429 that means the day is over is not rate_limit_exceeded (L234-239): ValueError."""
    stand_in = faulty(server.plan({"kind": "daily_quota"}))
    with pytest.raises(ValueError, match="daily_quota_limit_exceeded"):
        crawl_on(stand_in)


def test_video_crawl_keeps_nul_bytes_and_large_counts(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(server.plan({"kind": "nul_bytes"}, {"kind": "large_counts"}))
    videos = crawl_on(stand_in)
    collected(CLIENT, "NUL bytes, counts > 2^32", "videos", len(videos))
    assert {int(i) for i in videos["id"]} == expected_videos(db)
    assert videos["video_description"].str.contains("\x00", regex=False).any()
    assert (videos["like_count"].dropna() >= 2**32).all()


def test_video_crawl_ends_silently_on_empty_results(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(server.plan({"kind": "empty_results", "endpoints": ["video/query"]}))
    videos = crawl_on(stand_in)
    collected(CLIENT, "empty results", "videos", len(videos))
    assert len(videos) == 0 and expected_videos(db)


def test_comment_crawl_ignores_null_cursors_and_refusals(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    """It counts its own cursor (get_video_comments.py L33, L52), so a null cursor does not stop
    it; a refused video ends that video's loop (L57-60) and the next one is crawled."""
    videos_sql = (
        "SELECT video_id FROM comments GROUP BY video_id HAVING count(*) > 40 "
        "ORDER BY video_id LIMIT 3"
    )
    refused, *others = [row[0] for row in db.execute(videos_sql)]
    stand_in = faulty(
        server.plan(
            {"kind": "null_comment_cursor"},
            {"kind": "refuse_video_comments", "video_ids": [str(refused)]},
        )
    )
    with every_session_to(stand_in.base):
        frame = pd.DataFrame({"id": [refused, *others], "username": ["a", "b", "c"]})
        comments = rtk.get_video_comments(frame, token_of(), max_count=20, verbose=False)
    collected(CLIENT, "null comment cursor, one refusal", "comments", len(comments))
    assert (comments["video_id"] == refused).sum() == 0
    for video_id in others:
        ids = {int(i) for i in comments[comments["video_id"] == video_id]["id"]}
        assert ids == oracle.comment_ids(db, video_id)


def test_refused_user_becomes_an_error_row(faulty: Faulty, db: sqlite3.Connection) -> None:
    """A non-200 user answer is kept as {"username", "error"} (get_users_info.py L43-44)."""
    usernames = [row[0] for row in db.execute("SELECT username FROM users ORDER BY id LIMIT 3")]
    stand_in = faulty(server.plan({"kind": "refuse_user", "usernames": usernames[:1]}))
    with every_session_to(stand_in.base):
        users = rtk.get_users_info(usernames, token_of(), verbose=False)
    assert len(users) == 3
    assert users.iloc[0]["error"] == "Failed to retrieve data"
    assert users.iloc[1:]["error"].isna().all()


def test_token_error_at_200_is_a_key_error(faulty: Faulty) -> None:
    """Its PR #28: a 200 is read as a token (get_access_token.py L41-43): KeyError."""
    stand_in = faulty(server.plan({"kind": "token_error_200"}))
    with every_session_to(stand_in.base), pytest.raises(KeyError, match="access_token"):
        rtk.get_access_token(server.CLIENT_KEY, "not-the-secret")
