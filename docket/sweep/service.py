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

Full and incremental. A *full* sweep compares every active case's causes with every open
flag (some 570,000 of each at 1,000,000 cases). The nightly sweep is *incremental*: every
sweep leaves the open flags equal to the causes as of its day for every case, and records
that day and the instant it began reading (`sweep_state`, in the same transaction as the
flags). A cause is a function of a case's rows (court_case, deadline, hearing), of today,
and of things beside the rows (the plans, SPEEDY_TRIAL_WARN_DAYS, DOCUMENT_DUE_SOON_DAYS,
the court's zone, this module: their digest is stored too). So the next sweep need only
examine the cases (`sweep_touched`)

- whose rows changed since the last sweep began, less a margin (SWEEP_CHANGE_MARGIN_MINUTES,
  for a transaction that stamped its rows before that sweep read and committed after it, and
  for clocks of other hosts): deadline.computed_at (every recompute rewrites all of a case's
  rows and stamps them), hearing.updated_at, court_case.updated_at;
- with a date that crossed a threshold between the last sweep's day P and today T, for an
  unmet (pending or tolled) deadline: due_on or rolled_to in [P, T) (overdue, no longer
  approaching, no longer unscheduled, a clock or a document now late), warn_on in (P, T]
  (approaching), due_on in (P + w, T + w] for each window w (a clock's
  SPEEDY_TRIAL_WARN_DAYS, a document's DOCUMENT_DUE_SOON_DAYS, a stage's longest warning
  lead); for a scheduled hearing: ends_at in [P, T) in court time (no outcome recorded).

and compare their causes with their open flags only. Every other case has the same rows
and no threshold between P and T: its causes, and so its open flags, are as they were. The
sweep is full on the first run, when the digest changed (a plan version activated, a
setting changed, the time zone), when T is before P or more than SWEEP_INCREMENTAL_MAX_DAYS
after it, and on demand (`docket sweep --full`). tests/test_sweep.py runs the incremental
sweep night after night through every kind of change and checks each night that a full
sweep would change nothing.

The incremental sweep copies the unmet deadlines of the examined active cases into a
temporary table (`sweep_deadline`) once, and the causes' queries read that instead of
`deadline`. A steady night examines some 10,000 cases of 200,000 (bench/sweep.py;
bench/README.md, "The sweep").

The full sweep: PostgreSQL joins the causes' query with the open flags directly (hash
join); SQLite writes the causes into a temporary table first and indexes it (a nested-loop
join interleaving both reads thrashes its page cache), and reads through a memory map with a
larger cache while the sweep runs. Every statement is a range over a partial index:
ix_deadline_unmet_kind_status_due (migration 0008), ix_hearing_scheduled_case_type (0007,
"is a hearing set by then"), uq_flag_open_cause; the incremental sweep's look-ups are the
indexes of migration 0010.

Two sweeps at once take turns: a PostgreSQL advisory lock; on SQLite the sweep writes its
state row first, which takes the database's write lock for the whole sweep.

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

import dataclasses
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
    union,
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
from docket.models.sweep_state import SweepState

# Settings (config.py DEFAULTS); read with current_app.config.get(name, default).
DEFAULTS = {
    "SWEEP_AT": "01:30",
    "SPEEDY_TRIAL_WARN_DAYS": 14,
    "SWEEP_MISFIRE_GRACE_HOURS": 20,
    "DOCUMENT_DUE_SOON_DAYS": 3,
    # A row stamped this long before the last sweep began is examined again by the next
    # (a transaction that stamped its rows before that sweep read, and committed after).
    "SWEEP_CHANGE_MARGIN_MINUTES": 60,
    # A sweep more days than this after the last one is full (a server down for weeks).
    "SWEEP_INCREMENTAL_MAX_DAYS": 14,
}

KINDS = tuple(FLAG_KINDS)

# Bump when the causes' SQL or texts change: the first sweep afterwards is full.
SWEEP_LOGIC = "3"

# Engine settings for the sweep's own transaction (PostgreSQL) or connection (SQLite, set
# back afterwards): measured with bench/sweep.py (bench/README.md, "The sweep").
PG_WORK_MEM = "256MB"
PG_INCREMENTAL_RANDOM_PAGE_COST = 1.1
SQLITE_PRAGMAS = {"mmap_size": 2**31, "cache_size": -262144}  # 2 GiB map, 256 MiB cache

# The partial indexes' predicates, written as literal SQL in the queries so that SQLite sees
# that the index applies (a bound parameter would hide it).
UNMET = "status IN ('pending', 'tolled', 'missed')"  # ix_deadline_unmet_kind_status_due
PENDING = "status IN ('pending', 'tolled')"  # ix_deadline_pending_{due,warn,rolled}


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


# The active cases the causes are computed for: every active case (full), or the active
# ones among the examined cases (incremental). Each kind joins them.
def _ids_table(name: str) -> Table:
    """A temporary table of case ids, dropped at commit on PostgreSQL."""
    return Table(
        name,
        _temp,
        Column("id", Integer, primary_key=True, autoincrement=False),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )


active_table = _ids_table("sweep_case")

# Incremental: the cases examined (changed, or with a date across a threshold), active or
# not (the open flags of a case no longer active resolve).
touched_table = _ids_table("sweep_touched")

# Incremental: the unmet deadlines of the examined active cases, copied once; the causes'
# queries read them instead of `deadline` (one pass over a few thousand cases' rows rather
# than one per kind).
deadline_copy = Table(
    "sweep_deadline",
    _temp,
    Column("case_id", Integer, nullable=False),
    Column("defendant_id", Integer),
    Column("kind", String(16), nullable=False),
    Column("item_id", String(80), nullable=False),
    Column("name", String(200), nullable=False),
    Column("plan_version", String(80), nullable=False),
    Column("due_on", Date),
    Column("warn_on", Date),
    Column("rolled_to", Date),
    Column("status", String(16), nullable=False),
    Column("satisfied_on", Date),
    Column("citation", String(300)),
    Column("owed_by", String(16)),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
_COPIED = [column.name for column in deadline_copy.columns]

# Incremental: the open flags of the examined cases, copied once (the comparison's other side).
flag_copy = Table(
    "sweep_flag",
    _temp,
    Column("id", Integer, nullable=False),
    Column("case_id", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject", String(120), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("cause", Text, nullable=False),
    Column("due_on", Date),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
_FLAG_COLUMNS = [column.name for column in flag_copy.columns]

# Incremental: the examined active cases' scheduled hearings, copied once ("is a hearing set
# by the due date", "no outcome recorded").
hearing_copy = Table(
    "sweep_hearing",
    _temp,
    Column("id", Integer, nullable=False),
    Column("case_id", Integer, nullable=False),
    Column("hearing_type", String(40), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
_HEARING_COLUMNS = [column.name for column in hearing_copy.columns]
# SQLite: created once the copies are filled.
COPY_INDEXES = (
    "CREATE INDEX temp.ix_sweep_deadline ON sweep_deadline (kind, status, due_on)",
    "CREATE INDEX temp.ix_sweep_flag ON sweep_flag (case_id, kind, subject)",
    "CREATE INDEX temp.ix_sweep_hearing ON sweep_hearing (case_id, hearing_type, starts_at)",
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


_TEMP_TABLES = (
    cause_table,
    change_table,
    item_table,
    day_table,
    active_table,
    touched_table,
    deadline_copy,
    flag_copy,
    hearing_copy,
)


@dataclass
class SweepResult:
    today: date
    mode: str = "full"  # full | incremental
    reason: str = ""  # why a sweep was full
    cases: int = 0  # the active cases whose causes were computed
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

    @property
    def total_refreshed(self) -> int:
        return sum(self.refreshed.values())

    def summary(self) -> dict:
        """What JobRun.summary stores (JSON)."""
        return {
            "today": self.today.isoformat(),
            "mode": self.mode,
            "reason": self.reason,
            "cases": self.cases,
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
        how = "full" if self.mode == "full" else f"incremental, {self.cases} active cases"
        return (
            f"sweep for {self.today} ({how}): {self.total_raised} raised, "
            f"{self.total_resolved} resolved, {open_total} open ({self.seconds:.1f} s)"
        )


# --- the sweep -----------------------------------------------------------------------------------


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a PostgreSQL advisory lock."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def settings_digest() -> str:
    """Everything beside the rows that the causes depend on: when it changes, the next sweep
    is full (the open flags were computed under other rules)."""
    from docket.deadlines.service import court_plans

    parts = [
        f"sweep logic {SWEEP_LOGIC}",
        f"zone {court_zone().key}",
        f"speedy trial warn days {int(setting('SPEEDY_TRIAL_WARN_DAYS'))}",
        f"document due soon days {int(setting('DOCUMENT_DUE_SOON_DAYS'))}",
        repr(sorted(HEARING_TYPES.items())),
        # A plan's content, not the file it was read from.
        *(repr(dataclasses.replace(plan, source="")) for plan in court_plans()),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def sweep(
    today: date | None = None, run_id: int | None = None, *, full: bool = False
) -> SweepResult:
    """Bring the flags in line with the stored deadlines and hearings as of `today` (the
    court's today by default): incremental when the last sweep's state allows it, full when
    asked (`full`) or when it does not. Runs in the session's transaction and does not
    commit."""
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
        # ANALYZE of the temporary tables samples 3,000 rows, not 30,000: their row counts
        # are what the plans need.
        connection.execute(text("SET LOCAL default_statistics_target = 10"))
        tables = tuple(table for table in tables if table not in (cause_table, flag_copy))
    else:
        for table in tables:
            connection.execute(text(f"DROP TABLE IF EXISTS temp.{table.name}"))
        # For this connection while the sweep runs: read the file through a memory map and a
        # larger page cache (the defaults, 2 MiB of cache and read() calls, double its time).
        for name, value in SQLITE_PRAGMAS.items():
            restore[name] = connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    try:
        # The state row, written before anything is read: on SQLite this write takes the
        # database's write lock, so the whole sweep reads one state of the database and no
        # other writer (another sweep) comes between its reads and its writes.
        make = pg_insert if postgres else sqlite_insert
        state_table = SweepState.__table__
        connection.execute(make(state_table).values(id=1).on_conflict_do_nothing())
        begun = utc_now()  # reads start after this instant (the next sweep's watermark)
        state = connection.execute(select(state_table).where(state_table.c.id == 1)).one()
        digest = settings_digest()
        result.mode, result.reason = _mode(state, today, digest, full)
        for table in tables:
            table.create(connection)
        _fill_items(connection)
        c = Case.__table__
        if result.mode == "incremental":
            if postgres:
                # A few thousand cases: rows fetched by key (flags resolved by id, say), not
                # whole tables scanned and hashed. Not for the full sweep: it reads most rows.
                connection.execute(
                    text(f"SET LOCAL random_page_cost = {PG_INCREMENTAL_RANDOM_PAGE_COST}")
                )
            _fill_incremental(connection, state, today)
            source = deadline_copy
        else:
            connection.execute(
                insert(active_table).from_select(
                    ["id"], select(c.c.id).where(c.c.status == "active")
                )
            )
            if postgres:
                _analyze(connection, active_table)
            source = Deadline.__table__
        result.cases = connection.scalar(select(func.count()).select_from(active_table))
        hearings = hearing_copy if result.mode == "incremental" else Hearing.__table__
        _fill_days(connection, today, source, hearings)
        _fill_changes(connection, today, source, hearings, result.mode == "incremental")
        if postgres:
            _analyze(connection, change_table)
        delta = _apply(connection, utc_now(), run_id, result)
        if result.mode == "incremental" and state.open_counts is not None:
            # Carried forward: counting 570,000 open flags would cost more than the rest.
            result.open = _carried(state.open_counts, delta)
        else:
            for row in connection.execute(
                select(Flag.kind, Flag.severity, func.count())
                .where(text("flag.resolved_at IS NULL"))
                .group_by(Flag.kind, Flag.severity)
            ):
                result.open.setdefault(row[0], {})[row[1]] = row[2]
        values = {
            "swept_for": today,
            "started_at": begun,
            "settings_digest": digest,
            "mode": result.mode,
            "open_counts": result.open,
        }
        if result.mode == "full":
            values["full_started_at"] = begun
        connection.execute(update(state_table).where(state_table.c.id == 1).values(**values))
    finally:
        if not postgres:  # PostgreSQL drops them at commit (ON COMMIT DROP)
            for table in tables:
                connection.execute(text(f"DROP TABLE IF EXISTS temp.{table.name}"))
            for name, value in restore.items():
                connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    db.session.expire_all()
    result.seconds = time.perf_counter() - started
    return result


def _analyze(connection, *tables: Table) -> None:
    """Statistics of the temporary tables once filled: without them SQLite takes a table of a
    few thousand ids for a large one and scans `deadline` instead of probing it per case."""
    for table in tables:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"ANALYZE {table.name}"))
        else:
            connection.execute(text(f"ANALYZE temp.{table.name}"))


def _fill_incremental(connection, state, today: date) -> None:
    """The examined cases (`sweep_touched`), the active ones among them (`sweep_case`), and
    their unmet deadlines and scheduled hearings (`sweep_deadline`, `sweep_hearing`), and on
    SQLite their open flags (`sweep_flag`; PostgreSQL reads them in the comparison itself):
    each read once, by case, through the indexes on case_id."""
    _fill_touched(connection, state, today)
    c, d, h = Case.__table__, Deadline.__table__, Hearing.__table__
    t, a = touched_table, active_table
    sqlite = connection.dialect.name == "sqlite"
    if not connection.scalar(select(func.count()).select_from(t)):
        return  # nothing changed, no date crossed a threshold (and no statistics to plan by)
    _analyze(connection, t)
    connection.execute(
        insert(a).from_select(["id"], _per_case(connection, t, c, ["id"], c.c.status == "active"))
    )
    _analyze(connection, a)
    copies = []
    if connection.scalar(select(func.count()).select_from(a)):
        copies += [
            (deadline_copy, _per_case(connection, a, d, _COPIED, text(f"deadline.{UNMET}"))),
            (
                hearing_copy,
                _per_case(connection, a, h, _HEARING_COLUMNS, text("hearing.status = 'scheduled'")),
            ),
        ]
    if sqlite:
        copies.append((flag_copy, _open_flags(connection)))
    for table, rows in copies:
        connection.execute(insert(table).from_select([c.name for c in table.columns], rows))
    if sqlite:  # PostgreSQL hashes them
        for statement in COPY_INDEXES:
            connection.exec_driver_sql(statement)
        _analyze(connection, deadline_copy, flag_copy, hearing_copy)
    else:
        _analyze(connection, deadline_copy, hearing_copy)


def _open_flags(connection):
    """The open flags of the examined cases."""
    f = Flag.__table__
    return _per_case(connection, touched_table, f, _FLAG_COLUMNS, text("flag.resolved_at IS NULL"))


def _per_case(connection, cases: Table, table: Table, columns: list[str], *where):
    """`columns` of the rows of `table` (with `where`) of the cases in `cases`, read case by
    case through the index on the case. PostgreSQL plans a join with a few thousand cases as
    a scan of the whole table (every unmet deadline, every open flag) hashed against them;
    `= ANY(ARRAY(SELECT ...))` makes it one index scan over their keys. SQLite probes per
    case once the cases' table has statistics (`_analyze`)."""
    key = table.c.id if table is Case.__table__ else table.c.case_id
    rows = select(*(table.c[name] for name in columns)).where(*where)
    if connection.dialect.name != "postgresql":
        return rows.select_from(cases.join(table, key == cases.c.id))
    return rows.where(text(f"{table.name}.{key.name} = ANY(ARRAY(SELECT id FROM {cases.name}))"))


def _mode(state, today: date, digest: str, full: bool) -> tuple[str, str]:
    """("incremental", "") when the last sweep's state is a base for today's, else ("full",
    why)."""
    if full:
        return "full", "asked for"
    if state.swept_for is None or state.started_at is None:
        return "full", "no sweep recorded"
    if state.settings_digest != digest:
        return "full", "plans or settings changed"
    if today < state.swept_for:
        return "full", f"the last sweep was for a later day ({state.swept_for})"
    if (today - state.swept_for).days > int(setting("SWEEP_INCREMENTAL_MAX_DAYS")):
        return "full", f"the last sweep was for {state.swept_for}"
    return "incremental", ""


def _fill_touched(connection, state, today: date) -> None:
    """The cases to examine: changed since the last sweep began (less the margin), or with an
    unmet deadline or a scheduled hearing whose date crossed a threshold between the last
    sweep's day and today (module doc). Each part is a range over an index."""
    d, h, c = Deadline.__table__, Hearing.__table__, Case.__table__
    since = state.started_at - timedelta(minutes=float(setting("SWEEP_CHANGE_MARGIN_MINUTES")))
    last = state.swept_for
    pending = text(f"deadline.{PENDING}")

    def due_in(kind: str, after: date, upto: date):
        """Pending deadlines of a kind with after < due_on <= upto."""
        return select(d.c.case_id).where(
            pending, d.c.kind == kind, d.c.due_on > after, d.c.due_on <= upto
        )

    from docket.deadlines.service import court_plans

    longest = max((st.warn_days for p in court_plans() for st in p.stages), default=0)
    warn_days = int(setting("SPEEDY_TRIAL_WARN_DAYS"))
    soon = int(setting("DOCUMENT_DUE_SOON_DAYS"))
    day = timedelta(days=1)
    from_start, to_start = _day_start(last), _day_start(today)
    scheduled = text("hearing.status = 'scheduled'")
    queries = [
        # Changed rows.
        select(d.c.case_id).where(d.c.computed_at >= since),
        select(h.c.case_id).where(h.c.updated_at >= since),
        select(c.c.id).where(c.c.updated_at >= since),
        # due_on in [P, T): overdue, no longer approaching or unscheduled, late (per kind:
        # on PostgreSQL an index-only range of ix_deadline_kind_due).
        *(due_in(kind, last - day, today - day) for kind in ("stage", "clock", "document")),
        # rolled_to in [P, T): the same for a stage rolled forward to the next court day.
        select(d.c.case_id).where(pending, d.c.rolled_to >= last, d.c.rolled_to < today),
        # warn_on in (P, T]: approaching.
        select(d.c.case_id).where(pending, d.c.warn_on > last, d.c.warn_on <= today),
        # The windows ahead: due_on in (P + w, T + w].
        due_in("stage", last + timedelta(days=longest), today + timedelta(days=longest)),
        due_in("clock", last + timedelta(days=warn_days), today + timedelta(days=warn_days)),
        due_in("document", last + timedelta(days=soon), today + timedelta(days=soon)),
        # Scheduled hearings that ended in [P, T), court time: no outcome recorded (a hearing
        # ends after it starts, a CHECK constraint: "began before today" follows).
        select(h.c.case_id).where(scheduled, h.c.ends_at >= from_start, h.c.ends_at < to_start),
    ]
    connection.execute(insert(touched_table).from_select(["id"], union(*queries)))


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


def _unmet(d, statuses: str = UNMET):
    """The partial indexes' predicate on `deadline` as literal SQL (see UNMET); on the
    incremental sweep's copy, a plain condition."""
    if d is Deadline.__table__:
        return text(f"deadline.{statuses}")
    values = statuses.split("IN", 1)[1].strip(" ()").replace("'", "").split(", ")
    return d.c.status.in_(values)


def _fill_days(connection, today: date, d, h) -> None:
    """The court days the sweep needs as instants: from the oldest unrecorded hearing to the
    latest due date (rolled forward or not) of a pending stage."""
    a = active_table
    start_of_today = _day_start(today)
    oldest = connection.scalar(
        select(func.min(h.c.starts_at))
        .select_from(h.join(a, a.c.id == h.c.case_id))
        .where(h.c.status == "scheduled", h.c.ends_at < start_of_today)
    )
    latest = [
        connection.scalar(
            select(func.max(d.c.due_on)).where(
                d.c.kind == "stage",
                _unmet(d),
                d.c.status == "pending",
                d.c.due_on >= today,
            )
        ),
        # ix_deadline_pending_rolled: one index entry (its rows of every kind: a few more days).
        connection.scalar(select(func.max(d.c.rolled_to)).where(_unmet(d, PENDING))),
    ]
    first = today
    if oldest is not None:
        oldest = UTCDateTime().process_result_value(oldest, connection.dialect)
        first = min(first, oldest.astimezone(court_zone()).date() - timedelta(days=1))
    last = max([today, *(day for day in latest if day is not None)]) + timedelta(days=1)
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


def _cause_queries(today: date, d, hs) -> list:
    """The current causes of every kind for the cases in `sweep_case`, from the deadlines in
    `d` and the hearings in `hs` (the tables, or the incremental sweep's copies)."""
    h = Hearing.__table__
    i, day = item_table, day_table
    a = active_table
    active = d.join(a, a.c.id == d.c.case_id)
    due = func.coalesce(d.c.rolled_to, d.c.due_on)
    # On `deadline`, each statement is then a range over ix_deadline_unmet_kind_status_due
    # (kind, status, due_on) of the unmet deadlines only.
    unmet = _unmet(d)
    pending = and_(unmet, d.c.status.in_(("pending", "tolled")))
    missed = and_(unmet, d.c.status == "missed", d.c.satisfied_on.is_(None))
    stage_subject = literal("stage:") + d.c.item_id
    labels = case(HEARING_TYPES, value=hs.c.hearing_type, else_=hs.c.hearing_type)
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
            # ix_hearing_scheduled_case_type: an index-only probe (or the incremental sweep's
            # copy of the examined cases' scheduled hearings).
            ~exists().where(
                hs.c.case_id == d.c.case_id,
                hs.c.hearing_type == i.c.extra,
                text("hearing.status = 'scheduled'") if hs is h else hs.c.status == "scheduled",
                hs.c.starts_at < day.c.ends_at,
            ),
        )
    )

    # The hearing's court day: the last day starting at or before it (an index probe per
    # hearing; a range join is planned as a scan on SQLite).
    court_day = (
        select(day.c.day)
        .where(day.c.starts_at <= hs.c.starts_at)
        .order_by(day.c.starts_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    start_of_today = _day_start(today)
    queries.append(
        select(
            hs.c.case_id,
            null(),
            literal("outcome_missing"),
            literal("hearing:") + _text(hs.c.id),
            literal("warning"),
            labels
            + literal(" of ")
            + _text(court_day)
            + literal(" has no outcome: record whether it was held, continued or vacated"),
            court_day,
        )
        .select_from(hs.join(a, a.c.id == hs.c.case_id))
        .where(
            hs.c.status == "scheduled",
            hs.c.starts_at < start_of_today,  # implied by the next; lets the index range
            hs.c.ends_at < start_of_today,
        )
    )

    soon = int(setting("DOCUMENT_DUE_SOON_DAYS"))
    late = or_(
        and_(d.c.status == "pending", d.c.due_on < today),
        and_(d.c.status == "missed", d.c.satisfied_on.is_(None)),
    )
    # The party the deadline names (a per-motion response's is the other side's), else the
    # plan requirement's filer (deadlines computed before owed_by was kept).
    owed_by = func.coalesce(d.c.owed_by, i.c.extra)
    filer = func.coalesce(literal(" from the ") + owed_by, literal(""))
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


def _fill_changes(connection, today: date, d, hs, incremental: bool) -> None:
    """One statement: the current causes (every kind, UNION ALL) FULL JOIN the open flags
    (of the examined cases, when incremental) on (case, kind, subject), keeping only the rows
    that differ."""
    f, k = Flag.__table__, change_table
    named = [
        q.with_only_columns(
            *(
                column.label(name)
                for column, name in zip(q.selected_columns, _CAUSE_COLUMNS, strict=True)
            ),
            maintain_column_froms=True,
        )
        for q in _cause_queries(today, d, hs)
    ]
    open_flag = text("flag.resolved_at IS NULL")
    if connection.dialect.name == "postgresql":
        c = union_all(*named).subquery("c")
    else:
        connection.execute(insert(cause_table).from_select(_CAUSE_COLUMNS, union_all(*named)))
        connection.exec_driver_sql(CAUSE_INDEX)
        c = cause_table.alias("c")
    if incremental:
        # The open flags of the examined cases: copied and indexed on SQLite; on PostgreSQL
        # read here, by case, and hashed.
        if connection.dialect.name == "postgresql":
            o = _open_flags(connection).subquery("f")
        else:
            o = flag_copy.alias("f")
        keep = []
    else:
        # The open flags are `flag` itself, not a subquery, so that each cause probes
        # uq_flag_open_cause (its predicate as literal SQL in ON). WHERE keeps the open
        # flags and the causes with none (NULL-extended: resolved_at IS NULL holds there).
        o = f
        keep = [open_flag]
    joined = c.outerjoin(
        o,
        and_(
            *keep,
            o.c.case_id == c.c.case_id,
            o.c.kind == c.c.kind,
            o.c.subject == c.c.subject,
        ),
        full=True,
    )
    differs = (
        select(o.c.id, o.c.kind, o.c.severity, *(c.c[name] for name in _CAUSE_COLUMNS))
        .select_from(joined)
        .where(
            *keep,
            or_(
                o.c.id.is_(None),
                c.c.case_id.is_(None),
                o.c.severity != c.c.severity,
                o.c.cause != c.c.cause,
                o.c.due_on.is_distinct_from(c.c.due_on),
            ),
        )
    )
    connection.execute(
        insert(k).from_select(["flag_id", "flag_kind", "flag_severity", *_CAUSE_COLUMNS], differs)
    )


def _apply(connection, now: datetime, run_id: int | None, result: SweepResult) -> Counter:
    """Resolve, refresh and raise from `sweep_change`, in that order (a change of severity
    resolves the old flag before the new one takes its place in uq_flag_open_cause). Returns
    the change in open flags by (kind, severity)."""
    delta: Counter = Counter()
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
    for kind, severity in connection.execute(
        update(f)
        .where(f.c.id.in_(select(k.c.flag_id).where(gone)), f.c.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_run_id=run_id)
        .returning(f.c.kind, f.c.severity)
    ):
        result.resolved[kind] += 1
        delta[kind, severity] -= 1

    # UPDATE ... FROM: one change row per open flag (the FULL JOIN is on its unique key).
    for (kind,) in connection.execute(
        update(f)
        .where(f.c.id == k.c.flag_id, changed, f.c.resolved_at.is_(None))
        .values(cause=k.c.cause, due_on=k.c.due_on)
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
    for kind, severity in connection.execute(statement.returning(f.c.kind, f.c.severity)):
        result.raised[kind] += 1
        delta[kind, severity] += 1
    return delta


def _carried(counts: dict, delta: Counter) -> dict:
    """The last sweep's open counts {kind: {severity: n}} plus this sweep's changes."""
    result = {kind: dict(by) for kind, by in counts.items()}
    for (kind, severity), change in delta.items():
        by = result.setdefault(kind, {})
        by[severity] = by.get(severity, 0) + change
        if not by[severity]:
            del by[severity]
    return {kind: by for kind, by in result.items() if by}
