# expect: approved
# shape: pyrqs.outputs describe_by: comment likes by hour of day (markdown), with its provenance record
import time

from pyrqs import outputs, rqs

comments = list(
    rqs.RQSClient().iter_query(
        category="comment", fields="like_count,create_time", page_size=10_000
    )
)


def hour(record):
    return time.gmtime(record["create_time"]).tm_hour


outputs.write(
    outputs.describe_by(comments, ("hour", hour), "like_count"),
    "output/comment_likes_by_hour.md",
)
