"""pyrqs reads a page's records as they arrive (pyrqs/_stream.py), equal to json.loads of the body."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pyrqs import rqs
from pyrqs._stream import EnvelopeReader

TRICKY_RECORDS: list[dict[str, Any]] = [
    {"id": 7100000000000013, "region_code": "US", "like_count": 0, "create_time": 1700000000},
    {"id": 2, "video_description": 'quotes " and \\ backslash \n newline \t tab \u0000 nul'},
    {
        "id": 3,
        "video_description": "unicode é ü 中文 😀 \u2028 \u2029 \u007f",
        "hashtag_names": ["é", "😀"],
    },
    {"id": 4, "is_stem_verified": True, "voice_to_text": "", "effect_ids": ["a,b", "]", "}{"]},
    {"id": -12345678901234567890, "like_count": 1.5e300, "share_count": -0.25},
    {"id": 6, "nested": {"a": [1, {"b": None}]}, "empty": {}, "list": []},
]


def pieces(data: bytes, size: int) -> Callable[[int], bytes]:
    """A read(n) that hands out at most ``size`` bytes a call (a chunk boundary everywhere)."""
    position = 0

    def read(wanted: int) -> bytes:
        nonlocal position
        piece = data[position : position + min(size, wanted)]
        position += len(piece)
        return piece

    return read


def streamed(data: bytes, size: int) -> tuple[list[Any], Any, bool]:
    reader = EnvelopeReader(pieces(data, size), chunk_bytes=size)
    records = list(reader.records())
    return records, reader.envelope, reader.has_records


def bodies() -> Iterator[tuple[str, bytes]]:
    page = {
        "data": {
            "category": "video",
            "records": TRICKY_RECORDS,
            "count": len(TRICKY_RECORDS),
            "cursor": "eyJwIjo3MTAwMDAwMDAwMDAwMDEzfQ",
            "has_more": True,
        },
        "error": {"code": "ok", "message": "", "log_id": "20261125050000AB12CD34EF56"},
    }
    yield "compact, as the platform writes", json.dumps(page, separators=(",", ":")).encode()
    yield "ASCII escapes, spaced", json.dumps(page, ensure_ascii=True).encode()
    yield "pretty-printed", json.dumps(page, indent=2, ensure_ascii=False).encode()
    reordered = {
        "error": page["error"],
        "data": {"count": 6, "records": TRICKY_RECORDS, "quota": {"remaining": 5}},
    }
    yield "keys in another order", json.dumps(reordered, ensure_ascii=False).encode()
    empty = {"data": {"category": "video", "records": [], "count": 0}, "error": {}}
    yield "no records", json.dumps(empty).encode()
    yield "empty, spaced", b' { "data" : { "records" : [ ] } } \n'
    yield "numbers split", b'{"data":{"records":[12345,{"a":67890}],"count":1234567}}'


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64, 65536])
@pytest.mark.parametrize(("name", "body"), list(bodies()))
def test_records_and_envelope_equal_json_loads_at_every_chunk_boundary(
    name: str, body: bytes, size: int
) -> None:
    expected = json.loads(body)
    records, envelope, has_records = streamed(body, size)
    assert has_records
    assert records == expected["data"]["records"]
    rest = dict(expected, data={k: v for k, v in expected["data"].items() if k != "records"})
    assert envelope == rest
    assert json.dumps(envelope["data"]) == json.dumps(rest["data"])  # key order kept too


@pytest.mark.parametrize("size", [1, 3, 4096])
@pytest.mark.parametrize(
    "body",
    [
        b'{"data":{"records":[{"id":1},{"id":2}',  # cut short
        b'{"data":{"records":[{"id":1},]}}',  # trailing comma
        b'{"data":{"records":[{"id":1} {"id":2}]}}',  # no comma
        b'{"data":{"records":[{"id":1}]}} extra',
        b'{"data":{"records":[{"id":"\xff"}]}}',  # not UTF-8
        b'{"data":{"records":[{"id":12',
        b"",
        b"<html>",
    ],
)
def test_a_body_that_is_not_one_json_value_raises_value_error(body: bytes, size: int) -> None:
    with pytest.raises(ValueError):
        streamed(body, size)


def test_an_envelope_without_records_says_so() -> None:
    records, envelope, has_records = streamed(b'{"data":{"count":1}}', 3)
    assert (records, envelope, has_records) == ([], {"data": {"count": 1}}, False)
    records, envelope, has_records = streamed(b'{"data":{"records":"no"}}', 3)
    assert (records, envelope, has_records) == ([], {"data": {"records": "no"}}, False)
    records, envelope, has_records = streamed(b"[1,2]", 1)
    assert (records, envelope, has_records) == ([], [1, 2], False)


class _Slow(BaseHTTPRequestHandler):
    """Answers the first half of a page, waits until the test saw a record, then the rest."""

    release = threading.Event()
    body = b""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        half = len(self.body) // 2
        for part in (self.body[:half], None, self.body[half:]):
            if part is None:
                assert self.release.wait(10)
                continue
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args: Any) -> None:
        pass


def test_iter_query_yields_records_before_the_page_has_arrived(
    clean_env: pytest.MonkeyPatch,
) -> None:
    records = [{"id": i, "text": "x" * 100} for i in range(2000)]
    _Slow.body = json.dumps(
        {
            "data": {
                "category": "video",
                "records": records,
                "count": 2000,
                "cursor": None,
                "has_more": False,
            },
            "error": {"code": "ok", "message": "", "log_id": "x"},
        },
        separators=(",", ":"),
    ).encode()
    _Slow.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = rqs.RQSClient(
            f"http://127.0.0.1:{server.server_address[1]}", access_token="job-token", timeout=5
        )
        seen = client.iter_query("video", fields="id,text", page_size=100_000)
        first = next(seen)
        # The first record came while the server still holds the second half back.
        assert first == records[0] and not _Slow.release.is_set()
        _Slow.release.set()
        assert [first, *seen] == records
    finally:
        _Slow.release.set()
        server.shutdown()
        server.server_close()


def test_a_page_cut_short_is_a_platform_unavailable_error(clean_env: pytest.MonkeyPatch) -> None:
    class Cut(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "1000")
            self.end_headers()
            self.wfile.write(b'{"data":{"records":[{"id":1},{"id":2}')
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Cut)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = rqs.RQSClient(
            f"http://127.0.0.1:{server.server_address[1]}", access_token="t", timeout=5
        )
        seen = client.iter_query("video", fields="id")
        assert next(seen) == {"id": 1}
        with pytest.raises(rqs.PlatformUnavailableError, match="not answering"):
            list(seen)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("size", [5, 97, 65536])
def test_records_whose_text_holds_the_batch_cut_are_read_one_by_one(size: int) -> None:
    records = [
        {"id": i, "text": "a},{b" * (i % 3), "nested": {"x": [{"y": "},"}]}} for i in range(500)
    ]
    body = json.dumps({"data": {"records": records, "count": 500}}, separators=(",", ":")).encode()
    got, envelope, _ = streamed(body, size)
    assert got == records and envelope == {"data": {"count": 500}}
