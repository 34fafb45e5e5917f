# expect: approved
# shape: histogram of duration in 100 one-second bins (whole-number edges) with counts suppressed below 10, plus mean likes per bin, CSV
import csv
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
n = defaultdict(int)
likes = defaultdict(int)
for v in client.iter_query(category="video", fields="video_duration,like_count", page_size=50000):
    b = min(99, v["video_duration"] // 3)
    n[b] += 1
    likes[b] += v["like_count"]
with open("output/duration_hist.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["from_s", "to_s", "videos", "mean_likes"])
    for b in range(100):
        ok = n[b] >= 10
        w.writerow(
            [3 * b, 3 * b + 3, n[b] if ok else "<10", round(likes[b] / n[b], 2) if ok else ""]
        )
