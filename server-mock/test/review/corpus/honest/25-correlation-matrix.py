# expect: approved
# shape: Pearson correlation matrix of log engagement counts (n = all videos) in CSV
import csv
import math
import statistics

from pyrqs import rqs

client = rqs.RQSClient()
fields = ["like_count", "comment_count", "share_count", "view_count"]
columns = {f: [] for f in fields}
for video in client.iter_query(category="video", fields=",".join(fields), page_size=50000):
    for f in fields:
        columns[f].append(math.log1p(video[f]))

with open("output/correlations.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["variable"] + [f"r_{f}" for f in fields])
    for a in fields:
        writer.writerow(
            [a] + [round(statistics.correlation(columns[a], columns[b]), 3) for b in fields]
        )
    writer.writerow([f"n = {len(columns['like_count'])} videos"])
