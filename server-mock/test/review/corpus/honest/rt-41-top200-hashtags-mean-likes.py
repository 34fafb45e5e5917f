# expect: approved
# shape: up to 200 hashtags with their video counts and mean likes (counts >= 10), CSV
import csv
from collections import Counter, defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
tags = Counter()
likes = defaultdict(int)
for v in client.iter_query(category="video", fields="hashtag_names,like_count", page_size=50000):
    for tag in set(v.get("hashtag_names") or []):
        tags[tag] += 1
        likes[tag] += v["like_count"]
with open("output/hashtags.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["hashtag", "videos", "mean_likes"])
    for tag, n in tags.most_common(200):
        if n >= 10:
            w.writerow([tag, n, round(likes[tag] / n, 1)])
