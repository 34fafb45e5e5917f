# expect: not-approved
# shape: microdata without identifiers as many small text files, one per video, in a folder
import os

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
os.makedirs("output/cases", exist_ok=True)
for i, v in enumerate(videos[:150]):
    with open(f"output/cases/case{i:03d}.txt", "w") as handle:
        handle.write(
            f"region {v['region_code']}\ntime {v['create_time']}\nlikes {v['like_count']}\n"
            f"comments {v['comment_count']}\nshares {v['share_count']}\nviews {v['view_count']}\n"
        )
