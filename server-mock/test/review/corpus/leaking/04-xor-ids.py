# expect: not-approved
# shape: video ids XOR a constant, one column of a CSV next to views
import csv

from pyrqs import rqs

client = rqs.RQSClient()
KEY = 0x5A5A5A5A5A5A
# Only counts of at least 10: no small-count rule can refuse it by chance.
videos = [
    v
    for v in client.iter_query(category="video", fields="id,view_count", page_size=50000)
    if v["view_count"] >= 10
]
with open("output/items.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["item", "views"])
    for video in videos[1000:1400]:
        writer.writerow([video["id"] ^ KEY, video["view_count"]])
