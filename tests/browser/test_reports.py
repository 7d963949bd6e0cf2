"""A judge opens the case-age report and reads its chart (issue 8)."""

from __future__ import annotations

from datetime import date

from docket.extensions import db
from tests.browser.conftest import expect, sign_in
from tests.factories import case as make_case


def test_judge_reads_the_case_age_chart(page, live_server, snapshot):
    with live_server.app.app_context():
        from docket.models import Court, Judge

        court = db.session.query(Court).filter_by(code="CIR1").one()
        okafor = db.session.query(Judge).filter_by(name="Adaeze Okafor").one()
        for number, filed in enumerate((date(2024, 1, 5), date(2025, 1, 6)), start=50):
            make_case(court, f"2026-CR-0000{number}", f"Old{number}", okafor, filed_on=filed)
        db.session.commit()
    sign_in(page, "okafor@cir1.test")
    page.goto("/reports/case-age")
    expect(page.get_by_role("heading", level=1)).to_have_text("Age of active pending caseload")
    chart = page.get_by_role("img", name="Active pending cases by age")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box and box["width"] > 500 and box["height"] > 200
    expect(chart.locator("rect.bar")).to_have_count(8)  # 2 judges x 4 buckets
    labels = chart.locator("text.label")
    expect(labels).to_have_text(["Adaeze Okafor", "Peter Lind"])
    table = page.get_by_role("table", name="Age of active pending caseload")
    expect(table.get_by_role("row").last).to_contain_text("All cases")
    snapshot("screen")

    page.get_by_label("Rows").select_option(label="Track")
    page.get_by_role("button", name="Show").click()
    expect(chart.locator("text.label")).to_have_text(["Standard"])
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("form", name="Report filters")).to_be_hidden()
    expect(chart).to_be_visible()
