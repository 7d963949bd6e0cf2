"""The file-a-document form (counsel of record) and the clerk's docketing form, through HTTP:
what a good filing saves and sets off (number, documents, the response deadline for the other
side, a resolved motion, an excludable period), what each refusal says beside its field, and
that a refused filing stores nothing: no entry, no document row, no file on disk."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from docket.clock import court_today
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.filings import service
from docket.filings.service import NewEntry, Upload
from docket.models import (
    CounselOfRecord,
    Deadline,
    DocketEntry,
    DocketEntryLink,
    Document,
    TollingPeriod,
)
from tests.conftest import sign_in
from tests.isolated_client import isolated_client
from tests.pdfs import encrypted_pdf, pdf
from tests.test_flags import counted_queries

DEFENSE = "moreno@defense.test"
PROSECUTOR = "chen@da.test"
CLERK = "clerk@cir1.test"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


@pytest.fixture
def documents_dir(app, tmp_path):
    """Every test's documents go to a folder of its own, to see what was written."""
    folder = tmp_path / "court" / "documents"
    app.config["DOCUMENTS_DIR"] = str(folder)
    return folder


def client_for(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


@pytest.fixture
def defense(app, court, documents_dir):
    return client_for(app, DEFENSE)


@pytest.fixture
def prosecutor(app, court, documents_dir):
    return client_for(app, PROSECUTOR)


@pytest.fixture
def clerk(app, court, documents_dir):
    return client_for(app, CLERK)


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field: str) -> str:
    found = re.search(
        rf'<p class="error" id="{re.escape(field)}-error">(.*?)</p>',
        response.get_data(as_text=True),
        re.S,
    )
    return html.unescape(found.group(1)) if found else ""


def options(response, select_name: str) -> list[str]:
    """The labels of a select's options, its first (the prompt) left out."""
    found = re.search(
        rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>',
        response.get_data(as_text=True),
        re.S,
    )
    assert found, f"no select {select_name!r} on the page"
    labels = re.findall(r"<option[^>]*>(.*?)</option>", found.group(1), re.S)
    return [html.unescape(label) for label in labels[1:]]


def files_in(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def stored() -> tuple[int, int]:
    db.session.rollback()  # see what the requests committed
    return (
        db.session.scalar(select(func.count()).select_from(DocketEntry)),
        db.session.scalar(select(func.count()).select_from(Document)),
    )


def file_url(case, entry_type: str | None = None) -> str:
    query = f"?entry_type={entry_type}" if entry_type else ""
    return f"/cases/{case.id}/docket/file{query}"


def docket_url(case, entry_type: str | None = None) -> str:
    query = f"?entry_type={entry_type}" if entry_type else ""
    return f"/cases/{case.id}/docket/new{query}"


def filing(entry_type="motion", document=None, attachments=(), **fields) -> dict:
    """A multipart form as the browser sends it: the main document, attachment rows."""
    data = {"entry_type": entry_type, "text": "MOTION to suppress evidence", **fields}
    if entry_type == "motion":
        data.setdefault("subtype", "suppress")
    if document is not None:
        content, name = document
        data["document"] = (io.BytesIO(content), name)
    for row, (content, name, description) in enumerate(attachments):
        data[f"attachments-{row}-file"] = (io.BytesIO(content), name)
        data[f"attachments-{row}-description"] = description
    return data


def post(client, url: str, data: dict):
    return client.post(url, data=data, content_type="multipart/form-data")


def response_deadline(case, number: int) -> Deadline | None:
    db.session.rollback()
    return db.session.scalar(
        select(Deadline).where(
            Deadline.case_id == case.id, Deadline.item_id == f"motion_response#{number}"
        )
    )


def motion_by(court, user, title: str, text="MOTION to dismiss", subtype="dismiss"):
    return service.file_by_counsel(
        court.rivera,
        user,
        NewEntry("motion", text, subtype=subtype, uploads=[Upload(pdf(title=title), "m.pdf")]),
    )


# --- counsel file -------------------------------------------------------------------------


def test_counsel_files_a_motion_and_the_prosecution_owes_the_response(
    court, defense, prosecutor, documents_dir
):
    first = defense.get(file_url(court.rivera))
    assert first.status_code == 200 and "What are you filing?" in page_text(first)
    form = defense.get(file_url(court.rivera, "motion"))
    assert "Kind of motion" in page_text(form) and 'enctype="multipart/form-data"' in page_text(
        form
    )
    motion_pdf, exhibit_pdf = pdf(pages=3, title="motion"), pdf(title="exhibit A")

    response = post(
        defense,
        file_url(court.rivera),
        filing(
            document=(motion_pdf, "Motion to suppress.pdf"),
            attachments=[(exhibit_pdf, "exhibit-a.pdf", "Exhibit A: police report")],
        ),
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{court.rivera.id}/docket")
    assert "Filed as entry #1." in page_text(defense.get(response.headers["Location"]))
    entry = db.session.scalar(select(DocketEntry))
    assert (entry.number, entry.entry_type, entry.subtype) == (1, "motion", "suppress")
    assert entry.filer_party == "defense" and entry.filer_attorney_id == court.defender.id
    documents = [(d.position, d.file_name, d.description) for d in entry.documents]
    assert documents == [
        (0, "Motion to suppress.pdf", None),
        (1, "exhibit-a.pdf", "Exhibit A: police report"),
    ]
    on_disk = {p.name for p in files_in(documents_dir)}
    assert on_disk == {d.sha256 for d in entry.documents}

    due = response_deadline(court.rivera, 1)
    assert due.owed_by == "prosecution" and due.due_on is not None
    assert due.name == "Response to motion #1"
    case_page = page_text(prosecutor.get(f"/cases/{court.rivera.id}"))
    assert "Response to motion #1" in case_page
    assert f"{due.due_on:%b} {due.due_on.day}, {due.due_on.year}" in case_page


def test_the_response_form_offers_only_the_other_sides_open_visible_motions(
    court, defense, prosecutor
):
    motion_by(court, court.attorney_user, "d1", "MOTION to dismiss")  # 1: defense
    motion_by(court, court.prosecutor_user, "p2", "MOTION in limine", "in_limine")  # 2: theirs
    stricken = motion_by(court, court.attorney_user, "d3")  # 3: stricken
    service.strike(stricken, "Filed twice", court.clerk)
    sealed = motion_by(court, court.attorney_user, "d4", "MOTION to seal", "seal")  # 4
    service.docket_by_clerk(court.rivera, court.clerk, NewEntry("order", "ORDER sealing #4"))
    service.seal(sealed, "Medical records", 5, False, court.clerk)  # the filer may not see it

    theirs = options(prosecutor.get(file_url(court.rivera, "response")), "responds_to")
    filed_on = court_today()
    assert theirs == [
        f"#1 Motion to dismiss — filed {filed_on:%b} {filed_on.day}, {filed_on.year} by the defense"
    ]
    ours = options(defense.get(file_url(court.rivera, "response")), "responds_to")
    assert [label.split(" — ")[0] for label in ours] == ["#2 Motion in limine"]

    service.file_by_counsel(
        court.rivera,
        court.prosecutor_user,
        NewEntry("response", "RESPONSE", responds_to=1, uploads=[Upload(pdf(title="r"), "r.pdf")]),
    )
    replies = options(defense.get(file_url(court.rivera, "reply")), "replies_to")
    assert [label.split(" — ")[0] for label in replies] == ["#6 Response to motion #1"]
    assert options(prosecutor.get(file_url(court.rivera, "reply")), "replies_to") == []


def test_the_first_step_says_when_there_is_nothing_to_respond_to(court, defense):
    page = page_text(defense.get(file_url(court.rivera)))
    assert re.search(r'value="response"[^>]*disabled', page)
    assert "The other side has no motion on the docket to respond to." in page
    unknown = page_text(defense.get(file_url(court.rivera, "order")))  # not counsel's to file
    assert "Choose what you are filing." in unknown
    first = page_text(defense.get(file_url(court.rivera)))
    assert "Choose what you are filing." not in first
    nothing_ticked = defense.get(file_url(court.rivera), query_string={"step": "chosen"})
    assert "Choose what you are filing." in page_text(nothing_ticked)


def test_a_defense_filing_under_seal_keeps_its_reason(court, defense):
    response = post(
        defense,
        file_url(court.rivera),
        filing(
            "notice",
            document=(pdf(title="n"), "notice.pdf"),
            text="NOTICE of medical condition",
            under_seal="y",
            seal_reason="Medical records",
        ),
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(DocketEntry))
    assert entry.sealed and entry.seal_allows_filer


# --- refusals, each with its message and nothing stored -------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            EXECUTABLE,
            "x.pdf",
            "x.pdf is not a PDF document (it is a Windows program (.exe), whatever its name says)",
        ),
        (b"", "empty.pdf", "empty.pdf is empty (0 bytes): choose the PDF again."),
        (encrypted_pdf(), "locked.pdf", "locked.pdf is password-protected"),
        (
            b"%PDF-1.7\n" + b"0" * 1_600_000,
            "big.pdf",
            "big.pdf is 1.5 MB; the court accepts files up to 1.0 MB.",
        ),
    ],
    ids=["renamed-executable", "empty", "encrypted", "oversized"],
)
def test_a_refused_document_says_why_beside_the_field_and_stores_nothing(
    app, court, defense, documents_dir, content, name, message
):
    app.config["DOCUMENT_MAX_BYTES"] = 1_048_576
    response = post(defense, file_url(court.rivera), filing(document=(content, name)))

    assert response.status_code == 200
    assert message in field_error(response, "document")
    assert "Nothing was saved" in page_text(response)
    assert "Choose the files again" in page_text(response)
    assert stored() == (0, 0)
    assert files_in(documents_dir) == []
    assert response_deadline(court.rivera, 1) is None


def test_a_refused_attachment_refuses_the_whole_filing(court, defense, documents_dir):
    response = post(
        defense,
        file_url(court.rivera),
        filing(
            document=(pdf(title="ok"), "motion.pdf"),
            attachments=[(EXECUTABLE, "exhibit.pdf", "Exhibit A")],
        ),
    )
    assert response.status_code == 200
    assert "Attachment 1: exhibit.pdf is not a PDF document" in field_error(response, "attachments")
    assert stored() == (0, 0) and files_in(documents_dir) == []


def test_a_refused_attachment_is_named_by_its_row_on_the_form(court, defense, documents_dir):
    data = filing(document=(pdf(title="ok"), "motion.pdf"))
    for row in (0, 1):  # left empty: a browser sends them without a file name
        data[f"attachments-{row}-file"] = (io.BytesIO(b""), "")
        data[f"attachments-{row}-description"] = ""
    data["attachments-2-file"] = (io.BytesIO(b""), "empty.pdf")  # the third row, the only one
    data["attachments-2-description"] = "Exhibit C"
    response = post(defense, file_url(court.rivera), data)
    assert response.status_code == 200
    assert field_error(response, "attachments").startswith("Attachment 3: empty.pdf")
    assert stored() == (0, 0) and files_in(documents_dir) == []


def test_a_path_in_the_file_name_is_dropped_and_the_file_is_stored_by_its_hash(
    court, defense, documents_dir, tmp_path
):
    content = pdf(title="traversal")
    response = post(
        defense,
        file_url(court.rivera),
        filing(
            document=(content, "../../etc/passwd.pdf"),
            attachments=[(pdf(title="two"), "/tmp/../../root/exhibit.pdf", "Exhibit")],
        ),
    )

    assert response.status_code == 302
    names = db.session.scalars(select(Document.file_name).order_by(Document.position)).all()
    assert names == ["passwd.pdf", "exhibit.pdf"]
    shas = db.session.scalars(select(Document.sha256).order_by(Document.position)).all()
    assert files_in(documents_dir) == sorted(documents_dir / s[:2] / s for s in shas)
    written = [p for p in files_in(tmp_path) if not p.name.startswith("docket.sqlite")]
    assert all(documents_dir in p.parents for p in written)
    assert not (tmp_path / "etc").exists() and not (tmp_path / "court" / "etc").exists()


def test_a_duplicate_is_refused_until_the_filer_says_to_file_it_again(
    court, defense, documents_dir
):
    content = pdf(title="same bytes")
    assert post(defense, file_url(court.rivera), filing(document=(content, "a.pdf"))).status_code
    again = filing(document=(content, "b.pdf"), text="MOTION to suppress (corrected)")

    refused = post(defense, file_url(court.rivera), again)
    assert refused.status_code == 200
    assert (
        "b.pdf is the same file as a.pdf, already filed as entry #1 in this case. If you mean "
        "to file it again, tick “File it again” and submit."
    ) in field_error(refused, "allow_duplicate")
    assert 'name="allow_duplicate"' in page_text(refused)
    assert stored() == (1, 1)

    again = filing(document=(content, "b.pdf"), allow_duplicate="y")
    accepted = post(defense, file_url(court.rivera), again)
    assert accepted.status_code == 302
    assert stored() == (2, 2)
    assert len(files_in(documents_dir)) == 1  # the same bytes are stored once


def test_missing_fields_are_named_and_nothing_is_saved(court, defense, documents_dir):
    response = post(
        defense,
        file_url(court.rivera),
        filing("motion", text="", subtype="", under_seal="y"),
    )
    assert response.status_code == 200
    assert field_error(response, "text").startswith("Enter the docket text")
    assert field_error(response, "document") == "Choose the PDF you are filing."
    assert field_error(response, "subtype").startswith("Choose the kind of motion")
    assert field_error(response, "seal_reason") == "Say why the entry is filed under seal."
    assert stored() == (0, 0) and files_in(documents_dir) == []


def test_a_response_must_name_a_motion_of_the_other_side(court, defense, documents_dir):
    motion_by(court, court.attorney_user, "own")
    response = post(
        defense,
        file_url(court.rivera),
        filing("response", document=(pdf(title="r"), "r.pdf"), text="RESPONSE", responds_to="1"),
    )
    assert response.status_code == 200
    assert field_error(response, "responds_to") == (
        "Motion #1 is your own side's: a response answers the other side's."
    )
    assert stored() == (1, 1)


def test_a_request_over_the_size_limit_gets_a_page_that_says_the_limit(
    app, court, defense, documents_dir
):
    app.config["MAX_CONTENT_LENGTH"] = 1_048_576
    response = post(
        defense, file_url(court.rivera), filing(document=(b"%PDF-" + bytes(2_000_000), "x.pdf"))
    )
    assert response.status_code == 413
    text = page_text(response)
    assert "Upload too large" in text and "1 MB in all" in text
    assert stored() == (0, 0) and files_in(documents_dir) == []


def test_the_form_is_refused_without_its_csrf_token(app, court, defense, documents_dir):
    app.config["WTF_CSRF_ENABLED"] = True
    response = post(defense, file_url(court.rivera), filing(document=(pdf(), "m.pdf")))
    assert response.status_code == 400
    assert stored() == (0, 0) and files_in(documents_dir) == []


# --- who may file -----------------------------------------------------------------------------


def test_counsel_who_withdrew_others_and_the_court_may_not_use_the_form(app, court, documents_dir):
    appearance = db.session.scalar(
        select(CounselOfRecord).where(CounselOfRecord.attorney_id == court.defender.id)
    )
    appearance.withdrew_on = court_today()
    db.session.commit()
    refusals = {
        DEFENSE: "You are no longer counsel of record in this case",
        "vega@defense.test": "You are not counsel of record in this case.",
        "okafor@cir1.test": "Only counsel of record file documents here",
        CLERK: "The clerk's office dockets entries with “Docket an entry”",
        "admin@cir1.test": "Only counsel of record file documents in a case.",
    }
    for email, reason in refusals.items():
        client = client_for(app, email)
        page = client.get(file_url(court.rivera, "motion"))
        assert page.status_code == 403 and reason in page_text(page), email
        sent = post(client, file_url(court.rivera), filing(document=(pdf(), "m.pdf")))
        assert sent.status_code == 403, email
    assert stored() == (0, 0) and files_in(documents_dir) == []


def test_only_the_clerks_office_dockets(app, court, documents_dir):
    for email in (DEFENSE, PROSECUTOR, "okafor@cir1.test"):
        page = client_for(app, email).get(docket_url(court.rivera, "order"))
        assert page.status_code == 403
        assert "This page is for the clerk's office." in page_text(page)
    other_court = client_for(app, "clerk@cir2.test").get(docket_url(court.rivera, "order"))
    assert other_court.status_code == 403
    assert "This case belongs to another court." in page_text(other_court)


# --- the clerk ------------------------------------------------------------------------------


def clerk_entry(entry_type: str, **fields) -> dict:
    data = {
        "entry_type": entry_type,
        "filer": "court",
        "filed_on": court_today().isoformat(),
        "text": "ORDER",
        **fields,
    }
    return data


def test_an_order_resolving_a_motion_ends_the_response_deadline(court, clerk):
    motion_by(court, court.attorney_user, "m")
    assert response_deadline(court.rivera, 1).status in ("pending", "missed")
    form = page_text(clerk.get(docket_url(court.rivera, "order")))
    assert "Motions it resolves" in form and "#1 Motion to dismiss" in form

    response = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry(
            "order",
            text="ORDER denying motion to dismiss",
            resolves="1",
            document=(io.BytesIO(pdf(title="order")), "order.pdf"),
        ),
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{court.rivera.id}/docket")
    assert "Docketed as entry #2." in page_text(clerk.get(response.headers["Location"]))
    order = db.session.scalar(select(DocketEntry).where(DocketEntry.number == 2))
    assert order.filer_party == "court" and order.filer_attorney_id is None
    assert [d.file_name for d in order.documents] == ["order.pdf"]
    link = db.session.scalar(select(DocketEntryLink).where(DocketEntryLink.entry_id == order.id))
    assert link.relation == "resolves"
    assert response_deadline(court.rivera, 1).status == "not_applicable"
    resolved = page_text(clerk.get(docket_url(court.rivera, "order")))
    assert "No open motion on the docket." in resolved


def test_an_order_excluding_time_adds_the_excludable_period_linked_to_it(court, clerk):
    code = deadlines.plan_for(court.rivera.filed_on).excludable[0].code
    today = court_today()
    form = clerk.get(docket_url(court.rivera, "order"))
    assert code in options(form, "exclusion_code")[0]
    defendant = court.rivera.defendants[0]

    response = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry(
            "order",
            text="ORDER for a competency evaluation; time excluded",
            exclusion_code=code,
            exclusion_starts_on=(today - timedelta(days=10)).isoformat(),
            exclusion_ends_on=today.isoformat(),
            exclusion_defendant=str(defendant.id),
            exclusion_reason="Competency evaluation ordered",
        ),
    )

    assert response.status_code == 302
    entry = db.session.scalar(select(DocketEntry))
    period = db.session.scalar(select(TollingPeriod))
    assert period.docket_entry_id == entry.id and period.code == code
    assert (period.starts_on, period.ends_on) == (today - timedelta(days=10), today)
    assert period.defendant_id == defendant.id
    assert period.reason == "Competency evaluation ordered"
    # Both ends of the link show: the order's page names the period, the case page the order.
    start, end = (f"{day:%b} {day.day}, {day.year}" for day in (period.starts_on, today))
    entry_page = page_text(clerk.get(f"/cases/{court.rivera.id}/docket/{entry.number}"))
    entry_words = " ".join(re.sub(r"<[^>]+>", " ", entry_page).split())
    assert f"Excludes time {code}: {start} through {end} — Competency evaluation" in entry_words
    case_page = clerk.get(f"/cases/{court.rivera.id}").get_data(as_text=True)
    assert f'href="/cases/{court.rivera.id}/docket/{entry.number}">#{entry.number}</a>' in case_page


def test_an_exclusion_without_its_first_day_is_refused_beside_the_field(court, clerk):
    code = deadlines.plan_for(court.rivera.filed_on).excludable[0].code
    response = post(clerk, docket_url(court.rivera), clerk_entry("order", exclusion_code=code))
    assert response.status_code == 200
    assert field_error(response, "exclusion_starts_on") == "Enter the first excluded day."
    assert stored() == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(TollingPeriod)) == 0


def test_excluded_dates_without_a_category_are_refused_not_dropped(court, clerk):
    today = court_today()
    response = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry("order", exclusion_starts_on=(today - timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 200
    assert field_error(response, "exclusion_code") == (
        "Choose what the time is excluded under, or clear the excluded dates."
    )
    assert stored() == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(TollingPeriod)) == 0


def test_a_minute_entry_needs_no_document(court, clerk, documents_dir):
    response = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry("minute_entry", text="MINUTE ENTRY: status conference held"),
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(DocketEntry))
    assert (entry.entry_type, entry.filer_party, entry.documents) == ("minute_entry", "court", [])
    assert files_in(documents_dir) == []


def test_the_clerk_dockets_a_paper_filing_of_counsel_on_the_day_it_was_received(court, clerk):
    defendant = court.rivera.defendants[0]
    filer = f"defense:{court.defender.id}:{defendant.id}"
    form = clerk.get(docket_url(court.rivera, "notice"))
    assert "Defense — Luis Moreno (D-200), for Ana Rivera" in options(form, "filer")
    received = max(court_today() - timedelta(days=3), court.rivera.filed_on)

    response = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry(
            "notice",
            filer=filer,
            filed_on=received.isoformat(),
            text="NOTICE of appearance (received on paper)",
            document=(io.BytesIO(pdf(title="paper")), "scan.pdf"),
        ),
    )

    assert response.status_code == 302
    entry = db.session.scalar(select(DocketEntry))
    assert entry.filer_party == "defense" and entry.filer_attorney_id == court.defender.id
    assert entry.defendant_id == defendant.id
    from docket.clock import to_court_time

    assert to_court_time(entry.filed_at).date() == received


def test_an_order_is_the_courts_and_a_motion_a_partys(court, clerk):
    prosecution = f"prosecution:{court.prosecutor.id}"
    by_a_party = post(
        clerk, docket_url(court.rivera), clerk_entry("order", filer=prosecution, text="ORDER")
    )
    assert field_error(by_a_party, "filer") == (
        "An order is the court's: choose “The court” as the filer."
    )
    by_the_court = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry(
            "motion",
            filer="court",
            subtype="continue",
            text="MOTION to continue",
            document=(io.BytesIO(pdf(title="m")), "m.pdf"),
        ),
    )
    assert field_error(by_the_court, "filer") == (
        "A motion is a party's filing: choose the party and attorney who filed it."
    )
    assert stored() == (0, 0)


def test_the_clerks_refusals_are_named(court, clerk):
    tomorrow = court_today() + timedelta(days=1)
    response = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry("order", filer="defense:999:999", filed_on=tomorrow.isoformat()),
    )
    assert field_error(response, "filer") == "Choose one of the parties listed."
    response = post(
        clerk, docket_url(court.rivera), clerk_entry("order", filed_on=tomorrow.isoformat())
    )
    assert field_error(response, "filed_on") == "An entry cannot be filed in the future."
    response = post(
        clerk,
        docket_url(court.rivera),
        clerk_entry(
            "order", **{"attachments-0-file": (io.BytesIO(pdf(title="a")), "attachment.pdf")}
        ),
    )
    assert field_error(response, "document") == (
        "Choose the main document too: attachments go with one."
    )
    assert stored() == (0, 0)


# --- a fixed number of queries ----------------------------------------------------------------


def queries_for(client, path: str) -> int:
    assert client.get(path).status_code == 200  # warm
    with counted_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_the_forms_cost_the_same_queries_whatever_the_docket(court, prosecutor, clerk):
    motion_by(court, court.attorney_user, "first")
    few = (
        queries_for(prosecutor, file_url(court.rivera, "response")),
        queries_for(clerk, docket_url(court.rivera, "order")),
    )
    for number in range(6):
        motion_by(court, court.attorney_user, f"more {number}")
    service.file_by_counsel(
        court.rivera,
        court.prosecutor_user,
        NewEntry("response", "RESPONSE", responds_to=2, uploads=[Upload(pdf(title="r"), "r.pdf")]),
    )
    many = (
        queries_for(prosecutor, file_url(court.rivera, "response")),
        queries_for(clerk, docket_url(court.rivera, "order")),
    )
    assert many == few
    assert len(options(prosecutor.get(file_url(court.rivera, "response")), "responds_to")) == 7


def test_the_clerk_form_lists_every_counsel_and_defendant(court, clerk):
    db.session.add(
        CounselOfRecord(
            case=court.rivera,
            attorney=court.other_defender,
            side="defense",
            defendant=court.rivera.defendants[0],
            appeared_on=date(2026, 3, 3),
            withdrew_on=date(2026, 4, 1),
        )
    )
    db.session.commit()
    filers = options(clerk.get(docket_url(court.rivera, "notice")), "filer")
    assert filers == [
        "The court",
        "Prosecution — Dana Chen (P-100)",
        "Defense — Luis Moreno (D-200), for Ana Rivera",
        "Defense — Rosa Vega (D-300), for Ana Rivera, withdrew Apr 1, 2026",
        "Defendant Ana Rivera, pro se",
    ]
