"""Background jobs, run by `docket jobs run` in a process of their own.

Never started inside `create_app` or a web worker: APScheduler 3's job stores cannot be
shared between processes, and every gunicorn worker (and the debug reloader) would run
every job again. The nightly sweep arrives with issue 5; for now the process records a
heartbeat so that administrators can see that it runs.
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
    return scheduler


def run(app: Flask) -> None:
    scheduler = build_scheduler(app)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        forget_process(app)
