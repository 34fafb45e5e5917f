# expect: not-approved
# shape: binary: microdata in an SQLite database output/videos.db
import sqlite3

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
db = sqlite3.connect("output/videos.db")
db.execute(
    "CREATE TABLE v (region TEXT, t INTEGER, likes INTEGER, comments INTEGER, shares INTEGER, views INTEGER)"
)
db.executemany(
    "INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)",
    [tuple(v[f] for f in FIELDS.split(",")) for v in videos[:500]],
)
db.commit()
db.close()
