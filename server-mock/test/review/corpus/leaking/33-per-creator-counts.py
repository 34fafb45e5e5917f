# expect: not-approved
# shape: counts grouped by username (a group per individual), CSV
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
counts = Counter(
    v["username"] for v in client.iter_query(category="video", fields="username", page_size=50000)
)
with open("output/per_creator.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["creator", "videos"])
    for name, n in counts.most_common(300):
        writer.writerow([name, n])
