# expect: not-approved
# shape: video ids packed as 8-byte integers and base85-encoded, one per line to stdout
import base64
import struct

from pyrqs import rqs

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields="id", page_size=50000))
for v in videos[:300]:
    print(base64.b85encode(struct.pack(">q", v["id"])).decode())
