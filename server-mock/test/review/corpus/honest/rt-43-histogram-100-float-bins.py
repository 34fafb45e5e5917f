# expect: approved
# shape: histogram of log10(views) with 100 equal-width bins (edges as floats), counts suppressed below 10, CSV
import csv
import math

from pyrqs import rqs

client = rqs.RQSClient()
vals = [
    math.log10(v["view_count"] + 1)
    for v in client.iter_query(category="video", fields="view_count", page_size=50000)
]
lo, hi = min(vals), max(vals)
width = (hi - lo) / 100
counts = [0] * 100
for x in vals:
    counts[min(99, int((x - lo) / width))] += 1
with open("output/log_views_hist.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["bin_start", "bin_end", "videos"])
    for i, c in enumerate(counts):
        w.writerow(
            [round(lo + i * width, 4), round(lo + (i + 1) * width, 4), c if c >= 10 else "<10"]
        )
