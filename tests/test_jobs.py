"""The job process: its own scheduler, in the court's time zone, reporting that it is alive."""

import os
import socket

from sqlalchemy import select

from docket import jobs
from docket.clock import utc_now
from docket.extensions import db
from docket.models import JobProcess


def test_scheduler_runs_in_the_court_zone_with_a_heartbeat_job(app):
    scheduler = jobs.build_scheduler(app)
    assert str(scheduler.timezone) == "America/Chicago"
    heartbeat = scheduler.get_job("heartbeat")
    assert heartbeat is not None
    assert heartbeat.trigger.interval.total_seconds() == app.config["JOB_HEARTBEAT_SECONDS"]


def test_heartbeat_records_this_process_once_and_updates_it(app):
    started = utc_now()
    jobs.heartbeat(app, started)
    with app.app_context():
        first = db.session.scalar(select(JobProcess))
        first_seen = first.last_seen_at
    jobs.heartbeat(app, started)
    with app.app_context():
        rows = db.session.scalars(select(JobProcess)).all()
        assert len(rows) == 1
        assert (rows[0].host, rows[0].pid) == (socket.gethostname(), os.getpid())
        assert rows[0].last_seen_at >= first_seen
        assert rows[0].started_at == started


def test_a_stopped_process_removes_its_heartbeat(app):
    jobs.heartbeat(app, utc_now())
    jobs.forget_process(app)
    with app.app_context():
        assert db.session.scalar(select(JobProcess)) is None


def test_admin_dashboard_shows_the_running_job_process(app, court, client):
    from tests.conftest import sign_in

    sign_in(client, "admin@cir1.test")
    assert b"No job process has reported" in client.get("/").data
    jobs.heartbeat(app, utc_now())
    page = client.get("/").data.decode()
    assert socket.gethostname() in page
    assert str(os.getpid()) in page


def test_the_job_process_runs_the_nightly_jobs_at_their_configured_court_times(app):
    """Sessions, the sweep and the digest each run once a day at their configured time in the
    court's zone; a missed sweep is caught up when the process starts."""
    app.config.update(SESSION_MATERIALIZE_AT="02:30", SWEEP_AT="01:30", DIGEST_AT="06:45")
    scheduler = jobs.build_scheduler(app)
    times = {}
    for job_id in ("materialize_sessions", "sweep", "digest"):
        fields = {f.name: str(f) for f in scheduler.get_job(job_id).trigger.fields}
        times[job_id] = (fields["hour"], fields["minute"])
    assert times == {
        "materialize_sessions": ("2", "30"),
        "sweep": ("1", "30"),
        "digest": ("6", "45"),
    }
    assert scheduler.get_job("sweep_catch_up") is not None
