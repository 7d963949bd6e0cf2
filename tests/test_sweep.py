"""The sweep: each kind of flag raised when its cause appears and resolved when it goes away,
with its history kept. Deadline rows are written as the recompute writes them (the sweep
reads only the materialized rows), plus one test through the real plan engine.

Every sweep after the first is incremental unless something forces a full one: it examines
only the cases changed since the last sweep and those with a date across a threshold since
its day. The last part of this file runs incremental sweeps night after night through every
way a cause appears or goes away and checks after each night that a full sweep of the same
day would change nothing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, update

from docket.extensions import db
from docket.models import CaseEvent, Deadline, Flag, Hearing
from docket.models.sweep_state import SweepState
from docket.sweep.service import SweepResult, sweep
from tests.factories import case as new_case

TODAY = date(2026, 11, 20)
PLAN = "state-dcm-2026"
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(autouse=True)
def no_late_commits(app):
    """The tests change rows and sweep one step after another: no transaction commits after a
    sweep began with rows stamped before it, so the sweep needs no margin for one (the margin
    has a test of its own), and the incremental sweep examines exactly what changed."""
    app.config["SWEEP_CHANGE_MARGIN_MINUTES"] = 0


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
    """What a recompute does: the case's row for the item deleted and written anew (new id,
    stamped now)."""
    old = db.session.scalar(
        select(Deadline).where(Deadline.case_id == case.id, Deadline.item_id == item_id)
    )
    values = {
        column.name: getattr(old, column.key)
        for column in Deadline.__table__.columns
        if column.name not in ("id", "case_id", "item_id", "due_on", "kind", "computed_at")
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


# --- documents: a response to each motion -----------------------------------------------


def test_a_response_owed_to_a_motion_names_the_side_that_owes_it_full_and_incremental(court):
    def response(case, motion: int, due_on: date) -> None:
        name = f"Response to motion #{motion}"
        # owed by the other side of the defense's motion
        add_deadline(case, f"motion_response#{motion}", due_on, kind="document", name=name,
                     owed_by="prosecution")  # fmt: skip

    response(court.rivera, 3, date(2026, 11, 19))
    assert run().mode == "full"
    (late,) = flags("document_due")
    assert late.cause == "Response to motion #3 from the prosecution was due 2026-11-19, not filed"

    response(court.ortiz, 5, date(2026, 11, 23))
    assert run().mode == "incremental"  # reads its copy of the changed case's deadlines
    soon = next(f for f in flags("document_due") if f.case_id == court.ortiz.id)
    assert (
        soon.cause == "Response to motion #5 from the prosecution is due by 2026-11-23, not filed"
    )


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


# --- incremental sweeps: the same flags as a full sweep, night after night ------------------


def open_flags() -> set[tuple]:
    return {
        (f.case_id, f.defendant_id, f.kind, f.subject, f.severity, f.cause, f.due_on)
        for f in flags(open_only=True)
    }


def open_counts() -> dict:
    counts: dict = {}
    for f in flags(open_only=True):
        by = counts.setdefault(f.kind, {})
        by[f.severity] = by.get(f.severity, 0) + 1
    return counts


def night(today: date) -> SweepResult:
    """The nightly sweep, which must be incremental; then a full sweep of the same day, rolled
    back: it must find nothing to raise, resolve or refresh."""
    result = run(today)
    assert result.mode == "incremental", result.reason
    after = open_flags()
    assert result.open == open_counts()  # carried forward, not counted
    full = sweep(today, full=True)
    assert full.mode == "full"
    found = open_flags()
    db.session.rollback()
    assert found == after
    assert (full.total_raised, full.total_resolved, full.total_refreshed) == (0, 0, 0)
    assert open_flags() == after
    return result


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def open_kinds(case) -> dict[str, str]:
    return {
        f.subject + " " + f.kind: f.severity for f in flags(open_only=True) if f.case_id == case.id
    }


def test_the_first_sweep_is_full_and_the_next_ones_incremental(court):
    first = run()
    assert (first.mode, first.reason) == ("full", "no sweep recorded")
    assert first.summary()["mode"] == "full"
    state = db.session.get(SweepState, 1)
    assert state.swept_for == TODAY and state.mode == "full"
    assert state.full_started_at == state.started_at
    again = run()
    assert (again.mode, again.cases) == ("incremental", 0)  # nothing changed, no day passed
    assert "incremental, 0 active cases" in again.headline()
    add_deadline(court.rivera, "discovery", days(30))
    result = run(days(1))
    assert (result.mode, result.cases) == ("incremental", 1)  # rivera changed; ortiz did not


def test_a_full_sweep_when_asked_when_settings_or_plans_change_or_the_day_goes_back(app, court):
    run()
    assert sweep(TODAY, full=True).reason == "asked for"
    db.session.commit()
    app.config["DOCUMENT_DUE_SOON_DAYS"] = 5
    assert run().reason == "plans or settings changed"
    assert run().mode == "incremental"
    app.config["PLAN_FILES"] = ["rules/state-dcm-2026.toml", "rules/us-district-sta-2026.toml"]
    assert run().reason == "plans or settings changed"
    assert run(days(-1)).reason == "the last sweep was for a later day (2026-11-20)"
    assert run(days(13)).mode == "incremental"  # 14 days after the last: at the limit
    assert run(days(28)).reason == "the last sweep was for 2026-12-03"
    app.config["SWEEP_INCREMENTAL_MAX_DAYS"] = 30
    assert run(days(58)).mode == "incremental"


def test_a_row_stamped_before_the_last_sweep_began_but_committed_after_is_examined(app, court):
    """A transaction that stamped its rows just before a sweep began reading, and committed
    after it had read, is examined by the next sweep: the margin (an hour by default)."""
    app.config["SWEEP_CHANGE_MARGIN_MINUTES"] = 60
    run()
    began = db.session.get(SweepState, 1).started_at
    add_deadline(court.rivera, "discovery", days(-2), computed_at=began - timedelta(minutes=5))
    result = run(days(1))
    assert result.mode == "incremental"
    assert result.raised["overdue"] == 1


def test_overdue_by_date_alone_rolled_forward_tolled_and_met(court):
    add_deadline(court.rivera, "discovery", days(2), warn_on=days(-5))  # no hearing needed
    add_deadline(court.ortiz, "discovery", days(1), rolled_to=days(3))  # a Saturday, rolled
    add_deadline(court.ortiz, "motions", days(-1), status="tolled")
    add_deadline(court.rivera, "sentencing", days(-30), status="missed")
    run()
    assert open_kinds(court.ortiz) == {"stage:motions overdue": "critical"}
    night(days(1))
    night(days(2))  # due today: not yet overdue
    assert "stage:discovery overdue" not in open_kinds(court.rivera)
    result = night(days(3))
    assert result.raised["overdue"] == 1 and result.resolved["approaching"] == 1
    assert open_kinds(court.rivera)["stage:discovery overdue"] == "critical"
    assert "stage:discovery overdue" not in open_kinds(court.ortiz)  # rolled to today
    night(days(4))
    assert open_kinds(court.ortiz)["stage:discovery overdue"] == "critical"
    recompute_as(court.rivera, "sentencing", status="met_late", satisfied_on=days(4))
    recompute_as(court.ortiz, "motions", status="met_late", satisfied_on=days(4))
    result = night(days(5))
    assert result.resolved["overdue"] == 2
    assert result.cases == 2  # only the two recomputed cases are examined


def test_approaching_by_date_alone_and_a_warning_date_moved(court):
    add_deadline(court.rivera, "discovery", days(10), warn_on=days(3))
    add_deadline(court.ortiz, "discovery", days(12), warn_on=days(5), rolled_to=days(14))
    # A warning date earlier than the plans' longest lead (21 days): approaching from 21 days
    # before the due date only.
    early = new_case(court.court, "2026-CR-000003", "Doe", court.judge_lind)
    db.session.commit()
    add_deadline(early, "discovery", days(30), warn_on=days(-10))
    run()
    assert flags("approaching") == []
    night(days(2))
    assert night(days(3)).raised["approaching"] == 1
    recompute_as(court.rivera, "discovery", warn_on=days(6))  # the plan's lead shortened
    assert night(days(4)).resolved["approaching"] == 1
    result = night(days(6))  # both (three nights crossed at once: days 5 and 6)
    assert result.raised["approaching"] == 2
    assert open_kinds(early) == {}
    night(days(11))  # rivera's is overdue now; ortiz's rolled to day 14 still approaches
    assert open_kinds(court.ortiz)["stage:discovery approaching"] == "warning"
    assert open_kinds(court.rivera)["stage:discovery overdue"] == "critical"
    assert open_kinds(early) == {"stage:discovery approaching": "warning"}
    night(days(15))
    assert open_kinds(court.ortiz) == {"stage:discovery overdue": "critical"}


def test_a_speedy_trial_clock_by_date_alone_and_recomputed(app, court):
    rivera, ortiz = court.rivera.defendants[0], court.ortiz.defendants[0]
    add_deadline(court.rivera, "trial", days(16), kind="clock", defendant_id=rivera.id)
    add_deadline(court.ortiz, "trial", days(40), kind="clock", defendant_id=ortiz.id)
    run()
    night(days(1))
    assert flags("speedy_trial") == []
    assert night(days(2)).raised["speedy_trial"] == 1  # 14 days left
    night(days(16))  # the last day: still a warning
    assert open_kinds(court.rivera) == {f"clock:trial:{rivera.id} speedy_trial": "warning"}
    result = night(days(17))
    assert (result.raised["speedy_trial"], result.resolved["speedy_trial"]) == (1, 1)
    assert open_kinds(court.rivera) == {f"clock:trial:{rivera.id} speedy_trial": "critical"}
    # Excludable time recomputes ortiz's clock to an earlier end: flagged at once.
    recompute_as(court.ortiz, "trial", due_on=days(25))
    assert night(days(18)).raised["speedy_trial"] == 1
    recompute_as(court.rivera, "trial", status="met_late", satisfied_on=days(18))
    assert night(days(19)).resolved["speedy_trial"] == 1


def test_unscheduled_as_hearings_are_set_continued_and_vacated(court):
    add_deadline(court.rivera, "motions", days(10), warn_on=days(3))
    add_deadline(court.ortiz, "pretrial_conference", days(6), warn_on=days(-1))
    run()
    assert len(flags("unscheduled", open_only=True)) == 2
    hearing = add_hearing(court, court.rivera, "motion", local(2026, 11, 29, 9, 0))
    result = night(days(1))
    assert result.resolved["unscheduled"] == 1 and result.cases == 1
    hearing.starts_at = local(2026, 12, 2, 9, 0)  # continued past the due date
    hearing.ends_at = local(2026, 12, 2, 9, 30)
    db.session.commit()
    assert night(days(2)).raised["unscheduled"] == 1
    hearing.starts_at, hearing.ends_at = local(2026, 11, 30, 9, 0), local(2026, 11, 30, 10, 0)
    db.session.commit()
    assert night(days(3)).resolved["unscheduled"] == 1
    hearing.status = "vacated"
    db.session.commit()
    assert night(days(4)).raised["unscheduled"] == 1
    # Past its due date a stage is overdue, no longer unscheduled.
    result = night(days(7))
    assert result.resolved["unscheduled"] == 1  # ortiz's
    assert open_kinds(court.ortiz) == {"stage:pretrial_conference overdue": "critical"}


def test_outcome_missing_from_the_court_day_after_the_hearing(court):
    late = add_hearing(court, court.rivera, "motion", local(2026, 11, 21, 23, 0))  # 05:00 UTC
    early = add_hearing(court, court.ortiz, "motion", local(2026, 11, 22, 0, 30))
    third = new_case(court.court, "2026-CR-000003", "Doe", court.judge_lind)
    db.session.commit()
    midnight = add_hearing(court, third, "motion", local(2026, 11, 21, 23, 45))  # to 00:15
    run()
    night(days(1))  # the 21st: all still ahead or under way
    assert flags("outcome_missing") == []
    result = night(days(2))  # the 22nd began: the 21st's hearing has no outcome
    assert [f.subject for f in flags("outcome_missing")] == [f"hearing:{late.id}"]
    assert result.cases == 1  # only rivera's hearing ended on a day now past
    night(days(3))  # the 23rd: the 22nd's, and the one that ended after midnight
    assert {f.subject for f in flags("outcome_missing", open_only=True)} == {
        f"hearing:{late.id}",
        f"hearing:{early.id}",
        f"hearing:{midnight.id}",
    }
    late.status = "held"
    db.session.commit()
    assert night(days(3)).resolved["outcome_missing"] == 1
    early.status = "continued"
    early.continuance_requester = "defense"
    db.session.commit()
    assert night(days(4)).resolved["outcome_missing"] == 1
    assert [f.subject for f in flags("outcome_missing", open_only=True)] == [
        f"hearing:{midnight.id}"
    ]


def test_documents_due_soon_then_late_then_filed(court):
    add_deadline(court.rivera, "defense_disclosure", days(5), kind="document")
    add_deadline(court.ortiz, "motion_response", days(3), kind="document")
    run()
    assert [f.case_id for f in flags("document_due")] == [court.ortiz.id]
    assert night(days(2)).raised["document_due"] == 1  # rivera's: 3 days left
    assert open_kinds(court.ortiz) == {"document:motion_response document_due": "info"}
    night(days(4))
    assert open_kinds(court.ortiz) == {"document:motion_response document_due": "warning"}
    recompute_as(court.ortiz, "motion_response", status="met_late", satisfied_on=days(4))
    assert night(days(4)).resolved["document_due"] == 1
    assert night(days(6)).raised["document_due"] == 1  # rivera's late now
    assert open_kinds(court.rivera) == {"document:defense_disclosure document_due": "warning"}


def test_a_case_leaving_and_coming_back_to_active_status(court):
    add_deadline(court.rivera, "discovery", days(-3))
    add_deadline(court.ortiz, "discovery", days(-3))
    run()
    court.rivera.status = "inactive"  # a bench warrant
    db.session.commit()
    result = night(days(1))
    assert result.resolved["overdue"] == 1 and result.cases == 0  # examined, not active
    assert [f.case_id for f in flags(open_only=True)] == [court.ortiz.id]
    court.rivera.status = "active"  # the warrant returned
    db.session.commit()
    assert night(days(2)).raised["overdue"] == 1
    assert len(flags(open_only=True)) == 2


STAGE_LEADS = {
    "arraignment": 3,
    "discovery": 7,
    "motions": 7,
    "pretrial_conference": 7,
    "trial": 21,
    "sentencing": 14,
}
DOCUMENTS = ["state_initial_disclosure", "defense_disclosure", "motion_response", "exhibit_lists"]
TYPES = ["arraignment", "motion", "pretrial_conference", "trial", "sentencing"]


def scattered_court(rng: random.Random, court) -> list:
    """Eight cases with every kind of deadline and hearings scattered over the next weeks, in
    every status, with and without warning dates and roll-forwards, hearings early in the
    morning and late at night."""
    cases = [court.rivera, court.ortiz]
    for n in range(6):
        judge = court.judge_okafor if n % 2 else court.judge_lind
        cases.append(new_case(court.court, f"2026-CR-1000{n}", f"Doe{n}", judge))
    db.session.commit()
    for case in cases:
        for item, lead in STAGE_LEADS.items():
            scatter_deadline(rng, case, "stage", item, lead)
        scatter_deadline(rng, case, "clock", "trial", 0, defendant_id=case.defendants[0].id)
        for item in DOCUMENTS:
            scatter_deadline(rng, case, "document", item, 0)
        for _ in range(3):
            scatter_hearing(rng, court, case)
    db.session.commit()
    return cases


def scatter_deadline(rng, case, kind, item, lead, **fields) -> None:
    status = rng.choice(["pending"] * 5 + ["tolled", "missed", "met", "not_applicable"])
    due = days(rng.randint(-4, 40))
    # A warning date at the stage's lead, none, or earlier than the plans' longest lead.
    warn = rng.choice([lead, lead, 30, None]) if lead else None
    values = {
        "name": item.replace("_", " ").capitalize(),
        "plan_version": PLAN,
        "status": status,
        "citation": rng.choice([None, "Ariz. R. Crim. P. 8"]),
        "explanation": [],
        "excluded_periods": [],
        "computed_for": TODAY,
        "warn_on": due - timedelta(days=warn) if warn is not None else None,
        "rolled_to": due + timedelta(days=rng.randint(1, 3)) if rng.random() < 0.3 else None,
        "satisfied_on": due if status == "met" or rng.random() < 0.2 else None,
        **fields,
    }
    db.session.add(Deadline(case_id=case.id, kind=kind, item_id=item, due_on=due, **values))


def scatter_hearing(rng, court, case) -> Hearing:
    day = days(rng.randint(-3, 35))
    starts = datetime(day.year, day.month, day.day, rng.choice([0, 8, 13, 23]), 30, tzinfo=CHICAGO)
    hearing = Hearing(
        case_id=case.id,
        hearing_type=rng.choice(TYPES),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=rng.choice([30, 240])),
        courtroom_id=court.courtroom.id,
        judge_id=case.assigned_judge_id,
        status=rng.choice(["scheduled"] * 4 + ["held", "vacated"]),
    )
    db.session.add(hearing)
    return hearing


def a_day_of_work(rng: random.Random, court, cases: list, today: date) -> None:
    """What a court's day changes, through the ORM as the application changes it."""
    for _ in range(rng.randint(0, 3)):
        case = rng.choice(cases)
        change = rng.choice(["recompute", "recompute", "hearing", "book", "status"])
        if change == "recompute":  # the case's rows rewritten, one of them different
            rows = db.session.scalars(select(Deadline).where(Deadline.case_id == case.id)).all()
            row = rng.choice(rows)
            values = {
                column.key: getattr(row, column.key)
                for column in Deadline.__table__.columns
                if column.key not in ("id", "computed_at")
            }
            db.session.execute(delete(Deadline).where(Deadline.case_id == case.id))
            for other in rows:
                if other is not row:
                    db.session.add(
                        Deadline(
                            **{
                                column.key: getattr(other, column.key)
                                for column in Deadline.__table__.columns
                                if column.key not in ("id", "computed_at")
                            }
                        )
                    )
            what = rng.choice(["met", "moved", "missed", "pending"])
            if what == "met":
                values.update(status="met_late", satisfied_on=today)
            elif what == "moved":
                shift = timedelta(days=rng.randint(-5, 10))
                values["due_on"] = values["due_on"] + shift
                if values["warn_on"]:
                    values["warn_on"] += shift
            else:
                values.update(status=what, satisfied_on=None)
            db.session.add(Deadline(**values))
        elif change == "hearing":
            hearings = db.session.scalars(select(Hearing).where(Hearing.case_id == case.id))
            hearing = rng.choice(hearings.all())
            outcome = rng.choice(["held", "vacated", "moved"])
            if outcome == "moved":
                shift = timedelta(days=rng.randint(1, 7))
                hearing.starts_at += shift
                hearing.ends_at += shift
                hearing.status = "scheduled"
            else:
                hearing.status = outcome
        elif change == "book":
            scatter_hearing(rng, court, case)
        elif case.status == "active":
            case.status = "inactive"
        else:
            case.status = "active"
        db.session.commit()


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_nights_flag_exactly_what_full_sweeps_flag(court, seed):
    rng = random.Random(seed)
    cases = scattered_court(rng, court)
    first = run()
    assert first.mode == "full" and first.total_raised > 20
    today, examined, changed = TODAY, [], 0
    for _ in range(30):
        gap = rng.choice([1] * 6 + [0, 2, 3])  # now and then the same day again, or a gap
        today += timedelta(days=gap)
        before = open_flags()
        a_day_of_work(rng, court, cases, today)
        result = night(today)
        examined.append(result.cases)
        changed += open_flags() != before
    assert changed >= 10  # the nights did raise and resolve flags
    assert min(examined) < len(cases)  # and some examined fewer than every case
