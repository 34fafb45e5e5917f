# expect: not-approved
# shape: binary: packed microdata written to a file named .csv
import struct

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
with open("output/summary.csv", "wb") as handle:
    for v in videos[:500]:
        handle.write(
            v["region_code"].encode()[:2]
            + struct.pack(
                "<qiiii",
                v["create_time"],
                v["like_count"],
                v["comment_count"],
                v["share_count"],
                v["view_count"],
            )
        )
