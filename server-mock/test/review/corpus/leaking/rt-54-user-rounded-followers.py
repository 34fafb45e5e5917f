# expect: not-approved
# shape: per-user rows: followers rounded to 2 significant figures, exact following, likes and video counts, region, verified, JSON lines in stdout
import json

from pyrqs import rqs

client = rqs.RQSClient()
for region in ["US", "BR", "ID", "MX", "JP", "FR", "GB", "DE"]:
    condition = [
        {
            "operator": "and",
            "conditions": [{"field": "region_code", "operator": "EQ", "field_values": [region]}],
        }
    ]
    n = 0
    for u in client.iter_query(
        category="user",
        condition_groups=condition,
        fields="is_verified,follower_count,following_count,likes_count,video_count",
        page_size=10000,
    ):
        if min(u["following_count"], u["likes_count"], u["video_count"]) < 10:
            continue
        print(
            json.dumps(
                {
                    "r": region,
                    "v": u["is_verified"],
                    "f": float(f"{u['follower_count']:.2g}"),
                    "g": u["following_count"],
                    "l": u["likes_count"],
                    "n": u["video_count"],
                }
            )
        )
        n += 1
        if n >= 25:
            break
