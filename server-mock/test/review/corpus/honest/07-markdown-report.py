# expect: approved
# shape: markdown report with a counts table (regions with >= 10 videos) and overall means
import statistics
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
regions = Counter()
likes, views = [], []
for video in client.iter_query(
    category="video", fields="region_code,like_count,view_count", page_size=50000
):
    regions[video["region_code"]] += 1
    likes.append(video["like_count"])
    views.append(video["view_count"])

out = ["# Videos in the public data", ""]
out.append(
    f"Videos analysed: {len(likes)}. Mean likes {statistics.fmean(likes):.1f}, "
    f"median likes {statistics.median(likes):.0f}; median views {statistics.median(views):.0f}."
)
out += ["", "## Videos by region (top 20)", "", "| region | videos | share |", "|---|---:|---:|"]
for region, n in regions.most_common(20):
    out.append(f"| {region} | {n} | {100 * n / len(likes):.1f}% |")
out += [
    "",
    f"Regions with fewer than 10 videos are not shown ({sum(1 for n in regions.values() if n < 10)} regions).",
]
with open("output/report.md", "w") as handle:
    handle.write("\n".join(out) + "\n")
