"""The filing pages' fixes for sealed material (tests/test_sealed_everywhere.py has the
leaks themselves), from the other side: those who may see a sealed entry still get what it
tells them (the duplicate warning, "Order #2", "(decided)"), and what is hidden from the rest
costs no query per row. The case is Rivera (Judge Okafor's; Moreno defends, Chen prosecutes).
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from docket.extensions import db
from docket.filings import filing_choices, service
from docket.filings.service import FilingError, NewEntry, Upload
from docket.models import DocketEntry, Document
from docket.permissions import visible_entries_clause
from tests.pdfs import pdf
from tests.query_count import counted_queries
from tests.sealed_court import CHEN, CLERK, MORENO, OKAFOR, client_for, order, page


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path):
    app.config["DOCUMENTS_DIR"] = str(tmp_path / "documents")


def sealed_affidavit(court, content: bytes, filer_may_see: bool) -> DocketEntry:
    """#1 Moreno's affidavit (affidavit-7.pdf), sealed by order #2."""
    affidavit = service.file_by_counsel(
        court.rivera,
        court.attorney_user,
        NewEntry("notice", "NOTICE of affidavit", uploads=[Upload(content, "affidavit-7.pdf")]),
    )
    sealing = order(court, "ORDER sealing entry 1")
    service.seal(affidavit, "Informant safety", sealing.number, filer_may_see, court.clerk)
    return affidavit


# --- the duplicate-file check ----------------------------------------------------------------


def test_counsel_may_file_a_copy_of_a_document_sealed_from_them(app, court):
    """Chen's copy of the sealed affidavit is not pointed out: it is filed (#3)."""
    content = pdf(title="the affidavit")
    sealed_affidavit(court, content, filer_may_see=False)
    response = client_for(app, CHEN).post(
        f"/cases/{court.rivera.id}/docket/file",
        data={
            "entry_type": "notice",
            "text": "NOTICE of filing",
            "document": (io.BytesIO(content), "mine.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    third = db.session.scalar(
        select(Document)
        .join(DocketEntry, DocketEntry.id == Document.docket_entry_id)
        .where(DocketEntry.case_id == court.rivera.id, DocketEntry.number == 3)
    )
    first = db.session.scalar(select(Document).where(Document.file_name == "affidavit-7.pdf"))
    assert third.file_name == "mine.pdf" and third.sha256 == first.sha256


def test_the_clerk_is_still_told_of_a_copy_of_a_sealed_document(app, court):
    content = pdf(title="the affidavit")
    sealed_affidavit(court, content, filer_may_see=False)
    with pytest.raises(FilingError, match=r"affidavit-7\.pdf, already filed as entry #1"):
        service.docket_by_clerk(
            court.rivera,
            court.clerk,
            NewEntry("notice", "NOTICE (paper)", uploads=[Upload(content, "paper.pdf")]),
            filer_party="prosecution",
        )


def test_the_filer_the_seal_allows_is_still_told_of_a_copy_of_their_document(app, court):
    content = pdf(title="the affidavit")
    sealed_affidavit(court, content, filer_may_see=True)
    with pytest.raises(FilingError, match=r"already filed as entry #1"):
        service.file_by_counsel(
            court.rivera,
            court.attorney_user,
            NewEntry("notice", "NOTICE again", uploads=[Upload(content, "again.pdf")]),
        )
    copy = service.file_by_counsel(  # Chen's copy: the seal keeps him out, nothing to say
        court.rivera,
        court.prosecutor_user,
        NewEntry("notice", "NOTICE of filing", uploads=[Upload(content, "copy.pdf")]),
    )
    assert copy.number == 3


# --- the entry page's correction history -------------------------------------------------------


def history(markup: str) -> str:
    found = re.search(r'<section aria-labelledby="history">(.*?)</section>', markup, re.S)
    assert found, "no correction history"
    return found.group(1)


def seal_the_sealing_order(court):
    """#1 Moreno's notice, sealed by #2 (Moreno may still see it); #2 sealed by #3."""
    notice = service.file_by_counsel(
        court.rivera,
        court.attorney_user,
        NewEntry("notice", "NOTICE of an affidavit", uploads=[Upload(pdf(title="n"), "n.pdf")]),
    )
    sealing = order(court, "ORDER sealing entry 1")
    service.seal(notice, "Informant safety", sealing.number, True, court.clerk)
    second = order(court, "ORDER sealing entry 2")
    service.seal(sealing, "Names the informant", second.number, False, court.clerk)
    return notice


def test_the_history_says_a_sealed_order_to_the_filer_and_order_2_to_the_court(app, court):
    seal_the_sealing_order(court)
    url = f"/cases/{court.rivera.id}/docket/1"
    for email in (CLERK, OKAFOR):
        shown = history(page(client_for(app, email), url))
        assert "Order #2" in shown and f'href="/cases/{court.rivera.id}/docket/2"' in shown
        assert "a sealed order" not in shown
    shown = history(page(client_for(app, MORENO), url))
    assert "a sealed order" in shown and "Informant safety" in shown
    assert "#2" not in shown and "/docket/2" not in shown


def test_the_history_names_an_order_the_filer_may_see(app, court):
    seal_the_sealing_order(court)
    unsealing = order(court, "ORDER unsealing entry 1")  # 4, not sealed
    service.unseal(db.session.get(DocketEntry, 1), "Trial is over", unsealing.number, court.clerk)
    shown = history(page(client_for(app, CHEN), f"/cases/{court.rivera.id}/docket/1"))
    assert "Order #4" in shown and "a sealed order" in shown and "Order #2" not in shown


def test_the_entry_page_costs_the_same_queries_for_one_correction_or_many(app, court):
    seal_the_sealing_order(court)
    moreno = client_for(app, MORENO)
    url = f"/cases/{court.rivera.id}/docket/1"

    def queries() -> int:
        assert moreno.get(url).status_code == 200
        with counted_queries() as statements:
            assert moreno.get(url).status_code == 200
        return len(statements)

    few = queries()
    notice = db.session.get(DocketEntry, 1)
    for n in range(4):
        unsealing = order(court, f"ORDER unsealing {n}")
        service.unseal(notice, "For now", unsealing.number, court.clerk)
        sealing = order(court, f"ORDER sealing {n}")
        service.seal(notice, "Again", sealing.number, True, court.clerk)
        service.seal(
            sealing,
            "Itself",
            order(court, f"ORDER sealing the order {n}").number,
            False,
            court.clerk,
        )
    assert page(moreno, url).count("a sealed order") == 5
    assert queries() == few


# --- the "Responds to" choices -----------------------------------------------------------------


def decided_by_a_sealed_order(court) -> None:
    """#1 Moreno's motion, decided by order #2, sealed by order #3."""
    service.file_by_counsel(
        court.rivera,
        court.attorney_user,
        NewEntry(
            "motion",
            "MOTION to dismiss",
            subtype="dismiss",
            uploads=[Upload(pdf(title="m"), "m.pdf")],
        ),
    )
    deciding = order(court, "ORDER denying the motion to dismiss", resolves=(1,))
    sealing = order(court, "ORDER sealing entry 2")
    service.seal(deciding, "Sensitive findings", sealing.number, False, court.clerk)


def resolved(court, user) -> bool:
    clause = None if user.role == "clerk" else visible_entries_clause(user)
    (motion,) = [e for e in filing_choices._answerable(court.rivera, clause) if e.number == 1]
    return motion.resolved


def test_only_the_court_knows_a_motion_decided_by_a_sealed_order_is_decided(app, court):
    decided_by_a_sealed_order(court)
    assert resolved(court, court.clerk) and resolved(court, court.judge_user)
    assert not resolved(court, court.prosecutor_user)
    assert not resolved(court, court.other_judge_user)  # not his case: #2 is SEALED to him
    clerk = filing_choices.for_clerk(court.rivera)
    assert [o.value for o in clerk.motions] == ["1"] and clerk.open_motions == []


def test_a_motion_also_decided_by_an_unsealed_order_reads_decided(app, court):
    decided_by_a_sealed_order(court)
    order(court, "ORDER on reconsideration, denying the motion", resolves=(1,))  # 4
    (option,) = filing_choices.for_counsel(court.rivera, court.prosecutor_user).motions
    assert option.label.endswith("(decided)")
