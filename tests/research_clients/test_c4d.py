"""Cybersecurity for Democracy's helper, PyPI ``tiktok-research-api-helper==0.1.3``.

Pointed at the stand-in by the two ``requests.Session`` objects it takes
(``access_token_fetcher_session=``, ``api_request_session=``), each with the rewriting
adapter mounted (:func:`address.session_to`); nothing else changed. It sends its JSON
bodies as ``text/plain`` with ``"cursor": null, "search_id": null`` on page 1
(``api_client.py`` L241, L496-500). Its crawl: a hashtag query over 30 days
(``TikTokApiClient.fetch_all``), the comments of a few videos, the user info of every
creator it found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import oracle
import pytest
import server
from address import session_to
from tiktok_research_api_helper.api_client import (
    ApiClientConfig,
    ApiRateLimitError,
    ApiRejectedCredentialsError,
    ApiServerError,
    InvalidRequestError,
    TikTokApiClient,
    TikTokApiRequestClient,
    TikTokCredentials,
    VideoQueryConfig,
)
from tiktok_research_api_helper.query import Cond, Fields, Op, VideoQuery

CLIENT = "tiktok-research-api-helper 0.1.3"
HASHTAGS = ["fyp", "viral"]
START, END = date(2026, 9, 1), date(2026, 9, 30)


#: Options of TikTokApiRequestClient (the others are ApiClientConfig's).
REQUEST_CLIENT_OPTIONS = {"max_api_rate_limit_retries", "max_consecutive_request_error_retries"}


def api_of(stand_in: server.StandIn, **config: Any) -> TikTokApiClient:
    request_client = TikTokApiRequestClient(
        credentials=TikTokCredentials(
            client_key=server.CLIENT_KEY, client_secret=server.CLIENT_SECRET
        ),
        access_token_fetcher_session=session_to(stand_in.base),
        api_request_session=session_to(stand_in.base),
        **{k: v for k, v in config.items() if k in REQUEST_CLIENT_OPTIONS},
    )
    return TikTokApiClient(
        request_client=request_client,
        # The file is read only by TikTokApiClient.from_config, not used here.
        config=ApiClientConfig(
            api_credentials_file=Path("unused.yaml"),
            **{k: v for k, v in config.items() if k not in REQUEST_CLIENT_OPTIONS},
        ),
    )


def query_config(max_count: int = 20) -> VideoQueryConfig:
    return VideoQueryConfig(
        query=VideoQuery(and_=[Cond(Fields.hashtag_name, HASHTAGS, Op.IN)]),
        start_date=START,
        end_date=END,
        max_count=max_count,
    )


def crawl_videos(api: TikTokApiClient) -> list[dict[str, Any]]:
    return list(api.fetch_all(query_config()).videos)


def expected_videos(db: sqlite3.Connection) -> set[int]:
    first, after = oracle.day_bounds(START.strftime("%Y%m%d"), END.strftime("%Y%m%d"))
    return oracle.ids(
        db,
        "SELECT DISTINCT v.id FROM videos v JOIN video_hashtags h ON h.video_id = v.id "
        "WHERE h.hashtag_name IN (?, ?) AND v.create_time >= ? AND v.create_time < ?",
        *HASHTAGS,
        first,
        after,
    )


def crawl_comments(api: TikTokApiClient, video_id: int) -> list[dict[str, Any]]:
    return [c for response in api.fetch_video_comments(video_id) for c in response.comments]


def test_video_crawl_collects_exactly_the_matching_videos(
    clean: server.StandIn, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    api = api_of(clean)
    result = api.fetch_all(query_config())
    ids = [video["id"] for video in result.videos]
    collected(CLIENT, "clean", "videos", len(ids))
    assert all(isinstance(i, int) for i in ids)
    assert len(ids) == len(set(ids))
    expected = expected_videos(db)
    assert len(expected) > 40
    assert set(ids) == expected
    assert result.crawl.has_more is False
    rows = oracle.video_rows(db, expected)
    for video in result.videos:
        row = rows[video["id"]]
        assert (video["create_time"], video["username"]) == (row["create_time"], row["username"])


def test_comment_crawl_collects_every_comment_of_each_video(
    clean: server.StandIn, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    api = api_of(clean)
    total = 0
    for video_id in oracle.most_commented(db):
        comments = crawl_comments(api, video_id)
        total += len(comments)
        ids = [comment["id"] for comment in comments]
        assert len(ids) == len(set(ids))
        assert set(ids) == oracle.comment_ids(db, video_id)
    collected(CLIENT, "clean", "comments", total)
    assert total > 3 * 100, "several pages of 100 (its fixed max_count)"


def test_user_info_of_every_creator(
    clean: server.StandIn, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    api = api_of(clean)
    marks = ",".join(str(i) for i in sorted(expected_videos(db)))
    usernames = sorted(
        row[0] for row in db.execute(f"SELECT DISTINCT username FROM videos WHERE id IN ({marks})")
    )
    for username in usernames:
        response = api.fetch_user_info(username)
        assert response.error["code"] == "ok", (username, response.error)
        row = oracle.user_row(db, username)
        assert row is not None
        expected = oracle.expected_user_info(row)
        assert {key: response.user_info.get(key) for key in expected} == expected
    collected(CLIENT, "clean", "users", len(usernames))
    assert len(usernames) > 10


# --- Faults (server-mock/README.md § Faults on a switch) ------------------------------------
# api_client.py: 400 "Search Id … invalid or expired" / "Invalid count or cursor" are retried
# up to 5 times, 5·n s apart (L300-330); 500 and transport errors up to 5 times, 30-120 s
# apart (L595-608), then the crawl stops with what it had (L895-899); any 429 waits 4 hours
# or until the next UTC midnight, forever by default (L313-373, L634-639); other 400s raise.

Faulty = Callable[[dict[str, Any]], server.StandIn]


#: Spurious 400s after the first page; the seed draws one of each (5 s of its waits each).
SPURIOUS = (
    {"kind": "search_id_expired", "probability": 0.15},
    {"kind": "invalid_count_or_cursor", "probability": 0.15},
)
SPURIOUS_SEED = 21
#: One 500 (the seed draws exactly one): at least 30 s of this client's waits.
TRANSIENT_500 = ({"kind": "internal_error", "probability": 0.1, "endpoints": ["video/query"]},)
TRANSIENT_500_SEED = 5


def test_video_crawl_survives_spurious_search_id_and_cursor_errors(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(server.plan(*SPURIOUS, seed=SPURIOUS_SEED))
    ids = [video["id"] for video in crawl_videos(api_of(stand_in))]
    faults = {
        "search id": stand_in.served("invalid_params", "Search Id"),
        "cursor": stand_in.served("invalid_params", "Invalid count or cursor"),
    }
    collected(CLIENT, f"spurious 400 {faults}", "videos", len(ids))
    assert all(faults.values()), faults
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_videos(db)


def test_video_crawl_survives_a_transient_500(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    """One 500 costs this client at least 30 s (its retry waits, L603)."""
    stand_in = faulty(server.plan(*TRANSIENT_500, seed=TRANSIENT_500_SEED))
    ids = [video["id"] for video in crawl_videos(api_of(stand_in))]
    faults = stand_in.served("internal_error")
    collected(CLIENT, f"transient 500 x{faults}", "videos", len(ids))
    assert faults == 1
    assert set(ids) == expected_videos(db)


def test_persistent_500_stops_the_crawl_with_what_it_had(
    faulty: Faulty, db: sqlite3.Connection
) -> None:
    """A date range that always 500s: after its retries (here 1 try: the default 5 wait
    about 5 minutes) the crawl stops quietly (L895-899) with has_more still true, or raises
    ApiServerError when raise_error_on_persistent_api_server_error is set."""
    always = {"kind": "internal_error", "date_ranges": [{"from": "20260915", "to": "20260920"}]}
    stand_in = faulty(server.plan(always))
    quiet = api_of(stand_in, max_consecutive_request_error_retries=1)
    result = quiet.fetch_all(query_config())
    assert list(result.videos) == [] and result.crawl is None
    assert stand_in.served("internal_error") == 1
    loud = api_of(
        stand_in,
        max_consecutive_request_error_retries=1,
        raise_error_on_persistent_api_server_error=True,
    )
    with pytest.raises(ApiServerError):
        loud.fetch_all(query_config())
    assert expected_videos(db), "the range has videos: the crawl lost them"


def test_rate_limit_429_waits_hours_so_a_capped_crawl_raises(faulty: Faulty) -> None:
    """Any 429 (rate limit or daily quota alike) is ApiRateLimitError (L634-639): the client
    sleeps 4 hours (default) or until the next UTC midnight, ignoring Retry-After; with
    max_api_rate_limit_retries=1 it raises instead of sleeping."""
    stand_in = faulty(server.plan({"kind": "rate_limit", "retry_after": 1}))
    api = api_of(stand_in, max_api_rate_limit_retries=1)
    with pytest.raises(ApiRateLimitError):
        api.fetch_all(query_config())
    assert stand_in.served("rate_limit_exceeded") == 1


def test_video_crawl_strips_nul_bytes_and_keeps_large_counts(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(server.plan({"kind": "nul_bytes"}, {"kind": "large_counts"}))
    videos = crawl_videos(api_of(stand_in))
    collected(CLIENT, "NUL bytes, counts > 2^32", "videos", len(videos))
    assert {video["id"] for video in videos} == expected_videos(db)
    # NullByteRemovingJSONDencoder (L110-120) removes them from every string.
    assert not any("\x00" in video.get("video_description", "x") for video in videos)
    assert all(video["like_count"] >= 2**32 for video in videos if "like_count" in video)


def test_video_crawl_ends_silently_on_empty_results(
    faulty: Faulty, db: sqlite3.Connection, collected: Callable[..., None]
) -> None:
    stand_in = faulty(server.plan({"kind": "empty_results", "endpoints": ["video/query"]}))
    result = api_of(stand_in).fetch_all(query_config())
    collected(CLIENT, "empty results", "videos", len(result.videos))
    assert list(result.videos) == [] and expected_videos(db)


def test_refused_video_comments_abort_with_invalid_request_error(
    faulty: Faulty, db: sqlite3.Connection
) -> None:
    """ "The comments of this video are not allowed to be disclosed" (tiktok-library#104) is
    a 400 no regex of L641-673 knows: InvalidRequestError, which nothing catches."""
    refused = oracle.most_commented(db)[0]
    stand_in = faulty(server.plan({"kind": "refuse_video_comments", "video_ids": [str(refused)]}))
    with pytest.raises(InvalidRequestError, match="not allowed to be disclosed"):
        api_of(stand_in).fetch_video_comments(refused)


def test_null_comment_cursor_crashes_with_type_error(
    faulty: Faulty, db: sqlite3.Connection
) -> None:
    """cursor null with has_more (C4D's own PR #105, after 0.1.3): `cursor > 999` (L979)."""
    video_id = db.execute(
        "SELECT video_id FROM comments GROUP BY video_id HAVING count(*) > 100 LIMIT 1"
    ).fetchone()[0]
    stand_in = faulty(server.plan({"kind": "null_comment_cursor"}))
    with pytest.raises(TypeError, match="'>' not supported"):
        api_of(stand_in).fetch_video_comments(video_id)


def test_refused_users_are_kept_as_errors_and_the_crawl_goes_on(
    faulty: Faulty, db: sqlite3.Connection
) -> None:
    """'cannot find the user' and 'API cannot return this user's information' are caught
    (L651-662, L938-942); 'is private' is not one of them: InvalidRequestError."""
    marks = ",".join(str(i) for i in sorted(expected_videos(db)))
    usernames = sorted(
        row[0] for row in db.execute(f"SELECT DISTINCT username FROM videos WHERE id IN ({marks})")
    )[:4]
    stand_in = faulty(
        server.plan(
            {"kind": "refuse_user", "usernames": [usernames[0]], "reason": "cannot_return"},
            {"kind": "refuse_user", "usernames": [usernames[1]], "reason": "not_found"},
            {"kind": "refuse_user", "usernames": [usernames[2]], "reason": "private"},
        )
    )
    api = api_of(stand_in)
    assert api.fetch_user_info(usernames[0]).user_info is None
    assert api.fetch_user_info(usernames[1]).user_info is None
    with pytest.raises(InvalidRequestError, match="is private"):
        api.fetch_user_info(usernames[2])
    assert api.fetch_user_info(usernames[3]).error["code"] == "ok"


def test_token_error_at_200_raises_rejected_credentials(faulty: Faulty) -> None:
    """The flat invalid_client error at HTTP 200: ApiRejectedCredentialsError at once, no
    retries (L477-480; it reads the body whatever the status)."""
    stand_in = faulty(server.plan({"kind": "token_error_200"}))
    statuses: list[int] = []
    fetcher = session_to(stand_in.base)
    # Observes the token answers' status (a hook of the session we pass in; the client's own
    # code is untouched).
    fetcher.hooks["response"].append(lambda response, **_: statuses.append(response.status_code))
    with pytest.raises(ApiRejectedCredentialsError):
        TikTokApiRequestClient(
            credentials=TikTokCredentials(client_key=server.CLIENT_KEY, client_secret="wrong"),
            access_token_fetcher_session=fetcher,
            api_request_session=session_to(stand_in.base),
        )
    assert statuses == [200]
