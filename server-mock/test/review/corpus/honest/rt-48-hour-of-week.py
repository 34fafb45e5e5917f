# expect: approved
# shape: 168 rows: weekday x hour (UTC) with video counts and mean views, CSV
import csv
from collections import defaultdict
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
n = defaultdict(int)
views = defaultdict(int)
for v in client.iter_query(category="video", fields="create_time,view_count", page_size=50000):
    t = datetime.fromtimestamp(v["create_time"], tz=UTC)
    n[(t.weekday(), t.hour)] += 1
    views[(t.weekday(), t.hour)] += v["view_count"]
with open("output/hour_of_week.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["weekday", "hour", "videos", "mean_views"])
    for d in range(7):
        for h in range(24):
            k = (d, h)
            w.writerow(
                [
                    d,
                    h,
                    n[k] if n[k] >= 10 else "<10",
                    round(views[k] / n[k], 1) if n[k] >= 10 else "",
                ]
            )
