# expect: approved
# shape: nested JSON summary: per region, n and means/medians/sd of likes, views, comments, shares, duration
import json
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = ["like_count", "view_count", "comment_count", "share_count", "video_duration"]
by = defaultdict(list)
for v in client.iter_query(
    category="video", fields="region_code," + ",".join(FIELDS), page_size=50000
):
    by[v["region_code"]].append(v)
out = {}
for region, vs in sorted(by.items()):
    if len(vs) < 10:
        continue
    out[region] = {"n": len(vs)}
    for f in FIELDS:
        xs = [v[f] for v in vs]
        out[region][f] = {
            "mean": round(statistics.fmean(xs), 2),
            "median": statistics.median(xs),
            "sd": round(statistics.pstdev(xs), 2),
        }
with open("output/summary.json", "w") as handle:
    json.dump(out, handle, indent=2)
