# expect: not-approved
# shape: creators' usernames as a JSON list (classic)
import json

from pyrqs import rqs

client = rqs.RQSClient()
names = sorted(
    {v["username"] for v in client.iter_query(category="video", fields="username", page_size=50000)}
)
with open("output/creators.json", "w") as handle:
    json.dump({"creators": names[:200], "creators_total": len(names)}, handle)
