# expect: not-approved
# shape: all ids joined, zlib-compressed and base64'd into one JSON string
import base64
import json
import zlib

from pyrqs import rqs

client = rqs.RQSClient()
ids = [str(v["id"]) for v in client.iter_query(category="video", fields="id", page_size=50000)][
    :2000
]
blob = base64.b64encode(zlib.compress(",".join(ids).encode(), 9)).decode()
with open("output/model_state.json", "w") as handle:
    json.dump({"version": 1, "state": blob}, handle)
