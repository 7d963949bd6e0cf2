"""The sweep: which active cases are slipping, as rows in `flag`.

Set-based, never a loop over cases. One INSERT ... SELECT per kind (UNION ALL) over the
materialized deadlines and hearings of the active cases gives the set of *current causes*
(case, kind, subject, severity, text, due date); one FULL JOIN of it with the open flags on
(case, kind, subject) writes only what differs into a temporary table (`sweep_change`); then
three statements bring the flags in line with it:

1. resolve: open flags whose cause is gone (or changed severity) get `resolved_at` and
   `resolved_by_run_id`. Their rows stay: history.
2. refresh: open flags whose cause is still there but whose due date or text changed (a
   deadline recomputed to a new date) get the new due date and text in place; `since` stays.
3. raise: causes with no open flag get a new one (INSERT ... SELECT, ON CONFLICT DO NOTHING
   on the partial unique index uq_flag_open_cause, so two sweeps at once cannot raise a
   cause twice).

A steady night compares some 570,000 causes with as many open flags and writes a few
thousand rows (bench/sweep.py; bench/README.md, "The sweep"). PostgreSQL joins the causes'
query with the open flags directly (hash join); SQLite writes the causes into a temporary
table first and indexes it (a nested-loop join interleaving both reads thrashes its page
cache), and reads through a memory map with a larger cache while the sweep runs. Every
statement is a range over a partial index: ix_deadline_unmet_kind_status_due (migration
0008), ix_hearing_scheduled_case_type (0007, "is a hearing set by then"), uq_flag_open_cause.

A change of severity is a new flag (the old one resolves, the new one is raised in the same
run): the history shows when a clock turned from "running out" to "expired", and a digest
reports it as new. A change of kind (approaching -> overdue) is a new flag for the same reason.

Flags name their subject ("stage:<item id>", "clock:<item id>:<defendant id>",
"hearing:<id>", "document:<item id>"), never a deadline id: deadline rows are deleted and
re-inserted whenever a case's deadlines are recomputed.

The sweep does not recompute deadlines (every change recomputes its case); it compares each
stored deadline's due date with `today` in SQL, so a deadline stored as "pending" yesterday
is overdue today. A deadline recomputed after its due date is stored as "missed" (with no
`satisfied_on`): that is overdue too.

Kinds (severity):
  overdue          a stage deadline not met and past (critical)
  approaching      a pending stage within its warning lead time: warn_on <= today <= due
                   (warning)
  speedy_trial     a pending speedy-trial clock with SPEEDY_TRIAL_WARN_DAYS or fewer days to
                   its last day (warning); past its last day, or stored as missed with no
                   trial (critical). A clock's "minimum" (no trial before day N) is not a
                   limit and is never flagged.
  unscheduled      a pending stage whose plan stage needs a hearing (hearing_type), due today
                   or later, with no scheduled hearing of that type on or before the due date
                   (warning)
  outcome_missing  a hearing still "scheduled" that ended before today began in court time:
                   the clerk records what happened (warning)
  document_due     a document deadline past and not met (warning), or due within
                   DOCUMENT_DUE_SOON_DAYS (default 3) days (info)
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from docket.clock import court_today, court_zone, utc_now
from docket.core.vocabulary import FLAG_KINDS, HEARING_TYPES
from docket.extensions import db
from docket.models import Case, Deadline, Flag, Hearing
from docket.models.base import UTCDateTime

# Settings (config.py DEFAULTS); read with current_app.config.get(name, default).
DEFAULTS = {
    "SWEEP_AT": "01:30",
    "SPEEDY_TRIAL_WARN_DAYS": 14,
    "SWEEP_MISFIRE_GRACE_HOURS": 20,
    "DOCUMENT_DUE_SOON_DAYS": 3,
}

KINDS = tuple(FLAG_KINDS)

# Engine settings for the sweep's own transaction (PostgreSQL) or connection (SQLite, set
# back afterwards): measured with bench/sweep.py (bench/README.md, "The sweep").
PG_WORK_MEM = "256MB"
SQLITE_PRAGMAS = {"mmap_size": 2**31, "cache_size": -262144}  # 2 GiB map, 256 MiB cache


def setting(name: str, app=None):
    return (app or current_app).config.get(name, DEFAULTS[name])


# --- temporary tables (one sweep's working sets) ----------------------------------------------

_temp = MetaData()

# SQLite: the set of current causes, written once, indexed, then compared (PostgreSQL compares
# the causes' query with the open flags directly, in one hash join).
cause_table = Table(
    "sweep_cause",
    _temp,
    Column("case_id", Integer, nullable=False),
    Column("defendant_id", Integer),
    Column("kind", String(40), nullable=False),
    Column("subject", String(120), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("cause", Text, nullable=False),
    Column("due_on", Date),
    prefixes=["TEMPORARY"],
)
# Created once the table is filled (cheaper than keeping it up to date row by row).
CAUSE_INDEX = "CREATE INDEX temp.ix_sweep_cause ON sweep_cause (case_id, kind, subject)"

# What differs between the current causes and the open flags (one FULL JOIN fills it): a
# cause with no open flag (flag_id NULL: raise), an open flag with no cause (case_id NULL:
# resolve), or both with a different severity (resolve and raise) or text or due date
# (refresh). On a steady night it holds a few thousand rows, not every open cause.
change_table = Table(
    "sweep_change",
    _temp,
    Column("flag_id", Integer),
    Column("flag_kind", String(40)),
    Column("flag_severity", String(16)),
    Column("case_id", Integer),
    Column("defendant_id", Integer),
    Column("kind", String(40)),
    Column("subject", String(120)),
    Column("severity", String(16)),
    Column("cause", Text),
    Column("due_on", Date),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
Index("ix_sweep_change_flag", change_table.c.flag_id)

# The plans' items the sweep needs beside the rows: role "hearing" (a stage's hearing type in
# `extra`), "document" (a document's filer in `extra`).
item_table = Table(
    "sweep_item",
    _temp,
    Column("role", String(16), nullable=False),
    Column("plan_version", String(80), nullable=False),
    Column("item_id", String(80), nullable=False),
    Column("extra", String(80), nullable=False),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)

# The active cases' ids, read from court_case once (each kind joins them).
active_table = Table(
    "sweep_case",
    _temp,
    Column("id", Integer, primary_key=True, autoincrement=False),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)

# The court's days as UTC instants [starts_at, ends_at): a hearing's court day, and "on or
# before the due date", without per-row time zone arithmetic (SQLite has none).
day_table = Table(
    "sweep_day",
    _temp,
    Column("day", Date, primary_key=True),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
Index("ix_sweep_day_starts", day_table.c.starts_at)


_TEMP_TABLES = (cause_table, change_table, item_table, day_table, active_table)


@dataclass
class SweepResult:
    today: date
    raised: Counter = field(default_factory=Counter)
    resolved: Counter = field(default_factory=Counter)
    refreshed: Counter = field(default_factory=Counter)
    open: dict = field(default_factory=dict)  # kind -> {severity: count} after the run
    seconds: float = 0.0

    @property
    def total_raised(self) -> int:
        return sum(self.raised.values())

    @property
    def total_resolved(self) -> int:
        return sum(self.resolved.values())

    def summary(self) -> dict:
        """What JobRun.summary stores (JSON)."""
        return {
            "today": self.today.isoformat(),
            "seconds": round(self.seconds, 3),
            "kinds": {
                kind: {
                    "raised": self.raised[kind],
                    "resolved": self.resolved[kind],
                    "refreshed": self.refreshed[kind],
                    "open": sum(self.open.get(kind, {}).values()),
                }
                for kind in KINDS
            },
        }

    def headline(self) -> str:
        open_total = sum(sum(by.values()) for by in self.open.values())
        return (
            f"sweep for {self.today}: {self.total_raised} raised, {self.total_resolved} "
            f"resolved, {open_total} open ({self.seconds:.1f} s)"
        )


# --- the sweep -----------------------------------------------------------------------------------


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a PostgreSQL advisory lock."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def sweep(today: date | None = None, run_id: int | None = None) -> SweepResult:
    """Bring the flags in line with the stored deadlines and hearings as of `today` (the
    court's today by default). Runs in the session's transaction and does not commit."""
    started = time.perf_counter()
    today = today or court_today()
    result = SweepResult(today=today)
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    tables = _TEMP_TABLES
    restore = {}
    if postgres:
        # Two sweeps at once (a manual run during the nightly one) take turns.
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key("docket.sweep")}
        )
        # For this transaction only: hash the open flags and causes in memory, and no JIT
        # (compiling the statement cost more than running it).
        connection.execute(text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'"))
        connection.execute(text("SET LOCAL jit = off"))
        tables = (change_table, item_table, day_table, active_table)
    else:
        for table in tables:
            connection.execute(text(f"DROP TABLE IF EXISTS temp.{table.name}"))
        # For this connection while the sweep runs: read the file through a memory map and a
        # larger page cache (the defaults, 2 MiB of cache and read() calls, double its time).
        for name, value in SQLITE_PRAGMAS.items():
            restore[name] = connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    for table in tables:
        table.create(connection)
    try:
        _fill_items(connection)
        _fill_days(connection, today)
        c = Case.__table__
        connection.execute(
            insert(active_table).from_select(["id"], select(c.c.id).where(c.c.status == "active"))
        )
        if postgres:
            connection.execute(text("ANALYZE sweep_case"))
        _fill_changes(connection, today)
        if postgres:
            connection.execute(text("ANALYZE sweep_change"))
        _apply(connection, utc_now(), run_id, result)
        for row in connection.execute(
            select(Flag.kind, Flag.severity, func.count())
            .where(text("flag.resolved_at IS NULL"))
            .group_by(Flag.kind, Flag.severity)
        ):
            result.open.setdefault(row[0], {})[row[1]] = row[2]
    finally:
        if not postgres:  # PostgreSQL drops them at commit (ON COMMIT DROP)
            for table in tables:
                connection.execute(text(f"DROP TABLE IF EXISTS temp.{table.name}"))
            for name, value in restore.items():
                connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    db.session.expire_all()
    result.seconds = time.perf_counter() - started
    return result


def _fill_items(connection) -> None:
    from docket.deadlines.service import court_plans

    rows = []
    for plan in court_plans():
        rows += [
            {"role": "hearing", "plan_version": plan.id, "item_id": s.id, "extra": s.hearing_type}
            for s in plan.stages
            if s.hearing_type
        ]
        rows += [
            {"role": "document", "plan_version": plan.id, "item_id": d.id, "extra": d.filer}
            for d in plan.documents
        ]
    if rows:
        connection.execute(insert(item_table), rows)


def _minimum_ids() -> list[str]:
    """Clock results that are floors ("no trial before day N"), not limits."""
    from docket.deadlines.service import court_plans

    return sorted({f"{c.id}_minimum" for p in court_plans() for c in p.clocks if c.minimum})


def _fill_days(connection, today: date) -> None:
    """The court days the sweep needs as instants: from the oldest unrecorded hearing to the
    latest due date of a stage that needs a hearing."""
    d, c, h = Deadline.__table__, Case.__table__, Hearing.__table__
    start_of_today = _day_start(today)
    oldest = connection.scalar(
        select(func.min(h.c.starts_at))
        .select_from(h.join(c, c.c.id == h.c.case_id))
        .where(c.c.status == "active", h.c.status == "scheduled", h.c.ends_at < start_of_today)
    )
    latest = connection.scalar(
        select(func.max(d.c.due_on)).where(
            d.c.kind == "stage",
            text("deadline.status IN ('pending', 'tolled', 'missed')"),
            d.c.status == "pending",
            d.c.due_on >= today,
        )
    )
    first = today
    if oldest is not None:
        oldest = UTCDateTime().process_result_value(oldest, connection.dialect)
        first = min(first, oldest.astimezone(court_zone()).date() - timedelta(days=1))
    last = max(today, latest or today) + timedelta(days=1)
    rows = []
    day = first
    while day <= last:
        rows.append(
            {
                "day": day,
                "starts_at": _day_start(day),
                "ends_at": _day_start(day + timedelta(days=1)),
            }
        )
        day += timedelta(days=1)
    connection.execute(insert(day_table), rows)


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=court_zone())


_CAUSE_COLUMNS = ["case_id", "defendant_id", "kind", "subject", "severity", "cause", "due_on"]


def _text(value) -> object:
    return cast(value, String)


def _cited(d) -> object:
    """ " (citation)" or ""."""
    return func.coalesce(literal(" (") + d.c.citation + literal(")"), literal(""))


def _cause_queries(today: date) -> list:
    d, h = Deadline.__table__, Hearing.__table__
    i, day = item_table, day_table
    a = active_table
    active = d.join(a, a.c.id == d.c.case_id)
    due = func.coalesce(d.c.rolled_to, d.c.due_on)
    # ix_deadline_unmet_kind_status_due's predicate as literal SQL, so that SQLite sees that
    # the partial index applies (a bound parameter would hide it): each statement is then a
    # range over (kind, status, due_on) of the unmet deadlines only.
    unmet = text("deadline.status IN ('pending', 'tolled', 'missed')")
    pending = and_(unmet, d.c.status.in_(("pending", "tolled")))
    missed = and_(unmet, d.c.status == "missed", d.c.satisfied_on.is_(None))
    stage_subject = literal("stage:") + d.c.item_id
    labels = case(HEARING_TYPES, value=h.c.hearing_type, else_=h.c.hearing_type)
    queries = []

    overdue = (
        select(
            d.c.case_id,
            d.c.defendant_id,
            literal("overdue"),
            stage_subject,
            literal("critical"),
            d.c.name + literal(" deadline was ") + _text(due) + _cited(d),
            due,
        )
        .select_from(active)
        .where(d.c.kind == "stage", d.c.due_on.is_not(None))
    )
    # due_on < today is implied by due < today (rolled_to is never before due_on): it lets
    # the index range.
    queries += [overdue.where(pending, d.c.due_on < today, due < today), overdue.where(missed)]

    # warn_on <= today implies due <= today + the longest warning lead: an index range.
    from docket.deadlines.service import court_plans

    longest = max((st.warn_days for p in court_plans() for st in p.stages), default=0)
    queries.append(
        select(
            d.c.case_id,
            d.c.defendant_id,
            literal("approaching"),
            stage_subject,
            literal("warning"),
            d.c.name + literal(" due by ") + _text(due) + _cited(d),
            due,
        )
        .select_from(active)
        .where(
            d.c.kind == "stage",
            pending,
            d.c.status == "pending",
            d.c.warn_on <= today,
            due >= today,
            d.c.due_on <= today + timedelta(days=longest),
        )
    )

    warn_days = int(setting("SPEEDY_TRIAL_WARN_DAYS"))
    expired = or_(
        and_(d.c.status == "pending", d.c.due_on < today),
        and_(d.c.status == "missed", d.c.satisfied_on.is_(None)),
    )
    speedy = (
        select(
            d.c.case_id,
            d.c.defendant_id,
            literal("speedy_trial"),
            literal("clock:")
            + d.c.item_id
            + literal(":")
            + func.coalesce(_text(d.c.defendant_id), literal("")),
            case((expired, literal("critical")), else_=literal("warning")),
            d.c.name
            + case((expired, literal(": the limit ran out on ")), else_=literal(": last day "))
            + _text(d.c.due_on)
            + _cited(d),
            d.c.due_on,
        )
        .select_from(active)
        .where(
            d.c.kind == "clock",
            d.c.due_on.is_not(None),
            d.c.item_id.not_in(_minimum_ids()),
        )
    )
    queries += [
        speedy.where(
            pending, d.c.status == "pending", d.c.due_on <= today + timedelta(days=warn_days)
        ),
        speedy.where(missed),
    ]

    hearing_label = case(HEARING_TYPES, value=i.c.extra, else_=i.c.extra)
    queries.append(
        select(
            d.c.case_id,
            d.c.defendant_id,
            literal("unscheduled"),
            stage_subject,
            literal("warning"),
            d.c.name
            + literal(" due by ")
            + _text(due)
            + literal(" needs a hearing (")
            + hearing_label
            + literal("); none is scheduled by then")
            + _cited(d),
            due,
        )
        .select_from(
            active.join(
                i,
                and_(
                    i.c.role == "hearing",
                    i.c.plan_version == d.c.plan_version,
                    i.c.item_id == d.c.item_id,
                ),
            ).join(day, day.c.day == due)
        )
        .where(
            d.c.kind == "stage",
            pending,
            d.c.status == "pending",
            due >= today,
            # ix_hearing_scheduled_case_type: an index-only probe.
            ~exists().where(
                h.c.case_id == d.c.case_id,
                h.c.hearing_type == i.c.extra,
                text("hearing.status = 'scheduled'"),
                h.c.starts_at < day.c.ends_at,
            ),
        )
    )

    # The hearing's court day: the last day starting at or before it (an index probe per
    # hearing; a range join is planned as a scan on SQLite).
    court_day = (
        select(day.c.day)
        .where(day.c.starts_at <= h.c.starts_at)
        .order_by(day.c.starts_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    start_of_today = _day_start(today)
    queries.append(
        select(
            h.c.case_id,
            null(),
            literal("outcome_missing"),
            literal("hearing:") + _text(h.c.id),
            literal("warning"),
            labels
            + literal(" of ")
            + _text(court_day)
            + literal(" has no outcome: record whether it was held, continued or vacated"),
            court_day,
        )
        .select_from(h.join(a, a.c.id == h.c.case_id))
        .where(
            h.c.status == "scheduled",
            h.c.starts_at < start_of_today,  # implied by the next; lets the index range
            h.c.ends_at < start_of_today,
        )
    )

    soon = int(setting("DOCUMENT_DUE_SOON_DAYS"))
    late = or_(
        and_(d.c.status == "pending", d.c.due_on < today),
        and_(d.c.status == "missed", d.c.satisfied_on.is_(None)),
    )
    filer = func.coalesce(literal(" from the ") + i.c.extra, literal(""))
    document = (
        select(
            d.c.case_id,
            d.c.defendant_id,
            literal("document_due"),
            literal("document:") + d.c.item_id,
            case((late, literal("warning")), else_=literal("info")),
            d.c.name
            + filer
            + case((late, literal(" was due ")), else_=literal(" is due by "))
            + _text(d.c.due_on)
            + literal(", not filed")
            + _cited(d),
            d.c.due_on,
        )
        .select_from(
            active.outerjoin(
                i,
                and_(
                    i.c.role == "document",
                    i.c.plan_version == d.c.plan_version,
                    i.c.item_id == d.c.item_id,
                ),
            )
        )
        .where(
            d.c.kind == "document",
            d.c.due_on.is_not(None),
        )
    )
    queries += [
        document.where(
            pending, d.c.status == "pending", d.c.due_on <= today + timedelta(days=soon)
        ),
        document.where(missed),
    ]
    return queries


def _fill_changes(connection, today: date) -> None:
    """One statement: the current causes (every kind, UNION ALL) FULL JOIN the open flags on
    (case, kind, subject), keeping only the rows that differ."""
    f, k = Flag.__table__, change_table
    named = [
        q.with_only_columns(
            *(
                column.label(name)
                for column, name in zip(q.selected_columns, _CAUSE_COLUMNS, strict=True)
            ),
            maintain_column_froms=True,
        )
        for q in _cause_queries(today)
    ]
    if connection.dialect.name == "postgresql":
        c = union_all(*named).subquery("c")
    else:
        connection.execute(insert(cause_table).from_select(_CAUSE_COLUMNS, union_all(*named)))
        connection.exec_driver_sql(CAUSE_INDEX)
        c = cause_table.alias("c")
    # The open flags are `flag` itself, not a subquery, so that each cause probes
    # uq_flag_open_cause (its predicate as literal SQL in ON). WHERE keeps the open flags and
    # the causes with none (NULL-extended: resolved_at IS NULL holds there too).
    open_flag = text("flag.resolved_at IS NULL")
    differs = (
        select(f.c.id, f.c.kind, f.c.severity, *(c.c[name] for name in _CAUSE_COLUMNS))
        .select_from(
            c.outerjoin(
                f,
                and_(
                    open_flag,
                    f.c.case_id == c.c.case_id,
                    f.c.kind == c.c.kind,
                    f.c.subject == c.c.subject,
                ),
                full=True,
            )
        )
        .where(
            open_flag,
            or_(
                f.c.id.is_(None),
                c.c.case_id.is_(None),
                f.c.severity != c.c.severity,
                f.c.cause != c.c.cause,
                f.c.due_on.is_distinct_from(c.c.due_on),
            ),
        )
    )
    connection.execute(
        insert(k).from_select(["flag_id", "flag_kind", "flag_severity", *_CAUSE_COLUMNS], differs)
    )


def _apply(connection, now: datetime, run_id: int | None, result: SweepResult) -> None:
    """Resolve, refresh and raise from `sweep_change`, in that order (a change of severity
    resolves the old flag before the new one takes its place in uq_flag_open_cause)."""
    f, k = Flag.__table__, change_table
    gone = and_(
        k.c.flag_id.is_not(None),
        or_(k.c.case_id.is_(None), k.c.severity != k.c.flag_severity),
    )
    changed = and_(
        k.c.flag_id.is_not(None), k.c.case_id.is_not(None), k.c.severity == k.c.flag_severity
    )
    new = and_(
        k.c.case_id.is_not(None),
        or_(k.c.flag_id.is_(None), k.c.severity != k.c.flag_severity),
    )
    for (kind,) in connection.execute(
        update(f)
        .where(f.c.id.in_(select(k.c.flag_id).where(gone)), f.c.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_run_id=run_id)
        .returning(f.c.kind)
    ):
        result.resolved[kind] += 1

    def current(column):
        return select(column).where(k.c.flag_id == f.c.id).limit(1).scalar_subquery()

    for (kind,) in connection.execute(
        update(f)
        .where(f.c.id.in_(select(k.c.flag_id).where(changed)), f.c.resolved_at.is_(None))
        .values(cause=current(k.c.cause), due_on=current(k.c.due_on))
        .returning(f.c.kind)
    ):
        result.refreshed[kind] += 1

    raised = select(
        k.c.case_id,
        k.c.defendant_id,
        k.c.kind,
        k.c.subject,
        k.c.severity,
        literal(now, UTCDateTime),
        k.c.cause,
        k.c.due_on,
        literal(run_id, Integer),
    ).where(new)
    columns = [
        "case_id",
        "defendant_id",
        "kind",
        "subject",
        "severity",
        "since",
        "cause",
        "due_on",
        "raised_by_run_id",
    ]
    make = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (
        make(f)
        .from_select(columns, raised)
        .on_conflict_do_nothing(
            index_elements=["case_id", "kind", "subject"], index_where=f.c.resolved_at.is_(None)
        )
    )
    # RETURNING: psycopg reports no row count for INSERT ... SELECT ... ON CONFLICT; two
    # sweeps at once (SQLite has no advisory lock) raise a cause once.
    for (kind,) in connection.execute(statement.returning(f.c.kind)):
        result.raised[kind] += 1
