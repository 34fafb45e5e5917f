"""Reading a platform answer's envelope as it arrives: the records one by one.

An execution-stage page holds up to 100,000 records; a job that reads it whole
keeps the raw bytes, the text and every record at once. :class:`EnvelopeReader`
reads the body in chunks and decodes each record with the standard library's
JSON scanner (``json.JSONDecoder.raw_decode``) as soon as its text is complete,
so records reach the script while the rest of the page is still on its way.

The envelope is ``{"data": {..., "records": [...], ...}, "error": {...}}`` with
its keys in any order; every other value is read whole. The result equals
``json.loads`` of the same body (stdlib only: a job sees no other package).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from typing import Any

#: Bytes asked of the connection at a time.
CHUNK_BYTES = 64 * 1024
_WHITESPACE = " \t\n\r"


class EnvelopeReader:
    """Reads one JSON envelope from ``read`` (a ``read(n) -> bytes`` of the body).

    Iterate :meth:`records` for the records of ``data.records`` as they arrive;
    afterwards :attr:`envelope` holds everything else (``data`` without
    ``records``), and :attr:`has_records` says whether ``data.records`` was a list.
    Raises ``ValueError`` (``json.JSONDecodeError``, ``UnicodeDecodeError``)
    when the body is not one JSON value.
    """

    def __init__(self, read: Callable[[int], bytes], chunk_bytes: int = CHUNK_BYTES) -> None:
        self._read = read
        self._chunk_bytes = chunk_bytes
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._scan = json.JSONDecoder().raw_decode
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._bad_cut = -1
        self.envelope: Any = None
        self.has_records = False

    # -- input -------------------------------------------------------------

    def _more(self) -> bool:
        """Append the next chunk; False at the end of the body."""
        while not self._eof:
            data = self._read(self._chunk_bytes)
            if data:
                text = self._decoder.decode(data)
            else:
                self._eof = True
                text = self._decoder.decode(b"", final=True)
            if text or self._eof:
                self._buf = self._buf[self._pos :] + text
                self._pos = 0
                self._bad_cut = -1
                return bool(text)
        return False

    def _peek(self) -> str:
        """The next character that is not whitespace (not consumed); '' at the end."""
        while True:
            buf, pos, end = self._buf, self._pos, len(self._buf)
            while pos < end and buf[pos] in _WHITESPACE:
                pos += 1
            self._pos = pos
            if pos < end:
                return buf[pos]
            if not self._more():
                return ""

    def _expect(self, char: str) -> None:
        found = self._peek()
        if found != char:
            raise json.JSONDecodeError(f"Expecting {char!r}", self._buf, self._pos)
        self._pos += 1

    def _value(self) -> Any:
        """One whole JSON value."""
        if not self._peek():
            raise json.JSONDecodeError("Expecting value", self._buf, self._pos)
        while True:
            try:
                value, end = self._scan(self._buf, self._pos)
            except json.JSONDecodeError:
                if self._more():
                    continue  # the value's text is not all here yet
                raise
            if end == len(self._buf) and self._more():
                continue  # a number may go on in the next chunk
            self._pos = end
            return value

    def _members(self) -> Iterator[str]:
        """The keys of an object, each after its ':' (the caller reads the value)."""
        self._expect("{")
        if self._peek() == "}":
            self._pos += 1
            return
        while True:
            key = self._value()
            if not isinstance(key, str):
                raise json.JSONDecodeError("Expecting a key", self._buf, self._pos)
            self._expect(":")
            yield key
            separator = self._peek()
            self._pos += 1
            if separator == "}":
                return
            if separator != ",":
                raise json.JSONDecodeError("Expecting ',' or '}'", self._buf, self._pos - 1)

    # -- the envelope --------------------------------------------------------

    def records(self) -> Iterator[Any]:
        """Each record of ``data.records`` as soon as it is complete; then fills :attr:`envelope`."""
        if self._peek() != "{":
            self.envelope = self._value()
            self._end()
            return
        envelope: dict[str, Any] = {}
        for key in self._members():
            if key == "data" and self._peek() == "{":
                data: dict[str, Any] = {}
                for data_key in self._members():
                    if data_key == "records" and self._peek() == "[":
                        self._pos += 1
                        self.has_records = True
                        yield from self._array()
                    else:
                        data[data_key] = self._value()
                envelope[key] = data
            else:
                envelope[key] = self._value()
        self.envelope = envelope
        self._end()

    def _array(self) -> Iterator[Any]:
        """The elements of an array whose '[' was read, as they arrive.

        Fast path: the buffer's complete records at once. The text up to the last
        ``},`` of the buffer is parsed as a list with ``json.loads``; that succeeds
        only when the cut is between two elements (a cut inside a string or a
        nested value leaves an open string or bracket: not JSON), so the elements
        are exactly those of the whole array. Otherwise one element at a time.
        """
        loads = json.loads
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            buf, pos = self._buf, self._pos
            cut = buf.rfind("},", pos)
            if cut > pos and cut != self._bad_cut:
                try:
                    batch = loads("[" + buf[pos : cut + 1] + "]")
                except ValueError:
                    # The cut is inside an element: one at a time until past it (or more text came).
                    self._bad_cut = cut
                    batch = None
                if batch is not None:
                    self._pos = cut + 2
                    yield from batch
                    if self._peek() == "":
                        raise json.JSONDecodeError("Expecting value", self._buf, self._pos)
                    continue
            yield self._element()
            separator = self._peek()
            self._pos += 1
            if separator == "]":
                return
            if separator != ",":
                raise json.JSONDecodeError("Expecting ',' or ']'", self._buf, self._pos - 1)
            if self._peek() == "":
                raise json.JSONDecodeError("Expecting value", self._buf, self._pos)

    def _element(self) -> Any:
        """One whole element at the position (no whitespace before it)."""
        while True:
            buf, pos = self._buf, self._pos
            try:
                value, end = self._scan(buf, pos)
            except json.JSONDecodeError:
                if self._more():
                    continue  # the element's text is not all here yet
                raise
            if end == len(buf) and self._more():
                continue  # a number may go on in the next chunk
            self._pos = end
            return value

    def _end(self) -> None:
        if self._peek():
            raise json.JSONDecodeError("Extra data", self._buf, self._pos)
