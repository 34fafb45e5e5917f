# expect: approved
# shape: top-20 effects by number of videos using them (counts >= 10), in CSV
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
effects = Counter()
for video in client.iter_query(category="video", fields="effect_ids", page_size=50000):
    effects.update(set(video.get("effect_ids") or []))

with open("output/top_effects.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["rank", "effect_id", "videos"])
    for rank, (effect, n) in enumerate(effects.most_common(20), start=1):
        if n >= 10:
            writer.writerow([rank, effect, n])
