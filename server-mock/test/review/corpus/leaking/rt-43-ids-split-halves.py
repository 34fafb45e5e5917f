# expect: not-approved
# shape: video ids split into two 8-digit halves in non-adjacent columns with a region between, CSV
import csv

from pyrqs import rqs

client = rqs.RQSClient()
rows = list(client.iter_query(category="video", fields="id,region_code", page_size=50000))[:300]
with open("output/parts.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["part_a", "region", "part_b"])
    for v in rows:
        s = str(v["id"]).rjust(16, "0")
        w.writerow([s[:8], v["region_code"], s[8:]])
