"""The platform contract (server-mock/openapi.yaml), read for the tests that compare with it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

OPENAPI = Path(__file__).parents[2] / "server-mock" / "openapi.yaml"


@cache
def schemas() -> dict[str, Any]:
    """The document's ``components.schemas``."""
    with OPENAPI.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["components"]["schemas"]


def final_job_statuses() -> frozenset[str]:
    """The statuses a job never leaves (``JobStatus``'s ``x-vce-final``)."""
    return frozenset(schemas()["JobStatus"]["x-vce-final"])
