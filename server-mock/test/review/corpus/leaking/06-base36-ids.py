# expect: not-approved
# shape: video ids in base36 as JSON object keys with like counts
import json

from pyrqs import rqs

client = rqs.RQSClient()
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(n):
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = DIGITS[r] + out
    return out or "0"


# Only counts of at least 10: no small-count rule can refuse it by chance.
videos = [
    v
    for v in client.iter_query(category="video", fields="id,like_count", page_size=50000)
    if v["like_count"] >= 10
]
with open("output/tokens.json", "w") as handle:
    json.dump({base36(v["id"]): v["like_count"] for v in videos[:300]}, handle, indent=1)
