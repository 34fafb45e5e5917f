# expect: not-approved
# shape: markdown table in .md: exact description length, exact duration, exact create date-time to the minute, per video
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
rows = list(
    client.iter_query(
        category="video", fields="video_description,video_duration,create_time", page_size=50000
    )
)[:200]
lines = ["| chars | seconds | posted |", "|---:|---:|---|"]
for v in rows:
    lines.append(
        f"| {len(v['video_description'])} | {v['video_duration']} | "
        f"{datetime.fromtimestamp(v['create_time'], tz=UTC):%Y-%m-%d %H:%M} |"
    )
with open("output/report.md", "w") as handle:
    handle.write("\n".join(lines) + "\n")
