# expect: approved
# shape: nested JSON summary per region (>= 1,000 videos) and length: counts, medians, share with playlist
import json
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
groups = defaultdict(lambda: defaultdict(list))
playlists = defaultdict(int)
sizes = defaultdict(int)
for video in client.iter_query(
    category="video", fields="region_code,video_length,view_count,playlist_id", page_size=50000
):
    region = video["region_code"]
    groups[region][video["video_length"]].append(video["view_count"])
    sizes[region] += 1
    playlists[region] += 1 if video.get("playlist_id") else 0

summary = {"threshold": 10, "regions": {}}
for region, lengths in sorted(groups.items()):
    if sizes[region] < 1000:
        continue
    summary["regions"][region] = {
        "videos": sizes[region],
        "share_in_playlist": round(playlists[region] / sizes[region], 3),
        "by_length": {
            length: {"videos": len(v), "median_views": statistics.median(v)}
            for length, v in sorted(lengths.items())
            if len(v) >= 10
        },
    }
with open("output/summary.json", "w") as handle:
    json.dump(summary, handle, indent=2, sort_keys=True)
