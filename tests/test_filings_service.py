"""Filing and docketing (issue 6): numbers, plan events, links, corrections, visibility."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from docket.extensions import db
from docket.filings import service
from docket.filings.service import FilingError, NewEntry, Upload
from docket.models import CaseEvent, Deadline, DocketEntry, RecordCorrection
from docket.permissions import sees
from tests.pdfs import pdf


def motion(text="Motion to suppress the stop", title="m1", **fields):
    return NewEntry(
        "motion", text, subtype="suppress", uploads=[Upload(pdf(title=title), "m.pdf")], **fields
    )


def response_deadlines(case):
    return {
        d.item_id: d
        for d in db.session.scalars(
            select(Deadline).where(
                Deadline.case_id == case.id, Deadline.item_id.like("motion_response%")
            )
        )
    }


def test_a_defense_motion_gets_a_number_an_event_and_a_response_deadline_for_the_prosecution(court):
    entry = service.file_by_counsel(court.rivera, court.attorney_user, motion())
    assert entry.number == 1 and entry.filer_party == "defense"
    assert entry.defendant_id == court.rivera.defendants[0].id
    event = db.session.scalar(select(CaseEvent).where(CaseEvent.docket_entry_id == entry.id))
    assert event.event_type == "motion_filed"
    due = response_deadlines(court.rivera)["motion_response#1"]
    assert due.owed_by == "prosecution" and due.status in ("pending", "missed")
    assert due.due_on is not None and due.name == "Response to motion #1"

    answer = NewEntry(
        "response",
        "Response in opposition",
        responds_to=1,
        uploads=[Upload(pdf(title="r"), "r.pdf")],
    )
    reply = service.file_by_counsel(court.rivera, court.prosecutor_user, answer)
    assert reply.number == 2
    due = response_deadlines(court.rivera)["motion_response#1"]
    assert due.status in ("met", "met_late") and due.satisfied_by_entry == 2


def test_an_order_resolving_the_motion_makes_the_response_moot(court):
    service.file_by_counsel(court.rivera, court.attorney_user, motion())
    order = service.docket_by_clerk(
        court.rivera, court.clerk, NewEntry("order", "ORDER denying #1", resolves=(1,))
    )
    assert order.number == 2 and order.filer_party == "court"
    assert response_deadlines(court.rivera)["motion_response#1"].status == "not_applicable"
    decided = db.session.scalar(select(CaseEvent).where(CaseEvent.docket_entry_id == order.id))
    assert decided.event_type == "motion_decided"


def test_numbers_are_sequential_and_a_refused_filing_uses_none(court):
    service.file_by_counsel(court.rivera, court.attorney_user, motion())
    with pytest.raises(FilingError, match="empty"):
        service.file_by_counsel(
            court.rivera,
            court.attorney_user,
            NewEntry("notice", "x", uploads=[Upload(b"", "e.pdf")]),
        )
    with pytest.raises(FilingError, match="already filed as entry #1"):
        service.file_by_counsel(court.rivera, court.attorney_user, motion())
    second = service.file_by_counsel(court.rivera, court.attorney_user, motion(title="m2"))
    assert second.number == 2
    numbers = db.session.scalars(
        select(DocketEntry.number).where(DocketEntry.case_id == court.rivera.id)
    ).all()
    assert sorted(numbers) == [1, 2]


def test_strike_keeps_the_entry_and_drops_its_deadline(court):
    entry = service.file_by_counsel(court.rivera, court.attorney_user, motion())
    service.strike(entry, "Filed in the wrong case", court.clerk)
    assert db.session.get(DocketEntry, entry.id).stricken
    assert "motion_response#1" not in response_deadlines(court.rivera)
    actions = [c.action for c in db.session.scalars(select(RecordCorrection))]
    assert actions == ["strike"]


def test_seal_names_its_order_and_hides_the_entry_from_the_other_side(court):
    entry = service.file_by_counsel(court.rivera, court.attorney_user, motion())
    with pytest.raises(FilingError, match="Name the order"):
        service.seal(entry, "witness safety", None, True, court.clerk)
    service.docket_by_clerk(court.rivera, court.clerk, NewEntry("order", "ORDER sealing #1"))
    service.seal(entry, "witness safety", 2, True, court.clerk)
    case = court.rivera
    assert sees(court.attorney_user, case, entry)  # the filing party, as the order allows
    assert not sees(court.prosecutor_user, case, entry)
    assert sees(court.judge_user, case, entry) and sees(court.clerk, case, entry)
    assert not sees(court.other_judge_user, case, entry)
