"""jupyterlab_vce/openapi.yaml (the schema fuzz's document) names every route of the table."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from jupyterlab_vce.handlers import HANDLER_METHODS, defined_methods
from jupyterlab_vce.routes import ROUTES

DOCUMENT = Path(__file__).resolve().parents[1] / "openapi.yaml"
METHODS = HANDLER_METHODS
#: The route table's path captures, by position, as the document names them.
CAPTURES = ("job_id", "name")


def document_path(pattern: str) -> str:
    names = iter(CAPTURES)
    return re.sub(r"\([^)]*\)", lambda _: "{" + next(names) + "}", pattern)


def table_operations() -> set[tuple[str, str]]:
    """(path, method) of every route of the table, as a client sees it."""
    operations = set()
    for pattern, handler, kwargs in ROUTES:
        if "method" in kwargs:  # one handler class serves GET routes and POST routes
            methods = [kwargs["method"].lower()]
        else:
            methods = [method.lower() for method in defined_methods(handler)]
        operations |= {(document_path(pattern), method) for method in methods}
    return operations


def document_operations() -> set[tuple[str, str]]:
    paths = yaml.safe_load(DOCUMENT.read_text())["paths"]
    return {(path, method) for path, item in paths.items() for method in item if method in METHODS}


def test_the_document_has_every_route_and_method_of_the_table_and_no_other() -> None:
    assert document_operations() == table_operations()


def test_the_capture_names_are_the_documents() -> None:
    assert document_path(r"/vce/api/review/jobs/([A-Za-z0-9_-]{1,100})/outputs/([^/]+)") == (
        "/vce/api/review/jobs/{job_id}/outputs/{name}"
    )
