# expect: not-approved
# shape: video descriptions with their words shuffled, one per line of a text file
import random

from pyrqs import rqs

client = rqs.RQSClient()
rng = random.Random(4)
videos = list(
    client.iter_query(category="video", fields="video_description,voice_to_text", page_size=50000)
)
with open("output/texts.txt", "w") as handle:
    for video in videos[:300]:
        words = (video["video_description"] + " " + video["voice_to_text"]).split()
        rng.shuffle(words)
        handle.write(" ".join(words) + "\n")
