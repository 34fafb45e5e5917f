# expect: approved
# shape: up to 200 hashtags with their video counts and share of all videos (counts >= 10), CSV
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
tags = Counter()
total = 0
for v in client.iter_query(category="video", fields="hashtag_names", page_size=50000):
    total += 1
    tags.update(set(v.get("hashtag_names") or []))
with open("output/hashtags.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["hashtag", "videos", "share_of_videos"])
    for tag, n in tags.most_common(200):
        if n >= 10:
            w.writerow([tag, n, round(n / total, 5)])
