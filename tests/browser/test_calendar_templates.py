"""A clerk sets up a recurring session with the template form (checkboxes, time inputs and
selects found by their labels), sees a refusal beside the field, and sees the sessions made."""

from __future__ import annotations

from sqlalchemy import func, select

from docket.extensions import db
from docket.models import CalendarSession
from tests.browser.conftest import expect, sign_in


def test_a_clerk_creates_a_session_template(page, live_server, snapshot):
    sign_in(page, "clerk@cir1.test")
    page.goto("/calendar/templates")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session templates")
    page.get_by_role("link", name="New template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New session template")

    page.get_by_label("Name", exact=True).fill("Monday arraignment call")
    page.get_by_label("Courtroom", exact=True).select_option(label="Courtroom 3A")
    page.get_by_label("Judge", exact=True).select_option(label="Hon. Adaeze Okafor")
    weekdays = page.get_by_role("group", name="Weekdays")
    weekdays.get_by_label("Monday").check()
    page.get_by_label("Starts at").fill("09:00")
    page.get_by_label("Ends at").fill("08:00")
    types = page.get_by_role("group", name="Hearing types")
    types.get_by_label("Arraignment").check()
    types.get_by_label("Change of plea").check()
    page.get_by_label("Capacity", exact=True).fill("40")
    page.get_by_role("button", name="Create template").click()
    expect(page.locator("#end_time-error")).to_contain_text("end after it starts")
    snapshot("refused")

    page.get_by_label("Ends at").fill("12:00")
    page.get_by_role("button", name="Create template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session templates")
    expect(page.get_by_text("Template “Monday arraignment call” saved.")).to_be_visible()
    templates = page.get_by_role("table").first
    expect(templates.get_by_role("row").filter(has_text="Monday arraignment call")).to_contain_text(
        "9:00–12:00"
    )
    with live_server.app.app_context():
        made = db.session.scalar(select(func.count()).select_from(CalendarSession))
    assert made >= 20

    page.get_by_role("link", name="Monday arraignment call").nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monday arraignment call")
    page.get_by_role("group", name="Status").get_by_label("Closed").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.locator("#closed_reason-error")).to_contain_text("Say why")
    page.get_by_label("Why closed").fill("Judge at a training")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved")).to_be_visible()
    snapshot("session")

    page.goto("/calendar/exceptions")
    page.get_by_label("Kind").select_option(label="Judge away")
    page.get_by_label("Judge", exact=True).select_option(label="Hon. Adaeze Okafor")
    page.get_by_label("First day").fill("2027-01-04")
    page.get_by_label("Last day").fill("2027-01-08")
    page.get_by_label("Reason").fill("Judicial college")
    page.get_by_role("button", name="Record exception").click()
    expect(page.get_by_text("1 session(s) closed")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Judicial college")
