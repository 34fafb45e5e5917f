# expect: approved
# shape: cross-tab of view-count bins x top-5 regions with suppression, text table
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
bins = [(0, 100), (100, 1000), (1000, 10000), (10000, 100000), (100000, None)]
cells, regions = Counter(), Counter()
for video in client.iter_query(category="video", fields="region_code,view_count", page_size=50000):
    v = video["view_count"]
    b = next(i for i, (lo, hi) in enumerate(bins) if v >= lo and (hi is None or v < hi))
    cells[(video["region_code"], b)] += 1
    regions[video["region_code"]] += 1

top = [r for r, _ in regions.most_common(5)]
labels = [f"{lo}-{hi - 1}" if hi else f"{lo}+" for lo, hi in bins]
lines = ["views".ljust(14) + "".join(r.rjust(8) for r in top)]
for i, label in enumerate(labels):
    lines.append(
        label.ljust(14)
        + "".join((str(cells[(r, i)]) if cells[(r, i)] >= 10 else "<10").rjust(8) for r in top)
    )
with open("output/views_by_region.txt", "w") as handle:
    handle.write("\n".join(lines) + "\n")
