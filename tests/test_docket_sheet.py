"""The docket sheet, an entry's page, the clerk's corrections of the record and document
downloads (issue 6), through HTTP, on both engines."""

from __future__ import annotations

import html as html_text
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from docket.clock import court_today
from docket.extensions import db
from docket.filings import service, storage
from docket.filings.service import NewEntry, Upload
from docket.models import Case, CounselOfRecord, DocketEntry, DocumentDownload, RecordCorrection
from tests.conftest import sign_in
from tests.pdfs import pdf
from tests.query_count import counted_queries

# --- helpers -------------------------------------------------------------------------------


def motion(court, text="Motion to suppress the stop of March 1", title="m1", attachments=()):
    uploads = [Upload(pdf(title=title), "motion to suppress.pdf")]
    uploads += [
        Upload(pdf(title=f"{title}-{i}"), f"exhibit-{i}.pdf", description)
        for i, description in enumerate(attachments, start=1)
    ]
    return service.file_by_counsel(
        court.rivera,
        court.attorney_user,
        NewEntry("motion", text, subtype="suppress", uploads=uploads),
    )


def response(court, to: int, text="Response in opposition to the motion to suppress", title="r1"):
    return service.file_by_counsel(
        court.rivera,
        court.prosecutor_user,
        NewEntry("response", text, responds_to=to, uploads=[Upload(pdf(title=title), "resp.pdf")]),
    )


def order(court, text="ORDER", resolves=()):
    return service.docket_by_clerk(
        court.rivera, court.clerk, NewEntry("order", text, resolves=tuple(resolves))
    )


def client_for(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def sheet_url(case):
    return f"/cases/{case.id}/docket"


def entry_url(case, number):
    return f"/cases/{case.id}/docket/{number}"


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def row_of(html: str, number: int) -> str:
    """The docket sheet's table row of entry `number`."""
    match = re.search(rf'<tr id="entry-{number}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for entry #{number}"
    return match.group(0)


def text_of(html: str) -> str:
    """The words a reader sees: inline tags vanish, block tags separate."""
    html = re.sub(r"</?(a|span|strong|em)\b[^>]*>", "", html)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
    return html_text.unescape(words)


def downloads() -> int:
    return db.session.scalar(select(func.count()).select_from(DocumentDownload))


def corrections():
    db.session.expire_all()
    return db.session.scalars(select(RecordCorrection).order_by(RecordCorrection.id)).all()


def queries_for(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm: plans parsed, user loaded once
    with counted_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


# --- the sheet -----------------------------------------------------------------------------


def test_the_sheet_has_the_pacer_header_and_the_entries_in_order(app, court):
    motion(court, attachments=["Exhibit A: police report"])
    response(court, 1)
    order(court, "ORDER denying the motion to suppress", resolves=[1])
    html = page(client_for(app, "clerk@cir1.test"), sheet_url(court.rivera))
    words = text_of(html)
    assert "First Circuit Court" in words
    assert "Criminal docket for case #: 2026-CR-000001" in words
    assert "State v. Rivera" in words and "Hon. Adaeze Okafor" in words
    assert "Date filed Mar 2, 2026" in words and "Status Active" in words
    assert "Defendant (1) Ana Rivera" in words
    assert "Luis Moreno" in words and "appeared Mar 3, 2026" in words
    assert "Prosecution The State" in words and "Dana Chen" in words
    assert "Date Filed # Docket Text" in words

    numbers = [int(n) for n in re.findall(r'<tr id="entry-(\d+)"', html)]
    assert numbers == [1, 2, 3]
    filed = court_today().strftime("%m/%d/%Y")
    first = text_of(row_of(html, 1))
    # The text's own beginning is its bold lead ("Motion"), not said twice.
    assert first.startswith(f"{filed} 1 Motion to suppress the stop of March 1 Filed by")
    assert "<strong>Motion</strong> to suppress the stop" in row_of(html, 1)
    assert "Filed by Luis Moreno for the defense (Ana Rivera)." in first
    assert "Main document motion to suppress.pdf" in first
    assert "Attachment 1: Exhibit A: police report exhibit-1.pdf" in first
    assert "Responded to by #2; resolved by #3" in first
    assert "Response to #1" in text_of(row_of(html, 2))
    assert "Filed by Dana Chen for the prosecution." in text_of(row_of(html, 2))
    third = text_of(row_of(html, 3))
    assert "ORDER denying the motion to suppress Filed by the court." in third
    assert "Resolving #1" in third
    # The documents link to their downloads, the numbers to the entries' pages.
    entry = db.session.scalar(select(DocketEntry).where(DocketEntry.number == 1))
    for document in entry.documents:
        assert f'href="/documents/{document.id}"' in row_of(html, 1)
    assert f'href="{entry_url(court.rivera, 1)}"' in row_of(html, 1)


def test_what_is_due_lists_the_document_deadlines_and_the_entry_that_met_each(app, court):
    motion(court)
    html = page(client_for(app, "moreno@defense.test"), sheet_url(court.rivera))
    due = text_of(html.split('id="docket-due"', 1)[1])
    assert "Response to motion #1 Prosecution" in due
    assert re.search(r"Response to motion #1 Prosecution \w{3} \d+, \d{4} (pending|overdue)", due)
    response(court, 1)
    html = page(client_for(app, "chen@da.test"), sheet_url(court.rivera))
    section = html.split('id="docket-due"', 1)[1]
    assert re.search(r"Response to motion #1 Prosecution .*? met #2 on", text_of(section))
    assert '<a href="#entry-2">#2</a>' in section


def test_a_motion_decided_before_its_response_owes_nothing_and_has_no_date(app, court):
    motion(court)
    order(court, "ORDER denying the motion to suppress", resolves=(1,))
    html = page(client_for(app, "chen@da.test"), sheet_url(court.rivera))
    due = text_of(html.split('id="docket-due"', 1)[1])
    assert "Response to motion #1 Prosecution — not applicable" in due


def test_a_stricken_entry_stays_with_a_line_through_and_its_reason(app, court):
    entry = motion(court)
    service.strike(entry, "Filed in the wrong case", court.clerk)
    html = page(client_for(app, "chen@da.test"), sheet_url(court.rivera))
    row = row_of(html, 1)
    assert 'class="stricken-row"' in row
    assert "STRICKEN: Filed in the wrong case" in text_of(row)
    assert "Motion to suppress the stop" in text_of(row)


def sealed_motion(court, filer_may_see: bool):
    entry = motion(court, text="Motion naming the confidential informant", attachments=["Exhibit"])
    order(court, "ORDER sealing #1")
    service.seal(entry, "Informant safety", 2, filer_may_see, court.clerk)
    return entry


@pytest.mark.parametrize(
    ("email", "sees_it"),
    [
        ("clerk@cir1.test", True),
        ("okafor@cir1.test", True),  # the case's judge
        ("moreno@defense.test", True),  # the filing party, as the seal order allows
        ("chen@da.test", False),  # the other side
        ("lind@cir1.test", False),  # another judge of the court
        ("admin@cir1.test", False),
    ],
)
def test_a_sealed_entry_shows_as_sealed_to_whoever_may_not_see_it(app, court, email, sees_it):
    entry = sealed_motion(court, filer_may_see=True)
    document_ids = [d.id for d in entry.documents]
    client = client_for(app, email)
    html = page(client, sheet_url(court.rivera))
    row = row_of(html, 1)
    if sees_it:
        assert "Motion naming the confidential informant" in text_of(row)
        assert all(f"/documents/{d}" in row for d in document_ids)
        assert "Sealed" in row
    else:
        assert text_of(row) == f"{court_today():%m/%d/%Y} 1 SEALED"
        assert "informant" not in html.lower() and "MOTION" not in row
        assert all(f"/documents/{d}" not in html for d in document_ids)
        # Nor is it linked from the entries that refer to it, nor named by what is due.
        assert "Response to motion #1" not in html
    one = page(client, entry_url(court.rivera, 1))
    if sees_it:
        assert "Motion naming the confidential informant" in one
    else:
        assert "SEALED" in one and "informant" not in one.lower() and "Motion" not in one
        assert "/documents/" not in one and "Informant safety" not in one


def test_a_seal_that_does_not_allow_the_filer_hides_the_entry_from_its_filer_too(app, court):
    sealed_motion(court, filer_may_see=False)
    row = row_of(page(client_for(app, "moreno@defense.test"), sheet_url(court.rivera)), 1)
    assert "SEALED" in row and "informant" not in row.lower()
    row = row_of(page(client_for(app, "okafor@cir1.test"), sheet_url(court.rivera)), 1)
    assert "Motion naming the confidential informant" in text_of(row)


def test_buttons_file_for_counsel_docket_for_the_clerk_and_neither_for_a_judge(app, court):
    file_url = f'href="/cases/{court.rivera.id}/docket/file"'
    docket_url = f'href="/cases/{court.rivera.id}/docket/new"'
    html = page(client_for(app, "moreno@defense.test"), sheet_url(court.rivera))
    assert file_url in html and docket_url not in html and "Seal the case" not in html
    html = page(client_for(app, "clerk@cir1.test"), sheet_url(court.rivera))
    assert docket_url in html and file_url not in html and "Seal the case" in html
    html = page(client_for(app, "okafor@cir1.test"), sheet_url(court.rivera))
    assert file_url not in html and docket_url not in html and "Seal the case" not in html


def test_the_print_mode_is_the_report_alone(app, court):
    motion(court, attachments=["Exhibit A"])
    response(court, 1)
    html = page(client_for(app, "clerk@cir1.test"), sheet_url(court.rivera) + "?print=1")
    assert "Criminal docket for case #:" in html and "Date Filed" in html
    assert "Response to #1" in html and "Main document" in html
    assert 'class="site-header"' not in html and "<nav" not in html
    assert "Docket an entry" not in html and "Seal the case" not in html
    assert "/documents/" not in html  # no links on paper
    assert 'href="#entry-' not in html
    assert "Printed from Docket on" in html and "css/filings.css" in html
    assert "Back to the docket sheet" in html  # on screen only (class no-print)
    assert "Contains sealed material" not in html


def test_a_printout_with_sealed_entries_says_so_only_to_those_who_see_them(app, court):
    sealed_motion(court, filer_may_see=False)
    url = sheet_url(court.rivera) + "?print=1"
    clerk = page(client_for(app, "clerk@cir1.test"), url)
    assert "Contains sealed material (the entries marked Sealed): do not distribute." in clerk
    assert "Motion naming the confidential informant" in text_of(clerk)
    other = page(client_for(app, "chen@da.test"), url)
    assert "Contains sealed material" not in other and "informant" not in other.lower()
    assert "Entries you may not see show as SEALED." in other


def test_the_sheet_costs_the_same_queries_for_3_entries_or_40(app, court):
    def fill(count):
        for n in range(count):
            if n % 4 == 1:
                entry = response(court, n, text=f"Response {n}", title=f"r{n}")
            else:
                entry = motion(court, text=f"Motion {n}", title=f"m{n}", attachments=["Ex"])
            if n % 5 == 3:
                service.strike(entry, "wrong case", court.clerk)
        order(court, "ORDER sealing", resolves=[1])

    fill(2)  # 3 entries: two filings and the order
    service.seal(db.session.get(DocketEntry, 1), "safety", 3, True, court.clerk)
    clients = {email: client_for(app, email) for email in ("clerk@cir1.test", "chen@da.test")}
    few = {email: queries_for(c, sheet_url(court.rivera)) for email, c in clients.items()}
    for n in range(37):
        entry = motion(court, text=f"More {n}", title=f"x{n}", attachments=["Ex"])
        if n % 3 == 0:
            response(court, entry.number, text=f"Answer {n}", title=f"y{n}")
    count = db.session.scalar(
        select(func.count()).select_from(DocketEntry).where(DocketEntry.case_id == court.rivera.id)
    )
    assert count >= 40
    many = {email: queries_for(c, sheet_url(court.rivera)) for email, c in clients.items()}
    assert many == few
    assert all(n <= 14 for n in many.values()), many


# --- an entry's page and the corrections ---------------------------------------------------


def test_an_entry_page_shows_filer_documents_links_both_ways_and_history(app, court):
    motion(court, attachments=["Exhibit A"])
    response(court, 1)
    order(court, "ORDER denying", resolves=[1])
    service.strike(db.session.get(DocketEntry, 2), "Untimely", court.clerk)
    html = page(client_for(app, "okafor@cir1.test"), entry_url(court.rivera, 1))
    words = text_of(html)
    assert "#1 MOTION to suppress evidence" in words and "Type Motion to suppress evidence" in words
    assert "Filed by Luis Moreno for the defense (Ana Rivera)" in words
    assert "Main document" in words and "Attachment 1: Exhibit A" in words
    assert "Responded to by #2" in words and "Resolved by #3" in words
    assert f'href="{entry_url(court.rivera, 2)}"' in html
    assert "Never stricken, sealed or unsealed." in words
    assert "Correct the record" not in words  # judges read; the clerk corrects
    html = page(client_for(app, "okafor@cir1.test"), entry_url(court.rivera, 2))
    assert "STRICKEN: Untimely" in text_of(html) and "Stricken Untimely" in text_of(html)
    page(client_for(app, "okafor@cir1.test"), entry_url(court.rivera, 9), 404)


def test_the_court_sees_who_downloaded_an_entrys_documents(app, court):
    entry = motion(court, attachments=["Exhibit A"])
    moreno, chen = client_for(app, "moreno@defense.test"), client_for(app, "chen@da.test")
    assert moreno.get(f"/documents/{entry.documents[0].id}").status_code == 200
    assert chen.get(f"/documents/{entry.documents[1].id}").status_code == 200
    for email in ("clerk@cir1.test", "okafor@cir1.test"):
        words = text_of(page(client_for(app, email), entry_url(court.rivera, 1)))
        listed = words.split("Downloads", 1)[1].split("Correction history", 1)[0]
        assert "Every download of this entry's documents, newest first." in listed
        assert listed.index("Chen attorney Attachment 1: Exhibit A") < listed.index(
            "Moreno attorney Main document"
        )
    for email in ("moreno@defense.test", "chen@da.test"):  # the log is the court's
        assert 'id="downloads"' not in page(client_for(app, email), entry_url(court.rivera, 1))


def test_the_clerk_strikes_an_entry_through_the_page_and_history_keeps_it(app, court):
    motion(court)
    clerk = client_for(app, "clerk@cir1.test")
    assert "Strike entry #1" in page(clerk, entry_url(court.rivera, 1))
    refused = clerk.post(entry_url(court.rivera, 1) + "/strike", data={"reason": "  "})
    assert refused.status_code == 200
    assert "Say why the entry is stricken." in refused.get_data(as_text=True)
    assert corrections() == []
    done = clerk.post(entry_url(court.rivera, 1) + "/strike", data={"reason": "Wrong case"})
    assert done.status_code == 302 and done.headers["Location"].endswith(entry_url(court.rivera, 1))
    [row] = corrections()
    assert (row.action, row.reason, row.by_user_id) == ("strike", "Wrong case", court.clerk.id)
    words = text_of(page(clerk, entry_url(court.rivera, 1)))
    assert "Entry #1 stricken" in words and "Stricken Wrong case — Clerk" in words
    assert "Strike entry #1" not in words
    again = clerk.post(entry_url(court.rivera, 1) + "/strike", data={"reason": "Twice"})
    assert "Entry #1 is already stricken." in again.get_data(as_text=True)
    assert len(corrections()) == 1


@pytest.mark.parametrize("email", ["okafor@cir1.test", "moreno@defense.test", "clerk@cir2.test"])
def test_only_the_courts_clerk_corrects_the_record(app, court, email):
    motion(court)
    order(court, "ORDER sealing")
    client = client_for(app, email)
    url = entry_url(court.rivera, 1)
    for action, data in [
        ("strike", {"reason": "x"}),
        ("seal", {"reason": "x", "order": "2"}),
        ("unseal", {"reason": "x", "order": "2"}),
    ]:
        assert client.post(f"{url}/{action}", data=data).status_code == 403
    refused = client.post(
        f"/cases/{court.rivera.id}/seal", data={"action": "seal", "reason": "x", "order": "2"}
    )
    assert refused.status_code == 403
    assert corrections() == []
    assert not db.session.get(Case, court.rivera.id).sealed


def test_seal_and_unseal_need_a_reason_and_an_order_of_the_court(app, court):
    motion(court)
    order(court, "ORDER sealing #1")
    clerk = client_for(app, "clerk@cir1.test")
    seal = entry_url(court.rivera, 1) + "/seal"

    def refusal(data):
        response = clerk.post(seal, data=data)
        assert response.status_code == 200
        return text_of(response.get_data(as_text=True))

    assert "Say why the entry is sealed." in refusal({"order": "2"})
    assert "Name the order (its docket number) that authorizes this." in refusal({"reason": "r"})
    assert "Entry #1 is" in refusal({"reason": "r", "order": "1"})
    assert "not an order of the court." in refusal({"reason": "r", "order": "1"})
    assert "This case has no docket entry #7." in refusal({"reason": "r", "order": "7"})
    assert "Enter the order's docket number, e.g. 12." in refusal({"reason": "r", "order": "two"})
    assert corrections() == []

    done = clerk.post(
        seal, data={"reason": "Informant safety", "order": "#2", "filer_may_see": "y"}
    )
    assert done.status_code == 302
    entry = db.session.get(DocketEntry, 1)
    db.session.refresh(entry)
    assert entry.sealed and entry.seal_allows_filer
    words = text_of(page(clerk, entry_url(court.rivera, 1)))
    assert "Sealed the filing party may still see it Informant safety Order #2 Clerk" in words
    assert "Unseal entry #1" in words and "Seal entry #1" not in words

    unseal = entry_url(court.rivera, 1) + "/unseal"
    refused = text_of(clerk.post(unseal, data={"reason": "Trial"}).get_data(as_text=True))
    assert "Name the order (its docket number) that authorizes this." in refused
    order(court, "ORDER unsealing #1")
    assert clerk.post(unseal, data={"reason": "Trial", "order": "3"}).status_code == 302
    db.session.refresh(entry)
    assert not entry.sealed and not entry.seal_allows_filer
    history = [(c.action, c.reason, c.order_entry_id) for c in corrections()]
    assert [h[:2] for h in history] == [("seal", "Informant safety"), ("unseal", "Trial")]
    words = text_of(page(clerk, entry_url(court.rivera, 1)))
    assert "Unsealed Trial Order #3 Clerk" in words


def test_the_clerk_seals_and_unseals_the_whole_case_from_the_sheet(app, court):
    order(court, "ORDER sealing the case")
    clerk = client_for(app, "clerk@cir1.test")
    defense = client_for(app, "moreno@defense.test")
    page(defense, sheet_url(court.rivera))
    url = f"/cases/{court.rivera.id}/seal"
    refused = text_of(clerk.post(url, data={"action": "seal", "order": "1"}).get_data(as_text=True))
    assert "Say why the case is sealed." in refused
    refused = text_of(clerk.post(url, data={"reason": "r", "order": "1"}).get_data(as_text=True))
    assert "The form lost whether to seal or unseal the case." in refused
    refused = text_of(
        clerk.post(url, data={"action": "seal", "reason": "r"}).get_data(as_text=True)
    )
    assert "Name the order (its docket number) that authorizes this." in refused
    assert corrections() == []

    done = clerk.post(url, data={"action": "seal", "reason": "Grand jury secrecy", "order": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith(sheet_url(court.rivera))
    html = page(clerk, sheet_url(court.rivera))
    assert "Sealed case: for the court only" in html
    assert "Case sealed Grand jury secrecy Order #1 Clerk" in text_of(html)
    assert "Whole case" in text_of(html) and "Unseal the case" in html
    assert "only the court may see it" in page(defense, sheet_url(court.rivera), 403)
    page(client_for(app, "okafor@cir1.test"), sheet_url(court.rivera))  # its judge still does
    page(client_for(app, "lind@cir1.test"), sheet_url(court.rivera), 403)

    done = clerk.post(url, data={"action": "unseal", "reason": "Indictment returned", "order": "1"})
    assert done.status_code == 302
    page(defense, sheet_url(court.rivera))
    assert [c.action for c in corrections()] == ["seal_case", "unseal_case"]


# --- downloads -----------------------------------------------------------------------------


def test_a_download_is_served_inline_and_logged(app, court):
    entry = motion(court, attachments=["Exhibit A"])
    main, attachment = entry.documents
    client = client_for(app, "chen@da.test")
    response = client.get(f"/documents/{main.id}", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200
    assert response.data == storage.path_for(main.sha256).read_bytes()
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="motion to suppress.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    [row] = db.session.scalars(select(DocumentDownload)).all()
    assert (row.document_id, row.user_id, row.remote_addr) == (
        main.id,
        court.prosecutor_user.id,
        "10.1.2.3",
    )
    assert row.at is not None
    assert client.get(f"/documents/{attachment.id}").status_code == 200
    assert downloads() == 2


def test_a_refused_download_says_why_and_is_not_logged(app, court):
    entry = sealed_motion(court, filer_may_see=False)
    document = entry.documents[0]
    url = f"/documents/{document.id}"
    assert "is sealed" in page(client_for(app, "chen@da.test"), url, 403)
    assert "is sealed" in page(client_for(app, "moreno@defense.test"), url, 403)
    assert "not counsel of record" in page(client_for(app, "vega@defense.test"), url, 403)
    assert "another court" in page(client_for(app, "clerk@cir2.test"), url, 403)
    page(client_for(app, "chen@da.test"), "/documents/999999", 404)
    db.session.add(
        CounselOfRecord(
            case=court.ortiz,
            attorney=court.other_defender,
            side="defense",
            defendant=court.ortiz.defendants[0],
            appeared_on=date(2026, 3, 3),
            withdrew_on=court_today() - timedelta(days=1),
        )
    )
    db.session.commit()
    ortiz_motion = service.docket_by_clerk(
        court.ortiz,
        court.clerk,
        NewEntry("notice", "Notice of appearance", uploads=[Upload(pdf(title="n"), "n.pdf")]),
    )
    withdrawn = page(
        client_for(app, "vega@defense.test"), f"/documents/{ortiz_motion.documents[0].id}", 403
    )
    assert "no longer counsel of record" in withdrawn
    assert downloads() == 0
    # The court may.
    assert client_for(app, "okafor@cir1.test").get(url).status_code == 200
    assert downloads() == 1


def test_a_missing_stored_file_is_an_error_page_never_another_file(app, court):
    entry = motion(court)
    document = entry.documents[0]
    path = storage.path_for(document.sha256)
    path.rename(path.with_suffix(".away"))
    try:
        response = client_for(app, "chen@da.test").get(f"/documents/{document.id}")
    finally:
        path.with_suffix(".away").rename(path)
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "stored file of motion to suppress.pdf" in body and "missing" in body
    assert response.headers["Content-Type"].startswith("text/html")
    assert downloads() == 0


# --- the case page -------------------------------------------------------------------------


def test_the_case_page_links_to_the_docket_sheet_and_each_entry(app, court):
    motion(court)
    html = page(client_for(app, "moreno@defense.test"), f"/cases/{court.rivera.id}")
    assert f'href="{sheet_url(court.rivera)}">Docket sheet</a>' in html
    assert f'href="{entry_url(court.rivera, 1)}">1</a>' in html
