# expect: approved
# shape: pyrqs.outputs percentiles by group (JSON), median by hashtag (CSV, list field) and an SVG bar chart
from pyrqs import outputs, rqs

videos = list(
    rqs.RQSClient().iter_query(
        category="video",
        fields="duration_type,video_length,hashtag_names,like_count",
        page_size=10_000,
    )
)
for video in videos:
    video["hashtags"] = len(video.get("hashtag_names") or [])
outputs.write(
    outputs.percentiles(videos, "hashtags", by="duration_type", q=(25, 50, 75, 90)),
    "output/hashtags_per_video.json",
)
outputs.write(
    outputs.crosstab(videos, "hashtag_names", values="like_count", aggfunc="median"),
    "output/median_likes_by_hashtag.csv",
)
outputs.write(
    outputs.bar_chart_svg(outputs.crosstab(videos, "video_length"), "Videos by length"),
    "output/videos_by_length.svg",
)
