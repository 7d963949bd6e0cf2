"""Time the demo-court load into a fresh database.

    python -m bench.demo_load --cases 100000 --database-url sqlite
    python -m bench.demo_load --cases 100000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

SQLite: a new file in a temporary folder (removed afterwards unless --keep). PostgreSQL: the
URL names a server (and a database to connect to for administration); a new database
`docket_bench_<random>` is created there, migrated, loaded, and dropped unless --keep.
The schema comes from the real Alembic migrations, as in `docket db upgrade`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.demo_load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--database-url",
        default="sqlite",
        help="'sqlite' for a temporary SQLite file, or a PostgreSQL server URL",
    )
    parser.add_argument("--today", type=date.fromisoformat, help="court date (default: today)")
    parser.add_argument("--batch", type=int, default=None, help="cases per batch")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="docket_bench_"))
    os.environ["DOCKET_INSTANCE_PATH"] = str(workdir)  # before the app reads it
    today = args.today or datetime.now(ZoneInfo("America/Chicago")).date()
    drop = None
    try:
        if args.database_url.startswith("sqlite"):
            url = f"sqlite:///{workdir / 'docket.sqlite'}"
        else:
            url, drop = _fresh_postgres_database(args.database_url)
        print(f"database: {make_url(url).render_as_string(hide_password=True)}")
        report = _load(url, args.cases, args.seed, today, args.batch)
        print(report.summary())
        print(
            f"RESULT engine={make_url(url).get_backend_name()} cases={args.cases:,} "
            f"rows={report.total_rows:,} seconds={report.seconds:,.1f} "
            f"rows_per_second={report.rows_per_second:,.0f} size={_size(url)}"
        )
    finally:
        if drop and not args.keep:
            drop()
        if args.keep:
            print(f"kept: {workdir}" + (" and the database" if drop else ""))
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _load(url: str, cases: int, seed: int, today: date, batch: int | None):
    from flask_migrate import upgrade

    from docket import create_app
    from docket.demo import build_demo
    from docket.extensions import db

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        started = time.perf_counter()
        upgrade()
        print(f"migrated in {time.perf_counter() - started:.1f} s")
        options = {"batch_cases": batch} if batch else {}
        report = build_demo(
            db.engine,
            cases=cases,
            seed=seed,
            today=today,
            password_method=app.config["PASSWORD_HASH_METHOD"],
            progress=lambda line: print(line, flush=True),
            **options,
        )
        db.engine.dispose()
    return report


def _fresh_postgres_database(server_url: str):
    server = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"docket_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        print(f"dropped database {name}")

    return server.set(database=name).render_as_string(hide_password=False), drop


def _size(url: str) -> str:
    if url.startswith("sqlite"):
        path = Path(make_url(url).database)
        total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        return f"{total / 2**20:,.0f}MiB"
    engine = create_engine(url)
    with engine.connect() as connection:
        size = connection.scalar(text("SELECT pg_database_size(current_database())"))
    engine.dispose()
    return f"{size / 2**20:,.0f}MiB"


if __name__ == "__main__":
    sys.exit(main())
