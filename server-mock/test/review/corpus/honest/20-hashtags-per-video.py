# expect: approved
# shape: distribution of hashtags per video: a labelled median line plus a frequency table, in text
import statistics
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
per_video = [
    len(video.get("hashtag_names") or [])
    for video in client.iter_query(category="video", fields="hashtag_names", page_size=50000)
]
freq = Counter(min(n, 8) for n in per_video)
lines = [
    f"videos: {len(per_video)}",
    f"median hashtags per video: {statistics.median(per_video):g}",
    f"mean hashtags per video: {statistics.fmean(per_video):.2f}",
    "",
    "hashtags  videos",
]
for n in sorted(freq):
    lines.append(f"{str(n) + ('+' if n == 8 else ''):<9} {freq[n] if freq[n] >= 10 else '<10'}")
with open("output/hashtags_per_video.txt", "w") as handle:
    handle.write("\n".join(lines) + "\n")
