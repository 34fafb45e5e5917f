"""``POST /vce/api/query``: the query builder's preview, run through the platform.

The browser sends the SDK's request body (``category``, ``condition_groups``,
``fields``, ``limit``: what the generated cell sends); the server forwards it
to the platform's ``POST /v2/vce/query/`` with its bearer token, so the browser
never holds a credential. A preview is a real test-stage query: it returns a
random sample and is charged to the day's quota like a kernel's query.

The platform's 4xx answers pass through with their status and body unchanged:
a 400 ``invalid_params`` keeps ``data.problems`` (one per mistake) and a 429
``daily_quota_limit_exceeded`` keeps ``data.quota``, so the panel can point at
the condition or the limit. A query is never sent twice, except after a 401
(a stale token the platform refused, so nothing was charged).
"""

from __future__ import annotations

import json
from typing import Any

from tornado.httpclient import HTTPResponse
from tornado.web import authenticated

from .handlers import VCEHandler
from .platform_client import QUERY_PATH, PlatformClient, platform_error_of
from .request_body import parse_query_body


async def post_query(client: PlatformClient, query: dict[str, Any]) -> HTTPResponse:
    """POST the query with the bearer token (again once after a 401); the platform's answer, whatever it is."""
    return await client.call(
        "POST",
        QUERY_PATH,
        body=json.dumps(query).encode(),
        content_type="application/json",
        raise_for_status=False,
    )


class QueryHandler(VCEHandler):
    """Forward one test-stage query: the platform's answer, or its 4xx refusal, unchanged."""

    @authenticated
    async def post(self) -> None:
        query = parse_query_body(self.request.body or b"")
        response = await post_query(self.platform, query)
        if response.code >= 500 or response.code == 401:
            raise platform_error_of(response.code, response.body)
        self.set_status(response.code)
        self.set_header("Content-Type", "application/json")
        self.finish(response.body)
