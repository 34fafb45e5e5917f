"""The platform contract (server-mock/openapi.yaml), read for the tests that compare with it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

OPENAPI = Path(__file__).parents[2] / "server-mock" / "openapi.yaml"


@cache
def document() -> dict[str, Any]:
    """The whole document."""
    with OPENAPI.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
        return loaded


def schemas() -> dict[str, Any]:
    """The document's ``components.schemas``."""
    found: dict[str, Any] = document()["components"]["schemas"]
    return found


def final_job_statuses() -> frozenset[str]:
    """The statuses a job never leaves (``JobStatus``'s ``x-vce-final``)."""
    return frozenset(schemas()["JobStatus"]["x-vce-final"])
