# expect: not-approved
# shape: ids carried in exception messages, caught, chained and printed with traceback to stderr
import traceback

from pyrqs import rqs

client = rqs.RQSClient()
videos = list(client.iter_query(category="video", fields="id,username", page_size=50000))
for video in videos[:100]:
    try:
        try:
            raise KeyError(f"missing {video['id']}")
        except KeyError as inner:
            raise ValueError(f"bad record of {video['username']}") from inner
    except ValueError:
        traceback.print_exc()
with open("output/done.txt", "w") as handle:
    handle.write("finished\n")
