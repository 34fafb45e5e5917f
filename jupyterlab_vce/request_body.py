"""Reading the browser's request bodies: the value a handler can use, or a 4xx saying what to change.

Shared by the handler modules (no handler module imports another for a helper).
The submission limits here are the platform's own (``server-mock/openapi.yaml``).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from .errors import InvalidRequest, VCEError

#: The platform takes at most 20 MiB of files (decoded): base64 makes that 4/3
#: larger, plus room for the JSON around them (as the platform's own limit).
MAX_DECODED_BYTES = 20 * 1024 * 1024
MAX_SUBMISSION_BODY = -(-MAX_DECODED_BYTES * 4 // 3) + 1024 * 1024
MAX_FILES = 200

#: The keys a test-stage query takes (``cursor`` pages jobs only).
QUERY_KEYS = ("category", "condition_groups", "fields", "limit", "start_date", "end_date")
MAX_QUERY_BODY = 1024 * 1024


#: How deep arrays and objects may nest in a body: the deepest a route takes is a query's
#: condition groups (4 levels); the bound keeps far from the parser's recursion limit.
MAX_JSON_DEPTH = 32


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_depth(value: Any) -> int:
    """How deep arrays and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        deepest = max(deepest, depth)
        pending.extend((child, depth + 1) for child in children)
    return deepest


def parse_json(body: bytes, what: str) -> Any:
    """The one JSON reader of every route's body, or a 400 that never quotes the body.

    Strict JSON (no ``NaN`` or ``Infinity``, which the platform cannot read), in UTF-8,
    nested at most :data:`MAX_JSON_DEPTH` deep: a body nested deeper than Python's
    recursion limit raises ``RecursionError`` inside ``json.loads``, answered here as a
    400 rather than a 500.
    """
    too_deep = InvalidRequest(
        f"The {what} nests arrays or objects more than {MAX_JSON_DEPTH} levels deep."
    )
    try:
        value = json.loads(body or b"", parse_constant=_refuse_constant)
    except RecursionError:
        raise too_deep from None
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, a refused constant
        raise InvalidRequest(f"The {what} must be JSON.") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise too_deep
    return value


def parse_json_object(body: bytes, what: str) -> dict[str, Any]:
    value = parse_json(body, what)
    if not isinstance(value, dict):
        raise InvalidRequest(f"The {what} must be a JSON object.")
    return value


def check_submission(body: bytes) -> bytes:
    """The submission body to forward, or a 4xx that says what to change.

    The platform checks the files in detail (names, kinds, sizes); this checks
    what the server can see cheaply, so a broken request never reaches it.
    """
    if len(body) > MAX_SUBMISSION_BODY:
        raise VCEError(
            413,
            "payload_too_large",
            f"The submission is {len(body) / 1048576:.1f} MiB encoded: the Data Clean Room "
            f"takes at most {MAX_DECODED_BYTES // 1048576} MiB of files. Submit the script "
            "without its folder's companion files, or leave large data files out.",
        )
    submission = parse_json_object(body, "submission")
    entry = submission.get("entry")
    files = submission.get("files")
    if not isinstance(entry, str) or not entry:
        raise InvalidRequest('The submission needs "entry": the script\'s file name.')
    if not isinstance(files, list) or not files:
        raise InvalidRequest('The submission needs "files": at least the script itself.')
    if len(files) > MAX_FILES:
        raise InvalidRequest(
            f"The submission has {len(files)} files: at most {MAX_FILES} are accepted."
        )
    decoded = 0
    names = set()
    for index, item in enumerate(files):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise InvalidRequest(f"files[{index}] needs a name.")
        content = item.get("content_base64")
        if not isinstance(content, str):
            raise InvalidRequest(f'files[{index}] ("{item["name"]}") needs content_base64.')
        try:
            decoded += len(base64.b64decode(content, validate=True))
        except (binascii.Error, ValueError):
            raise InvalidRequest(
                f'files[{index}] ("{item["name"]}") is not valid base64.'
            ) from None
        names.add(item["name"])
    if decoded > MAX_DECODED_BYTES:
        raise VCEError(
            413,
            "payload_too_large",
            f"The files add up to {decoded / 1048576:.1f} MiB: the Data Clean Room takes at most "
            f"{MAX_DECODED_BYTES // 1048576} MiB.",
        )
    if entry not in names:
        raise InvalidRequest(f'The entry "{entry}" is not among the submitted files.')
    return body


def parse_query_body(body: bytes) -> dict[str, Any]:
    """The browser's query as a dict of the keys a test-stage query takes, or a 400."""
    if len(body) > MAX_QUERY_BODY:
        raise VCEError(
            413, "payload_too_large", "The query is larger than 1 MiB: send fewer values."
        )
    query = parse_json_object(body, "query")
    unknown = sorted(set(query) - set(QUERY_KEYS))
    if unknown:
        raise InvalidRequest(
            f"The query has keys a test-stage query does not take: {', '.join(unknown)}; "
            f"it takes {', '.join(QUERY_KEYS)}."
        )
    return query


#: A reviewer's decision (``decideReview`` in server-mock/openapi.yaml): approve or reject,
#: with a reason of 1 to 2,000 characters that the researcher reads.
REVIEW_DECISIONS = {"approve": "approved", "reject": "rejected"}
MAX_REVIEW_REASON = 2000
#: Room for the longest reason, escaped, and the JSON around it.
MAX_DECISION_BODY = 64 * 1024
DECISION_SHAPE = '{"decision": "approve" or "reject", "reason": "why, for the researcher"}'


def check_decision(body: bytes) -> dict[str, str]:
    """The reviewer's decision to forward (the reason trimmed), or a 4xx that says what to change."""
    if len(body) > MAX_DECISION_BODY:
        raise VCEError(
            413,
            "payload_too_large",
            f"The decision is larger than {MAX_DECISION_BODY // 1024} KiB: the reason may "
            f"have at most {MAX_REVIEW_REASON:,} characters.",
        )
    decision = parse_json_object(body, f"decision ({DECISION_SHAPE})")
    unknown = sorted(set(decision) - {"decision", "reason"})
    if unknown:
        raise InvalidRequest(
            f"The decision has keys it does not take: {', '.join(unknown)}; send {DECISION_SHAPE}."
        )
    verb = decision.get("decision")
    if not isinstance(verb, str) or verb not in REVIEW_DECISIONS:
        raise InvalidRequest(
            f'"decision" must be "approve" or "reject", not {json.dumps(verb)}; '
            f"send {DECISION_SHAPE}."
        )
    reason = decision.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidRequest(
            f'"reason" must say why the job is {REVIEW_DECISIONS[verb]}, in plain words: the researcher '
            "reads it with the result."
        )
    reason = reason.strip()
    if len(reason) > MAX_REVIEW_REASON:
        raise InvalidRequest(
            f'"reason" has {len(reason):,} characters: at most {MAX_REVIEW_REASON:,} are taken.'
        )
    return {"decision": verb, "reason": reason}
