# expect: not-approved
# shape: microdata without identifiers: one JSON object per line (JSONL in .txt) with region, time, duration, counts
import json

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,video_duration,like_count,view_count"
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if v["like_count"] >= 10 and v["view_count"] >= 10
]
with open("output/records.txt", "w") as handle:
    for v in videos[5000:5300]:
        handle.write(json.dumps(v) + "\n")
