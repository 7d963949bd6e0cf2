"""Sealed entries and the plan's deadlines, beside tests/test_sealed_everywhere.py: the engine
names a sealed answering or deciding entry by its date only (for every viewer) and still
counts it; the case page's excludable periods keep a sealed order's period and hide its
reason; a flag naming an entry sealed since the sweep is left out of every list and digest
of those who see the entry as SEALED, and comes back when it is unsealed. Both engines."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from docket.clock import court_today, utc_now
from docket.core.deadlines import Filing
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.filings import service
from docket.filings.service import Exclusion, NewEntry, Upload
from docket.flags import digest, queries
from docket.models import Deadline, Flag, User
from tests.core.test_deadlines import D, ev
from tests.core.test_deadlines_each_entry import RESPONSES, run
from tests.pdfs import pdf
from tests.query_count import counted_queries
from tests.sealed_court import (
    ADMIN,
    CHEN,
    CLERK,
    LIND,
    MORENO,
    OKAFOR,
    client_for,
    counsel_motion,
    order,
    overdue_motion_flag,
    page,
)
from tests.test_sealed_everywhere import documents_dir  # noqa: F401 (an autouse fixture)

# --- the engine --------------------------------------------------------------------------------


def test_a_sealed_response_meets_the_deadline_and_is_named_by_its_date_only():
    filings = (
        Filing("motion", D("2026-03-02"), "defense", 3),
        Filing("response", D("2026-03-12"), "prosecution", 6, responds_to=(3,), sealed=True),
    )
    three = run(RESPONSES, "2026-03-20", filings=filings)[("motion_response#3", None)]
    assert (three.status, three.met_on, three.met_by_entry) == ("met", D("2026-03-12"), 6)
    assert three.explanation[-1] == "Answered by a sealed entry filed on 2026-03-12 (Thursday)."
    assert not any("#6" in line for line in three.explanation)


def test_a_sealed_order_makes_the_response_moot_and_is_named_by_its_date_only():
    filings = (
        Filing("motion", D("2026-03-02"), "defense", 3),
        Filing("order", D("2026-03-05"), "court", 4, resolves=(3,), sealed=True),
    )
    three = run(RESPONSES, "2026-03-20", filings=filings)[("motion_response#3", None)]
    assert three.status == "not_applicable"
    assert three.explanation[-1] == (
        "Not applicable: decided on 2026-03-05 (Thursday) by a sealed entry, before it was "
        "answered."
    )
    assert not any("order" in line for line in three.explanation)


def test_an_unsealed_order_of_the_same_day_is_named_rather_than_a_sealed_one():
    filings = (
        Filing("motion", D("2026-03-02"), "defense", 3),
        Filing("order", D("2026-03-05"), "court", 4, resolves=(3,), sealed=True),
        Filing("order", D("2026-03-05"), "court", 5, resolves=(3,)),
    )
    three = run(RESPONSES, "2026-03-20", filings=filings)[("motion_response#3", None)]
    assert "order #5 on 2026-03-05" in three.explanation[-1]


def test_a_plea_still_reads_as_before():
    filings = (Filing("motion", D("2026-03-02"), "defense", 3),)
    events = [ev("plea_entered", "2026-03-04")]
    three = run(RESPONSES, "2026-03-20", events, filings=filings)[("motion_response#3", None)]
    assert three.explanation[-1] == (
        "Not applicable: Plea entered (plea_entered) on 2026-03-04 (Wednesday) decided motion "
        "#3 before it was answered."
    )


# --- the case page -----------------------------------------------------------------------------


def _motion_and_response(court):
    counsel_motion(court, court.attorney_user)
    return service.file_by_counsel(
        court.rivera,
        court.prosecutor_user,
        NewEntry(
            "response",
            "RESPONSE in opposition",
            responds_to=1,
            uploads=[Upload(pdf(title="r"), "r.pdf")],
        ),
    )


def _response_deadline(court) -> Deadline:
    return db.session.scalar(
        select(Deadline).where(
            Deadline.case_id == court.rivera.id, Deadline.item_id == "motion_response#1"
        )
    )


def test_the_court_keeps_the_status_and_the_sheet_names_the_sealed_response(app, court):
    """Sealing #2 recomputes: still met by #2 (stored for the sheet), worded by its date; the
    court's sheet links #2, the others' sheet says "a sealed entry". Unsealing names it again."""
    response = _motion_and_response(court)
    sealing = order(court, "ORDER sealing entry 2")
    service.seal(response, "Witness safety", sealing.number, False, court.clerk)

    row = _response_deadline(court)
    assert (row.status, row.satisfied_by_entry) == ("met", 2)
    assert row.explanation[-1].startswith("Answered by a sealed entry filed on ")
    for email in (OKAFOR, CLERK, CHEN, LIND):
        case_page = page(client_for(app, email), f"/cases/{court.rivera.id}")
        assert "Answered by a sealed entry filed on" in case_page, email
        assert "Answered by entry #2" not in case_page, email
    assert 'href="#entry-2">#2</a>' in page(
        client_for(app, OKAFOR), f"/cases/{court.rivera.id}/docket"
    )

    service.unseal(response, "Threat passed", sealing.number, court.clerk)
    assert _response_deadline(court).explanation[-1] == "Answered by entry #2."
    assert "Answered by entry #2" in page(client_for(app, CHEN), f"/cases/{court.rivera.id}")


def test_a_sealed_orders_excluded_period_shows_its_dates_and_no_reason(app, court):
    """The period still counts on the clock: its row stays, with "Sealed order" for a reason,
    for those who see the order as SEALED; the court sees the reason."""
    code = deadlines.plan_for(court.rivera.filed_on).excludable[0].code
    today = court_today()
    starts = today - timedelta(days=10)
    excluding = order(
        court,
        "ORDER for a competency evaluation",
        exclusion=Exclusion(code, starts, today, reason="Competency evaluation of Quixote"),
    )
    sealing = order(court, "ORDER sealing entry 1")
    service.seal(excluding, "Medical records", sealing.number, False, court.clerk)
    shown = starts.strftime("%b %-d, %Y")
    for email in (CHEN, LIND):
        body = page(client_for(app, email), f"/cases/{court.rivera.id}")
        assert "Excludable periods entered" in body and shown in body, email
        assert "Sealed order" in body and "Quixote" not in body, email
    for email in (CLERK, OKAFOR):
        body = page(client_for(app, email), f"/cases/{court.rivera.id}")
        assert "Competency evaluation of Quixote" in body and "Sealed order" not in body, email


# --- flags -------------------------------------------------------------------------------------


def _overdue_motion_flag(court):
    motion, sealing, _flag = overdue_motion_flag(court)
    return motion, sealing


def test_the_court_keeps_the_flag_and_the_others_get_it_back_when_unsealed(app, court):
    motion, sealing = _overdue_motion_flag(court)
    service.seal(motion, "Informant safety", sealing.number, False, court.clerk)
    for email, url in ((CLERK, "/flags/"), (OKAFOR, "/flags/"), (CLERK, "/")):
        assert "Response to motion #1" in page(client_for(app, email), url), (email, url)
    for email, url in ((CHEN, "/flags/mine"), (ADMIN, "/flags/"), (LIND, "/flags/")):
        assert "Response to motion #1" not in page(client_for(app, email), url), (email, url)

    service.unseal(motion, "Informant testified", sealing.number, court.clerk)
    for email, url in ((CHEN, "/flags/mine"), (CHEN, "/"), (ADMIN, "/flags/"), (LIND, "/flags/")):
        assert "Response to motion #1" in page(client_for(app, email), url), (email, url)


def test_the_filer_who_may_see_the_sealed_motion_keeps_the_flag(app, court):
    """Sealed with leave for the filer: Moreno (the defense, who filed #1) still sees it."""
    motion, sealing = _overdue_motion_flag(court)
    service.seal(motion, "Informant safety", sealing.number, True, court.clerk)
    moreno = queries.attorney_flags(db.session.scalar(select(User).where(User.email == MORENO)))
    chen = queries.attorney_flags(db.session.scalar(select(User).where(User.email == CHEN)))
    assert [r.subject for r in moreno.rows if r.kind == "document_due"] == [
        "document:motion_response#1"
    ]
    assert not [r for r in chen.rows if r.subject == "document:motion_response#1"]


def test_a_sealed_entry_hides_only_the_flags_that_name_it(app, court):
    """#1 sealed: a flag about #11 (or #10, or an entry-less document) is still shown."""
    motion, sealing = _overdue_motion_flag(court)
    for n in range(3, 12):
        order(court, f"ORDER {n}")
    service.seal(motion, "Informant safety", sealing.number, False, court.clerk)
    for subject in ("document:motion_response#11", "document:motion_response#10", "document:x"):
        db.session.add(
            Flag(
                case_id=court.rivera.id,
                kind="document_due",
                subject=subject,
                severity="warning",
                since=utc_now(),
                cause=f"About {subject}",
            )
        )
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.email == ADMIN))
    shown = {row.subject for row in queries.work_queue(admin).rows}
    assert shown == {"document:motion_response#11", "document:motion_response#10", "document:x"}
    summary = queries.queue_summary(admin)
    assert summary["total"] == 3 == queries.work_queue(admin).total


def test_the_work_queue_costs_the_same_queries_with_sealed_entries(app, court):
    """Leaving flags out is part of the queue's query: no query per flag or entry."""
    motion, sealing = _overdue_motion_flag(court)
    for n in range(3, 8):
        order(court, f"ORDER {n}")
        db.session.add(
            Flag(
                case_id=court.rivera.id,
                kind="document_due",
                subject=f"document:motion_response#{n}",
                severity="warning",
                since=utc_now(),
                cause=f"About #{n}",
            )
        )
    db.session.commit()
    admin = db.session.scalar(select(User).where(User.email == ADMIN))
    with counted_queries() as before:
        assert len(queries.work_queue(admin).rows) == 6
    service.seal(motion, "Informant safety", sealing.number, False, court.clerk)
    admin = db.session.scalar(select(User).where(User.email == ADMIN))
    with counted_queries() as after:
        assert len(queries.work_queue(admin).rows) == 5
    assert len(after) == len(before)


def test_the_digest_leaves_out_a_flag_naming_a_sealed_entry(app, court):
    since = utc_now() - timedelta(minutes=1)
    motion, sealing = _overdue_motion_flag(court)
    service.seal(motion, "Informant safety", sealing.number, False, court.clerk)
    for user in db.session.scalars(select(User)):
        user.digest_opt_in = True
    db.session.commit()

    report = digest.compose(court_today(), now=utc_now(), since=since)
    causes = {
        d.email: [f.cause for f in d.flags if "Response to motion #1" in f.cause]
        for d in report.digests
    }
    assert causes.get(CLERK) and causes.get(OKAFOR)
    for email in (CHEN, ADMIN, LIND):
        assert not causes.get(email), email
