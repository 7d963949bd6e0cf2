"""Sealed cases on the calendar's and the administrator's pages, beside
tests/test_sealed_everywhere.py: what the court (the clerk, the case's judge) still sees there,
and what the administrator and other judges do not: a sealed case's hearing outcome and setting
on the day board, its caption on a session's page and in what materializing reports, the batch
scheduler (the clerk's office's alone), and the plan preview's examples (the administrator's
court's cases they may see, no other court's)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from docket.calendar import sessions as service
from docket.clock import court_today
from docket.deadlines import plans
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.filings import service as filings
from docket.filings.service import NewEntry
from docket.models import CalendarSession, CaseEvent, Hearing, Judge, PlanVersion
from tests.factories import case as make_case
from tests.sealed_court import (
    ADMIN,
    CLERK,
    LIND,
    OKAFOR,
    book,
    client_for,
    one_off_session,
    page,
    seal_rivera,
    text,
)

# --- the day board --------------------------------------------------------------------------------


def test_the_board_shows_a_sealed_hearings_outcome_and_setting_to_the_court_only(app, court):
    """Held after two settings, plea accepted: the clerk and Okafor (the case's judge) read
    both; the administrator and Lind see the number, SEALED, the type and the status only."""
    seal_rivera(court)
    day = court_today() + timedelta(days=1)
    book(
        one_off_session(court, day),
        court.rivera,
        status="held",
        outcome_code="plea_accepted",
        setting_count=2,
    )
    url = f"/calendar/day?date={day.isoformat()}&courtroom={court.courtroom.id}"
    for email in (CLERK, OKAFOR):
        body = page(client_for(app, email), url)
        assert "Guilty plea accepted" in body and "Setting 2" in body, email
        assert "State v. Rivera" in body, email
    for email in (ADMIN, LIND):
        body = page(client_for(app, email), url)
        assert "2026-CR-000001" in body and "SEALED" in body, email
        assert "Change of plea" in body and "Held" in body, email  # as the posted sheet
        assert "Guilty plea accepted" not in body and "Setting 2" not in body, email


def test_an_unsealed_hearings_outcome_stays_on_the_board_for_everyone(app, court):
    day = court_today() + timedelta(days=1)
    book(one_off_session(court, day), court.ortiz, status="held", outcome_code="plea_accepted")
    url = f"/calendar/day?date={day.isoformat()}&courtroom={court.courtroom.id}"
    for email in (ADMIN, LIND, CLERK):
        assert "Guilty plea accepted" in page(client_for(app, email), url), email


# --- a session's page and what changing sessions reports ------------------------------------------


def edit_form(session: CalendarSession, **fields) -> dict:
    values = {
        "courtroom_id": str(session.courtroom_id),
        "judge_id": str(session.judge_id),
        "start_time": "09:00",
        "end_time": "12:00",
        "slot_minutes": "15",
        "capacity": "10",
        "hearing_types": ["change_of_plea", "arraignment"],
        "status": "open",
        "closed_reason": "",
        "version": str(session.version),
    }
    values.update(fields)
    return values


def test_a_sessions_page_names_a_sealed_case_to_the_clerk_only(app, court):
    seal_rivera(court)
    session = one_off_session(court, court_today() + timedelta(days=1))
    book(session, court.rivera, 0)
    book(session, court.ortiz, 1)
    url = f"/calendar/sessions/{session.id}/edit"
    clerk = page(client_for(app, CLERK), url)
    assert "2026-CR-000001 State v. Rivera" in clerk
    admin = page(client_for(app, ADMIN), url)
    assert "2026-CR-000001 Sealed case" in admin and "Rivera" not in admin
    assert "2026-CR-000002 State v. Ortiz" in admin  # unsealed: as before


def test_closing_a_session_does_not_name_a_sealed_case_to_the_administrator(app, court):
    """The refusal listing the hearings (judge changed) and the flash after closing."""
    seal_rivera(court)
    session = one_off_session(court, court_today() + timedelta(days=1))
    book(session, court.rivera)
    url = f"/calendar/sessions/{session.id}/edit"
    admin = client_for(app, ADMIN)

    refused = admin.post(url, data=edit_form(session, judge_id=str(court.judge_lind.id)))
    assert refused.status_code == 200
    assert "2026-CR-000001 Sealed case" in text(refused) and "Rivera" not in text(refused)

    closed = admin.post(
        url,
        data=edit_form(session, status="closed", closed_reason="Judge ill"),
        follow_redirects=True,
    )
    assert "continue them: 2026-CR-000001 Sealed case" in text(closed)
    assert "Rivera" not in text(closed)


def test_an_exception_reports_a_sealed_cases_hearing_by_viewer(app, court):
    """An exception closes a template's session holding Rivera's hearing: the flash names
    the case to the clerk, only its number to the administrator."""
    today = court_today()
    day = today + timedelta(days=7)
    template = service.create_template(
        court.court.id,
        {
            "name": "Daily call",
            "judge_id": court.judge_okafor.id,
            "courtroom_id": court.courtroom.id,
            "weekdays": [day.isoweekday()],
            "start_minute": 9 * 60,
            "end_minute": 12 * 60,
            "slot_minutes": 15,
            "hearing_types": ["arraignment", "change_of_plea"],
            "capacity": 10,
            "valid_from": today,
            "valid_until": None,
        },
    )
    service.materialize(court.court.id, day, day, today=today)
    session = db.session.scalar(
        select(CalendarSession).where(CalendarSession.template_id == template.id)
    )
    session.status, session.closed_reason = "open", None  # should a holiday fall that day
    book(session, court.rivera)
    seal_rivera(court)
    closure = {
        "kind": "court_closed",
        "judge_id": "",
        "courtroom_id": "",
        "starts_on": day.isoformat(),
        "ends_on": day.isoformat(),
        "reason": "Water main break",
    }

    admin = client_for(app, ADMIN)
    flashed = text(admin.post("/calendar/exceptions", data=closure, follow_redirects=True))
    assert "need continuing: 2026-CR-000001 Sealed case" in flashed
    assert "Rivera" not in flashed

    clerk = client_for(app, CLERK)
    listed = text(clerk.post("/calendar/exceptions", data=closure, follow_redirects=True))
    assert "2026-CR-000001 State v. Rivera" in listed

    # The nightly job and the CLI are the court's own runs: their log names the case.
    night = service.materialize(court.court.id, day, day, today=today)
    assert "State v. Rivera" in night.hearings_on_closed[0]
    for user, shown in ((court.admin, "Sealed case"), (court.judge_user, "State v. Rivera")):
        summary = service.materialize(court.court.id, day, day, today=today, user=user)
        assert f"2026-CR-000001 {shown}" in summary.hearings_on_closed[0], user.email


# --- batch scheduling -----------------------------------------------------------------------------


def test_batch_scheduling_is_the_clerks_office_alone(app, court):
    """It places hearings on cases (only clerks change cases) and lists every case needing one,
    sealed ones included: the administrator is refused with the reason, and not offered it."""
    for case in (court.rivera, court.ortiz):
        filings.docket_by_clerk(case, court.clerk, NewEntry("indictment", "INDICTMENT"))
    seal_rivera(court)
    today = court_today()
    window = {"start": today.isoformat(), "end": (today + timedelta(days=60)).isoformat()}
    url = f"/calendar/batch?start={window['start']}&end={window['end']}"

    clerk_view = page(client_for(app, CLERK), url)
    assert "2026-CR-000001" in clerk_view and "2026-CR-000002" in clerk_view

    admin = client_for(app, ADMIN)
    for response in (
        admin.get(url),
        admin.get("/calendar/batch"),
        admin.post("/calendar/batch", data={**window, "judge": "", "digest": "x"}),
    ):
        assert response.status_code == 403
        body = text(response)
        assert "Batch scheduling is for the clerk's office" in body
        assert "2026-CR-000001" not in body and "Rivera" not in body
    assert db.session.scalar(select(func.count()).select_from(Hearing)) == 0
    assert "/calendar/batch" not in page(admin, "/")  # not in the administrator's menu
    assert "/calendar/batch" in page(client_for(app, CLERK), "/")


# --- the plan preview -----------------------------------------------------------------------------


def test_the_plan_preview_names_only_cases_the_administrator_may_see(app, court):
    """Rivera (sealed), Ortiz, and Far of the other court: the new version moves a deadline
    of each. The counts cover all three (activating governs them all); the examples name
    Ortiz alone."""
    from tests.test_plan_versions import NEW_PLAN, upload

    far_judge = db.session.scalar(select(Judge).where(Judge.court_id == court.other_court.id))
    far = make_case(court.other_court, "2026-CR-000009", "Far", far_judge)
    db.session.flush()
    cases = (court.rivera, court.ortiz, far)
    for case in cases:
        db.session.add(
            CaseEvent(case_id=case.id, event_type="arraignment_held", occurred_on=date(2026, 3, 10))
        )
    db.session.commit()
    deadlines.recompute([case.id for case in cases])
    db.session.commit()
    seal_rivera(court)

    admin = client_for(app, ADMIN)
    assert upload(admin, NEW_PLAN, name="state-dcm-2027.toml").status_code == 302
    version = db.session.scalar(select(PlanVersion))
    preview = page(admin, f"/admin/plans/{version.id}")
    examples = re.search(r"<h3>Examples</h3>(.*?)</table>", preview, re.S).group(1)
    assert set(re.findall(r"2026-CR-\d{6}", examples)) == {"2026-CR-000002"}
    assert "Far" not in preview and "Rivera" not in preview

    result = plans.preview(version, court.admin)
    assert result.cases_affected == 3
    assert {e["case_number"] for e in result.examples} == {"2026-CR-000002"}
    clerk_result = plans.preview(version, court.clerk)  # the court's clerk sees the sealed case
    assert {e["case_number"] for e in clerk_result.examples} == {
        "2026-CR-000001",
        "2026-CR-000002",
    }
