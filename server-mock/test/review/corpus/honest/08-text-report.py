# expect: approved
# shape: plain-text report printed to stdout and written to a .txt file (totals, shares, means by length)
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
by_length = defaultdict(list)
for video in client.iter_query(
    category="video", fields="video_length,comment_count", page_size=50000
):
    by_length[video["video_length"]].append(video["comment_count"])

total = sum(len(v) for v in by_length.values())
report = [f"Comments per video by video length ({total} videos)", ""]
for length in ["SHORT", "MID", "LONG", "EXTRA_LONG"]:
    values = by_length[length]
    report.append(
        f"{length:<11} videos {len(values):>6}  share {100 * len(values) / total:5.1f}%  "
        f"mean comments {statistics.fmean(values):7.2f}  median comments {statistics.median(values):5.1f}"
    )
text = "\n".join(report) + "\n"
print(text)
with open("output/comments_by_length.txt", "w") as handle:
    handle.write(text)
