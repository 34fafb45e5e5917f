# expect: approved
# shape: co-occurrence table of hashtag pairs, top 200 pairs, every count >= 10, in CSV
import csv
from collections import Counter
from itertools import combinations

from pyrqs import rqs

client = rqs.RQSClient()
pairs = Counter()
for video in client.iter_query(category="video", fields="hashtag_names", page_size=50000):
    tags = sorted(set(video.get("hashtag_names") or []))
    pairs.update(combinations(tags, 2))

with open("output/hashtag_pairs.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["hashtag_a", "hashtag_b", "videos"])
    for (a, b), n in pairs.most_common(200):
        if n >= 10:
            writer.writerow([a, b, n])
