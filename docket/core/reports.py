"""The judges' reports without the database: age buckets, time standards, the table every
report hands to both its page and its CSV, and the server-rendered SVG bar chart.

The measures follow the National Center for State Courts' CourTools (Measures 2 to 5); the
SQL that counts lives in docket/reports/service.py. Nothing here reads a clock or a config:
callers pass `today` and the configured values.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

# CourTools Measure 4 buckets: upper bounds in days, inclusive; a last open bucket follows.
DEFAULT_AGE_BUCKETS = (90, 180, 365)

# Model Time Standards for State Trial Courts (NCSC 2011): (days, percent disposed within).
DEFAULT_TIME_STANDARDS = {
    "felony": ((90, 75), (180, 90), (365, 98)),
    "misdemeanor": ((60, 75), (90, 90), (180, 98)),
}


@dataclass(frozen=True)
class Bucket:
    index: int
    low: int  # days, inclusive
    high: int | None  # days, inclusive; None for the open last bucket

    @property
    def label(self) -> str:
        if self.high is None:
            return f"over {self.low - 1}"
        return f"{self.low}–{self.high}"


def age_buckets(bounds: Iterable[int] = DEFAULT_AGE_BUCKETS) -> tuple[Bucket, ...]:
    """(90, 180, 365) -> 0–90, 91–180, 181–365, over 365. Bounds must rise and be positive."""
    bounds = tuple(int(bound) for bound in bounds)
    if not bounds:
        raise ValueError("REPORT_AGE_BUCKETS needs at least one bound (e.g. [90, 180, 365])")
    if bounds[0] < 1 or any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)):
        raise ValueError(f"REPORT_AGE_BUCKETS must rise from 1 day up: {list(bounds)}")
    buckets = []
    low = 0
    for index, high in enumerate(bounds):
        buckets.append(Bucket(index, low, high))
        low = high + 1
    buckets.append(Bucket(len(bounds), low, None))
    return tuple(buckets)


@dataclass(frozen=True)
class Standard:
    days: int
    target: int  # percent of cases to be disposed within `days`

    @property
    def label(self) -> str:
        return f"within {self.days} days (goal {self.target}%)"


def time_standards(configured: dict | None = None) -> dict[str, tuple[Standard, ...]]:
    """The configured standards per case type, checked: days rising, targets within 1..100."""
    configured = DEFAULT_TIME_STANDARDS if configured is None else configured
    standards: dict[str, tuple[Standard, ...]] = {}
    for case_type, pairs in configured.items():
        items = tuple(Standard(int(days), int(target)) for days, target in pairs)
        if not items:
            raise ValueError(f"REPORT_TIME_STANDARDS[{case_type!r}] lists no standard")
        days = [item.days for item in items]
        if days != sorted(set(days)) or days[0] < 1:
            raise ValueError(f"REPORT_TIME_STANDARDS[{case_type!r}]: days must rise: {days}")
        if any(not 0 < item.target <= 100 for item in items):
            raise ValueError(f"REPORT_TIME_STANDARDS[{case_type!r}]: targets are percents")
        standards[case_type] = items
    return standards


def percent(part: int | None, whole: int | None) -> float | None:
    """part / whole x 100 to one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


# --- periods ---------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_period(today: date, months: int = 12) -> tuple[date, date]:
    """The last `months` calendar months, this one included (to today)."""
    return add_months(month_start(today), -(months - 1)), today


def months_between(start: date, end: date) -> list[str]:
    """'YYYY-MM' for every month the period touches, in order."""
    months = []
    current = month_start(start)
    while current <= end:
        months.append(f"{current:%Y-%m}")
        current = add_months(current, 1)
    return months


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{date(int(year), int(month), 1):%b %Y}"


def day_after(day: date) -> date:
    return day + timedelta(days=1)


# --- the table both the page and the CSV show --------------------------------------------------


def cell_text(value) -> str:
    """How a number reads in the table and in the CSV alike."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass
class Table:
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None  # the last row, set apart on the page
    labels: int = 1  # leading columns that name the row; the rest are numbers

    def text_rows(self) -> list[list[str]]:
        rows = [*self.rows, *([self.total] if self.total else [])]
        return [[cell_text(value) for value in row] for row in rows]

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.columns)
        writer.writerows(self.text_rows())
        return buffer.getvalue()


# --- the chart -------------------------------------------------------------------------------

# Colour-blind-safe (Okabe–Ito) and distinct in greyscale print by lightness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5, 5 x 10^k at or above value (the axis top)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power  # pragma: no cover


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    unit: str = "",
    reference: float | None = None,
    reference_label: str = "",
    chart_id: str = "chart",
    stacked: bool = False,
) -> str:
    """A vertical bar chart as SVG text (grouped, or stacked when `stacked`): axis, gridlines,
    the value over each bar, a legend, an optional dashed reference line. Everything in it
    is escaped; it needs no script and prints as it shows."""
    width, height = 760, 320
    left, right, top, bottom = 60, 16, 40, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    groups = len(labels)
    if stacked:
        tops = [sum(s.values[i] or 0 for s in series) for i in range(groups)]
    else:
        tops = [v or 0 for s in series for v in s.values]
    highest = max([*tops, reference or 0, 0])
    counts = all(isinstance(v, int) for s in series for v in s.values if v is not None)
    if counts and highest <= 40:  # whole-number ticks for small counts
        y_max = float(4 * max(1, math.ceil(highest * 1.05 / 4)))
    else:
        y_max = nice_ceiling(highest * 1.05 or 1)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" font-size="12">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * (value / y_max)

    for tick in range(5):
        value = y_max * tick / 4
        y = y_of(value)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d0d0" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{escape(_number(value) + unit)}</text>"
        )
    out.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#333"/>'
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#333"/>'
    )
    if groups:
        group_w = plot_w / groups
        inner = group_w * 0.8
        bar_w = inner if stacked else inner / max(len(series), 1)
        show_values = groups * (1 if stacked else len(series)) <= 40
        for i, label in enumerate(labels):
            x0 = left + group_w * i + (group_w - inner) / 2
            base = 0.0
            for k, one in enumerate(series):
                value = one.values[i]
                if value is None:
                    continue
                x = x0 if stacked else x0 + bar_w * k
                y_top, y_bottom = y_of(base + value), y_of(base)
                out.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" '
                    f'height="{max(y_bottom - y_top, 0):.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                    f"<title>{escape(f'{label}, {one.name}: {_number(value)}{unit}')}</title>"
                    f"</rect>"
                )
                if show_values and not stacked:
                    out.append(
                        f'<text class="value" x="{x + bar_w / 2:.1f}" y="{y_top - 3:.1f}" '
                        f'text-anchor="middle" fill="#111" font-size="11">'
                        f"{escape(_number(value))}</text>"
                    )
                if stacked:
                    base += value
            if stacked and show_values:
                out.append(
                    f'<text class="value" x="{x0 + bar_w / 2:.1f}" y="{y_of(base) - 3:.1f}" '
                    f'text-anchor="middle" fill="#111" font-size="11">'
                    f"{escape(_number(base))}</text>"
                )
            rotate = groups > 8
            lx, ly = x0 + inner / 2, top + plot_h + 16
            transform = f' transform="rotate(-35 {lx:.1f} {ly:.1f})"' if rotate else ""
            anchor = "end" if rotate else "middle"
            out.append(
                f'<text class="label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" '
                f'fill="#111"{transform}>{escape(label)}</text>'
            )
    if reference is not None:
        y = y_of(reference)
        out.append(
            f'<line class="reference" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="#B00020" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        if reference_label:
            out.append(
                f'<text x="{left + plot_w - 4}" y="{y - 5:.1f}" text-anchor="end" '
                f'fill="#B00020">{escape(reference_label)}</text>'
            )
    x = left
    for k, one in enumerate(series):
        if len(series) == 1 and not one.name:
            break
        out.append(
            f'<rect x="{x}" y="12" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="22" fill="#111">{escape(one.name)}</text>'
        )
        x += 28 + 7 * len(one.name)
    out.append("</svg>")
    return "\n".join(out)


__all__ = [
    "DEFAULT_AGE_BUCKETS",
    "DEFAULT_TIME_STANDARDS",
    "Bucket",
    "Series",
    "Standard",
    "Table",
    "add_months",
    "age_buckets",
    "bar_chart",
    "cell_text",
    "default_period",
    "month_label",
    "months_between",
    "nice_ceiling",
    "percent",
    "time_standards",
]
