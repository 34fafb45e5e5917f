"""Inside a clean-room job the platform is reached over a Unix socket (``RQS_API_URL=unix:/path``)."""

from __future__ import annotations

import json
import socketserver
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from pyrqs import rqs


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((self.path, self.headers.get("Authorization", ""), body["category"]))
        records = [{"id": 1, "region_code": "US"}, {"id": 2, "region_code": "MX"}]
        answer = json.dumps(
            {
                "data": {
                    "records": records,
                    "category": "video",
                    "count": 2,
                    "has_more": False,
                    "cursor": None,
                },
                "error": {"code": "ok", "message": "", "log_id": "20261125050000AB12CD34EF56"},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


class _UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


@pytest.fixture()
def gateway() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "data.sock")
        server = _UnixServer(path, _Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        _Handler.seen = []
        yield path
        server.shutdown()
        server.server_close()


def test_a_job_queries_through_its_socket_with_its_token(
    gateway: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("RQS_CLIENT_KEY", "RQS_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RQS_API_URL", f"unix:{gateway}")
    monkeypatch.setenv("RQS_ACCESS_TOKEN", "job-token")
    client = rqs.RQSClient()
    records = list(client.iter_query(category="video", fields="id,region_code", page_size=1000))
    assert [record["region_code"] for record in records] == ["US", "MX"]
    assert _Handler.seen == [("/v2/vce/query/", "Bearer job-token", "video")]
    assert "job token" in repr(client)


def test_a_missing_socket_is_reported_as_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    client = rqs.RQSClient(api_url="unix:/nonexistent/data.sock", access_token="t")
    with pytest.raises(rqs.PlatformUnavailableError) as caught:
        client.query(category="video", fields="id", limit=1)
    assert (
        "localhost" in str(caught.value)
        or "data.sock" in str(caught.value)
        or "reach" in str(caught.value).lower()
    )
