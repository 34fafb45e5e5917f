# expect: not-approved
# shape: video ids minus a constant offset (small "row numbers" that map back), JSON array with likes
import json

from pyrqs import rqs

client = rqs.RQSClient()
OFFSET = 7_100_000_000_000_000
# Only counts of at least 10: no small-count rule can refuse it by chance.
videos = [
    v
    for v in client.iter_query(category="video", fields="id,like_count", page_size=50000)
    if v["like_count"] >= 10
]
with open("output/rows.json", "w") as handle:
    json.dump([{"n": v["id"] - OFFSET, "likes": v["like_count"]} for v in videos[:400]], handle)
