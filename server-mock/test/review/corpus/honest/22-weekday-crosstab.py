# expect: approved
# shape: cross-tab weekday x video length with row percentages, in CSV
import csv
from collections import Counter
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
cells = Counter()
for video in client.iter_query(
    category="video", fields="create_time,video_length", page_size=50000
):
    day = datetime.fromtimestamp(video["create_time"], tz=UTC).strftime("%A")
    cells[(day, video["video_length"])] += 1

days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
lengths = ["SHORT", "MID", "LONG", "EXTRA_LONG"]
with open("output/weekday_by_length.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["weekday"] + lengths + [f"{length}_pct" for length in lengths])
    for day in days:
        row = [cells[(day, length)] for length in lengths]
        total = sum(row)
        writer.writerow(
            [day]
            + [n if n >= 10 else "<10" for n in row]
            + [round(100 * n / total, 1) if n >= 10 else "" for n in row]
        )
