"""Time the nightly sweep over a large court (issue 5), against a bare count of overdue deadlines.

    python -m bench.sweep --cases 1000000 --database-url sqlite
    python -m bench.sweep --cases 1000000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A fresh database (SQLite file in a temporary folder, or `docket_bench_<random>` on the
PostgreSQL server, dropped afterwards unless --keep), migrated with the real Alembic
migrations, is filled by INSERT ... SELECT over a generated series of ids with just the rows the
sweep reads: court_case (a fifth active, 3% inactive, the rest disposed), the materialized
deadlines of the active and inactive cases (six stages of the state plan, the Rule 8.2 clock,
four documents: 11 rows per case, due dates spread from 100 days past to 300 days ahead,
about a third of them still pending), and hearings (per active case one past hearing, held
or, for one in ten, with no outcome recorded, and one set in the future of a type the plan's
stages need; one held hearing for every other disposed case). The rows are stamped two days
ago (computed_at, created_at, updated_at): the court's data existed before tonight.

After the load, VACUUM ANALYZE (PostgreSQL; ANALYZE on SQLite): what autovacuum does in real
life. Then, in one process: the bare count of overdue deadlines (median of 5; on SQLite also
under the sweep's own PRAGMAs, SQLITE_PRAGMAS, the stricter base), the first sweep (full: no
sweep recorded; raises every flag; then ANALYZE flag, as autovacuum would after that many
inserts), the same night again (incremental, nothing changed), and --nights next nights in
turn, each after a day of the court's work (--changes cases, not timed: deadlines recomputed,
some met, some moved by a week; past hearings given an outcome; hearings booked; a tenth as
many cases disposed): the nightly incremental sweep, the run that matters, with its median.
Last, a full sweep on the last night (`docket sweep --full`): its time, and a check that it
finds nothing the incremental sweeps missed (0 raised, 0 resolved, 0 refreshed).

The sweep's margin for late commits (SWEEP_CHANGE_MARGIN_MINUTES, an hour) is set to 0 here:
the bench's nights are minutes apart, and with the margin each night would examine again
every change of the nights before, where a court's nights are 24 hours apart and the margin
takes in the hour before 01:30. RESULT lines give seconds and the ratio to the bare count
(ratio), and to the bare count run again just before the step (ratio_adjacent: the machine
may be shared, and its load changes during the run); every line gives the load averages.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.sql import day_plus, series

# Indexes tried for the sweep beyond the migrations' (bench/README.md, "The sweep"); the
# ones that helped are in migrations 0007 and 0008.
PROPOSED_INDEXES: list[str] = []

BARE_COUNT = """SELECT count(*) FROM deadline d JOIN court_case c ON c.id = d.case_id
    WHERE c.status = 'active' AND d.kind = 'stage' AND d.status IN ('pending', 'tolled')
      AND d.due_on < :today"""

STAGES = ["arraignment", "discovery", "motions", "pretrial_conference", "trial", "sentencing"]
DOCUMENTS = ["state_initial_disclosure", "defense_disclosure", "motion_response", "exhibit_lists"]
HEARING_TYPES = ["arraignment", "motion", "pretrial_conference", "trial"]


def _minus(engine: str, column: str, days: int) -> str:
    if engine == "postgresql":
        return f"({column} - {days})"
    return f"date({column}, '-{days} days')"


def _instant(engine: str, day_expr: str, hours: int) -> str:
    """`hours` after midnight UTC of a day (15 = 9 or 10 am in Chicago)."""
    if engine == "postgresql":
        return f"(({day_expr})::timestamp + interval '{hours} hours') AT TIME ZONE 'UTC'"
    return f"datetime({day_expr}, '+{hours} hours')"


def _values(names: list[str]) -> str:
    rows = ", ".join(f"({n}, '{name}')" for n, name in enumerate(names))
    return f"(SELECT * FROM (VALUES {rows}) AS v)"


def _stamp(engine: str, days_ago: int = 0) -> str:
    """An instant `days_ago` days before the current time, as the column types store it."""
    if engine == "postgresql":
        return f"(CURRENT_TIMESTAMP - interval '{days_ago} days')"
    return f"strftime('%Y-%m-%d %H:%M:%f000', 'now', '-{days_ago} days')"


def generate(connection, engine: str, cases: int, today: date) -> dict[str, int]:
    now = _stamp(engine, 2)  # the court's rows were written before tonight
    false = "false" if engine == "postgresql" else "0"

    def run(sql: str):
        return connection.execute(text(sql))

    run("INSERT INTO court (id, code, name, time_zone) VALUES (1, 'BIG', 'Big', 'America/Chicago')")
    for judge in range(1, 9):
        run(
            f"INSERT INTO judge (id, court_id, name, active) VALUES ({judge}, 1, 'Judge {judge}', "
            f"{'true' if engine == 'postgresql' else '1'})"
        )
    run("INSERT INTO courtroom (id, court_id, name, building) VALUES (1, 1, '1A', 'Main')")
    status = (
        "CASE WHEN g % 5 = 0 THEN 'active' WHEN g % 100 IN (1, 2, 3) THEN 'inactive' "
        "ELSE 'disposed' END"
    )
    filed = day_plus(engine, today, "-((g * 7919) % 1000)")
    run(
        f"""INSERT INTO court_case (id, court_id, case_number, caption, case_type, filed_on,
            track, custody_status, assigned_judge_id, status, disposition_type,
            disposition_date, sealed, created_at, updated_at, version)
        SELECT g, 1, 'B-' || g, 'State v. Doe', 'felony', filed_on, 'standard', 'released',
            (g % 8) + 1, status,
            CASE WHEN status = 'disposed' THEN 'guilty_plea' END,
            CASE WHEN status = 'disposed' THEN filed_on END,
            {false}, {now}, {now}, 1
        FROM (SELECT g, {status} AS status, {filed} AS filed_on FROM {series(engine, cases)})
            AS c"""
    )
    # Deadlines: stages n = 0..5, clock, documents n = 0..3, for active and inactive cases.
    # r: a pseudo-random 0..999 per (case, item); due = today - 100 .. today + 299.
    items = [
        (
            "stage",
            _values(STAGES),
            7,
            "CASE WHEN r % 3 = 0 THEN 'pending' "
            "WHEN r % 3 = 1 THEN 'met' ELSE 'not_applicable' END",
        ),
        (
            "clock",
            "(SELECT 0 AS column1, 'trial' AS column2)",
            21,
            "CASE WHEN r % 5 < 3 THEN 'pending' WHEN r % 5 = 3 THEN 'met' ELSE 'stopped' END",
        ),
        ("document", _values(DOCUMENTS), 0, "CASE WHEN r % 4 = 0 THEN 'pending' ELSE 'met' END"),
    ]
    for kind, source, warn, item_status in items:
        due = day_plus(engine, today, "(r % 400) - 100")
        run(
            f"""INSERT INTO deadline (case_id, kind, item_id, name, plan_version, due_on,
                warn_on, status, citation, explanation, excluded_periods, computed_for,
                computed_at)
            SELECT id, '{kind}', item_id, item_id, 'state-dcm-2026', due_on,
                {_minus(engine, "due_on", warn) if warn else "NULL"}, {item_status},
                'Ariz. R. Crim. P. 8', '[]', '[]', {day_plus(engine, today, "-30")}, {now}
            FROM (SELECT id, item_id, r, {due} AS due_on
                  FROM (SELECT c.id, v.column2 AS item_id,
                               ((c.id % 1000) * 7907 + v.column1 * 4093) % 1000 AS r
                        FROM court_case c CROSS JOIN {source} AS v
                        WHERE c.status IN ('active', 'inactive')) AS y) AS x"""
        )
    # Hearings of active cases: one past (a tenth still "scheduled": no outcome recorded), one
    # ahead of a type the stages need; one held hearing for every other disposed case.
    types = _values(HEARING_TYPES)
    past = day_plus(engine, today, "-1 - (id % 60)")
    ahead = day_plus(engine, today, "(id % 200)")
    for where, day_expr, hearing_status in [
        ("status = 'active'", past, "CASE WHEN id % 10 = 0 THEN 'scheduled' ELSE 'held' END"),
        ("status = 'active'", ahead, "'scheduled'"),
        ("status = 'disposed' AND id % 2 = 1", past, "'held'"),
    ]:
        starts = _instant(engine, day_expr, 15)
        ends = _instant(engine, day_expr, 16)
        run(
            f"""INSERT INTO hearing (case_id, hearing_type, starts_at, ends_at, courtroom_id,
                judge_id, status, setting_count, created_at, updated_at, version)
            SELECT id, v.column2, {starts}, {ends}, 1, assigned_judge_id, {hearing_status}, 1,
                {now}, {now}, 1
            FROM court_case JOIN {types} AS v ON v.column1 = id % 4
            WHERE {where}"""
        )
    counts = {}
    for table in ("court_case", "deadline", "hearing"):
        counts[table] = run(f"SELECT count(*) FROM {table}").scalar()
    return counts


def _timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def _load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _bare(db, today: date, pragmas: dict | None = None, runs: int = 5) -> tuple[float, int]:
    connection = db.session.connection()
    restore = {}
    for name, value in (pragmas or {}).items():
        restore[name] = connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    times = []
    for _ in range(runs):
        seconds, count = _timed(lambda: connection.execute(text(BARE_COUNT), {"today": today}))
        count = count.scalar()
        times.append(seconds)
    for name, value in restore.items():
        connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    db.session.rollback()
    return statistics.median(times), count


CHICAGO = ZoneInfo("America/Chicago")


def _utc(engine: str, instant: datetime):
    """An instant as a parameter compared with stored ones (SQLite: naive UTC text)."""
    if engine == "postgresql":
        return instant
    return instant.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _plus(engine: str, column: str, days: int) -> str:
    if engine == "postgresql":
        return f"({column} + {days})"
    return f"date({column}, '+{days} days')"


def day_of_work(connection, engine: str, night: int, today: date, changes: int) -> dict:
    """A day of the court's work before night `night` (swept as of `today`), set-based: for
    `changes` active cases each, deadlines recomputed (pending stages due within two weeks
    met), their past hearings given an outcome; deadlines recomputed a week later (a
    continuance); a hearing booked; and changes / 10 cases disposed. Rows stamped now."""
    active = connection.execute(
        text("SELECT count(*) FROM court_case WHERE status = 'active'")
    ).scalar()
    k = max(1, active // max(1, changes))
    now = _stamp(engine)

    def cases(r: int, modulus: int = k) -> str:
        return (
            "SELECT id FROM court_case WHERE status = 'active' "
            f"AND (id / 5) % {modulus} = {r % modulus}"
        )

    def run(sql: str, **params) -> int:
        return connection.execute(text(sql), params).rowcount

    done = {}
    cut = today + timedelta(days=14)
    done["deadlines recomputed"] = run(
        f"""UPDATE deadline SET computed_at = {now},
            status = CASE WHEN kind = 'stage' AND status = 'pending' AND due_on <= :cut
                THEN 'met' ELSE status END,
            satisfied_on = CASE WHEN kind = 'stage' AND status = 'pending' AND due_on <= :cut
                THEN :today ELSE satisfied_on END
        WHERE case_id IN ({cases(night)})""",
        cut=cut,
        today=today - timedelta(days=1),
    )
    done["hearings held"] = run(
        f"""UPDATE hearing SET status = 'held', updated_at = {now}
        WHERE status = 'scheduled' AND starts_at < :start AND case_id IN ({cases(night)})""",
        start=_utc(engine, datetime(today.year, today.month, today.day, tzinfo=CHICAGO)),
    )
    done["deadlines moved a week"] = run(
        f"""UPDATE deadline SET computed_at = {now}, due_on = {_plus(engine, "due_on", 7)},
            warn_on = {_plus(engine, "warn_on", 7)}
        WHERE status = 'pending' AND case_id IN ({cases(night + k // 2)})"""
    )
    day = day_plus(engine, today, "10 + (id % 50)")
    done["hearings booked"] = run(
        f"""INSERT INTO hearing (case_id, hearing_type, starts_at, ends_at, courtroom_id,
            judge_id, status, setting_count, created_at, updated_at, version)
        SELECT id, 'trial', {_instant(engine, day, 15)}, {_instant(engine, day, 16)}, 1,
            assigned_judge_id, 'scheduled', 1, {now}, {now}, 1
        FROM court_case WHERE id IN ({cases(night + k // 4)})"""
    )
    done["cases disposed"] = run(
        f"""UPDATE court_case SET status = 'disposed', disposition_type = 'dismissed',
            disposition_date = :today, updated_at = {now}, version = version + 1
        WHERE id IN ({cases(night, 10 * k)})""",
        today=today - timedelta(days=1),
    )
    return done


def measure(app, today: date, nights: int, changes: int) -> list[tuple]:
    """(step, seconds, detail, the bare count's seconds just before the step or None)."""
    from docket.extensions import db
    from docket.sweep.service import SQLITE_PRAGMAS, sweep

    results = []
    with app.app_context():
        engine = db.engine.dialect.name
        base, count = _bare(db, today)
        results.append(("bare count of overdue deadlines", base, f"{count:,} overdue", None))
        print(f"bare count: {base:.3f} s ({count:,} overdue stage deadlines); {_load()}")
        sqlite = engine == "sqlite"
        if sqlite:
            tuned, _ = _bare(db, today, SQLITE_PRAGMAS)
            results.append(("bare count, sweep's PRAGMAs", tuned, f"{SQLITE_PRAGMAS}", None))
            print(f"bare count with {SQLITE_PRAGMAS}: {tuned:.3f} s; {_load()}")
        steps = [("first sweep (full, raises every flag)", today, False, 0)]
        steps += [("same night again (incremental)", today, False, 0)]
        steps += [
            (f"next night {n} (incremental)", today + timedelta(days=n), False, n)
            for n in range(1, nights + 1)
        ]
        steps += [("full sweep, last night again", today + timedelta(days=nights), True, 0)]
        for name, day, full, night in steps:
            if night:
                with db.engine.begin() as connection:
                    seconds, done = _timed(
                        lambda connection=connection, day=day, night=night: day_of_work(
                            connection, engine, night, day, changes
                        )
                    )
                print(
                    f"day of work before night {night} ({seconds:.1f} s, not timed): "
                    + ", ".join(f"{what} {n:,}" for what, n in done.items())
                )

            # The bare count again just before (median of 3): the machine's load changes.
            adjacent, _ = _bare(db, day, runs=3)

            def one(day=day, full=full):
                result = sweep(day, full=full)
                db.session.commit()
                return result

            seconds, result = _timed(one)
            results.append((name, seconds, result.headline(), adjacent))
            print(
                f"{name}: {seconds:.2f} s = {seconds / base:.1f} x bare "
                f"({seconds / adjacent:.1f} x the bare count just before, {adjacent:.3f} s); "
                f"{result.headline()}"
            )
            print(
                "   by kind: "
                + ", ".join(
                    f"{k} +{result.raised[k]}/-{result.resolved[k]}/~{result.refreshed[k]}"
                    for k in result.summary()["kinds"]
                )
                + f"; {_load()}",
                flush=True,
            )
            if full and name.startswith("full"):
                missed = (result.total_raised, result.total_resolved, result.total_refreshed)
                print(f"   the full sweep found {missed} (raised, resolved, refreshed) to do")
            if name.startswith("first"):
                # What autovacuum does after 557,000 inserts (its threshold: 10% of the rows).
                with db.engine.connect() as connection:
                    connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                    connection.exec_driver_sql("ANALYZE flag")
        nightly = [(seconds, near) for name, seconds, _, near in results if "next night" in name]
        if nightly:
            p50 = statistics.median(seconds for seconds, _ in nightly)
            near = statistics.median(near for _, near in nightly)
            results.append(("next nights p50", p50, f"median of {len(nightly)} nights", near))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sweep",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--today", type=date.fromisoformat)
    parser.add_argument("--nights", type=int, default=5, help="next nights to sweep in turn")
    parser.add_argument(
        "--changes", type=int, default=2000, help="cases per kind of change in a day's work"
    )
    parser.add_argument("--index", action="store_true", help="create PROPOSED_INDEXES")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    from bench.demo_load import _fresh_postgres_database, _size

    workdir = Path(tempfile.mkdtemp(prefix="docket_bench_"))
    os.environ["DOCKET_INSTANCE_PATH"] = str(workdir)
    today = args.today or datetime.now(ZoneInfo("America/Chicago")).date()
    drop = None
    try:
        if args.database_url.startswith("sqlite"):
            url = f"sqlite:///{workdir / 'docket.sqlite'}"
        else:
            url, drop = _fresh_postgres_database(args.database_url)
        from flask_migrate import upgrade

        from docket import create_app
        from docket.extensions import db

        # Nights minutes apart: no margin for late commits (module doc).
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench", "SWEEP_CHANGE_MARGIN_MINUTES": 0}
        )
        engine = make_url(url).get_backend_name()
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            with db.engine.begin() as connection:
                counts = generate(connection, engine, args.cases, today)
                if args.index:
                    for statement in PROPOSED_INDEXES:
                        connection.exec_driver_sql(statement)
            with db.engine.connect() as connection:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                connection.exec_driver_sql(
                    "VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE"
                )
            loaded = time.perf_counter() - started
            db.engine.dispose()
        print(f"generated in {loaded:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        results = measure(app, today, args.nights, args.changes)
        base = results[0][1]
        tuned = results[1][1] if results[1][0].startswith("bare count,") else base
        for name, seconds, detail, near in results:
            adjacent = f"ratio_adjacent={seconds / near:.1f} " if near else ""
            print(
                f"RESULT engine={engine} cases={args.cases:,} indexes="
                f"{'proposed' if args.index else 'migrations'} step={name.split(' (')[0]!r} "
                f"seconds={seconds:.3f} ratio={seconds / base:.1f} "
                f"ratio_same_pragmas={seconds / tuned:.1f} {adjacent}detail={detail!r}"
            )
        print(f"size={_size(url)}")
    finally:
        if drop and not args.keep:
            drop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
