"""A minimal platform stand-in process with vce-mock's command line and ready line.

Used to test the embedded process's lifetime without node: it answers every
GET with 200, echoes its client argument to stderr (so tests can check the
log redacts it) and exits on SIGTERM.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Answer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request log."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--data-dir")
    options = parser.parse_args()
    try:
        server = HTTPServer((options.host, options.port), Answer)
    except OSError as error:  # as vce-mock says it (server-mock/src/cli.ts)
        code = "EADDRINUSE: address already in use" if error.errno == errno.EADDRINUSE else error
        print(f"vce-mock: could not start: listen {code} {options.host}:{options.port}",
              file=sys.stderr)  # fmt: skip
        sys.exit(1)
    client = os.environ.get("VCE_MOCK_CLIENT", "")
    print(f"registered client {client}", file=sys.stderr, flush=True)
    print(f"vce-mock listening on http://{options.host}:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
