"""Videos per region over all public data; only regions with at least 10 videos."""

import csv
import os
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
counts = Counter()
for record in client.iter_query(category="video", fields="region_code", page_size=1000):
    counts[record["region_code"]] += 1

with open(os.path.join("output", "videos_by_region.csv"), "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code", "video_count"])
    for region, count in sorted(counts.items()):
        if count >= 10:
            writer.writerow([region, count])
print("regions written:", sum(1 for c in counts.values() if c >= 10))
