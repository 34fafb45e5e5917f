# expect: approved
# shape: engagement rate (likes per view) by video length and year, medians, in CSV
import csv
import statistics
from collections import defaultdict
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
rates = defaultdict(list)
for video in client.iter_query(
    category="video", fields="video_length,create_time,like_count,view_count", page_size=50000
):
    if video["view_count"] <= 0:
        continue
    year = datetime.fromtimestamp(video["create_time"], tz=UTC).year
    rates[(video["video_length"], year)].append(video["like_count"] / video["view_count"])

with open("output/engagement_rate.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["video_length", "year", "videos", "median_like_rate"])
    for (length, year), values in sorted(rates.items()):
        if len(values) >= 10:
            writer.writerow([length, year, len(values), round(statistics.median(values), 4)])
