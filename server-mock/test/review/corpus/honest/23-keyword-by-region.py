# expect: approved
# shape: videos whose description mentions a keyword, per region (counts >= 10), from LIKE conditions, in CSV
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
keywords = ["dance", "food", "music", "travel"]
cells = Counter()
for word in keywords:
    condition = [
        {
            "operator": "and",
            "conditions": [
                {"field": "video_description", "operator": "LIKE", "field_values": [word]}
            ],
        }
    ]
    for video in client.iter_query(
        category="video", condition_groups=condition, fields="region_code", page_size=50000
    ):
        cells[(word, video["region_code"])] += 1

with open("output/keywords_by_region.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["keyword", "region_code", "videos"])
    for (word, region), n in sorted(cells.items()):
        if n >= 10:
            writer.writerow([word, region, n])
