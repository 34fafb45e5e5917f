# expect: approved
# shape: users: median and quartiles of followers by region (regions with >= 50 users) in CSV
import csv
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
followers = defaultdict(list)
# The user category returns no region field: each region is asked for by a condition.
regions = [
    "US",
    "BR",
    "ID",
    "MX",
    "PK",
    "VN",
    "TH",
    "EG",
    "RU",
    "NG",
    "PH",
    "JP",
    "FR",
    "TR",
    "GB",
    "DE",
]
for region in regions:
    condition = [
        {
            "operator": "and",
            "conditions": [{"field": "region_code", "operator": "EQ", "field_values": [region]}],
        }
    ]
    for user in client.iter_query(
        category="user", condition_groups=condition, fields="follower_count", page_size=10000
    ):
        followers[region].append(user["follower_count"])

with open("output/followers_by_region.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code", "users", "p25_followers", "median_followers", "p75_followers"])
    for region in regions:
        values = followers[region]
        if len(values) >= 50:
            q1, q2, q3 = statistics.quantiles(values, n=4)
            writer.writerow([region, len(values), round(q1), round(q2), round(q3)])
