"""``GET /vce/api/events``: the platform's event stream, relayed to the browser.

The browser cannot hold the platform token, so the server opens the platform's
``GET /v2/vce/events/`` (server-sent events of job status and quota changes)
with it and passes every chunk on unchanged. The stream ends when either side
goes away; the browser reconnects with backoff (``Last-Event-ID`` is passed on
so it gets the events it missed).
"""

from __future__ import annotations

import logging

from tornado.httputil import HTTPInputError
from tornado.iostream import StreamClosedError
from tornado.simple_httpclient import HTTPStreamClosedError
from tornado.web import authenticated

from .handlers import VCEHandler
from .platform_client import EVENTS_PATH


class _BrowserGone(HTTPInputError):
    """The browser closed the stream: stop reading the platform's.

    An ``HTTPInputError``: the only exception tornado's HTTP client lets a
    streaming callback raise without logging it as uncaught. It still notes
    it as a "Malformed HTTP message" at INFO; ``_QuietBrowserGone`` drops
    that line, since nothing was malformed.
    """


class _QuietBrowserGone(logging.Filter):
    """Drop tornado's "Malformed HTTP message" line when the cause is ``_BrowserGone``."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not any(isinstance(arg, _BrowserGone) for arg in args)


logging.getLogger("tornado.general").addFilter(_QuietBrowserGone())


class EventsHandler(VCEHandler):
    """Relay the platform's server-sent events; errors before the first event are envelopes."""

    _browser_gone = False

    def on_connection_close(self) -> None:
        self._browser_gone = True

    @authenticated
    async def get(self) -> None:
        headers = {}
        last_event_id = self.request.headers.get("Last-Event-ID")
        if last_event_id and last_event_id.isdigit():
            headers["Last-Event-ID"] = last_event_id
        started = False

        def relay(chunk: bytes) -> None:
            nonlocal started
            if self._browser_gone:
                raise _BrowserGone()
            if not started:
                started = True
                self.set_header("Content-Type", "text/event-stream; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.set_header("X-Accel-Buffering", "no")
            self.write(chunk)
            # flush() sends now; a closed socket shows up as StreamClosedError on the next write.
            self.flush()

        try:
            await self.platform.stream(EVENTS_PATH, relay, headers=headers)
        except (_BrowserGone, StreamClosedError):
            return
        except HTTPStreamClosedError:
            # Raising _BrowserGone in the callback closes the platform stream; tornado reports it this way.
            if self._browser_gone:
                return
            raise
        if not self._browser_gone:
            self.finish()
