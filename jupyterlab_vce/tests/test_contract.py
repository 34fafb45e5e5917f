"""The server extension's submission limits are the platform contract's (server-mock/openapi.yaml).

200 files, 20 MiB decoded; the stand-in and the frontend check theirs (and the
job statuses) against the same document in jest. The server extension keeps no
status list: it forwards jobs as the platform describes them.
"""

from __future__ import annotations

from typing import Any

import pytest

from jupyterlab_vce import request_body

from .openapi_contract import document
from .openapi_contract import schemas as contract_schemas


@pytest.fixture(scope="module")
def schemas() -> dict[str, Any]:
    return contract_schemas()


def test_submission_limits_are_submission_limits(schemas: dict[str, Any]) -> None:
    limits = schemas["SubmissionLimits"]["properties"]
    assert request_body.MAX_FILES == limits["max_files"]["const"] == 200
    assert request_body.MAX_DECODED_BYTES == limits["max_total_bytes"]["const"] == 20 * 1024 * 1024
    assert schemas["JobSubmission"]["properties"]["files"]["maxItems"] == request_body.MAX_FILES
    # The body the server accepts leaves room for base64 (4/3) of the largest submission.
    assert request_body.MAX_SUBMISSION_BODY > limits["max_total_bytes"]["const"] * 4 // 3


def test_a_decision_is_decide_reviews_body() -> None:
    operation = document()["paths"]["/v2/vce/review/jobs/{job_id}/decision/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"decision", "reason"}
    assert tuple(body["properties"]["decision"]["enum"]) == tuple(request_body.REVIEW_DECISIONS)
    assert body["properties"]["reason"]["maxLength"] == request_body.MAX_REVIEW_REASON
