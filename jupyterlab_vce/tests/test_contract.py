"""The server extension's constants are the platform contract's (server-mock/openapi.yaml).

The job statuses and the submission limits (200 files, 20 MiB decoded); the
stand-in and the frontend check theirs against the same document in jest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jupyterlab_vce import request_body
from jupyterlab_vce.contract import FINAL_STATUSES, JOB_STATUSES

OPENAPI = Path(__file__).parents[2] / "server-mock" / "openapi.yaml"


@pytest.fixture(scope="module")
def schemas() -> dict[str, Any]:
    with OPENAPI.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["components"]["schemas"]


def test_job_statuses_are_the_job_status_enum_in_order(schemas: dict[str, Any]) -> None:
    assert len(schemas["JobStatus"]["enum"]) == 9
    assert list(JOB_STATUSES) == schemas["JobStatus"]["enum"]


def test_final_statuses_are_x_vce_final(schemas: dict[str, Any]) -> None:
    assert list(FINAL_STATUSES) == schemas["JobStatus"]["x-vce-final"]
    assert set(FINAL_STATUSES) <= set(JOB_STATUSES)


def test_submission_limits_are_submission_limits(schemas: dict[str, Any]) -> None:
    limits = schemas["SubmissionLimits"]["properties"]
    assert request_body.MAX_FILES == limits["max_files"]["const"] == 200
    assert request_body.MAX_DECODED_BYTES == limits["max_total_bytes"]["const"] == 20 * 1024 * 1024
    assert schemas["JobSubmission"]["properties"]["files"]["maxItems"] == request_body.MAX_FILES
    # The body the server accepts leaves room for base64 (4/3) of the largest submission.
    assert request_body.MAX_SUBMISSION_BODY > limits["max_total_bytes"]["const"] * 4 // 3
