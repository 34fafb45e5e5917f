# expect: approved
# shape: mean and median comment likes by hour of day (UTC) over all comments in CSV
import csv
import statistics
from collections import defaultdict
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
by_hour = defaultdict(list)
for comment in client.iter_query(
    category="comment", fields="create_time,like_count", page_size=100000
):
    hour = datetime.fromtimestamp(comment["create_time"], tz=UTC).hour
    by_hour[hour].append(comment["like_count"])

with open("output/comment_likes_by_hour.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["hour_utc", "comments", "mean_likes", "median_likes"])
    for hour in range(24):
        values = by_hour[hour]
        if len(values) >= 10:
            writer.writerow(
                [hour, len(values), round(statistics.fmean(values), 2), statistics.median(values)]
            )
