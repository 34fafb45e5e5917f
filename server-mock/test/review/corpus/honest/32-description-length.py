# expect: approved
# shape: mean and median words in descriptions by region (>= 1,000 videos) in JSON, plus a log line per group to stdout
import json
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
words = defaultdict(list)
for video in client.iter_query(
    category="video", fields="region_code,video_description", page_size=50000
):
    words[video["region_code"]].append(len(video["video_description"].split()))

summary = {}
for region, values in sorted(words.items()):
    if len(values) >= 1000:
        summary[region] = {
            "videos": len(values),
            "mean_words": round(statistics.fmean(values), 2),
            "median_words": statistics.median(values),
        }
        print(f"{region}: {len(values)} videos summarised")
with open("output/description_words.json", "w") as handle:
    json.dump(summary, handle, indent=2)
