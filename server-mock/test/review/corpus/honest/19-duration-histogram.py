# expect: approved
# shape: histogram of video duration in 10-second bins (bins with < 10 videos merged into the last) in CSV
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
bins = Counter()
for video in client.iter_query(category="video", fields="video_duration", page_size=50000):
    bins[min(video["video_duration"] // 10, 30)] += 1

with open("output/duration_histogram.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["duration_bin_s", "videos"])
    for b in sorted(bins):
        label = f"{b * 10}-{b * 10 + 9}" if b < 30 else "300+"
        writer.writerow([label, bins[b] if bins[b] >= 10 else "<10"])
