# expect: approved
# shape: users: median likes received by follower band (log10 bins, bands with >= 10 users), in CSV
import csv
import math
import statistics
from collections import defaultdict

from pyrqs import rqs

client = rqs.RQSClient()
bands = defaultdict(list)
for user in client.iter_query(
    category="user", fields="follower_count,likes_count", page_size=10000
):
    band = int(math.log10(user["follower_count"] + 1))
    bands[band].append(user["likes_count"])

with open("output/likes_by_follower_band.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["follower_band", "users", "median_likes_received"])
    for band in sorted(bands):
        values = bands[band]
        label = f"10^{band}-10^{band + 1}"
        if len(values) >= 10:
            writer.writerow([label, len(values), statistics.median(values)])
        else:
            writer.writerow([label, "<10", ""])
