"""Pure parts of the reports: age buckets, time standards, the table/CSV, the SVG chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from docket.core.reports import (
    Series,
    Table,
    age_buckets,
    bar_chart,
    default_period,
    months_between,
    nice_ceiling,
    percent,
    time_standards,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_default_buckets_are_the_courtools_ones():
    labels = [bucket.label for bucket in age_buckets()]
    assert labels == ["0–90", "91–180", "181–365", "over 365"]
    assert [(b.low, b.high) for b in age_buckets((30,))] == [(0, 30), (31, None)]


@pytest.mark.parametrize("bounds", [(), (90, 90), (180, 90), (0, 90)])
def test_buckets_must_rise_from_one_day(bounds):
    with pytest.raises(ValueError, match="REPORT_AGE_BUCKETS"):
        age_buckets(bounds)


def test_model_time_standards_and_their_checks():
    standards = time_standards()
    assert [(s.days, s.target) for s in standards["felony"]] == [(90, 75), (180, 90), (365, 98)]
    assert [(s.days, s.target) for s in standards["misdemeanor"]] == [(60, 75), (90, 90), (180, 98)]
    with pytest.raises(ValueError, match="days must rise"):
        time_standards({"felony": [[180, 90], [90, 75]]})
    with pytest.raises(ValueError, match="targets are percents"):
        time_standards({"felony": [[90, 175]]})


def test_percent_and_periods():
    assert percent(1, 3) == 33.3 and percent(0, 0) is None and percent(None, 4) == 0.0
    assert default_period(date(2026, 6, 30)) == (date(2025, 7, 1), date(2026, 6, 30))
    assert months_between(date(2025, 12, 15), date(2026, 2, 1)) == ["2025-12", "2026-01", "2026-02"]
    assert [nice_ceiling(v) for v in (0, 7, 10, 11, 120, 230)] == [1, 10, 10, 20, 200, 250]


def test_csv_is_the_table_text_cell_for_cell():
    table = Table(["Month", "Filed", "Rate %"], [["Apr 2026", 3, 50.0], ["May", 0, None]])
    table.total = ["Period", 3, 12.25]
    assert table.text_rows() == [
        ["Apr 2026", "3", "50.0"],
        ["May", "0", "n/a"],
        ["Period", "3", "12.2"],
    ]
    assert table.csv().splitlines() == [
        "Month,Filed,Rate %",
        "Apr 2026,3,50.0",
        "May,0,n/a",
        "Period,3,12.2",
    ]


def test_chart_is_valid_escaped_svg_with_a_bar_per_value():
    svg = bar_chart(
        ["Okafor", "<Lind & co>"],
        [Series("0–90", [3, 1]), Series("over 365", [0, None])],
        title="Age",
        description="Cases by age",
        reference=2,
        reference_label="goal",
    )
    root = ET.fromstring(svg)  # well-formed: the label's < and & are escaped
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Age"
    bars = [el for el in root.iter(f"{SVG}rect") if el.get("class") == "bar"]
    assert len(bars) == 3  # None draws nothing; 0 draws a flat bar
    labels = [el.text for el in root.iter(f"{SVG}text") if el.get("class") == "label"]
    assert labels == ["Okafor", "<Lind & co>"]
    assert any(el.get("class") == "reference" for el in root.iter(f"{SVG}line"))


def test_empty_chart_still_draws_its_axes():
    root = ET.fromstring(bar_chart([], [Series("x", [])], title="None", description="Nothing"))
    assert root.find(f"{SVG}desc").text == "Nothing"
