# expect: approved
# shape: cross-tab STEM-verified x duration type as markdown, small cells suppressed
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
cells = Counter()
for video in client.iter_query(
    category="video", fields="is_stem_verified,duration_type", page_size=50000
):
    cells[("yes" if video["is_stem_verified"] else "no", video["duration_type"])] += 1

kinds = ["short", "mid", "long", "extra_long"]
lines = ["| STEM verified | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
for flag in ["yes", "no"]:
    lines.append(
        f"| {flag} | "
        + " | ".join(str(cells[(flag, k)]) if cells[(flag, k)] >= 10 else "<10" for k in kinds)
        + " |"
    )
with open("output/stem_by_duration.md", "w") as handle:
    handle.write("\n".join(lines) + "\n")
