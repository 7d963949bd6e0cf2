"""Scheduling a hearing: the proposals a clerk picks from, the conflicts that refuse a slot
(hard ones never, soft ones only with a reason that is audit-logged), the database's guard
against double-booking when two clerks take the last slot at once (two real connections), and
setting a continued hearing for a new date without changing its identity."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from docket.calendar import booking
from docket.cases import service as cases
from docket.clock import court_today
from docket.extensions import db
from docket.models import (
    AuditLogEntry,
    CalendarSession,
    Case,
    Courtroom,
    Defendant,
    Hearing,
    HearingSetting,
    TollingPeriod,
    Unavailability,
)
from tests.conftest import sign_in

CHICAGO = ZoneInfo("America/Chicago")
ARRAIGNMENT_TYPES = ["arraignment", "status_conference", "change_of_plea"]


def next_weekday(after: date, weekday: int) -> date:
    """The first `weekday` (Monday 0) strictly after `after`."""
    days = (weekday - after.weekday()) % 7 or 7
    return after + timedelta(days=days)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), CHICAGO).astimezone(UTC)


def session(court, judge, room, day, *, capacity=2, slot_minutes=15, types=None, start=9,
            end=12, status="open", reason=None) -> CalendarSession:
    row = CalendarSession(
        court_id=court.court.id, judge_id=judge.id, courtroom_id=room.id, session_date=day,
        starts_at=local(day, start), ends_at=local(day, end),
        hearing_types=types or ARRAIGNMENT_TYPES, capacity=capacity, slot_minutes=slot_minutes,
        name="Arraignment call", status=status, closed_reason=reason,
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def days():
    monday = next_weekday(court_today(), 0)
    return {"monday": monday, "tuesday": monday + timedelta(days=1)}


@pytest.fixture
def room_2b(court):
    room = Courtroom(court=court.court, name="2B", building="Main courthouse")
    db.session.add(room)
    db.session.commit()
    return room


@pytest.fixture
def indicted(court):
    """Rivera indicted five days ago: the plan wants an arraignment within 30 days (released)."""
    cases.record_event(
        court.rivera,
        {"event_type": "indictment_filed", "occurred_on": court_today() - timedelta(days=5)},
        court.clerk,
    )
    return court.rivera


def scheduled_in(session_id: int) -> list[Hearing]:
    return db.session.scalars(
        select(Hearing).where(Hearing.calendar_session_id == session_id,
                              Hearing.status == "scheduled")
    ).all()


def test_proposals_are_earliest_first_before_the_case_judge_and_say_why(court, days, indicted,
                                                                       room_2b):
    monday = session(court, court.judge_okafor, court.courtroom, days["monday"])
    session(court, court.judge_okafor, court.courtroom, days["tuesday"])
    # Judge Lind's session the same morning: not offered, rivera is Judge Okafor's case.
    session(court, court.judge_lind, room_2b, days["monday"])
    db.session.commit()

    proposals = booking.proposals_for(indicted, "arraignment")

    first = proposals.clean[0]
    assert (first.session.id, first.slot) == (monday.id, 0)
    assert first.starts_at == local(days["monday"], 9)
    assert first.meets_deadline is True
    assert {p.session.judge_id for p in proposals.clean} == {court.judge_okafor.id}
    due = court_today() - timedelta(days=5) + timedelta(days=30)
    text = " ".join(first.reasons)
    assert "before the case's judge, Judge Adaeze Okafor" in text
    assert "before the Arraignment deadline" in text and str(due) in text
    assert "2 of 2 slots free" in text


def test_a_counsel_conflict_is_named_and_may_be_overridden_only_with_a_reason(
    app, client, court, days, indicted, room_2b
):
    monday = session(court, court.judge_okafor, court.courtroom, days["monday"])
    tuesday = session(court, court.judge_okafor, court.courtroom, days["tuesday"])
    # Atty. Chen prosecutes both cases; Ortiz's status conference takes Lind's whole morning.
    lind = session(court, court.judge_lind, room_2b, days["monday"], capacity=1,
                   slot_minutes=180)
    db.session.add(Hearing(case_id=court.ortiz.id, hearing_type="status_conference",
                           starts_at=lind.starts_at, ends_at=lind.ends_at,
                           courtroom_id=room_2b.id, judge_id=court.judge_lind.id,
                           calendar_session_id=lind.id, slot=0))
    db.session.commit()
    monday_id, tuesday_id, rivera_id = monday.id, tuesday.id, indicted.id

    proposals = booking.proposals_for(indicted, "arraignment")
    assert proposals.clean[0].session.id == tuesday_id
    refused = proposals.refused[0]
    assert refused.session.id == monday_id and refused.overridable
    assert [c.message for c in refused.conflicts] == [
        "Atty. Dana Chen is in State v. Ortiz (2026-CR-000002), Courtroom 2B, 09:00–12:00."
    ]

    sign_in(client, "clerk@cir1.test")
    page = client.get(f"/cases/{rivera_id}/hearings/new?hearing_type=arraignment")
    assert page.status_code == 200
    assert "Atty. Dana Chen is in State v. Ortiz" in page.text
    assert "may be overridden" in page.text

    # Without a reason: refused, and nothing saved.
    refused_page = client.post(
        f"/cases/{rivera_id}/hearings/new",
        data={"hearing_type": "arraignment", "choice": f"{monday_id}:0"},
    )
    assert refused_page.status_code == 409
    assert "may book it anyway with a reason" in refused_page.text
    assert scheduled_in(monday_id) == []

    done = client.post(
        f"/cases/{rivera_id}/hearings/new",
        data={"hearing_type": "arraignment", "choice": f"{monday_id}:0",
              "override_reason": "Chen's colleague Hale covers the Ortiz conference."},
    )
    assert done.status_code == 302
    [hearing] = scheduled_in(monday_id)
    setting = db.session.scalars(select(HearingSetting).where(
        HearingSetting.hearing_id == hearing.id)).one()
    assert setting.override_reason == "Chen's colleague Hale covers the Ortiz conference."
    assert setting.overridden[0].startswith("Counsel in another hearing: Atty. Dana Chen")
    entry = db.session.scalars(select(AuditLogEntry).where(
        AuditLogEntry.action == "hearing_scheduled")).one()
    assert entry.after["override_reason"] == "Chen's colleague Hale covers the Ortiz conference."
    assert entry.case_id == rivera_id and entry.user_id == court.clerk.id


def test_hard_conflicts_cannot_be_overridden(court, days, indicted):
    full = session(court, court.judge_okafor, court.courtroom, days["monday"], capacity=1)
    closed = session(court, court.judge_okafor, court.courtroom, days["tuesday"],
                     status="closed", reason="Judge at a judicial conference")
    db.session.add(Hearing(case_id=court.ortiz.id, hearing_type="arraignment",
                           starts_at=full.starts_at, ends_at=full.starts_at + timedelta(minutes=15),
                           courtroom_id=court.courtroom.id, judge_id=court.judge_okafor.id,
                           calendar_session_id=full.id, slot=0))
    db.session.commit()

    with pytest.raises(booking.BookingRefused) as taken:
        booking.book(indicted, "arraignment", full.id, 0, user=court.clerk,
                     override_reason="Please")
    assert "That slot is taken." in str(taken.value) and not taken.value.overridable
    with pytest.raises(booking.BookingRefused) as beyond:
        booking.book(indicted, "arraignment", full.id, 1, user=court.clerk,
                     override_reason="Please")
    assert "The session is full (1 of 1 slots taken)." in str(beyond.value)
    with pytest.raises(booking.BookingRefused) as shut:
        booking.book(indicted, "arraignment", closed.id, 0, user=court.clerk,
                     override_reason="Please")
    assert "Judge at a judicial conference" in str(shut.value)
    with pytest.raises(booking.BookingRefused) as wrong_type:
        booking.book(indicted, "trial", closed.id, 0, user=court.clerk)
    assert "does not take that hearing type" in str(wrong_type.value)
    assert db.session.scalar(
        select(func.count()).select_from(Hearing).where(Hearing.case_id == indicted.id)
    ) == 0


def test_a_notice_of_unavailability_applies_to_all_of_counsels_cases(court, days, indicted):
    session(court, court.judge_okafor, court.courtroom, days["monday"])
    tuesday = session(court, court.judge_okafor, court.courtroom, days["tuesday"])
    db.session.add(Unavailability(attorney_id=court.defender.id, starts_on=days["monday"],
                                  ends_on=days["monday"], reason="trial in federal court"))
    db.session.commit()

    proposals = booking.proposals_for(indicted, "arraignment")

    assert proposals.clean[0].session.id == tuesday.id
    [conflict] = proposals.refused[0].conflicts
    assert conflict.kind == "unavailable" and not conflict.hard
    assert conflict.message == (
        f"Atty. Luis Moreno filed a notice of unavailability for {days['monday']} to "
        f"{days['monday']} (trial in federal court)."
    )


def test_the_same_defendant_cannot_be_in_two_courtrooms_at_once(court, days, indicted, room_2b):
    born = date(1990, 5, 17)
    db.session.execute(
        Defendant.__table__.update().where(Defendant.case_id == indicted.id)
        .values(date_of_birth=born)
    )
    other = Case(court_id=court.court.id, case_number="2026-CR-000003", caption="State v. Rivera",
                 case_type="misdemeanor", filed_on=date(2026, 6, 1), track="standard",
                 custody_status="released", assigned_judge_id=court.judge_lind.id)
    db.session.add(other)
    db.session.flush()
    db.session.add(Defendant(case_id=other.id, number=1, last_name="Rivera", first_name="Ana",
                             name_key=Defendant.make_name_key("Rivera", "Ana"),
                             date_of_birth=born))
    lind = session(court, court.judge_lind, room_2b, days["monday"], capacity=1,
                   slot_minutes=180)
    db.session.add(Hearing(case_id=other.id, hearing_type="arraignment", starts_at=lind.starts_at,
                           ends_at=lind.ends_at, courtroom_id=room_2b.id,
                           judge_id=court.judge_lind.id, calendar_session_id=lind.id, slot=0))
    monday = session(court, court.judge_okafor, court.courtroom, days["monday"])
    db.session.commit()

    with pytest.raises(booking.BookingRefused) as refused:
        booking.book(indicted, "arraignment", monday.id, 0, user=court.clerk,
                     override_reason="Try anyway")
    assert not refused.value.overridable
    assert "The defendant is in State v. Rivera (2026-CR-000003), Courtroom 2B" in str(
        refused.value
    )


def test_the_database_refuses_two_scheduled_hearings_in_one_slot(court, days):
    monday = session(court, court.judge_okafor, court.courtroom, days["monday"])
    values = {"hearing_type": "arraignment", "starts_at": monday.starts_at,
              "ends_at": monday.starts_at + timedelta(minutes=15),
              "courtroom_id": court.courtroom.id, "judge_id": court.judge_okafor.id,
              "calendar_session_id": monday.id, "slot": 0}
    db.session.add(Hearing(case_id=court.rivera.id, **values))
    # A vacated hearing in the same slot is history, not a booking: allowed.
    db.session.add(Hearing(case_id=court.ortiz.id, status="vacated", **values))
    db.session.commit()
    db.session.add(Hearing(case_id=court.ortiz.id, **values))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_two_clerks_booking_the_last_slot_at_once_one_wins_the_other_is_told(
    app, court, days, indicted
):
    """Two real connections: clerk A holds the session (row lock on PostgreSQL; the write lock
    on SQLite) while clerk B tries the same last slot; B gets a clear refusal, never a second
    booking, and fresh proposals without that slot."""
    last = session(court, court.judge_okafor, court.courtroom, days["monday"], capacity=1)
    other = Case(court_id=court.court.id, case_number="2026-CR-000009", caption="State v. Nguyen",
                 case_type="felony", filed_on=date(2026, 6, 1), track="standard",
                 custody_status="released", assigned_judge_id=court.judge_okafor.id)
    db.session.add(other)
    db.session.commit()
    session_id, case_ids = last.id, (court.rivera.id, other.id)
    clerk_id = court.clerk.id
    a_placed, b_started = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def clerk_a():
        with app.app_context():
            case = db.session.get(Case, case_ids[0])
            clerk = db.session.get(type(court.clerk), clerk_id)
            booking.place(case, "arraignment", session_id, 0, user=clerk)
            a_placed.set()
            b_started.wait(10)
            # Give B time to reach the lock before A commits.
            threading.Event().wait(0.5)
            db.session.commit()
            outcome["a"] = "booked"
            db.session.remove()

    def clerk_b():
        with app.app_context():
            a_placed.wait(10)
            case = db.session.get(Case, case_ids[1])
            clerk = db.session.get(type(court.clerk), clerk_id)
            b_started.set()
            try:
                booking.book(case, "arraignment", session_id, 0, user=clerk)
                outcome["b"] = "booked"
            except (booking.BookingRefused, booking.SlotTaken) as refusal:
                outcome["b"] = str(refusal)
            db.session.remove()

    threads = [threading.Thread(target=clerk_a), threading.Thread(target=clerk_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    db.session.expire_all()

    assert outcome["a"] == "booked"
    assert outcome["b"] in {
        "That slot is taken.",
        "The session is full (1 of 1 slots taken).",
        "Someone else booked that slot a moment ago. Here are fresh proposals.",
        "Another booking was being saved at the same moment. Here are fresh proposals.",
    }
    [only] = scheduled_in(session_id)
    assert only.case_id == case_ids[0]
    fresh = booking.proposals_for(db.session.get(Case, case_ids[1]), "arraignment")
    assert session_id not in {p.session.id for p in fresh.clean}


def test_a_continued_hearing_set_for_a_new_date_keeps_its_identity(client, court, days,
                                                                   indicted):
    monday = session(court, court.judge_okafor, court.courtroom, days["monday"])
    tuesday = session(court, court.judge_okafor, court.courtroom, days["tuesday"])
    db.session.commit()
    hearing = booking.book(indicted, "arraignment", monday.id, 0, user=court.clerk)
    hearing_id, tuesday_id = hearing.id, tuesday.id
    # Continued on the defense's motion, the delay found excludable (what the continue form
    # records): the setting ends, the slot is freed, an open excludable period starts.
    period = TollingPeriod(case_id=indicted.id, code="r8_5", starts_on=court_today(),
                           reason="Continuance granted under Rule 8.5")
    db.session.add(period)
    db.session.flush()
    setting = hearing.settings[0]
    setting.ended, setting.tolling_period_id = "continued", period.id
    setting.continuance_requester, setting.continuance_reason = "defense", "discovery_incomplete"
    hearing.status, hearing.slot = "continued", None
    hearing.continuance_requester = "defense"
    hearing.continuance_reason = "discovery_incomplete"
    db.session.commit()

    sign_in(client, "clerk@cir1.test")
    page = client.get(f"/hearings/{hearing_id}/reschedule")
    assert page.status_code == 200 and "Set a new date" in page.text
    done = client.post(f"/hearings/{hearing_id}/reschedule", data={
        "choice": f"{tuesday_id}:0", "version": str(hearing.version)})
    assert done.status_code == 302, done.text

    db.session.expire_all()
    moved = db.session.get(Hearing, hearing_id)
    assert moved.status == "scheduled" and moved.calendar_session_id == tuesday_id
    assert moved.setting_count == 2
    assert [(s.number, s.ended) for s in moved.settings] == [(1, "continued"), (2, None)]
    assert db.session.get(TollingPeriod, period.id).ends_on == days["tuesday"]
    history = client.get(f"/hearings/{hearing_id}")
    assert "History of settings" in history.text and "Continued" in history.text


def test_only_clerks_schedule_hearings(client, court, indicted):
    case_id = indicted.id
    for email in ("okafor@cir1.test", "moreno@defense.test", "clerk@cir2.test"):
        client.post("/sign-out")
        sign_in(client, email)
        assert client.get(f"/cases/{case_id}/hearings/new").status_code in {403, 404}, email
