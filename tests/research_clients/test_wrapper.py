"""TikTok's own wrapper, PyPI ``TikTokResearchApi==1.0.4`` (module ``tiktok_research_api``).

Pointed at the stand-in by a subclass that sets ``self.url`` before the constructor's
token request (:func:`address.wrapper_to`); nothing else changed. Its crawl: a video
query over 45 days, which it cuts into 30-day windows itself (``api.py`` L104-122),
paging with ``cursor`` and ``search_id`` (L170-178); comments of a few videos; the user
info of every creator it found.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import Any

import oracle
import pytest
import requests
import server
from address import wrapper_to
from tiktok_research_api import (
    Criteria,
    Query,
    QueryUserInfoRequest,
    QueryVideoCommentsRequest,
    QueryVideoRequest,
    TikTokResearchAPI,
)

CLIENT = "TikTokResearchApi 1.0.4"
REGIONS = ["US", "BR"]
START, END = "20260801", "20260914"  # 45 days: two windows of the wrapper's (30 + 15)
FIELDS = "id,create_time,region_code,username,video_description,like_count"


def api_of(stand_in: server.StandIn) -> TikTokResearchAPI:
    # qps is the wrapper's own client-side limiter (default 10 a second).
    return wrapper_to(stand_in.base)(server.CLIENT_KEY, server.CLIENT_SECRET, qps=100)


def crawl_videos(api: TikTokResearchAPI) -> list[dict[str, Any]]:
    request = QueryVideoRequest(
        query=Query(and_criteria=[Criteria("IN", "region_code", REGIONS)]),
        start_date=START,
        end_date=END,
        max_count=20,
        fields=FIELDS,
    )
    videos, *_ = api.query_videos(request, fetch_all_pages=True)
    return videos


def expected_videos(db: sqlite3.Connection, start: str = START, end: str = END) -> set[int]:
    first, after = oracle.day_bounds(start, end)
    return oracle.ids(
        db,
        "SELECT id FROM videos WHERE region_code IN (?, ?) AND create_time >= ? AND create_time < ?",
        *REGIONS,
        first,
        after,
    )


def crawl_comments(api: TikTokResearchAPI, video_id: int) -> list[dict[str, Any]]:
    request = QueryVideoCommentsRequest(
        video_id=video_id, max_count=20, fields="id,video_id,parent_comment_id"
    )
    comments, _cursor, _has_more = api.query_video_comments(request, fetch_all_pages=True)
    return comments


def test_video_crawl_collects_exactly_the_matching_videos(
    clean: server.StandIn, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    videos = crawl_videos(api_of(clean))
    ids = [video["id"] for video in videos]
    collected(CLIENT, "clean", "videos", len(ids))
    assert all(isinstance(i, int) for i in ids), "ids are JSON numbers"
    assert len(ids) == len(set(ids)), "no video twice"
    expected = expected_videos(db)
    assert len(expected) > 40, "the query spans several pages of 20"
    assert set(ids) == expected
    rows = oracle.video_rows(db, expected)
    for video in videos:
        row = rows[video["id"]]
        assert (video["create_time"], video["region_code"], video["username"]) == (
            row["create_time"],
            row["region_code"],
            row["username"],
        )


def test_comment_crawl_collects_every_comment_of_each_video(
    clean: server.StandIn, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    api = api_of(clean)
    chosen = oracle.most_commented(db)
    total = 0
    for video_id in chosen:
        comments = crawl_comments(api, video_id)
        total += len(comments)
        ids = [comment["id"] for comment in comments]
        assert len(ids) == len(set(ids))
        assert set(ids) == oracle.comment_ids(db, video_id)
        assert {comment["video_id"] for comment in comments} == {video_id}
    collected(CLIENT, "clean", "comments", total)
    assert total > 3 * 20, "several pages of 20"


def test_user_info_of_every_creator(
    clean: server.StandIn, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    api = api_of(clean)
    marks = ",".join(str(i) for i in sorted(expected_videos(db)))
    usernames = sorted(
        row[0] for row in db.execute(f"SELECT DISTINCT username FROM videos WHERE id IN ({marks})")
    )
    found = 0
    for username in usernames:
        info = api.query_user_info(QueryUserInfoRequest(username))
        row = oracle.user_row(db, username)
        assert row is not None
        assert info is not None, username
        found += 1
        assert {key: info.get(key) for key in oracle.expected_user_info(row)} == (
            oracle.expected_user_info(row)
        )
    collected(CLIENT, "clean", "users", found)
    assert found == len(usernames) > 10


# --- Faults (server-mock/README.md § Faults on a switch) ------------------------------------
# api.py L144-157: any answer whose error.code is not "ok" (400, 429, 500 alike) is retried
# after time.sleep(1), the same body again, up to 60 times; then the whole query gives up.
# L213-217: comments (and user info, L197-198) are never retried: any error returns nothing.

Faulty = Callable[[dict[str, Any]], server.StandIn]


#: Spurious errors of every kind the wrapper retries, on the video query; the seed draws a few
#: (each retry sleeps 1 s).
TRANSIENT = (
    {"kind": "internal_error", "probability": 0.15},
    {"kind": "search_id_expired", "probability": 0.15},
    {"kind": "invalid_count_or_cursor", "probability": 0.15},
    {"kind": "rate_limit", "probability": 0.15, "retry_after": 1},
)
TRANSIENT_SEED = 36


def test_video_crawl_survives_transient_errors(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(server.plan(*TRANSIENT, seed=TRANSIENT_SEED))
    ids = [video["id"] for video in crawl_videos(api_of(stand_in))]
    faults = served_faults(stand_in)
    collected(CLIENT, f"transient {faults}", "videos", len(ids))
    assert all(faults.values()), f"every kind drawn at least once: {faults}"
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_videos(db)


def served_faults(stand_in: server.StandIn) -> dict[str, int]:
    return {
        "500": stand_in.served("internal_error"),
        "search id": stand_in.served("invalid_params", "Search Id"),
        "cursor": stand_in.served("invalid_params", "Invalid count or cursor"),
        "429": stand_in.served("rate_limit_exceeded"),
    }


def test_video_crawl_gives_up_silently_on_a_date_range_that_always_fails(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    """The second 30-day window always 500s (tiktok-library#90): after 60 tries (about a
    minute) the wrapper stops the whole query and returns the first window's videos as if
    that were all (api.py L151-155, L180-181), with no error."""
    stand_in = faulty(
        server.plan({"kind": "internal_error", "date_ranges": [{"from": "20260831", "to": END}]})
    )
    ids = [video["id"] for video in crawl_videos(api_of(stand_in))]
    collected(CLIENT, "500 on the 2nd window, always", "videos", len(ids))
    assert stand_in.served("internal_error") == 60
    assert set(ids) == expected_videos(db, START, "20260830")
    assert set(ids) < expected_videos(db)


def test_video_crawl_keeps_nul_bytes_and_large_counts(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(
        server.plan({"kind": "nul_bytes", "probability": 0.5}, {"kind": "large_counts"})
    )
    videos = crawl_videos(api_of(stand_in))
    collected(CLIENT, "NUL bytes, counts > 2^32", "videos", len(videos))
    assert {video["id"] for video in videos} == expected_videos(db)
    assert any("\x00" in video.get("video_description", "") for video in videos)
    assert all(video["like_count"] >= 2**32 for video in videos)


def test_video_crawl_ends_silently_on_empty_results(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    """An empty page without an error (traktok#29) ends the window: nothing tells it apart."""
    stand_in = faulty(server.plan({"kind": "empty_results", "endpoints": ["video/query"]}))
    ids = [video["id"] for video in crawl_videos(api_of(stand_in))]
    collected(CLIENT, "empty results", "videos", len(ids))
    assert ids == [] and expected_videos(db)


def test_comments_of_a_refused_video_are_silently_empty(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    """The refusal is logged and the video's comments come back as [] (api.py L216-217), as
    for a video without comments; the other videos' comments are all there."""
    refused, *others = oracle.most_commented(db)
    stand_in = faulty(server.plan({"kind": "refuse_video_comments", "video_ids": [str(refused)]}))
    api = api_of(stand_in)
    assert crawl_comments(api, refused) == []
    total = 0
    for video_id in others:
        comments = crawl_comments(api, video_id)
        total += len(comments)
        assert {comment["id"] for comment in comments} == oracle.comment_ids(db, video_id)
    collected(CLIENT, "one video's comments refused", "comments", total)


#: A 500 on some comment pages; the seed lets the first pages through and fails a later one.
COMMENT_500 = ({"kind": "internal_error", "endpoints": ["video/comment/list"], "probability": 0.2},)
COMMENT_500_SEED = 1


def test_comment_crawl_drops_the_pages_it_had_on_an_error(
    faulty: Faulty, db: sqlite3.Connection
) -> None:
    """A 500 on a later comment page returns [] for the video: the pages before are lost."""
    video_id = oracle.most_commented(db)[0]
    stand_in = faulty(server.plan(*COMMENT_500, seed=COMMENT_500_SEED))
    comments = crawl_comments(api_of(stand_in), video_id)
    assert stand_in.served("internal_error") == 1
    assert comments == []


def test_comment_crawl_never_ends_on_a_null_cursor(faulty: Faulty, db: sqlite3.Connection) -> None:
    """cursor null with has_more true (C4D PR #105): the wrapper keeps the old cursor and sends
    the same page again, forever (api.py L224-227), piling up the same comments."""
    video_id = oracle.most_commented(db)[0]
    stand_in = faulty(server.plan({"kind": "null_comment_cursor"}))
    api = api_of(stand_in)
    outcome: dict[str, Any] = {}

    def crawl() -> None:
        try:
            outcome["comments"] = crawl_comments(api, video_id)
        except requests.RequestException as error:
            outcome["error"] = error

    thread = threading.Thread(target=crawl, daemon=True)
    thread.start()
    thread.join(3)  # the same crawl on a clean stand-in takes a fraction of a second
    assert thread.is_alive(), outcome
    # Killed, not stopped: a closing server would answer 503 to the request in flight, which the
    # wrapper reads as "no comments"; a dead one refuses the connection, which ends the loop.
    stand_in.process.kill()
    stand_in.process.wait()
    thread.join(10)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), requests.ConnectionError)


def test_user_info_of_a_refused_user_is_none_and_the_rest_go_on(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    marks = ",".join(str(i) for i in sorted(expected_videos(db)))
    usernames = sorted(
        row[0] for row in db.execute(f"SELECT DISTINCT username FROM videos WHERE id IN ({marks})")
    )[:5]
    stand_in = faulty(
        server.plan({"kind": "refuse_user", "usernames": usernames[:1], "reason": "cannot_return"})
    )
    api = api_of(stand_in)
    infos = [api.query_user_info(QueryUserInfoRequest(username)) for username in usernames]
    collected(CLIENT, "one user refused", "users", sum(info is not None for info in infos))
    assert infos[0] is None
    assert all(info is not None for info in infos[1:])


def test_token_error_at_200_raises(faulty: Faulty) -> None:
    """Bad credentials answered 200 with a flat error: the constructor raises (api.py L71-76)."""
    stand_in = faulty(server.plan({"kind": "token_error_200"}))
    with pytest.raises(Exception, match="error code=invalid_client"):
        wrapper_to(stand_in.base)(server.CLIENT_KEY, "not-the-secret")
