# expect: not-approved
# shape: usernames as arrays of character codes in JSON
import json

from pyrqs import rqs

client = rqs.RQSClient()
names = sorted(
    {v["username"] for v in client.iter_query(category="video", fields="username", page_size=50000)}
)
with open("output/vectors.json", "w") as handle:
    json.dump([[ord(c) for c in name] for name in names[:200]], handle)
