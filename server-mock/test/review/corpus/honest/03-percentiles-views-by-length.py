# expect: approved
# shape: percentiles (p10..p90) of views by video length in nested JSON
import json
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
views = defaultdict(list)
for video in client.iter_query(category="video", fields="video_length,view_count", page_size=50000):
    views[video["video_length"]].append(video["view_count"])

summary = {}
for length, values in sorted(views.items()):
    deciles = statistics.quantiles(values, n=10)
    summary[length] = {
        "videos": len(values),
        "percentiles_of_views": {f"p{10 * (i + 1)}": round(q) for i, q in enumerate(deciles)},
    }
with open("output/view_percentiles.json", "w") as handle:
    json.dump(summary, handle, indent=2)
