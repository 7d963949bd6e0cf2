"""Load the demo court into a database, fast enough for a million cases.

Rows are built in Python in batches of cases and written with SQLAlchemy Core executemany
inserts (on PostgreSQL with psycopg 3, with COPY: see `_copy`); every id is assigned here,
after the table's current maximum, so no insert needs RETURNING and rows of different tables
can refer to each other before they are written. A million cases never sit in memory at once:
each batch is told, inserted and dropped, and a transaction is committed every million rows or
so. A load that fails part-way leaves the batches committed until then: start again from an
empty database. Everything is drawn from one `random.Random(seed)` and the `today` passed in,
never the clock, so the same seed and day give the same court on every engine.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from zoneinfo import ZoneInfo

import click
from sqlalchemy import JSON, Engine, func, insert, select, text
from werkzeug.security import generate_password_hash

from docket.core.vocabulary import ATTORNEY_OFFICES
from docket.demo.calendar import (
    SESSION_NAMES,
    CourtDays,
    CourtTime,
    SessionGrid,
    hearing_types_for,
)
from docket.demo.people import (
    ATTORNEYS,
    COURT_ADDRESS,
    COURT_CODE,
    COURT_NAME,
    COURT_TIME_ZONE,
    COURTHOUSE,
    COURTROOMS,
    DEMO_LOGINS,
    INTERPRETERS,
    JUDGES,
    UNAVAILABILITY,
    DemoLogin,
)
from docket.demo.story import STAGES, CaseStory, Rows, World
from docket.models import Base

__all__ = ["DEMO_LOGINS", "DemoError", "DemoReport", "build_demo", "database_has_court"]

HISTORY_DAYS = 548  # cases are filed over the 18 months before today
SESSION_WEEKS_AHEAD = 8
BATCH_CASES = 2_000
INSERT_CHUNK = 10_000
COMMIT_ROWS = 1_000_000  # a transaction per about this many rows

# Insertion order follows the foreign keys.
STATIC_TABLES = (
    "court",
    "judge",
    "courtroom",
    "attorney",
    "user_account",
    "session_template",
    "calendar_session",
    "interpreter",
    "attorney_unavailability",
)
TABLES = STATIC_TABLES + Rows.TABLES


class DemoError(click.ClickException):
    """The demo cannot be loaded here. A ClickException, so that `docket demo` prints the
    message without a traceback."""


@dataclass
class DemoReport:
    court_id: int
    cases: int
    seed: int
    today: date
    seconds: float
    rows: dict[str, int]
    stages: dict[str, int] = field(default_factory=dict)
    login_cases: list[tuple[DemoLogin, int]] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds > 0 else float("inf")

    def summary(self) -> str:
        lines = [
            f"Demo court {COURT_CODE} ({COURT_NAME}) loaded: {self.cases:,} cases, seed "
            f"{self.seed}, today {self.today.isoformat()}.",
            "Rows inserted:",
        ]
        for table, count in self.rows.items():
            lines.append(f"  {table:24} {count:>12,}")
        lines.append(
            f"  {'total':24} {self.total_rows:>12,} in {self.seconds:,.1f} s "
            f"({self.rows_per_second:,.0f} rows/s)"
        )
        lines.append(
            "Stages: "
            + ", ".join(
                f"{STAGES[stage].lower()} {self.stages[stage]:,}"
                for stage in STAGES
                if self.stages.get(stage)
            )
        )
        for login, count in self.login_cases:
            lines.append(f"  {login.email:34} {login.note}: counsel in {count:,} cases")
        lines.append("`docket demo logins` prints every account and its password.")
        return "\n".join(lines)


def database_has_court(engine: Engine) -> bool:
    court = Base.metadata.tables["court"]
    with engine.connect() as connection:
        return connection.scalar(select(court.c.id).limit(1)) is not None


def build_demo(
    engine: Engine,
    *,
    cases: int,
    seed: int,
    today: date,
    password_method: str = "scrypt",
    progress: Callable[[str], None] | None = None,
    batch_cases: int = BATCH_CASES,
) -> DemoReport:
    """Load the demo court (code DEMO) with `cases` cases filed over the 18 months before
    `today`. Refuses (DemoError) when the database already has a DEMO court."""
    if cases < 1:
        raise ValueError("cases must be at least 1")
    say = progress or (lambda message: None)
    started = time.perf_counter()
    tables = Base.metadata.tables
    rng = random.Random(seed)

    with engine.connect() as connection:
        next_id = _next_ids(connection)
        _refuse_existing(connection)
        known_attorneys = dict(
            connection.execute(
                select(tables["attorney"].c.bar_number, tables["attorney"].c.id).where(
                    tables["attorney"].c.bar_number.in_([a.bar_number for a in ATTORNEYS])
                )
            ).all()
        )

    world, static_rows = _cast_court(rng, today, cases, next_id, known_attorneys, password_method)
    filing_days = [
        day for day in world.days.days if today - timedelta(days=HISTORY_DAYS) <= day <= today
    ]
    counts = dict.fromkeys(TABLES, 0)
    sequence_by_year: dict[int, int] = {}

    def tell(first: int) -> Rows:
        """Cases first.. of the court, in filing order (so case numbers run with dates)."""
        batch = Rows()
        for i in range(first, min(first + batch_cases, cases)):
            slot = int((i + rng.random()) * len(filing_days) / cases)
            filed_on = filing_days[min(slot, len(filing_days) - 1)]
            sequence = sequence_by_year.get(filed_on.year, 0) + 1
            sequence_by_year[filed_on.year] = sequence
            CaseStory(world, f"{filed_on.year}-CR-{sequence:06d}", filed_on).tell(batch)
        return batch

    # A storyteller thread tells the next batch of cases while this one inserts the last: the
    # database (SQLite's engine, or the PostgreSQL server) works without holding the GIL.
    # A single worker keeps the random stream in order, so the court stays deterministic.
    with (
        engine.connect() as connection,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-story") as storyteller,
    ):
        write = _copy if _can_copy(connection) else _insert
        transaction = connection.begin()
        pending = None
        try:
            for table in STATIC_TABLES:
                _insert(connection, tables[table], static_rows[table])
                counts[table] = len(static_rows[table])
            rows_in_transaction = 0
            done = 0
            pending = storyteller.submit(tell, 0)
            while pending is not None:
                batch = pending.result()
                done = min(done + batch_cases, cases)
                pending = storyteller.submit(tell, done) if done < cases else None
                for table in Rows.TABLES:
                    rows = getattr(batch, table)
                    write(connection, tables[table], rows)
                    counts[table] += len(rows)
                rows_in_transaction += len(batch)
                del batch
                if rows_in_transaction >= COMMIT_ROWS:
                    transaction.commit()
                    transaction = connection.begin()
                    rows_in_transaction = 0
                elapsed = time.perf_counter() - started
                total = sum(counts.values())
                say(
                    f"  {done:>10,} / {cases:,} cases  {total:>12,} rows  "
                    f"{total / elapsed:>9,.0f} rows/s"
                )
            transaction.commit()
        except BaseException:
            transaction.rollback()
            if pending is not None:
                pending.cancel()
            raise
        if connection.dialect.name == "postgresql":
            with connection.begin():
                for table in TABLES:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )

    by_bar = {login.link: login for login in DEMO_LOGINS if login.role == "attorney"}
    login_cases = [
        (by_bar[attorney.bar_number], world.attorney_cases[attorney_id])
        for attorney, attorney_id in zip(ATTORNEYS, world.attorney_ids, strict=True)
        if attorney.bar_number in by_bar
    ]
    return DemoReport(
        court_id=world.court_id,
        cases=cases,
        seed=seed,
        today=today,
        seconds=time.perf_counter() - started,
        rows=counts,
        stages=dict(world.stages),
        login_cases=login_cases,
    )


def _can_copy(connection) -> bool:
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"


def _next_ids(connection) -> dict[str, int]:
    tables = Base.metadata.tables
    return {
        name: (connection.scalar(select(func.max(tables[name].c.id))) or 0) + 1 for name in TABLES
    }


def _refuse_existing(connection) -> None:
    tables = Base.metadata.tables
    court = tables["court"]
    if connection.scalar(select(court.c.id).where(court.c.code == COURT_CODE)) is not None:
        raise DemoError(
            f"The database already has the demo court ({COURT_CODE}); load the demo into an "
            "empty database (or use `docket demo --if-empty`)."
        )
    users = tables["user_account"]
    taken = connection.scalars(
        select(users.c.email).where(users.c.email.in_([login.email for login in DEMO_LOGINS]))
    ).all()
    if taken:
        raise DemoError(f"Accounts the demo needs already exist: {', '.join(sorted(taken))}.")


def _cast_court(
    rng: random.Random,
    today: date,
    cases: int,
    next_id: dict[str, int],
    known_attorneys: dict[str, int],
    password_method: str,
) -> tuple[World, dict[str, list[dict]]]:
    """The court, its judges, courtrooms, the bar, the accounts and the calendar sessions."""
    ids = dict(next_id)

    def take(table: str) -> int:
        value = ids[table]
        ids[table] = value + 1
        return value

    court_id = take("court")
    rows: dict[str, list[dict]] = {table: [] for table in STATIC_TABLES}
    rows["court"].append(
        {
            "id": court_id,
            "code": COURT_CODE,
            "name": COURT_NAME,
            "time_zone": COURT_TIME_ZONE,
            "address": COURT_ADDRESS,
        }
    )
    judge_ids = []
    for judge in JUDGES:
        judge_ids.append(take("judge"))
        rows["judge"].append(
            {"id": judge_ids[-1], "court_id": court_id, "name": judge.name, "active": True}
        )
    courtroom_ids = {}
    for name in COURTROOMS:
        courtroom_ids[name] = take("courtroom")
        rows["courtroom"].append(
            {"id": courtroom_ids[name], "court_id": court_id, "name": name, "building": COURTHOUSE}
        )
    attorney_ids = []
    for attorney in ATTORNEYS:
        existing = known_attorneys.get(attorney.bar_number)
        if existing is not None:  # attorneys practise before many courts: reuse the record
            attorney_ids.append(existing)
            continue
        attorney_ids.append(take("attorney"))
        rows["attorney"].append(
            {
                "id": attorney_ids[-1],
                "bar_number": attorney.bar_number,
                "name": attorney.name,
                "office": attorney.office,
                "organization": attorney.organization,
                "email": attorney.email,
                "phone": attorney.phone,
            }
        )
    attorney_by_bar = {a.bar_number: i for a, i in zip(ATTORNEYS, attorney_ids, strict=True)}
    judge_by_name = {j.name: i for j, i in zip(JUDGES, judge_ids, strict=True)}

    zone = ZoneInfo(COURT_TIME_ZONE)
    court_time = CourtTime(zone)
    window_start = today - timedelta(days=HISTORY_DAYS)
    days = CourtDays(window_start - timedelta(days=14), today + timedelta(days=800))
    first_filing = days.roll(window_start)
    first_session = first_filing - timedelta(days=first_filing.weekday())
    last_session = today + timedelta(weeks=SESSION_WEEKS_AHEAD)

    hashes: dict[str, str] = {}
    created_at = court_time.at(first_session, 8 * 60)
    user_ids = {}
    clerk_ids = []
    for login in DEMO_LOGINS:
        if login.password not in hashes:
            hashes[login.password] = generate_password_hash(login.password, method=password_method)
        user_id = take("user_account")
        user_ids[login.email] = user_id
        if login.role == "clerk":
            clerk_ids.append(user_id)
        rows["user_account"].append(
            {
                "id": user_id,
                "email": login.email,
                "name": login.name,
                "password_hash": hashes[login.password],
                "role": login.role,
                "court_id": None if login.role == "attorney" else court_id,
                "judge_id": judge_by_name[login.link] if login.role == "judge" else None,
                "attorney_id": attorney_by_bar[login.link] if login.role == "attorney" else None,
                "active": True,
                "created_at": created_at,
                "last_sign_in_at": None,
            }
        )
    attorney_users = {
        attorney_by_bar[login.link]: user_ids[login.email]
        for login in DEMO_LOGINS
        if login.role == "attorney"
    }

    # Room for every hearing the story puts on a day: a real court of this size would have
    # more judges; the demo keeps four and lets each session's capacity grow with the load.
    capacity = max(30, math.ceil(cases / 1_000) * 10)
    trial_capacity = max(1, math.ceil(cases / 1_000))
    grid = SessionGrid(
        days,
        first_session,
        last_session,
        [
            (
                judge_by_name[j.name],
                courtroom_ids[j.home_courtroom],
                courtroom_ids[j.jury_courtroom],
                j.trial_weekdays,
            )
            for j in JUDGES
        ],
        capacity,
        trial_capacity,
        ids["calendar_session"],
        ids["session_template"],
    )
    ids["calendar_session"] += len(grid.sessions)
    ids["session_template"] += len(grid.templates)
    # The templates were set up before the first session; the sessions were materialized then.
    for template in grid.templates:
        template_id, judge_id, room_id, kind, weekdays, start, end, minutes, cap = template
        rows["session_template"].append(
            {
                "id": template_id,
                "court_id": court_id,
                "name": SESSION_NAMES[kind],
                "judge_id": judge_id,
                "courtroom_id": room_id,
                "weekdays": weekdays,
                "start_minute": start,
                "end_minute": end,
                "slot_minutes": minutes,
                "hearing_types": hearing_types_for(kind),
                "capacity": cap,
                "valid_from": first_session,
                "valid_until": None,
                "active": True,
                "created_at": created_at,
                "updated_at": created_at,
                "version": 1,
            }
        )
    for index, (session_id, judge_id, room_id, day, start, end, kind) in enumerate(grid.sessions):
        template_id = grid.templates[grid.template[index]][0]
        closed_reason = grid.closed_reason[index]
        rows["calendar_session"].append(
            {
                "id": session_id,
                "court_id": court_id,
                "judge_id": judge_id,
                "courtroom_id": room_id,
                "template_id": template_id,
                "name": SESSION_NAMES[kind],
                "session_date": day,
                "starts_at": court_time.at(day, start),
                "ends_at": court_time.at(day, end),
                "hearing_types": hearing_types_for(kind),
                "capacity": grid.capacity[index],
                "slot_minutes": grid.templates[grid.template[index]][7],
                "status": "open" if closed_reason is None else "closed",
                "closed_reason": closed_reason,
                "edited": False,
                "updated_at": created_at,
                "version": 1,
            }
        )
    for name, language in INTERPRETERS:
        rows["interpreter"].append(
            {
                "id": take("interpreter"),
                "court_id": court_id,
                "name": name,
                "language": language,
                "active": True,
            }
        )
    # Notices of unavailability counsel filed for the coming weeks (counsel with a demo login
    # filed their own; the clerk entered the others').
    monday = today + timedelta(days=7 - today.weekday())
    login_of = {login.link: user_ids[login.email] for login in DEMO_LOGINS}
    for notice in UNAVAILABILITY:
        starts_on = monday + timedelta(weeks=notice.weeks, days=notice.offset)
        filed_on = days.roll(today - timedelta(days=notice.filed_days_ago))
        filed_at = court_time.at(min(filed_on, today), 10 * 60 + 5 * notice.filed_days_ago % 300)
        rows["attorney_unavailability"].append(
            {
                "id": take("attorney_unavailability"),
                "attorney_id": attorney_by_bar[notice.bar_number],
                "starts_on": starts_on,
                "ends_on": starts_on + timedelta(days=notice.days - 1),
                "reason": notice.reason,
                "filed_at": filed_at,
                "filed_by_id": login_of.get(notice.bar_number, clerk_ids[0]),
                "withdrawn_at": filed_at + timedelta(days=3) if notice.withdrawn else None,
            }
        )

    defense: dict[str, list[int]] = {office: [] for office in ATTORNEY_OFFICES}
    for attorney, attorney_id in zip(ATTORNEYS, attorney_ids, strict=True):
        defense[attorney.office].append(attorney_id)
    prosecutors = defense.pop("prosecutor")
    world = World(
        rng=rng,
        today=today,
        time=court_time,
        days=days,
        grid=grid,
        court_id=court_id,
        judge_ids=judge_ids,
        judge_names=[j.name.split()[-1] for j in JUDGES],
        prosecutors=[prosecutors[2 * i : 2 * i + 2] for i in range(len(JUDGES))],
        defense=defense,
        attorney_names={i: a.name for a, i in zip(ATTORNEYS, attorney_ids, strict=True)},
        attorney_users=attorney_users,
        clerk_ids=clerk_ids,
        next_id=ids,
        attorney_ids=attorney_ids,
    )
    return world, rows


def _insert(connection, table, rows: list[dict]) -> None:
    """Core executemany inserts, in chunks."""
    for start in range(0, len(rows), INSERT_CHUNK):
        connection.execute(insert(table), rows[start : start + INSERT_CHUNK])


def _copy(connection, table, rows: list[dict]) -> None:
    """PostgreSQL with psycopg 3: COPY ... FROM STDIN, inside the connection's transaction.

    psycopg 3 runs an executemany as one INSERT statement per row (pipelined): that loaded
    about 6,600 rows/s, against about 26,000 with COPY (bench/README.md). JSON columns are
    written as JSON text (psycopg would write a Python list as an array).
    """
    if not rows:
        return
    columns = list(rows[0])
    values = itemgetter(*columns)
    names = ", ".join(f'"{column}"' for column in columns)
    as_json = [
        i for i, column in enumerate(columns) if isinstance(table.columns[column].type, JSON)
    ]
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            if not as_json:
                for row in rows:
                    copy.write_row(values(row))
                return
            dumps = json.dumps
            for row in rows:
                record = list(values(row))
                for i in as_json:
                    record[i] = dumps(record[i])
                copy.write_row(record)
    finally:
        cursor.close()
