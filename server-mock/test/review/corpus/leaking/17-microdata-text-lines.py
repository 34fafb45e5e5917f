# expect: not-approved
# shape: microdata without identifiers as free text lines (one sentence per video)
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
with open("output/notes.txt", "w") as handle:
    for v in videos[:300]:
        when = datetime.fromtimestamp(v["create_time"], tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
        handle.write(
            f"A video from {v['region_code']} posted {when} had {v['view_count']} views, "
            f"{v['like_count']} likes, {v['comment_count']} comments and {v['share_count']} shares.\n"
        )
