"""The sweep: each kind of flag raised when its cause appears and resolved when it goes away,
with its history kept. Deadline rows are written as the recompute writes them (the sweep
reads only the materialized rows), plus one test through the real plan engine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, update

from docket.extensions import db
from docket.models import CaseEvent, Deadline, Flag, Hearing
from docket.sweep.service import sweep

TODAY = date(2026, 11, 20)
PLAN = "state-dcm-2026"
CHICAGO = ZoneInfo("America/Chicago")


def add_deadline(case, item_id: str, due_on: date | None, *, kind="stage", **fields) -> Deadline:
    values = {
        "name": {"arraignment": "Arraignment", "trial": "Arraignment to trial (Rule 8.2)"}.get(
            item_id, item_id.replace("_", " ").capitalize()
        ),
        "plan_version": PLAN,
        "status": "pending",
        "citation": "Ariz. R. Crim. P. 14.2" if item_id == "arraignment" else None,
        "explanation": ["test row"],
        "excluded_periods": [],
        "computed_for": date(2026, 11, 1),
        **fields,
    }
    row = Deadline(case_id=case.id, kind=kind, item_id=item_id, due_on=due_on, **values)
    db.session.add(row)
    db.session.commit()
    return row


def recompute_as(case, item_id: str, **changes) -> None:
    """What a recompute does: the case's row for the item deleted and written anew (new id)."""
    old = db.session.scalar(
        select(Deadline).where(Deadline.case_id == case.id, Deadline.item_id == item_id)
    )
    values = {
        column.name: getattr(old, column.key)
        for column in Deadline.__table__.columns
        if column.name not in ("id", "case_id", "item_id", "due_on", "kind")
    }
    kind, due_on = old.kind, old.due_on
    db.session.execute(delete(Deadline).where(Deadline.id == old.id))
    values.update(changes)
    due_on = values.pop("due_on", due_on)
    add_deadline(case, item_id, due_on, kind=kind, **values)


def local(*parts: int) -> datetime:
    """An instant given in the court's time (Chicago)."""
    return datetime(*parts, tzinfo=CHICAGO)


def add_hearing(small, case, hearing_type: str, starts: datetime, status="scheduled") -> Hearing:
    row = Hearing(
        case_id=case.id,
        hearing_type=hearing_type,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=30),
        courtroom_id=small.courtroom.id,
        judge_id=case.assigned_judge_id,
        status=status,
        **({"outcome_code": None} if status == "scheduled" else {}),
    )
    db.session.add(row)
    db.session.commit()
    return row


def run(today: date = TODAY):
    result = sweep(today)
    db.session.commit()
    return result


def flags(kind: str | None = None, *, open_only: bool = False) -> list[Flag]:
    query = select(Flag).order_by(Flag.id)
    if kind:
        query = query.where(Flag.kind == kind)
    if open_only:
        query = query.where(Flag.resolved_at.is_(None))
    return list(db.session.scalars(query))


# --- overdue and approaching -------------------------------------------------------------------


def test_a_missed_stage_deadline_is_flagged_overdue_and_resolves_once_met(court):
    add_deadline(court.rivera, "arraignment", date(2026, 11, 18))
    result = run()
    assert result.raised["overdue"] == 1
    (flag,) = flags("overdue")
    assert flag.case_id == court.rivera.id
    assert flag.subject == "stage:arraignment"
    assert flag.severity == "critical"
    assert flag.cause == "Arraignment deadline was 2026-11-18 (Ariz. R. Crim. P. 14.2)"
    assert flag.due_on == date(2026, 11, 18)
    assert flag.resolved_at is None

    # The next night, still unmet: nothing new, nothing resolved, the same flag.
    again = run(TODAY + timedelta(days=1))
    assert (again.total_raised, again.total_resolved) == (0, 0)
    assert [f.id for f in flags(open_only=True)] == [flag.id]

    # The arraignment is held: the recompute rewrites the row (a new id) as met.
    recompute_as(court.rivera, "arraignment", status="met_late", satisfied_on=TODAY)
    result = run(TODAY + timedelta(days=1))
    assert result.resolved["overdue"] == 1
    (kept,) = flags("overdue")  # history: the row stays, resolved
    assert kept.id == flag.id
    assert kept.resolved_at is not None and kept.resolved_at >= kept.since
    assert flags(open_only=True) == []


def test_a_deadline_recomputed_after_its_date_is_stored_missed_and_is_still_overdue(court):
    add_deadline(court.rivera, "arraignment", date(2026, 11, 2), status="missed")
    add_deadline(
        court.ortiz,
        "arraignment",
        date(2026, 11, 2),
        status="missed",
        satisfied_on=date(2026, 11, 5),
    )  # trial began late: history, nothing to do
    run()
    assert [(f.case_id, f.severity) for f in flags("overdue")] == [(court.rivera.id, "critical")]


def test_an_approaching_deadline_turns_into_an_overdue_one(court):
    add_deadline(
        court.rivera,
        "discovery",
        date(2026, 11, 24),
        warn_on=date(2026, 11, 17),
        citation="DCM plan",
    )
    add_deadline(court.ortiz, "discovery", date(2026, 12, 24), warn_on=date(2026, 12, 17))
    result = run()
    assert result.raised["approaching"] == 1
    (approaching,) = flags("approaching")
    assert approaching.case_id == court.rivera.id
    assert approaching.severity == "warning"
    assert approaching.cause == "Discovery due by 2026-11-24 (DCM plan)"

    result = run(date(2026, 11, 25))
    assert result.resolved["approaching"] == 1
    assert result.raised["overdue"] == 1
    (approaching,) = flags("approaching")
    assert approaching.resolved_at is not None
    (overdue,) = flags("overdue", open_only=True)
    assert overdue.subject == approaching.subject == "stage:discovery"
    assert overdue.since >= approaching.resolved_at


def test_a_changed_due_date_updates_the_open_flag_in_place(court):
    add_deadline(court.rivera, "arraignment", date(2026, 11, 18))
    run()
    (flag,) = flags("overdue")
    since = flag.since
    recompute_as(court.rivera, "arraignment", due_on=date(2026, 11, 16))
    result = run()
    assert (result.total_raised, result.total_resolved, result.refreshed["overdue"]) == (0, 0, 1)
    (flag,) = flags("overdue")
    assert flag.due_on == date(2026, 11, 16)
    assert "2026-11-16" in flag.cause
    assert flag.since == since


# --- speedy trial -------------------------------------------------------------------------------


def test_a_speedy_trial_clock_warns_then_expires_then_resolves(app, court):
    # The federal plan's trial clock has a minimum (no trial before day 30): a floor, not a
    # limit, never flagged.
    app.config["PLAN_FILES"] = ["rules/state-dcm-2026.toml", "rules/us-district-sta-2026.toml"]
    defendant = court.rivera.defendants[0]
    add_deadline(
        court.rivera,
        "trial",
        date(2026, 12, 3),
        kind="clock",
        defendant_id=defendant.id,
        citation="Ariz. R. Crim. P. 8.2(a)",
    )
    add_deadline(
        court.ortiz,
        "trial",
        date(2026, 12, 5),
        kind="clock",  # 15 days: not yet
        defendant_id=court.ortiz.defendants[0].id,
    )
    add_deadline(
        court.ortiz,
        "trial_minimum",
        date(2026, 11, 25),
        kind="clock",
        plan_version="us-district-sta-2026",
    )

    run()
    (flag,) = flags("speedy_trial")
    assert flag.case_id == court.rivera.id
    assert flag.defendant_id == defendant.id
    assert flag.subject == f"clock:trial:{defendant.id}"
    assert flag.severity == "warning"
    assert (
        flag.cause
        == "Arraignment to trial (Rule 8.2): last day 2026-12-03 (Ariz. R. Crim. P. 8.2(a))"
    )

    result = run(date(2026, 12, 4))  # expired: a new, critical flag; the warning resolves
    assert (result.raised["speedy_trial"], result.resolved["speedy_trial"]) == (2, 1)
    by_case = {(f.case_id, f.severity): f for f in flags("speedy_trial", open_only=True)}
    expired = by_case[(court.rivera.id, "critical")]
    assert expired.cause.startswith(
        "Arraignment to trial (Rule 8.2): the limit ran out on 2026-12-03"
    )
    assert (court.ortiz.id, "warning") in by_case  # 1 day left now

    recompute_as(court.rivera, "trial", status="met_late", satisfied_on=date(2026, 12, 4))
    result = run(date(2026, 12, 4))
    assert result.resolved["speedy_trial"] == 1
    assert [f.case_id for f in flags("speedy_trial", open_only=True)] == [court.ortiz.id]
    assert len(flags("speedy_trial")) == 3


def test_the_warning_window_is_configurable(app, court):
    add_deadline(
        court.rivera,
        "trial",
        date(2026, 12, 10),
        kind="clock",
        defendant_id=court.rivera.defendants[0].id,
    )
    run()
    assert flags("speedy_trial") == []
    app.config["SPEEDY_TRIAL_WARN_DAYS"] = 30
    run()
    assert len(flags("speedy_trial")) == 1


# --- unscheduled --------------------------------------------------------------------------------


def test_a_stage_that_needs_a_hearing_is_flagged_until_one_is_set_in_time(court):
    add_deadline(court.rivera, "arraignment", date(2026, 11, 25), warn_on=date(2026, 11, 22))
    add_deadline(court.rivera, "discovery", date(2026, 11, 25))  # no hearing type: never
    run()
    (flag,) = flags("unscheduled")
    assert flag.subject == "stage:arraignment"
    assert flag.cause == (
        "Arraignment due by 2026-11-25 needs a hearing (Arraignment); none is scheduled by "
        "then (Ariz. R. Crim. P. 14.2)"
    )

    # Too late, or of another type, or vacated: still flagged.
    add_hearing(court, court.rivera, "arraignment", local(2026, 11, 26, 9, 0))
    add_hearing(court, court.rivera, "motion", local(2026, 11, 24, 9, 0))
    add_hearing(court, court.rivera, "arraignment", local(2026, 11, 23, 9, 0), "vacated")
    assert run().total_resolved == 0

    # Late on the due date in court time (after midnight UTC) is in time.
    add_hearing(court, court.rivera, "arraignment", local(2026, 11, 25, 23, 30))
    result = run()
    assert result.resolved["unscheduled"] == 1
    assert flags("unscheduled", open_only=True) == []


def test_a_stage_already_overdue_is_not_also_unscheduled(court):
    add_deadline(court.rivera, "arraignment", date(2026, 11, 19))
    run()
    assert [f.kind for f in flags()] == ["overdue"]


# --- outcome missing ----------------------------------------------------------------------------


def test_a_past_hearing_without_an_outcome_is_a_clerk_to_do_until_recorded(court):
    past = add_hearing(court, court.rivera, "arraignment", local(2026, 11, 18, 9, 0))
    add_hearing(court, court.ortiz, "motion", local(2026, 11, 20, 8, 0))  # today: not yet
    add_hearing(court, court.ortiz, "motion", local(2026, 11, 17, 8, 0), "held")
    run()
    (flag,) = flags("outcome_missing")
    assert flag.subject == f"hearing:{past.id}"
    assert flag.severity == "warning"
    assert flag.due_on == date(2026, 11, 18)
    assert flag.cause.startswith("Arraignment of 2026-11-18 has no outcome")

    db.session.execute(update(Hearing).where(Hearing.id == past.id).values(status="held"))
    db.session.commit()
    assert run().resolved["outcome_missing"] == 1
    assert flags("outcome_missing", open_only=True) == []


def test_a_hearing_late_in_the_evening_counts_on_its_court_day(court):
    add_hearing(court, court.rivera, "motion", local(2026, 11, 19, 23, 0))  # 05:00 UTC 20th
    run()
    (flag,) = flags("outcome_missing")
    assert flag.due_on == date(2026, 11, 19)


# --- documents -------------------------------------------------------------------------------


def test_documents_due_soon_and_late(court):
    add_deadline(
        court.rivera,
        "state_initial_disclosure",
        date(2026, 11, 19),
        kind="document",
        name="State's initial disclosure",
        citation="Ariz. R. Crim. P. 15.1",
    )
    add_deadline(
        court.rivera,
        "defense_disclosure",
        date(2026, 11, 23),
        kind="document",
        name="Defendant's disclosure",
    )
    add_deadline(court.ortiz, "defense_disclosure", date(2026, 11, 30), kind="document")
    run()
    found = {f.subject: f for f in flags("document_due")}
    assert set(found) == {"document:state_initial_disclosure", "document:defense_disclosure"}
    late = found["document:state_initial_disclosure"]
    assert late.severity == "warning"
    assert late.cause == (
        "State's initial disclosure from the prosecution was due 2026-11-19, not filed "
        "(Ariz. R. Crim. P. 15.1)"
    )
    soon = found["document:defense_disclosure"]
    assert soon.severity == "info"
    assert soon.cause == "Defendant's disclosure from the defense is due by 2026-11-23, not filed"

    recompute_as(court.rivera, "state_initial_disclosure", status="met_late", satisfied_on=TODAY)
    result = run()
    assert result.resolved["document_due"] == 1
    assert [f.subject for f in flags("document_due", open_only=True)] == [
        "document:defense_disclosure"
    ]


# --- cases that stop being active ------------------------------------------------------------


@pytest.mark.parametrize("status", ["inactive", "disposed"])
def test_flags_of_a_case_no_longer_active_resolve_and_none_are_raised(court, status):
    add_deadline(court.rivera, "arraignment", date(2026, 11, 18))
    add_deadline(court.ortiz, "arraignment", date(2026, 11, 18))
    run()
    assert len(flags(open_only=True)) == 2
    case = court.rivera
    case.status = status
    if status == "disposed":
        case.disposition_type = "dismissed"
        case.disposition_date = TODAY
    db.session.commit()
    result = run()
    assert result.resolved["overdue"] == 1
    assert [f.case_id for f in flags(open_only=True)] == [court.ortiz.id]


def test_the_result_counts_and_summarises(court):
    add_deadline(court.rivera, "arraignment", date(2026, 11, 18))
    add_deadline(court.ortiz, "arraignment", date(2026, 11, 24), warn_on=date(2026, 11, 18))
    result = run()
    summary = result.summary()
    assert summary["kinds"]["overdue"] == {"raised": 1, "resolved": 0, "refreshed": 0, "open": 1}
    assert summary["kinds"]["approaching"]["open"] == 1
    assert summary["kinds"]["unscheduled"]["open"] == 1
    assert result.total_raised == 3
    assert "3 raised" in result.headline()


# --- through the plan engine ------------------------------------------------------------------


def test_the_real_plan_s_arraignment_deadline_is_swept(court):
    from docket.clock import court_today
    from docket.deadlines.service import recompute_case

    filed = court_today() - timedelta(days=2)  # recompute computes as of the real today
    db.session.add(
        CaseEvent(
            case_id=court.rivera.id,
            event_type="complaint_filed",
            occurred_on=filed,
            recorded_at=datetime.now(UTC),
        )
    )
    recompute_case(court.rivera)
    db.session.commit()
    row = db.session.scalar(
        select(Deadline).where(
            Deadline.case_id == court.rivera.id, Deadline.item_id == "arraignment"
        )
    )
    assert row.status == "pending" and row.due_on is not None
    # Before the warning lead: a hearing is needed and none is set.
    run(row.due_on - timedelta(days=5))
    assert [(f.kind, f.subject) for f in flags(open_only=True)] == [
        ("unscheduled", "stage:arraignment")
    ]
    run(row.due_on + timedelta(days=1))
    open_flags = flags(open_only=True)
    assert [(f.kind, f.subject) for f in open_flags] == [("overdue", "stage:arraignment")]
    assert open_flags[0].cause == (
        f"Arraignment deadline was {row.due_on.isoformat()} (Ariz. R. Crim. P. 14.2)"
    )
