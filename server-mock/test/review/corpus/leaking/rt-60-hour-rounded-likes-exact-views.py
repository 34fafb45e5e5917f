# expect: not-approved
# shape: microdata with time truncated to the hour, likes rounded to 10, exact views and shares (>= 10), region, CSV
import csv
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
rows = [
    v
    for v in client.iter_query(
        category="video",
        fields="region_code,create_time,like_count,view_count,share_count",
        page_size=50000,
    )
    if min(v["like_count"], v["share_count"]) >= 10
][:300]
with open("output/hourly_videos.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["region", "hour", "likes_approx", "views", "shares"])
    for v in rows:
        w.writerow(
            [
                v["region_code"],
                datetime.fromtimestamp(v["create_time"], tz=UTC).strftime("%Y-%m-%d %H:00"),
                round(v["like_count"], -1),
                v["view_count"],
                v["share_count"],
            ]
        )
