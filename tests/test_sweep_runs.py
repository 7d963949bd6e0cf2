"""Running the sweep: exactly once per night whatever the number of job processes (two real
OS processes racing for the same night), misfire catch-up at the job process's start, failed
runs recorded, manual runs apart, and the administrators' page of runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from docket import jobs
from docket.extensions import db
from docket.models import Deadline, Flag, JobRun
from docket.models.sweep_state import SweepState
from docket.sweep import runs
from docket.sweep.commands import sweep as sweep_command
from tests.conftest import TEST_CONFIG, sign_in

NIGHT = date(2026, 11, 20)
CHICAGO = ZoneInfo("America/Chicago")
ROOT = Path(__file__).resolve().parent.parent


def overdue_deadlines(court) -> None:
    for case in (court.rivera, court.ortiz):
        db.session.add(
            Deadline(
                case_id=case.id,
                kind="stage",
                item_id="arraignment",
                name="Arraignment",
                plan_version="state-dcm-2026",
                due_on=date(2026, 11, 18),
                status="pending",
                citation="Ariz. R. Crim. P. 14.2",
                explanation=[],
                excluded_periods=[],
                computed_for=date(2026, 11, 1),
            )
        )
    db.session.commit()


def job_runs() -> list[JobRun]:
    db.session.expire_all()
    return list(db.session.scalars(select(JobRun).order_by(JobRun.id)))


def test_a_run_is_recorded_with_its_counts_and_the_flags_point_to_it(app, court):
    overdue_deadlines(court)
    outcome = runs.run_once(app, "sweep", NIGHT, "schedule")
    assert outcome.ran and outcome.status == "succeeded"
    assert outcome.raised == 2
    (run,) = job_runs()
    assert (run.job, run.run_date, run.trigger, run.status) == (
        "sweep",
        NIGHT,
        "schedule",
        "succeeded",
    )
    assert (run.flags_raised, run.flags_resolved) == (2, 0)
    assert run.pid == os.getpid() and run.host
    assert run.finished_at >= run.started_at
    assert run.summary["kinds"]["overdue"]["raised"] == 2
    assert run.error is None
    assert {f.raised_by_run_id for f in db.session.scalars(select(Flag))} == {run.id}


def test_the_same_night_runs_once(app, court):
    overdue_deadlines(court)
    first = runs.run_once(app, "sweep", NIGHT, "schedule")
    second = runs.run_once(app, "sweep", NIGHT, "schedule")
    assert first.ran and not second.ran
    assert "already ran (succeeded) on host" in second.message
    assert len(job_runs()) == 1
    assert len(db.session.scalars(select(Flag)).all()) == 2


def test_a_failed_run_is_recorded_saves_nothing_and_a_manual_run_retries_it(app, court):
    overdue_deadlines(court)

    def broken(run_date, run_id):
        from docket.sweep.service import sweep

        sweep(run_date, run_id)  # flags written in the transaction...
        raise RuntimeError("disk full")  # ...then rolled back

    outcome = runs.run_once(app, "sweep", NIGHT, "schedule", work=broken)
    assert outcome.ran and outcome.status == "failed"
    assert "RuntimeError: disk full" in outcome.message
    (run,) = job_runs()
    assert run.status == "failed" and run.finished_at is not None
    assert run.error.startswith("RuntimeError: disk full")
    assert db.session.scalars(select(Flag)).all() == []
    # Nor is the failed sweep the base of the next: that one is full.
    assert db.session.get(SweepState, 1) is None
    # The night's row stays failed (no automatic retry); a manual run is the retry.
    assert not runs.run_once(app, "sweep", NIGHT, "schedule").ran
    retry = runs.manual_sweep(app, NIGHT)
    assert retry.status == "succeeded" and retry.raised == 2
    assert db.session.get(SweepState, 1).mode == "full"
    failed, manual = job_runs()
    assert failed.status == "failed"
    assert manual.trigger == "manual" and manual.job.startswith("sweep:manual:")


def test_manual_runs_have_rows_of_their_own_and_never_take_the_night_s(app, court):
    overdue_deadlines(court)
    cli = app.test_cli_runner()
    result = cli.invoke(sweep_command, ["--date", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert "2 raised" in result.output
    time.sleep(1.1)  # manual runs are named by the second they start
    result = cli.invoke(sweep_command, ["--date", "2026-11-20"])
    assert result.exit_code == 0 and "0 raised" in result.output
    nightly = runs.run_once(app, "sweep", NIGHT, "schedule")
    assert nightly.ran
    rows = job_runs()
    assert [r.trigger for r in rows] == ["manual", "manual", "schedule"]
    assert [runs.display_job(r.job) for r in rows] == ["sweep"] * 3
    assert len({r.job for r in rows}) == 3


def test_each_run_records_whether_the_sweep_was_full_or_incremental(app, court):
    app.config["SWEEP_CHANGE_MARGIN_MINUTES"] = 0  # no commit arrives late in a test
    overdue_deadlines(court)
    runs.run_once(app, "sweep", NIGHT, "schedule")
    runs.run_once(app, "sweep", NIGHT + timedelta(days=1), "schedule")
    cli = app.test_cli_runner()
    result = cli.invoke(sweep_command, ["--date", "2026-11-21", "--full"])
    assert result.exit_code == 0, result.output
    assert "(full)" in result.output
    first, second, manual = job_runs()
    assert (first.summary["mode"], first.summary["reason"]) == ("full", "no sweep recorded")
    assert first.summary["cases"] == 2  # every active case
    assert (second.summary["mode"], second.summary["reason"]) == ("incremental", "")
    assert second.summary["cases"] == 0  # nothing changed, no date crossed a threshold
    assert (manual.trigger, manual.summary["mode"]) == ("manual", "full")
    assert manual.summary["reason"] == "asked for"
    assert (manual.flags_raised, manual.flags_resolved) == (0, 0)
    assert cli.invoke(sweep_command, ["--nightly", "--full"]).exit_code == 2


def test_sweep_nightly_option_runs_today_s_scheduled_sweep_once(app, court):
    cli = app.test_cli_runner()
    assert cli.invoke(sweep_command, ["--nightly"]).exit_code == 0
    again = cli.invoke(sweep_command, ["--nightly"])
    assert again.exit_code == 0 and "already ran" in again.output
    (run,) = job_runs()
    assert (run.job, run.trigger) == ("sweep", "schedule")
    assert cli.invoke(sweep_command, ["--nightly", "--date", "2026-11-20"]).exit_code == 2


# --- two job processes at once ------------------------------------------------------------------

CHILD = """
import json, sys, time
from datetime import date
from docket import create_app
from docket.sweep.runs import run_once
config = json.loads(sys.argv[1])
start = float(sys.argv[2])
app = create_app(config)
with app.app_context():
    from docket.extensions import db
    db.session.execute(db.text("SELECT 1"))  # connected before the start
    db.session.commit()
time.sleep(max(0.0, start - time.time()))
outcome = run_once(app, "sweep", date(2026, 11, 20), "schedule")
print(json.dumps({"ran": outcome.ran, "status": outcome.status, "message": outcome.message}))
"""


def test_two_job_processes_racing_for_the_same_night_run_it_once(app, court, database_url):
    overdue_deadlines(court)
    config = {**TEST_CONFIG, "DATABASE_URL": database_url}
    start = time.time() + 4
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, json.dumps(config), str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    outcomes = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(o["ran"] for o in outcomes) == [False, True], outcomes
    assert [o["status"] for o in outcomes if o["ran"]] == ["succeeded"]
    skipped = next(o for o in outcomes if not o["ran"])
    assert "skipped" in skipped["message"]
    (run,) = job_runs()
    assert run.status == "succeeded" and run.flags_raised == 2
    flags = db.session.scalars(select(Flag)).all()
    assert len(flags) == 2 and {f.raised_by_run_id for f in flags} == {run.id}


def test_on_postgresql_a_process_holding_the_night_s_lock_makes_others_skip_at_once(
    app, court, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("advisory locks are PostgreSQL's")
    from docket.sweep.service import lock_key

    key = lock_key(f"job_run:sweep:{NIGHT.isoformat()}")
    with db.engine.connect() as other:
        other.begin()
        other.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        outcome = runs.run_once(app, "sweep", NIGHT, "schedule")
        other.rollback()
    assert not outcome.ran and "another process is starting it now" in outcome.message
    assert job_runs() == []
    assert runs.run_once(app, "sweep", NIGHT, "schedule").ran


# --- misfire --------------------------------------------------------------------------------


def at(hour: int, minute: int = 0, day: date = NIGHT) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def test_a_job_process_starting_after_the_sweep_time_catches_up_once(app, court):
    overdue_deadlines(court)
    assert runs.catch_up(app, now=at(1, 0)) is None  # before 01:30: the schedule will run it
    outcome = runs.catch_up(app, now=at(9, 15))  # started at 09:15: missed, run it now
    assert outcome is not None and outcome.ran and outcome.status == "succeeded"
    (run,) = job_runs()
    assert (run.job, run.run_date, run.trigger) == ("sweep", NIGHT, "catch_up")
    assert outcome.raised == 2
    # Started again (a restart, or a second process): nothing to catch up.
    assert runs.catch_up(app, now=at(10, 0)) is None
    assert len(job_runs()) == 1


def test_no_catch_up_after_the_grace_nor_when_the_night_s_run_is_recorded(app, court):
    assert runs.catch_up(app, now=at(22, 0)) is None  # 01:30 + 20 h grace = 21:30
    assert job_runs() == []
    app.config["SWEEP_MISFIRE_GRACE_HOURS"] = 23
    assert runs.catch_up(app, now=at(22, 0)).ran
    runs.run_once(app, "sweep", NIGHT + timedelta(days=1), "schedule")
    assert runs.catch_up(app, now=at(3, 0, NIGHT + timedelta(days=1))) is None
    assert len(job_runs()) == 2


def test_the_scheduler_runs_the_sweep_nightly_with_a_grace_and_catches_up_at_start(app):
    app.config["SWEEP_AT"] = "01:45"
    scheduler = jobs.build_scheduler(app)
    job = scheduler.get_job("sweep")
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("1", "45")
    assert str(job.trigger.timezone) == "America/Chicago"
    assert job.coalesce is True and job.max_instances == 1
    assert job.misfire_grace_time == 20 * 3600
    catch = scheduler.get_job("sweep_catch_up")
    assert catch is not None and catch.misfire_grace_time is None


def test_the_scheduled_job_runs_today_s_sweep(app, court):
    jobs.nightly_sweep(app)
    jobs.nightly_sweep(app)
    (run,) = job_runs()
    assert (run.job, run.trigger, run.status) == ("sweep", "schedule", "succeeded")


# --- the administrators' page ---------------------------------------------------------------


@pytest.fixture
def runs_page(app):
    return "/admin/runs"


def test_admins_see_the_runs(app, court, client, runs_page):
    overdue_deadlines(court)
    runs.run_once(app, "sweep", NIGHT, "schedule")

    def broken(run_date, run_id):
        raise RuntimeError("database went away")

    runs.run_once(app, "sweep", NIGHT + timedelta(days=1), "catch_up", work=broken)
    sign_in(client, "admin@cir1.test")
    response = client.get(runs_page)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Job runs" in page
    assert "Nov 20, 2026" in page and "Nov 21, 2026" in page
    assert "succeeded" in page and "failed" in page
    assert "RuntimeError: database went away" in page
    assert "catch up" in page
    assert "No job process is running" in page


@pytest.mark.parametrize(
    "email", ["clerk@cir1.test", "okafor@cir1.test", "moreno@defense.test", "clerk@cir2.test"]
)
def test_others_may_not_see_the_runs(app, court, client, runs_page, email):
    sign_in(client, email)
    assert client.get(runs_page).status_code == 403


def test_the_runs_page_needs_a_sign_in(app, court, client, runs_page):
    response = client.get(runs_page)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
