# expect: not-approved
# shape: comment microdata in CSV: create time to the minute (ISO), exact likes and replies (likes >= 10)
import csv
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
rows = [
    c
    for c in client.iter_query(
        category="comment", fields="create_time,like_count,reply_count", page_size=100000
    )
    if c["like_count"] >= 10
][:300]
with open("output/comments.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["posted", "likes", "replies"])
    for c in rows:
        w.writerow(
            [
                f"{datetime.fromtimestamp(c['create_time'], tz=UTC):%Y-%m-%d %H:%M}",
                c["like_count"],
                c["reply_count"],
            ]
        )
