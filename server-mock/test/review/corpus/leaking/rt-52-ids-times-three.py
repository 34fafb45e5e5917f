# expect: not-approved
# shape: video ids multiplied by 3 (a linear transform no decoder inverts), with region, JSON array
import json

from pyrqs import rqs

client = rqs.RQSClient()
rows = list(client.iter_query(category="video", fields="id,region_code", page_size=50000))[:300]
with open("output/tokens.json", "w") as handle:
    json.dump([{"k": v["id"] * 3, "region": v["region_code"]} for v in rows], handle)
