"""The calendar board: a courtroom's and a judge's day and week, the daily calendar sheet posted
outside a courtroom, counsel's notices of unavailability and the court's interpreters.

What users rely on: the right hearings at the right local times (summer and winter), a sealed
case's caption only for the court that may see it (never on the posted sheet), attorneys kept
off the court-wide views, a page cost that does not grow with the number of hearings, and
notices that are validated, withdrawn (never deleted) only by their own attorney or the clerk,
and audit-logged."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from docket.clock import court_today
from docket.extensions import db
from docket.models import (
    AuditLogEntry,
    CalendarSession,
    CounselOfRecord,
    Courtroom,
    Hearing,
    Interpreter,
    Unavailability,
)
from tests.conftest import sign_in
from tests.factories import case as make_case
from tests.isolated_client import isolated_client
from tests.query_count import counted_queries

CHICAGO = ZoneInfo("America/Chicago")
SUMMER = date(2026, 7, 14)  # a Tuesday, CDT (UTC-5)
WINTER = date(2026, 12, 8)  # a Tuesday, CST (UTC-6)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO)


def add_session(
    court,
    day,
    *,
    start=9,
    end=12,
    name="Morning call",
    judge=None,
    room=None,
    capacity=10,
    types=("arraignment", "change_of_plea"),
    status="open",
    closed_reason=None,
) -> CalendarSession:
    session = CalendarSession(
        court_id=court.court.id,
        judge=judge or court.judge_okafor,
        courtroom=room or court.courtroom,
        name=name,
        session_date=day,
        starts_at=local(day, start),
        ends_at=local(day, end),
        hearing_types=list(types),
        capacity=capacity,
        slot_minutes=15,
        status=status,
        closed_reason=closed_reason,
    )
    db.session.add(session)
    db.session.flush()
    return session


def add_hearing(
    session,
    case,
    slot,
    *,
    hearing_type="arraignment",
    status="scheduled",
    language=None,
    starts=None,
) -> Hearing:
    starts = starts or session.starts_at + timedelta(minutes=15 * slot)
    hearing = Hearing(
        case=case,
        hearing_type=hearing_type,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=15),
        courtroom_id=session.courtroom_id,
        judge_id=session.judge_id,
        calendar_session_id=session.id,
        slot=slot,
        status=status,
        continuance_requester="defense" if status == "continued" else None,
        interpreter_language=language,
    )
    db.session.add(hearing)
    db.session.flush()
    return hearing


@pytest.fixture
def sealed_case(court):
    """Okafor's sealed case; its defendant's name must not leak."""
    row = make_case(court.court, "2026-CR-000077", "Hidalgo", court.judge_okafor, sealed=True)
    row.caption = "State v. Hidalgo"
    db.session.flush()
    db.session.add(
        CounselOfRecord(
            case=row,
            attorney=court.other_defender,
            side="defense",
            defendant=row.defendants[0],
            appeared_on=date(2026, 3, 3),
        )
    )
    db.session.commit()
    return row


@pytest.fixture
def calendar(court, sealed_case):
    """Courtroom 3A, Judge Okafor: a morning call on a summer and a winter Tuesday with Rivera
    at 9:00, the sealed case at 9:15 and (summer) a vacated Ortiz hearing; Judge Lind sits in
    courtroom 4B the same summer afternoon."""
    court.rivera.defendants[0].interpreter_language = "Spanish"
    room_4b = Courtroom(court=court.court, name="4B", building="Annex")
    db.session.add(room_4b)
    summer = add_session(court, SUMMER)
    add_hearing(summer, court.rivera, 0)
    add_hearing(summer, sealed_case, 1, hearing_type="change_of_plea")
    add_hearing(summer, court.ortiz, 2, status="vacated")
    winter = add_session(court, WINTER)
    add_hearing(winter, court.rivera, 0, hearing_type="change_of_plea")
    add_hearing(winter, sealed_case, 1)
    afternoon = add_session(
        court,
        SUMMER,
        start=13,
        end=16,
        name="Motions",
        judge=court.judge_lind,
        room=room_4b,
        capacity=4,
        types=("motion",),
    )
    add_hearing(afternoon, court.ortiz, 0, hearing_type="motion")
    db.session.commit()
    return {"summer": summer, "winter": winter, "afternoon": afternoon, "room_4b": room_4b}


def client_for(app, email: str):
    client = isolated_client(app)
    assert sign_in(client, email).status_code == 302
    return client


def text(response) -> str:
    """The page's visible text, tags dropped and whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def rows(response) -> list[str]:
    """The text of every table body row, in page order."""
    found = re.findall(r"<tr[^>]*>(.*?)</tr>", response.get_data(as_text=True), re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in found]


# --- day, week and sheet -------------------------------------------------------------------


@pytest.mark.parametrize("day", [SUMMER, WINTER], ids=["summer", "winter"])
def test_day_view_lists_the_courtrooms_hearings_at_local_times(app, court, calendar, day):
    clerk = client_for(app, "clerk@cir1.test")
    response = clerk.get(f"/calendar/day?courtroom={court.courtroom.id}&date={day.isoformat()}")
    assert response.status_code == 200
    page = text(response)
    assert "Courtroom 3A" in page
    assert "9:00 AM – 12:00 PM Morning call" in page
    assert "Hon. Adaeze Okafor" in page
    assert "Arraignment, Change of plea" in page  # the session's types
    assert "2 of 10 used" in page  # the vacated Ortiz hearing does not hold a slot
    hearing_rows = [row for row in rows(response) if "2026-CR-" in row]
    assert hearing_rows[0].startswith("9:00 AM 2026-CR-000001")
    assert "State v. Rivera" in hearing_rows[0]
    assert "State: Dana Chen" in hearing_rows[0] and "Defense: Luis Moreno" in hearing_rows[0]
    assert "Spanish" in hearing_rows[0]  # the defendant's interpreter language
    assert hearing_rows[1].startswith("9:15 AM 2026-CR-000077")
    if day == SUMMER:
        assert "Vacated" in hearing_rows[2] and hearing_rows[2].startswith("9:30 AM")
        assert "+1 vacated or continued" in page
    else:
        assert len(hearing_rows) == 2
    # Each hearing leads to its own page (continue, vacate, record the outcome there).
    assert re.search(r'href="/hearings/\d+">Arraignment</a>', response.get_data(as_text=True))
    # Judge Lind's afternoon is in another courtroom: not on 3A's page.
    assert "Motions" not in page
    assert f"date={(day - timedelta(days=1)).isoformat()}" in response.get_data(as_text=True)
    assert f"date={(day + timedelta(days=1)).isoformat()}" in response.get_data(as_text=True)


def test_a_late_evening_hearing_stays_on_its_local_day(app, court, calendar):
    """11:30 PM in Chicago is the next day in UTC: it belongs to the court's day it is on."""
    late = Hearing(
        case=court.ortiz,
        hearing_type="detention",
        starts_at=local(SUMMER, 23, 30),
        ends_at=local(SUMMER, 23, 45),
        courtroom_id=court.courtroom.id,
        judge_id=court.judge_okafor.id,
        status="scheduled",
    )
    db.session.add(late)
    db.session.commit()
    clerk = client_for(app, "clerk@cir1.test")
    room = court.courtroom.id
    same_day = text(clerk.get(f"/calendar/day?courtroom={room}&date={SUMMER.isoformat()}"))
    assert "Hearings outside a session" in same_day
    assert "11:30 PM" in same_day and "Detention hearing" in same_day
    next_day = text(
        clerk.get(f"/calendar/day?courtroom={room}&date={(SUMMER + timedelta(days=1)).isoformat()}")
    )
    assert "Detention hearing" not in next_day
    assert "No sessions in Courtroom 3A" in next_day


def test_judge_view_shows_the_judges_sessions_in_every_courtroom(app, court, calendar):
    lind = client_for(app, "lind@cir1.test")
    # With no arguments a judge sees their own calendar.
    response = lind.get(f"/calendar/day?date={SUMMER.isoformat()}")
    page = text(response)
    assert "Hon. Peter Lind" in page
    assert "1:00 PM – 4:00 PM Motions" in page
    assert "1 of 4 used" in page
    assert "Morning call" not in page  # Okafor's session
    # The toggle leads to the courtroom the judge sits in that day.
    assert f"courtroom={calendar['room_4b'].id}" in response.get_data(as_text=True)


def test_week_view_counts_each_session_and_links_to_the_day(app, court, calendar):
    clerk = client_for(app, "clerk@cir1.test")
    response = clerk.get(f"/calendar/week?courtroom={court.courtroom.id}&date=2026-07-16")
    assert response.status_code == 200
    page = text(response)
    for weekday in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        assert weekday in page
    assert "Saturday" not in page and "Sunday" not in page  # no session sits then
    assert "Monday Jul 13, 2026" in page
    assert "2 of 10 slots · 1 off" in page
    assert "Hon. Adaeze Okafor" in page
    body = response.get_data(as_text=True)
    assert (
        f"/calendar/day?date=2026-07-14&amp;courtroom={court.courtroom.id}#session-"
        f"{calendar['summer'].id}" in body
    )
    judge_week = text(clerk.get(f"/calendar/week?judge={court.judge_lind.id}&date=2026-07-14"))
    assert "Courtroom 4B" in judge_week and "1 of 4 slots" in judge_week


def test_the_daily_sheet_never_names_a_sealed_case(app, court, calendar, sealed_case):
    for email in ("clerk@cir1.test", "okafor@cir1.test"):
        client = client_for(app, email)
        response = client.get(
            f"/calendar/sheet?courtroom={court.courtroom.id}&date={SUMMER.isoformat()}"
        )
        assert response.status_code == 200
        page = text(response)
        assert "First Circuit Court" in page
        assert "Daily calendar · Courtroom 3A" in page
        assert "Tuesday, Jul 14, 2026" in page
        assert "Hon. Adaeze Okafor" in page
        sheet_rows = [row for row in rows(response) if "2026-CR-" in row]
        assert sheet_rows[0] == (
            "9:00 AM 2026-CR-000001 State v. Rivera Arraignment "
            "State: Dana Chen Defense: Luis Moreno"
        )
        assert sheet_rows[1] == "9:15 AM 2026-CR-000077 SEALED Change of plea —"
        assert "VACATED" in sheet_rows[2]
        assert "Hidalgo" not in page and "Rosa Vega" not in page


def test_sealed_caption_in_the_day_view_only_for_the_clerk_and_the_cases_judge(
    app, court, calendar
):
    path = f"/calendar/day?courtroom={court.courtroom.id}&date={SUMMER.isoformat()}"
    for email, sees in (
        ("clerk@cir1.test", True),
        ("okafor@cir1.test", True),
        ("lind@cir1.test", False),
        ("admin@cir1.test", False),
    ):
        response = client_for(app, email).get(path)
        assert response.status_code == 200, email
        page = text(response)
        row = next(r for r in rows(response) if "2026-CR-000077" in r)
        assert ("State v. Hidalgo" in page) is sees, email
        assert ("Rosa Vega" in page) is sees, email
        if not sees:
            assert "SEALED" in row
            body = response.get_data(as_text=True)
            # No link to a case page this viewer would be refused.
            assert re.search(r'href="/cases/\d+">2026-CR-000077', body) is None


@pytest.mark.parametrize("path", ["/calendar/day", "/calendar/week", "/calendar/sheet"])
def test_attorneys_do_not_get_the_court_views(app, court, calendar, path):
    response = client_for(app, "moreno@defense.test").get(
        f"{path}?courtroom={court.courtroom.id}&date={SUMMER.isoformat()}"
    )
    assert response.status_code == 403
    assert "for the clerk's office, judges and court administrators" in text(response)


def test_another_courts_clerk_cannot_read_this_courts_calendar(app, court, calendar):
    other = client_for(app, "clerk@cir2.test")
    response = other.get(f"/calendar/day?courtroom={court.courtroom.id}&date=2026-07-14")
    assert response.status_code == 404
    assert other.get(f"/calendar/week?judge={court.judge_okafor.id}").status_code == 404


def test_bad_arguments_are_named(app, court, calendar):
    clerk = client_for(app, "clerk@cir1.test")
    response = clerk.get("/calendar/day?date=14/07/2026")
    assert response.status_code == 400
    assert "“14/07/2026” is not a date" in text(response)
    assert clerk.get("/calendar/day?courtroom=3A").status_code == 400
    assert clerk.get("/calendar/day?courtroom=99999").status_code == 404


@pytest.mark.parametrize(
    "today, shown",
    [
        (date(2026, 11, 18), "Wednesday, Nov 18, 2026"),  # a weekday: today
        (date(2026, 11, 21), "Monday, Nov 23, 2026"),  # Saturday: the coming Monday
        (date(2026, 11, 22), "Monday, Nov 23, 2026"),  # Sunday: the coming Monday
    ],
)
def test_clerk_with_no_arguments_gets_the_first_courtroom_on_the_next_court_weekday(
    app, court, calendar, monkeypatch, today, shown
):
    monkeypatch.setattr("docket.calendar.views_board.court_today", lambda: today)
    response = client_for(app, "clerk@cir1.test").get("/calendar/day")
    assert response.status_code == 200
    page = text(response)
    assert "Courtroom 3A" in page
    assert shown in page


def _queries(client, path: str) -> int:
    assert client.get(path).status_code == 200
    with counted_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_board_pages_cost_the_same_queries_whatever_the_number_of_hearings(
    app, court, calendar, sealed_case
):
    clerk = client_for(app, "clerk@cir1.test")
    room = court.courtroom.id
    paths = [
        f"/calendar/day?courtroom={room}&date={WINTER.isoformat()}",
        f"/calendar/day?judge={court.judge_okafor.id}&date={WINTER.isoformat()}",
        f"/calendar/week?courtroom={room}&date={WINTER.isoformat()}",
        f"/calendar/sheet?courtroom={room}&date={WINTER.isoformat()}",
    ]
    before = {path: _queries(clerk, path) for path in paths}

    # Eighteen more hearings, each in a case of its own with a defendant, counsel and a
    # language, plus a second session and a hearing outside any session.
    session = db.session.get(CalendarSession, calendar["winter"].id)
    afternoon = add_session(court, WINTER, start=13, end=17, name="Afternoon", capacity=40)
    for n in range(18):
        row = make_case(
            court.court, f"2026-CR-{500 + n:06d}", f"Load{n}", court.judge_okafor, sealed=n % 5 == 0
        )
        db.session.flush()
        row.defendants[0].interpreter_language = "Polish" if n % 2 else None
        db.session.add(
            CounselOfRecord(
                case=row,
                attorney=court.defender,
                side="defense",
                defendant=row.defendants[0],
                appeared_on=date(2026, 3, 3),
            )
        )
        db.session.add(
            CounselOfRecord(
                case=row,
                attorney=court.prosecutor,
                side="prosecution",
                appeared_on=date(2026, 3, 3),
            )
        )
        add_hearing(session if n < 8 else afternoon, row, 2 + n if n < 8 else n)
    db.session.add(
        Hearing(
            case=court.ortiz,
            hearing_type="detention",
            starts_at=local(WINTER, 17, 30),
            ends_at=local(WINTER, 17, 45),
            courtroom_id=room,
            judge_id=court.judge_okafor.id,
            status="scheduled",
        )
    )
    db.session.commit()

    after = {path: _queries(clerk, path) for path in paths}
    assert after == before
    assert "2026-CR-000517" in text(clerk.get(paths[0]))


# --- notices of unavailability -------------------------------------------------------------


def _file(client, starts: date, ends: date, reason="Vacation", **extra):
    return client.post(
        "/calendar/unavailability",
        data={
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
            "reason": reason,
            **extra,
        },
    )


def _notices() -> list[Unavailability]:
    db.session.rollback()
    return db.session.scalars(select(Unavailability).order_by(Unavailability.id)).all()


def _audit(action: str) -> list[AuditLogEntry]:
    db.session.rollback()
    return db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == action)).all()


def _error_beside(response, field: str) -> str:
    found = re.search(
        rf'<p class="error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return html.unescape(found.group(1)) if found else ""


def test_an_attorney_files_a_notice_for_themselves(app, court):
    moreno = client_for(app, "moreno@defense.test")
    today = court_today()
    response = _file(
        moreno, today + timedelta(days=10), today + timedelta(days=20), bar_number="P-100"
    )  # ignored: an attorney files only for themselves
    assert response.status_code == 302
    [notice] = _notices()
    assert notice.attorney_id == court.defender.id
    assert notice.reason == "Vacation" and notice.withdrawn_at is None
    assert notice.filed_by_id == court.attorney_user.id
    [entry] = _audit("unavailability.filed")
    assert entry.case_id is None and entry.entity_id == notice.id
    page = moreno.get("/calendar/unavailability")
    listed = [row for row in rows(page) if "Vacation" in row]
    assert len(listed) == 1 and "Upcoming" in listed[0]


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (5, 2, "is before the first day"),
        (-20, -3, "The whole range is in the past"),
        (1, 367, "a notice covers at most one year"),
    ],
    ids=["end-before-start", "past-only", "over-a-year"],
)
def test_a_bad_range_is_refused_beside_the_field_and_nothing_is_saved(
    app, court, starts, ends, message
):
    moreno = client_for(app, "moreno@defense.test")
    today = court_today()
    response = _file(moreno, today + timedelta(days=starts), today + timedelta(days=ends))
    assert response.status_code == 200
    assert message in _error_beside(response, "ends_on")
    assert _notices() == [] and _audit("unavailability.filed") == []


def test_a_range_that_started_yesterday_and_a_full_year_are_accepted(app, court):
    moreno = client_for(app, "moreno@defense.test")
    today = court_today()
    assert _file(moreno, today - timedelta(days=1), today + timedelta(days=2)).status_code == 302
    assert _file(moreno, today, today + timedelta(days=365)).status_code == 302
    statuses = [row for row in rows(moreno.get("/calendar/unavailability")) if "Vacation" in row]
    assert "In effect" in statuses[0] and "In effect" in statuses[1]


def test_missing_fields_are_named(app, court):
    moreno = client_for(app, "moreno@defense.test")
    response = moreno.post(
        "/calendar/unavailability", data={"starts_on": "", "ends_on": "", "reason": ""}
    )
    assert "Enter the first day" in _error_beside(response, "starts_on")
    assert "Enter the last day" in _error_beside(response, "ends_on")
    assert "Enter the reason" in _error_beside(response, "reason")
    assert _notices() == []


def test_withdrawal_marks_the_notice_and_only_its_attorney_or_the_clerk_may(app, court):
    today = court_today()
    moreno = client_for(app, "moreno@defense.test")
    vega = client_for(app, "vega@defense.test")
    _file(moreno, today + timedelta(days=3), today + timedelta(days=4), reason="Trial in Cook")
    [notice] = _notices()

    refused = vega.post(f"/calendar/unavailability/{notice.id}/withdraw")
    assert refused.status_code == 403
    assert "only your own" in text(refused)
    assert _notices()[0].withdrawn_at is None
    # Vega does not even see Moreno's notice.
    assert "Trial in Cook" not in text(vega.get("/calendar/unavailability"))

    assert moreno.post(f"/calendar/unavailability/{notice.id}/withdraw").status_code == 302
    [notice] = _notices()  # still there: withdrawn, not deleted
    assert notice.withdrawn_at is not None
    [entry] = _audit("unavailability.withdrawn")
    assert entry.case_id is None and "withdrawn_at" in entry.after
    listed = [r for r in rows(moreno.get("/calendar/unavailability")) if "Trial in Cook" in r]
    assert "Withdrawn" in listed[0] and "Withdraw the notice" not in listed[0]

    again = moreno.post(f"/calendar/unavailability/{notice.id}/withdraw", follow_redirects=True)
    assert "already withdrawn" in text(again)
    assert len(_audit("unavailability.withdrawn")) == 1


def test_the_clerk_files_and_withdraws_for_any_attorney(app, court):
    today = court_today()
    clerk = client_for(app, "clerk@cir1.test")
    response = _file(clerk, today + timedelta(days=1), today + timedelta(days=2), bar_number="x-9")
    assert "No attorney has bar number X-9" in _error_beside(response, "bar_number")
    assert (
        _file(
            clerk,
            today + timedelta(days=1),
            today + timedelta(days=2),
            bar_number="d-300",
            reason="Medical leave",
        ).status_code
        == 302
    )
    [notice] = _notices()
    assert notice.attorney_id == court.other_defender.id
    assert notice.filed_by_id == court.clerk.id
    page = clerk.get("/calendar/unavailability")
    assert "Rosa Vega" in text(page) and "by Clerk" in text(page)
    assert "Rosa Vega" not in text(clerk.get("/calendar/unavailability?bar=D-200"))
    assert clerk.post(f"/calendar/unavailability/{notice.id}/withdraw").status_code == 302
    assert _notices()[0].withdrawn_at is not None


def test_past_notices_show_only_when_asked(app, court):
    today = court_today()
    db.session.add(
        Unavailability(
            attorney_id=court.defender.id,
            starts_on=today - timedelta(30),
            ends_on=today - timedelta(25),
            reason="Old trip",
        )
    )
    db.session.commit()
    moreno = client_for(app, "moreno@defense.test")
    assert "Old trip" not in text(moreno.get("/calendar/unavailability"))
    listed = [r for r in rows(moreno.get("/calendar/unavailability?past=1")) if "Old trip" in r]
    assert "Past" in listed[0] and "Withdraw" not in listed[0]


def test_judges_read_notices_but_file_none(app, court):
    judge = client_for(app, "okafor@cir1.test")
    assert judge.get("/calendar/unavailability").status_code == 200
    today = court_today()
    assert _file(judge, today, today, bar_number="D-200").status_code == 403
    assert _notices() == []


# --- interpreters --------------------------------------------------------------------------


def test_clerk_adds_lists_and_deactivates_interpreters(app, court):
    clerk = client_for(app, "clerk@cir1.test")
    assert (
        clerk.post(
            "/calendar/interpreters", data={"name": "Marta Díaz", "language": "spanish"}
        ).status_code
        == 302
    )
    response = clerk.post("/calendar/interpreters", data={"name": "", "language": "Polish"})
    assert "Enter the interpreter's name." in _error_beside(response, "name")
    duplicate = clerk.post(
        "/calendar/interpreters", data={"name": "Marta Díaz", "language": "Spanish"}
    )
    assert "already on the list for Spanish" in _error_beside(duplicate, "name")
    db.session.rollback()
    [row] = db.session.scalars(select(Interpreter)).all()
    assert (row.name, row.language, row.active, row.court_id) == (
        "Marta Díaz",
        "Spanish",
        True,
        court.court.id,
    )
    page = rows(clerk.get("/calendar/interpreters"))
    assert any("Spanish Marta Díaz Active" in r for r in page)

    assert clerk.post(f"/calendar/interpreters/{row.id}/deactivate").status_code == 302
    db.session.rollback()
    assert db.session.get(Interpreter, row.id).active is False
    assert any("Inactive" in r for r in rows(clerk.get("/calendar/interpreters")))
    assert [e.action for e in db.session.scalars(select(AuditLogEntry)).all()] == [
        "interpreter.added",
        "interpreter.deactivated",
    ]

    other = client_for(app, "clerk@cir2.test")
    assert other.post(f"/calendar/interpreters/{row.id}/reactivate").status_code == 404
    assert "Marta" not in text(other.get("/calendar/interpreters"))


@pytest.mark.parametrize("email", ["moreno@defense.test", "okafor@cir1.test"])
def test_interpreters_page_is_the_clerks_and_admins(app, court, email):
    response = client_for(app, email).get("/calendar/interpreters")
    assert response.status_code == 403


def test_instants_are_stored_in_utc(app, court, calendar):
    """The fixture's 9:00 AM is 14:00 UTC in July and 15:00 UTC in December."""
    db.session.rollback()
    summer = db.session.get(CalendarSession, calendar["summer"].id)
    winter = db.session.get(CalendarSession, calendar["winter"].id)
    assert summer.starts_at == datetime(2026, 7, 14, 14, 0, tzinfo=UTC)
    assert winter.starts_at == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
