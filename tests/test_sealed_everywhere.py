"""Sealed material on every surface, through HTTP: the places beside the docket sheet, the
entry page, downloads and search (tests/test_docket_access.py) where a sealed entry, or what
is derived from it, or a sealed case, could reach someone who may not see it.

Each test asserts the non-leaking behaviour: a failure is a leak. The case is Rivera (Judge
Okafor's; Moreno defends, Chen prosecutes); Lind is another judge of the court.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from docket.clock import court_today
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.filings import service
from docket.filings.service import Exclusion, NewEntry, Upload
from docket.models import CaseEvent, Flag, PlanVersion
from tests.pdfs import pdf
from tests.sealed_court import (
    ADMIN,
    CHEN,
    CLERK,
    LIND,
    MORENO,
    OKAFOR,
    book,
    client_for,
    counsel_motion,
    one_off_session,
    order,
    overdue_motion_flag,
    page,
    seal_rivera,
    words,
)

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path):
    app.config["DOCUMENTS_DIR"] = str(tmp_path / "documents")


def plan_section(markup: str) -> str:
    """The case page's "Case-management plan" section."""
    found = re.search(r'<section aria-labelledby="plan">(.*?)</section>', markup, re.S)
    assert found, "no plan section on the case page"
    return found.group(1)


# --- the case page: the plan's deadlines and their explanations -----------------------------------


def test_case_page_explanations_do_not_name_the_sealed_response_that_met_a_deadline(app, court):
    """#1 Moreno's motion, #2 Chen's response to it, sealed by order #3 (no leave for the
    filer). The docket sheet says the response deadline was met by "a sealed entry"; the case
    page must not say which one ("Answered by entry #2": a link from the sealed entry)."""
    counsel_motion(court, court.attorney_user)
    response = service.file_by_counsel(
        court.rivera,
        court.prosecutor_user,
        NewEntry(
            "response",
            "RESPONSE in opposition",
            responds_to=1,
            uploads=[Upload(pdf(title="r"), "r.pdf")],
        ),
    )
    sealing = order(court, "ORDER sealing entry 2")
    service.seal(response, "Witness safety", sealing.number, False, court.clerk)

    leaks = []
    for email in (MORENO, LIND, ADMIN):
        client = client_for(app, email)
        sheet = page(client, f"/cases/{court.rivera.id}/docket")
        assert "a sealed entry" in sheet and "#2 on" not in sheet, email  # as designed
        if "entry #2" in page(client, f"/cases/{court.rivera.id}"):
            leaks.append(email)
    assert leaks == []
    # The explanation is stored once for every viewer: the court finds the entry on the sheet.
    judge = page(client_for(app, OKAFOR), f"/cases/{court.rivera.id}")
    assert "Answered by a sealed entry filed on" in judge


def test_case_page_explanations_do_not_name_a_sealed_order_that_decided_a_motion(app, court):
    """#1 Moreno's motion, #2 the court's order resolving it, sealed by order #3. Chen sees #2
    as SEALED; the response deadline's explanation must not say "order #2 ... decided"."""
    counsel_motion(court, court.attorney_user)
    deciding = order(court, "ORDER denying the motion to dismiss", resolves=(1,))
    sealing = order(court, "ORDER sealing entry 2")
    service.seal(deciding, "Sensitive findings", sealing.number, False, court.clerk)

    leaks = [
        email
        for email in (CHEN, LIND, ADMIN)
        if "order #2" in page(client_for(app, email), f"/cases/{court.rivera.id}").lower()
    ]
    assert leaks == []
    clerk = page(client_for(app, CLERK), f"/cases/{court.rivera.id}")
    assert "by a sealed entry, before it was answered" in clerk


def test_the_response_form_does_not_say_a_motion_was_decided_by_a_sealed_order(app, court):
    """The same: Chen's "Responds to" choices must not mark #1 "(decided)" when the only
    order resolving it is sealed (the sheet leaves the "Resolved by" link out)."""
    counsel_motion(court, court.attorney_user)
    deciding = order(court, "ORDER denying the motion to dismiss", resolves=(1,))
    sealing = order(court, "ORDER sealing entry 2")
    service.seal(deciding, "Sensitive findings", sealing.number, False, court.clerk)

    sheet = page(client_for(app, CHEN), f"/cases/{court.rivera.id}/docket")
    assert "Resolved by" not in sheet  # the sheet hides the link
    form = page(client_for(app, CHEN), f"/cases/{court.rivera.id}/docket/file?entry_type=response")
    found = re.search(r'<select[^>]*name="responds_to"[^>]*>(.*?)</select>', form, re.S)
    assert found and "#1 Motion" in found.group(1)
    assert "(decided)" not in found.group(1)


def test_a_sealed_motion_is_never_named_in_what_the_other_side_sees_of_the_plan(app, court):
    """Moreno files a motion under seal (his side may see it, Chen may not). Its plan event
    (motion_filed) is hidden from Chen's event list. The plan is one per case, so its results
    may show that something happened ("Pretrial motions filed": met, as the sheet shows #1
    SEALED with its date), but never name or quote the sealed entry."""
    chen = client_for(app, CHEN)
    counsel_motion(
        court,
        court.attorney_user,
        "MOTION to suppress the Quixote statement",
        under_seal=True,
        seal_reason="Informant safety",
    )
    after_page = page(chen, f"/cases/{court.rivera.id}")
    assert "Quixote" not in after_page and "Docket entry #1" not in after_page  # events: hidden
    after = plan_section(after_page)
    assert "#1" not in after and "Quixote" not in after and "suppress" not in after.lower()


def test_case_page_does_not_show_the_excluded_period_of_a_sealed_order(app, court):
    """#1 an order excluding time (its reason typed by the clerk), sealed by order #2. The
    case page's "Excludable periods entered" must not quote it to those who see #1 as SEALED."""
    code = deadlines.plan_for(court.rivera.filed_on).excludable[0].code
    today = court_today()
    excluding = order(
        court,
        "ORDER for a competency evaluation",
        exclusion=Exclusion(
            code, today - timedelta(days=10), today, reason="Competency evaluation of Quixote"
        ),
    )
    sealing = order(court, "ORDER sealing entry 1")
    service.seal(excluding, "Medical records", sealing.number, False, court.clerk)

    leaks = [
        email
        for email in (MORENO, CHEN, LIND, ADMIN)
        if "Quixote" in page(client_for(app, email), f"/cases/{court.rivera.id}")
    ]
    assert leaks == []
    assert "Quixote" in page(client_for(app, CLERK), f"/cases/{court.rivera.id}")


# --- the entry page's correction history ----------------------------------------------------------


def test_the_entry_page_history_does_not_name_a_sealed_order(app, court):
    """#1 Moreno's notice; #2 the order sealing it (Moreno may still see #1); #2 itself sealed
    by order #3. Moreno sees #1, and #2 as SEALED: #1's correction history must not call #2
    "Order #2" (the type of a sealed entry, and what it did)."""
    notice = service.file_by_counsel(
        court.rivera,
        court.attorney_user,
        NewEntry("notice", "NOTICE of an affidavit", uploads=[Upload(pdf(title="n"), "n.pdf")]),
    )
    sealing = order(court, "ORDER sealing entry 1")  # 2
    service.seal(notice, "Informant safety", sealing.number, True, court.clerk)
    second = order(court, "ORDER sealing entry 2")  # 3
    service.seal(sealing, "Names the informant", second.number, False, court.clerk)

    moreno = client_for(app, MORENO)
    assert "SEALED" in words(page(moreno, f"/cases/{court.rivera.id}/docket/2"))
    one = page(moreno, f"/cases/{court.rivera.id}/docket/1")
    assert "NOTICE of an affidavit" in one  # he may see it
    assert "Order #2" not in one


# --- filing: the duplicate-file check -------------------------------------------------------------


def test_the_duplicate_check_does_not_reveal_a_sealed_document(app, court):
    """Moreno's affidavit #1, sealed (by order #2). Chen files the same PDF bytes: the refusal
    must not tell him the sealed entry's number and file name (an oracle for what is sealed)."""
    content = pdf(title="the affidavit")
    affidavit = service.file_by_counsel(
        court.rivera,
        court.attorney_user,
        NewEntry("notice", "NOTICE of affidavit", uploads=[Upload(content, "affidavit-7.pdf")]),
    )
    sealing = order(court, "ORDER sealing entry 1")
    service.seal(affidavit, "Informant safety", sealing.number, False, court.clerk)

    chen = client_for(app, CHEN)
    response = chen.post(
        f"/cases/{court.rivera.id}/docket/file",
        data={
            "entry_type": "notice",
            "text": "NOTICE of filing",
            "document": (io.BytesIO(content), "mine.pdf"),
        },
        content_type="multipart/form-data",
    )
    body = html.unescape(response.get_data(as_text=True))
    assert "affidavit-7.pdf" not in body
    assert "entry #1" not in body


# --- flags: the work queue, My deadlines ----------------------------------------------------------


def test_flags_about_a_motion_sealed_since_the_sweep_do_not_name_it(app, court):
    """A paper motion of the defense (#1, 20 days ago): the prosecution's response is overdue
    and the sweep flags it ("Response to motion #1 ..."). Then #1 is sealed (by order #2).
    Until the next night's sweep the flag stays open; the queue, the admin's dashboard and
    Chen's deadlines must not show "Response to motion #1" while #1 shows as SEALED."""
    motion, sealing, flag = overdue_motion_flag(court)
    assert "Response to motion #1" in flag.cause
    service.seal(motion, "Informant safety", sealing.number, False, court.clerk)

    leaks = [
        (email, url)
        for email, url in (
            (ADMIN, "/flags/"),
            (ADMIN, "/"),
            (LIND, "/flags/"),
            (CHEN, "/flags/mine"),
            (CHEN, "/"),
        )
        if "Response to motion #1" in page(client_for(app, email), url)
    ]
    assert leaks == []


def test_the_admin_work_queue_and_dashboard_leave_out_sealed_cases(app, court):
    """Correct today: a sealed case's flags are the court's (clerk, its judge)."""
    db.session.add(
        Flag(
            case_id=court.rivera.id,
            kind="overdue",
            subject="stage:arraignment",
            severity="critical",
            since=datetime(2026, 6, 1, 12, tzinfo=CHICAGO),
            cause="Arraignment deadline was 2026-05-01 (Quixote)",
        )
    )
    db.session.commit()
    seal_rivera(court)
    for email, url in ((ADMIN, "/flags/"), (ADMIN, "/"), (LIND, "/flags/")):
        body = page(client_for(app, email), url)
        assert "Quixote" not in body and "Rivera" not in body, (email, url)
    for email in (CLERK, OKAFOR):
        assert "Quixote" in page(client_for(app, email), "/flags/"), email


# --- the case page's own lists (correct today) ----------------------------------------------------


def test_the_case_page_and_printout_hide_a_sealed_motion_and_what_it_caused(app, court):
    """Correct today: Chen sees #1 (Moreno's motion, sealed) as SEALED on the case page, its
    motion_filed event is left out, no "Response to motion #1" is owed, and the printable
    sheet says nothing more."""
    motion = counsel_motion(court, court.attorney_user, "MOTION naming Quixote")
    sealing = order(court, "ORDER sealing entry 1")
    service.seal(motion, "Informant safety", sealing.number, False, court.clerk)
    chen = client_for(app, CHEN)
    for url in (
        f"/cases/{court.rivera.id}",
        f"/cases/{court.rivera.id}/docket?print=1",
        "/filings/due",
        "/flags/mine",
        "/",
    ):
        body = page(chen, url)
        assert "Quixote" not in body and "Response to motion #1" not in body, url
        assert "Docket entry #1" not in body and "MOTION" not in body, url


# --- calendar: the day board, a session's page, batch scheduling ----------------------------------


def _session_with_hearing(court, *, status="scheduled", outcome_code=None):
    day = court_today() + timedelta(days=1)
    session = one_off_session(court, day)
    book(session, court.rivera, status=status, outcome_code=outcome_code)
    return session, day


def test_the_day_board_does_not_show_a_sealed_cases_hearing_outcome(app, court):
    """The day board shows a sealed case's hearing as its number and SEALED to staff who may
    not see it (as designed); the outcome recorded ("Guilty plea accepted") is more than that."""
    seal_rivera(court)
    _, day = _session_with_hearing(court, status="held", outcome_code="plea_accepted")
    url = f"/calendar/day?date={day.isoformat()}&courtroom={court.courtroom.id}"
    leaks = []
    for email in (ADMIN, LIND):
        body = page(client_for(app, email), url)
        assert "SEALED" in body and "Rivera" not in body, email  # as designed
        if "Guilty plea accepted" in body:
            leaks.append(email)
    assert leaks == []
    assert "Guilty plea accepted" in page(client_for(app, CLERK), url)


def test_a_sessions_page_does_not_name_a_sealed_case_to_the_administrator(app, court):
    """Administrators edit sessions (Sessions): the session's page lists its booked hearings
    with case number and caption, sealed cases included."""
    seal_rivera(court)
    session, _ = _session_with_hearing(court)
    url = f"/calendar/sessions/{session.id}/edit"
    assert "State v. Rivera" in page(client_for(app, CLERK), url)
    assert "State v. Rivera" not in page(client_for(app, ADMIN), url)


def test_batch_scheduling_does_not_list_sealed_cases_to_the_administrator(app, court):
    """The batch scheduler's dry run lists every case needing a hearing (case number, caption
    when placed), sealed cases included: it is the clerk's office's alone."""
    for case in (court.rivera, court.ortiz):
        service.docket_by_clerk(case, court.clerk, NewEntry("indictment", "INDICTMENT"))
    seal_rivera(court)
    today = court_today()
    end = today + timedelta(days=60)
    url = f"/calendar/batch?start={today.isoformat()}&end={end.isoformat()}"
    clerk_view = page(client_for(app, CLERK), url)
    assert "2026-CR-000001" in clerk_view and "2026-CR-000002" in clerk_view
    refused = client_for(app, ADMIN).get(url)
    assert refused.status_code == 403
    body = html.unescape(refused.get_data(as_text=True))
    assert "clerk's office" in body and "2026-CR-000001" not in body and "Rivera" not in body


# --- the administrator's plan preview -------------------------------------------------------------


def test_the_plan_preview_does_not_name_a_sealed_case(app, court):
    """The preview of an uploaded plan lists examples of moved deadlines by case number, from
    every active case: a sealed one must not be named to the administrator."""
    from tests.test_plan_versions import NEW_PLAN, upload

    for case in (court.rivera, court.ortiz):
        db.session.add(
            CaseEvent(case_id=case.id, event_type="arraignment_held", occurred_on=date(2026, 3, 10))
        )
    db.session.commit()
    deadlines.recompute([court.rivera.id, court.ortiz.id])
    db.session.commit()
    seal_rivera(court)

    admin = client_for(app, ADMIN)
    assert upload(admin, NEW_PLAN, name="state-dcm-2027.toml").status_code == 302
    version = db.session.scalar(select(PlanVersion))
    preview = page(admin, f"/admin/plans/{version.id}")
    assert "2026-CR-000002" in preview  # Ortiz, unsealed: an example
    assert "2026-CR-000001" not in preview


# --- reports (correct today) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    [
        "case-age",
        "time-to-disposition",
        "clearance",
        "trial-certainty",
        "plan-compliance",
        "continuances",
    ],
)
def test_reports_name_no_case(app, court, slug):
    """Reports are counts: no page, print view or CSV names a case, sealed or not."""
    seal_rivera(court)
    client = client_for(app, ADMIN)
    for url in (f"/reports/{slug}", f"/reports/{slug}/print", f"/reports/{slug}/export.csv"):
        body = page(client, url)
        assert "2026-CR-000001" not in body and "Rivera" not in body, url
