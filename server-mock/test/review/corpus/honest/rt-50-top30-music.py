# expect: approved
# shape: top-30 music ids with video counts and mean views (counts >= 10), JSON array of objects
import json
from collections import Counter, defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
n = Counter()
views = defaultdict(int)
for v in client.iter_query(category="video", fields="music_id,view_count", page_size=50000):
    n[v["music_id"]] += 1
    views[v["music_id"]] += v["view_count"]
with open("output/top_music.json", "w") as handle:
    json.dump(
        [
            {"music_id": m, "videos": c, "mean_views": round(views[m] / c, 1)}
            for m, c in n.most_common(30)
            if c >= 10
        ],
        handle,
        indent=1,
    )
