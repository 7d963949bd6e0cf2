"""The figures on each dashboard, aggregated in SQL (one query per figure group)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from docket.clock import court_today, court_zone
from docket.extensions import db
from docket.models import Case, Hearing, JobProcess, User
from docket.permissions import visible_cases_clause


def summary(user: User) -> dict:
    visible = visible_cases_clause(user)
    counts = dict(
        db.session.execute(
            select(Case.status, func.count()).where(visible).group_by(Case.status)
        ).all()
    )
    today = court_today()
    start = datetime.combine(today, time.min, court_zone())
    end = start + timedelta(days=7)
    hearings = (
        select(Hearing)
        .join(Case, Case.id == Hearing.case_id)
        .where(
            visible,
            Hearing.status == "scheduled",
            Hearing.starts_at >= start,
            Hearing.starts_at < end,
        )
        .options(
            selectinload(Hearing.case), selectinload(Hearing.courtroom), selectinload(Hearing.judge)
        )
        .order_by(Hearing.starts_at)
        .limit(25)
    )
    if user.role == "judge":
        hearings = hearings.where(Hearing.judge_id == user.judge_id)
    upcoming = db.session.scalars(hearings).all()
    return {
        "active": counts.get("active", 0),
        "inactive": counts.get("inactive", 0),
        "disposed": counts.get("disposed", 0),
        "upcoming": upcoming,
        "job_processes": _job_processes() if user.role == "admin" else [],
        "judge_figures": _judge_figures(user, today) if user.role == "judge" else None,
        "behind": _behind(user) if user.role == "judge" else [],
    }


def _behind(user: User) -> list:
    """The judge's cases behind schedule: open overdue, speedy-trial and unscheduled flags."""
    from docket.flags.queries import judge_behind

    return judge_behind(user)


def _judge_figures(user: User, today) -> dict | None:
    """The judge's own figures (reports issue 8): pending by age, clearance this month,
    stages overdue."""
    if user.judge_id is None:
        return None
    from docket.reports.service import judge_figures

    return judge_figures(user.court_id, user.judge_id, today)


def _job_processes() -> list[JobProcess]:
    return db.session.scalars(
        select(JobProcess).order_by(JobProcess.last_seen_at.desc()).limit(10)
    ).all()
