# expect: approved
# shape: statistics.linear_regression and correlation per video length in a markdown table
import math
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
pairs = defaultdict(lambda: ([], []))
for video in client.iter_query(
    category="video", fields="video_length,like_count,share_count", page_size=50000
):
    xs, ys = pairs[video["video_length"]]
    xs.append(math.log1p(video["like_count"]))
    ys.append(math.log1p(video["share_count"]))

lines = [
    "# Shares against likes (log scale), by video length",
    "",
    "| video_length | n | slope | intercept | pearson_r |",
    "|---|---|---|---|---|",
]
for length, (xs, ys) in sorted(pairs.items()):
    fit = statistics.linear_regression(xs, ys)
    r = statistics.correlation(xs, ys)
    lines.append(f"| {length} | {len(xs)} | {fit.slope:.4f} | {fit.intercept:.4f} | {r:.3f} |")
with open("output/shares_vs_likes.md", "w") as handle:
    handle.write("\n".join(lines) + "\n")
