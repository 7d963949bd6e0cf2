"""Running a daily job exactly once, and recording every run.

The unique (job, run_date) row of `job_run` decides, on every engine: the process whose
INSERT of the row commits runs the job; any other process (a second `docket jobs run`, another
host) gets an IntegrityError and skips, logging who has it. On PostgreSQL the claim first takes
`pg_try_advisory_xact_lock` on (job, date): a process that finds it taken skips at once,
instead of waiting on the unique index for the winner's transaction and then failing with a
duplicate-key error in the server's log.

Every run's summary (JSON) says whether the sweep was "full" or "incremental" (`mode`), why
a sweep was full (`reason`) and how many active cases it examined (`cases`).

Jobs and their rows:
  "sweep"                          the nightly sweep (trigger "schedule") or its catch-up at the
                                   job process's start (trigger "catch_up"): once per court day.
  "sweep:manual:<UTC timestamp>"   `docket sweep` (trigger "manual"): every manual run has a row
                                   of its own, and never takes the night's row, so a manual run
                                   in the evening does not stop the night's sweep, nor does the
                                   night's sweep stop a manual one.

A failed run keeps its row (status "failed", the error) and is not retried automatically:
a job that fails every time must not fail every minute. The sweep is idempotent and works from
the current state, so the retry is simply `docket sweep` (a manual run, recorded apart).

Misfire: the scheduler's cron job has misfire_grace_time (SWEEP_MISFIRE_GRACE_HOURS) and
coalesce; and because APScheduler 3 keeps its jobs in memory (a restarted process knows
nothing of the run it missed), `catch_up()` runs at the job process's start: if today's
scheduled time has passed, within the grace, and today's "sweep" row does not exist, it runs
the sweep now. A second start finds the row and does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from docket.clock import court_today, court_zone, utc_now
from docket.extensions import db
from docket.models import JobRun
from docket.sweep.service import lock_key, setting, sweep

log = logging.getLogger("docket.sweep")

SWEEP_JOB = "sweep"
MANUAL_PREFIX = "sweep:manual:"


@dataclass
class Outcome:
    """What run_once did: ran (and how it ended), or skipped (and why)."""

    job: str
    run_date: date
    ran: bool
    run_id: int | None = None
    status: str | None = None  # succeeded | failed when ran
    message: str = ""
    raised: int = 0
    resolved: int = 0


def _sweep_work(run_date: date, run_id: int, full: bool = False) -> tuple[int, int, dict, str]:
    result = sweep(run_date, run_id, full=full)
    return result.total_raised, result.total_resolved, result.summary(), result.headline()


def run_once(
    app: Flask,
    job: str = SWEEP_JOB,
    run_date: date | None = None,
    trigger: str = "schedule",
    *,
    work: Callable[[date, int], tuple[int, int, dict, str]] | None = None,
) -> Outcome:
    """Run `job` for `run_date` (the court's today) unless a run of it is recorded already.

    The claim (the run row, status "running") is committed first, so every process and the
    admin's page see it at once; the job's work and the row's result are then committed
    together. A failure rolls the work back and records the error."""
    work = work or _sweep_work
    with app.app_context():
        run_date = run_date or court_today()
        claim = _claim(job, run_date, trigger)
        if isinstance(claim, str):
            log.info(claim)
            return Outcome(job, run_date, ran=False, message=claim)
        run_id = claim
        try:
            raised, resolved, summary, headline = work(run_date, run_id)
            row = db.session.get(JobRun, run_id)
            row.status = "succeeded"
            row.finished_at = utc_now()
            row.flags_raised, row.flags_resolved = raised, resolved
            row.summary = summary
            db.session.commit()
        except Exception as error:  # recorded on the run, and logged
            db.session.rollback()
            detail = "".join(traceback.format_exception_only(error)).strip()
            _fail(run_id, detail, traceback.format_exc())
            log.exception("%s for %s failed", job, run_date)
            return Outcome(job, run_date, True, run_id, "failed", detail)
        log.info("%s (%s, run %s): %s", job, trigger, run_id, headline)
        return Outcome(job, run_date, True, run_id, "succeeded", headline, raised, resolved)


def _claim(job: str, run_date: date, trigger: str) -> int | str:
    """The new run's id, or why this process does not run it."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        key = lock_key(f"job_run:{job}:{run_date.isoformat()}")
        taken = session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key})
        if not taken.scalar():
            session.rollback()
            return f"{job} for {run_date}: another process is starting it now; skipped"
    row = JobRun(
        job=job,
        run_date=run_date,
        trigger=trigger,
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=utc_now(),
        status="running",
        flags_raised=0,
        flags_resolved=0,
    )
    session.add(row)
    try:
        session.commit()  # the advisory lock (if any) ends with this transaction
    except IntegrityError:
        session.rollback()
        other = session.scalar(select(JobRun).where(JobRun.job == job, JobRun.run_date == run_date))
        if other is None:
            return f"{job} for {run_date}: claimed by another process; skipped"
        state = "is running" if other.status == "running" else f"already ran ({other.status})"
        return (
            f"{job} for {run_date} {state} on host {other.host} (pid {other.pid}, started "
            f"{other.started_at:%Y-%m-%d %H:%M:%S} UTC); skipped"
        )
    return row.id


def _fail(run_id: int, detail: str, trace: str) -> None:
    try:
        row = db.session.get(JobRun, run_id)
        row.status = "failed"
        row.finished_at = utc_now()
        row.error = (detail + "\n\n" + trace)[:20000]
        db.session.commit()
    except Exception:  # the database itself may be what failed
        db.session.rollback()
        log.exception("could not record the failure of run %s", run_id)


# --- entry points ----------------------------------------------------------------------------


def nightly_sweep(app: Flask) -> Outcome:
    """The scheduler's nightly job: today's sweep, once, whatever the number of processes."""
    return run_once(app, SWEEP_JOB, trigger="schedule")


def manual_sweep(app: Flask, run_date: date | None = None, full: bool = False) -> Outcome:
    """`docket sweep [--full]`: a run of its own, recorded apart from the night's (see module
    doc); incremental unless `full` (or unless the sweep finds it must be full)."""
    stamp = utc_now().strftime("%Y%m%dT%H%M%S")

    def work(day: date, run_id: int) -> tuple[int, int, dict, str]:
        return _sweep_work(day, run_id, full)

    return run_once(app, MANUAL_PREFIX + stamp, run_date, trigger="manual", work=work)


def scheduled_at(day: date) -> datetime:
    """The instant of `day`'s nightly sweep in the court's zone (SWEEP_AT, HH:MM)."""
    hour, minute = (int(part) for part in str(setting("SWEEP_AT")).split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=court_zone())


def catch_up(app: Flask, now: datetime | None = None) -> Outcome | None:
    """At the job process's start: run today's sweep now if its time has passed (within the
    misfire grace) and no process has recorded it. None when there is nothing to catch up."""
    with app.app_context():
        now = (now or utc_now()).astimezone(court_zone())
        today = now.date()
        due = scheduled_at(today)
        grace = timedelta(hours=float(setting("SWEEP_MISFIRE_GRACE_HOURS")))
        if not (due <= now <= due + grace):
            return None
        recorded = db.session.scalar(
            select(JobRun.id).where(JobRun.job == SWEEP_JOB, JobRun.run_date == today)
        )
        if recorded is not None:
            return None
    log.info("the sweep for %s was missed (due %s): running it now", today, due)
    return run_once(app, SWEEP_JOB, today, trigger="catch_up")


def display_job(job: str) -> str:
    """ "sweep" for the night's and the manual runs alike (the trigger tells them apart)."""
    return SWEEP_JOB if job.startswith(MANUAL_PREFIX) else job
