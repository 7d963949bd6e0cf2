"""A clerk schedules a hearing from Docket's proposals and continues it, in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from docket.cases import service as cases
from docket.clock import court_today
from docket.extensions import db
from docket.models import CalendarSession, Case, Hearing, User
from tests.browser.conftest import expect, sign_in

CHICAGO = ZoneInfo("America/Chicago")


def _at(day, hour):
    return datetime.combine(day, time(hour), CHICAGO).astimezone(UTC)


@pytest.fixture
def calendar(live_server):
    """Judge Okafor's arraignment calls next Monday and Tuesday in 3A; Rivera was indicted
    five days ago, so the plan wants an arraignment within 30 days."""
    with live_server.app.app_context():
        today = court_today()
        monday = today + timedelta(days=(0 - today.weekday()) % 7 or 7)
        rivera = db.session.get(Case, live_server.rivera_id)
        for day in (monday, monday + timedelta(days=1)):
            db.session.add(
                CalendarSession(
                    court_id=rivera.court_id, judge_id=rivera.assigned_judge_id,
                    courtroom_id=_courtroom_id(rivera),
                    session_date=day, starts_at=_at(day, 9), ends_at=_at(day, 12),
                    hearing_types=["arraignment", "status_conference"], capacity=20,
                    slot_minutes=15, name="Arraignment call",
                )
            )
        clerk = db.session.scalar(db.select(User).where(User.email == "clerk@cir1.test"))
        cases.record_event(
            rivera,
            {"event_type": "indictment_filed", "occurred_on": today - timedelta(days=5)},
            clerk,
        )
        db.session.remove()
        return {"monday": monday, "tuesday": monday + timedelta(days=1)}


def _courtroom_id(case: Case) -> int:
    from docket.models import Courtroom

    return db.session.scalar(
        db.select(Courtroom.id).where(Courtroom.court_id == case.court_id).limit(1)
    )


def test_clerk_schedules_from_the_proposals_then_continues_the_hearing(
    page, live_server, calendar, snapshot
):
    sign_in(page, "clerk@cir1.test")
    page.goto(f"/cases/{live_server.rivera_id}")
    page.get_by_role("link", name="Schedule arraignment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a hearing")
    expect(page.get_by_text("The plan: the Arraignment deadline")).to_be_visible()
    proposals = page.get_by_role("table").first
    expect(proposals.get_by_text("Meets deadline").first).to_be_visible()
    judge = "before the case's judge, Judge Adaeze Okafor"
    expect(proposals.get_by_text(judge).first).to_be_visible()
    snapshot("proposals")
    # The first proposal (Monday 9:00) is chosen by default.
    page.get_by_role("button", name="Book hearing").click()

    expect(page.get_by_text("Arraignment set for")).to_be_visible()
    hearings = page.get_by_role("region", name="Hearings")
    row = hearings.get_by_role("row").filter(has_text="Arraignment")
    expect(row.get_by_text("Scheduled")).to_be_visible()

    row.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Continue")
    page.get_by_label("Requested by").select_option("defense")
    page.get_by_label("Reason", exact=True).select_option("discovery_incomplete")
    page.get_by_label("Set a new date now").check()
    page.get_by_role("button", name="Continue").click()

    # Straight to proposals for the new date: Monday's slot is free again, Tuesday offered.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new date: Arraignment")
    tuesday = calendar["tuesday"].strftime("%a %b %-d, %Y")
    page.get_by_role("row").filter(has_text=tuesday).get_by_role("radio").check()
    page.get_by_role("button", name="Set the new date").click()

    expect(page.get_by_text("Arraignment set for Tue")).to_be_visible()
    row = page.get_by_role("region", name="Hearings").get_by_role("row").filter(
        has_text="Arraignment"
    )
    expect(row).to_have_count(1)  # the same hearing, moved: not a new one
    expect(row.get_by_text("setting 2")).to_be_visible()
    with live_server.app.app_context():
        [hearing] = db.session.scalars(
            db.select(Hearing).where(Hearing.case_id == live_server.rivera_id)
        ).all()
        assert hearing.setting_count == 2
        assert hearing.starts_at.astimezone(CHICAGO).date() == calendar["tuesday"]
        db.session.remove()
