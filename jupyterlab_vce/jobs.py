"""``/vce/api/jobs``: the execution stage's jobs API, forwarded with the server's token.

The browser never holds the platform token (nor the client secret): it calls
these routes with Jupyter's auth, and the server calls the platform's jobs API
(``server-mock/openapi.yaml``, ``/v2/vce/jobs/...``) with the bearer token.

Beyond plain forwarding:

* ``POST /vce/api/jobs`` (and ``/vce/api/test-runs``) refuses bodies over
  :data:`~jupyterlab_vce.request_body.MAX_SUBMISSION_BODY` before anything
  reaches the platform, checks the shape of the submission
  (:func:`~jupyterlab_vce.request_body.check_submission`), and never retries
  a submission the platform may have received (only a 401 with a stale token, which the platform refused, is
  sent again with a fresh one).
* ``GET /vce/api/jobs/{id}/result`` streams the approved results' zip to the
  browser ("download to the computer").
* ``POST /vce/api/jobs/{id}/result/save`` fetches the zip and extracts it into
  the Jupyter workspace through the contents manager ("download into the
  workspace"), never outside the folder it was asked for, never over an
  existing file; it answers with each saved file's SHA-256 so the browser can
  compare them with the signed attestation (checks and extraction:
  :mod:`jupyterlab_vce.result_archive`).
* ``GET /vce/api/jwks`` relays the platform's public attestation keys.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from tornado.iostream import StreamClosedError
from tornado.web import authenticated

from .errors import InvalidRequest, VCEError, ok_envelope
from .handlers import VCEHandler
from .platform_client import JOBS_PATH, JWKS_PATH, PlatformError, platform_error_of
from .request_body import check_submission, parse_json_object
from .result_archive import (
    DEFAULT_RESULTS_FOLDER,
    archive_digest,
    ensure_directories,
    free_folder,
    safe_folder,
    save_members,
    zip_members,
)

#: Seconds allowed for a results download (large zips over a slow link).
RESULT_TIMEOUT = 600.0


class JobsHandler(VCEHandler):
    """``GET`` the client's jobs (paged, filtered), ``POST`` a submission."""

    def initialize(self, platform_path: str = JOBS_PATH) -> None:
        self.platform_path = platform_path

    @authenticated
    async def get(self) -> None:
        response = await self.platform.call("GET", self.platform_path, query=self.request.query)
        self.finish(response.body)

    @authenticated
    async def post(self) -> None:
        body = check_submission(self.request.body)
        response = await self.platform.call(
            "POST",
            self.platform_path,
            body=body,
            content_type="application/json",
        )
        self.set_status(response.code)
        self.finish(response.body)


class JobHandler(VCEHandler):
    """``GET /vce/api/jobs/{id}``: the job with its history, verdict and outputs."""

    @authenticated
    async def get(self, job_id: str) -> None:
        response = await self.platform.call("GET", f"{JOBS_PATH}{job_id}/")
        self.finish(response.body)


class JobActionHandler(VCEHandler):
    """``POST`` cancel / resubmit; ``GET`` files / attestation: forwarded as they are."""

    def initialize(self, action: str, method: str) -> None:
        self.action = action
        self.method = method

    def allowed_methods(self) -> list[str]:
        return [self.method]

    async def _forward(self, job_id: str) -> None:
        response = await self.platform.call(
            self.method,
            f"{JOBS_PATH}{job_id}/{self.action}/",
            query=self.request.query if self.method == "GET" else "",
        )
        self.set_status(response.code)
        self.finish(response.body)

    @authenticated
    async def get(self, job_id: str) -> None:
        if self.method != "GET":
            raise VCEError(405, "method_not_allowed", f"Use {self.method} on this route.")
        await self._forward(job_id)

    @authenticated
    async def post(self, job_id: str) -> None:
        if self.method != "POST":
            raise VCEError(405, "method_not_allowed", f"Use {self.method} on this route.")
        await self._forward(job_id)


class ResultDownloadHandler(VCEHandler):
    """``GET /vce/api/jobs/{id}/result``: the results zip, streamed to the browser."""

    _browser_gone = False

    def on_connection_close(self) -> None:
        self._browser_gone = True

    @authenticated
    async def get(self, job_id: str) -> None:
        status: list[int] = []
        headers: dict[str, str] = {}
        refused: list[bytes] = []
        started = False

        def on_header(line: str) -> None:
            if line.startswith("HTTP/"):
                status[:] = [int(line.split(" ", 2)[1])]
            elif ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()

        def on_chunk(chunk: bytes) -> None:
            nonlocal started
            if status and status[0] >= 400:
                refused.append(chunk)
                return
            if self._browser_gone:
                raise StreamClosedError()
            if not started:
                started = True
                self.set_header("Content-Type", "application/zip")
                self.set_header(
                    "Content-Disposition",
                    f'attachment; filename="{quote(job_id)}-results.zip"',
                )
                self.set_header("Cache-Control", "no-store")
                for name in ("x-content-sha256", "content-length"):
                    if name in headers:
                        self.set_header(name.title(), headers[name])
            self.write(chunk)
            self.flush()

        try:
            response = await self.platform.call(
                "GET",
                f"{JOBS_PATH}{job_id}/result/",
                timeout=RESULT_TIMEOUT,
                streaming_callback=on_chunk,
                header_callback=on_header,
            )
        except PlatformError as error:
            if status and status[0] >= 400:
                raise platform_error_of(status[0], b"".join(refused)) from None
            if started:  # the platform went away mid-download: end what we sent
                return
            raise error
        except StreamClosedError:
            return
        if not started:  # an empty zip: still a zip
            self.set_header("Content-Type", "application/zip")
        self.set_status(response.code)
        self.finish()


class ResultSaveHandler(VCEHandler):
    """``POST /vce/api/jobs/{id}/result/save`` ``{"folder"?}``: extract into the workspace.

    Into ``<folder>/<job_id>``; when that exists (an earlier download), beside it
    (``-2``, ``-3``...), and ``already_there`` names it so the notice can say why.
    """

    @authenticated
    async def post(self, job_id: str) -> None:
        options = parse_json_object(self.request.body or b"{}", "request body")
        folder = options.get("folder", DEFAULT_RESULTS_FOLDER)
        if not isinstance(folder, str):
            raise InvalidRequest('"folder" must be a string, e.g. "dcr-results".')
        base = safe_folder(folder)
        response = await self.platform.call(
            "GET", f"{JOBS_PATH}{job_id}/result/", timeout=RESULT_TIMEOUT
        )
        archive = response.body or b""
        digest = archive_digest(archive, response.headers.get("X-Content-SHA256"))
        members = zip_members(archive)
        contents = self.settings["contents_manager"]
        wanted = f"{base}/{job_id}" if base else job_id
        target = await free_folder(contents, wanted)
        await ensure_directories(contents, target)
        saved = await save_members(contents, target, members)
        self.log.info(
            "Saved the results of job %s into %s/ (%d files).", job_id, target, len(saved)
        )
        self.finish(
            json.dumps(
                ok_envelope(
                    {
                        "job_id": job_id,
                        "folder": target,
                        # Why not the first choice: an earlier download is there, left as it is.
                        "already_there": wanted if target != wanted else None,
                        "archive_sha256": digest,
                        "archive_bytes": len(archive),
                        "files": saved,
                    }
                )
            )
        )


class JwksHandler(VCEHandler):
    """``GET /vce/api/jwks``: the platform's public attestation keys (no token needed)."""

    @authenticated
    async def get(self) -> None:
        response = await self.platform.call("GET", JWKS_PATH, authenticated_route=False)
        self.set_header("Content-Type", "application/json")
        self.finish(response.body)
