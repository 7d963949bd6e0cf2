"""Continuing, vacating and recording the outcome of a hearing (issue 4, items 4 and 5): what
each change saves (settings history, freed slot, excludable period, case events, case status,
deadlines), what a bad form says beside the field while saving nothing, the optimistic lock,
and who may use the pages."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from docket.calendar import changes
from docket.calendar.changes import ChangeError
from docket.clock import court_today, court_zone
from docket.core.plan import load_plan
from docket.extensions import db
from docket.models import (
    AuditLogEntry,
    CalendarSession,
    Case,
    CaseEvent,
    Deadline,
    Hearing,
    HearingSetting,
    TollingPeriod,
)
from tests.conftest import sign_in
from tests.isolated_client import isolated_client

ROOT = Path(__file__).resolve().parents[1]


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def calendar_court(app, court):
    """The small court of tests/factories.py."""
    return court


def signed_in(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


@pytest.fixture
def clerk(app, calendar_court):
    return signed_in(app, "clerk@cir1.test")


def make_hearing(
    court,
    hearing_type: str = "arraignment",
    days_from_today: int = 7,
    slot: int = 0,
    case: Case | None = None,
    with_setting: bool = True,
) -> int:
    """A session at 9:00 court time on that day, and a hearing in `slot` of it, set once."""
    case = case or court.rivera
    day = court_today() + timedelta(days=days_from_today)
    zone = court_zone()
    starts = datetime.combine(day, time(9, 0), tzinfo=zone)
    session = db.session.scalar(
        select(CalendarSession).where(CalendarSession.session_date == day)
    ) or CalendarSession(
        court_id=court.court.id,
        judge_id=court.judge_okafor.id,
        courtroom_id=court.courtroom.id,
        name="Morning calendar",
        session_date=day,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        hearing_types=[hearing_type],
        capacity=12,
        slot_minutes=15,
    )
    db.session.add(session)
    db.session.flush()
    hearing = Hearing(
        case_id=case.id,
        hearing_type=hearing_type,
        starts_at=starts + timedelta(minutes=15 * slot),
        ends_at=starts + timedelta(minutes=15 * (slot + 1)),
        courtroom_id=court.courtroom.id,
        judge_id=court.judge_okafor.id,
        calendar_session_id=session.id,
        slot=slot,
        status="scheduled",
    )
    db.session.add(hearing)
    db.session.flush()
    if with_setting:
        db.session.add(
            HearingSetting(
                hearing_id=hearing.id,
                case_id=case.id,
                hearing_type=hearing_type,
                number=1,
                starts_at=hearing.starts_at,
                ends_at=hearing.ends_at,
                courtroom_id=hearing.courtroom_id,
                judge_id=hearing.judge_id,
                calendar_session_id=session.id,
                set_by_id=court.clerk.id,
                overridden=[],
            )
        )
    db.session.commit()
    return hearing.id


def fresh(model, ident):
    db.session.rollback()  # see what the requests committed
    db.session.expire_all()
    return db.session.get(model, ident)


def settings(hearing_id: int) -> list[HearingSetting]:
    db.session.rollback()
    return db.session.scalars(
        select(HearingSetting)
        .where(HearingSetting.hearing_id == hearing_id)
        .order_by(HearingSetting.number)
    ).all()


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions() -> list[str]:
    db.session.rollback()
    return db.session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id)).all()


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field: str) -> str:
    found = re.search(
        rf'<p class="error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def form_errors(response) -> str:
    found = re.search(
        r'<div class="form-errors" role="alert">(.*?)</div>', response.get_data(as_text=True), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def version_of(hearing_id: int) -> str:
    return str(fresh(Hearing, hearing_id).version)


def continue_form(hearing_id: int, **fields) -> dict:
    return {
        "version": version_of(hearing_id),
        "requester": "defense",
        "reason": "discovery_incomplete",
        "note": "",
        "code": "r8_5",
        "next_step": "later",
        **fields,
    }


# --- continuances ------------------------------------------------------------------------------


def test_continue_page_shows_the_hearing_and_the_plans_categories(clerk, calendar_court):
    hearing_id = make_hearing(calendar_court, days_from_today=7)
    page = clerk.get(f"/hearings/{hearing_id}/continue")
    assert page.status_code == 200
    body = text(page)
    day = court_today() + timedelta(days=7)
    assert "Arraignment" in body and f"{day:%b} {day.day}, {day.year} 9:00 AM" in body
    assert "3A" in body and "Hon. Adaeze Okafor" in body
    assert "2026-CR-000001" in body and "State v. Rivera" in body
    # The state plan's Rule 8.5 continuance is pre-selected, shown with its citation.
    assert re.search(
        r'<option selected value="r8_5">Continuance granted under Rule 8.5 \(Ariz', body
    )
    assert "Judge found the delay excludable" in body
    assert "Set a new date now" in body and "Continue to a date to be set" in body


def test_default_excludable_code_per_plan(app_context):
    federal = load_plan(ROOT / "rules" / "us-district-sta-2026.toml")
    state = load_plan(ROOT / "rules" / "state-dcm-2026.toml")
    assert changes.default_excludable_code(federal) == "h7A"
    assert federal.excludable_category("h7A").name.startswith("Ends-of-justice continuance")
    assert changes.default_excludable_code(state) == "r8_5"


def test_excludable_continuance_frees_the_slot_ends_the_setting_and_stops_the_clock(
    clerk, calendar_court
):
    court = calendar_court
    hearing_id = make_hearing(court)
    response = clerk.post(
        f"/hearings/{hearing_id}/continue",
        data=continue_form(hearing_id, excludable="y", note="Lab report outstanding."),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{court.rivera.id}")

    hearing = fresh(Hearing, hearing_id)
    assert hearing.status == "continued"
    assert (hearing.continuance_requester, hearing.continuance_reason) == (
        "defense",
        "discovery_incomplete",
    )
    assert hearing.slot is None
    [setting] = settings(hearing_id)
    assert setting.ended == "continued" and setting.ended_by_id == court.clerk.id
    assert setting.ended_at is not None
    assert setting.continuance_requester == "defense"
    assert setting.continuance_reason == "discovery_incomplete"
    assert setting.note == "Lab report outstanding."

    [period] = db.session.scalars(select(TollingPeriod)).all()
    assert period.case_id == court.rivera.id and period.code == "r8_5"
    assert period.starts_on == court_today() and period.ends_on is None
    assert f"hearing {hearing_id}" in period.reason and "defense" in period.reason
    assert "discovery incomplete" in period.reason
    assert setting.tolling_period_id == period.id
    assert audit_actions()[-2:] == ["hearing_continued", "excludable_period_added"]

    # The slot is free: another case's hearing can take slot 0 of the same session.
    other = make_hearing(court, days_from_today=7, slot=0, case=court.ortiz)
    assert fresh(Hearing, other).slot == 0


def test_continuance_without_a_finding_adds_no_period_and_goes_to_reschedule(clerk, calendar_court):
    hearing_id = make_hearing(calendar_court)
    response = clerk.post(
        f"/hearings/{hearing_id}/continue",
        data=continue_form(
            hearing_id, requester="prosecution", reason="witness_unavailable", next_step="now"
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hearings/{hearing_id}/reschedule")
    assert count(TollingPeriod) == 0
    assert fresh(Hearing, hearing_id).status == "continued"
    assert settings(hearing_id)[0].tolling_period_id is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"excludable": "y", "code": "h7A"}, "code", "'h7A' is not one"),
        ({"excludable": "y", "code": ""}, "code", "Choose the excludable category"),
        ({"reason": "bogus"}, "reason", "Choose the reason"),
        ({"requester": "victim"}, "requester", "Choose who asked"),
        ({"reason": "other", "note": "  "}, "note", "Say why in the note"),
    ],
)
def test_bad_continuance_is_refused_beside_the_field_and_saves_nothing(
    clerk, calendar_court, fields, field, message
):
    hearing_id = make_hearing(calendar_court)
    audits = len(audit_actions())
    response = clerk.post(
        f"/hearings/{hearing_id}/continue", data=continue_form(hearing_id, **fields)
    )
    assert response.status_code == 200
    assert message in field_error(response, field)
    hearing = fresh(Hearing, hearing_id)
    assert (hearing.status, hearing.slot, hearing.continuance_reason) == ("scheduled", 0, None)
    assert settings(hearing_id)[0].ended is None
    assert count(TollingPeriod) == 0
    assert len(audit_actions()) == audits


def test_service_refuses_a_code_of_another_plan(calendar_court):
    court = calendar_court
    hearing = db.session.get(Hearing, make_hearing(court))
    with pytest.raises(ChangeError) as refused:
        changes.continue_hearing(
            hearing,
            {"requester": "court", "reason": "court_congestion", "excludable": True, "code": "h8"},
            court.clerk,
        )
    assert refused.value.field == "code"
    assert fresh(Hearing, hearing.id).status == "scheduled"


def test_continuing_a_hearing_without_settings_starts_its_history(calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, with_setting=False)
    hearing = db.session.get(Hearing, hearing_id)
    changes.continue_hearing(
        hearing, {"requester": "joint", "reason": "plea_negotiations"}, court.clerk
    )
    [setting] = settings(hearing_id)
    assert setting.number == 1 and setting.ended == "continued"
    assert setting.continuance_requester == "joint"
    assert setting.starts_at == fresh(Hearing, hearing_id).starts_at


def test_only_a_scheduled_hearing_can_be_continued(clerk, calendar_court):
    hearing_id = make_hearing(calendar_court)
    hearing = db.session.get(Hearing, hearing_id)
    hearing.status = "vacated"
    hearing.slot = None
    db.session.commit()
    response = clerk.post(f"/hearings/{hearing_id}/continue", data=continue_form(hearing_id))
    assert "only a scheduled hearing can be continued" in form_errors(response)
    assert fresh(Hearing, hearing_id).continuance_requester is None


def test_a_stale_form_is_refused(clerk, calendar_court):
    hearing_id = make_hearing(calendar_court)
    data = continue_form(hearing_id)
    # Someone else changes the hearing after the clerk opened the form.
    hearing = db.session.get(Hearing, hearing_id)
    hearing.interpreter_language = "Spanish"
    db.session.commit()
    response = clerk.post(f"/hearings/{hearing_id}/continue", data=data)
    assert response.status_code == 200
    assert re.search(r"changed by someone else at \d\d:\d\d; reload", form_errors(response))
    assert fresh(Hearing, hearing_id).status == "scheduled"
    assert settings(hearing_id)[0].ended is None

    outcome = clerk.post(
        f"/hearings/{hearing_id}/vacate", data={"version": data["version"], "reason": "x"}
    )
    assert "changed by someone else" in form_errors(outcome)
    assert fresh(Hearing, hearing_id).status == "scheduled"


# --- vacating ----------------------------------------------------------------------------------


def test_vacated_hearing_stays_in_history(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court)
    page = clerk.get(f"/hearings/{hearing_id}/vacate")
    assert page.status_code == 200 and "Hon. Adaeze Okafor" in text(page)
    empty = clerk.post(
        f"/hearings/{hearing_id}/vacate", data={"version": version_of(hearing_id), "reason": ""}
    )
    assert "Enter why the hearing is vacated." in field_error(empty, "reason")
    assert fresh(Hearing, hearing_id).status == "scheduled"

    response = clerk.post(
        f"/hearings/{hearing_id}/vacate",
        data={"version": version_of(hearing_id), "reason": "Set in error."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{court.rivera.id}")
    hearing = fresh(Hearing, hearing_id)
    assert (hearing.status, hearing.slot) == ("vacated", None)
    [setting] = settings(hearing_id)
    assert (setting.ended, setting.note) == ("vacated", "Set in error.")
    assert audit_actions()[-1] == "hearing_vacated"
    # Still among the case's hearings, marked vacated.
    assert db.session.scalars(
        select(Hearing.status).where(Hearing.case_id == court.rivera.id)
    ).all() == ["vacated"]
    # And the slot is free.
    make_hearing(court, slot=0, case=court.ortiz)


def test_vacating_a_continued_hearing_closes_its_open_excludable_period(calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court)
    changes.continue_hearing(
        db.session.get(Hearing, hearing_id),
        {"requester": "defense", "reason": "counsel_new", "excludable": True, "code": "r8_5"},
        court.clerk,
    )
    changes.vacate_hearing(
        fresh(Hearing, hearing_id), {"reason": "Case to be dismissed."}, court.clerk
    )
    assert fresh(Hearing, hearing_id).status == "vacated"
    [period] = db.session.scalars(select(TollingPeriod)).all()
    assert period.ends_on == court_today()
    [setting] = settings(hearing_id)
    assert setting.ended == "continued"  # the continuance stays as it was


# --- outcomes ----------------------------------------------------------------------------------


def record(client, hearing_id: int, outcome: str, note: str = ""):
    return client.post(
        f"/hearings/{hearing_id}/outcome",
        data={"version": version_of(hearing_id), "outcome_code": outcome, "note": note},
    )


def deadline_statuses(case_id: int) -> dict[str, str]:
    db.session.rollback()
    rows = db.session.execute(
        select(Deadline.item_id, Deadline.status).where(Deadline.case_id == case_id)
    ).all()
    return {row.item_id: row.status for row in rows}


def events(case_id: int) -> list[tuple[str, date]]:
    db.session.rollback()
    return [
        (row.event_type, row.occurred_on)
        for row in db.session.execute(
            select(CaseEvent.event_type, CaseEvent.occurred_on)
            .where(CaseEvent.case_id == case_id)
            .order_by(CaseEvent.id)
        )
    ]


def test_outcome_page_offers_only_the_types_outcomes(clerk, calendar_court):
    hearing_id = make_hearing(calendar_court, days_from_today=-1)
    body = text(clerk.get(f"/hearings/{hearing_id}/outcome"))
    assert "Arraigned; not-guilty plea entered" in body
    assert "Sentenced" not in body and "Verdict: guilty" not in body
    assert "Bench warrant issued" in body  # fits any hearing


def test_arraignment_outcome_starts_the_next_stages_at_once(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, days_from_today=-1)
    held_on = court_today() - timedelta(days=1)
    before = deadline_statuses(court.rivera.id)
    assert all(before.get(stage) != "pending" for stage in ("discovery", "motions", "trial"))
    case_version = fresh(Case, court.rivera.id).version

    response = record(clerk, hearing_id, "arraigned_plea_entered", "Not guilty, all counts.")
    assert response.status_code == 302
    assert events(court.rivera.id) == [("arraignment_held", held_on)]
    after = deadline_statuses(court.rivera.id)
    for stage in ("discovery", "motions", "pretrial_conference", "trial"):
        assert after[stage] == "pending", stage
    hearing = fresh(Hearing, hearing_id)
    assert (hearing.status, hearing.outcome_code, hearing.outcome) == (
        "held",
        "arraigned_plea_entered",
        "Not guilty, all counts.",
    )
    assert settings(hearing_id)[0].ended == "held"
    case = fresh(Case, court.rivera.id)
    assert case.status == "active" and case.version > case_version
    assert {"hearing_outcome_recorded", "event_recorded"} <= set(audit_actions())


def test_an_event_already_recorded_that_day_is_not_duplicated(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, days_from_today=-1)
    held_on = court_today() - timedelta(days=1)
    db.session.add(
        CaseEvent(case_id=court.rivera.id, event_type="arraignment_held", occurred_on=held_on)
    )
    db.session.commit()
    assert record(clerk, hearing_id, "arraigned_plea_entered").status_code == 302
    assert events(court.rivera.id) == [("arraignment_held", held_on)]
    assert fresh(Hearing, hearing_id).status == "held"


@pytest.mark.parametrize(
    ("earlier_event", "disposition"),
    [("plea_entered", "guilty_plea"), ("verdict", "trial_conviction")],
)
def test_sentencing_disposes_the_case(clerk, calendar_court, earlier_event, disposition):
    court = calendar_court
    db.session.add(
        CaseEvent(
            case_id=court.rivera.id,
            event_type=earlier_event,
            occurred_on=court_today() - timedelta(days=40),
        )
    )
    db.session.commit()
    hearing_id = make_hearing(court, "sentencing", days_from_today=0)
    assert record(clerk, hearing_id, "sentenced").status_code == 302
    case = fresh(Case, court.rivera.id)
    assert case.status == "disposed"
    assert case.disposition_type == disposition
    assert case.disposition_date == court_today()
    assert ("sentencing_held", court_today()) in events(court.rivera.id)
    assert deadline_statuses(court.rivera.id)["sentencing"] in {"met", "met_late"}


def test_acquittal_disposes_the_case_as_acquittal(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, "trial", days_from_today=-2)
    assert record(clerk, hearing_id, "verdict_not_guilty").status_code == 302
    case = fresh(Case, court.rivera.id)
    assert (case.status, case.disposition_type) == ("disposed", "acquittal")


def test_bench_warrant_makes_the_case_inactive(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, "status_conference", days_from_today=-1)
    held_on = court_today() - timedelta(days=1)
    assert record(clerk, hearing_id, "bench_warrant_issued").status_code == 302
    case = fresh(Case, court.rivera.id)
    assert (case.status, case.custody_status) == ("inactive", "at_large")
    assert case.disposition_type is None
    assert events(court.rivera.id) == [
        ("failure_to_appear", held_on),
        ("bench_warrant_issued", held_on),
    ]
    assert "case_moved" in audit_actions()


def test_outcome_of_another_type_or_unknown_is_refused(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, days_from_today=-1)
    wrong = record(clerk, hearing_id, "sentenced")
    assert "is not an outcome of a Arraignment" in field_error(wrong, "outcome_code")
    unknown = record(clerk, hearing_id, "bogus")
    assert "Choose the outcome from the list." in field_error(unknown, "outcome_code")
    assert fresh(Hearing, hearing_id).status == "scheduled"
    assert events(court.rivera.id) == []
    assert fresh(Case, court.rivera.id).status == "active"


def test_outcome_of_a_future_hearing_is_refused(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, days_from_today=1)
    response = record(clerk, hearing_id, "arraigned_plea_entered")
    assert response.status_code == 200
    assert "after today" in field_error(response, "outcome_code")
    assert fresh(Hearing, hearing_id).status == "scheduled"
    assert events(court.rivera.id) == []
    assert deadline_statuses(court.rivera.id).get("discovery") != "pending"


def test_outcome_cannot_be_recorded_twice(clerk, calendar_court):
    court = calendar_court
    hearing_id = make_hearing(court, days_from_today=-1)
    assert record(clerk, hearing_id, "arraigned_plea_entered").status_code == 302
    again = record(clerk, hearing_id, "dismissed")
    assert "only a scheduled hearing can be recorded as held" in form_errors(again)
    assert fresh(Case, court.rivera.id).status == "active"


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "moreno@defense.test",
        "chen@da.test",
        "okafor@cir1.test",
        "admin@cir1.test",
        "clerk@cir2.test",
    ],
)
def test_only_the_courts_clerks_may_change_hearings(app, calendar_court, email):
    hearing_id = make_hearing(calendar_court, days_from_today=-1)
    client = signed_in(app, email)
    version = version_of(hearing_id)
    for action, data in [
        ("continue", {"requester": "defense", "reason": "plea_negotiations", "next_step": "later"}),
        ("vacate", {"reason": "no"}),
        ("outcome", {"outcome_code": "arraigned_plea_entered"}),
    ]:
        assert client.get(f"/hearings/{hearing_id}/{action}").status_code == 403
        posted = client.post(f"/hearings/{hearing_id}/{action}", data={"version": version, **data})
        assert posted.status_code == 403
    hearing = fresh(Hearing, hearing_id)
    assert hearing.status == "scheduled"


def test_unknown_hearing_is_404(clerk):
    assert clerk.get("/hearings/999999/continue").status_code == 404
