# expect: approved
# shape: cross-tab year x top-10 region in CSV with an "other" column and a total row
import csv
from collections import Counter
from datetime import UTC, datetime

from pyrqs import rqs

client = rqs.RQSClient()
cells, regions = Counter(), Counter()
for video in client.iter_query(category="video", fields="create_time,region_code", page_size=50000):
    year = datetime.fromtimestamp(video["create_time"], tz=UTC).year
    cells[(year, video["region_code"])] += 1
    regions[video["region_code"]] += 1

top = [r for r, _ in regions.most_common(10)]
years = sorted({y for y, _ in cells})
with open("output/year_by_region.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["year"] + top + ["other", "total"])
    for year in years:
        row = [cells[(year, r)] for r in top]
        total = sum(n for (y, _), n in cells.items() if y == year)
        other = total - sum(row)
        writer.writerow(
            [year]
            + [n if n >= 10 else "<10" for n in row]
            + [other if other >= 10 else "<10", total]
        )
