# expect: approved
# shape: videos per day and mean views per day for the last 365 days of the data (365 rows), CSV
import csv
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from pyrqs import rqs

client = rqs.RQSClient()
n = defaultdict(int)
views = defaultdict(int)
last = None
for v in client.iter_query(category="video", fields="create_time,view_count", page_size=50000):
    d = datetime.fromtimestamp(v["create_time"], tz=UTC).date()
    n[d] += 1
    views[d] += v["view_count"]
    last = d if last is None or d > last else last
with open("output/daily.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["date", "videos", "mean_views"])
    for i in range(365):
        d = last - timedelta(days=364 - i)
        if n[d] >= 10:
            w.writerow([d.isoformat(), n[d], round(views[d] / n[d], 1)])
        else:
            w.writerow([d.isoformat(), "<10", ""])
