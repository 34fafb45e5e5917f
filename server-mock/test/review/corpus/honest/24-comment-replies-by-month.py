# expect: approved
# shape: comments: share of replies (vs top-level) by month, in JSON
import json
from collections import Counter
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
comments, replies = Counter(), Counter()
for comment in client.iter_query(
    category="comment", fields="create_time,video_id,parent_comment_id", page_size=100000
):
    month = datetime.fromtimestamp(comment["create_time"], tz=UTC).strftime("%Y-%m")
    comments[month] += 1
    if comment["parent_comment_id"] != comment["video_id"]:
        replies[month] += 1

series = [
    {"month": m, "comments": comments[m], "reply_share": round(replies[m] / comments[m], 3)}
    for m in sorted(comments)
    if comments[m] >= 10
]
with open("output/reply_share_by_month.json", "w") as handle:
    json.dump({"series": series}, handle, indent=1)
