# expect: approved
# shape: progress lines in stdout every 1000 records with elapsed seconds and running mean, then a 3-line summary
import time

from pyrqs import rqs

client = rqs.RQSClient()
start = time.monotonic()
n = 0
likes = 0
for v in client.iter_query(category="video", fields="like_count", page_size=10000):
    n += 1
    likes += v["like_count"]
    if n % 1000 == 0:
        print(
            f"processed {n} records in {time.monotonic() - start:.2f} s, running mean likes {likes / n:.3f}",
            flush=True,
        )
print(f"done: {n} records")
print(f"mean likes: {likes / n:.2f}")
