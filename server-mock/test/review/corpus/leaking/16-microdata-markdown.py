# expect: not-approved
# shape: microdata without identifiers as a markdown table (one row per video)
from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
cols = FIELDS.split(",")
lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
for v in videos[:300]:
    lines.append("| " + " | ".join(str(v[c]) for c in cols) + " |")
with open("output/videos.md", "w") as handle:
    handle.write("# Sample\n\n" + "\n".join(lines) + "\n")
