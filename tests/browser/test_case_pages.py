"""The clerk's case pages, clicked through as a clerk would, with role and label locators
(so the forms' labels and roles are checked too)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from docket.extensions import db
from docket.models import Case, Charge, Defendant
from tests.browser.conftest import expect, sign_in

CLERK = "clerk@cir1.test"


def _charges_in(live_server, case_id: int) -> int:
    with live_server.app.app_context():
        return db.session.scalar(
            select(func.count(Charge.id))
            .join(Defendant, Defendant.id == Charge.defendant_id)
            .where(Defendant.case_id == case_id)
        )


def _open_rivera_from_the_case_list(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    cases = page.get_by_role("table", name="Cases")
    rivera = cases.get_by_role("row").filter(has_text="State v. Rivera")
    expect(rivera).to_have_count(1)
    rivera.get_by_role("link", name="2026-CR-000001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("State v. Rivera")


def _fill_charge(page, *, statute: str | None):
    page.get_by_label("Defendant", exact=True).select_option(label="1. Ana Rivera")
    if statute is not None:
        page.get_by_label("Statute", exact=True).fill(statute)
    page.get_by_label("Description", exact=True).fill("Burglary of a dwelling")
    page.get_by_label("Severity class", exact=True).select_option(label="Felony, second degree")
    page.get_by_label("Counts", exact=True).fill("2")
    page.get_by_role("button", name="Add charge").click()


def test_clerk_adds_a_charge_and_sees_it_on_the_case_page(page, live_server):
    sign_in(page, CLERK)
    _open_rivera_from_the_case_list(page)
    expect(page.get_by_text("No charges entered.")).to_be_visible()

    page.get_by_role("link", name="Add charge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a charge")
    _fill_charge(page, statute="720 ILCS 5/19-3(a)")

    expect(page).to_have_url(f"/cases/{live_server.rivera_id}")
    expect(page.get_by_role("status")).to_have_text("Charge added.")
    charges = page.get_by_role("article").filter(has_text="Ana Rivera").get_by_role("table")
    rows = charges.get_by_role("row")
    expect(rows).to_have_count(2)  # the header and the new charge
    expect(rows.nth(1).get_by_role("cell")).to_have_text(
        ["1", "720 ILCS 5/19-3(a)", "Burglary of a dwelling", "Felony, second degree", "2"]
    )
    expect(page.get_by_text("No charges entered.")).to_have_count(0)
    assert _charges_in(live_server, live_server.rivera_id) == 1


def test_charge_without_statute_shows_the_error_beside_the_field_and_saves_nothing(
    page, live_server, snapshot
):
    sign_in(page, CLERK)
    page.goto(f"/cases/{live_server.rivera_id}")
    page.get_by_role("link", name="Add charge").click()
    _fill_charge(page, statute=None)

    expect(page.get_by_role("heading", level=1)).to_have_text("Add a charge")
    expect(page.get_by_role("alert")).to_have_text(
        "Nothing was saved. Correct the fields marked below."
    )
    statute = page.get_by_label("Statute", exact=True)
    expect(statute).to_have_attribute("aria-invalid", "true")
    expect(statute).to_have_accessible_description(re.compile(r"Enter the statute\.$"))
    beside = page.locator(".field", has=statute)
    expect(beside.locator(".error")).to_have_text("Enter the statute.")
    # Only the statute is in error, and what the clerk typed is still there.
    expect(page.locator(".field .error")).to_have_count(1)
    expect(page.get_by_label("Description", exact=True)).to_have_value("Burglary of a dwelling")
    expect(page.get_by_label("Counts", exact=True)).to_have_value("2")
    snapshot("error")

    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(f"/cases/{live_server.rivera_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("State v. Rivera")
    expect(page.get_by_text("No charges entered.")).to_be_visible()
    expect(page.get_by_text("Burglary of a dwelling")).to_have_count(0)
    assert _charges_in(live_server, live_server.rivera_id) == 0


def test_clerk_opens_a_case_and_lands_on_its_page(page, live_server):
    sign_in(page, CLERK)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("main").get_by_role("link", name="Open a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")

    case = page.get_by_role("group", name="Case")
    expect(case.get_by_label("Filed on", exact=True)).not_to_have_value("")
    filed_on = case.get_by_label("Filed on", exact=True).input_value()  # the court's today
    case.get_by_label("Case type", exact=True).select_option(label="Felony")
    case.get_by_label("Track", exact=True).select_option(value="expedited")
    case.get_by_label("Custody", exact=True).select_option(label="In custody")
    case.get_by_label("Assigned judge", exact=True).select_option(label="Hon. Peter Lind")
    defendant = page.get_by_role("group", name="Defendant")
    defendant.get_by_label("Last name", exact=True).fill("Alvarez")
    defendant.get_by_label("First name", exact=True).fill("Marta")
    defendant.get_by_label("Interpreter language", exact=True).fill("Spanish")
    page.get_by_role("button", name="Open case").click()

    expect(page).to_have_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("State v. Alvarez")
    expect(page.get_by_role("heading", name=re.compile(r"^1\. Marta Alvarez"))).to_be_visible()
    expect(page.get_by_text("Interpreter: Spanish")).to_be_visible()
    expect(page.get_by_text("Hon. Peter Lind")).to_be_visible()

    case_id = int(page.url.rsplit("/", 1)[1])
    with live_server.app.app_context():
        opened = db.session.get(Case, case_id)
        assert opened.caption == "State v. Alvarez"
        assert opened.custody_status == "in_custody"
        assert opened.track == "expedited"
        assert opened.filed_on.isoformat() == filed_on
        number = opened.case_number
    assert re.fullmatch(r"\d{4}-CR-\d{6}", number)
    expect(page.get_by_role("status")).to_have_text(f"Opened {number}, State v. Alvarez.")
    assert case_id not in (live_server.rivera_id, live_server.ortiz_id)

    # The new case is in the clerk's list beside the small court's two.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("table", name="Cases").get_by_role("row")).to_have_count(4)
