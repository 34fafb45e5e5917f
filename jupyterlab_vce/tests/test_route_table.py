"""The one route table: every /vce/api/ route is in it, once."""

from __future__ import annotations

from jupyterlab_vce.handlers import VCEHandler
from jupyterlab_vce.routes import API_PREFIX, ROUTES


def test_every_route_is_under_the_prefix_once_with_a_vce_handler() -> None:
    patterns = [pattern for pattern, _, _ in ROUTES]
    assert all(pattern.startswith(f"{API_PREFIX}/") for pattern in patterns)
    assert len(set(patterns)) == len(patterns)
    assert all(issubclass(handler, VCEHandler) for _, handler, _ in ROUTES)


def test_the_table_names_each_route() -> None:
    names = {pattern.removeprefix(f"{API_PREFIX}/") for pattern, _, _ in ROUTES}
    assert {
        "status",
        "session",
        "identity",
        "quota",
        "events",
        "jobs",
        "test-runs",
        "jwks",
        "outbox",
        "query",
        "review/jobs",
    } <= names
