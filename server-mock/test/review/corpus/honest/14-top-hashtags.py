# expect: approved
# shape: top-50 hashtags with their video counts (all >= 10) in CSV
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
tags = Counter()
for video in client.iter_query(category="video", fields="hashtag_names", page_size=50000):
    tags.update(set(video.get("hashtag_names") or []))

with open("output/top_hashtags.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["rank", "hashtag", "videos"])
    for rank, (tag, n) in enumerate(tags.most_common(50), start=1):
        if n >= 10:
            writer.writerow([rank, tag, n])
