# expect: not-approved
# shape: binary: a zip archive holding a microdata CSV
import zipfile

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
rows = [",".join(str(v[f]) for f in FIELDS.split(",")) for v in videos[:500]]
with zipfile.ZipFile("output/bundle.zip", "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("videos.csv", FIELDS + "\n" + "\n".join(rows) + "\n")
