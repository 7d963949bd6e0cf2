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
stages need; one held hearing for every other disposed case).

After the load, VACUUM ANALYZE (PostgreSQL; ANALYZE on SQLite): what autovacuum does in real
life. Then, in one process: the bare count of overdue deadlines (median of 5; on SQLite also
under the sweep's own PRAGMAs, SQLITE_PRAGMAS, the stricter base), the first sweep (raises
every flag; then ANALYZE flag, as autovacuum would after that many inserts), the same night
again (nothing changes), and --nights next nights in turn (the day's changes: the case that
matters every night), with their median. RESULT lines give seconds and the ratio to the bare
count; every line gives the load averages (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
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


def generate(connection, engine: str, cases: int, today: date) -> dict[str, int]:
    now = "CURRENT_TIMESTAMP"
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


def _bare(db, today: date, pragmas: dict | None = None) -> tuple[float, int]:
    connection = db.session.connection()
    restore = {}
    for name, value in (pragmas or {}).items():
        restore[name] = connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    times = []
    for _ in range(5):
        seconds, count = _timed(lambda: connection.execute(text(BARE_COUNT), {"today": today}))
        count = count.scalar()
        times.append(seconds)
    for name, value in restore.items():
        connection.exec_driver_sql(f"PRAGMA {name} = {value}")
    db.session.rollback()
    return statistics.median(times), count


def measure(app, today: date, nights: int) -> list[tuple[str, float, str]]:
    from docket.extensions import db
    from docket.sweep.service import SQLITE_PRAGMAS, sweep

    results = []
    with app.app_context():
        base, count = _bare(db, today)
        results.append(("bare count of overdue deadlines", base, f"{count:,} overdue"))
        print(f"bare count: {base:.3f} s ({count:,} overdue stage deadlines); {_load()}")
        sqlite = db.engine.dialect.name == "sqlite"
        if sqlite:
            tuned, _ = _bare(db, today, SQLITE_PRAGMAS)
            results.append(("bare count, sweep's PRAGMAs", tuned, f"{SQLITE_PRAGMAS}"))
            print(f"bare count with {SQLITE_PRAGMAS}: {tuned:.3f} s; {_load()}")
        steps = [("first sweep (raises every flag)", today), ("same night again", today)]
        steps += [(f"next night {n}", today + timedelta(days=n)) for n in range(1, nights + 1)]
        for name, day in steps:

            def one(day=day):
                result = sweep(day)
                db.session.commit()
                return result

            seconds, result = _timed(one)
            results.append((name, seconds, result.headline()))
            print(f"{name}: {seconds:.2f} s = {seconds / base:.1f} x bare; {result.headline()}")
            print(
                "   by kind: "
                + ", ".join(
                    f"{k} +{result.raised[k]}/-{result.resolved[k]}"
                    for k in result.summary()["kinds"]
                )
                + f"; {_load()}",
                flush=True,
            )
            if name.startswith("first"):
                # What autovacuum does after 557,000 inserts (its threshold: 10% of the rows).
                with db.engine.connect() as connection:
                    connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                    connection.exec_driver_sql("ANALYZE flag")
        nightly = [seconds for name, seconds, _ in results if name.startswith("next night")]
        if nightly:
            p50 = statistics.median(nightly)
            results.append(("next nights p50", p50, f"median of {len(nightly)} nights"))
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

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
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
        results = measure(app, today, args.nights)
        base = results[0][1]
        tuned = results[1][1] if results[1][0].startswith("bare count,") else base
        for name, seconds, detail in results:
            print(
                f"RESULT engine={engine} cases={args.cases:,} indexes="
                f"{'proposed' if args.index else 'migrations'} step={name.split(' (')[0]!r} "
                f"seconds={seconds:.3f} ratio={seconds / base:.1f} "
                f"ratio_same_pragmas={seconds / tuned:.1f} detail={detail!r}"
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
