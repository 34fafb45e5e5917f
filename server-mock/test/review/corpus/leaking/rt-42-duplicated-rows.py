# expect: not-approved
# shape: microdata with every row written twice (halving the distinct share): region, duration, exact likes, comments, shares, CSV
import csv

from pyrqs import rqs

client = rqs.RQSClient()
rows = [
    v
    for v in client.iter_query(
        category="video",
        fields="region_code,video_duration,like_count,comment_count,share_count",
        page_size=50000,
    )
    if min(v["like_count"], v["comment_count"], v["share_count"]) >= 10
][:200]
with open("output/videos.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["region", "duration", "likes", "comments", "shares"])
    for v in rows:
        for _ in range(2):
            w.writerow(
                [
                    v["region_code"],
                    v["video_duration"],
                    v["like_count"],
                    v["comment_count"],
                    v["share_count"],
                ]
            )
