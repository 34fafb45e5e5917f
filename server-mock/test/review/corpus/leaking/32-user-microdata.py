# expect: not-approved
# shape: user microdata: one row per user with exact follower, following, likes and video counts, CSV
import csv

from pyrqs import rqs

client = rqs.RQSClient()
users = [
    u
    for u in client.iter_query(
        category="user",
        fields="follower_count,following_count,likes_count,video_count",
        page_size=10000,
    )
    if min(u.values()) >= 10
]
with open("output/users.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["follower_count", "following_count", "likes_count", "video_count"])
    for u in users[:400]:
        writer.writerow(
            [u["follower_count"], u["following_count"], u["likes_count"], u["video_count"]]
        )
