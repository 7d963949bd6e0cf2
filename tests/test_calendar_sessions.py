"""Calendar sessions: templates make sessions at the court's wall-clock times (across DST),
idempotently; the plan's holidays and the clerk's exceptions close them and withdrawing an
exception reopens them; a session edited one by one is left alone; template changes never move
a scheduled hearing; overlaps are refused; the pages are for clerks and administrators; the CLI
prints what it did."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm.exc import StaleDataError

from docket.calendar import sessions as service
from docket.calendar.booking import core_session
from docket.calendar.sessions import SessionError
from docket.cli import main
from docket.clock import court_today
from docket.core.scheduling import slot_window
from docket.extensions import db
from docket.models import (
    AuditLogEntry,
    CalendarSession,
    Courtroom,
    Hearing,
    SessionException,
    SessionTemplate,
)
from tests.conftest import sign_in
from tests.isolated_client import isolated_client

MONDAY = 1
THURSDAY = 4


def template_data(court, **fields) -> dict:
    values = {
        "name": "Monday arraignments",
        "judge_id": court.judge_okafor.id,
        "courtroom_id": court.courtroom.id,
        "weekdays": [MONDAY],
        "start_minute": 9 * 60,
        "end_minute": 12 * 60,
        "slot_minutes": 15,
        "hearing_types": ["arraignment", "change_of_plea"],
        "capacity": 40,
        "valid_from": date(2026, 1, 1),
        "valid_until": None,
    }
    values.update(fields)
    return values


def sessions_of(template_id: int | None = None) -> list[CalendarSession]:
    db.session.expire_all()
    query = select(CalendarSession).order_by(CalendarSession.session_date, CalendarSession.id)
    if template_id is not None:
        query = query.where(CalendarSession.template_id == template_id)
    return db.session.scalars(query).all()


def on(day: date) -> CalendarSession:
    return next(row for row in sessions_of() if row.session_date == day)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def audit_rows(action: str) -> list[AuditLogEntry]:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == action).order_by(AuditLogEntry.id)
    ).all()


def book(court, session: CalendarSession, slot: int, case=None, hearing_type="arraignment"):
    """A scheduled hearing in `session`'s slot, at the slot's time."""
    starts, ends = slot_window(core_session(session), slot)
    hearing = Hearing(
        case_id=(case or court.rivera).id,
        hearing_type=hearing_type,
        starts_at=starts,
        ends_at=ends,
        courtroom_id=session.courtroom_id,
        judge_id=session.judge_id,
        calendar_session_id=session.id,
        slot=slot,
        status="scheduled",
    )
    db.session.add(hearing)
    db.session.commit()
    return hearing


# --- materializing ---------------------------------------------------------------------------


def test_sessions_sit_at_nine_local_on_both_sides_of_the_dst_change(court):
    template = service.create_template(court.court.id, template_data(court))
    # Daylight saving time starts in Chicago on Sunday, March 14, 2027.
    summary = service.materialize(
        court.court.id, date(2027, 3, 1), date(2027, 3, 21), today=date(2027, 3, 1)
    )
    assert summary.created == 3
    rows = sessions_of(template.id)
    assert [row.session_date for row in rows] == [
        date(2027, 3, 1),
        date(2027, 3, 8),
        date(2027, 3, 15),
    ]
    assert [row.starts_at for row in rows] == [
        utc(2027, 3, 1, 15),
        utc(2027, 3, 8, 15),
        utc(2027, 3, 15, 14),
    ]
    assert [row.ends_at for row in rows] == [
        utc(2027, 3, 1, 18),
        utc(2027, 3, 8, 18),
        utc(2027, 3, 15, 17),
    ]
    first = rows[0]
    assert (first.name, first.capacity, first.slot_minutes) == ("Monday arraignments", 40, 15)
    assert first.hearing_types == ["arraignment", "change_of_plea"]
    assert (first.judge_id, first.courtroom_id, first.court_id) == (
        court.judge_okafor.id,
        court.courtroom.id,
        court.court.id,
    )
    assert all(row.status == "open" and not row.edited for row in rows)
    assert audit_rows("sessions_materialized")[-1].after["created"] == 3


def test_materializing_twice_changes_nothing(court):
    template = service.create_template(court.court.id, template_data(court))
    start, end, today = date(2027, 3, 1), date(2027, 4, 30), date(2027, 3, 1)
    service.materialize(court.court.id, start, end, today=today)
    before = [(row.id, row.version, row.starts_at, row.status) for row in sessions_of()]
    again = service.materialize(court.court.id, start, end, today=today)
    assert again.counts() == {
        "created": 0,
        "updated": 0,
        "closed": 0,
        "reopened": 0,
        "removed": 0,
        "hearings_on_closed_sessions": 0,
    }
    assert [(r.id, r.version, r.starts_at, r.status) for r in sessions_of()] == before
    assert len(sessions_of(template.id)) == 9  # Mondays from Mar 1 to Apr 26
    assert len(audit_rows("sessions_materialized")) == 2


def test_materializing_costs_the_same_statements_for_a_month_or_half_a_year(court):
    service.create_template(court.court.id, template_data(court))
    service.create_template(
        court.court.id, template_data(court, name="Tue-Fri", weekdays=[2, 3, 4, 5])
    )
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        costs = []
        for start, end in (
            (date(2027, 1, 1), date(2027, 1, 31)),
            (date(2027, 2, 1), date(2027, 7, 30)),
        ):
            statements.clear()
            service.materialize(court.court.id, start, end, today=date(2027, 1, 1))
            costs.append(len(statements))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert costs[0] == costs[1] <= 10
    assert len(sessions_of()) == 21 + 130


def test_validity_bounds_the_sessions(court):
    service.create_template(
        court.court.id,
        template_data(court, valid_from=date(2027, 3, 8), valid_until=date(2027, 3, 22)),
    )
    service.materialize(court.court.id, date(2027, 3, 1), date(2027, 4, 30), today=date(2027, 3, 1))
    assert [row.session_date for row in sessions_of()] == [
        date(2027, 3, 8),
        date(2027, 3, 15),
        date(2027, 3, 22),
    ]


def test_thanksgiving_closes_the_session_with_the_plans_reason(court):
    service.create_template(
        court.court.id, template_data(court, name="Thursday call", weekdays=[THURSDAY])
    )
    summary = service.materialize(
        court.court.id, date(2026, 11, 19), date(2026, 12, 3), today=date(2026, 11, 19)
    )
    assert summary.created == 3
    thanksgiving = on(date(2026, 11, 26))
    assert thanksgiving.status == "closed"
    assert "Thanksgiving" in thanksgiving.closed_reason
    assert "legal holiday" in thanksgiving.closed_reason
    assert on(date(2026, 11, 19)).status == "open"
    assert on(date(2026, 12, 3)).status == "open"


def test_a_holiday_closes_a_session_with_hearings_and_reports_them(court):
    template = service.create_template(
        court.court.id, template_data(court, name="Thursday call", weekdays=[THURSDAY])
    )
    service.materialize(
        court.court.id, date(2026, 11, 26), date(2026, 11, 26), today=date(2026, 11, 1)
    )
    row = sessions_of(template.id)[0]
    # Pretend the session was open when the hearing was booked (e.g. made before a closure).
    row.status, row.closed_reason = "open", None
    db.session.commit()
    hearing = book(court, row, 0)
    summary = service.materialize(
        court.court.id, date(2026, 11, 26), date(2026, 11, 26), today=date(2026, 11, 1)
    )
    assert summary.closed == 1
    assert on(date(2026, 11, 26)).status == "closed"
    assert len(summary.hearings_on_closed) == 1
    assert "2026-CR-000001" in summary.hearings_on_closed[0]
    assert "Thanksgiving" in summary.hearings_on_closed[0]
    db.session.expire_all()
    assert db.session.get(Hearing, hearing.id).status == "scheduled"  # not moved


def test_an_exception_closes_its_sessions_and_removing_it_reopens_them(court):
    service.create_template(court.court.id, template_data(court))
    service.create_template(
        court.court.id,
        template_data(
            court,
            name="Lind motions",
            judge_id=court.judge_lind.id,
            courtroom_id=make_courtroom(court, "2B").id,
            hearing_types=["motion"],
        ),
    )
    today = date(2027, 3, 1)
    service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 31), today=today)
    exception, summary = service.add_exception(
        court.court.id,
        {
            "kind": "judge_away",
            "judge_id": court.judge_okafor.id,
            "starts_on": date(2027, 3, 8),
            "ends_on": date(2027, 3, 15),
            "reason": "Judicial conference",
        },
        court.clerk,
        today=today,
    )
    assert summary.closed == 2
    closed = [(r.session_date, r.judge_id) for r in sessions_of() if r.status == "closed"]
    assert closed == [
        (date(2027, 3, 8), court.judge_okafor.id),
        (date(2027, 3, 15), court.judge_okafor.id),
    ]
    okafor_8th = next(
        r
        for r in sessions_of()
        if r.session_date == date(2027, 3, 8) and r.judge_id == court.judge_okafor.id
    )
    assert okafor_8th.closed_reason == "Judge away: Judicial conference"
    # A second cause on the 15th: the whole court is closed that day.
    service.add_exception(
        court.court.id,
        {
            "kind": "court_closed",
            "starts_on": date(2027, 3, 15),
            "ends_on": date(2027, 3, 15),
            "reason": "Water main break",
        },
        court.clerk,
        today=today,
    )
    # Materializing again changes nothing: the closures stand.
    again = service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 31), today=today)
    assert again.closed == again.reopened == 0

    removed = service.remove_exception(exception, court.clerk, today=today)
    assert removed.reopened == 1
    statuses = {(r.session_date, r.judge_id): r for r in sessions_of()}
    assert statuses[(date(2027, 3, 8), court.judge_okafor.id)].status == "open"
    assert statuses[(date(2027, 3, 8), court.judge_okafor.id)].closed_reason is None
    still = statuses[(date(2027, 3, 15), court.judge_okafor.id)]
    assert (still.status, still.closed_reason) == ("closed", "Court closed: Water main break")
    assert db.session.scalar(select(func.count()).select_from(SessionException)) == 1
    added = audit_rows("session_exception_added")
    assert [row.after["reason"] for row in added] == ["Judicial conference", "Water main break"]
    assert added[0].after["sessions"]["closed"] == 2
    gone = audit_rows("session_exception_removed")
    assert len(gone) == 1 and gone[0].before["reason"] == "Judicial conference"
    assert gone[0].entity_type == "session_exception"


def make_courtroom(court, name: str) -> Courtroom:
    room = Courtroom(court=court.court, name=name)
    db.session.add(room)
    db.session.commit()
    return room


def test_template_changes_reach_unedited_sessions_but_not_edited_ones(court):
    template = service.create_template(court.court.id, template_data(court))
    today = date(2027, 3, 1)
    service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 15), today=today)
    edited = on(date(2027, 3, 8))
    service.edit_session(edited, session_data(edited, capacity=12))

    service.update_template(
        template, template_data(court, start_minute=10 * 60, capacity=30), court.clerk
    )
    summary = service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 15), today=today)
    assert summary.updated == 2
    rows = {row.session_date: row for row in sessions_of()}
    assert rows[date(2027, 3, 1)].starts_at == utc(2027, 3, 1, 16)
    assert rows[date(2027, 3, 1)].capacity == 30
    assert rows[date(2027, 3, 15)].starts_at == utc(2027, 3, 15, 15)  # 10:00 CDT
    assert rows[date(2027, 3, 8)].starts_at == utc(2027, 3, 8, 15)  # as edited: 9:00
    assert rows[date(2027, 3, 8)].capacity == 12
    changed = audit_rows("session_template_changed")
    assert changed[-1].before == {"start_minute": 540, "capacity": 40}
    assert changed[-1].after == {"start_minute": 600, "capacity": 30}


def test_a_template_change_that_would_move_a_hearing_is_left_and_reported(court):
    template = service.create_template(court.court.id, template_data(court))
    today = date(2027, 3, 1)
    service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 8), today=today)
    booked = on(date(2027, 3, 1))
    book(court, booked, 0)
    service.update_template(template, template_data(court, start_minute=10 * 60))
    summary = service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 8), today=today)
    assert summary.updated == 1  # the 8th, which has no hearing
    assert len(summary.not_updated) == 1
    assert "2026-CR-000001" in summary.not_updated[0]
    assert on(date(2027, 3, 1)).starts_at == utc(2027, 3, 1, 15)
    assert on(date(2027, 3, 8)).starts_at == utc(2027, 3, 8, 16)

    # A change that keeps the booked slot where it is goes through: a later end time with
    # the same number of hearings per time.
    service.update_template(template, template_data(court))
    service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 8), today=today)
    service.update_template(template, template_data(court, hearing_types=["arraignment"]))
    summary = service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 8), today=today)
    assert summary.not_updated == []
    assert on(date(2027, 3, 1)).hearing_types == ["arraignment"]
    # Dropping the booked hearing's type is refused for that session.
    service.update_template(template, template_data(court, hearing_types=["motion"]))
    summary = service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 8), today=today)
    assert len(summary.not_updated) == 1
    assert on(date(2027, 3, 1)).hearing_types == ["arraignment"]


def test_deactivating_a_template_takes_its_future_sessions_off_the_calendar(court):
    template = service.create_template(court.court.id, template_data(court))
    today = date(2027, 3, 1)
    service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 15), today=today)
    book(court, on(date(2027, 3, 8)), 0)
    service.set_template_active(template, False, court.clerk)
    summary = service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 15), today=today)
    assert summary.removed == 2
    assert [row.session_date for row in sessions_of()] == [date(2027, 3, 8)]
    assert "no longer sits" in summary.not_updated[0]
    assert audit_rows("session_template_deactivated")[0].after == {"active": False}


# --- template checks -------------------------------------------------------------------------


def test_a_template_overlapping_another_in_the_courtroom_or_for_the_judge_is_refused(court):
    service.create_template(court.court.id, template_data(court))
    # Same courtroom, another judge, overlapping Monday morning.
    with pytest.raises(SessionError) as refused:
        service.create_template(
            court.court.id,
            template_data(
                court,
                name="Lind pleas",
                judge_id=court.judge_lind.id,
                weekdays=[MONDAY, 3],
                start_minute=11 * 60,
                end_minute=13 * 60,
            ),
        )
    message = str(refused.value)
    assert "Monday arraignments" in message
    assert "Courtroom 3A" in message
    assert "Mondays" in message
    # Same judge, another courtroom.
    room = make_courtroom(court, "2B")
    with pytest.raises(SessionError, match="Judge Adaeze Okafor"):
        service.create_template(
            court.court.id, template_data(court, name="Okafor 2B", courtroom_id=room.id)
        )
    # The afternoon, another weekday, or validity that does not meet are all fine.
    service.create_template(
        court.court.id, template_data(court, name="Afternoon", start_minute=720, end_minute=900)
    )
    service.create_template(court.court.id, template_data(court, name="Tuesday", weekdays=[2]))
    assert db.session.scalar(select(func.count()).select_from(SessionTemplate)) == 3


def test_an_overlap_ends_where_validity_does(court):
    service.create_template(court.court.id, template_data(court, valid_until=date(2026, 12, 31)))
    service.create_template(
        court.court.id, template_data(court, name="From 2027", valid_from=date(2027, 1, 1))
    )
    with pytest.raises(SessionError, match="From 2027"):
        service.create_template(
            court.court.id, template_data(court, name="Spring", valid_from=date(2027, 3, 1))
        )


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"weekdays": []}, "weekdays", "at least one weekday"),
        ({"weekdays": [8]}, "weekdays", r"1 \(Monday\) to 7"),
        ({"end_minute": 9 * 60}, "end_time", "end after it starts"),
        ({"slot_minutes": 200}, "slot_minutes", "does not fit"),
        ({"capacity": 0}, "capacity", "at least 1"),
        ({"hearing_types": []}, "hearing_types", "at least one hearing type"),
        ({"hearing_types": ["picnic"]}, "hearing_types", "Unknown hearing type"),
        ({"valid_until": date(2025, 12, 31)}, "valid_until", "before"),
    ],
)
def test_template_fields_are_checked(court, fields, field, words):
    with pytest.raises(SessionError, match=words) as refused:
        service.create_template(court.court.id, template_data(court, **fields))
    assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(SessionTemplate)) == 0


def test_judge_and_courtroom_must_be_the_courts_own(court):
    far_judge = court.other_court.judges[0]
    with pytest.raises(SessionError, match="judge of this court"):
        service.create_template(court.court.id, template_data(court, judge_id=far_judge.id))
    room = Courtroom(court=court.other_court, name="9Z")
    db.session.add(room)
    db.session.commit()
    with pytest.raises(SessionError, match="courtroom of this court"):
        service.create_template(court.court.id, template_data(court, courtroom_id=room.id))


# --- one session -----------------------------------------------------------------------------


def session_data(row: CalendarSession, **fields) -> dict:
    zone = service.ZoneInfo("America/Chicago")
    values = {
        "judge_id": row.judge_id,
        "courtroom_id": row.courtroom_id,
        "start_minute": service.local_minute(row.starts_at, zone),
        "end_minute": service.local_minute(row.ends_at, zone),
        "slot_minutes": row.slot_minutes,
        "capacity": row.capacity,
        "hearing_types": list(row.hearing_types),
        "status": row.status,
        "closed_reason": row.closed_reason,
    }
    values.update(fields)
    return values


@pytest.fixture
def two_sessions(court):
    """Okafor's Monday call in 3A, and Lind's Monday afternoon in 2B, on March 1, 2027."""
    room = make_courtroom(court, "2B")
    service.create_template(court.court.id, template_data(court))
    service.create_template(
        court.court.id,
        template_data(
            court,
            name="Lind afternoon",
            judge_id=court.judge_lind.id,
            courtroom_id=room.id,
            start_minute=13 * 60,
            end_minute=16 * 60,
        ),
    )
    service.materialize(court.court.id, date(2027, 3, 1), date(2027, 3, 1), today=date(2027, 3, 1))
    rows = sessions_of()
    return rows[0], rows[1], room


def test_editing_a_session_marks_it_edited_and_audits(court, two_sessions):
    okafor, _lind, _room = two_sessions
    version = okafor.version
    result = service.edit_session(
        okafor,
        session_data(okafor, start_minute=8 * 60 + 30, capacity=20, hearing_types=["arraignment"]),
        court.clerk,
        version=version,
    )
    row = result.session
    assert row.edited is True
    assert row.starts_at == utc(2027, 3, 1, 14, 30)
    assert row.capacity == 20
    entry = audit_rows("calendar_session_changed")[-1]
    assert entry.before["capacity"] == 40 and entry.after["capacity"] == 20
    assert entry.after["edited"] is True


def test_a_stale_session_edit_is_refused(court, two_sessions):
    okafor, _lind, _room = two_sessions
    seen = okafor.version
    service.edit_session(okafor, session_data(okafor, capacity=30))
    with pytest.raises(StaleDataError):
        service.edit_session(okafor, session_data(okafor, capacity=20), version=seen)


def test_capacity_cannot_drop_below_the_hearings_in_the_session(court, two_sessions):
    okafor, _lind, _room = two_sessions
    book(court, okafor, 0)
    book(court, okafor, 24, case=court.ortiz)
    with pytest.raises(SessionError, match="at least 25") as refused:
        service.edit_session(okafor, session_data(okafor, capacity=24))
    assert refused.value.field == "capacity"
    db.session.rollback()
    assert on(date(2027, 3, 1)).capacity == 40


def test_a_session_edit_may_not_move_booked_hearings(court, two_sessions):
    okafor, _lind, _room = two_sessions
    book(court, okafor, 0)
    with pytest.raises(SessionError, match="would move or drop 1"):
        service.edit_session(okafor, session_data(okafor, start_minute=10 * 60))
    with pytest.raises(SessionError, match="judge or the courtroom"):
        service.edit_session(okafor, session_data(okafor, judge_id=court.judge_lind.id))
    # Closing it is allowed (the judge is ill) and names the hearing to continue.
    result = service.edit_session(
        okafor, session_data(okafor, status="closed", closed_reason="Judge ill")
    )
    assert result.session.status == "closed"
    assert "2026-CR-000001" in result.hearings_on_closed[0]


def test_a_session_edit_may_not_overlap_another_session(court, two_sessions):
    okafor, lind, room = two_sessions
    with pytest.raises(SessionError, match="Monday arraignments") as refused:
        service.edit_session(
            lind, session_data(lind, courtroom_id=court.courtroom.id, start_minute=11 * 60)
        )
    assert "Courtroom 3A" in str(refused.value)
    with pytest.raises(SessionError, match="Lind afternoon.*Judge Peter Lind"):
        service.edit_session(
            okafor, session_data(okafor, judge_id=court.judge_lind.id, end_minute=14 * 60)
        )
    # Not at the same time: fine.
    service.edit_session(lind, session_data(lind, courtroom_id=court.courtroom.id))
    assert on(date(2027, 3, 1)).courtroom_id == court.courtroom.id


def test_an_edited_session_is_left_alone_by_holidays_and_exceptions(court, two_sessions):
    okafor, _lind, _room = two_sessions
    service.edit_session(okafor, session_data(okafor, capacity=10))
    _exc, summary = service.add_exception(
        court.court.id,
        {
            "kind": "court_closed",
            "starts_on": date(2027, 3, 1),
            "ends_on": date(2027, 3, 1),
            "reason": "Storm",
        },
        today=date(2027, 3, 1),
    )
    rows = {row.judge_id: row for row in sessions_of()}
    assert rows[court.judge_okafor.id].status == "open"
    assert rows[court.judge_lind.id].status == "closed"
    assert summary.closed == 1
    assert "Storm" in summary.edited_left_open[0]


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def clerk(app, court):
    client = isolated_client(app)
    assert sign_in(client, "clerk@cir1.test").status_code == 302
    return client


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(response, field: str) -> str:
    found = re.search(
        rf'<p class="error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def template_form(court, **fields) -> dict:
    values = {
        "name": "Monday arraignments",
        "courtroom_id": str(court.courtroom.id),
        "judge_id": str(court.judge_okafor.id),
        "weekdays": ["1", "3"],
        "start_time": "09:00",
        "end_time": "12:00",
        "slot_minutes": "15",
        "capacity": "40",
        "hearing_types": ["arraignment", "change_of_plea"],
        "valid_from": court_today().isoformat(),
        "valid_until": "",
    }
    values.update(fields)
    return values


def test_a_clerk_creates_a_template_and_its_sessions_appear(app, court, clerk):
    page = clerk.get("/calendar/templates")
    assert page.status_code == 200
    assert "No session templates yet" in text(page)
    form = clerk.get("/calendar/templates/new")
    assert form.status_code == 200
    assert 'type="time"' in text(form)
    response = clerk.post("/calendar/templates/new", data=template_form(court))
    assert response.status_code == 302
    db.session.expire_all()
    template = db.session.scalar(select(SessionTemplate))
    assert template.weekdays == [1, 3]
    assert (template.start_minute, template.end_minute) == (540, 720)
    rows = sessions_of(template.id)
    assert len(rows) > 40  # two days a week for six months
    assert rows[0].session_date >= court_today()
    listing = text(clerk.get("/calendar/templates"))
    assert "Monday arraignments" in listing
    assert "Mon, Wed" in listing
    assert "9:00–12:00" in listing
    assert audit_rows("session_template_created")[0].user_id == court.clerk.id


def test_bad_template_input_is_named_beside_each_field_and_saves_nothing(app, court, clerk):
    response = clerk.post(
        "/calendar/templates/new",
        data=template_form(
            court, weekdays=[], start_time="9am", end_time="08:00", hearing_types=[], capacity="0"
        ),
    )
    assert response.status_code == 200
    assert "at least one weekday" in field_error(response, "weekdays")
    assert "HH:MM" in field_error(response, "start_time")
    assert "at least one hearing type" in field_error(response, "hearing_types")
    assert "Capacity must be 1 to 1000" in field_error(response, "capacity")
    response = clerk.post("/calendar/templates/new", data=template_form(court, end_time="08:00"))
    assert "end after it starts" in field_error(response, "end_time")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SessionTemplate)) == 0


def test_an_overlapping_template_is_refused_on_the_page(app, court, clerk):
    clerk.post("/calendar/templates/new", data=template_form(court))
    response = clerk.post(
        "/calendar/templates/new",
        data=template_form(court, name="Clash", judge_id=str(court.judge_lind.id), weekdays=["3"]),
    )
    assert response.status_code == 200
    assert "Overlaps template “Monday arraignments”" in field_error(response, "start_time")


def test_editing_a_template_on_the_page(app, court, clerk):
    clerk.post("/calendar/templates/new", data=template_form(court))
    template = db.session.scalar(select(SessionTemplate))
    page = clerk.get(f"/calendar/templates/{template.id}/edit")
    assert page.status_code == 200
    assert 'value="09:00"' in text(page)
    response = clerk.post(
        f"/calendar/templates/{template.id}/edit",
        data=template_form(court, capacity="20", version=str(template.version)),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert {row.capacity for row in sessions_of(template.id)} == {20}
    stale = clerk.post(
        f"/calendar/templates/{template.id}/edit",
        data=template_form(court, capacity="30", version=str(template.version - 1)),
    )
    assert stale.status_code == 409


def test_attorneys_may_not_see_the_calendar_setup_and_judges_only_read(app, court, clerk):
    clerk.post("/calendar/templates/new", data=template_form(court))
    template = db.session.scalar(select(SessionTemplate))
    session_id = sessions_of(template.id)[0].id
    attorney = isolated_client(app)
    sign_in(attorney, "moreno@defense.test")
    for url in (
        "/calendar/templates",
        "/calendar/templates/new",
        f"/calendar/templates/{template.id}/edit",
        "/calendar/exceptions",
        f"/calendar/sessions/{session_id}/edit",
    ):
        assert attorney.get(url).status_code == 403, url
    assert attorney.post("/calendar/materialize").status_code == 403
    judge = isolated_client(app)
    sign_in(judge, "okafor@cir1.test")
    page = judge.get("/calendar/templates")
    assert page.status_code == 200
    assert "Monday arraignments" in text(page)
    assert "Materialize now" not in text(page)
    assert judge.get("/calendar/templates/new").status_code == 403
    assert judge.get("/calendar/exceptions").status_code == 200
    assert judge.post("/calendar/exceptions", data={}).status_code == 403
    other = isolated_client(app)
    sign_in(other, "clerk@cir2.test")
    assert other.get(f"/calendar/templates/{template.id}/edit").status_code == 404
    assert other.get(f"/calendar/sessions/{session_id}/edit").status_code == 404


def test_materialize_now_button(app, court, clerk):
    service.create_template(court.court.id, template_data(court, valid_from=court_today()))
    assert sessions_of() == []
    response = clerk.post("/calendar/materialize", follow_redirects=True)
    assert response.status_code == 200
    assert "created" in text(response)
    assert len(sessions_of()) >= 25


def test_exceptions_page_records_and_removes(app, court, clerk):
    response = clerk.post(
        "/calendar/exceptions",
        data={
            "kind": "judge_away",
            "judge_id": "",
            "courtroom_id": "",
            "starts_on": "2027-03-01",
            "ends_on": "2027-02-01",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert "judge who is away" in field_error(response, "judge_id")
    assert "before the first day" in field_error(response, "ends_on")
    assert "Say why" in field_error(response, "reason")
    response = clerk.post(
        "/calendar/exceptions",
        data={
            "kind": "judge_away",
            "judge_id": str(court.judge_okafor.id),
            "courtroom_id": "",
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-05",
            "reason": "Conference",
        },
    )
    assert response.status_code == 302
    page = text(clerk.get("/calendar/exceptions"))
    assert "Hon. Adaeze Okafor" in page and "Conference" in page
    exception = db.session.scalar(select(SessionException))
    assert clerk.post(f"/calendar/exceptions/{exception.id}/remove").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(SessionException)) == 0


def test_session_edit_page_shows_errors_beside_fields(app, court, clerk, two_sessions):
    okafor, _lind, _room = two_sessions
    book(court, okafor, 5)
    page = clerk.get(f"/calendar/sessions/{okafor.id}/edit")
    assert page.status_code == 200
    assert "2026-CR-000001" in text(page)
    form = {
        "courtroom_id": str(okafor.courtroom_id),
        "judge_id": str(okafor.judge_id),
        "start_time": "09:00",
        "end_time": "12:00",
        "slot_minutes": "15",
        "capacity": "3",
        "hearing_types": ["arraignment"],
        "status": "open",
        "closed_reason": "",
        "version": str(okafor.version),
    }
    response = clerk.post(f"/calendar/sessions/{okafor.id}/edit", data=form)
    assert response.status_code == 200
    assert "at least 6" in field_error(response, "capacity")
    response = clerk.post(
        f"/calendar/sessions/{okafor.id}/edit", data={**form, "capacity": "40", "status": "closed"}
    )
    assert "Say why" in field_error(response, "closed_reason")
    response = clerk.post(
        f"/calendar/sessions/{okafor.id}/edit",
        data={**form, "capacity": "40", "status": "closed", "closed_reason": "Judge ill"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "continue them" in text(response)
    db.session.expire_all()
    assert db.session.get(CalendarSession, okafor.id).status == "closed"


# --- CLI and the nightly job -----------------------------------------------------------------


def test_cli_materializes_and_prints_the_summary(app, court):
    service.create_template(
        court.court.id, template_data(court, name="Thursday call", weekdays=[THURSDAY])
    )
    with app.app_context():
        result = app.test_cli_runner().invoke(
            main,
            [
                "sessions",
                "materialize",
                "--court",
                "CIR1",
                "--from",
                "2026-11-19",
                "--to",
                "2026-12-03",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "CIR1 2026-11-19..2026-12-03: 3 created, 0 updated, 1 closed" in result.output
    assert "Thanksgiving" not in result.output  # no hearing to report
    assert "0 hearings on closed sessions" in result.output
    with app.app_context():
        again = app.test_cli_runner().invoke(
            main,
            [
                "sessions",
                "materialize",
                "--court",
                "CIR1",
                "--from",
                "2026-11-19",
                "--to",
                "2026-12-03",
            ],
        )
    assert "0 created, 0 updated, 0 closed, 0 reopened" in again.output
    with app.app_context():
        bad = app.test_cli_runner().invoke(main, ["sessions", "materialize", "--court", "NOPE"])
    assert bad.exit_code != 0
    assert "no court with code 'NOPE'" in bad.output


def test_the_job_process_materializes_nightly(app, court):
    from docket import jobs

    scheduler = jobs.build_scheduler(app)
    job = scheduler.get_job("materialize_sessions")
    assert job is not None
    assert str(job.trigger.fields[5]) == "2"  # hour
    assert str(job.trigger.fields[6]) == "30"  # minute
    service.create_template(court.court.id, template_data(court, valid_from=court_today()))
    jobs.materialize_sessions(app)
    assert len(sessions_of()) >= 25
