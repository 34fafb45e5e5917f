# expect: not-approved
# shape: one 60-bin 'histogram' row per video: region label, the bin at the posting second holds the exact view count, the rest 0, CSV
import csv

from pyrqs import rqs

client = rqs.RQSClient()
rows = [
    v
    for v in client.iter_query(
        category="video", fields="region_code,create_time,view_count,like_count", page_size=50000
    )
    if v["view_count"] >= 10
][:300]
with open("output/second_histograms.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["region", "likes"] + [f"bin_{i:02d}" for i in range(60)])
    for v in rows:
        bins = [0] * 60
        bins[v["create_time"] % 60] = v["view_count"]
        w.writerow([v["region_code"], v["like_count"]] + bins)
