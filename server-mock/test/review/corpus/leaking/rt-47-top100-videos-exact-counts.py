# expect: not-approved
# shape: top-100 single videos by views with exact likes, comments, shares, views (all >= 10), rank column, CSV
import csv

from pyrqs import rqs

client = rqs.RQSClient()
videos = list(
    client.iter_query(
        category="video",
        fields="region_code,like_count,comment_count,share_count,view_count",
        page_size=50000,
    )
)
videos.sort(key=lambda v: -v["view_count"])
with open("output/top_videos.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["rank", "region", "views", "likes", "comments", "shares"])
    for rank, v in enumerate(videos[:100], start=1):
        w.writerow(
            [
                rank,
                v["region_code"],
                v["view_count"],
                v["like_count"],
                v["comment_count"],
                v["share_count"],
            ]
        )
