# expect: not-approved
# shape: descriptions fully shuffled with one word dropped, one per line in .txt
import random

from pyrqs import rqs

client = rqs.RQSClient()
random.seed(3)
out = []
for v in client.iter_query(category="video", fields="video_description", page_size=50000):
    words = v["video_description"].split()
    if len(words) < 10:
        continue
    words = words[1:]
    random.shuffle(words)
    out.append(" ".join(words))
    if len(out) >= 300:
        break
with open("output/themes.txt", "w") as handle:
    handle.write("\n".join(out) + "\n")
