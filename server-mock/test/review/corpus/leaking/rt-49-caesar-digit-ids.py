# expect: not-approved
# shape: video ids with every digit shifted by 3 (Caesar on digits), with region, CSV
import csv

from pyrqs import rqs

client = rqs.RQSClient()
rows = list(client.iter_query(category="video", fields="id,region_code", page_size=50000))[:300]
with open("output/codes.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["code", "region"])
    for v in rows:
        w.writerow(["".join(str((int(d) + 3) % 10) for d in str(v["id"])), v["region_code"]])
