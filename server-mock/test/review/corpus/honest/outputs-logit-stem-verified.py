# expect: approved
# shape: pyrqs.outputs logit (CSV) and OLS (JSON) summaries of video fields, with provenance records
from pyrqs import outputs, rqs

videos = list(
    rqs.RQSClient().iter_query(
        category="video",
        fields="is_stem_verified,like_count,video_duration,comment_count",
        page_size=10_000,
    )
)
outputs.write(
    outputs.logit(videos, "is_stem_verified", ["video_duration"]), "output/stem_logit.csv"
)
outputs.write(
    outputs.regression(videos, "like_count", ["video_duration", "comment_count"]),
    "output/likes_ols.json",
)
