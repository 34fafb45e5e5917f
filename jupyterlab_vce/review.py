"""``/vce/api/review/jobs``: a reviewer's manual-review queue, forwarded with the server's token.

For reviewer clients (the platform's role ``reviewer``): the jobs the automatic
review sent to a person, with what it found, the files it read (listed, and one
saved into the workspace to open in JupyterLab), and the decision on one. The
platform keeps these routes to reviewers (a researcher's token gets its 403,
passed on); the server checks a decision's body and a file's name before
anything reaches it.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from tornado.web import authenticated

from .errors import InvalidRequest, ok_envelope
from .handlers import VCEHandler
from .platform_client import REVIEW_JOBS_PATH, PlatformError
from .request_body import check_decision
from .result_archive import archive_digest, is_safe_relative_path, safe_folder, save_members

#: The workspace folder a reviewer's opened files go to: ``vce-review/<job_id>/<name>``.
REVIEW_FOLDER = "vce-review"
#: Largest output the server saves: the review reads no file over 16 MiB
#: (server-mock/src/review/config.ts ``maxFileBytes``), so nothing larger is one it read.
MAX_REVIEW_OUTPUT_BYTES = 16 * 1024 * 1024
#: Seconds allowed to fetch one output.
OUTPUT_TIMEOUT = 120.0


def review_output_path(job_id: str, name: str) -> tuple[str, str]:
    """The workspace folder and file path an output is saved to, or 400 for an unsafe name."""
    if len(name) > 512 or not is_safe_relative_path(name):
        raise InvalidRequest(
            f'"{name[:80]}" is not one of the job\'s outputs: use a name from '
            f"GET /vce/api/review/jobs/{job_id}/outputs (a relative path, no '..')."
        )
    folder = safe_folder(f"{REVIEW_FOLDER}/{job_id}")
    return folder, f"{folder}/{name}"


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


class ReviewOutputsHandler(VCEHandler):
    """``GET /vce/api/review/jobs/{id}/outputs``: the files the review read, with its findings."""

    @authenticated
    async def get(self, job_id: str) -> None:
        response = await self.platform.call("GET", f"{REVIEW_JOBS_PATH}{job_id}/outputs/")
        self.finish(response.body)


class ReviewOutputSaveHandler(VCEHandler):
    """``POST /vce/api/review/jobs/{id}/outputs/{name}``: save one output into the workspace.

    The file goes to ``vce-review/<job_id>/<name>`` (replacing an earlier copy of the
    same output: the platform's bytes do not change while the job waits), through the
    contents manager, so never outside the server's root; the answer names the path
    for the lab to open.
    """

    @authenticated
    async def post(self, job_id: str, name: str) -> None:
        folder, path = review_output_path(job_id, name)
        response = await self.platform.call(
            "GET",
            f"{REVIEW_JOBS_PATH}{job_id}/outputs/{quote(name, safe='')}",
            timeout=OUTPUT_TIMEOUT,
        )
        content = response.body or b""
        if len(content) > MAX_REVIEW_OUTPUT_BYTES:
            raise PlatformError(
                502,
                "platform_error",
                f"{name} has {len(content):,} bytes: the lab saves outputs of up to "
                f"{MAX_REVIEW_OUTPUT_BYTES // (1024 * 1024)} MiB, the most the review reads.",
            )
        archive_digest(content, response.headers.get("X-Content-SHA256"), what=name)
        media_type = (response.headers.get("Content-Type") or "application/octet-stream").split(
            ";"
        )[0]
        contents = self.settings["contents_manager"]
        [saved] = await save_members(contents, folder, [(name, content)])
        self.log.info("Saved output %s of job %s in review to %s.", name, job_id, saved["path"])
        self.finish(json.dumps(ok_envelope({**saved, "job_id": job_id, "media_type": media_type})))
