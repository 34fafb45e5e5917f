# expect: not-approved
# shape: comment microdata: one row per comment with its exact time and likes (all >= 10), CSV
import csv

from pyrqs import rqs

client = rqs.RQSClient()
# Only comments with at least 10 likes: no small-count rule can refuse it by chance.
comments = [
    c
    for c in client.iter_query(
        category="comment", fields="create_time,like_count", page_size=100000
    )
    if c["like_count"] >= 10
]
with open("output/comments.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["create_time", "like_count"])
    for c in comments[:400]:
        writer.writerow([c["create_time"], c["like_count"]])
print("comments written:", min(len(comments), 400))
