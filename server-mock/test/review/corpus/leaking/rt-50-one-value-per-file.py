# expect: not-approved
# shape: 100 text files, each holding one value: the exact posting time (epoch seconds) of one video
import os

from pyrqs import rqs

client = rqs.RQSClient()
rows = list(client.iter_query(category="video", fields="create_time", page_size=50000))[:100]
os.makedirs("output/t", exist_ok=True)
for i, v in enumerate(rows):
    with open(f"output/t/{i:03d}.txt", "w") as handle:
        handle.write(f"{v['create_time']}\n")
