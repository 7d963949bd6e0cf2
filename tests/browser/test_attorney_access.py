"""Attorneys see a case only while they are counsel of record, in a real browser."""

from __future__ import annotations

from tests.browser.conftest import expect, sign_in


def test_attorney_who_is_not_counsel_gets_the_403_page(page, live_server):
    sign_in(page, "vega@defense.test")
    response = page.goto(f"/cases/{live_server.rivera_id}")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed (403)")
    expect(page.get_by_text("You are not counsel of record in this case.")).to_be_visible()
    expect(page.get_by_text("State v. Rivera")).to_have_count(0)
    expect(page.get_by_role("link", name="Back to your dashboard")).to_be_visible()


def test_counsel_sees_their_case_in_my_cases_and_not_the_others(page, live_server):
    sign_in(page, "moreno@defense.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My cases").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    cases = page.get_by_role("table", name="Cases")
    expect(cases.get_by_role("row")).to_have_count(2)  # the header and Rivera
    expect(cases.get_by_role("row").filter(has_text="State v. Rivera")).to_have_count(1)
    expect(page.get_by_text("State v. Ortiz")).to_have_count(0)
    expect(page.get_by_role("link", name="Open a case")).to_have_count(0)

    # A search does not find it either, and the case page itself is refused.
    page.get_by_role("textbox", name="Search").fill("Ortiz")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No case you may see matches “Ortiz”.")).to_be_visible()
    response = page.goto(f"/cases/{live_server.ortiz_id}")
    assert response.status == 403

    page.goto("/cases/")
    page.get_by_role("table", name="Cases").get_by_role("link", name="2026-CR-000001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("State v. Rivera")
    # Counsel read the case; only the clerk's office changes it.
    expect(page.get_by_role("link", name="Add charge")).to_have_count(0)
