# expect: approved
# shape: the 99 percentiles p1..p99 of likes, views and comments (a quantile table), CSV
import csv
import statistics

from pyrqs import rqs

client = rqs.RQSClient()
cols = {"like_count": [], "view_count": [], "comment_count": []}
for v in client.iter_query(category="video", fields=",".join(cols), page_size=50000):
    for f in cols:
        cols[f].append(v[f])
qs = {f: statistics.quantiles(xs, n=100) for f, xs in cols.items()}
with open("output/percentiles.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["percentile", "likes", "views", "comments"])
    for i in range(99):
        w.writerow([f"p{i + 1}", qs["like_count"][i], qs["view_count"][i], qs["comment_count"][i]])
