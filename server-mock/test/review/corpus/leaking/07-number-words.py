# expect: not-approved
# shape: video ids spelled digit by digit in words, markdown list
from pyrqs import rqs

client = rqs.RQSClient()
WORDS = "zero one two three four five six seven eight nine".split()
videos = list(client.iter_query(category="video", fields="id", page_size=50000))
with open("output/words.md", "w") as handle:
    handle.write("# Items\n\n")
    for video in videos[:150]:
        handle.write("- " + " ".join(WORDS[int(d)] for d in str(video["id"])) + "\n")
