# expect: not-approved
# shape: video ids shifted into date-times (microseconds after the epoch), CSV
import csv
from datetime import datetime, timedelta

from pyrqs import rqs

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields="id", page_size=50000))
epoch = datetime(1970, 1, 1)
with open("output/timeline.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["when"])
    for video in videos[:300]:
        writer.writerow([(epoch + timedelta(microseconds=video["id"])).isoformat()])
