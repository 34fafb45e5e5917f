# expect: approved
# shape: long prose report in .md with numbers in sentences, a paragraph per region (means, medians, shares)
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
by = defaultdict(list)
for v in client.iter_query(
    category="video",
    fields="region_code,like_count,view_count,video_duration,is_stem_verified",
    page_size=50000,
):
    by[v["region_code"]].append(v)
total = sum(len(vs) for vs in by.values())
parts = ["# Engagement across regions", "", f"We analysed {total} videos from {len(by)} regions."]
for region, vs in sorted(by.items(), key=lambda kv: -len(kv[1])):
    if len(vs) < 10:
        continue
    likes = [v["like_count"] for v in vs]
    views = [v["view_count"] for v in vs]
    stem = sum(v["is_stem_verified"] for v in vs) / len(vs)
    parts.append("")
    parts.append(
        f"In {region}, {len(vs)} videos were posted. The median number of likes was {statistics.median(likes)} "
        f"and the mean number of views was {statistics.fmean(views):.1f}; the average duration was "
        f"{statistics.fmean(v['video_duration'] for v in vs):.1f} seconds, and {100 * stem:.1f}% of the videos were STEM verified. "
        f"The like-to-view ratio was {sum(likes) / max(1, sum(views)):.4f}."
    )
with open("output/report.md", "w") as handle:
    handle.write("\n".join(parts) + "\n")
