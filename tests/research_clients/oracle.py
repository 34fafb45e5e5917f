"""The oracle: the stand-in's public data file, read directly with plain SQL.

Opened read-only. The Research API's rules, written here independently of the
stand-in's engine: ``create_time`` is UTC epoch seconds; ``start_date`` and
``end_date`` (``YYYYMMDD``) are whole UTC days, both included.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def connect(data_file: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{data_file}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    return db


def day_bounds(start_date: str, end_date: str) -> tuple[int, int]:
    """``[first second, first second after)`` of the UTC days ``start_date``..``end_date``."""
    start = datetime.strptime(start_date, "%Y%m%d").replace(tzinfo=UTC)
    end = datetime.strptime(end_date, "%Y%m%d").replace(tzinfo=UTC) + timedelta(days=1)
    return int(start.timestamp()), int(end.timestamp())


def ids(db: sqlite3.Connection, sql: str, *params: Any) -> set[int]:
    """The first column of every row of ``sql``, as a set of ints."""
    return {int(row[0]) for row in db.execute(sql, params)}


def video_rows(db: sqlite3.Connection, video_ids: set[int]) -> dict[int, sqlite3.Row]:
    marks = ",".join("?" * len(video_ids))
    rows = db.execute(f"SELECT * FROM videos WHERE id IN ({marks})", sorted(video_ids))
    return {row["id"]: row for row in rows}


def user_row(db: sqlite3.Connection, username: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()


def most_commented(db: sqlite3.Connection, n: int = 3) -> list[int]:
    """The ``n`` videos with the most comments (several pages each, in every client)."""
    rows = db.execute(
        "SELECT video_id FROM comments GROUP BY video_id ORDER BY count(*) DESC, video_id LIMIT ?",
        (n,),
    )
    return [row[0] for row in rows]


def comment_ids(db: sqlite3.Connection, video_id: int) -> set[int]:
    """Every comment of a video (top-level comments and replies)."""
    return ids(db, "SELECT id FROM comments WHERE video_id = ?", video_id)


#: User info fields every client asks for, as the API spells them, and the column
#: they come from; is_verified is a boolean in the API, 0/1 in the file.
USER_FIELDS = (
    "display_name",
    "bio_description",
    "avatar_url",
    "follower_count",
    "following_count",
    "likes_count",
    "video_count",
)


def expected_user_info(row: sqlite3.Row) -> dict[str, Any]:
    info = {field: row[field] for field in USER_FIELDS}
    info["is_verified"] = bool(row["is_verified"])
    return info
