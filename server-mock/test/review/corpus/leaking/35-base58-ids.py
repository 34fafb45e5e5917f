# expect: not-approved
# shape: video ids in base58 as a column of a markdown table with views
from pyrqs import rqs

client = rqs.RQSClient()
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(n):
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    return out


# Only counts of at least 10: no small-count rule can refuse it by chance.
videos = [
    v
    for v in client.iter_query(category="video", fields="id,view_count", page_size=50000)
    if v["view_count"] >= 10
]
lines = ["| ref | views |", "|---|---:|"]
for v in videos[:300]:
    lines.append(f"| {base58(v['id'])} | {v['view_count']} |")
with open("output/refs.md", "w") as handle:
    handle.write("\n".join(lines) + "\n")
