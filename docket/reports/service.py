"""The judges' reports, counted in SQL: one statement per figure group, GROUP BY and CASE WHEN,
window functions for the warrant periods and the percentiles; never a loop over cases.

Every function takes `Filters` and returns a `Report`: its table (what the page and the CSV
show, cell for cell), its chart (SVG) and its definitions. Both engines give the same numbers:
day counts, month keys and percentiles are written once for each (see `days_between`,
`month_of`, `_percentiles`: PostgreSQL's own percentile_cont, a portable ROW_NUMBER form
elsewhere, equal to the digit).

Speed (bench/reports.py, bench/README.md: each report under a second on PostgreSQL at
1,000,000 cases): the cases in scope are read once (`_scope`, a CTE) and the warrant and
competency periods worked out for those cases only; a report's counts and percentiles come
from one pass (GROUPING SETS for the whole beside the groups); the indexes of migration 0006
let PostgreSQL answer from the indexes alone; `_tune` turns JIT off for the transaction.

Definitions (CourTools, National Center for State Courts):
- Measure 4, age of active pending caseload: cases with status 'active' today, age = days
  from filing to today, less the days a bench warrant was outstanding (from the warrant to
  the next warrant event) and the days of competency proceedings (excludable periods whose
  code contains 'competency'), each where configured. Inactive cases are not pending.
- Measure 3, time to disposition: cases disposed in the period (disposition date), days from
  filing to disposition less the same excluded periods up to the disposition; the share
  disposed within each time standard of the case type, the median and the 90th percentile
  (linear interpolation between ranks, as PostgreSQL's percentile_cont).
- Measure 2, clearance rate: outgoing / incoming x 100. Incoming = cases filed plus cases
  reactivated (warrant returned); outgoing = cases disposed plus cases placed on inactive
  status (bench warrant issued). Counted per month, or per (currently assigned) judge.
- Measure 5, trial date certainty: cases whose first trial was held in the period (a trial
  hearing with status 'held', else a 'trial_commenced' event); the number of the case's trial
  settings up to the held one; the share held on the first or second setting.
- Plan compliance: stage deadlines due in the period: met / (met + met late + missed),
  pending stages overdue today, median days late of those met late.
- Continuance rates: hearing settings in the period that have ended (held, continued or
  vacated): the share that ended 'continued', by hearing type, requester or reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from markupsafe import Markup
from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    exists,
    func,
    literal_column,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from docket.clock import court_zone
from docket.core import reports as core
from docket.core.reports import Series, Table, bar_chart, percent
from docket.core.vocabulary import (
    CASE_TYPES,
    CONTINUANCE_REASONS,
    CONTINUANCE_REQUESTERS,
    HEARING_TYPES,
    TRACKS,
)
from docket.extensions import db
from docket.models import Case, CaseEvent, Deadline, Hearing, HearingSetting, Judge, TollingPeriod

# --- portable SQL ----------------------------------------------------------------------------


class days_between(FunctionElement):  # noqa: N801 (reads as the SQL function it stands for)
    """Whole days from `earlier` to `later` (dates): PostgreSQL date - date, SQLite julianday."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


class month_of(FunctionElement):  # noqa: N801
    """'YYYY-MM' of a date."""

    inherit_cache = True
    name = "month_of"


@compiles(month_of)
def _month_of_default(element, compiler, **kw):
    (day,) = list(element.clauses)
    return f"to_char({compiler.process(day, **kw)}, 'YYYY-MM')"


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):
    (day,) = list(element.clauses)
    return f"strftime('%Y-%m', {compiler.process(day, **kw)})"


def _bind(value: date):
    from sqlalchemy import bindparam

    return bindparam(None, value, type_=Date)


def _least(a, b):
    return case((a < b, a), else_=b)


def _positive(value):
    return case((value > 0, value), else_=0)


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _tune() -> None:
    """On PostgreSQL, for the rest of this (read-only) transaction: no JIT (it spends 0.3 to
    0.5 s compiling each report statement, more than it saves on a few hundred thousand
    rows) and room to sort a court's cases in memory rather than on disk (the default 4 MB
    spills the sort of 200,000 active cases to temporary files)."""
    if _postgres():
        db.session.execute(text("SELECT set_config('jit', 'off', true)"))
        db.session.execute(text("SELECT set_config('work_mem', '64MB', true)"))


def _without_hash_join(query):
    """Run `query` (all rows) with PostgreSQL's hash joins off for that one statement: joining
    a period's 300,000 stage deadlines to a court's 1,000,000 cases, a merge join over two
    index-only scans takes about half the time of the hash join the planner prefers
    (probing a hash of 300,000 rows a million times misses the CPU caches)."""
    if not _postgres():
        return db.session.execute(query).all()
    before = db.session.scalar(text("SELECT current_setting('enable_hashjoin')"))
    db.session.execute(text("SELECT set_config('enable_hashjoin', 'off', true)"))
    rows = db.session.execute(query).all()  # on an error, the rollback restores the setting
    db.session.execute(
        text("SELECT set_config('enable_hashjoin', :value, true)"), {"value": before}
    )
    return rows


def _percentiles(rows, value, keys=(), points=(50, 90), counts=(), overall=False) -> dict:
    """{tuple of group keys: [percentile for each point, then each count, then n]} over the
    subquery `rows` (column `value`, grouped by the columns `keys`; () for one group), plus
    the whole (key ()) when `overall`. Interpolated between ranks as PostgreSQL's
    percentile_cont: rank h = p/100 x (n - 1), value = v[floor h] + frac x (v[floor h + 1] -
    v[floor h]). PostgreSQL runs percentile_cont itself (one sort per group, and GROUPING
    SETS for the whole in the same pass); elsewhere the portable form: ROW_NUMBER and integer
    arithmetic only. Both round to one decimal from values that are exact multiples of 0.1
    (integer days; p/100 x (n - 1) has at most one decimal for whole percents p that are
    multiples of 10 or p = 50), so the engines agree to the digit."""
    keys = list(keys)
    if _postgres():
        columns = [func.percentile_cont(point / 100).within_group(value) for point in points]
        columns += [func.sum(case((condition(value), 1), else_=0)) for condition in counts]
        columns.append(func.count())
        query = select(*keys, *columns).select_from(rows)
        if keys and overall:
            query = query.add_columns(func.grouping(*keys).label("whole")).group_by(
                func.grouping_sets(tuple_(*keys), tuple_())
            )
        elif keys:
            query = query.group_by(*keys)
        result = {}
        for row in db.session.execute(query).all():
            values = row[len(keys) : len(keys) + len(columns)]
            if not values[-1]:  # no rows at all (an aggregate without GROUP BY)
                continue
            whole = keys and overall and row.whole
            result[() if whole else tuple(row[: len(keys)])] = [
                None if v is None else round(float(v), 1) for v in values[: len(points)]
            ] + [int(v or 0) for v in values[len(points) :]]
        return result
    if keys and overall:
        # The rows once (a CTE read twice), ranked per group and as a whole: one statement.
        base = select(rows).cte("measured")
        value, keys = base.c[value.key], [base.c[key.key] for key in keys]
        parts = [
            _ranked(base, value, keys, points, counts).add_columns(literal_column("0")),
            _ranked(base, value, [], points, counts, nulls=len(keys)).add_columns(
                literal_column("1")
            ),
        ]
        query, width = union_all(*parts), len(keys)
    else:
        query, width = _ranked(rows, value, keys, points, counts), len(keys)
    result = {}
    for row in db.session.execute(query).all():
        values = row[width : width + len(points) + len(counts) + 1]
        if values[0] is None:  # no rows at all (an aggregate without GROUP BY)
            continue
        whole = keys and overall and row[-1] == 1
        result[() if whole else tuple(row[:width])] = [
            None if v is None else round(float(v) / 100, 1) for v in values[: len(points)]
        ] + [int(v or 0) for v in values[len(points) :]]
    return result


def _ranked(rows, value, keys, points, counts, nulls=0):
    """The portable percentiles of `_percentiles`: (keys or `nulls` NULLs, each percentile x
    100, each count, n) per group of `keys` over `rows`, from ROW_NUMBER and integers."""
    partition = keys or None
    ranked = select(
        *[key.label(f"k{i}") for i, key in enumerate(keys)],
        value.label("v"),
        func.row_number().over(partition_by=partition, order_by=value).label("rn"),
        func.count().over(partition_by=partition).label("n"),
    ).subquery()
    group = [ranked.c[f"k{i}"] for i in range(len(keys))]
    columns = []
    for point in points:
        scaled = point * (ranked.c.n - 1)
        low = scaled // 100 + 1  # 1-based rank of the lower neighbour
        remainder = scaled % 100
        v_low = func.max(case((ranked.c.rn == low, ranked.c.v)))
        v_high = func.max(case((ranked.c.rn == low + 1, ranked.c.v)))
        step = func.coalesce(func.max(remainder) * (v_high - v_low), 0)
        columns.append(v_low * 100 + step)  # x100: divided in Python, no engine rounding
    for condition in counts:  # extra counts in the same pass: SUM(CASE WHEN ...)
        columns.append(func.sum(case((condition(ranked.c.v), 1), else_=0)))
    columns.append(func.count())
    query = select(*group, *[literal_column("NULL")] * nulls, *columns)
    if group:
        query = query.group_by(*group)
    return query


# --- filters and results ---------------------------------------------------------------------

GROUPS = {"judge": "Judge", "track": "Track", "case_type": "Case type"}


@dataclass
class Filters:
    court_id: int
    today: date
    start: date
    end: date
    judge_id: int | None = None
    track: str | None = None
    case_type: str | None = None
    group: str | None = None
    hearing_type: str | None = None

    def case_conditions(self) -> list:
        conditions = [Case.court_id == self.court_id]
        if self.judge_id:
            conditions.append(Case.assigned_judge_id == self.judge_id)
        if self.track:
            conditions.append(Case.track == self.track)
        if self.case_type:
            conditions.append(Case.case_type == self.case_type)
        return conditions

    def instants(self) -> tuple[datetime, datetime]:
        """The period as instants: from the first day's midnight to the day after the last,
        in the court's zone (hearing settings are instants)."""
        zone = court_zone()
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(core.day_after(self.end), time.min, zone),
        )


@dataclass
class Report:
    slug: str
    title: str
    table: Table
    chart: Markup
    definition: list[str]
    period: str
    notes: list[str] = field(default_factory=list)


def _setting(name: str, default):
    return current_app.config.get(name, default)


def buckets():
    return core.age_buckets(_setting("REPORT_AGE_BUCKETS", core.DEFAULT_AGE_BUCKETS))


def standards():
    return core.time_standards(_setting("REPORT_TIME_STANDARDS", core.DEFAULT_TIME_STANDARDS))


def _group_column(group: str | None):
    return {
        "judge": Case.assigned_judge_id,
        "track": Case.track,
        "case_type": Case.case_type,
    }.get(group or "")


def _group_labels(group: str | None, court_id: int) -> dict:
    if group == "judge":
        rows = db.session.execute(select(Judge.id, Judge.name).where(Judge.court_id == court_id))
        return {None: "Unassigned", **{row.id: row.name for row in rows}}
    if group == "track":
        return dict(TRACKS)
    if group == "case_type":
        return dict(CASE_TYPES)
    return {}


def _label(labels: dict, key) -> str:
    return str(labels.get(key, key if key is not None else "None"))


def _period_text(filters: Filters) -> str:
    return f"{filters.start:%b %-d, %Y} to {filters.end:%b %-d, %Y}"


# --- excluded (inactive) days ----------------------------------------------------------------


def _scope(conditions: list, until, *columns):
    """The cases in scope, once: a CTE (id, filed_on, until, *columns) that the report and
    its excluded days both read (PostgreSQL materializes a CTE read more than once), so the
    warrant and competency periods are worked out for these cases only."""
    bound = until if hasattr(until, "label") else _bind(until)
    return (
        select(Case.id, Case.filed_on, bound.label("until"), *columns)
        .where(*conditions)
        .cte("scope")
    )


def _excluded_days(scope):
    """A subquery (case_id, days): per case of `scope` (see `_scope`), the days up to its
    `until` a bench warrant was outstanding and competency proceedings ran, each where
    configured. A warrant period runs from the warrant to the case's next warrant event
    (returned, or another warrant); competency periods are the excludable periods whose code
    contains 'competency' (their last day included). Periods are taken not to overlap."""
    parts = []
    if _setting("REPORT_EXCLUDE_WARRANT_PERIODS", True):
        order = (CaseEvent.occurred_on, CaseEvent.id)
        events = (
            select(
                CaseEvent.case_id,
                CaseEvent.event_type,
                CaseEvent.occurred_on,
                func.lead(CaseEvent.occurred_on)
                .over(partition_by=CaseEvent.case_id, order_by=order)
                .label("next_on"),
                scope.c.until,
            )
            .join(scope, scope.c.id == CaseEvent.case_id)
            .where(CaseEvent.event_type.in_(("bench_warrant_issued", "warrant_returned")))
            .subquery()
        )
        stop = _least(func.coalesce(events.c.next_on, events.c.until), events.c.until)
        parts.append(
            select(
                events.c.case_id,
                _positive(days_between(stop, events.c.occurred_on)).label("days"),
            ).where(
                events.c.event_type == "bench_warrant_issued",
                events.c.occurred_on < events.c.until,
            )
        )
    if _setting("REPORT_EXCLUDE_COMPETENCY", True):
        bound = scope.c.until
        closes_before = and_(TollingPeriod.ends_on.is_not(None), TollingPeriod.ends_on < bound)
        stop = case((closes_before, TollingPeriod.ends_on), else_=bound)
        parts.append(
            select(
                TollingPeriod.case_id,
                (
                    days_between(stop, TollingPeriod.starts_on) + case((closes_before, 1), else_=0)
                ).label("days"),
            )
            .join(scope, scope.c.id == TollingPeriod.case_id)
            .where(TollingPeriod.code.like("%competency%"), TollingPeriod.starts_on < bound)
        )
    if not parts:
        return None
    periods = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    return (
        select(periods.c.case_id, func.sum(periods.c.days).label("days"))
        .group_by(periods.c.case_id)
        .subquery()
    )


def _exclusion_text() -> str:
    left_out = []
    if _setting("REPORT_EXCLUDE_WARRANT_PERIODS", True):
        left_out.append("days a bench warrant was outstanding")
    if _setting("REPORT_EXCLUDE_COMPETENCY", True):
        left_out.append("days of competency proceedings")
    if not left_out:
        return "No period is left out of the age (as configured)."
    return "Left out of the age: " + " and ".join(left_out) + "."


# --- Measure 4: age of active pending caseload -----------------------------------------------


def _ages(filters: Filters):
    """A subquery (id, group keys, age) of the active cases matching the filters."""
    conditions = [*filters.case_conditions(), Case.status == "active"]
    scope = _scope(conditions, filters.today, Case.assigned_judge_id, Case.track, Case.case_type)
    excluded = _excluded_days(scope)
    age = days_between(scope.c.until, scope.c.filed_on)
    query = select(scope.c.id, scope.c.assigned_judge_id, scope.c.track, scope.c.case_type)
    if excluded is not None:
        age = age - func.coalesce(excluded.c.days, 0)
        query = query.outerjoin(excluded, excluded.c.case_id == scope.c.id)
    return query.add_columns(_positive(age).label("age")).subquery()


def _bucket_of(age, bucket_list):
    return case(
        *[(age <= bucket.high, bucket.index) for bucket in bucket_list if bucket.high is not None],
        else_=bucket_list[-1].index,
    )


def age_counts(filters: Filters) -> dict:
    """{(group key, bucket index): count}: one GROUP BY over the active cases."""
    ages = _ages(filters)
    bucket_list = buckets()
    key = ages.c[_group_column(filters.group).key] if filters.group else None
    bucket = _bucket_of(ages.c.age, bucket_list).label("bucket")
    columns = [*([key] if key is not None else []), bucket, func.count().label("n")]
    query = select(*columns).group_by(*([key] if key is not None else []), bucket)
    counts = {}
    for row in db.session.execute(query).all():
        counts[(row[0] if key is not None else None, row.bucket)] = row.n
    return counts


def case_age(filters: Filters) -> Report:
    bucket_list = buckets()
    ages = _ages(filters)
    key = ages.c[_group_column(filters.group).key] if filters.group else None
    in_bucket = [
        (lambda age, b=bucket: _bucket_of(age, bucket_list) == b.index) for bucket in bucket_list
    ]
    # One pass: the bucket counts and the percentiles together, per group and for the whole.
    _tune()
    per_group = _percentiles(
        ages, ages.c.age, [key] if key is not None else [], counts=in_bucket, overall=True
    )
    overall = per_group.pop((), [None, None] + [0] * len(bucket_list))
    counts = {
        (group_key[0], bucket.index): values[2 + bucket.index]
        for group_key, values in per_group.items()
        for bucket in bucket_list
    }
    medians = {group_key: values[:2] for group_key, values in per_group.items()}
    labels = _group_labels(filters.group, filters.court_id)
    group_name = GROUPS.get(filters.group or "", "Court")
    columns = [
        group_name,
        *[f"{bucket.label} days" for bucket in bucket_list],
        "Pending",
        f"% over {bucket_list[-1].low - 1} days",
        "Median age (days)",
        "90th percentile (days)",
    ]
    table = Table(columns)
    keys = (
        sorted({k for k, _ in counts}, key=lambda k: _label(labels, k)) if key is not None else []
    )
    for group_key in keys:
        row_counts = [counts.get((group_key, b.index), 0) for b in bucket_list]
        pending = sum(row_counts)
        table.rows.append(
            [
                _label(labels, group_key),
                *row_counts,
                pending,
                percent(row_counts[-1], pending),
                *medians.get((group_key,), [None, None]),
            ]
        )
    totals = overall[2 : 2 + len(bucket_list)]
    table.total = [
        "All cases",
        *totals,
        sum(totals),
        percent(totals[-1], sum(totals)),
        *overall[:2],
    ]
    chart_rows = table.rows if table.rows else [table.total]
    series = [
        Series(f"{bucket.label} days", [row[1 + bucket.index] for row in chart_rows])
        for bucket in bucket_list
    ]
    chart = bar_chart(
        [row[0] for row in chart_rows],
        series,
        title="Active pending cases by age",
        description=(
            "Number of active pending cases in each age bucket"
            + (f", per {group_name.lower()}" if key is not None else "")
            + f", as of {filters.today:%b %-d, %Y}."
        ),
        chart_id="chart-case-age",
    )
    return Report(
        slug="case-age",
        title="Age of active pending caseload",
        table=table,
        chart=Markup(chart),
        period=f"as of {filters.today:%b %-d, %Y}",
        definition=[
            "CourTools Measure 4. Cases whose status is Active today (inactive cases, with a "
            "bench warrant outstanding, are not pending), by days since filing.",
            _exclusion_text(),
            "The date range does not apply: the caseload is counted as it stands today.",
            "Sealed cases are counted; no case is named.",
        ],
    )


# --- Measure 3: time to disposition ----------------------------------------------------------


def _disposition_days(filters: Filters):
    conditions = [
        *filters.case_conditions(),
        Case.status == "disposed",
        Case.disposition_date >= _bind(filters.start),
        Case.disposition_date <= _bind(filters.end),
    ]
    scope = _scope(
        conditions, Case.disposition_date, Case.case_type, Case.assigned_judge_id, Case.track
    )
    excluded = _excluded_days(scope)
    days = days_between(scope.c.until, scope.c.filed_on)
    query = select(scope.c.id, scope.c.case_type, scope.c.assigned_judge_id, scope.c.track)
    if excluded is not None:
        days = days - func.coalesce(excluded.c.days, 0)
        query = query.outerjoin(excluded, excluded.c.case_id == scope.c.id)
    return query.add_columns(_positive(days).label("days")).subquery()


def time_to_disposition(filters: Filters) -> Report:
    configured = standards()
    thresholds = sorted({s.days for items in configured.values() for s in items})
    rows = _disposition_days(filters)
    group = filters.group if filters.group in ("judge", "track") else None
    key = rows.c[_group_column(group).key] if group else None
    keys = [*([key] if key is not None else []), rows.c.case_type]
    within = [(lambda v, d=days: v <= d) for days in thresholds]
    # One pass: count, counts within each standard and the percentiles, per group.
    _tune()
    spread = _percentiles(rows, rows.c.days, keys, counts=within)
    labels = _group_labels(group, filters.court_id)
    columns = [
        *([GROUPS[group]] if group else []),
        "Case type",
        "Standard (days)",
        "Goal %",
        "Disposed",
        "Within standard",
        "% within",
        "Median days",
        "90th percentile days",
    ]
    table = Table(columns, labels=len(columns) - 7)
    ordered = sorted(
        spread.items(),
        key=lambda item: ((_label(labels, item[0][0]) if group else ""), item[0][-1]),
    )
    for group_key, values in ordered:
        case_type, (median, p90), n = group_key[-1], values[:2], values[-1]
        met_within = dict(zip(thresholds, values[2:-1], strict=True))
        for standard in configured.get(case_type, ()):
            met = met_within[standard.days]
            table.rows.append(
                [
                    *([_label(labels, group_key[0])] if group else []),
                    CASE_TYPES.get(case_type, case_type),
                    standard.days,
                    standard.target,
                    n,
                    met,
                    percent(met, n),
                    median,
                    p90,
                ]
            )
    offset = 1 if group else 0
    chart_labels = [
        (f"{r[0]}, " if group else "") + f"{r[offset]} ≤{r[offset + 1]}d" for r in table.rows
    ]
    chart = bar_chart(
        chart_labels,
        [
            Series("% disposed within", [r[offset + 5] for r in table.rows]),
            Series("Goal %", [r[offset + 2] for r in table.rows]),
        ],
        title="Time to disposition against the time standards",
        description=(
            "For each case type and time standard, the percent of cases disposed within it "
            f"beside the goal, for cases disposed {_period_text(filters)}."
        ),
        unit="%",
        chart_id="chart-time-to-disposition",
    )
    standard_text = "; ".join(
        f"{CASE_TYPES.get(kind, kind)}: "
        + ", ".join(f"{s.target}% within {s.days} days" for s in items)
        for kind, items in configured.items()
    )
    return Report(
        slug="time-to-disposition",
        title="Time to disposition",
        table=table,
        chart=Markup(chart),
        period=_period_text(filters),
        definition=[
            "CourTools Measure 3. Cases disposed in the period (by disposition date); days "
            "from filing to disposition.",
            _exclusion_text(),
            f"Time standards (Model Time Standards for State Trial Courts): {standard_text}.",
            "Median and 90th percentile: linear interpolation between the ranked values "
            "(as PostgreSQL's percentile_cont).",
        ],
    )


# --- Measure 2: clearance rate ---------------------------------------------------------------


def _flows(filters: Filters):
    """A subquery (month, judge, filed, reactivated, disposed, inactivated): one row per
    case filed, warrant returned, case disposed or warrant issued in the period."""
    conditions = filters.case_conditions()
    start, end = _bind(filters.start), _bind(filters.end)
    one, zero = literal_column("1"), literal_column("0")

    def part(day, flags, *where):
        return select(
            month_of(day).label("month"),
            Case.assigned_judge_id.label("judge_id"),
            *[value.label(name) for name, value in flags],
        ).where(*conditions, day >= start, day <= end, *where)

    def flags(which: str):
        names = ("filed", "reactivated", "disposed", "inactivated")
        return [(name, one if name == which else zero) for name in names]

    events = []
    for kind, event_type in (
        ("reactivated", "warrant_returned"),
        ("inactivated", "bench_warrant_issued"),
    ):
        events.append(
            part(CaseEvent.occurred_on, flags(kind), CaseEvent.event_type == event_type)
            .select_from(CaseEvent)
            .join(Case, Case.id == CaseEvent.case_id)
        )
    return union_all(
        part(Case.filed_on, flags("filed")),
        events[0],
        part(Case.disposition_date, flags("disposed"), Case.status == "disposed"),
        events[1],
    ).subquery()


def clearance_counts(filters: Filters, by: str = "month") -> dict:
    flows = _flows(filters)
    key = flows.c.month if by == "month" else flows.c.judge_id
    query = select(
        key.label("k"),
        func.sum(flows.c.filed).label("filed"),
        func.sum(flows.c.reactivated).label("reactivated"),
        func.sum(flows.c.disposed).label("disposed"),
        func.sum(flows.c.inactivated).label("inactivated"),
    ).group_by(key)
    return {row.k: row for row in db.session.execute(query).all()}


def _flow_row(label: str, filed: int, reactivated: int, disposed: int, inactivated: int) -> list:
    incoming, outgoing = filed + reactivated, disposed + inactivated
    return [
        label,
        filed,
        reactivated,
        incoming,
        disposed,
        inactivated,
        outgoing,
        percent(outgoing, incoming),
    ]


def clearance(filters: Filters) -> Report:
    _tune()
    by = "judge" if filters.group == "judge" else "month"
    counts = clearance_counts(filters, by)
    if by == "month":
        keys = core.months_between(filters.start, filters.end)
        labels = {month: core.month_label(month) for month in keys}
    else:
        labels = _group_labels("judge", filters.court_id)
        keys = sorted(counts, key=lambda k: _label(labels, k))
    table = Table(
        [
            "Month" if by == "month" else "Judge",
            "Filed",
            "Reactivated",
            "Incoming",
            "Disposed",
            "Placed inactive",
            "Outgoing",
            "Clearance rate %",
        ]
    )
    sums = [0, 0, 0, 0]
    for key in keys:
        row = counts.get(key)
        values = [
            int(getattr(row, name) or 0) if row else 0
            for name in ("filed", "reactivated", "disposed", "inactivated")
        ]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        table.rows.append(_flow_row(_label(labels, key), *values))
    table.total = _flow_row("Period", *sums)
    chart = bar_chart(
        [row[0] for row in table.rows],
        [Series("Clearance rate %", [row[7] for row in table.rows])],
        title="Clearance rate",
        description=(
            f"Outgoing cases as a percent of incoming cases per {by}, {_period_text(filters)}; "
            "the dashed line is 100%."
        ),
        unit="%",
        reference=100,
        reference_label="100%",
        chart_id="chart-clearance",
    )
    return Report(
        slug="clearance",
        title="Clearance rate",
        table=table,
        chart=Markup(chart),
        period=_period_text(filters),
        definition=[
            "CourTools Measure 2: outgoing cases as a percent of incoming cases.",
            "Incoming: cases filed, plus cases reactivated (a bench warrant returned). "
            "Outgoing: cases disposed, plus cases placed on inactive status (a bench warrant "
            "issued). Each counted in the month it happened.",
            "By judge: the judge the case is assigned to now. Sealed cases are counted.",
        ],
    )


# --- Measure 5: trial date certainty ---------------------------------------------------------


def _trials(filters: Filters):
    """A subquery (case_id, settings): cases whose first trial was held in the period, with
    the number of their trial settings up to (and including) the held one."""
    start_at, end_at = filters.instants()
    held = (
        select(Hearing.case_id, func.min(Hearing.starts_at).label("held_at"))
        .where(Hearing.hearing_type == "trial", Hearing.status == "held")
        .group_by(Hearing.case_id)
        .subquery()
    )
    trial_settings = and_(HearingSetting.hearing_type == "trial")
    by_hearing = (
        select(held.c.case_id, func.count(HearingSetting.id).label("settings"))
        .select_from(held)
        .outerjoin(
            HearingSetting,
            and_(
                HearingSetting.case_id == held.c.case_id,
                trial_settings,
                HearingSetting.starts_at <= held.c.held_at,
            ),
        )
        .where(held.c.held_at >= start_at, held.c.held_at < end_at)
        .group_by(held.c.case_id)
    )
    commenced = (
        select(CaseEvent.case_id, func.min(CaseEvent.occurred_on).label("held_on"))
        .where(CaseEvent.event_type == "trial_commenced")
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    no_held_hearing = ~exists().where(
        Hearing.case_id == commenced.c.case_id,
        Hearing.hearing_type == "trial",
        Hearing.status == "held",
    )
    by_event = (
        select(commenced.c.case_id, func.count(HearingSetting.id).label("settings"))
        .select_from(commenced)
        .outerjoin(
            HearingSetting, and_(HearingSetting.case_id == commenced.c.case_id, trial_settings)
        )
        .where(
            commenced.c.held_on >= _bind(filters.start),
            commenced.c.held_on <= _bind(filters.end),
            no_held_hearing,
        )
        .group_by(commenced.c.case_id)
    )
    return union_all(by_hearing, by_event).subquery()


def trial_certainty(filters: Filters) -> Report:
    _tune()
    trials = _trials(filters)
    column = _group_column(filters.group)
    keys = [column] if column is not None else []
    settings = trials.c.settings

    def count_if(condition):
        return func.sum(case((condition, 1), else_=0))

    query = (
        select(
            *keys,
            func.count().label("held"),
            count_if(settings == 1).label("s1"),
            count_if(settings == 2).label("s2"),
            count_if(settings == 3).label("s3"),
            count_if(settings >= 4).label("s4"),
            count_if(settings == 0).label("s0"),
            func.sum(settings).label("total_settings"),
        )
        .select_from(trials)
        .join(Case, Case.id == trials.c.case_id)
        .where(*filters.case_conditions())
        .group_by(*keys)
    )
    counted = db.session.execute(query).all()
    labels = _group_labels(filters.group, filters.court_id)
    table = Table(
        [
            GROUPS.get(filters.group or "", "Court"),
            "Trials held",
            "On 1st setting",
            "On 2nd",
            "On 3rd",
            "On 4th or later",
            "No setting recorded",
            "% on 1st or 2nd setting",
            "Average settings",
        ]
    )

    def line(label, held, s1, s2, s3, s4, s0, total):
        with_settings = held - s0
        average = round(total / with_settings, 2) if with_settings else None
        return [label, held, s1, s2, s3, s4, s0, percent(s1 + s2, with_settings), average]

    sums = [0] * 7
    for row in sorted(counted, key=lambda r: _label(labels, r[0]) if column is not None else ""):
        values = [
            int(v or 0)
            for v in (row.held, row.s1, row.s2, row.s3, row.s4, row.s0, row.total_settings)
        ]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        if column is not None:
            table.rows.append(line(_label(labels, row[0]), *values))
    table.total = line("All trials", *sums)
    chart_rows = table.rows if table.rows else [table.total]
    chart = bar_chart(
        [row[0] for row in chart_rows],
        [
            Series(name, [row[i] for row in chart_rows])
            for i, name in ((2, "1st setting"), (3, "2nd"), (4, "3rd"), (5, "4th or later"))
        ],
        title="Trials held, by the setting they were held on",
        description=f"Number of trials held on each setting, {_period_text(filters)}.",
        chart_id="chart-trial-certainty",
    )
    return Report(
        slug="trial-certainty",
        title="Trial date certainty",
        table=table,
        chart=Markup(chart),
        period=_period_text(filters),
        definition=[
            "CourTools Measure 5. Cases whose first trial was held in the period: a trial "
            "hearing marked Held (at its date), or, without one, a 'trial commenced' event.",
            "Settings: the case's trial settings (every date a trial was set for) up to and "
            "including the one held; for a trial known only by its event, all the case's "
            "trial settings.",
            "% on 1st or 2nd setting: of the trials with a setting recorded.",
        ],
    )


# --- plan compliance -------------------------------------------------------------------------


def plan_compliance(filters: Filters) -> Report:
    conditions = [
        *filters.case_conditions(),
        Deadline.kind == "stage",
        Deadline.due_on >= _bind(filters.start),
        Deadline.due_on <= _bind(filters.end),
    ]
    status = Deadline.status

    def count_if(condition):
        return func.sum(case((condition, 1), else_=0))

    query = (
        select(
            Deadline.item_id,
            func.min(Deadline.name).label("name"),
            func.count().label("due"),
            count_if(status == "met").label("met"),
            count_if(status == "met_late").label("met_late"),
            count_if(status == "missed").label("missed"),
            count_if(status == "pending").label("pending"),
            count_if(and_(status == "pending", Deadline.due_on < _bind(filters.today))).label(
                "overdue"
            ),
            func.avg(days_between(Deadline.due_on, Case.filed_on)).label("order"),
        )
        .join(Case, Case.id == Deadline.case_id)
        .where(*conditions)
        .group_by(Deadline.item_id)
    )
    _tune()
    late_days = days_between(Deadline.satisfied_on, Deadline.due_on)
    if _postgres():
        # One pass: the counts per stage and the median days late (of the stages met late)
        # per stage and for all of them (GROUPING SETS), with percentile_cont.
        median_late = (
            func.percentile_cont(0.5)
            .within_group(late_days)
            .filter(and_(status == "met_late", Deadline.satisfied_on.is_not(None)))
        )
        query = (
            query.add_columns(
                median_late.label("late"), func.grouping(Deadline.item_id).label("whole")
            )
            .group_by(None)
            .group_by(func.grouping_sets(tuple_(Deadline.item_id), tuple_()))
        )
        rows = _without_hash_join(query)
        counted = [row for row in rows if not row.whole]

        def rounded(value):
            return None if value is None else round(float(value), 1)

        lateness = {(row.item_id,): [rounded(row.late)] for row in counted}
        overall_late = next((rounded(row.late) for row in rows if row.whole), None)
    else:
        counted = db.session.execute(query).all()
        late = (
            select(Deadline.item_id, late_days.label("late"))
            .join(Case, Case.id == Deadline.case_id)
            .where(*conditions, status == "met_late", Deadline.satisfied_on.is_not(None))
            .subquery()
        )
        lateness = _percentiles(late, late.c.late, [late.c.item_id], points=(50,))
        overall_late = _percentiles(late, late.c.late, points=(50,)).get((), [None])[0]
    table = Table(
        [
            "Stage",
            "Due in period",
            "Met",
            "Met late",
            "Missed",
            "% met",
            "Pending",
            "Overdue now",
            "Median days late",
        ]
    )
    sums = [0] * 6
    for row in sorted(counted, key=lambda r: (float(r.order or 0), r.item_id)):
        values = [
            int(v or 0)
            for v in (row.due, row.met, row.met_late, row.missed, row.pending, row.overdue)
        ]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        due, met, met_late, missed, pending, overdue = values
        table.rows.append(
            [
                row.name,
                due,
                met,
                met_late,
                missed,
                percent(met, met + met_late + missed),
                pending,
                overdue,
                lateness.get((row.item_id,), [None])[0],
            ]
        )
    due, met, met_late, missed, pending, overdue = sums
    table.total = [
        "All stages",
        due,
        met,
        met_late,
        missed,
        percent(met, met + met_late + missed),
        pending,
        overdue,
        overall_late,
    ]
    chart = bar_chart(
        [row[0] for row in table.rows],
        [Series("% met on time", [row[5] for row in table.rows])],
        title="Plan compliance by stage",
        description=(
            "Percent of each stage's deadlines met on time, of those decided (met, met late "
            f"or missed), for deadlines due {_period_text(filters)}."
        ),
        unit="%",
        chart_id="chart-plan-compliance",
    )
    return Report(
        slug="plan-compliance",
        title="Plan compliance",
        table=table,
        chart=Markup(chart),
        period=_period_text(filters),
        definition=[
            "The case-management plan's stage deadlines (per case, or per defendant where the "
            "plan counts per defendant) due in the period.",
            "% met: met on time / (met + met late + missed); pending and not-applicable "
            "stages are not decided yet. Overdue now: pending with a due date before today.",
            "Median days late: days from the due date to the day a stage met late was met.",
        ],
    )


# --- continuance rates -----------------------------------------------------------------------

CONTINUANCE_GROUPS = {
    "hearing_type": ("Hearing type", HearingSetting.hearing_type, HEARING_TYPES),
    "requester": ("Requested by", HearingSetting.continuance_requester, CONTINUANCE_REQUESTERS),
    "reason": ("Reason", HearingSetting.continuance_reason, CONTINUANCE_REASONS),
}


def continuances(filters: Filters) -> Report:
    _tune()
    by = filters.group if filters.group in CONTINUANCE_GROUPS else "hearing_type"
    heading, column, vocabulary = CONTINUANCE_GROUPS[by]
    start_at, end_at = filters.instants()
    conditions = [
        *filters.case_conditions(),
        HearingSetting.ended.is_not(None),
        HearingSetting.starts_at >= start_at,
        HearingSetting.starts_at < end_at,
    ]
    if filters.hearing_type:
        conditions.append(HearingSetting.hearing_type == filters.hearing_type)
    continued = HearingSetting.ended == "continued"
    query = (
        select(
            column.label("k"),
            func.count().label("settings"),
            func.sum(case((continued, 1), else_=0)).label("continued"),
        )
        .join(Case, Case.id == HearingSetting.case_id)
        .where(*conditions)
        .group_by(column)
    )
    counted = {row.k: row for row in db.session.execute(query).all()}
    all_settings = sum(int(row.settings) for row in counted.values())
    all_continued = sum(int(row.continued or 0) for row in counted.values())
    table = Table([heading, "Continued", "Settings", "Continuance rate %"])
    if by == "hearing_type":
        for key in sorted(
            counted, key=lambda k: list(HEARING_TYPES).index(k) if k in HEARING_TYPES else 99
        ):
            row = counted[key]
            table.rows.append(
                [
                    vocabulary.get(key, key),
                    int(row.continued or 0),
                    int(row.settings),
                    percent(row.continued, row.settings),
                ]
            )
    else:
        for key in vocabulary:
            if key in counted and counted[key].continued:
                number = int(counted[key].continued)
                table.rows.append(
                    [vocabulary[key], number, all_settings, percent(number, all_settings)]
                )
        unknown = sum(int(r.continued or 0) for k, r in counted.items() if k not in vocabulary)
        if unknown:
            table.rows.append(
                ["Not recorded", unknown, all_settings, percent(unknown, all_settings)]
            )
    table.total = ["All", all_continued, all_settings, percent(all_continued, all_settings)]
    chart = bar_chart(
        [row[0] for row in table.rows],
        [Series("Continuance rate %", [row[3] for row in table.rows])],
        title=f"Continuance rate by {heading.lower()}",
        description=(
            "Hearing settings that ended continued, as a percent of "
            + ("the settings of that type" if by == "hearing_type" else "all settings")
            + f" that ended, {_period_text(filters)}."
        ),
        unit="%",
        chart_id="chart-continuances",
    )
    return Report(
        slug="continuances",
        title="Continuance rates",
        table=table,
        chart=Markup(chart),
        period=_period_text(filters),
        definition=[
            "Hearing settings (each date a hearing was set for) whose date falls in the period "
            "and that have ended: held, continued or vacated. Settings not yet ended are left "
            "out.",
            "By hearing type: continued / settings of that type. By requester or reason: "
            "continued for that requester or reason / all settings, so the rows add up to the "
            "total rate.",
        ],
    )


# --- a judge's own figures (the landing page) ------------------------------------------------


def judge_figures(court_id: int, judge_id: int, today: date) -> dict:
    """Pending cases by age bucket, clearance this month, stages overdue now: four queries."""
    _tune()
    own = Filters(
        court_id=court_id, today=today, start=core.month_start(today), end=today, judge_id=judge_id
    )
    bucket_list = buckets()
    counts = age_counts(own)
    month = clearance_counts(own, "month").get(f"{today:%Y-%m}")
    values = [
        int(getattr(month, n) or 0) if month else 0
        for n in ("filed", "reactivated", "disposed", "inactivated")
    ]
    incoming, outgoing = values[0] + values[1], values[2] + values[3]
    overdue = db.session.scalar(
        select(func.count())
        .select_from(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .where(
            *own.case_conditions(),
            Case.status == "active",
            Deadline.kind == "stage",
            Deadline.status == "pending",
            Deadline.due_on < _bind(today),
        )
    )
    return {
        "buckets": [(bucket.label, counts.get((None, bucket.index), 0)) for bucket in bucket_list],
        "pending": sum(counts.values()),
        "incoming": incoming,
        "outgoing": outgoing,
        "clearance": percent(outgoing, incoming),
        "overdue_stages": int(overdue or 0),
    }


REPORTS = {
    "case-age": case_age,
    "time-to-disposition": time_to_disposition,
    "clearance": clearance,
    "trial-certainty": trial_certainty,
    "plan-compliance": plan_compliance,
    "continuances": continuances,
}
