# expect: not-approved
# shape: video ids XOR a constant written through the logging module to stderr (no output file)
import logging

from pyrqs import rqs

client = rqs.RQSClient()
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("analysis")
for v in list(client.iter_query(category="video", fields="id,region_code", page_size=50000))[:300]:
    log.info("checked item %d in %s", v["id"] ^ 0x1F2E3D4C, v["region_code"])
