"""Stands in for jupyterhub-singleuser in the real-hub test (run by file path, stdlib only).

Records the platform variables it was started with (the secret as its SHA-256 only) and its
hub API token in $VCE_TEST_ENV_RECORD_DIR/<JUPYTERHUB_USER>.json, then answers every request
with 200 on the address the hub gave it, until SIGINT / SIGTERM.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import urlsplit

RECORDED = (
    "RQS_API_URL",
    "RQS_CLIENT_KEY",
    "RQS_PIP_INDEX_URL",
    "JUPYTERHUB_USER",
    "JUPYTERHUB_API_TOKEN",
)


class Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"spawned")

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log."""


def main() -> None:
    record = {name: os.environ.get(name) for name in RECORDED}
    secret = os.environ.get("RQS_CLIENT_SECRET", "")
    record["RQS_CLIENT_SECRET_sha256"] = hashlib.sha256(secret.encode()).hexdigest()
    record_file = Path(os.environ["VCE_TEST_ENV_RECORD_DIR"], f"{record['JUPYTERHUB_USER']}.json")
    written = record_file.with_suffix(".part")
    written.write_text(json.dumps(record))
    written.replace(record_file)  # whole: a test polling for the file never reads half of it
    address = urlsplit(os.environ["JUPYTERHUB_SERVICE_URL"])
    server = HTTPServer((address.hostname or "127.0.0.1", address.port or 0), Answer)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
