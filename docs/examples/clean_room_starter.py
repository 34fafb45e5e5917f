"""A clean-room script to start from: videos per region and length.

How to use it
1. Change the query (CONDITION_GROUPS, shaped like the Query Builder's
   cells) and the groups you count by.
2. *Test run...* it from the Data Clean Room panel (the shield, right):
   it runs on a small sample and shows the verdict the review would give.
   Nothing is released.
3. *Submit...* it: it runs against all public data, every output is
   reviewed, and only aggregated results come back (the download link is
   mailed to the primary researcher).

What the output review lets out (the panel's "How a job runs" says more)
- only what the script writes under output/ and what it prints;
- only aggregates: never ids, usernames, texts or other values of single
  records;
- no cell that counts fewer than THRESHOLD records: write it as "<10";
- no totals beside suppressed cells (a total minus the cells shown gives
  the hidden ones away).
For means, medians, percentiles and models, write with pyrqs.outputs
(outputs.crosstab, describe_by, percentiles, regression): it suppresses
small and dominated cells itself, and the review checks its files exactly.
"""

import csv
import os
from collections import Counter

from pyrqs import rqs

# The review's frequency threshold: a cell counting fewer records is suppressed.
THRESHOLD = 10

# 1. The query: which videos to read. Groups combine with AND; a group's
#    operator is "and", "or" or "not". This one: videos with 10 likes or more.
CATEGORY = "video"
CONDITION_GROUPS = [
    {
        "operator": "and",
        "conditions": [
            {"field": "like_count", "operator": "gte", "field_values": ["10"]},
        ],
    }
]
# Read only the fields the aggregate needs.
FIELDS = "region_code,video_length"
LENGTHS = ["SHORT", "MID", "LONG", "EXTRA_LONG"]

# 2. Read all matching videos through the SDK's paging and aggregate as you go:
#    count the videos of each (region, length) cell, keep no record. In a job,
#    iter_query pages through every match (page_size records a request, not
#    charged to your quota); in a test run it reads one sample page of
#    page_size records, charged to today's quota.
client = rqs.RQSClient()
cells = Counter()
for video in client.iter_query(
    category=CATEGORY,
    condition_groups=CONDITION_GROUPS,
    fields=FIELDS,
    page_size=1_000,
):
    cells[(video["region_code"], video["video_length"])] += 1


def shown(count):
    """A cell as released: its count, or "<10" below the threshold."""
    return count if count >= THRESHOLD else f"<{THRESHOLD}"


# 3. Suppress and write: a row a region, a column a length. Cells below the
#    threshold become "<10"; a region whose every cell is below it is left
#    out (it would say nothing).
os.makedirs("output", exist_ok=True)
regions_written = 0
with open("output/videos_by_region_and_length.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code"] + LENGTHS)
    for region in sorted({region for region, _ in cells}):
        row = [cells[(region, length)] for length in LENGTHS]
        if max(row) < THRESHOLD:
            continue
        writer.writerow([region] + [shown(count) for count in row])
        regions_written += 1

# What is printed is reviewed too: print aggregates only, never a record.
print("regions written:", regions_written)
