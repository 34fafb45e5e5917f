"""Every route in one table: URL pattern, handler class, its arguments.

The extension app registers :data:`ROUTES` (the browser's ``/vce/api/``, Jupyter's
auth) and :data:`KERNEL_ROUTES` (the kernels' platform route, the kernel token);
the server's base URL is prepended. The handler modules only define handlers.
"""

from __future__ import annotations

from typing import Any

from tornado.web import RequestHandler

from .events import EventsHandler
from .handlers import ForwardHandler, LocalClientSecretHandler, SessionHandler, StatusHandler
from .jobs import (
    JobActionHandler,
    JobHandler,
    JobsHandler,
    JwksHandler,
    ResultDownloadHandler,
    ResultSaveHandler,
)
from .kernel_access import KERNEL_ROUTE
from .kernel_proxy import KernelProxyHandler
from .platform_client import IDENTITY_PATH, JOBS_PATH, OUTBOX_PATH, QUOTA_PATH, TEST_RUNS_PATH
from .query import QueryHandler
from .review import (
    ReviewDecisionHandler,
    ReviewJobsHandler,
    ReviewOutputSaveHandler,
    ReviewOutputsHandler,
)

API_PREFIX = "/vce/api"
#: A job id in a route (captured and passed to the handler's method).
JOB_ID = r"[A-Za-z0-9_-]{1,100}"

#: Routes answered by forwarding a GET to the platform, body unchanged:
#: ``/vce/api/<name>`` -> platform path.
FORWARDED_ROUTES: dict[str, str] = {
    "identity": IDENTITY_PATH,
    "quota": QUOTA_PATH,
}

Route = tuple[str, type[RequestHandler], dict[str, Any]]

_JOB = f"{API_PREFIX}/jobs/({JOB_ID})"

#: The extension's routes (before the server's base URL is prepended), in registration order.
ROUTES: list[Route] = [
    (f"{API_PREFIX}/status", StatusHandler, {}),
    (f"{API_PREFIX}/session", SessionHandler, {}),
    # The embedded stand-in's generated secret, on request (the one secret the browser may see).
    (f"{API_PREFIX}/local-client/secret", LocalClientSecretHandler, {}),
    *[
        (f"{API_PREFIX}/{name}", ForwardHandler, {"platform_path": path})
        for name, path in FORWARDED_ROUTES.items()
    ],
    (f"{API_PREFIX}/events", EventsHandler, {}),
    (f"{API_PREFIX}/jobs", JobsHandler, {"platform_path": JOBS_PATH}),
    (f"{API_PREFIX}/test-runs", JobsHandler, {"platform_path": TEST_RUNS_PATH}),
    (f"{API_PREFIX}/jwks", JwksHandler, {}),
    # The mails sent to the primary researcher (result links).
    (f"{API_PREFIX}/outbox", ForwardHandler, {"platform_path": OUTBOX_PATH}),
    (_JOB, JobHandler, {}),
    (f"{_JOB}/cancel", JobActionHandler, {"action": "cancel", "method": "POST"}),
    (f"{_JOB}/resubmit", JobActionHandler, {"action": "resubmit", "method": "POST"}),
    (f"{_JOB}/files", JobActionHandler, {"action": "files", "method": "GET"}),
    (f"{_JOB}/attestation", JobActionHandler, {"action": "attestation", "method": "GET"}),
    (f"{_JOB}/result", ResultDownloadHandler, {}),
    (f"{_JOB}/result/save", ResultSaveHandler, {}),
    (f"{API_PREFIX}/query", QueryHandler, {}),
    # Reviewers: the manual-review queue, a job's outputs (listed, one saved to open), the decision.
    (f"{API_PREFIX}/review/jobs", ReviewJobsHandler, {}),
    (f"{API_PREFIX}/review/jobs/({JOB_ID})/outputs", ReviewOutputsHandler, {}),
    # The name is one URL-encoded path segment ("logs%2Fstdout.txt"); Tornado decodes it.
    (f"{API_PREFIX}/review/jobs/({JOB_ID})/outputs/([^/]+)", ReviewOutputSaveHandler, {}),
    (f"{API_PREFIX}/review/jobs/({JOB_ID})/decision", ReviewDecisionHandler, {}),
]

#: The kernels' way to the platform: the SDK's test-stage calls, with the kernel token
#: (``jupyterlab_vce/kernel_access.py``); the captured path is the platform's.
KERNEL_ROUTES: list[Route] = [
    (f"/{KERNEL_ROUTE}(/v2/.*)", KernelProxyHandler, {}),
]
