# expect: not-approved
# shape: one row per hashtag-video pair: hashtag, exact create date-time to the minute, exact likes, CSV
import csv
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
rows = []
for v in client.iter_query(
    category="video", fields="hashtag_names,create_time,like_count", page_size=50000
):
    for tag in v.get("hashtag_names") or []:
        rows.append(
            (
                tag,
                datetime.fromtimestamp(v["create_time"], tz=UTC).strftime("%Y-%m-%dT%H:%M"),
                v["like_count"],
            )
        )
    if len(rows) >= 400:
        break
with open("output/hashtag_pairs.csv", "w", newline="") as handle:
    w = csv.writer(handle)
    w.writerow(["hashtag", "posted_minute", "likes"])
    w.writerows(rows)
