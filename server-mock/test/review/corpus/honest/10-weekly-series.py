# expect: approved
# shape: time series of videos per ISO week (weeks with < 10 videos suppressed) in CSV
import csv
from collections import Counter
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
weeks = Counter()
for video in client.iter_query(category="video", fields="create_time", page_size=50000):
    year, week, _ = datetime.fromtimestamp(video["create_time"], tz=UTC).isocalendar()
    weeks[f"{year}-W{week:02d}"] += 1

with open("output/videos_per_week.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["iso_week", "videos"])
    for week, n in sorted(weeks.items()):
        writer.writerow([week, n if n >= 10 else "<10"])
