# expect: approved
# shape: medians and quartiles of likes by region (groups of at least 1,000 videos) in CSV
import csv
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
likes = defaultdict(list)
for video in client.iter_query(category="video", fields="region_code,like_count", page_size=50000):
    likes[video["region_code"]].append(video["like_count"])

with open("output/median_likes_by_region.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code", "videos", "p25_likes", "median_likes", "p75_likes"])
    for region, values in sorted(likes.items()):
        if len(values) < 1000:
            continue
        q1, q2, q3 = statistics.quantiles(values, n=4)
        writer.writerow([region, len(values), round(q1), round(q2), round(q3)])
