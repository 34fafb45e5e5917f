# expect: not-approved
# shape: per-user table: exact follower count, region, exact video count (no id), markdown table in .md
from pyrqs import rqs

client = rqs.RQSClient()
lines = ["# Creators", "", "| region | followers | videos |", "|---|---|---|"]
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
        fields="follower_count,video_count",
        page_size=10000,
    ):
        if u["follower_count"] >= 10 and u["video_count"] >= 10:
            lines.append(f"| {region} | {u['follower_count']} | {u['video_count']} |")
            n += 1
        if n >= 30:
            break
with open("output/creators.md", "w") as handle:
    handle.write("\n".join(lines) + "\n")
