# expect: not-approved
# shape: creators' display names in a markdown table with their video counts (classic)
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
counts = Counter(
    v["display_name"]
    for v in client.iter_query(category="video", fields="display_name", page_size=50000)
)
lines = ["| creator | videos |", "|---|---:|"]
for name, n in counts.most_common(100):
    lines.append(f"| {name} | {n} |")
with open("output/creators.md", "w") as handle:
    handle.write("\n".join(lines) + "\n")
