# expect: approved
# shape: text bar chart of videos by duration type printed to stdout and saved as .txt
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
counts = Counter(
    video["duration_type"]
    for video in client.iter_query(category="video", fields="duration_type", page_size=50000)
)
widest = max(counts.values())
lines = ["Videos by duration type", ""]
for kind in ["short", "mid", "long", "extra_long"]:
    n = counts[kind]
    lines.append(f"{kind:<11}|{'#' * round(50 * n / widest):<50}| {n}")
chart = "\n".join(lines) + "\n"
print(chart)
with open("output/duration_chart.txt", "w") as handle:
    handle.write(chart)
