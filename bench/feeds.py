"""Time an attorney's calendar feed with 500 hearings (issue 7, Performance).

    python -m bench.feeds --database-url sqlite
    python -m bench.feeds --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The court: 4 judges and courtrooms, the subscribing defense attorney counsel of record (with a
prosecutor) in --cases cases holding --hearings hearings inside the feed's window (from 50 days
back to 17 months ahead, a tenth of them vacated or continued recently, so CANCELLED), and as
many other cases and hearings of other attorneys around them. The schema comes from the real
migrations.

Measured through the Flask test client, each request in its own app context as in production
(goal: p50 under 50 ms for the full feed, under 5 ms for the 304):
  (a) GET /feeds/<token>.ics: the whole feed (about 500 VEVENTs);
  (b) the same with every VEVENT written afresh (docket.core.ical.vevent_bytes's memo
      cleared before each request: a feed whose hearings nobody fetched before);
  (c) the same with If-None-Match: the current ETag, answered 304 after one statement (the
      token with its user, the feed's subject and the validators' aggregate).
--only 304 measures (c) alone. The requests run one after another on one pooled connection,
so psycopg prepares a statement the fifth time it runs (the feed runs without a
transaction, and only a ROLLBACK makes psycopg drop its prepared statements); in a worker
that also serves pages, every page's ROLLBACK drops them. --no-prepare (PostgreSQL) turns
psycopg's preparing off, for the figures of that case.
The load average (1 minute) is printed before and after: the machine is shared.
The last lines to grep start with RESULT.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.engine import make_url

from bench.demo_load import _fresh_postgres_database

ZONE = ZoneInfo("America/Chicago")
TYPES = ["arraignment", "status_conference", "motion", "pretrial_conference", "change_of_plea"]


def build(cases: int, hearings: int, seed: int, today: date) -> str:
    """The court and its rows; returns the subscriber's feed secret."""
    from docket.extensions import db
    from docket.feeds import service
    from docket.models import (
        Attorney,
        Case,
        CounselOfRecord,
        Court,
        Courtroom,
        Defendant,
        Hearing,
        Judge,
        User,
    )

    rng = random.Random(seed)
    court = Court(
        code="BENCH",
        name="Bench County Court",
        time_zone=ZONE.key,
        address="1 Court Square, Benchville",
    )
    db.session.add(court)
    db.session.flush()
    judges = [Judge(court_id=court.id, name=f"Judge {i}") for i in range(4)]
    rooms = [
        Courtroom(court_id=court.id, name=f"{i + 1}A", building="Main courthouse") for i in range(4)
    ]
    mine = Attorney(bar_number="D-1", name="Bench Defender", office="public_defender")
    prosecutor = Attorney(bar_number="P-1", name="Bench Prosecutor", office="prosecutor")
    other = Attorney(bar_number="D-2", name="Other Defender", office="retained")
    db.session.add_all([*judges, *rooms, mine, prosecutor, other])
    db.session.flush()
    user = User(
        email="defender@bench.test", name="Bench Defender", role="attorney", attorney_id=mine.id
    )
    user.set_password("bench password", method="pbkdf2:sha256:1000")
    db.session.add(user)
    first = today - timedelta(days=50)
    span = (today + timedelta(days=520) - first).days
    for owner, count in ((mine, cases), (other, cases)):
        case_rows = []
        for i in range(count):
            judge = judges[i % len(judges)]
            row = Case(
                court_id=court.id,
                case_number=f"2026-CR-{owner.id:02d}{i:05d}",
                caption=f"State v. Defendant{owner.id}-{i}",
                case_type="felony",
                filed_on=date(2026, 1, 5),
                track="standard",
                custody_status="released",
                assigned_judge_id=judge.id,
                sealed=(i % 50 == 7),
            )
            case_rows.append(row)
        db.session.add_all(case_rows)
        db.session.flush()
        people = [
            Defendant(
                case_id=c.id,
                number=1,
                last_name=f"Defendant{i}",
                first_name="A",
                name_key=f"defendant{i} a",
            )
            for i, c in enumerate(case_rows)
        ]
        db.session.add_all(people)
        db.session.flush()
        for c, person in zip(case_rows, people, strict=True):
            db.session.add_all(
                [
                    CounselOfRecord(
                        case_id=c.id,
                        attorney_id=prosecutor.id,
                        side="prosecution",
                        appeared_on=date(2026, 1, 5),
                    ),
                    CounselOfRecord(
                        case_id=c.id,
                        attorney_id=owner.id,
                        side="defense",
                        defendant_id=person.id,
                        appeared_on=date(2026, 1, 6),
                    ),
                ]
            )
        now = datetime.now(UTC)
        for n in range(hearings):
            c = case_rows[n % len(case_rows)]
            day = first + timedelta(days=rng.randrange(span))
            start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZONE) + timedelta(
                minutes=15 * rng.randrange(24)
            )
            status = "scheduled" if rng.random() > 0.1 else rng.choice(["vacated", "continued"])
            db.session.add(
                Hearing(
                    case_id=c.id,
                    hearing_type=rng.choice(TYPES),
                    starts_at=start,
                    ends_at=start + timedelta(minutes=15),
                    courtroom_id=rooms[n % 4].id,
                    judge_id=c.assigned_judge_id,
                    status=status,
                    continuance_requester="defense" if status == "continued" else None,
                    updated_at=now - timedelta(days=rng.randrange(10)),
                )
            )
    db.session.commit()
    return service.issue_token(user, "attorney", mine.id)


def measure(
    app, url: str, samples: int, only: str | None = None
) -> list[tuple[str, list[float], set[int], int]]:
    from docket.extensions import db

    client = app.test_client()
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    etag, size = first.headers["ETag"], len(first.data)
    results = []
    from docket.core import ical

    rows = (
        ("full feed", {}, 200),
        ("full feed, cold", {}, 200),
        ("304 (If-None-Match)", {"If-None-Match": etag}, 304),
    )
    for name, headers, status in rows:
        if only == "304" and status != 304:
            continue
        times, queries = [], set()
        for _ in range(5):
            client.get(url, headers=headers)
        for _ in range(samples):
            if name.endswith("cold"):  # every VEVENT written afresh, none from the memo
                ical.vevent_bytes.cache_clear()
            statements[0] = 0
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == status, response.status_code
            queries.add(statements[0])
        results.append((name, times, queries, size if status == 200 else 0))
    event.remove(engine, "before_cursor_execute", count)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.feeds",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--cases", type=int, default=150)
    parser.add_argument("--hearings", type=int, default=500)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", choices=["304"], help="measure the 304 path alone")
    parser.add_argument(
        "--no-prepare", action="store_true", help="PostgreSQL: psycopg prepares no statement"
    )
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="docket_bench_"))
    os.environ["DOCKET_INSTANCE_PATH"] = str(workdir)
    drop = None
    try:
        if args.database_url.startswith("sqlite"):
            url = f"sqlite:///{workdir / 'docket.sqlite'}"
        else:
            url, drop = _fresh_postgres_database(args.database_url)
        engine_name = make_url(url).get_backend_name()
        from flask_migrate import upgrade

        from docket import create_app
        from docket.config import DEFAULTS
        from docket.feeds import blueprint

        config = {"DATABASE_URL": url, "SECRET_KEY": "bench", "COURT_TIMEZONE": ZONE.key}
        if args.no_prepare and engine_name == "postgresql":
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {
                **DEFAULTS["SQLALCHEMY_ENGINE_OPTIONS"],
                "connect_args": {"prepare_threshold": None},
            }
        app = create_app(config)
        if "feeds" not in app.blueprints:  # until docket/__init__.py registers it
            app.register_blueprint(blueprint)
        with app.app_context():
            upgrade()
            secret = build(args.cases, args.hearings, args.seed, datetime.now(ZONE).date())
        load_before = os.getloadavg()[0]
        results = measure(app, f"/feeds/{secret}.ics", args.samples, args.only)
        load_after = os.getloadavg()[0]
        print()
        print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
        print()
        print(
            "| engine | measured | requests | p50 ms | p90 ms | max ms | SQL statements | bytes |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, ms, queries, size in results:
            q = "/".join(str(n) for n in sorted(queries))
            print(
                f"| {engine_name} | {name} | {len(ms)} | {statistics.median(ms):.1f} | "
                f"{statistics.quantiles(ms, n=10)[-1]:.1f} | {max(ms):.1f} | {q} | {size:,} |"
            )
        print()
        for name, ms, queries, size in results:
            print(
                f"RESULT engine={engine_name} measured={name.replace(' ', '_')} requests={len(ms)} "
                f"p50_ms={statistics.median(ms):.1f} max_ms={max(ms):.1f} "
                f"queries={'/'.join(str(n) for n in sorted(queries))} bytes={size} "
                f"prepare={'off' if args.no_prepare else 'on'} "
                f"load={load_before:.2f}/{load_after:.2f}"
            )
    finally:
        if drop:
            drop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
