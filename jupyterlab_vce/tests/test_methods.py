"""A method a route does not answer is a 405 whose ``Allow`` names the ones it does.

RFC 9110 requires the header; the schema fuzz (tests/fuzz/extension.py, Schemathesis'
unsupported_method check) found every 405 of the extension without it. The methods named
are the ones jupyterlab_vce/openapi.yaml lists for the path.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from jupyterlab_vce.routes import API_PREFIX, ROUTES

from .test_openapi_document import DOCUMENT, METHODS, document_path

JOB = "job-1"


def route_url(pattern: str) -> str:
    route = pattern.removeprefix(f"{API_PREFIX}/")
    route = re.sub(r"\(\[\^/\]\+\)", "out.txt", route)
    return re.sub(r"\([^)]*\)", JOB, route)


def documented_methods() -> dict[str, set[str]]:
    paths = yaml.safe_load(DOCUMENT.read_text())["paths"]
    return {path: {m.upper() for m in item if m in METHODS} for path, item in paths.items()}


CASES = [
    (route_url(pattern), document_path(pattern), method)
    for pattern, _, _ in ROUTES
    for method in ("PATCH", "PUT", "QUERY")
]
# The job actions share a handler that defines GET and POST and refuses the one its route
# does not take (cancel and resubmit are POST, files and attestation GET).
CASES += [
    (route_url(pattern), document_path(pattern), "GET" if kwargs["method"] == "POST" else "POST")
    for pattern, _, kwargs in ROUTES
    if "method" in kwargs
]


@pytest.mark.parametrize(("route", "path", "method"), CASES)
async def test_an_unlisted_method_is_405_with_allow(
    jp_fetch: Any, route: str, path: str, method: str
) -> None:
    response = await jp_fetch(
        "vce",
        "api",
        route,
        method=method,
        body="{}",
        raise_error=False,
        allow_nonstandard_methods=True,
    )
    assert response.code == 405, response.body
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed == documented_methods()[path]
