"""Filing from the browser: defense counsel file a motion with a PDF (CSRF on, a real
multipart upload), and the prosecutor then sees the response owed; the clerk dockets the
order that decides it. Role and label locators, so the forms' labels are checked too."""

from __future__ import annotations

import re

from sqlalchemy import select

from docket.extensions import db
from docket.models import Deadline, DocketEntry, TollingPeriod
from tests.browser.conftest import expect, sign_in
from tests.pdfs import pdf


def _pdf_file(name: str, title: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf(pages=2, title=title)}


def _court_date(day) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _file_the_motion(page, live_server, snapshot) -> None:
    page.goto(f"/cases/{live_server.rivera_id}/docket")
    page.get_by_role("link", name="File a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File a document")
    page.get_by_role("radio", name="Motion", exact=True).check()
    snapshot("counsel-step-1")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("File a motion")
    page.get_by_label("Kind of motion").select_option(label="Motion to suppress evidence")
    page.get_by_label("Docket text").fill(
        "MOTION to suppress evidence obtained in the traffic stop of March 1, 2026"
    )
    page.get_by_label("Main document (PDF)").set_input_files(
        _pdf_file("Motion to suppress.pdf", "motion")
    )
    page.get_by_label("Attachment 1 (PDF)").set_input_files(_pdf_file("exhibit-a.pdf", "A"))
    page.get_by_label("Description of attachment 1").fill("Exhibit A: police report")
    snapshot("counsel-motion-form")
    page.get_by_role("button", name="File motion").click()


def test_counsel_files_a_motion_and_the_prosecutor_sees_the_response_due(
    page, live_server, snapshot, tmp_path
):
    live_server.app.config["DOCUMENTS_DIR"] = str(tmp_path / "documents")
    sign_in(page, "moreno@defense.test")
    _file_the_motion(page, live_server, snapshot)

    expect(page).to_have_url(f"/cases/{live_server.rivera_id}/docket")
    expect(page.get_by_role("status")).to_have_text("Filed as entry #1.")
    expect(page.get_by_text("exhibit-a.pdf")).to_be_visible()
    snapshot("counsel-filed")
    with live_server.app.app_context():
        entry = db.session.scalar(select(DocketEntry))
        assert (entry.number, entry.subtype, len(entry.documents)) == (1, "suppress", 2)
        due = db.session.scalar(
            select(Deadline).where(Deadline.item_id == "motion_response#1")
        ).due_on
        db.session.remove()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "chen@da.test")
    page.goto(f"/cases/{live_server.rivera_id}")
    owed = page.get_by_role("row").filter(has_text="Response to motion #1")
    expect(owed).to_have_count(1)
    expect(owed).to_contain_text(_court_date(due))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Due from me").click()
    expect(page.get_by_text("Response to motion #1").first).to_be_visible()
    expect(page.get_by_text(_court_date(due)).first).to_be_visible()


def test_a_refused_upload_comes_back_with_the_reason_beside_the_file(
    page, live_server, snapshot, tmp_path
):
    documents = tmp_path / "documents"
    live_server.app.config["DOCUMENTS_DIR"] = str(documents)
    sign_in(page, "moreno@defense.test")
    page.goto(f"/cases/{live_server.rivera_id}/docket/file?entry_type=notice")
    page.get_by_label("Docket text").fill("NOTICE of intent")
    page.get_by_label("Main document (PDF)").set_input_files(
        {"name": "notice.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + bytes(64)}
    )
    page.get_by_role("button", name="File notice").click()

    document = page.get_by_label("Main document (PDF)")
    expect(document).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#document-error")).to_contain_text(
        "notice.pdf is not a PDF document (it is a Windows program (.exe)"
    )
    expect(page.get_by_text("Choose the files again before you submit")).to_be_visible()
    expect(page.get_by_label("Docket text")).to_have_value("NOTICE of intent")
    snapshot("counsel-refused")
    assert not documents.exists() or not any(p.is_file() for p in documents.rglob("*"))


def test_the_clerk_dockets_an_order_that_decides_the_motion_and_excludes_time(
    page, live_server, snapshot, tmp_path
):
    live_server.app.config["DOCUMENTS_DIR"] = str(tmp_path / "documents")
    sign_in(page, "moreno@defense.test")
    _file_the_motion(page, live_server, snapshot)
    expect(page.get_by_role("status")).to_have_text("Filed as entry #1.")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "clerk@cir1.test")
    page.goto(f"/cases/{live_server.rivera_id}/docket")
    page.get_by_role("link", name="Docket an entry").click()
    snapshot("clerk-step-1")
    page.get_by_role("link", name="Order", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Docket an order")
    expect(page.get_by_label("Filed by")).to_have_value("court")
    page.get_by_role("checkbox", name=re.compile(r"^#1 Motion to suppress evidence")).check()
    category = page.get_by_label("Excludes time under")
    category.select_option(index=1)
    page.get_by_label("Excluded from").fill("2026-11-02")
    page.get_by_label("Finding").fill("Pretrial motion pending")
    page.get_by_label("Docket text").fill("ORDER denying motion #1 to suppress evidence")
    page.get_by_label("Main document (PDF)").set_input_files(_pdf_file("order.pdf", "order"))
    snapshot("clerk-order-form")
    page.get_by_role("button", name="Docket order").click()

    expect(page).to_have_url(f"/cases/{live_server.rivera_id}/docket")
    expect(page.get_by_role("status")).to_contain_text("Docketed as entry #2.")
    with live_server.app.app_context():
        order = db.session.scalar(select(DocketEntry).where(DocketEntry.number == 2))
        period = db.session.scalar(select(TollingPeriod))
        assert period.docket_entry_id == order.id
        status = db.session.scalar(
            select(Deadline.status).where(Deadline.item_id == "motion_response#1")
        )
        assert status == "not_applicable"
        db.session.remove()


def test_a_duplicate_is_filed_again_only_when_the_filer_says_so(
    page, live_server, snapshot, tmp_path
):
    live_server.app.config["DOCUMENTS_DIR"] = str(tmp_path / "documents")
    notice = _pdf_file("notice.pdf", "the same notice")
    sign_in(page, "moreno@defense.test")
    for attempt in ("first", "second"):
        page.goto(f"/cases/{live_server.rivera_id}/docket/file?entry_type=notice")
        page.get_by_label("Docket text").fill(f"NOTICE of appearance ({attempt})")
        page.get_by_label("Main document (PDF)").set_input_files(notice)
        page.get_by_role("button", name="File notice").click()
    expect(page.locator("#allow_duplicate-error")).to_contain_text(
        "notice.pdf is the same file as notice.pdf, already filed as entry #1 in this case."
    )
    snapshot("counsel-duplicate")

    page.get_by_role("checkbox", name="File it again").check()
    page.get_by_label("Main document (PDF)").set_input_files(notice)
    page.get_by_role("button", name="File notice").click()
    expect(page.get_by_role("status")).to_have_text("Filed as entry #2.")
