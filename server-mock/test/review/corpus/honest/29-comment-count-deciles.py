# expect: approved
# shape: deciles of comments per video and of comment replies, printed to stdout only
import statistics

from pyrqs import rqs

client = rqs.RQSClient()
per_video = [
    v["comment_count"]
    for v in client.iter_query(category="video", fields="comment_count", page_size=50000)
]
replies = [
    c["reply_count"]
    for c in client.iter_query(category="comment", fields="reply_count", page_size=100000)
]

print(f"videos: {len(per_video)}; comments: {len(replies)}")
for name, values in [("comments per video", per_video), ("replies per comment", replies)]:
    deciles = statistics.quantiles(values, n=10)
    print(f"{name} deciles (p10..p90): " + ", ".join(f"{d:g}" for d in deciles))
    print(f"{name}: mean {statistics.fmean(values):.3f}, median {statistics.median(values):g}")
