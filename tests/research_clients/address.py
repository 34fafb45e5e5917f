"""The one thing the clients are changed in: the address they send to.

Every client hard-codes ``https://open.tiktokapis.com``; the stand-in listens on
``http://127.0.0.1:PORT``. Nothing else of a client is touched:

- :class:`RewritingAdapter`, a ``requests`` transport adapter that rewrites the
  scheme, host and port of a request to the real API's host before sending it (path,
  query string, headers and body stay as the client built them);
- :func:`session_to` — a ``requests.Session`` with that adapter mounted: what
  ``tiktok-research-api-helper`` takes as ``access_token_fetcher_session=`` and
  ``api_request_session=``;
- :func:`every_session_to` — the adapter mounted on every ``requests.Session`` made while
  the context lasts (``requests.post`` makes one per call too): ``researchtikpy``, whose
  functions call ``requests.post`` / ``requests.Session()`` with literal URLs;
- :func:`wrapper_to` — the official wrapper (``TikTokResearchApi``) sets ``self.url`` in its
  constructor and fetches a token there at once: a subclass whose ``get_client_token``
  sets ``self.url`` first; every later call builds its URL from ``self.url``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from tiktok_research_api import TikTokResearchAPI

REAL_API = "https://open.tiktokapis.com"


class RewritingAdapter(HTTPAdapter):
    """Sends a request for ``REAL_API…`` to ``base…`` instead (the rest of the URL kept)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        url = request.url or ""
        if url.lower().startswith(REAL_API):
            request.url = self.base + url[len(REAL_API) :]
        return super().send(request, *args, **kwargs)


def session_to(base: str) -> requests.Session:
    """A session whose requests for the real API go to ``base``."""
    session = requests.Session()
    session.mount(REAL_API, RewritingAdapter(base))
    return session


@contextmanager
def every_session_to(base: str) -> Iterator[None]:
    """While it lasts, every new ``requests.Session`` (and so ``requests.post``) sends the
    real API's requests to ``base``."""
    original = requests.Session.__init__

    def init(self: requests.Session, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.mount(REAL_API, RewritingAdapter(base))

    requests.Session.__init__ = init  # type: ignore[method-assign]
    try:
        yield
    finally:
        requests.Session.__init__ = original  # type: ignore[method-assign]


def wrapper_to(base: str) -> type[TikTokResearchAPI]:
    """The official wrapper's class, pointed at ``base`` (its constructor fetches a token)."""

    class Pointed(TikTokResearchAPI):
        def get_client_token(self) -> str:
            self.url = base
            return super().get_client_token()

    return Pointed
