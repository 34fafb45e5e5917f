"""Safe outputs for clean-room jobs: aggregates written with their provenance.

In the spirit of SACRO's ACRO (our own code, standard library only, since the
sandbox has no pandas): each helper aggregates the records a job read with
:mod:`pyrqs.rqs`, suppresses the cells that would fail the output review
(fewer than ``threshold`` records, or a sum or mean dominated by one or two
records), and returns a :class:`Result`. :func:`write` writes the result as
CSV, JSON, markdown or SVG **and**, next to it, its provenance record
(``<file>.provenance.json``): every cell's record count, for sums and means the
shares of the two largest contributions, the statistic, the group fields, the
records count and this package's version. The platform's review checks such a
file exactly against its record (threshold, dominance, p-ratio, residual
degrees of freedom, labels) instead of guessing from the file alone, so an
honest aggregate is approved without false alarms.

Example::

    from pyrqs import outputs, rqs
    videos = list(rqs.RQSClient().iter_query(
        category="video", fields="region_code,duration_type,like_count"))
    outputs.write(outputs.crosstab(videos, "region_code", "duration_type"),
                  "output/by_region.csv")
    outputs.write(outputs.describe_by(videos, "region_code", "like_count"),
                  "output/likes_by_region.md")

The record format is in server-mock/README.md § "The provenance lane".
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "PROVENANCE_SUFFIX",
    "Result",
    "bar_chart_svg",
    "crosstab",
    "describe_by",
    "logit",
    "percentiles",
    "regression",
    "write",
]

#: The provenance record of ``output/x.csv`` is ``output/x.csv.provenance.json``.
PROVENANCE_SUFFIX = ".provenance.json"
#: ACRO's defaults (docs/research/sdc-rules.md §1): the review applies the platform's own.
THRESHOLD = 10
DOMINANCE_N = 2
DOMINANCE_K = 0.9
P_RATIO = 0.1
RECORD_FORMAT = "pyrqs.outputs provenance"
RECORD_VERSION = 1

#: A group field: a record field's name, or (a name, a function of the record).
GroupField = str | tuple[str, Callable[[Mapping[str, Any]], Any]]


def _version() -> str:
    from . import __version__

    return __version__


class Result:
    """An aggregate and how it was made; :func:`write` writes both.

    ``header`` is the table's column names; ``rows`` its cells, each a dict:
    ``{"label": "US"}`` for a group label, ``{"text": "12.5", "stat": "mean",
    "count": 120, "top": [0.04, 0.03]}`` for a statistic over ``count`` records
    (``top``: the two largest contributions' shares of the cell's sum, for sums
    and means), ``{"text": "<10", "stat": "count", "suppressed": True}`` for a
    suppressed cell (nothing of it is kept). ``table()`` gives the texts.

    >>> r = crosstab([{"r": "A"}] * 12 + [{"r": "B"}] * 3, "r")
    >>> r.table()
    [['r', 'count'], ['A', '12'], ['B', '<10']]
    """

    def __init__(
        self,
        kind: str,
        statistic: str,
        header: list[str],
        rows: list[list[dict[str, Any]]],
        records: int,
        *,
        field: str | None = None,
        groups: Sequence[str] = (),
        column_groups: Sequence[str] = (),
        threshold: int = THRESHOLD,
        exploded: bool = False,
        model: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> None:
        self.kind = kind
        self.statistic = statistic
        self.header = header
        self.rows = rows
        self.records = records
        self.field = field
        self.groups = list(groups)
        self.column_groups = list(column_groups)
        self.threshold = threshold
        self.exploded = exploded
        self.model = model
        self.title = title

    def table(self) -> list[list[str]]:
        """The header and rows as the texts written to a file."""
        return [list(self.header)] + [[_cell_text(cell) for cell in row] for row in self.rows]

    @property
    def suppressed(self) -> int:
        """How many cells were suppressed."""
        return sum(1 for row in self.rows for cell in row if cell.get("suppressed"))

    def provenance(self, file_name: str) -> dict[str, Any]:
        """The provenance record of this result written as ``file_name``."""
        record: dict[str, Any] = {
            "format": RECORD_FORMAT,
            "version": RECORD_VERSION,
            "pyrqs_version": _version(),
            "file": os.path.basename(file_name),
            "kind": self.kind,
            "statistic": self.statistic,
            "field": self.field,
            "groups": self.groups,
            "column_groups": self.column_groups,
            "exploded": self.exploded,
            "records": self.records,
            "threshold": self.threshold,
            "title": self.title,
            "header": self.header,
            "rows": self.rows,
        }
        if self.model is not None:
            record["model"] = self.model
        return record

    def __str__(self) -> str:
        return render_markdown(self)

    def __repr__(self) -> str:
        return (
            f"<Result {self.kind} {self.statistic}: {len(self.rows)} rows, "
            f"{self.suppressed} suppressed cells, {self.records} records>"
        )


# --- numbers ------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A record's value as a number, or None (missing, text, a flag)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _fmt(value: float | None, digits: int = 2) -> str:
    """A statistic as written: fixed decimals, integers as integers, '' when undefined."""
    if value is None or not math.isfinite(value):
        return ""
    if digits == 0:
        return str(int(round(value)))
    return f"{value:.{digits}f}"


def _fmt_model(value: float | None) -> str:
    """Model statistics: 6 significant digits."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:.6g}"


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default, R type 7)."""
    if len(ordered) == 1:
        return ordered[0]
    h = (len(ordered) - 1) * q / 100
    low = math.floor(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def _top_shares(values: Sequence[float]) -> dict[str, Any]:
    """The largest contributions' shares of the total (for NK dominance and the p-ratio)."""
    if any(value < 0 for value in values):
        # Dominance is undefined with negative contributions (ACRO: "review").
        return {"negative": True}
    total = math.fsum(values)
    if total <= 0:
        return {"top": []}
    top = sorted(values, reverse=True)[:DOMINANCE_N]
    return {"top": [value / total for value in top]}


def _dominated(shares: dict[str, Any], k: float = DOMINANCE_K, p: float = P_RATIO) -> bool:
    """True when a sum or mean would fail the NK rule or the p-ratio (then it is suppressed)."""
    if shares.get("negative"):
        return False
    top = shares.get("top") or []
    if not top:
        return False
    first = top[0]
    second = top[1] if len(top) > 1 else 0.0
    return first + second > k or (first > 0 and (1 - first - second) / first < p)


# --- grouping ------------------------------------------------------------


def _fields(spec: GroupField | Sequence[GroupField] | None) -> list[GroupField]:
    if spec is None:
        return []
    if isinstance(spec, str) or (isinstance(spec, tuple) and len(spec) == 2 and callable(spec[1])):
        return [spec]  # type: ignore[list-item]
    return list(spec)  # type: ignore[arg-type]


def _name(field: GroupField) -> str:
    return field if isinstance(field, str) else field[0]


def _label(value: Any) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _group_values(record: Mapping[str, Any], field: GroupField) -> list[str]:
    """A record's labels for one group field: a list field (hashtags) gives one per element."""
    value = record.get(field) if isinstance(field, str) else field[1](record)
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted({_label(item) for item in value})
    return [_label(value)]


def _keys(record: Mapping[str, Any], fields: list[GroupField]) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [()]
    for field in fields:
        keys = [key + (value,) for key in keys for value in _group_values(record, field)]
    return keys


def _is_list_field(records: Sequence[Mapping[str, Any]], fields: list[GroupField]) -> bool:
    for record in records:
        for field in fields:
            value = record.get(field) if isinstance(field, str) else field[1](record)
            if isinstance(value, (list, tuple, set, frozenset)):
                return True
    return False


def _sort_key(label: str) -> tuple[int, float, str]:
    number = _number(label)
    return (0, number, "") if number is not None else (1, 0.0, label)


def _sorted(labels: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return sorted(labels, key=lambda key: [_sort_key(part) for part in key])


# --- cells ---------------------------------------------------------------


def _suppressed(stat: str, threshold: int) -> dict[str, Any]:
    return {"text": f"<{threshold}", "stat": stat, "suppressed": True}


def _stat_cell(
    stat: str, values: list[float], count: int, threshold: int, digits: int = 2
) -> dict[str, Any]:
    """One statistic over a group's values, suppressed when the group is small or dominated."""
    if count < threshold:
        return _suppressed(stat, threshold)
    cell: dict[str, Any] = {"stat": stat, "count": count}
    if stat == "count":
        cell["text"] = str(count)
        return cell
    ordered = sorted(values)
    if stat in ("sum", "mean"):
        shares = _top_shares(values)
        if _dominated(shares):
            return _suppressed(stat, threshold)
        total = math.fsum(values)
        cell["text"] = _fmt(total if stat == "sum" else total / count, digits)
        cell.update(shares)
    elif stat == "median":
        cell["text"] = _fmt(_percentile(ordered, 50), digits)
    elif stat == "sd":
        if count < 2:
            cell["text"] = ""
            return cell
        mean = math.fsum(values) / count
        variance = math.fsum((value - mean) ** 2 for value in values) / (count - 1)
        cell["text"] = _fmt(math.sqrt(variance), digits)
    elif stat.startswith("p"):
        cell["text"] = _fmt(_percentile(ordered, float(stat[1:])), digits)
    else:
        raise ValueError(f"unknown statistic {stat!r}")
    return cell


def _cell_text(cell: Mapping[str, Any]) -> str:
    return str(cell["label"]) if "label" in cell else str(cell.get("text", ""))


# --- helpers -------------------------------------------------------------

AGGREGATES = ("count", "mean", "sum", "median")


def crosstab(
    records: Sequence[Mapping[str, Any]],
    rows: GroupField | Sequence[GroupField],
    cols: GroupField | Sequence[GroupField] | None = None,
    values: str | None = None,
    aggfunc: str = "count",
    *,
    threshold: int = THRESHOLD,
    digits: int = 2,
) -> Result:
    """Counts (or the mean, sum or median of ``values``) by groups, small cells suppressed.

    ``rows`` and ``cols`` are field names or ``(name, function of a record)``
    pairs (e.g. a month from ``create_time``); a list field (``hashtag_names``)
    counts a record once under each of its elements. Cells of fewer than
    ``threshold`` records, and sums or means whose two largest records make
    over 90% of the total (or leave under 10% of the largest), are written as
    ``"<10"``, as ACRO's suppression does.

    >>> videos = [{"region": "US", "likes": 5}] * 12 + [{"region": "MX", "likes": 1}] * 4
    >>> crosstab(videos, "region").table()
    [['region', 'count'], ['MX', '<10'], ['US', '12']]
    >>> crosstab(videos, "region", values="likes", aggfunc="mean").table()
    [['region', 'mean_likes'], ['MX', '<10'], ['US', '5.00']]
    """
    if aggfunc not in AGGREGATES:
        raise ValueError(f"aggfunc must be one of {', '.join(AGGREGATES)}")
    if aggfunc != "count" and not values:
        raise ValueError(f"aggfunc={aggfunc!r} needs values= (the field to aggregate)")
    row_fields, col_fields = _fields(rows), _fields(cols)
    if not row_fields:
        raise ValueError("rows= needs at least one field")
    records = list(records)
    cells: dict[tuple[tuple[str, ...], tuple[str, ...]], list[float]] = {}
    counts: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    row_keys: set[tuple[str, ...]] = set()
    col_keys: set[tuple[str, ...]] = set()
    for record in records:
        number = _number(record.get(values)) if values else None
        if values and number is None:
            continue
        for row_key in _keys(record, row_fields):
            for col_key in _keys(record, col_fields):
                key = (row_key, col_key)
                counts[key] = counts.get(key, 0) + 1
                if number is not None:
                    cells.setdefault(key, []).append(number)
                row_keys.add(row_key)
                col_keys.add(col_key)
    stat = aggfunc
    row_names = [_name(field) for field in row_fields]
    col_order = _sorted(col_keys) if col_fields else [()]
    if col_fields:
        header = row_names + [" / ".join(key) for key in col_order]
    else:
        header = row_names + ["count" if stat == "count" else f"{stat}_{values}"]
    table: list[list[dict[str, Any]]] = []
    for row_key in _sorted(row_keys):
        row: list[dict[str, Any]] = [{"label": part} for part in row_key]
        for col_key in col_order:
            key = (row_key, col_key)
            row.append(_stat_cell(stat, cells.get(key, []), counts.get(key, 0), threshold, digits))
        table.append(row)
    return Result(
        "crosstab",
        stat,
        header,
        table,
        len(records),
        field=values,
        groups=row_names,
        column_groups=[_name(field) for field in col_fields],
        threshold=threshold,
        exploded=_is_list_field(records, row_fields + col_fields),
    )


def _values_by_group(
    records: Sequence[Mapping[str, Any]], fields: list[GroupField], field: str
) -> dict[tuple[str, ...], list[float]]:
    """Each group's numeric values of ``field`` (records without a number are left out)."""
    groups: dict[tuple[str, ...], list[float]] = {}
    for record in records:
        number = _number(record.get(field))
        if number is None:
            continue
        for key in _keys(record, fields):
            groups.setdefault(key, []).append(number)
    return groups


def describe_by(
    records: Sequence[Mapping[str, Any]],
    by: GroupField | Sequence[GroupField],
    field: str,
    *,
    threshold: int = THRESHOLD,
    digits: int = 2,
) -> Result:
    """Count, mean, sd, median, p25 and p75 of a numeric ``field`` per group.

    Groups of fewer than ``threshold`` values are suppressed; a dominated
    mean is suppressed with its sd.

    >>> rows = [{"g": "a", "x": v} for v in range(1, 13)]
    >>> describe_by(rows, "g", "x").table()[1]
    ['a', '12', '6.50', '3.61', '6.50', '3.75', '9.25']
    """
    fields = _fields(by)
    records = list(records)
    groups = _values_by_group(records, fields, field)
    names = [_name(item) for item in fields]
    stats = ("count", "mean", "sd", "median", "p25", "p75")
    table = []
    for key in _sorted(groups):
        values = groups[key]
        row: list[dict[str, Any]] = [{"label": part} for part in key]
        cells = [_stat_cell(stat, values, len(values), threshold, digits) for stat in stats]
        if cells[1].get("suppressed"):
            cells[2] = _suppressed("sd", threshold)
        table.append(row + cells)
    return Result(
        "describe",
        "describe",
        names + list(stats),
        table,
        len(records),
        field=field,
        groups=names,
        threshold=threshold,
        exploded=_is_list_field(records, fields),
    )


def percentiles(
    records: Sequence[Mapping[str, Any]],
    field: str,
    by: GroupField | Sequence[GroupField] | None = None,
    q: Sequence[float] = (25, 50, 75),
    *,
    threshold: int = THRESHOLD,
    digits: int = 2,
) -> Result:
    """Percentiles of ``field`` (overall, or per group), with each group's count.

    ``q`` must lie strictly between 0 and 100: the 0th and 100th are single
    records' values (minimum and maximum), which are not released.

    >>> percentiles([{"x": v} for v in range(1, 21)], "x").table()
    [['count', 'p25', 'p50', 'p75'], ['20', '5.75', '10.50', '15.25']]
    """
    for value in q:
        if not 0 < value < 100:
            raise ValueError("percentiles must lie strictly between 0 and 100")
    fields = _fields(by)
    records = list(records)
    groups = _values_by_group(records, fields, field)
    names = [_name(item) for item in fields]
    stats = ["count"] + [f"p{value:g}" for value in q]
    table = []
    for key in _sorted(groups):
        values = groups[key]
        row: list[dict[str, Any]] = [{"label": part} for part in key]
        table.append(row + [_stat_cell(s, values, len(values), threshold, digits) for s in stats])
    return Result(
        "percentiles",
        "percentiles",
        names + stats,
        table,
        len(records),
        field=field,
        groups=names,
        threshold=threshold,
        exploded=_is_list_field(records, fields),
    )


# --- models --------------------------------------------------------------


def _design(
    records: Sequence[Mapping[str, Any]], y: str, x: Sequence[str]
) -> tuple[list[list[float]], list[float]]:
    """Rows with every variable numeric (complete cases), with a constant first."""
    rows: list[list[float]] = []
    ys: list[float] = []

    def number(value: Any) -> float | None:
        # Flags are 0/1 in a model (e.g. is_stem_verified as the outcome of a logit).
        return float(value) if isinstance(value, bool) else _number(value)

    for record in records:
        target = number(record.get(y))
        values = [number(record.get(name)) for name in x]
        if target is None or any(value is None for value in values):
            continue
        rows.append([1.0] + [float(value) for value in values])  # type: ignore[arg-type]
        ys.append(target)
    return rows, ys


def _solve(matrix: list[list[float]]) -> list[list[float]]:
    """The inverse of a symmetric positive-definite matrix (Gauss-Jordan with pivoting)."""
    size = len(matrix)
    work = [
        list(row) + [1.0 if i == j else 0.0 for j in range(size)] for i, row in enumerate(matrix)
    ]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(work[row][column]))
        if abs(work[pivot][column]) < 1e-12:
            raise ValueError("the variables are collinear (the model cannot be estimated)")
        work[column], work[pivot] = work[pivot], work[column]
        scale = work[column][column]
        work[column] = [value / scale for value in work[column]]
        for row in range(size):
            if row != column and work[row][column]:
                factor = work[row][column]
                work[row] = [a - factor * b for a, b in zip(work[row], work[column], strict=False)]
    return [row[size:] for row in work]


def _cross(rows: list[list[float]], weights: list[float] | None = None) -> list[list[float]]:
    size = len(rows[0])
    out = [[0.0] * size for _ in range(size)]
    for index, row in enumerate(rows):
        weight = 1.0 if weights is None else weights[index]
        for i in range(size):
            wi = weight * row[i]
            for j in range(i, size):
                out[i][j] += wi * row[j]
    for i in range(size):
        for j in range(i):
            out[i][j] = out[j][i]
    return out


def _times(matrix: list[list[float]], vector: list[float]) -> list[float]:
    return [math.fsum(a * b for a, b in zip(row, vector, strict=False)) for row in matrix]


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return h


def _t_two_sided(t: float, df: float) -> float:
    """P(|T| > |t|) for Student's t with df degrees of freedom (regularised incomplete beta)."""
    if not math.isfinite(t):
        return 0.0
    if t == 0:
        return 1.0
    x = df / (df + t * t)
    a, b = df / 2, 0.5
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def _model_result(
    kind: str,
    terms: list[str],
    columns: list[tuple[str, list[float]]],
    summary: list[tuple[str, float | None]],
    n: int,
    records: int,
    y: str,
) -> Result:
    header = ["term"] + [name for name, _ in columns]
    rows: list[list[dict[str, Any]]] = []
    for index, term in enumerate(terms):
        row: list[dict[str, Any]] = [{"label": term}]
        for name, values in columns:
            row.append({"text": _fmt_model(values[index]), "stat": name})
        rows.append(row)
    # Model-level figures as rows of their own, so CSV, JSON and markdown hold the same table.
    for name, value in summary:
        text = (
            str(int(value))
            if name in ("n", "df_resid") and value is not None
            else _fmt_model(value)
        )
        row = [{"label": name}, {"text": text, "stat": name}]
        row += [{"text": "", "stat": name} for _ in columns[1:]]
        rows.append(row)
    return Result(
        kind,
        "ols" if kind == "regression" else "logit",
        header,
        rows,
        records,
        field=y,
        model={"n": n, "df_resid": n - len(terms), "parameters": len(terms)},
    )


def regression(records: Sequence[Mapping[str, Any]], y: str, x: Sequence[str]) -> Result:
    """An ordinary least squares summary of ``y`` on ``x`` (with a constant).

    Rows: each term's coefficient, standard error, t and two-sided p; then
    ``n``, ``df_resid`` (n minus the parameters; the review wants at least 10),
    ``r2`` and ``adj_r2``. Records with a missing or non-numeric variable are
    left out.

    >>> rows = [{"y": 1 + 2 * i + (i % 3), "x": i} for i in range(20)]
    >>> [row[:2] for row in regression(rows, "y", ["x"]).table()[:3]]
    [['term', 'coef'], ['const', '1.9'], ['x', '2.00526']]
    """
    x = [x] if isinstance(x, str) else list(x)
    design, ys = _design(records, y, x)
    terms = ["const", *x]
    n, k = len(design), len(terms)
    if n <= k:
        raise ValueError(f"{n} complete records cannot fit {k} parameters")
    inverse = _solve(_cross(design))
    beta = _times(
        inverse,
        [math.fsum(row[i] * t for row, t in zip(design, ys, strict=False)) for i in range(k)],
    )
    residuals = [
        t - math.fsum(b * v for b, v in zip(beta, row, strict=False))
        for row, t in zip(design, ys, strict=False)
    ]
    rss = math.fsum(r * r for r in residuals)
    mean = math.fsum(ys) / n
    tss = math.fsum((t - mean) ** 2 for t in ys)
    df = n - k
    sigma2 = rss / df
    se = [math.sqrt(max(sigma2 * inverse[i][i], 0.0)) for i in range(k)]
    t = [b / s if s > 0 else math.inf for b, s in zip(beta, se, strict=False)]
    p = [_t_two_sided(value, df) for value in t]
    r2 = 1 - rss / tss if tss > 0 else None
    adj = 1 - (1 - r2) * (n - 1) / df if r2 is not None else None
    return _model_result(
        "regression",
        terms,
        [("coef", beta), ("se", se), ("t", t), ("p", p)],
        [("n", n), ("df_resid", df), ("r2", r2), ("adj_r2", adj)],
        n,
        len(records),
        y,
    )


def logit(
    records: Sequence[Mapping[str, Any]],
    y: str,
    x: Sequence[str],
    *,
    max_iterations: int = 50,
    tolerance: float = 1e-10,
) -> Result:
    """A logistic regression summary of a 0/1 ``y`` on ``x`` (with a constant), by IRLS.

    Rows: each term's coefficient, standard error, z and two-sided p; then
    ``n``, ``df_resid``, ``pseudo_r2`` (McFadden) and ``iterations``. Raises
    ``ValueError`` when it does not converge (e.g. perfect separation).

    >>> rows = [{"y": int(i % 7 < 3 + i // 20), "x": i // 20} for i in range(80)]
    >>> logit(rows, "y", ["x"]).table()[2][0]
    'x'
    """
    x = [x] if isinstance(x, str) else list(x)
    design, ys = _design(records, y, x)
    if any(t not in (0.0, 1.0) for t in ys):
        raise ValueError(f"{y} must be 0 or 1 (or true/false) in every record")
    terms = ["const", *x]
    n, k = len(design), len(terms)
    if n <= k:
        raise ValueError(f"{n} complete records cannot fit {k} parameters")
    beta = [0.0] * k

    def log_likelihood(coefficients: list[float]) -> float:
        total = 0.0
        for row, t in zip(design, ys, strict=False):
            eta = math.fsum(b * v for b, v in zip(coefficients, row, strict=False))
            # log(1 + e^eta) without overflow.
            softplus = eta + math.log1p(math.exp(-eta)) if eta > 0 else math.log1p(math.exp(eta))
            total += t * eta - softplus
        return total

    previous = log_likelihood(beta)
    iterations = 0
    converged = False
    while not converged:
        if iterations == max_iterations:
            raise ValueError(
                f"the logistic regression did not converge in {max_iterations} iterations"
            )
        iterations += 1
        mus = [
            1 / (1 + math.exp(-math.fsum(b * v for b, v in zip(beta, row, strict=False))))
            for row in design
        ]
        weights = [max(mu * (1 - mu), 1e-12) for mu in mus]
        inverse = _solve(_cross(design, weights))
        gradient = [
            math.fsum(row[i] * (t - mu) for row, t, mu in zip(design, ys, mus, strict=False))
            for i in range(k)
        ]
        beta = [b + step for b, step in zip(beta, _times(inverse, gradient), strict=False)]
        current = log_likelihood(beta)
        converged = abs(current - previous) < tolerance * (abs(previous) + tolerance)
        previous = current
    if any(abs(b) > 30 for b in beta):
        raise ValueError("the logistic regression diverges (perfect separation?)")
    mus = [
        1 / (1 + math.exp(-math.fsum(b * v for b, v in zip(beta, row, strict=False))))
        for row in design
    ]
    inverse = _solve(_cross(design, [max(mu * (1 - mu), 1e-12) for mu in mus]))
    se = [math.sqrt(max(inverse[i][i], 0.0)) for i in range(k)]
    z = [b / s if s > 0 else math.inf for b, s in zip(beta, se, strict=False)]
    p = [math.erfc(abs(value) / math.sqrt(2)) for value in z]
    share = math.fsum(ys) / n
    null = (
        n * (share * math.log(share) + (1 - share) * math.log(1 - share)) if 0 < share < 1 else None
    )
    pseudo = 1 - previous / null if null else None
    return _model_result(
        "logit",
        terms,
        [("coef", beta), ("se", se), ("z", z), ("p", p)],
        [("n", n), ("df_resid", n - k), ("pseudo_r2", pseudo), ("iterations", iterations)],
        n,
        len(records),
        y,
    )


# --- charts --------------------------------------------------------------


def bar_chart_svg(counts: Result | Mapping[str, int], title: str) -> Result:
    """A horizontal bar chart of aggregated counts, written as SVG by :func:`write`.

    ``counts`` is a one-way count :func:`crosstab` (its suppressed cells
    become bars without a length) or a mapping of label to count (counts
    under 10 are suppressed here).

    >>> chart = bar_chart_svg({"US": 120, "MX": 45, "FR": 3}, "Videos by region")
    >>> chart.table()
    [['label', 'count'], ['US', '120'], ['MX', '45'], ['FR', '<10']]
    """
    if isinstance(counts, Result):
        if counts.statistic != "count" or counts.column_groups or len(counts.groups) != 1:
            raise ValueError(
                "bar_chart_svg needs a one-way count crosstab (one rows= field, no cols=)"
            )
        rows = [[dict(cell) for cell in row] for row in counts.rows]
        header = list(counts.header)
        records, threshold = counts.records, counts.threshold
        groups, exploded = counts.groups, counts.exploded
    else:
        threshold = THRESHOLD
        rows = [
            [{"label": _label(label)}, _stat_cell("count", [], int(count), threshold)]
            for label, count in counts.items()
        ]
        header = ["label", "count"]
        records = sum(int(count) for count in counts.values())
        groups, exploded = ["label"], False
    return Result(
        "bar_chart",
        "count",
        header,
        rows,
        records,
        groups=groups,
        threshold=threshold,
        exploded=exploded,
        title=title,
    )


# --- rendering -----------------------------------------------------------
# The review re-renders CSV, markdown and SVG from the record and compares
# bytes (server-mock/src/review/provenance/render.ts): keep both sides in step.

_CSV_QUOTE = re.compile(r'[",\r\n]|^\s|\s$')


def render_csv(result: Result) -> str:
    """CSV: a header line, one line per row, "\\n" line ends, fields quoted when needed."""

    def field(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if _CSV_QUOTE.search(text) else text

    return "".join(",".join(field(text) for text in row) + "\n" for row in result.table())


def render_markdown(result: Result) -> str:
    """A markdown table (with the title as a heading when there is one)."""

    def cell(text: str) -> str:
        return re.sub(r"[\r\n]+", " ", text.replace("|", "\\|"))

    header, *rows = result.table()
    lines = [f"# {cell(result.title)}", ""] if result.title else []
    lines.append("| " + " | ".join(cell(text) for text in header) + " |")
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    lines += ["| " + " | ".join(cell(text) for text in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


def render_json(result: Result) -> str:
    """JSON: ``{"columns": [...], "rows": [{column: value}, ...]}``; labels are strings,
    statistics numbers, suppressed cells "<10", undefined ones null."""

    def value(cell: Mapping[str, Any]) -> Any:
        if "label" in cell:
            return str(cell["label"])
        text = str(cell.get("text", ""))
        if cell.get("suppressed"):
            return text
        if not text:
            return None
        if _JSON_NUMBER.fullmatch(text):
            number = float(text)
            return int(text) if re.fullmatch(r"-?\d+", text) else number
        return text

    body = {
        "columns": list(result.header),
        "rows": [
            {name: value(cell) for name, cell in zip(result.header, row, strict=False)}
            for row in result.rows
        ],
    }
    return json.dumps(body, indent=2) + "\n"


def _xml(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


SVG_WIDTH, SVG_LABEL_WIDTH, SVG_BAR_WIDTH, SVG_ROW = 640, 160, 400, 28


def render_svg(result: Result) -> str:
    """An SVG bar chart (integer geometry, so that the review can redraw it exactly)."""
    bars = [(str(row[0].get("label", "")), row[-1]) for row in result.rows]
    longest = max([int(cell["count"]) for _, cell in bars if "count" in cell] or [1]) or 1
    height = 40 + SVG_ROW * len(bars) + 12
    title = _xml(result.title or "")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_WIDTH}" height="{height}" '
        f'viewBox="0 0 {SVG_WIDTH} {height}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
        f'<text x="8" y="24" font-family="sans-serif" font-size="16">{title}</text>',
    ]
    for index, (label, cell) in enumerate(bars):
        y = 40 + SVG_ROW * index
        width = int(cell["count"]) * SVG_BAR_WIDTH // longest if "count" in cell else 0
        parts.append(
            f'<text x="{SVG_LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end" '
            f'font-family="sans-serif" font-size="12">{_xml(label)}</text>'
        )
        if width:
            parts.append(
                f'<rect x="{SVG_LABEL_WIDTH}" y="{y}" width="{width}" height="24" fill="#4477aa"/>'
            )
        parts.append(
            f'<text x="{SVG_LABEL_WIDTH + width + 6}" y="{y + 17}" font-family="sans-serif" '
            f'font-size="12">{_xml(_cell_text(cell))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


RENDERERS: dict[str, Callable[[Result], str]] = {
    ".csv": render_csv,
    ".json": render_json,
    ".md": render_markdown,
    ".svg": render_svg,
}


def write(result: Result, path: str | os.PathLike[str]) -> str:
    """Write ``result`` to ``path`` (.csv, .json, .md or .svg) and its provenance record
    next to it (``path + ".provenance.json"``); return the record's path.

    The review checks the file exactly against the record, so do not edit
    either afterwards: a file that differs from its record is rejected.

    >>> import tempfile, os.path
    >>> folder = tempfile.mkdtemp()
    >>> write(crosstab([{"r": "A"}] * 12, "r"), os.path.join(folder, "by_r.csv")).endswith(
    ...     "by_r.csv.provenance.json")
    True
    """
    path = os.fspath(path)
    extension = os.path.splitext(path)[1].lower()
    renderer = RENDERERS.get(extension)
    if renderer is None:
        raise ValueError(f"write() writes {', '.join(RENDERERS)} files, not {extension or 'this'}")
    if extension == ".svg" and result.kind != "bar_chart":
        raise ValueError("only bar_chart_svg() results are written as .svg")
    if os.path.basename(path).startswith("."):
        raise ValueError("hidden files are not released: give the file a visible name")
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(renderer(result))
    record_path = path + PROVENANCE_SUFFIX
    with open(record_path, "w", encoding="utf-8", newline="") as handle:
        json.dump(result.provenance(path), handle, indent=1)
        handle.write("\n")
    return record_path
