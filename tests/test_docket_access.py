"""Who sees the docket, through HTTP (issue 6): role × own/other case × sealed/unsealed entry
(and a sealed case) × docket sheet / document download / search.

The case is Rivera (Judge Okafor's; the defender Moreno and the prosecutor Chen appear). Its
docket: #1 a defense motion with a PDF (words "zebrafish", "Quillfeather"); #2 the court's
order #2 sealing #3; #3 a defense affidavit with a PDF, sealed by order #2 without leave for
the filer (words "narwhal", "Quixote"). Each row of the matrix says who sees what; the words
checked are never the words searched for (the search box echoes the query).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from docket.clock import court_today
from docket.extensions import db
from docket.filings import service
from docket.filings.service import NewEntry, Upload
from docket.models import CounselOfRecord, DocumentDownload
from tests.conftest import sign_in
from tests.pdfs import pdf

OPEN_WORDS = "Quillfeather"  # in entry #1's text; searched for by "zebrafish"
SEALED_WORDS = "Quixote"  # in entry #3's text; searched for by "narwhal"

# role -> (may see the case, sees the sealed entry)
WHO = {
    "clerk@cir1.test": (True, True),
    "okafor@cir1.test": (True, True),  # the case's judge
    "lind@cir1.test": (True, False),  # another judge of the court
    "admin@cir1.test": (True, False),
    "moreno@defense.test": (True, False),  # filed #3, but the order gave no leave
    "chen@da.test": (True, False),  # the other side
    "vega@defense.test": (False, False),  # counsel in another case only
    "withdrawn@defense.test": (False, False),  # was counsel here, withdrew yesterday
    "clerk@cir2.test": (False, False),  # another court's clerk
}
# With the whole case sealed: only the court (clerks, the case's judge) sees anything.
WHO_CASE_SEALED = {email: (email in ("clerk@cir1.test", "okafor@cir1.test"),) * 2 for email in WHO}


@pytest.fixture
def docket(court, app, tmp_path):
    app.config["DOCUMENTS_DIR"] = str(tmp_path / "documents")
    from docket.models import Attorney
    from tests.factories import user

    withdrawn = Attorney(bar_number="D-400", name="Wes Drawn", office="retained")
    db.session.add(withdrawn)
    db.session.flush()
    user("withdrawn@defense.test", "attorney", attorney=withdrawn)
    rivera = court.rivera
    today = court_today()
    db.session.add(
        CounselOfRecord(
            case=rivera,
            attorney=withdrawn,
            side="defense",
            defendant=rivera.defendants[0],
            appeared_on=today - timedelta(days=60),
            withdrew_on=today - timedelta(days=1),
        )
    )
    db.session.commit()
    motion = service.file_by_counsel(
        rivera,
        court.attorney_user,
        NewEntry(
            "motion",
            f"Motion to suppress the zebrafish evidence, {OPEN_WORDS}",
            subtype="suppress",
            uploads=[Upload(pdf(title="open"), "motion.pdf")],
        ),
    )
    service.docket_by_clerk(rivera, court.clerk, NewEntry("order", "ORDER sealing entry 3"))
    affidavit = service.file_by_counsel(
        rivera,
        court.attorney_user,
        NewEntry(
            "notice",
            f"Notice of the narwhal affidavit of informant {SEALED_WORDS}",
            uploads=[Upload(pdf(title="sealed"), "affidavit.pdf")],
        ),
    )
    service.seal(affidavit, "Informant safety", 2, False, court.clerk)
    return {
        "case": rivera.id,
        "open_document": motion.documents[0].id,
        "sealed_document": affidavit.documents[0].id,
    }


def _downloads() -> int:
    return db.session.scalar(select(func.count()).select_from(DocumentDownload))


def _check(client, email, docket, sees_case, sees_sealed):
    assert sign_in(client, email).status_code in (200, 302)
    sheet = client.get(f"/cases/{docket['case']}/docket")
    if not sees_case:
        assert sheet.status_code in (403, 404), email
    else:
        assert sheet.status_code == 200, email
        body = sheet.get_data(as_text=True)
        assert OPEN_WORDS in body
        assert (SEALED_WORDS in body) is sees_sealed, email
        if not sees_sealed:
            assert "SEALED" in body

    before = _downloads()
    opened = client.get(f"/documents/{docket['open_document']}")
    assert opened.status_code == (200 if sees_case else 403), email
    if sees_case:
        assert opened.data.startswith(b"%PDF-")
    sealed = client.get(f"/documents/{docket['sealed_document']}")
    assert sealed.status_code == (200 if sees_sealed else 403), email
    # Every download served is logged, and only those.
    assert _downloads() - before == int(sees_case) + int(sees_sealed), email

    found = client.get("/search", query_string={"q": "zebrafish"}).get_data(as_text=True)
    assert (OPEN_WORDS in found) is sees_case, email
    found = client.get("/search", query_string={"q": "narwhal"}).get_data(as_text=True)
    assert (SEALED_WORDS in found) is sees_sealed, email


@pytest.mark.parametrize("email", sorted(WHO))
def test_entry_seal_matrix(app, docket, email):
    client = app.test_client()
    _check(client, email, docket, *WHO[email])


@pytest.mark.parametrize("email", sorted(WHO_CASE_SEALED))
def test_case_seal_matrix(app, court, docket, email):
    service.docket_by_clerk(court.rivera, court.clerk, NewEntry("order", "ORDER sealing the case"))
    service.seal_case(court.rivera, "Cooperation agreement", 4, court.clerk)
    client = app.test_client()
    _check(client, email, docket, *WHO_CASE_SEALED[email])


def test_the_filing_party_sees_its_sealed_entry_where_the_order_allows(app, court, docket):
    """Unseal and seal again, now with leave for the filing party: Moreno (who filed #3 for
    the defendant) sees it; Chen (the other side) still does not."""
    from docket.models import DocketEntry

    entry = db.session.scalar(
        select(DocketEntry).where(DocketEntry.case_id == court.rivera.id, DocketEntry.number == 3)
    )
    service.unseal(entry, "Order vacated", 2, court.clerk)
    service.seal(entry, "Informant safety; counsel may keep access", 2, True, court.clerk)
    _check(app.test_client(), "moreno@defense.test", docket, True, True)
    _check(app.test_client(), "chen@da.test", docket, True, False)
