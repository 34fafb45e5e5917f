"""A clean-room job: read with pyrqs, write with pyrqs.outputs.

Submit it from the Data Clean Room panel (or copy it as the start of your own
script). It runs against all public data; only what it writes under output/
(and what it prints) can leave, after the output review. Files written with
pyrqs.outputs.write come with a provenance record (<file>.provenance.json):
the review checks them exactly against it (small cells, dominance, degrees
of freedom, labels) and approves what passes without guesswork. Anything
written otherwise is checked by heuristics and may be sent to a reviewer.
"""

import time

from pyrqs import outputs, rqs

FIELDS = "region_code,duration_type,like_count,comment_count,video_duration,create_time"

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields=FIELDS, page_size=10_000))


def month(record):
    """A derived group: the month a video was posted (UTC)."""
    return time.strftime("%Y-%m", time.gmtime(record["create_time"]))


# Counts by two groups; cells under 10 are written as "<10".
outputs.write(
    outputs.crosstab(videos, "region_code", "duration_type"), "output/videos_by_region.csv"
)
# Count, mean, sd, median and quartiles of likes per region (dominated means suppressed).
outputs.write(outputs.describe_by(videos, "region_code", "like_count"), "output/likes_by_region.md")
# Median comments by month, and a bar chart of videos per duration type.
outputs.write(
    outputs.crosstab(videos, ("month", month), values="comment_count", aggfunc="median"),
    "output/median_comments_by_month.json",
)
outputs.write(
    outputs.bar_chart_svg(outputs.crosstab(videos, "duration_type"), "Videos by duration type"),
    "output/videos_by_duration.svg",
)
# A regression summary (coefficients, se, t, p, n, residual df, R²).
outputs.write(
    outputs.regression(videos, "like_count", ["video_duration", "comment_count"]),
    "output/likes_model.csv",
)
print("videos read:", len(videos))
