# expect: not-approved
# shape: microdata without identifiers as many small JSON files, one per video, in a folder
import json
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
os.makedirs("output/records", exist_ok=True)
for i, v in enumerate(videos[:150]):
    with open(f"output/records/r{i:03d}.json", "w") as handle:
        json.dump({f: v[f] for f in FIELDS.split(",")}, handle)
