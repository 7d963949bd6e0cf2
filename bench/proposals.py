"""Time the proposals for one hearing on a synthetic court (issue 4, Performance, last line).

    python -m bench.proposals --database-url sqlite
    python -m bench.proposals --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The court: 40 judges each sitting in their own courtroom, about 300 attorneys, --cases active
cases (one defendant, a prosecutor and a defense attorney each, pending plan deadlines), calendar
sessions for six weeks of court days from tomorrow (a morning call, an afternoon of motions or,
one day a week per judge, a trial), and --hearings scheduled hearings spread over them. The
schema comes from the real migrations; the rows go in by bulk Core inserts.

Measured, for --samples random cases (goal: p50 under 100 ms):
  (a) docket.calendar.booking.proposals_for(case, hearing_type), the case's pending stage's
      hearing type (arraignment or pretrial conference), each call in its own app context;
  (b) GET /cases/<id>/hearings/new?hearing_type=arraignment through the Flask test client,
      signed in as a clerk.
Both report p50/p90/max milliseconds and the SQL statements per call. --profile N prints the
cProfile of N more service calls. The last lines to grep start with RESULT.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import event, insert, text
from sqlalchemy.engine import make_url

from bench.demo_load import _fresh_postgres_database


def _words(text: str) -> list[str]:
    return text.split()


ZONE = ZoneInfo("America/Chicago")
PLAN_FILE = "rules/state-dcm-2026.toml"
PASSWORD = "bench password"
HASH_METHOD = "pbkdf2:sha256:1000"
CLERK_EMAIL = "clerk@bench.test"

JUDGES = 40
PROSECUTORS = 60
DEFENDERS = 240
COURT_WEEKS = 6

CALL_TYPES = ["arraignment", "status_conference", "change_of_plea", "sentencing"]
MOTION_TYPES = ["motion", "pretrial_conference"]
# kind: (name, local start, local end, slot minutes, capacity, hearing types)
SESSION_KINDS = {
    "call": ("Arraignment & plea call", (9, 0), (12, 0), 15, 30, CALL_TYPES),
    "motions": ("Motions & pretrial", (13, 30), (16, 30), 30, 12, MOTION_TYPES),
    "trial": ("Trial", (13, 30), (16, 30), 180, 1, ["trial"]),
}
KIND_OF_TYPE = {t: kind for kind, spec in SESSION_KINDS.items() for t in spec[5]}
# Hearings already on the calendar, by the case's stage.
HEARING_MIX = {
    "arraignment": [("arraignment", 7), ("status_conference", 3)],
    "pretrial_conference": [
        ("motion", 30),
        ("pretrial_conference", 25),
        ("status_conference", 20),
        ("change_of_plea", 15),
        ("sentencing", 5),
        ("trial", 5),
    ],
}
LANGUAGES = [("Spanish", 9), ("Vietnamese", 2), ("Mandarin", 1)]
STAFF_INTERPRETERS = {"Spanish": 3, "Vietnamese": 1}  # no Mandarin: a contract interpreter
LAST_NAMES = _words(
    "Garcia Smith Johnson Nguyen Williams Brown Jones Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
    "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
    "Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Tran"
)
FIRST_NAMES = _words(
    "James Maria Robert Linda Michael Ana David Susan Jose Karen Daniel Lisa Carlos Nancy Mark "
    "Rosa Paul Betty Luis Sandra Kevin Ashley Juan Donna Brian Emily Minh Grace Wei Jorge"
)


# --- building the court ----------------------------------------------------------------------


@dataclass
class Built:
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    court_id: int = 1
    clerk_email: str = CLERK_EMAIL
    case_types: dict[int, str] = field(default_factory=dict)  # case id -> hearing type wanted
    days: list[date] = field(default_factory=list)


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, clock_time(hour, minute), ZONE).astimezone(UTC)


def court_days(start: date, weeks: int) -> list[date]:
    closed = holidays.country_holidays("US", years={start.year, start.year + 1})
    end = start + timedelta(weeks=weeks)
    days, day = [], start
    while day < end:
        if day.isoweekday() <= 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def build_court(engine, *, cases: int, hearings: int, seed: int, today: date) -> Built:
    """Insert the synthetic court with Core executemany; ids are assigned here (fresh database)."""
    from docket.core.plan import load_plan
    from docket.core.scheduling import Session, slot_window
    from docket.models import (
        Attorney,
        CalendarSession,
        Case,
        CounselOfRecord,
        Court,
        Courtroom,
        Deadline,
        Defendant,
        Hearing,
        Interpreter,
        Judge,
        Unavailability,
        User,
    )

    started = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    built = Built()
    plan = load_plan(PLAN_FILE)
    stages = {stage.id: stage for stage in plan.stages}
    tables: dict = defaultdict(list)

    tables[Court].append(
        {"id": 1, "code": "BENCH", "name": "Benchmark Superior Court", "time_zone": ZONE.key}
    )
    for j in range(1, JUDGES + 1):
        tables[Judge].append(
            {"id": j, "court_id": 1, "name": f"{LAST_NAMES[j % len(LAST_NAMES)]} {j}"}
        )
        tables[Courtroom].append({"id": j, "court_id": 1, "name": f"{j:02d}", "building": None})
    prosecutors = list(range(1, PROSECUTORS + 1))
    defenders = list(range(PROSECUTORS + 1, PROSECUTORS + DEFENDERS + 1))
    for a in prosecutors + defenders:
        office = (
            "prosecutor"
            if a <= PROSECUTORS
            else rng.choice(("public_defender", "appointed", "retained"))
        )
        tables[Attorney].append(
            {
                "id": a,
                "bar_number": f"B-{a:05d}",
                "name": f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)} {a}",
                "office": office,
            }
        )
    for n, (language, staff) in enumerate(
        (lang, i) for lang, count in STAFF_INTERPRETERS.items() for i in range(count)
    ):
        tables[Interpreter].append(
            {
                "id": n + 1,
                "court_id": 1,
                "name": f"{language} interpreter {staff + 1}",
                "language": language,
                "active": True,
            }
        )
    tables[User].append(
        {
            "id": 1,
            "email": CLERK_EMAIL,
            "name": "Bench Clerk",
            "password_hash": _password_hash(),
            "role": "clerk",
            "court_id": 1,
            "active": True,
            "created_at": now,
        }
    )

    # Sessions: six weeks of court days from tomorrow; one trial afternoon a week per judge.
    days = court_days(today + timedelta(days=1), COURT_WEEKS)
    built.days = days
    sessions_by: dict[tuple[int, str], list[Session]] = defaultdict(list)
    sid = 0
    for day in days:
        for j in range(1, JUDGES + 1):
            afternoon = "trial" if day.isoweekday() == 1 + j % 5 else "motions"
            for kind in ("call", afternoon):
                name, (h0, m0), (h1, m1), slot_minutes, capacity, types = SESSION_KINDS[kind]
                sid += 1
                row = {
                    "id": sid,
                    "court_id": 1,
                    "judge_id": j,
                    "courtroom_id": j,
                    "template_id": None,
                    "name": name,
                    "session_date": day,
                    "starts_at": local(day, h0, m0),
                    "ends_at": local(day, h1, m1),
                    "hearing_types": types,
                    "capacity": capacity,
                    "slot_minutes": slot_minutes,
                    "status": "open",
                    "closed_reason": None,
                    "edited": False,
                    "updated_at": now,
                    "version": 1,
                }
                tables[CalendarSession].append(row)
                sessions_by[(j, kind)].append(
                    Session(
                        id=sid,
                        day=day,
                        starts_at=row["starts_at"],
                        ends_at=row["ends_at"],
                        judge_id=j,
                        courtroom_id=j,
                        hearing_types=frozenset(types),
                        capacity=capacity,
                        slot_minutes=slot_minutes,
                    )
                )

    # Cases: half before arraignment (arraignment due in 1-30 days), half arraigned (pretrial
    # conference due in the six weeks). Some defendants come back in another case.
    persons: list[tuple[str, str, date | None]] = []
    for c in range(1, cases + 1):
        judge = 1 + (c - 1) % JUDGES
        custody = rng.choice(("in_custody", "released", "released"))
        if c % 2:
            stage_id = "arraignment"
            period = 10 if custody == "in_custody" else 30
            filed = today - timedelta(days=rng.randint(0, period - 1))
            due = {"arraignment": filed + timedelta(days=period)}
        else:
            stage_id = "pretrial_conference"
            arraigned = today - timedelta(days=rng.randint(90 - 7 * COURT_WEEKS + 1, 89))
            filed = arraigned - timedelta(days=rng.randint(5, 25))
            due = {
                "motions": arraigned + timedelta(days=60),
                "pretrial_conference": arraigned + timedelta(days=90),
                "trial": arraigned + timedelta(days=150 if custody == "in_custody" else 180),
            }
        built.case_types[c] = stages[stage_id].hearing_type
        if persons and rng.random() < 0.05:
            last, first, born = rng.choice(persons)
        else:
            last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
            born = (
                date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000))
                if rng.random() < 0.8
                else None
            )
            persons.append((last, first, born))
        language = _weighted(rng, LANGUAGES) if rng.random() < 0.12 else None
        tables[Case].append(
            {
                "id": c,
                "court_id": 1,
                "case_number": f"2026-CR-{c:06d}",
                "caption": f"State v. {last}",
                "case_type": rng.choice(("felony", "felony", "misdemeanor")),
                "filed_on": filed,
                "track": "standard",
                "designation": None,
                "custody_status": custody,
                "assigned_judge_id": judge,
                "status": "active",
                "sealed": False,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        tables[Defendant].append(
            {
                "id": c,
                "case_id": c,
                "number": 1,
                "last_name": last,
                "first_name": first,
                "middle_name": "",
                "name_key": Defendant.make_name_key(last, first),
                "date_of_birth": born,
                "interpreter_language": language,
            }
        )
        for side, attorney, defendant in (
            ("prosecution", rng.choice(prosecutors), None),
            ("defense", rng.choice(defenders), c),
        ):
            tables[CounselOfRecord].append(
                {
                    "case_id": c,
                    "attorney_id": attorney,
                    "side": side,
                    "defendant_id": defendant,
                    "appeared_on": filed,
                    "withdrew_on": None,
                }
            )
        if stage_id == "pretrial_conference":
            tables[Deadline].append(
                _deadline(c, stages["arraignment"], "met", filed + timedelta(days=10), today)
                | {"satisfied_on": arraigned}
            )
        for item, due_on in due.items():
            status = "pending" if due_on >= today else "missed"
            tables[Deadline].append(_deadline(c, stages[item], status, due_on, today))

    # Hearings: one per case for --hearings cases, early days fuller (a triangular spread),
    # slots filled in order as a clerk does; a full session passes the hearing to the next.
    counts: Counter = Counter()
    hid = 0
    for c in rng.sample(range(1, cases + 1), cases):
        if hid == hearings:
            break
        case = tables[Case][c - 1]
        wanted = built.case_types[c]
        hearing_type = _weighted(rng, HEARING_MIX[wanted])
        choices = sessions_by[(case["assigned_judge_id"], KIND_OF_TYPE[hearing_type])]
        first = min(int(rng.triangular(0, len(choices), 0)), len(choices) - 1)
        for session in choices[first:] + choices[:first]:
            if counts[session.id] < session.capacity:
                break
        else:
            continue
        slot = counts[session.id]
        counts[session.id] += 1
        starts_at, ends_at = slot_window(session, slot)
        hid += 1
        tables[Hearing].append(
            {
                "id": hid,
                "case_id": c,
                "hearing_type": hearing_type,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "courtroom_id": session.courtroom_id,
                "judge_id": session.judge_id,
                "calendar_session_id": session.id,
                "slot": slot,
                "status": "scheduled",
                "interpreter_language": tables[Defendant][c - 1]["interpreter_language"],
                "setting_count": 1,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )

    # A few notices of unavailability (vacations) in the six weeks.
    for n, attorney in enumerate(rng.sample(prosecutors + defenders, 30)):
        start = rng.choice(days)
        tables[Unavailability].append(
            {
                "id": n + 1,
                "attorney_id": attorney,
                "starts_on": start,
                "ends_on": start + timedelta(days=rng.randint(0, 6)),
                "reason": "Vacation",
                "filed_at": now,
            }
        )

    for n, row in enumerate(tables[CounselOfRecord]):
        row["id"] = n + 1
    for n, row in enumerate(tables[Deadline]):
        row["id"] = n + 1

    order = (
        Court,
        Judge,
        Courtroom,
        Attorney,
        Interpreter,
        User,
        CalendarSession,
        Case,
        Defendant,
        CounselOfRecord,
        Deadline,
        Hearing,
        Unavailability,
    )
    with engine.begin() as connection:
        for model in order:
            rows = tables[model]
            for chunk in range(0, len(rows), 10_000):
                connection.execute(insert(model.__table__), rows[chunk : chunk + 10_000])
            built.rows[model.__tablename__] = len(rows)
        if engine.dialect.name == "postgresql":
            for model in order:
                table = model.__tablename__
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            connection.execute(text("ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
    built.seconds = time.perf_counter() - started
    return built


def _deadline(case_id: int, stage, status: str, due_on: date, today: date) -> dict:
    return {
        "case_id": case_id,
        "defendant_id": None,
        "kind": "stage",
        "item_id": stage.id,
        "name": stage.name,
        "plan_version": "state-dcm-2026",
        "due_on": due_on,
        "warn_on": due_on - timedelta(days=stage.warn_days),
        "last_countable_day": None,
        "rolled_to": None,
        "status": status,
        "satisfied_on": None,
        "days_used": None,
        "days_excluded": None,
        "citation": stage.citation,
        "explanation": [],
        "excluded_periods": [],
        "computed_for": today,
        "computed_at": datetime.now(UTC),
    }


def _password_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method=HASH_METHOD)


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Series:
    label: str
    ms: list[float] = field(default_factory=list)  # wall clock
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU (not the server's)
    queries: list[int] = field(default_factory=list)

    def add(self, wall: float, cpu: float, queries: int) -> None:
        self.ms.append(wall * 1000)
        self.cpu_ms.append(cpu * 1000)
        self.queries.append(queries)

    def pct(self, p: float) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    def query_range(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return f"{low}" if low == high else f"{low}-{high}"

    def row(self, engine: str) -> str:
        return (
            f"| {engine} | {self.label} | {len(self.ms)} | {statistics.median(self.ms):.1f} | "
            f"{self.pct(90):.1f} | {max(self.ms):.1f} | {statistics.median(self.cpu_ms):.1f} | "
            f"{self.query_range()} |"
        )


class QueryCounter:
    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def measure(url: str, built: Built, samples: int, seed: int, profile: int) -> list[Series]:
    from docket import create_app
    from docket.calendar.booking import proposals_for
    from docket.extensions import db
    from docket.models import Case

    app = create_app(
        {
            "DATABASE_URL": url,
            "COURT_TIMEZONE": ZONE.key,
            "WTF_CSRF_ENABLED": False,
            "TESTING": True,
            "SECRET_KEY": "bench",
            "PASSWORD_HASH_METHOD": HASH_METHOD,
        }
    )
    rng = random.Random(seed + 1)
    picked = rng.sample(sorted(built.case_types), samples)
    with app.app_context():
        counter = QueryCounter(db.engine)

    service = Series("`proposals_for` (service)")
    outcomes: Counter = Counter()

    def one(case_id: int) -> tuple[float, int]:
        with app.app_context():
            case = db.session.get(Case, case_id)
            hearing_type = built.case_types[case_id]
            before, cpu = counter.count, time.process_time()
            started = time.perf_counter()
            result = proposals_for(case, hearing_type)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
            queries = counter.count - before
            outcomes["calls"] += 1
            outcomes["with a clean proposal"] += bool(result.clean)
            outcomes["first proposal meets the deadline"] += bool(
                result.clean and result.clean[0].meets_deadline
            )
            outcomes["with refused slots shown"] += bool(result.refused)
            outcomes["needing an interpreter"] += bool(result.need.language)
            outcomes[f"type {hearing_type}"] += 1
            db.session.remove()
        return elapsed, cpu, queries

    for case_id in picked[:5]:  # warm-up: plan files, template and statement caches
        one(case_id)
    outcomes.clear()
    for case_id in picked:
        service.add(*one(case_id))

    page = Series("GET `/cases/<id>/hearings/new?hearing_type=arraignment`")
    client = app.test_client()
    response = client.post("/sign-in", data={"email": CLERK_EMAIL, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    for n, case_id in enumerate(picked[:5] + picked):
        before, cpu = counter.count, time.process_time()
        started = time.perf_counter()
        response = client.get(f"/cases/{case_id}/hearings/new?hearing_type=arraignment")
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        if response.status_code != 200 or b"Proposed slots" not in response.data:
            raise SystemExit(f"case {case_id}: {response.status_code}")
        if n >= 5:
            page.add(elapsed, cpu, counter.count - before)

    print("proposals: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for case_id in picked[:profile]:
            one(case_id)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
    with app.app_context():
        db.engine.dispose()
    return [service, page]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.proposals",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        default="sqlite",
        help="'sqlite' for a temporary SQLite file, or a PostgreSQL server URL",
    )
    parser.add_argument("--cases", type=int, default=12_000)
    parser.add_argument("--hearings", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", type=int, default=0, help="profile N more service calls")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="docket_bench_"))
    os.environ["DOCKET_INSTANCE_PATH"] = str(workdir)  # before the app reads it
    today = datetime.now(ZONE).date()
    drop = None
    try:
        if args.database_url.startswith("sqlite"):
            url = f"sqlite:///{workdir / 'docket.sqlite'}"
        else:
            url, drop = _fresh_postgres_database(args.database_url)
        engine_name = make_url(url).get_backend_name()
        print(f"database: {make_url(url).render_as_string(hide_password=True)}")
        built = _migrate_and_build(url, args, today)
        print(
            f"built in {built.seconds:.1f} s ({built.days[0]} to {built.days[-1]}, "
            f"{len(built.days)} court days): "
            + ", ".join(f"{k} {v:,}" for k, v in built.rows.items())
        )
        load = os.getloadavg()[0]
        series = measure(url, built, args.samples, args.seed, args.profile)
        print(f"load average (1 min) before/after measuring: {load:.1f}/{os.getloadavg()[0]:.1f}")
        print()
        print(
            "| engine | measured | calls | p50 ms | p90 ms | max ms | p50 CPU ms | SQL statements |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for s in series:
            print(s.row(engine_name))
        print()
        for name, s in zip(("service", "page"), series, strict=True):
            print(
                f"RESULT engine={engine_name} measured={name} calls={len(s.ms)} "
                f"p50_ms={statistics.median(s.ms):.1f} p90_ms={s.pct(90):.1f} "
                f"max_ms={max(s.ms):.1f} p50_cpu_ms={statistics.median(s.cpu_ms):.1f} "
                f"queries={s.query_range()}"
            )
    finally:
        if drop and not args.keep:
            drop()
        if args.keep:
            print(f"kept: {workdir}" + (" and the database" if drop else ""))
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _migrate_and_build(url: str, args, today: date) -> Built:
    from flask_migrate import upgrade

    from docket import create_app
    from docket.extensions import db

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "COURT_TIMEZONE": ZONE.key})
    with app.app_context():
        started = time.perf_counter()
        upgrade()
        print(f"migrated in {time.perf_counter() - started:.1f} s")
        built = build_court(
            db.engine, cases=args.cases, hearings=args.hearings, seed=args.seed, today=today
        )
        db.engine.dispose()
    return built


if __name__ == "__main__":
    sys.exit(main())
