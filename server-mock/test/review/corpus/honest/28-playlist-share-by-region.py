# expect: approved
# shape: share of videos in a playlist by region (regions with >= 500 videos), in CSV
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
videos, in_playlist = Counter(), Counter()
for video in client.iter_query(category="video", fields="region_code,playlist_id", page_size=50000):
    videos[video["region_code"]] += 1
    if video.get("playlist_id"):
        in_playlist[video["region_code"]] += 1

with open("output/playlist_share.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code", "videos", "in_playlist", "share_pct"])
    for region, n in videos.most_common():
        if n < 500:
            break
        k = in_playlist[region]
        writer.writerow(
            [region, n, k if k >= 10 else "<10", round(100 * k / n, 1) if k >= 10 else ""]
        )
