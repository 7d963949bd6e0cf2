"""Background jobs, run by `docket jobs run` in a process of their own.

Never started inside `create_app` or a web worker: APScheduler 3's job stores cannot be
shared between processes, and every gunicorn worker (and the debug reloader) would run
every job again. The process records a heartbeat so that administrators can see that it runs,
makes calendar sessions nightly, and runs the nightly sweep (docket/sweep/): exactly once per
court day whatever the number of job processes (docket/sweep/runs.py), with a catch-up at
start for a sweep missed while no process ran.
"""

from __future__ import annotations

import os
import socket

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import delete, select

from docket.clock import utc_now
from docket.extensions import db
from docket.models import Court, JobProcess


def heartbeat(app: Flask, started_at) -> None:
    """Record that this job process is alive (one row per host and pid)."""
    with app.app_context():
        host, pid = socket.gethostname(), os.getpid()
        row = db.session.scalar(
            select(JobProcess).where(JobProcess.host == host, JobProcess.pid == pid)
        )
        if row is None:
            row = JobProcess(host=host, pid=pid, started_at=started_at)
            db.session.add(row)
        row.last_seen_at = utc_now()
        db.session.commit()


def forget_process(app: Flask) -> None:
    with app.app_context():
        db.session.execute(
            delete(JobProcess).where(
                JobProcess.host == socket.gethostname(), JobProcess.pid == os.getpid()
            )
        )
        db.session.commit()


def materialize_sessions(app: Flask) -> None:
    """Nightly: make every court's calendar sessions through the horizon (idempotent), so the
    horizon moves a day each night and new holidays and exceptions close sessions."""
    from docket.calendar import sessions

    with app.app_context():
        start, end = sessions.horizon()
        courts = db.session.scalars(select(Court).order_by(Court.code)).all()
        for court in courts:
            try:
                summary = sessions.materialize(court.id, start, end)
            except Exception:  # one court's failure must not stop the others
                db.session.rollback()
                app.logger.exception("materializing sessions for %s failed", court.code)
            else:
                app.logger.info("sessions for %s: %s", court.code, summary.headline())


def nightly_sweep(app: Flask) -> None:
    """Nightly: flag the slipping cases (once per court day; the run is recorded)."""
    from docket.sweep.runs import nightly_sweep as run

    run(app)


def catch_up_sweep(app: Flask) -> None:
    """At start: today's sweep, if its time has passed and no process has run it."""
    from docket.sweep.runs import catch_up

    catch_up(app)


def morning_digest(app: Flask) -> None:
    """Daily at DIGEST_AT: the opted-in users' digest, once per court day (JobRun "digest")."""
    from docket.flags.digest import digest_job

    digest_job(app)


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=app.config["COURT_TIMEZONE"])
    started_at = utc_now()
    scheduler.add_job(
        heartbeat,
        "interval",
        seconds=app.config["JOB_HEARTBEAT_SECONDS"],
        args=[app, started_at],
        id="heartbeat",
        next_run_time=started_at,
        coalesce=True,
        max_instances=1,
    )
    hour, minute = (int(part) for part in app.config["SESSION_MATERIALIZE_AT"].split(":"))
    scheduler.add_job(
        materialize_sessions,
        "cron",
        hour=hour,
        minute=minute,
        args=[app],
        id="materialize_sessions",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    from docket.sweep.service import setting

    hour, minute = (int(part) for part in str(setting("SWEEP_AT", app)).split(":"))
    grace = int(float(setting("SWEEP_MISFIRE_GRACE_HOURS", app)) * 3600)
    scheduler.add_job(
        nightly_sweep,
        "cron",
        hour=hour,
        minute=minute,
        args=[app],
        id="sweep",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=grace,
    )
    # APScheduler keeps jobs in memory: a restarted process knows nothing of the run it
    # missed, so the catch-up looks at the recorded runs instead.
    scheduler.add_job(
        catch_up_sweep,
        "date",
        run_date=started_at,
        args=[app],
        id="sweep_catch_up",
        misfire_grace_time=None,
    )
    hour, minute = (int(part) for part in str(app.config["DIGEST_AT"]).split(":"))
    scheduler.add_job(
        morning_digest,
        "cron",
        hour=hour,
        minute=minute,
        args=[app],
        id="digest",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3 * 3600,
    )
    return scheduler


def run(app: Flask) -> None:
    scheduler = build_scheduler(app)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        forget_process(app)
