"""Constants of the platform contract (``server-mock/openapi.yaml``) the server extension uses.

``tests/test_contract.py`` checks them against the document; the stand-in
(jest) and the frontend (jest, and its generated types) check theirs against
the same document. The submission limits stay beside the handler that applies
them (``jobs.MAX_FILES``, ``jobs.MAX_DECODED_BYTES``) and are checked the same way.
"""

from __future__ import annotations

#: Every job status, in the order a job goes through them (``JobStatus``).
JOB_STATUSES: tuple[str, ...] = (
    "submitted",
    "queued",
    "running",
    "reviewing",
    "approved",
    "rejected",
    "failed",
    "cancelled",
    "timed_out",
)

#: The statuses a job never leaves (``JobStatus``'s ``x-vce-final``).
FINAL_STATUSES: tuple[str, ...] = ("approved", "rejected", "failed", "cancelled", "timed_out")
