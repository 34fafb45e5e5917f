# expect: approved
# shape: monthly series of videos and median likes (months with >= 10 videos) in CSV
import csv
import statistics
from collections import defaultdict
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
months = defaultdict(list)
for video in client.iter_query(category="video", fields="create_time,like_count", page_size=50000):
    month = datetime.fromtimestamp(video["create_time"], tz=UTC).strftime("%Y-%m")
    months[month].append(video["like_count"])

with open("output/monthly.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["month", "videos", "median_likes"])
    for month, likes in sorted(months.items()):
        if len(likes) >= 10:
            writer.writerow([month, len(likes), statistics.median(likes)])
