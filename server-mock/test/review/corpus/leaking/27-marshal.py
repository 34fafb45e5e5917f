# expect: not-approved
# shape: binary: microdata marshal-dumped into a .json-named file
import marshal

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
with open("output/results.json", "wb") as handle:
    marshal.dump([tuple(v[f] for f in FIELDS.split(",")) for v in videos[:500]], handle)
