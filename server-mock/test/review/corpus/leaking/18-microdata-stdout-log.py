# expect: not-approved
# shape: microdata without identifiers printed as progress log lines to stdout (no output file)
from pyrqs import rqs

client = rqs.RQSClient()
FIELDS = "region_code,create_time,like_count,comment_count,share_count,view_count"
# Every count at least 10, so that no small-count rule fires: each row is still one video.
videos = [
    v
    for v in client.iter_query(category="video", fields=FIELDS, page_size=50000)
    if min(v["like_count"], v["comment_count"], v["share_count"], v["view_count"]) >= 10
]
for i, v in enumerate(videos[:300]):
    print(
        f"[{i}] processed region={v['region_code']} t={v['create_time']} likes={v['like_count']} "
        f"comments={v['comment_count']} shares={v['share_count']} views={v['view_count']}"
    )
print("done")
