#!/usr/bin/env python3
"""Writes fixture-data.json and queries.json.

The expected ids are computed here, in plain Python over the fixture, apart
from the TypeScript engine: the two implementations check each other.
Run: python3 make_vectors.py (deterministic; no dependencies).
"""

import calendar
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261125)


def day(y, m, d, hh=0, mm=0, ss=0):
    return calendar.timegm((y, m, d, hh, mm, ss))


REGIONS = ["US", "GB", "ID", "BR", "DE"]
users = []
for i in range(10):
    users.append(
        {
            "id": 6900000000000000 + i * 1000 + 7,
            "username": f"creator_{i}",
            "display_name": [
                "Ana Lima",
                "Ben Stone",
                "Chloe Martin",
                "Dewi Sari",
                "Emma Brown",
                "Felix Wolf",
                "Gabi Souza",
                "Hana Ito",
                "Ivan Petrov",
                "Julia Klein",
            ][i],
            "bio_description": f"Bio of creator {i}",
            "avatar_url": f"https://example.invalid/avatar/{i}.jpg",
            "bio_url": f"https://example.invalid/u/{i}",
            "is_verified": i % 3 == 0,
            "follower_count": [
                25000,
                30000,
                120000,
                26000,
                500000,
                40000,
                75000,
                25500,
                1000000,
                99999,
            ][i],
            "following_count": 10 * i,
            "likes_count": 1000 * (i + 1),
            "region_code": REGIONS[i % 5],
        }
    )

DESCRIPTIONS = [
    "Cooking pasta at home #cooking",
    "Dance challenge with friends",
    "My cat sleeps all day",
    "Travel vlog: Lisbon streets",
    "100% real cooking hack",
    "snake_case naming explained",
    "Quick recipe for dinner",
    "Morning routine and coffee",
    "Street food in Jakarta",
    "Guitar cover of a classic song",
    "Cat vs dog: who wins?",
    "50% off sale haul",
    "Learn Python in 60 seconds",
    "Sunset at the beach",
    "Dance tutorial step by step",
    "Homemade bread recipe",
    "Football skills training",
    "Makeup look for summer",
    "Reading my favourite books",
    "Cooking with kids is fun",
    "Mountain hike in the Alps",
    "DIY desk organiser",
    "Funny cat compilation",
    "Budget travel tips",
    "Pasta carbonara the real way",
    "Night city timelapse",
    "Yoga for beginners",
    "Piano practice session",
    "Weekend market finds",
    'Say "hello" to my new puppy',
]
TAGS = ["fyp", "cooking", "dance", "cat", "travel", "fypシ", "recipe", "music"]
EFFECTS = ["101", "202", "303", "404"]
LIKES = [
    0,
    5,
    9,
    10,
    11,
    100,
    1000,
    25,
    3,
    10,
    10000,
    42,
    7,
    12,
    99,
    10,
    0,
    250,
    8,
    15,
    60,
    10,
    2,
    33,
    500,
    11,
    9,
    77,
    1,
    1500,
]
DURATIONS = [5, 14, 15, 30, 60, 61, 120, 300, 301, 900]
TIMES = [
    day(2024, 6, 1),
    day(2024, 6, 1, 23, 59, 59),
    day(2024, 6, 2),
    day(2024, 6, 10, 12),
    day(2024, 6, 15),
    day(2024, 6, 30, 23, 59, 59),
    day(2024, 7, 1),
    day(2023, 12, 31, 23, 0),
    day(2024, 2, 29, 8),
    day(2025, 1, 1),
]

videos = []
for i in range(30):
    tags = sorted(set(rng.sample(TAGS, rng.randint(0, 3))))
    if "cooking" in DESCRIPTIONS[i].lower() and "cooking" not in tags:
        tags.append("cooking")
    effects = sorted(set(rng.sample(EFFECTS, rng.choice([0, 0, 1, 2]))))
    videos.append(
        {
            "id": 7100000000000000 + i * 100000 + 13,
            "user_id": users[i % 10]["id"],
            "create_time": TIMES[i % 10] + (i // 10) * 86400 * 3,
            "region_code": REGIONS[(i * 7) % 5],
            "video_description": DESCRIPTIONS[i],
            "voice_to_text": f"transcript {i}",
            "music_id": 7000000000000000 + (i % 4) * 1000,
            "playlist_id": None if i % 3 else 7400000000000000 + (i % 2) * 10,
            "like_count": LIKES[i],
            "comment_count": i % 7,
            "share_count": (i * 13) % 50,
            "view_count": LIKES[i] * 10 + i,
            "favorites_count": i,
            "video_duration": DURATIONS[i % 10],
            "is_stem_verified": i % 4 == 0,
            "hashtag_names": tags,
            "effect_ids": effects,
        }
    )

comments = []
for i in range(40):
    video = videos[i % 30]
    reply = i >= 30
    parent = comments[i - 30]["id"] if reply else video["id"]
    comments.append(
        {
            "id": 7300000000000000 + i * 10000 + 3,
            "video_id": comments[i - 30]["video_id"] if reply else video["id"],
            "text": ["Love this!", "So funny", "Where is this?", "Great recipe", "wow"][i % 5]
            + f" #{i}",
            "like_count": (i * 17) % 60,
            "reply_count": 1 if i < 10 else 0,
            "parent_comment_id": parent,
            "create_time": (comments[i - 30]["create_time"] if reply else video["create_time"])
            + 3600,
        }
    )

fixture = {"users": users, "videos": videos, "comments": comments}

# ---- an independent reference of the semantics (see README.md) ----
MID_DAY = 86400


def duration_bucket(s):
    return "SHORT" if s < 15 else "MID" if s <= 60 else "LONG" if s <= 300 else "EXTRA_LONG"


def time_range(v):
    if len(v) == 8:
        y, m, d = int(v[:4]), int(v[4:6]), int(v[6:])
        start = calendar.timegm((y, m, d, 0, 0, 0))
        return start, start + MID_DAY
    return int(v), int(v) + 1


def video_value(video, field):
    user = next(u for u in users if u["id"] == video["user_id"])
    if field in ("username", "display_name"):
        return user[field]
    if field == "video_length":
        return duration_bucket(video["video_duration"])
    if field == "duration_type":
        return duration_bucket(video["video_duration"]).lower()
    return video.get(field)


def test(record, category, cond):
    field, op, values = cond["field"], cond["operator"].upper(), cond["field_values"]
    if category == "video":
        if field == "keyword":
            words = (record["video_description"] + " " + " ".join(record["hashtag_names"])).lower()
            import re

            tokens = re.findall(r"\w+", words)

            def has(phrase):
                p = re.findall(r"\w+", phrase.lower())
                return any(tokens[i : i + len(p)] == p for i in range(len(tokens)))

            return any(has(v) for v in values)
        if field in ("hashtag_name", "hashtag_names"):
            return any(v.lstrip("#").lower() in record["hashtag_names"] for v in values)
        if field == "effect_ids":
            return any(v in record["effect_ids"] for v in values)
        value = video_value(record, field)
    else:
        value = record.get(field)
        if field == "is_verified":
            value = "true" if value else "false"
            return value == values[0].lower()
    if value is None:
        return False
    if field == "create_time":
        ranges = [time_range(v) for v in values]
        a, b = ranges[0]
        return {
            "EQ": a <= value < b,
            "IN": any(x <= value < y for x, y in ranges),
            "GT": value >= b,
            "GTE": value >= a,
            "LT": value < a,
            "LTE": value < b,
        }[op]
    if op == "LIKE":
        return any(v.lower() in value.lower() for v in values)
    if isinstance(value, int):
        nums = [int(v) for v in values]
        return {
            "EQ": value == nums[0],
            "IN": value in nums,
            "GT": value > nums[0],
            "GTE": value >= nums[0],
            "LT": value < nums[0],
            "LTE": value <= nums[0],
        }[op]
    if field == "region_code":
        values = [v.upper() for v in values]
    if field in ("video_length", "duration_type"):
        values = [v.upper() if field == "video_length" else v.lower() for v in values]
    return value in values if op == "IN" else value == values[0]


def matches(category, groups, start=None, end=None):
    table = {"video": videos, "comment": comments, "user": users}[category]
    out = []
    for record in table:
        ok = True
        for g in groups:
            results = [test(record, category, c) for c in g["conditions"]]
            op = g["operator"].lower()
            ok = ok and (
                all(results) if op == "and" else any(results) if op == "or" else not any(results)
            )
        if start:
            ok = ok and record["create_time"] >= time_range(start)[0]
        if end:
            ok = ok and record["create_time"] < time_range(end)[1]
        if ok:
            out.append(record["id"])
    return sorted(out)


def c(field, op, *values):
    return {"field": field, "operator": op, "field_values": list(values)}


cases = []


def valid(name, category, groups, fields="id", **extra):
    request = {
        "category": category,
        "condition_groups": groups,
        "fields": fields,
        "limit": 100,
        **extra,
    }
    ids = matches(category, groups, extra.get("start_date"), extra.get("end_date"))
    cases.append(
        {"name": name, "request": request, "expect": {"status": 200, "count": len(ids), "ids": ids}}
    )


def invalid(name, request, code="invalid_params", contains=None, status=400):
    expect = {"status": status, "error_code": code}
    if contains:
        expect["message_contains"] = contains
    cases.append({"name": name, "request": request, "expect": expect})


AND, OR, NOT = "and", "or", "not"


def g(op, *conds):
    return {"operator": op, "conditions": list(conds)}


valid(
    "seed example: like_count gte 10",
    "video",
    [g(AND, c("like_count", "gte", "10"))],
    "display_name,video_description,create_time,id",
)
valid("no conditions: every video", "video", [])
valid("like_count GT", "video", [g(AND, c("like_count", "GT", "10"))])
valid("like_count LT", "video", [g(AND, c("like_count", "LT", "10"))])
valid("like_count LTE", "video", [g(AND, c("like_count", "LTE", "10"))])
valid("like_count EQ", "video", [g(AND, c("like_count", "EQ", "10"))])
valid("like_count IN", "video", [g(AND, c("like_count", "IN", "0", "11", "1500"))])
valid(
    "comment_count / share_count / view_count",
    "video",
    [
        g(
            AND,
            c("comment_count", "GTE", "3"),
            c("share_count", "LT", "30"),
            c("view_count", "GT", "50"),
        )
    ],
)
valid("id EQ", "video", [g(AND, c("id", "EQ", str(videos[4]["id"])))])
valid("id IN", "video", [g(AND, c("id", "IN", str(videos[0]["id"]), str(videos[29]["id"]), "1"))])
valid("username IN", "video", [g(AND, c("username", "IN", "creator_1", "creator_2"))])
valid("display_name EQ", "video", [g(AND, c("display_name", "EQ", "Hana Ito"))])
valid("region_code EQ, lower case accepted", "video", [g(AND, c("region_code", "eq", "us"))])
valid("region_code IN", "video", [g(AND, c("region_code", "IN", "GB", "DE"))])
valid("music_id IN", "video", [g(AND, c("music_id", "IN", "7000000000000000", "7000000000002000"))])
valid(
    "playlist_id EQ (absent playlists never match)",
    "video",
    [g(AND, c("playlist_id", "EQ", "7400000000000010"))],
)
valid(
    "NOT playlist_id keeps videos without a playlist",
    "video",
    [g(NOT, c("playlist_id", "EQ", "7400000000000010"))],
)
valid("voice_to_text EQ", "video", [g(AND, c("voice_to_text", "EQ", "transcript 7"))])
valid("duration_type IN", "video", [g(AND, c("duration_type", "IN", "short", "EXTRA_LONG"))])
valid(
    "video_length EQ (15 s is MID, 60 s is MID)", "video", [g(AND, c("video_length", "EQ", "MID"))]
)
valid(
    "video_description LIKE, case-insensitive",
    "video",
    [g(AND, c("video_description", "LIKE", "COOKING"))],
)
valid("LIKE escapes %", "video", [g(AND, c("video_description", "LIKE", "0% "))])
valid("LIKE escapes _", "video", [g(AND, c("video_description", "LIKE", "e_c"))])
valid(
    "LIKE with several values: any", "video", [g(AND, c("video_description", "LIKE", "cat", "dog"))]
)
valid("LIKE with a double quote", "video", [g(AND, c("video_description", "LIKE", '"hello"'))])
valid("keyword in description", "video", [g(AND, c("keyword", "EQ", "recipe"))])
valid("keyword phrase", "video", [g(AND, c("keyword", "EQ", "street food"))])
valid(
    "keyword with FTS syntax is plain text",
    "video",
    [g(AND, c("keyword", "EQ", 'cat OR NOT "dog'))],
)
valid("keyword IN: any", "video", [g(AND, c("keyword", "IN", "pasta", "yoga"))])
valid("hashtag_name EQ with #", "video", [g(AND, c("hashtag_name", "EQ", "#Dance"))])
valid("hashtag_name non-ASCII", "video", [g(AND, c("hashtag_name", "EQ", "fypシ"))])
valid(
    "hashtag_names CONTAINS any", "video", [g(AND, c("hashtag_names", "CONTAINS", "cat", "travel"))]
)
valid("effect_ids CONTAINS", "video", [g(AND, c("effect_ids", "contains", "202"))])
valid("create_time GTE epoch", "video", [g(AND, c("create_time", "GTE", str(day(2024, 6, 10))))])
valid(
    "create_time EQ epoch",
    "video",
    [g(AND, c("create_time", "EQ", str(day(2024, 6, 1, 23, 59, 59))))],
)
valid("create_time EQ day", "video", [g(AND, c("create_time", "EQ", "20240601"))])
valid(
    "create_time GT day (after the whole day)",
    "video",
    [g(AND, c("create_time", "GT", "20240601"))],
)
valid("create_time LT day", "video", [g(AND, c("create_time", "LT", "20240601"))])
valid("create_time LTE day", "video", [g(AND, c("create_time", "LTE", "20240630"))])
valid(
    "create_time IN days (leap day)",
    "video",
    [g(AND, c("create_time", "IN", "20240229", "20250101"))],
)
valid("or group", "video", [g(OR, c("like_count", "GTE", "1000"), c("region_code", "EQ", "ID"))])
valid(
    "not group: none true",
    "video",
    [g(NOT, c("like_count", "GTE", "100"), c("region_code", "EQ", "US"))],
)
valid(
    "groups AND-ed",
    "video",
    [
        g(OR, c("region_code", "EQ", "US"), c("region_code", "EQ", "GB")),
        g(NOT, c("like_count", "LT", "10")),
        g(AND, c("video_length", "IN", "SHORT", "MID")),
    ],
)
valid("operators case-insensitive", "video", [g("AND", c("like_count", "Gte", "100"))])
valid("start_date and end_date", "video", [], start_date="20240601", end_date="20240610")
valid("no match", "video", [g(AND, c("like_count", "GT", "1000000"))])
valid(
    "comment by video_id",
    "comment",
    [g(AND, c("video_id", "EQ", str(videos[3]["id"])))],
    "id,text,parent_comment_id",
)
valid(
    "comment replies",
    "comment",
    [g(NOT, c("parent_comment_id", "IN", *[str(v["id"]) for v in videos]))],
)
valid(
    "comment like_count and create_time",
    "comment",
    [g(AND, c("like_count", "GTE", "30"), c("create_time", "LT", "20240615"))],
)
valid("comment text EQ", "comment", [g(AND, c("text", "EQ", "wow #4"))])
valid(
    "user follower_count",
    "user",
    [g(AND, c("follower_count", "GTE", "100000"))],
    "username,follower_count",
)
valid("user is_verified", "user", [g(AND, c("is_verified", "EQ", "true"))], "username")
valid(
    "user region and username",
    "user",
    [g(OR, c("region_code", "EQ", "US"), c("username", "EQ", "creator_3"))],
    "username,display_name",
)

cases.append(
    {
        "name": "fields as a list",
        "request": {
            "category": "video",
            "condition_groups": [g(AND, c("id", "EQ", str(videos[0]["id"])))],
            "fields": ["id", "hashtag_names", "is_stem_verified"],
            "limit": 5,
        },
        "expect": {"status": 200, "count": 1, "ids": [videos[0]["id"]]},
    }
)


def base(groups, **kw):
    return {
        "category": "video",
        "condition_groups": groups,
        "fields": "id",
        "limit": 10,
        **kw,
    }


invalid("unknown category", {"category": "playlist", "fields": "id"}, contains="category")
invalid("unknown field", base([g(AND, c("likes", "GTE", "1"))]), contains="likes")
invalid("unknown operation", base([g(AND, c("like_count", "BETWEEN", "1"))]), contains="BETWEEN")
invalid(
    "unknown group operator",
    base([{"operator": "xor", "conditions": [c("like_count", "GTE", "1")]}]),
    contains="xor",
)
invalid(
    "LIKE not on username",
    base([g(AND, c("username", "LIKE", "a"))]),
    contains="LIKE is not allowed on username",
)
invalid(
    "CONTAINS not on hashtag_name",
    base([g(AND, c("hashtag_name", "CONTAINS", "a"))]),
    contains="CONTAINS",
)
invalid("GT not on region_code", base([g(AND, c("region_code", "GT", "US"))]), contains="GT")
invalid("non-numeric count", base([g(AND, c("like_count", "GTE", "ten"))]), contains="ten")
invalid("number instead of string", base([g(AND, c("like_count", "GTE", 10))]), contains="strings")
invalid("impossible date", base([g(AND, c("create_time", "EQ", "20240230"))]), contains="20240230")
invalid("impossible start_date", base([], start_date="20241301"), contains="start_date")
invalid(
    "end before start", base([], start_date="20240610", end_date="20240601"), contains="end_date"
)
invalid("bad region code", base([g(AND, c("region_code", "EQ", "XX"))]), contains="XX")
invalid("empty field_values", base([g(AND, c("like_count", "GTE"))]), contains="field_values")
invalid(
    "EQ with two values",
    base([g(AND, c("like_count", "EQ", "1", "2"))]),
    contains="EQ takes exactly one value",
)
invalid("empty conditions", base([g(AND)]), contains="conditions")
invalid("limit 0", {**base([]), "limit": 0}, contains="limit")
invalid("limit negative", {**base([]), "limit": -5}, contains="limit")
invalid("limit not an integer", {**base([]), "limit": 2.5}, contains="limit")
invalid("limit as a string", {**base([]), "limit": "10"}, contains="limit")
invalid("limit over the maximum", {**base([]), "limit": 5001}, contains="5,000")
invalid("unknown return field", {**base([]), "fields": "id,secret"}, contains="secret")
invalid("no fields", {"category": "video", "condition_groups": []}, contains="fields")
invalid(
    "too many values",
    base([g(AND, c("id", "IN", *[str(i) for i in range(1001)]))]),
    contains="1000",
)
invalid("too many conditions", base([g(AND, *[c("like_count", "GTE", "1")] * 101)]), contains="100")
invalid("unknown body key", {**base([]), "max_count": 5}, contains="max_count")
invalid("cursor in the test stage", {**base([]), "cursor": "abc"}, contains="cursor")
invalid("body not an object", ["video"], contains="JSON object")
invalid(
    "start_date on users",
    {"category": "user", "fields": "username", "start_date": "20240101"},
    contains="start_date",
)
invalid(
    "user field on videos",
    base([g(AND, c("follower_count", "GTE", "1"))]),
    contains="follower_count",
)

with open(os.path.join(HERE, "fixture-data.json"), "w") as f:
    json.dump(fixture, f, indent=1, ensure_ascii=False)
    f.write("\n")
with open(os.path.join(HERE, "queries.json"), "w") as f:
    json.dump({"fixture": "fixture-data.json", "cases": cases}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(cases)} cases")
