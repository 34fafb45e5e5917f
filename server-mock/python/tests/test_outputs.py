"""pyrqs.outputs: exact numbers on small fixed inputs, suppression, and the files write() makes."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from pyrqs import outputs
from pyrqs.outputs import PROVENANCE_SUFFIX


def videos() -> list[dict]:
    """30 US videos (likes 1..30), 12 MX (likes 10 each), 4 FR; durations alternate."""
    rows = [
        {"region_code": "US", "like_count": i, "duration_type": "short" if i % 2 else "long"}
        for i in range(1, 31)
    ]
    rows += [{"region_code": "MX", "like_count": 10, "duration_type": "short"} for _ in range(12)]
    rows += [{"region_code": "FR", "like_count": 7, "duration_type": "long"} for _ in range(4)]
    return rows


def texts(result: outputs.Result) -> list[list[str]]:
    return result.table()


def test_crosstab_counts_and_suppression() -> None:
    result = outputs.crosstab(videos(), "region_code")
    assert texts(result) == [["region_code", "count"], ["FR", "<10"], ["MX", "12"], ["US", "30"]]
    assert result.suppressed == 1
    fr = result.rows[0][1]
    # Nothing of a suppressed cell is kept, not even its count.
    assert fr == {"text": "<10", "stat": "count", "suppressed": True}
    assert result.rows[2][1] == {"stat": "count", "count": 30, "text": "30"}
    assert result.records == 46


def test_two_way_crosstab_suppresses_zero_and_small_cells() -> None:
    result = outputs.crosstab(videos(), "region_code", "duration_type")
    assert texts(result) == [
        ["region_code", "long", "short"],
        ["FR", "<10", "<10"],  # 4 long, 0 short: both suppressed (zeros are disclosive)
        ["MX", "<10", "12"],
        ["US", "15", "15"],
    ]
    assert result.column_groups == ["duration_type"]


def test_crosstab_mean_sum_median_exact() -> None:
    mean = outputs.crosstab(videos(), "region_code", values="like_count", aggfunc="mean")
    assert texts(mean)[1:] == [["FR", "<10"], ["MX", "10.00"], ["US", "15.50"]]
    us = mean.rows[2][1]
    assert us["count"] == 30
    assert us["top"] == pytest.approx([30 / 465, 29 / 465])
    total = outputs.crosstab(videos(), "region_code", values="like_count", aggfunc="sum", digits=0)
    assert texts(total)[1:] == [["FR", "<10"], ["MX", "120"], ["US", "465"]]
    median = outputs.crosstab(videos(), "region_code", values="like_count", aggfunc="median")
    assert texts(median)[1:] == [["FR", "<10"], ["MX", "10.00"], ["US", "15.50"]]
    assert "top" not in median.rows[2][1]


def test_dominated_mean_is_suppressed() -> None:
    rows = [{"g": "a", "x": 0} for _ in range(11)] + [{"g": "a", "x": 1000}]
    result = outputs.crosstab(rows, "g", values="x", aggfunc="mean")
    assert texts(result)[1] == ["a", "<10"]
    assert result.rows[0][1]["suppressed"] is True


def test_list_fields_and_derived_groups() -> None:
    rows = [{"hashtag_names": ["a", "b"], "t": i} for i in range(10)] + [
        {"hashtag_names": ["a"], "t": 100 + i} for i in range(5)
    ]
    result = outputs.crosstab(rows, "hashtag_names")
    assert texts(result)[1:] == [["a", "15"], ["b", "10"]]
    assert result.exploded is True
    derived = outputs.crosstab(rows, ("early", lambda r: r["t"] < 100))
    assert texts(derived) == [["early", "count"], ["false", "<10"], ["true", "10"]]


def test_describe_by_exact() -> None:
    result = outputs.describe_by(videos(), "region_code", "like_count")
    header, fr, mx, us = texts(result)
    assert header == ["region_code", "count", "mean", "sd", "median", "p25", "p75"]
    assert fr == ["FR"] + ["<10"] * 6
    assert mx == ["MX", "12", "10.00", "0.00", "10.00", "10.00", "10.00"]
    # 1..30: mean 15.5, sd sqrt(77.5), p25 = 1 + 29 * 0.25 = 8.25, p75 = 22.75.
    assert us == ["US", "30", "15.50", f"{math.sqrt(77.5):.2f}", "15.50", "8.25", "22.75"]


def test_percentiles_exact_and_bounds() -> None:
    result = outputs.percentiles(videos(), "like_count", by="region_code", q=(10, 50, 90))
    assert texts(result)[0] == ["region_code", "count", "p10", "p50", "p90"]
    # 1..30: p10 = 1 + 29 * 0.1 = 3.9; p90 = 27.1.
    assert texts(result)[3] == ["US", "30", "3.90", "15.50", "27.10"]
    overall = outputs.percentiles([{"x": v} for v in (4, 1, 3, 2)] * 3, "x")
    assert texts(overall)[1] == ["12", "1.75", "2.50", "3.25"]
    with pytest.raises(ValueError):
        outputs.percentiles(videos(), "like_count", q=(0, 50))
    with pytest.raises(ValueError):
        outputs.percentiles(videos(), "like_count", q=(50, 100))


def test_ols_against_hand_computation() -> None:
    # y on x: slope Sxy/Sxx = 8/10, intercept 3 - 0.8 * 3; RSS 3.6 on 3 df; R² = 1 - 3.6/10.
    rows = [{"x": x, "y": y} for x, y in zip((1, 2, 3, 4, 5), (1, 3, 2, 5, 4), strict=True)]
    result = outputs.regression(rows, "y", ["x"])
    table = {row[0]: row[1:] for row in texts(result)[1:]}
    assert texts(result)[0] == ["term", "coef", "se", "t", "p"]
    assert float(table["const"][0]) == pytest.approx(0.6)
    assert float(table["x"][0]) == pytest.approx(0.8)
    assert float(table["x"][1]) == pytest.approx(math.sqrt(1.2 / 10), rel=1e-5)
    assert float(table["const"][1]) == pytest.approx(math.sqrt(1.2 * (1 / 5 + 9 / 10)), rel=1e-5)
    assert float(table["x"][2]) == pytest.approx(0.8 / math.sqrt(0.12), rel=1e-5)
    assert table["n"][0] == "5" and table["df_resid"][0] == "3"
    assert float(table["r2"][0]) == pytest.approx(0.64)
    assert result.model == {"n": 5, "df_resid": 3, "parameters": 2}


@pytest.mark.parametrize(("t", "df", "p"), [(12.7062, 1, 0.05), (2.776445, 4, 0.05), (0, 7, 1.0)])
def test_t_distribution_p_values(t: float, df: int, p: float) -> None:
    assert outputs._t_two_sided(t, df) == pytest.approx(p, abs=1e-5)


def test_logit_converges_to_the_closed_form() -> None:
    # One binary regressor: const = log odds at x=0, slope = log odds ratio.
    rows = [{"x": 0, "y": int(i < 5)} for i in range(20)] + [
        {"x": 1, "y": int(i < 12)} for i in range(20)
    ]
    result = outputs.logit(rows, "y", ["x"])
    table = {row[0]: row[1:] for row in texts(result)[1:]}
    assert texts(result)[0] == ["term", "coef", "se", "z", "p"]
    assert float(table["const"][0]) == pytest.approx(math.log(5 / 15), rel=1e-5)
    assert float(table["x"][0]) == pytest.approx(math.log(12 / 8) - math.log(5 / 15), rel=1e-5)
    assert float(table["x"][1]) == pytest.approx(
        math.sqrt(1 / 5 + 1 / 15 + 1 / 12 + 1 / 8), rel=1e-5
    )
    assert int(table["iterations"][0]) < 20
    assert result.model == {"n": 40, "df_resid": 38, "parameters": 2}


def test_logit_refuses_non_binary_and_separated_data() -> None:
    with pytest.raises(ValueError):
        outputs.logit([{"x": i, "y": i} for i in range(20)], "y", ["x"])
    with pytest.raises(ValueError):
        outputs.logit([{"x": i, "y": int(i > 9)} for i in range(20)], "y", ["x"])


def test_bar_chart_svg_is_valid_xml(tmp_path: Path) -> None:
    counts = outputs.crosstab(videos(), "region_code")
    chart = outputs.bar_chart_svg(counts, 'Videos by region & "type"')
    path = tmp_path / "chart.svg"
    outputs.write(chart, path)
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    # FR is suppressed: no bar; US (30) is the longest bar, MX 12/30 of it.
    assert [rect.get("width") for rect in rects] == ["160", "400"]
    labels = [text.text for text in root.findall("{http://www.w3.org/2000/svg}text")]
    assert labels[0] == 'Videos by region & "type"'
    assert "<10" in labels
    with pytest.raises(ValueError):
        outputs.bar_chart_svg(outputs.crosstab(videos(), "region_code", "duration_type"), "x")


def test_write_makes_the_file_and_its_provenance(tmp_path: Path) -> None:
    result = outputs.crosstab(videos(), "region_code", values="like_count", aggfunc="mean")
    for name in ("by_region.csv", "by_region.json", "by_region.md"):
        record_path = Path(outputs.write(result, tmp_path / "output" / name))
        assert record_path.name == name + PROVENANCE_SUFFIX
        record = json.loads(record_path.read_text())
        assert record["format"] == "pyrqs.outputs provenance" and record["version"] == 1
        assert record["file"] == name
        assert record["kind"] == "crosstab" and record["statistic"] == "mean"
        assert record["field"] == "like_count" and record["groups"] == ["region_code"]
        assert record["records"] == 46 and record["pyrqs_version"]
        assert record["rows"][0][1] == {"text": "<10", "stat": "mean", "suppressed": True}
        assert record["rows"][2][1]["count"] == 30
    assert (tmp_path / "output" / "by_region.csv").read_text() == (
        "region_code,mean_like_count\nFR,<10\nMX,10.00\nUS,15.50\n"
    )
    assert json.loads((tmp_path / "output" / "by_region.json").read_text()) == {
        "columns": ["region_code", "mean_like_count"],
        "rows": [
            {"region_code": "FR", "mean_like_count": "<10"},
            {"region_code": "MX", "mean_like_count": 10.0},
            {"region_code": "US", "mean_like_count": 15.5},
        ],
    }
    assert (tmp_path / "output" / "by_region.md").read_text().splitlines()[:3] == [
        "| region_code | mean_like_count |",
        "| --- | --- |",
        "| FR | <10 |",
    ]


def test_write_refuses_unknown_types_and_hidden_names(tmp_path: Path) -> None:
    result = outputs.crosstab(videos(), "region_code")
    with pytest.raises(ValueError):
        outputs.write(result, tmp_path / "x.xlsx")
    with pytest.raises(ValueError):
        outputs.write(result, tmp_path / ".hidden.csv")
    with pytest.raises(ValueError):
        outputs.write(result, tmp_path / "table.svg")


def test_csv_quotes_labels_that_need_it() -> None:
    rows = [{"g": 'a, "b"'} for _ in range(10)]
    assert outputs.render_csv(outputs.crosstab(rows, "g")) == 'g,count\n"a, ""b""",10\n'


def test_a_lone_value_never_shows_as_a_mean_even_under_a_low_threshold() -> None:
    # One record is its own total: the mean is dominated, suppressed with its sd.
    result = outputs.describe_by([{"g": "a", "x": 3}], "g", "x", threshold=1)
    assert texts(result)[1] == ["a", "1", "<1", "<1", "3.00", "3.00", "3.00"]
