"""`QueryResult`: the records a query returned, as a list of dicts that displays well."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any

#: The MIME type a JupyterLab renderer can register for query results.
MIME_TYPE = "application/vnd.vce.query-result+json"
#: Records shown in full by ``print()`` and the HTML table; longer results are cut with a note.
DISPLAY_ROWS = 100


class QueryResult(list):
    """The records of a query: a ``list`` of ``dict`` (one per record, only the requested fields).

    Extra attributes (all may be ``None`` where the platform did not send them):

    - ``category``: ``"video"``, ``"comment"`` or ``"user"``
    - ``fields``: the requested field names, in order
    - ``quota``: the day's quota after the query, ``{"day", "daily_limit", "used",
      "remaining", "resets_at"}`` (test stage only)
    - ``cursor`` / ``has_more``: paging state (execution stage / task results)
    - ``log_id``: the platform's id of the request

    ``print(result)`` shows a summary line and one record per line; in a notebook
    the result renders as an HTML table with the record count and quota left.
    """

    def __init__(
        self,
        records: Iterable[dict[str, Any]] = (),
        *,
        category: str | None = None,
        fields: list[str] | None = None,
        quota: dict[str, Any] | None = None,
        cursor: str | None = None,
        has_more: bool | None = None,
        log_id: str | None = None,
    ) -> None:
        super().__init__(records)
        self.category = category
        self.fields = list(fields) if fields else None
        self.quota = quota
        self.cursor = cursor
        self.has_more = has_more
        self.log_id = log_id

    # -- columns and summary -------------------------------------------------

    def columns(self) -> list[str]:
        """The column names: the requested fields, then any other key the records carry."""
        names: list[str] = list(self.fields or [])
        seen = set(names)
        for record in self:
            for key in record:
                if key not in seen:
                    seen.add(key)
                    names.append(key)
        return names

    def summary(self) -> str:
        """One line: how many records of which category, and the quota left."""
        noun = "record" if len(self) == 1 else "records"
        kind = f"{self.category} " if self.category else ""
        text = f"QueryResult: {len(self)} {kind}{noun}"
        quota = self.quota
        if quota and "remaining" in quota:
            text += f"; quota left today: {_number(quota.get('remaining'))}"
            if quota.get("daily_limit") is not None:
                text += f" of {_number(quota.get('daily_limit'))}"
            if quota.get("resets_at"):
                text += f" (resets at {quota['resets_at']})"
        if self.has_more:
            text += "; more pages available"
        return text

    # -- text ----------------------------------------------------------------

    def __repr__(self) -> str:
        lines = [self.summary()]
        shown = self[:DISPLAY_ROWS]
        lines.extend(repr(dict(record)) for record in shown)
        if len(self) > len(shown):
            lines.append(
                f"... {len(self) - len(shown)} more records not shown: iterate over the result or use .to_dataframe()"
            )
        return "\n".join(lines)

    __str__ = __repr__

    # -- rich display ----------------------------------------------------------

    def _repr_html_(self) -> str:
        columns = self.columns()
        esc = html.escape
        parts = [
            '<div class="vce-query-result">',
            f"<p><strong>{esc(self.summary())}</strong></p>",
        ]
        if not self:
            parts.append("<p>No records matched.</p></div>")
            return "".join(parts)
        parts.append('<table class="vce-query-result-table"><thead><tr>')
        parts.extend(f"<th>{esc(str(name))}</th>" for name in columns)
        parts.append("</tr></thead><tbody>")
        for record in self[:DISPLAY_ROWS]:
            parts.append("<tr>")
            parts.extend(f"<td>{esc(_cell(record.get(name)))}</td>" for name in columns)
            parts.append("</tr>")
        parts.append("</tbody></table>")
        if len(self) > DISPLAY_ROWS:
            parts.append(f"<p>&hellip; {len(self) - DISPLAY_ROWS} more records not shown.</p>")
        parts.append("</div>")
        return "".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The payload of the ``application/vnd.vce.query-result+json`` MIME type (plain JSON types)."""
        return {
            "category": self.category,
            "fields": self.columns(),
            "count": len(self),
            "records": [dict(record) for record in self],
            "quota": self.quota,
            "cursor": self.cursor,
            "has_more": self.has_more,
            "log_id": self.log_id,
        }

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = {
            "text/plain": repr(self),
            "text/html": self._repr_html_(),
            MIME_TYPE: json.loads(json.dumps(self.to_json(), default=str)),
        }
        if include:
            bundle = {key: value for key, value in bundle.items() if key in include}
        if exclude:
            bundle = {key: value for key, value in bundle.items() if key not in exclude}
        return bundle

    # -- pandas ----------------------------------------------------------------

    def to_dataframe(self) -> Any:
        """The records as a ``pandas.DataFrame`` (columns in the requested order).

        Raises ImportError with the install command when pandas is not installed.
        """
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "QueryResult.to_dataframe() needs pandas, which is not installed: "
                "run `pip install pandas` (or `pip install pyrqs[pandas]`), or use the records as a list of dicts."
            ) from None
        return pandas.DataFrame([dict(record) for record in self], columns=self.columns() or None)


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
