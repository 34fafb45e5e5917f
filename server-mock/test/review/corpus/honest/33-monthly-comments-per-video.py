# expect: approved
# shape: comments: comments written per month and median comment length in words, in CSV
import csv
import statistics
from collections import defaultdict
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
lengths = defaultdict(list)
for comment in client.iter_query(category="comment", fields="create_time,text", page_size=100000):
    month = datetime.fromtimestamp(comment["create_time"], tz=UTC).strftime("%Y-%m")
    lengths[month].append(len(comment["text"].split()))

with open("output/comments_per_month.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["month", "comments", "median_words"])
    for month, values in sorted(lengths.items()):
        if len(values) >= 10:
            writer.writerow([month, len(values), statistics.median(values)])
