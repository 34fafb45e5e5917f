# expect: not-approved
# shape: video ids in base32, one per line of a text file
import base64

from pyrqs import rqs

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields="id", page_size=50000))
with open("output/codes.txt", "w") as handle:
    for video in videos[:300]:
        handle.write(base64.b32encode(str(video["id"]).encode()).decode().rstrip("=") + "\n")
