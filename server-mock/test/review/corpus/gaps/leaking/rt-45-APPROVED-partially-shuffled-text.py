# expect: not-approved
# shape: descriptions with two words dropped and adjacent word pairs swapped (no 8-word run, bag differs), one per line in .txt
from pyrqs import rqs

client = rqs.RQSClient()
out = []
for v in client.iter_query(category="video", fields="video_description", page_size=50000):
    words = v["video_description"].split()
    if len(words) < 12:
        continue
    words = words[1:-1]
    for i in range(0, len(words) - 1, 2):
        words[i], words[i + 1] = words[i + 1], words[i]
    out.append(" ".join(words))
    if len(out) >= 300:
        break
with open("output/themes.txt", "w") as handle:
    handle.write("\n".join(out) + "\n")
