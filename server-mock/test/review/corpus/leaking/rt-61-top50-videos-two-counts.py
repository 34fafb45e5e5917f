# expect: not-approved
# shape: top-50 single videos by likes: rank, exact likes and exact shares (two counts per video), markdown in .md
from pyrqs import rqs

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields="like_count,share_count", page_size=50000))
videos.sort(key=lambda v: -v["like_count"])
lines = ["| rank | likes | shares |", "|---|---|---|"]
for rank, v in enumerate(videos[:50], start=1):
    lines.append(f"| {rank} | {v['like_count']} | {v['share_count']} |")
with open("output/top.md", "w") as handle:
    handle.write("\n".join(lines) + "\n")
