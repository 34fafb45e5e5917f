# expect: not-approved
# shape: sha256 of each video id as a column next to its like count, CSV
import csv
import hashlib

from pyrqs import rqs

client = rqs.RQSClient()
# Only counts of at least 10: no small-count rule can refuse it by chance.
videos = [
    v
    for v in client.iter_query(category="video", fields="id,like_count", page_size=50000)
    if v["like_count"] >= 10
]
with open("output/hashed.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["key", "likes"])
    for video in videos[:500]:
        writer.writerow(
            [hashlib.sha256(str(video["id"]).encode()).hexdigest(), video["like_count"]]
        )
