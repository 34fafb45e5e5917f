"""QueryResult: printing, HTML, the MIME bundle, pandas."""

from __future__ import annotations

import ast
import sys
import types

import pytest

from pyrqs import rqs
from pyrqs.result import DISPLAY_ROWS, MIME_TYPE

QUOTA = {
    "day": "2026-11-25",
    "daily_limit": 5000,
    "used": 10,
    "remaining": 4990,
    "resets_at": "2026-11-26T00:00:00Z",
}
RECORDS = [
    {
        "display_name": "Ana <b>Lima</b>",
        "video_description": "a & b",
        "create_time": 1717718400,
        "id": 7100000002000013,
    },
    {
        "display_name": "Ben",
        "video_description": "hi",
        "create_time": 1717545599,
        "id": 7100000001100013,
        "hashtag_names": ["x", "y"],
    },
]


def make(records=RECORDS, **kw) -> rqs.QueryResult:
    kw.setdefault("category", "video")
    kw.setdefault("fields", ["display_name", "video_description", "create_time", "id"])
    kw.setdefault("quota", QUOTA)
    return rqs.QueryResult(records, **kw)


def test_is_a_plain_list_of_dicts() -> None:
    result = make()
    assert isinstance(result, list)
    assert result == RECORDS
    assert result[0]["id"] == 7100000002000013
    assert len(result) == 2


def test_prints_a_summary_and_one_record_a_line() -> None:
    lines = str(make()).splitlines()
    assert lines[0] == (
        "QueryResult: 2 video records; quota left today: 4,990 of 5,000 (resets at 2026-11-26T00:00:00Z)"
    )
    assert [ast.literal_eval(line) for line in lines[1:]] == RECORDS
    assert repr(make()) == str(make())


def test_print_cuts_long_results() -> None:
    records = [{"id": i} for i in range(DISPLAY_ROWS + 5)]
    lines = str(make(records, fields=["id"])).splitlines()
    assert len(lines) == 1 + DISPLAY_ROWS + 1
    assert lines[-1].startswith("... 5 more records not shown")


def test_summary_without_quota_and_singular() -> None:
    result = rqs.QueryResult([{"id": 1}], category="comment", has_more=True)
    assert result.summary() == "QueryResult: 1 comment record; more pages available"


def test_html_table_escapes_and_counts() -> None:
    html = make()._repr_html_()
    assert "2 video records" in html and "4,990 of 5,000" in html
    header = "".join(
        f"<th>{name}</th>"
        for name in ("display_name", "video_description", "create_time", "id", "hashtag_names")
    )
    assert header in html
    assert "Ana &lt;b&gt;Lima&lt;/b&gt;" in html and "<b>Lima</b>" not in html
    assert "a &amp; b" in html
    assert "[&quot;x&quot;, &quot;y&quot;]" in html
    assert html.count("<tr>") == 3  # header + 2 rows


def test_html_of_an_empty_result() -> None:
    assert "No records matched." in make([])._repr_html_()


def test_mimebundle() -> None:
    bundle = make()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", MIME_TYPE}
    assert MIME_TYPE == "application/vnd.vce.query-result+json"
    payload = bundle[MIME_TYPE]
    assert payload["count"] == 2 and payload["records"] == RECORDS and payload["quota"] == QUOTA
    assert payload["fields"][:4] == ["display_name", "video_description", "create_time", "id"]
    assert set(make()._repr_mimebundle_(include=["text/html"])) == {"text/html"}
    assert set(make()._repr_mimebundle_(exclude=[MIME_TYPE])) == {"text/plain", "text/html"}


def test_to_dataframe_without_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas -> ImportError
    with pytest.raises(ImportError, match="pip install pandas"):
        make().to_dataframe()


def test_to_dataframe_with_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    class DataFrame:
        def __init__(self, data, columns=None):
            calls.append((data, columns))

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=DataFrame))
    frame = make().to_dataframe()
    assert isinstance(frame, DataFrame)
    assert calls == [
        (RECORDS, ["display_name", "video_description", "create_time", "id", "hashtag_names"])
    ]


def test_exceptions_hierarchy() -> None:
    for cls in (
        rqs.AuthenticationError,
        rqs.ValidationError,
        rqs.QuotaExceededError,
        rqs.PlatformUnavailableError,
    ):
        assert issubclass(cls, rqs.RQSError)
    error = rqs.QuotaExceededError("over", remaining=3, resets_at="2026-11-26T00:00:00Z")
    assert (error.remaining, error.resets_at, error.code, error.status) == (
        3,
        "2026-11-26T00:00:00Z",
        "daily_quota_limit_exceeded",
        429,
    )
    assert "QuotaExceededError" in repr(error)
