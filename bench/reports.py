"""Time each judges' report over a large court (issue 8).

    python -m bench.reports --cases 1000000 --database-url sqlite
    python -m bench.reports --cases 1000000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A fresh database (SQLite file in a temporary folder, or `docket_bench_<random>` on the
PostgreSQL server, dropped afterwards unless --keep), migrated with the real Alembic
migrations, is filled by a dedicated bulk generator: INSERT ... SELECT over a generated series
of ids, in the database, of just the columns the reports read (the demo generator tells every
case's story at about 39 rows per case and 17,000 rows/s: about 40 minutes for a million
cases, too slow here). Per case: one court_case row (a fifth active, 3% inactive, the rest
disposed; felony two thirds; 8 judges; 3 tracks), two stage deadlines; warrants on 10% of the
disposed and of the active cases (issued, and returned) and on every inactive case
(outstanding), competency periods on 1% of the disposed and of the active cases, an
arraignment setting for every fourth case (one in five continued) and a trial for one disposed
case in eight (1 to 3 settings). Then each report runs `--runs` times with its default
filters (the last 12 months, its default rows) and once narrowed to one judge: p50 and max
of the wall time, and p50 of the CPU time (this process plus, on PostgreSQL on this host, the
server backend; parallel workers are not counted) - on a shared machine the CPU time is the
steadier figure. The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.sql import day_plus, series


def _plus_days_expr(engine: str, column: str, days: str) -> str:
    if engine == "postgresql":
        return f"({column} + ({days})::int)"
    return f"date({column}, ({days}) || ' days')"


def _instant(engine: str, day_expr: str) -> str:
    """15:00 UTC (9 or 10 am in Chicago) on a day."""
    if engine == "postgresql":
        return f"(({day_expr})::timestamp + interval '15 hours') AT TIME ZONE 'UTC'"
    return f"datetime({day_expr}, '+15 hours')"


def _later(engine: str, instant: str) -> str:
    if engine == "postgresql":
        return f"({instant} + interval '1 hour')"
    return f"datetime({instant}, '+1 hours')"


def generate(connection, engine: str, cases: int, today: date) -> dict[str, int]:
    now = "CURRENT_TIMESTAMP"
    t = today.isoformat()

    def run(sql: str):
        return connection.execute(text(sql))

    run(
        "INSERT INTO court (id, code, name, time_zone) VALUES "
        "(1, 'BIG', 'Big County Court', 'America/Chicago')"
    )
    for judge in range(1, 9):
        run(
            f"INSERT INTO judge (id, court_id, name, active) VALUES ({judge}, 1, 'Judge {judge}', "
            f"{'true' if engine == 'postgresql' else '1'})"
        )
    run("INSERT INTO courtroom (id, court_id, name, building) VALUES (1, 1, '1A', 'Main')")
    # Status by id: g % 5 = 0 active (200,000 per million), g % 100 in (1, 2, 3) inactive.
    status = (
        "CASE WHEN g % 5 = 0 THEN 'active' WHEN g % 100 IN (1, 2, 3) THEN 'inactive' "
        "ELSE 'disposed' END"
    )
    # Active cases were filed in the last 1,000 days; the others over ten years.
    age = "CASE WHEN g % 5 = 0 THEN (g * 7919) % 1000 ELSE (g * 7919) % 3650 END"
    filed = day_plus(engine, t, f"-({age})")
    held_days = (
        f"LEAST((g * 104729) % 500, {age})"
        if engine == "postgresql"
        else f"MIN((g * 104729) % 500, {age})"
    )
    disposed = _plus_days_expr(engine, "filed_on", held_days.replace(age, "age"))
    false = "false" if engine == "postgresql" else "0"
    run(
        f"""INSERT INTO court_case (id, court_id, case_number, caption, case_type, filed_on,
            track, custody_status, assigned_judge_id, status, disposition_type,
            disposition_date, sealed, created_at, updated_at, version)
        SELECT g, 1, 'B-' || g, 'State v. Doe', case_type, filed_on, track, 'released',
            judge, status,
            CASE WHEN status = 'disposed' THEN 'guilty_plea' END,
            CASE WHEN status = 'disposed' THEN {disposed} END,
            {false}, {now}, {now}, 1
        FROM (SELECT g, {status} AS status, {filed} AS filed_on, {age} AS age,
                CASE WHEN g % 3 = 0 THEN 'misdemeanor' ELSE 'felony' END AS case_type,
                CASE g % 7 WHEN 0 THEN 'expedited' WHEN 1 THEN 'complex' ELSE 'standard' END
                    AS track,
                (g % 8) + 1 AS judge
              FROM {series(engine, cases)}) AS c"""
    )
    # Warrants on 10% of the disposed cases and 10% of the active ones: issued 30 days after
    # filing, returned 60 days later (not for inactive cases, whose warrant is outstanding).
    warrant = "(id % 10 = 7 OR id % 50 = 5)"
    run(
        f"""INSERT INTO case_event (case_id, event_type, occurred_on, recorded_at)
        SELECT id, 'bench_warrant_issued', {_plus_days_expr(engine, "filed_on", "30")}, {now}
        FROM court_case WHERE {warrant} OR status = 'inactive'"""
    )
    run(
        f"""INSERT INTO case_event (case_id, event_type, occurred_on, recorded_at)
        SELECT id, 'warrant_returned', {_plus_days_expr(engine, "filed_on", "90")}, {now}
        FROM court_case WHERE {warrant} AND status <> 'inactive'"""
    )
    # Competency proceedings on 1% of the disposed and 1% of the active cases.
    run(
        f"""INSERT INTO tolling_period (case_id, code, starts_on, ends_on, reason)
        SELECT id, 'r8_4a_competency', {_plus_days_expr(engine, "filed_on", "20")},
            CASE WHEN id % 200 IN (11, 15) THEN NULL
                 ELSE {_plus_days_expr(engine, "filed_on", "50")} END, 'competency'
        FROM court_case WHERE id % 100 IN (11, 15)"""
    )
    # Stage deadlines: arraignment (filing + 30) and pretrial conference (filing + 120).
    for item, name, offset in (
        ("arraignment", "Arraignment", 30),
        ("pretrial_conference", "Pretrial conference", 120),
    ):
        due = _plus_days_expr(engine, "filed_on", str(offset))
        late = _plus_days_expr(engine, "filed_on", f"{offset} + id % 20")
        run(
            f"""INSERT INTO deadline (case_id, kind, item_id, name, plan_version, due_on,
                status, satisfied_on, explanation, excluded_periods, computed_for, computed_at)
            SELECT id, 'stage', '{item}', '{name}', 'bench', {due},
                CASE WHEN {due} >= DATE '{t}' THEN 'pending'
                     WHEN id % 10 < 6 THEN 'met' WHEN id % 10 < 8 THEN 'met_late'
                     WHEN status = 'active' THEN 'pending' ELSE 'missed' END,
                CASE WHEN {due} >= DATE '{t}' THEN NULL
                     WHEN id % 10 < 6 THEN {due} WHEN id % 10 < 8 THEN {late} END,
                '[]', '[]', DATE '{t}', {now}
            FROM court_case""".replace("DATE '", "DATE '" if engine == "postgresql" else "'")
        )
    # Hearings: an arraignment for every fourth case; a trial for one disposed case in eight.
    arraigned = _plus_days_expr(engine, "filed_on", "25")
    run(
        f"""INSERT INTO hearing (id, case_id, hearing_type, starts_at, ends_at, courtroom_id,
            judge_id, status, setting_count, created_at, updated_at, version,
            continuance_requester)
        SELECT id, id, 'arraignment', {_instant(engine, arraigned)},
            {_later(engine, _instant(engine, arraigned))}, 1, assigned_judge_id,
            CASE WHEN {arraigned} < '{t}' THEN 'held' ELSE 'scheduled' END, 1, {now}, {now}, 1,
            NULL
        FROM court_case WHERE id % 4 = 2"""
    )
    trial_day = _plus_days_expr(engine, "disposition_date", "-5")
    run(
        f"""INSERT INTO hearing (id, case_id, hearing_type, starts_at, ends_at, courtroom_id,
            judge_id, status, setting_count, created_at, updated_at, version)
        SELECT {cases} + id, id, 'trial', {_instant(engine, trial_day)},
            {_later(engine, _instant(engine, trial_day))}, 1, assigned_judge_id, 'held',
            1 + id % 3, {now}, {now}, 1
        FROM court_case WHERE status = 'disposed' AND id % 8 = 1
            AND disposition_date > {_plus_days_expr(engine, "filed_on", "40")}"""
    )
    # Settings: the arraignment's one (continued one time in five, else held), and each
    # trial's 1 to 3 (the earlier ones continued, 14 days apart, the last held).
    ended = "CASE WHEN h.id % 5 = 0 THEN 'continued' ELSE 'held' END"
    run(
        f"""INSERT INTO hearing_setting (hearing_id, case_id, hearing_type, number, starts_at,
            ends_at, courtroom_id, judge_id, set_at, overridden, ended, continuance_requester,
            continuance_reason)
        SELECT h.id, h.case_id, h.hearing_type, 1, h.starts_at, h.ends_at, 1, h.judge_id, {now},
            '[]', CASE WHEN h.status = 'held' THEN {ended} END,
            CASE WHEN h.status = 'held' AND h.id % 5 = 0 THEN
                CASE h.id % 3 WHEN 0 THEN 'defense' WHEN 1 THEN 'prosecution' ELSE 'court' END
            END,
            CASE WHEN h.status = 'held' AND h.id % 5 = 0 THEN
                CASE h.id % 4 WHEN 0 THEN 'counsel_unavailable' WHEN 1 THEN 'discovery_incomplete'
                    WHEN 2 THEN 'witness_unavailable' ELSE 'plea_negotiations' END
            END
        FROM hearing h WHERE h.hearing_type = 'arraignment'"""
    )
    for number in (1, 2, 3):
        back = f"{14 * 86400} * (h.setting_count - {number})"
        if engine == "postgresql":
            starts = f"h.starts_at - make_interval(secs => {back})"
        else:
            starts = f"datetime(h.starts_at, '-' || ({back}) || ' seconds')"
        run(
            f"""INSERT INTO hearing_setting (hearing_id, case_id, hearing_type, number,
                starts_at, ends_at, courtroom_id, judge_id, set_at, overridden, ended,
                continuance_requester, continuance_reason)
            SELECT h.id, h.case_id, 'trial', {number}, {starts}, {starts}, 1, h.judge_id, {now},
                '[]', CASE WHEN h.setting_count = {number} THEN 'held' ELSE 'continued' END,
                CASE WHEN h.setting_count = {number} THEN NULL ELSE 'defense' END,
                CASE WHEN h.setting_count = {number} THEN NULL ELSE 'witness_unavailable' END
            FROM hearing h WHERE h.hearing_type = 'trial' AND h.setting_count >= {number}"""
        )
    if engine == "postgresql":
        for table in ("court_case", "hearing", "judge", "court", "courtroom"):
            run(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        run("ANALYZE")
    else:
        run("ANALYZE")
    counts = {}
    for table in (
        "court_case",
        "case_event",
        "tolling_period",
        "deadline",
        "hearing",
        "hearing_setting",
    ):
        counts[table] = run(f"SELECT count(*) FROM {table}").scalar()
    return counts


def measure(app, runs: int, today: date) -> list[tuple[str, list[float]]]:
    from docket.core.reports import default_period
    from docket.reports import service

    start, end = default_period(today)
    cases = [
        ("case-age by judge", service.case_age, {"group": "judge"}),
        ("case-age by track, one judge", service.case_age, {"group": "track", "judge_id": 3}),
        ("time-to-disposition", service.time_to_disposition, {}),
        ("time-to-disposition by judge", service.time_to_disposition, {"group": "judge"}),
        ("clearance by month", service.clearance, {"group": "month"}),
        ("clearance by judge", service.clearance, {"group": "judge"}),
        ("trial-certainty by judge", service.trial_certainty, {"group": "judge"}),
        ("plan-compliance", service.plan_compliance, {}),
        ("continuances by requester", service.continuances, {"group": "requester"}),
        ("judge's dashboard figures", None, {}),
    ]
    from docket.extensions import db

    results = []
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        for name, function, extra in cases:
            timings, cpu = [], []
            for _ in range(runs):
                backend = db.session.scalar(text("SELECT pg_backend_pid()")) if postgres else None
                cpu_started = time.process_time() + _backend_cpu(backend)
                started = time.perf_counter()
                if function is None:
                    service.judge_figures(1, 3, today)
                else:
                    function(
                        service.Filters(court_id=1, today=today, start=start, end=end, **extra)
                    )
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() + _backend_cpu(backend) - cpu_started)
                db.session.rollback()
            results.append((name, timings, cpu))
            print(
                f"{name:32} p50 {statistics.median(timings) * 1000:8.0f} ms   "
                f"max {max(timings) * 1000:8.0f} ms   "
                f"cpu p50 {statistics.median(cpu) * 1000:8.0f} ms",
                flush=True,
            )
    print("load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    return results


def _backend_cpu(pid: int | None) -> float:
    """Seconds of CPU the PostgreSQL backend `pid` has used (user + system), when the server
    runs on this host; 0 otherwise."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reports",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", type=date.fromisoformat)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--existing",
        metavar="URL",
        help="time the reports on a database loaded before (--keep prints its URL): no load",
    )
    args = parser.parse_args(argv)

    from bench.demo_load import _fresh_postgres_database, _size

    workdir = Path(tempfile.mkdtemp(prefix="docket_bench_"))
    os.environ["DOCKET_INSTANCE_PATH"] = str(workdir)
    today = args.today or datetime.now(ZoneInfo("America/Chicago")).date()
    drop = None
    try:
        if args.existing:
            url = args.existing
        elif args.database_url.startswith("sqlite"):
            url = f"sqlite:///{workdir / 'docket.sqlite'}"
        else:
            url, drop = _fresh_postgres_database(args.database_url)
        from flask_migrate import upgrade

        from docket import create_app
        from docket.extensions import db

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        engine = make_url(url).get_backend_name()
        if not args.existing:
            with app.app_context():
                upgrade()
                started = time.perf_counter()
                with db.engine.begin() as connection:
                    counts = generate(connection, engine, args.cases, today)
                # VACUUM ANALYZE as autovacuum would have by now: planner statistics, and the
                # visibility map that lets index-only scans skip the table.
                with db.engine.connect() as connection:
                    connection = connection.execution_options(isolation_level="AUTOCOMMIT")
                    connection.exec_driver_sql(
                        "VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE"
                    )
                loaded = time.perf_counter() - started
                db.engine.dispose()
            print(
                f"generated in {loaded:.1f} s: "
                + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            )
            if args.keep:
                print(f"database: {url}", flush=True)
        results = measure(app, args.runs, today)
        for name, timings, cpu in results:
            print(
                f"RESULT engine={engine} cases={args.cases:,} report={name.replace(' ', '_')} "
                f"p50_ms={statistics.median(timings) * 1000:.0f} max_ms={max(timings) * 1000:.0f} "
                f"cpu_p50_ms={statistics.median(cpu) * 1000:.0f}"
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
