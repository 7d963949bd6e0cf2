"""An attorney's "my filings" and "due from me" (issue 6), on both engines: what each lists,
who may open them, counsel who withdrew losing the case from the withdrawal date, sealed
entries and cases, the response deadline owed by the other side, and a constant number of
queries whatever the number of entries."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from docket.clock import court_today
from docket.extensions import db
from docket.filings import service
from docket.filings.service import NewEntry, Upload
from docket.models import CounselOfRecord, Deadline, Defendant, Document
from tests.conftest import sign_in
from tests.isolated_client import isolated_client
from tests.pdfs import pdf
from tests.query_count import counted_queries


def signed_in(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def words(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def motion(court, text, title, *, user=None, case=None, **fields):
    return service.file_by_counsel(
        case or court.rivera,
        user or court.attorney_user,
        NewEntry(
            "motion",
            text,
            subtype="suppress",
            uploads=[Upload(pdf(title=title), f"{title}.pdf", "Memorandum")],
            **fields,
        ),
    )


def order(court, text, case=None):
    return service.docket_by_clerk(case or court.rivera, court.clerk, NewEntry("order", text))


def withdraw(court, attorney, case, on: date) -> None:
    row = db.session.scalar(
        select(CounselOfRecord).where(
            CounselOfRecord.case_id == case.id, CounselOfRecord.attorney_id == attorney.id
        )
    )
    row.withdrew_on = on
    db.session.commit()


def queries_for(client, path: str) -> int:
    assert client.get(path).status_code == 200  # warm
    with counted_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


# --- my filings ----------------------------------------------------------------------------


def test_my_filings_lists_what_the_attorney_filed_newest_first_with_case_and_documents(app, court):
    first = motion(court, "Motion to suppress the traffic stop", "first")
    second = motion(court, "Motion to suppress the statements", "second")
    service.file_by_counsel(
        court.rivera,
        court.prosecutor_user,
        NewEntry(
            "response",
            "Response in opposition to the motion",
            responds_to=first.number,
            uploads=[Upload(pdf(title="answer"), "answer.pdf")],
        ),
    )
    page = words(signed_in(app, "moreno@defense.test").get("/filings/mine"))
    assert page.index("the statements") < page.index("the traffic stop")  # newest first
    assert "Response in opposition" not in page  # the prosecutor's, not his
    assert "2026-CR-000001" in page and "State v. Rivera" in page
    assert "Motion to suppress evidence" in page  # type and kind
    assert "Main document: Memorandum" in page and "second.pdf" in page

    raw = page_text(signed_in(app, "moreno@defense.test").get("/filings/mine"))
    assert f'href="/cases/{court.rivera.id}/docket"' in raw
    assert f'href="/cases/{court.rivera.id}/docket/{second.number}"' in raw
    document = db.session.scalar(select(Document).where(Document.docket_entry_id == second.id))
    assert f'href="/documents/{document.id}"' in raw

    prosecutor = words(signed_in(app, "chen@da.test").get("/filings/mine"))
    assert "Response in opposition" in prosecutor and "traffic stop" not in prosecutor


def test_an_attorney_who_filed_nothing_sees_nothing_of_other_cases(app, court):
    motion(court, "Motion to suppress the traffic stop", "first")
    page = words(signed_in(app, "vega@defense.test").get("/filings/mine"))
    assert "traffic stop" not in page and "2026-CR-000001" not in page
    assert "You have filed nothing" in page


def test_withdrawn_counsel_lose_their_filings_in_the_case_from_the_withdrawal_date(app, court):
    motion(court, "Motion to suppress the traffic stop", "first")
    today = court_today()

    withdraw(court, court.defender, court.rivera, today + timedelta(days=1))
    page = words(signed_in(app, "moreno@defense.test").get("/filings/mine"))
    assert "traffic stop" in page  # still counsel until tomorrow
    assert "not shown" not in page

    withdraw(court, court.defender, court.rivera, today)
    page = words(signed_in(app, "moreno@defense.test").get("/filings/mine"))
    assert "traffic stop" not in page and "2026-CR-000001" not in page
    assert "1 filing in cases you no longer appear in is not shown." in page


def test_a_sealed_filing_shows_as_sealed_unless_the_seal_order_lets_the_filer_see_it(app, court):
    hidden = motion(court, "Motion naming the confidential informant", "hidden")
    allowed = motion(
        court,
        "Motion about the cooperating witness",
        "allowed",
        under_seal=True,
        seal_reason="Witness safety",
    )
    sealing = order(court, "ORDER sealing entry 1")
    service.seal(hidden, "Informant's safety", sealing.number, False, court.clerk)

    client = signed_in(app, "moreno@defense.test")
    page = words(client.get("/filings/mine"))
    assert "confidential informant" not in page
    assert re.search(
        rf"2026-CR-000001 State v. Rivera {hidden.number} \w+ \d+, \d{{4}} SEALED", page
    )
    assert "cooperating witness" in page  # the order lets the filing party see it
    raw = page_text(client.get("/filings/mine"))
    hidden_document = db.session.scalar(
        select(Document).where(Document.docket_entry_id == hidden.id)
    )
    assert f"/documents/{hidden_document.id}" not in raw
    assert "hidden.pdf" not in raw
    assert allowed.number != hidden.number


def test_filings_in_a_sealed_case_are_not_shown_and_the_page_says_so(app, court):
    motion(court, "Motion to suppress the traffic stop", "first")
    sealing = order(court, "ORDER sealing the case")
    service.seal_case(court.rivera, "Grand jury secrecy", sealing.number, court.clerk)
    page = words(signed_in(app, "moreno@defense.test").get("/filings/mine"))
    assert "traffic stop" not in page and "2026-CR-000001" not in page
    assert "1 filing in sealed cases is not shown" in page


def test_my_filings_pages_by_the_configured_size(app, court):
    app.config["DOCKET_ENTRIES_PER_SEARCH"] = 2
    for n in range(3):
        motion(court, f"Motion number {n} to suppress", f"m{n}")
    client = signed_in(app, "moreno@defense.test")
    first = words(client.get("/filings/mine"))
    assert "Motion number 2" in first and "Motion number 1" in first
    assert "Motion number 0" not in first and "Older" in first
    second = words(client.get("/filings/mine?page=2"))
    assert "Motion number 0" in second and "Motion number 2" not in second


@pytest.mark.parametrize("email", ["clerk@cir1.test", "okafor@cir1.test", "admin@cir1.test"])
@pytest.mark.parametrize("path", ["/filings/mine", "/filings/due"])
def test_only_attorneys_have_my_filings_and_due_from_me(app, court, email, path):
    response = signed_in(app, email).get(path)
    assert response.status_code == 403
    assert "This page is for attorneys." in html.unescape(response.get_data(as_text=True))


def test_signed_out_visitors_are_sent_to_sign_in(app, court):
    response = isolated_client(app).get("/filings/mine")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_my_filings_costs_the_same_queries_for_one_entry_or_many(app, court):
    motion(court, "Motion to suppress 0", "q0")
    client = signed_in(app, "moreno@defense.test")
    few = queries_for(client, "/filings/mine")
    for n in range(1, 7):
        motion(court, f"Motion to suppress {n}", f"q{n}")
    assert queries_for(client, "/filings/mine") == few


# --- due from me ---------------------------------------------------------------------------


def test_due_from_me_shows_the_response_owed_to_the_other_sides_motion_not_to_ones_own(app, court):
    filed = motion(court, "Motion to suppress the traffic stop", "first")
    deadline = db.session.scalar(
        select(Deadline).where(Deadline.item_id == f"motion_response#{filed.number}")
    )
    assert deadline.owed_by == "prosecution"

    prosecutor = words(signed_in(app, "chen@da.test").get("/filings/due"))
    assert f"Response to motion #{filed.number}" in prosecutor
    assert "2026-CR-000001" in prosecutor
    left = (deadline.due_on - court_today()).days
    assert f"{left} day{'' if left == 1 else 's'} left" in prosecutor
    assert "How this date was computed" in prosecutor
    assert deadline.explanation[0] in prosecutor

    defender = words(signed_in(app, "moreno@defense.test").get("/filings/due"))
    assert f"Response to motion #{filed.number}" not in defender  # his own motion
    assert "Nothing is due from your side" in defender

    other = words(signed_in(app, "vega@defense.test").get("/filings/due"))
    assert "Response to motion" not in other


def test_a_response_moves_to_filed_with_a_link_to_the_entry_that_met_it(app, court):
    filed = motion(court, "Motion to suppress the traffic stop", "first")
    answer = service.file_by_counsel(
        court.rivera,
        court.prosecutor_user,
        NewEntry(
            "response",
            "Response in opposition",
            responds_to=filed.number,
            uploads=[Upload(pdf(title="answer"), "answer.pdf")],
        ),
    )
    client = signed_in(app, "chen@da.test")
    page = words(client.get("/filings/due"))
    owed, met = page.split("Filed in the last 30 days", 1)
    assert "Response to motion #1" not in owed
    assert "Response to motion #1" in met and f"Entry #{answer.number}" in met
    raw = page_text(client.get("/filings/due"))
    assert f'href="/cases/{court.rivera.id}/docket/{answer.number}"' in raw


def add_document_deadline(
    case,
    item_id,
    due_on,
    *,
    owed_by="prosecution",
    status="pending",
    defendant_id=None,
    satisfied_on=None,
    satisfied_by_entry=None,
):
    row = Deadline(
        case_id=case.id,
        defendant_id=defendant_id,
        kind="document",
        item_id=item_id,
        name=item_id.replace("_", " ").capitalize(),
        plan_version="test",
        due_on=due_on,
        status=status,
        owed_by=owed_by,
        satisfied_on=satisfied_on,
        satisfied_by_entry=satisfied_by_entry,
        explanation=[f"Trigger for {item_id}."],
        citation="Test R. Crim. P. 16",
        computed_for=court_today(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_overdue_documents_come_first_and_are_marked(app, court):
    today = court_today()
    add_document_deadline(court.rivera, "exhibit_list", today + timedelta(days=5))
    add_document_deadline(court.ortiz, "discovery_disclosure", today - timedelta(days=3))
    add_document_deadline(court.rivera, "witness_list", today - timedelta(days=9), status="missed")
    add_document_deadline(
        court.rivera,
        "old_disclosure",
        today - timedelta(days=60),
        status="met",
        satisfied_on=today - timedelta(days=45),
    )
    page = words(signed_in(app, "chen@da.test").get("/filings/due"))
    assert "3 documents due, 2 overdue" in page
    owed = page.split("Filed in the last 30 days", 1)[0]
    order_seen = [
        owed.index(name) for name in ("Witness list", "Discovery disclosure", "Exhibit list")
    ]
    assert order_seen == sorted(order_seen)
    assert "Witness list" in owed and "9 days over Overdue" in owed
    assert "3 days over Overdue" in owed and "5 days left Due" in owed
    assert "Old disclosure" not in page  # met more than 30 days ago


def test_a_defense_document_is_due_only_from_the_counsel_of_its_defendant(app, court):
    other = Defendant(
        case=court.rivera,
        number=2,
        last_name="Soto",
        first_name="Ben",
        name_key=Defendant.make_name_key("Soto", "Ben"),
    )
    db.session.add(other)
    db.session.flush()
    mine = court.rivera.defendants[0]
    add_document_deadline(
        court.rivera, "alibi_notice_one", court_today(), owed_by="defense", defendant_id=mine.id
    )
    add_document_deadline(
        court.rivera, "alibi_notice_two", court_today(), owed_by="defense", defendant_id=other.id
    )
    add_document_deadline(court.rivera, "joint_notice", court_today(), owed_by="defense")
    page = words(signed_in(app, "moreno@defense.test").get("/filings/due"))
    assert "Alibi notice one" in page and "Joint notice" in page
    assert "Alibi notice two" not in page
    assert "0 days left" in page
    assert "Alibi notice" not in words(signed_in(app, "chen@da.test").get("/filings/due"))


def test_withdrawn_counsel_and_sealed_cases_owe_nothing_here(app, court):
    motion(court, "Motion to suppress the traffic stop", "first")
    add_document_deadline(court.ortiz, "discovery_disclosure", court_today())
    withdraw(court, court.prosecutor, court.rivera, court_today())
    page = words(signed_in(app, "chen@da.test").get("/filings/due"))
    assert "Response to motion #1" not in page and "Discovery disclosure" in page

    sealing = order(court, "ORDER sealing the case", case=court.ortiz)
    service.seal_case(court.ortiz, "Grand jury secrecy", sealing.number, court.clerk)
    page = words(signed_in(app, "chen@da.test").get("/filings/due"))
    assert "Discovery disclosure" not in page and "Nothing is due from your side" in page


def test_the_attorneys_dashboard_counts_the_documents_due(app, court):
    motion(court, "Motion to suppress the traffic stop", "first")
    motion(court, "Motion to dismiss count one", "second")
    page = words(signed_in(app, "chen@da.test").get("/"))
    assert "Due from me: 2 documents" in page
    assert "Due from me: 0 documents" in words(signed_in(app, "moreno@defense.test").get("/"))


def test_the_navigation_offers_search_to_all_and_the_filing_pages_to_attorneys(app, court):
    attorney = page_text(signed_in(app, "moreno@defense.test").get("/"))
    for link in ('href="/filings/mine"', 'href="/filings/due"', 'href="/search"'):
        assert link in attorney
    clerk = page_text(signed_in(app, "clerk@cir1.test").get("/"))
    assert 'href="/search"' in clerk and 'href="/filings/mine"' not in clerk


def test_due_from_me_costs_the_same_queries_for_one_deadline_or_many(app, court):
    motion(court, "Motion to suppress 0", "q0")
    client = signed_in(app, "chen@da.test")
    few = queries_for(client, "/filings/due")
    for n in range(1, 5):
        motion(court, f"Motion to suppress {n}", f"q{n}")
    add_document_deadline(
        court.ortiz,
        "old_disclosure",
        court_today() - timedelta(days=20),
        status="met_late",
        satisfied_on=court_today() - timedelta(days=2),
        satisfied_by_entry=1,
    )
    page = words(client.get("/filings/due"))
    assert "Response to motion #5" in page and "Filed late" in page
    assert queries_for(client, "/filings/due") == few
