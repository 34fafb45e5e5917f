# expect: not-approved
# shape: video ids with their digits reversed, CSV with region
import csv

from pyrqs import rqs

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields="id,region_code", page_size=50000))
with open("output/reversed.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["ref", "region_code"])
    for video in videos[:400]:
        writer.writerow([str(video["id"])[::-1], video["region_code"]])
