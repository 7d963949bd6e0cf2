"""The administrators' page of job runs: what ran, when, where, with what result."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from docket.core.vocabulary import FLAG_KINDS, FLAG_SEVERITIES
from docket.extensions import db
from docket.models import Flag, JobProcess, JobRun
from docket.permissions import roles_required
from docket.sweep import blueprint
from docket.sweep.runs import SWEEP_JOB, display_job, scheduled_at
from docket.sweep.service import setting

RUNS_SHOWN = 60


@blueprint.route("/admin/runs")
@roles_required("admin")
def runs():
    rows = db.session.scalars(
        select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(RUNS_SHOWN)
    ).all()
    last_nightly = db.session.scalar(
        select(JobRun).where(JobRun.job == SWEEP_JOB).order_by(JobRun.run_date.desc()).limit(1)
    )
    open_counts = {
        (kind, severity): count
        for kind, severity, count in db.session.execute(
            select(Flag.kind, Flag.severity, func.count())
            .where(Flag.resolved_at.is_(None))
            .group_by(Flag.kind, Flag.severity)
        )
    }
    processes = db.session.scalars(select(JobProcess).order_by(JobProcess.started_at)).all()
    from docket.clock import court_today

    return render_template(
        "sweep/runs.html",
        runs=rows,
        last_nightly=last_nightly,
        open_counts=open_counts,
        kinds=FLAG_KINDS,
        severities=FLAG_SEVERITIES,
        processes=processes,
        display_job=display_job,
        next_at=scheduled_at(court_today()),
        grace_hours=setting("SWEEP_MISFIRE_GRACE_HOURS"),
        shown=RUNS_SHOWN,
    )
