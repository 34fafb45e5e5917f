# expect: not-approved
# shape: comment microdata: exact create time (seconds, dd.mm.YYYY HH:MM:SS), exact likes and replies, semicolon text in .txt
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
with open("output/comments.txt", "w") as handle:
    for c in rows:
        handle.write(
            f"{datetime.fromtimestamp(c['create_time'], tz=UTC):%d.%m.%Y %H:%M:%S};{c['like_count']};{c['reply_count']}\n"
        )
