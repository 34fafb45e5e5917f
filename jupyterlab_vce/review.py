"""``/vce/api/review/jobs``: a reviewer's manual-review queue, forwarded with the server's token.

For reviewer clients (the platform's role ``reviewer``): the jobs the automatic
review sent to a person, with what it found, and the decision on one. The
platform keeps these routes to reviewers (a researcher's token gets its 403,
passed on); the server checks a decision's body before anything reaches it.
"""

from __future__ import annotations

import json

from tornado.web import authenticated

from .handlers import VCEHandler
from .platform_client import REVIEW_JOBS_PATH
from .request_body import check_decision


class ReviewJobsHandler(VCEHandler):
    """``GET /vce/api/review/jobs``: the jobs waiting for a reviewer, oldest first."""

    @authenticated
    async def get(self) -> None:
        response = await self.platform.call("GET", REVIEW_JOBS_PATH)
        self.finish(response.body)


class ReviewDecisionHandler(VCEHandler):
    """``POST /vce/api/review/jobs/{id}/decision``: approve or reject, with a reason."""

    @authenticated
    async def post(self, job_id: str) -> None:
        decision = check_decision(self.request.body)
        response = await self.platform.call(
            "POST",
            f"{REVIEW_JOBS_PATH}{job_id}/decision/",
            body=json.dumps(decision).encode(),
            content_type="application/json",
        )
        self.log.info("Review of job %s: %s.", job_id, decision["decision"])
        self.set_status(response.code)
        self.finish(response.body)
