# expect: approved
# shape: users: share verified and median videos posted, verified vs not, in JSON
import json
import statistics

from pyrqs import rqs

client = rqs.RQSClient()
groups = {True: [], False: []}
for user in client.iter_query(
    category="user", fields="is_verified,video_count,following_count", page_size=10000
):
    groups[bool(user["is_verified"])].append(user)

total = sum(len(g) for g in groups.values())
summary = {"users": total}
for flag, users in groups.items():
    if len(users) < 10:
        continue
    summary["verified" if flag else "not_verified"] = {
        "users": len(users),
        "share": round(len(users) / total, 4),
        "median_video_count": statistics.median(u["video_count"] for u in users),
        "median_following": statistics.median(u["following_count"] for u in users),
    }
with open("output/verified.json", "w") as handle:
    json.dump(summary, handle, indent=2)
