# expect: approved
# shape: quarterly series by video length as a markdown table
from collections import Counter
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
cells = Counter()
for video in client.iter_query(
    category="video", fields="create_time,video_length", page_size=50000
):
    moment = datetime.fromtimestamp(video["create_time"], tz=UTC)
    cells[(f"{moment.year}-Q{(moment.month - 1) // 3 + 1}", video["video_length"])] += 1

lengths = ["SHORT", "MID", "LONG", "EXTRA_LONG"]
quarters = sorted({q for q, _ in cells})
lines = ["| quarter | " + " | ".join(lengths) + " |", "|---" * (len(lengths) + 1) + "|"]
for quarter in quarters:
    row = [cells[(quarter, length)] for length in lengths]
    lines.append(f"| {quarter} | " + " | ".join(str(n) if n >= 10 else "<10" for n in row) + " |")
with open("output/quarterly_by_length.md", "w") as handle:
    handle.write("# Videos per quarter and length\n\n" + "\n".join(lines) + "\n")
