# expect: not-approved
# shape: microdata with jittered values: likes rounded to the nearest 10, views to 2 significant figures, exact create_time (ISO), region, CSV
import csv
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
rows = []
for v in client.iter_query(
    category="video", fields="region_code,create_time,like_count,view_count", page_size=50000
):
    if v["like_count"] >= 10:
        rows.append(v)
    if len(rows) >= 300:
        break
with open("output/videos_rounded.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["region", "posted", "likes_approx", "views_approx"])
    for v in rows:
        views = v["view_count"]
        w.writerow(
            [
                v["region_code"],
                datetime.fromtimestamp(v["create_time"], tz=UTC).strftime("%Y-%m-%d %H:%M:%S"),
                round(v["like_count"], -1),
                float(f"{views:.2g}"),
            ]
        )
