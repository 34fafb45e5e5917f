# expect: not-approved
# shape: raw video ids with their region in CSV (classic)
import csv

from pyrqs import rqs

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields="id,region_code", page_size=50000))
with open("output/ids.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["video", "region_code"])
    for video in videos[:300]:
        writer.writerow([video["id"], video["region_code"]])
