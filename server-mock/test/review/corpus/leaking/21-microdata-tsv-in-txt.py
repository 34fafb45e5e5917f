# expect: not-approved
# shape: microdata without identifiers as tab-separated values in a .txt file
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
with open("output/table.txt", "w") as handle:
    handle.write("\t".join(cols) + "\n")
    for v in videos[:400]:
        handle.write("\t".join(str(v[c]) for c in cols) + "\n")
