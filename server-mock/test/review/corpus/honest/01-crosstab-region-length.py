# expect: approved
# shape: cross-tab region x video length in CSV, cells under 10 suppressed
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
cells = Counter()
for video in client.iter_query(
    category="video", fields="region_code,video_length", page_size=50000
):
    cells[(video["region_code"], video["video_length"])] += 1

lengths = ["SHORT", "MID", "LONG", "EXTRA_LONG"]
regions = sorted({region for region, _ in cells})
with open("output/crosstab_region_length.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code"] + lengths)
    for region in regions:
        row = [cells[(region, length)] for length in lengths]
        if sum(row) < 100:
            continue  # small regions are left out entirely
        writer.writerow([region] + [n if n >= 10 else "<10" for n in row])
