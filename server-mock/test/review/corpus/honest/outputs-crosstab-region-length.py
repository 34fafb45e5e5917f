# expect: approved
# shape: pyrqs.outputs crosstab: videos by region and video length (CSV, small cells suppressed) + provenance
from pyrqs import outputs, rqs

videos = rqs.RQSClient().iter_query(
    category="video", fields="region_code,video_length", page_size=10_000
)
table = outputs.crosstab(list(videos), "region_code", "video_length")
outputs.write(table, "output/videos_by_region_and_length.csv")
print("cells suppressed:", table.suppressed)
