"""The pure scheduling rules (docket/core/scheduling.py): slot times, each conflict rule on its
own, and the ranked proposals. No app, no database.

The court sits in America/Chicago. The standard session is Judge Okafor's arraignment call in
Courtroom 3A on Monday 2026-06-01, 9:00-12:00 local (14:00-17:00Z, daylight time), quarter-hour
slots, capacity 40: 180 / 15 = 12 starting times, ceil(40 / 12) = 4 cases a time, so slots 0-3
are at 9:00, 4-7 at 9:15, ..., 36-39 at 11:15.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from docket.core.scheduling import (
    CONFLICT_KINDS,
    HARD,
    SOFT,
    Booking,
    Busy,
    Conflict,
    Need,
    Notice,
    Session,
    conflicts,
    propose,
    slot_window,
    times_in,
)

CHI = ZoneInfo("America/Chicago")
DAY = date(2026, 6, 1)  # a Monday, daylight time (UTC-5)
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)  # a month before: nothing is in the past
OKAFOR, LIND = 1, 2
ROOM_3A, ROOM_2B, ROOM_4C = 1, 2, 3
ROOM_NAMES = {ROOM_3A: "3A", ROOM_2B: "2B", ROOM_4C: "4C"}
JUDGE_NAMES = {OKAFOR: "Judge Okafor", LIND: "Judge Lind"}
CHEN, MORENO = 100, 200
ORTIZ = ("ortiz juan", date(1990, 1, 1))
RIVERA = ("rivera ana", date(1985, 5, 5))
ORTIZ_CAPTION = "State v. Ortiz (2026-CR-000002)"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Local wall-clock time in the court's zone, as a UTC instant (what the loader gives)."""
    return datetime.combine(day, time(hour, minute), CHI).astimezone(UTC)


def session(
    id: int = 1,
    day: date = DAY,
    start: tuple[int, int] = (9, 0),
    end: tuple[int, int] = (12, 0),
    judge_id: int = OKAFOR,
    courtroom_id: int = ROOM_3A,
    types: tuple[str, ...] = ("arraignment", "change_of_plea"),
    capacity: int = 40,
    slot_minutes: int = 15,
    open: bool = True,
    closed_reason: str | None = None,
    name: str | None = "Arraignments",
) -> Session:
    return Session(
        id=id,
        day=day,
        starts_at=at(day, *start),
        ends_at=at(day, *end),
        judge_id=judge_id,
        courtroom_id=courtroom_id,
        hearing_types=frozenset(types),
        capacity=capacity,
        slot_minutes=slot_minutes,
        open=open,
        closed_reason=closed_reason,
        judge_name=JUDGE_NAMES[judge_id],
        courtroom_name=ROOM_NAMES[courtroom_id],
        name=name,
    )


def booking(
    hearing_id: int = 50,
    start: tuple[int, int] = (9, 30),
    end: tuple[int, int] = (10, 0),
    day: date = DAY,
    courtroom_id: int = ROOM_2B,
    session_id: int | None = 2,
    case_id: int = 2,
    caption: str = ORTIZ_CAPTION,
    language: str | None = None,
) -> Booking:
    return Booking(
        hearing_id=hearing_id,
        case_id=case_id,
        caption=caption,
        courtroom_id=courtroom_id,
        courtroom_name=ROOM_NAMES[courtroom_id],
        session_id=session_id,
        starts_at=at(day, *start),
        ends_at=at(day, *end),
        language=language,
    )


def need(**changes) -> Need:
    base = Need(
        case_id=1,
        hearing_type="arraignment",
        judge_id=OKAFOR,
        caption="State v. Rivera",
        case_number="2026-CR-000001",
    )
    return replace(base, **changes)


def busy_with(*sessions: Session, interpreters=None, notices=()) -> Busy:
    busy = Busy(CHI, interpreters=interpreters, notices=list(notices))
    for s in sessions:
        busy.add_session(s)
    return busy


def kinds(found: list[Conflict]) -> list[str]:
    return [c.kind for c in found]


def window(s: Session, slot: int) -> tuple[str, str]:
    """The slot's start and end as local HH:MM."""
    start, end = slot_window(s, slot)
    return start.astimezone(CHI).strftime("%H:%M"), end.astimezone(CHI).strftime("%H:%M")


# --- slot_window --------------------------------------------------------------------------------


def test_a_forty_case_call_puts_four_cases_at_each_quarter_hour():
    s = session()
    assert times_in(s) == 12
    assert [window(s, n) for n in range(4)] == [("09:00", "09:15")] * 4
    assert window(s, 4) == ("09:15", "09:30")
    assert window(s, 7) == ("09:15", "09:30")
    assert window(s, 8) == ("09:30", "09:45")
    assert window(s, 39) == ("11:15", "11:30")  # 39 // 4 = 9 quarter hours after 9:00


def test_capacity_equal_to_the_times_gives_one_case_a_time_to_the_end_of_the_session():
    s = session(capacity=12)
    assert [window(s, n)[0] for n in (0, 1, 2)] == ["09:00", "09:15", "09:30"]
    assert window(s, 11) == ("11:45", "12:00")


def test_capacity_not_dividing_the_times_rounds_the_cases_per_time_up():
    s = session(capacity=13)  # ceil(13 / 12) = 2 a time
    assert window(s, 1) == ("09:00", "09:15")
    assert window(s, 2) == ("09:15", "09:30")
    assert window(s, 12) == ("10:30", "10:45")


def test_fewer_slots_than_times_take_the_first_times_in_turn():
    s = session(capacity=5)
    assert [window(s, n)[0] for n in range(5)] == ["09:00", "09:15", "09:30", "09:45", "10:00"]


@pytest.mark.parametrize("slot_minutes", [480, 300, 600])
def test_a_one_trial_session_spans_the_whole_session(slot_minutes):
    # "trial weeks Tuesday-Friday 9:00-17:00, one trial": one starting time (480 // 300 = 1;
    # 480 // 600 = 0, counted as one), so the trial's slot is the whole day.
    trial = session(types=("trial",), start=(9, 0), end=(17, 0), capacity=1, name="Trial")
    trial = replace(trial, slot_minutes=slot_minutes)
    assert times_in(trial) == 1
    assert slot_window(trial, 0) == (trial.starts_at, trial.ends_at)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 6), 15),  # Friday before the spring change: CST, UTC-6
        (date(2026, 3, 9), 14),  # Monday after it (2026-03-08): CDT, UTC-5
        (date(2026, 10, 30), 14),  # Friday before the fall change: CDT
        (date(2026, 11, 2), 15),  # Monday after it (2026-11-01): CST
    ],
)
def test_slot_times_follow_the_courts_wall_clock_across_daylight_saving(day, utc_hour):
    s = session(day=day)
    start, end = slot_window(s, 0)
    assert start == datetime.combine(day, time(utc_hour), UTC)
    assert end == start + timedelta(minutes=15)
    assert slot_window(s, 8)[0] == start + timedelta(minutes=30)
    # Messages speak local time: counsel in 2B at 9:30-10:00 local that day.
    busy = busy_with(s)
    busy.add_booking(booking(day=day), attorneys=(CHEN,))
    found = conflicts(need(attorneys=((CHEN, "Atty. Chen"),)), s, 8, busy, None)
    assert [c.message for c in found] == [
        f"Atty. Chen is in {ORTIZ_CAPTION}, Courtroom 2B, 09:30–10:00."
    ]


# --- the conflict kinds -------------------------------------------------------------------------


def test_every_conflict_kind_is_classified_hard_or_soft():
    hard = {kind for kind, (level, _) in CONFLICT_KINDS.items() if level == HARD}
    soft = {kind for kind, (level, _) in CONFLICT_KINDS.items() if level == SOFT}
    assert hard == {
        "closed",
        "past",
        "type",
        "judge_not_allowed",
        "capacity",
        "courtroom",
        "judge",
        "defendant",
    }
    assert soft == {"counsel", "unavailable", "interpreter"}
    assert Conflict("counsel", "x").label == "Counsel in another hearing"
    assert Conflict("capacity", "x").label == "Session full"


def test_a_free_slot_in_an_open_session_of_the_right_type_and_judge_has_no_conflict():
    s = session()
    assert conflicts(need(), s, 0, busy_with(s), NOW) == []


def test_closed_session():
    s = session(open=False, closed_reason="Memorial Day")
    found = conflicts(need(), s, 0, busy_with(s), NOW)
    assert kinds(found) == ["closed"]
    assert found[0].hard
    assert found[0].message == "The session is closed: Memorial Day"
    unexplained = replace(s, closed_reason=None)
    assert conflicts(need(), unexplained, 0, busy_with(unexplained), NOW)[0].message == (
        "The session is closed: closed"
    )


def test_past_slot():
    s = session()
    busy = busy_with(s)
    now = at(DAY, 9, 10)
    found = conflicts(need(), s, 0, busy, now)  # 9:00 has passed
    assert kinds(found) == ["past"] and found[0].hard
    assert conflicts(need(), s, 4, busy, now) == []  # 9:15 has not
    assert kinds(conflicts(need(), s, 4, busy, at(DAY, 9, 15))) == ["past"]  # starting now
    assert conflicts(need(), s, 0, busy, None) == []  # no clock: no past check


def test_session_not_taking_the_hearing_type():
    s = session()
    found = conflicts(need(hearing_type="trial"), s, 0, busy_with(s), NOW)
    assert kinds(found) == ["type"] and found[0].hard


def test_session_before_another_judge():
    s = session(judge_id=LIND)
    busy = busy_with(s)
    found = conflicts(need(), s, 0, busy, NOW)
    assert kinds(found) == ["judge_not_allowed"] and found[0].hard
    assert conflicts(need(any_judge=True), s, 0, busy, NOW) == []  # a duty calendar
    assert conflicts(need(judge_id=None), s, 0, busy, NOW) == []  # no judge assigned yet


def test_capacity_slot_beyond_the_session_or_taken():
    s = session()
    busy = busy_with(s)
    busy.taken[s.id].add(3)
    full = conflicts(need(), s, 40, busy, NOW)
    assert kinds(full) == ["capacity"] and full[0].hard
    assert full[0].message == "The session is full (40 of 40 slots taken)."
    taken = conflicts(need(), s, 3, busy, NOW)
    assert kinds(taken) == ["capacity"]
    assert taken[0].message == "That slot is taken."
    assert conflicts(need(), s, 2, busy, NOW) == []  # same 9:00 time, another slot


def test_courtroom_with_two_overlapping_sessions():
    s = session()
    other = session(id=2, judge_id=LIND, start=(11, 0), end=(13, 0), name="Motions")
    busy = busy_with(s, other)
    found = conflicts(need(), s, 32, busy, NOW)  # 32 // 4 = 8: 11:00-11:15
    assert kinds(found) == ["courtroom"] and found[0].hard
    assert found[0].message == (
        "Courtroom 3A is booked for another session (Judge Lind, 11:00–13:00)."
    )
    assert conflicts(need(), s, 28, busy, NOW) == []  # 10:45-11:00 ends as the other begins
    elsewhere = replace(other, courtroom_id=ROOM_2B, courtroom_name="2B")
    assert conflicts(need(), s, 32, busy_with(s, elsewhere), NOW) == []


def test_same_judge_two_sessions_in_one_courtroom_is_a_courtroom_conflict_only():
    s = session()
    other = session(id=2, start=(11, 0), end=(13, 0))
    assert kinds(conflicts(need(), s, 32, busy_with(s, other), NOW)) == ["courtroom"]


def test_judge_sitting_in_another_courtroom():
    s = session()
    other = session(id=2, courtroom_id=ROOM_2B, start=(8, 0), end=(10, 0), name="Detention")
    busy = busy_with(s, other)
    found = conflicts(need(), s, 0, busy, NOW)
    assert kinds(found) == ["judge"] and found[0].hard
    assert found[0].message == "Judge Okafor sits in Courtroom 2B 08:00–10:00."
    assert conflicts(need(), s, 16, busy, NOW) == []  # 10:00: the other session has ended
    another_judge = replace(other, judge_id=LIND, judge_name="Judge Lind")
    assert conflicts(need(), s, 0, busy_with(s, another_judge), NOW) == []


def test_a_closed_session_does_not_occupy_its_courtroom():
    # Judge Okafor is away: his 3A call is closed and Judge Lind takes a call in 3A instead.
    away = session(id=2, open=False, closed_reason="Judge Okafor away")
    cover = session(id=1, judge_id=LIND, name="Arraignments (cover)")
    assert conflicts(need(any_judge=True), cover, 0, busy_with(away, cover), NOW) == []


def test_a_closed_session_does_not_place_its_judge():
    # Courtroom 3A is closed for repairs; Judge Okafor sits in 2B that morning instead.
    closed = session(id=2, open=False, closed_reason="Courtroom 3A closed")
    moved = session(id=1, courtroom_id=ROOM_2B)
    assert conflicts(need(), moved, 0, busy_with(closed, moved), NOW) == []


def test_defendant_in_another_courtroom():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(), persons=(ORTIZ,))
    found = conflicts(need(persons=(ORTIZ,)), s, 8, busy, NOW)  # 9:30-9:45
    assert kinds(found) == ["defendant"] and found[0].hard
    assert found[0].message == f"The defendant is in {ORTIZ_CAPTION}, Courtroom 2B, 09:30–10:00."


def test_defendant_not_a_conflict_when_not_overlapping_or_another_person():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(), persons=(ORTIZ,))
    assert conflicts(need(persons=(ORTIZ,)), s, 0, busy, NOW) == []  # 9:00-9:15
    assert conflicts(need(persons=(ORTIZ,)), s, 4, busy, NOW) == []  # 9:15-9:30 ends at 9:30
    assert conflicts(need(persons=(RIVERA,)), s, 8, busy, NOW) == []
    assert conflicts(need(), s, 8, busy, NOW) == []  # no known identity


def test_defendant_in_the_same_session_is_not_a_conflict():
    # Two of his cases called at the same arraignment call: he is in one room.
    s = session()
    busy = busy_with(s)
    busy.add_booking(
        booking(courtroom_id=ROOM_3A, session_id=s.id, start=(9, 30), end=(9, 45)),
        persons=(ORTIZ,),
        slot=8,
    )
    assert conflicts(need(persons=(ORTIZ,)), s, 9, busy, NOW) == []


def test_defendant_hearing_being_moved_is_not_a_conflict_with_itself():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(hearing_id=77), persons=(ORTIZ,))
    assert conflicts(need(persons=(ORTIZ,), hearing_id=77), s, 8, busy, NOW) == []
    assert kinds(conflicts(need(persons=(ORTIZ,), hearing_id=78), s, 8, busy, NOW)) == ["defendant"]


def test_defendant_one_conflict_per_hearing_whatever_the_identities_matched():
    s = session()
    busy = busy_with(s)
    alias = ("ortiz juan carlos", date(1990, 1, 1))
    busy.add_booking(booking(), persons=(ORTIZ, alias))
    assert kinds(conflicts(need(persons=(ORTIZ, alias)), s, 8, busy, NOW)) == ["defendant"]


def test_counsel_in_another_courtroom():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(), attorneys=(CHEN,))
    found = conflicts(need(attorneys=((CHEN, "Atty. Chen"),)), s, 8, busy, NOW)
    assert kinds(found) == ["counsel"]
    assert not found[0].hard
    assert found[0].message == f"Atty. Chen is in {ORTIZ_CAPTION}, Courtroom 2B, 09:30–10:00."


def test_counsel_at_the_same_call_or_at_another_time_or_another_attorney_is_not_a_conflict():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(), attorneys=(CHEN,))
    busy.add_booking(
        booking(hearing_id=51, courtroom_id=ROOM_3A, session_id=s.id, start=(9, 0), end=(9, 15)),
        attorneys=(CHEN,),
        slot=0,
    )
    chen = need(attorneys=((CHEN, "Atty. Chen"),))
    assert conflicts(chen, s, 1, busy, NOW) == []  # same call, 9:00
    assert conflicts(chen, s, 16, busy, NOW) == []  # 10:00: the 2B hearing has ended
    assert conflicts(need(attorneys=((MORENO, "Atty. Moreno"),)), s, 8, busy, NOW) == []


def test_counsel_hearing_being_moved_is_not_a_conflict_with_itself():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(hearing_id=77), attorneys=(CHEN,))
    moving = need(attorneys=((CHEN, "Atty. Chen"),), hearing_id=77)
    assert conflicts(moving, s, 8, busy, NOW) == []


def test_counsel_in_a_long_hearing_that_began_hours_earlier():
    # A trial day 8:00-17:00 in 2B overlaps 11:00 though it started three hours before.
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(start=(8, 0), end=(17, 0)), attorneys=(CHEN,))
    found = conflicts(need(attorneys=((CHEN, "Atty. Chen"),)), s, 32, busy, NOW)
    assert kinds(found) == ["counsel"]
    assert found[0].message.endswith("Courtroom 2B, 08:00–17:00.")


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "conflict"),
    [
        (date(2026, 5, 28), DAY, True),  # ends on the session day
        (DAY, date(2026, 6, 5), True),  # starts on it
        (DAY, DAY, True),
        (date(2026, 5, 25), date(2026, 5, 31), False),  # ends the day before
        (date(2026, 6, 2), date(2026, 6, 5), False),  # starts the day after
    ],
)
def test_counsels_notice_of_unavailability(starts_on, ends_on, conflict):
    s = session()
    notice = Notice(CHEN, starts_on, ends_on, "trial in Phoenix")
    busy = busy_with(s, notices=[notice])
    found = conflicts(need(attorneys=((CHEN, "Atty. Chen"),)), s, 0, busy, NOW)
    if not conflict:
        assert found == []
        return
    assert kinds(found) == ["unavailable"]
    assert not found[0].hard
    assert found[0].message == (
        f"Atty. Chen filed a notice of unavailability for {starts_on.isoformat()} to "
        f"{ends_on.isoformat()} (trial in Phoenix)."
    )


def test_another_attorneys_notice_is_not_a_conflict():
    s = session()
    busy = busy_with(s, notices=[Notice(MORENO, DAY, DAY, "vacation")])
    assert conflicts(need(attorneys=((CHEN, "Atty. Chen"),)), s, 0, busy, NOW) == []


def test_interpreter_the_only_staff_interpreter_is_needed_in_another_courtroom():
    s = session()
    busy = busy_with(s, interpreters={"Spanish": 1})
    busy.add_booking(booking(start=(9, 0), end=(9, 30), language="spanish"))
    found = conflicts(need(language="Spanish"), s, 0, busy, NOW)
    assert kinds(found) == ["interpreter"]
    assert not found[0].hard
    assert found[0].message == (
        "Every staff Spanish interpreter (1) is needed in Courtroom 2B at 09:00–09:15."
    )
    assert conflicts(need(language="Spanish"), s, 8, busy, NOW) == []  # 9:30: free again
    assert conflicts(need(language="Vietnamese"), s, 0, busy, NOW) == []
    assert conflicts(need(), s, 0, busy, NOW) == []


def test_interpreter_two_on_staff_cover_one_other_courtroom_not_two():
    s = session()
    busy = busy_with(s, interpreters={"spanish": 2})
    busy.add_booking(booking(start=(9, 0), end=(10, 0), language="Spanish"))
    assert conflicts(need(language="Spanish"), s, 0, busy, NOW) == []
    busy.add_booking(
        booking(hearing_id=60, courtroom_id=ROOM_4C, session_id=3, language="Spanish"),
    )
    found = conflicts(need(language="Spanish"), s, 8, busy, NOW)  # 9:30: 2B and 4C
    assert kinds(found) == ["interpreter"]
    assert found[0].message == (
        "Every staff Spanish interpreter (2) is needed in Courtrooms 2B, 4C at 09:30–09:45."
    )


def test_interpreter_none_on_staff_is_not_a_conflict():
    # A contract interpreter is arranged; the proposal's reasons say so.
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(start=(9, 0), end=(9, 30), language="Spanish"))
    assert conflicts(need(language="Spanish"), s, 0, busy, NOW) == []


def test_interpreter_in_the_same_courtroom_or_for_the_hearing_being_moved_is_not_a_conflict():
    s = session()
    busy = busy_with(s, interpreters={"spanish": 1})
    busy.add_booking(
        booking(hearing_id=51, courtroom_id=ROOM_3A, session_id=s.id, start=(9, 0), end=(9, 15)),
        slot=0,
    )
    busy.add_booking(booking(hearing_id=77, start=(9, 0), end=(9, 30), language="Spanish"))
    assert conflicts(need(language="Spanish", hearing_id=77), s, 1, busy, NOW) == []
    busy.add_booking(
        booking(
            hearing_id=52,
            courtroom_id=ROOM_3A,
            session_id=s.id,
            start=(9, 0),
            end=(9, 15),
            language="Spanish",
        ),
        slot=1,
    )
    assert conflicts(need(language="Spanish", hearing_id=77), s, 2, busy, NOW) == []


def test_several_conflicts_are_all_reported():
    s = session(open=False, closed_reason="Holiday")
    busy = busy_with(s, notices=[Notice(CHEN, DAY, DAY, "vacation")])
    found = conflicts(
        need(hearing_type="trial", judge_id=LIND, attorneys=((CHEN, "Atty. Chen"),)),
        s,
        40,
        busy,
        at(DAY, 13),
    )
    assert kinds(found) == [
        "closed",
        "past",
        "type",
        "judge_not_allowed",
        "capacity",
        "unavailable",
    ]


# --- Busy.add_booking: the batch sees its own placements ------------------------------------


def test_a_booking_added_to_busy_is_seen_by_the_next_conflict_check():
    s = session()
    busy = busy_with(s, interpreters={"spanish": 1})
    placing = need(attorneys=((CHEN, "Atty. Chen"),), persons=(ORTIZ,), language="Spanish")
    assert conflicts(placing, s, 8, busy, NOW) == []
    # The batch places another case in 2B at 9:30 with the same counsel, defendant, language.
    busy.add_booking(booking(hearing_id=-1, language="Spanish"), (CHEN,), (ORTIZ,))
    assert sorted(kinds(conflicts(placing, s, 8, busy, NOW))) == [
        "counsel",
        "defendant",
        "interpreter",
    ]


def test_a_booking_added_with_its_slot_takes_the_slot():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(hearing_id=-1, courtroom_id=ROOM_3A, session_id=s.id), slot=0)
    assert kinds(conflicts(need(), s, 0, busy, NOW)) == ["capacity"]
    assert next(iter(busy.free_slots(s))) == 1
    assert propose(need(), [s], busy, NOW).clean[0].slot == 1


def test_bookings_added_out_of_order_are_all_found():
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(hearing_id=3, start=(11, 0), end=(11, 30)), attorneys=(CHEN,))
    busy.add_booking(booking(hearing_id=1, start=(8, 0), end=(8, 30)), attorneys=(CHEN,))
    busy.add_booking(booking(hearing_id=2, start=(9, 0), end=(9, 15)), attorneys=(CHEN,))
    chen = need(attorneys=((CHEN, "Atty. Chen"),))
    assert len(conflicts(chen, s, 0, busy, NOW)) == 1
    assert len(conflicts(chen, s, 32, busy, NOW)) == 1
    assert conflicts(chen, s, 16, busy, NOW) == []


# --- propose ------------------------------------------------------------------------------------


def week(*days: int) -> list[Session]:
    """Okafor's 3A arraignment call on DAY + each offset, session ids 1, 2, ..."""
    return [session(id=n + 1, day=DAY + timedelta(days=d)) for n, d in enumerate(days)]


def test_propose_the_earliest_free_slot_of_each_session_earliest_first():
    sessions = week(7, 0, 1)  # given out of order
    busy = busy_with(*sessions)
    busy.taken[2].update({0, 1})
    result = propose(need(), sessions, busy, NOW)
    assert [(p.session.day, p.slot) for p in result.clean] == [
        (DAY, 2),
        (DAY + timedelta(days=1), 0),
        (DAY + timedelta(days=7), 0),
    ]
    assert result.refused == []
    assert result.need == need()
    first = result.clean[0]
    assert (first.starts_at, first.ends_at) == (at(DAY, 9), at(DAY, 9, 15))
    assert first.conflicts == () and not first.hard and not first.overridable


def test_propose_at_most_limit():
    sessions = week(0, 1, 2, 3)
    result = propose(need(), sessions, busy_with(*sessions), NOW, limit=2)
    assert [p.session.id for p in result.clean] == [1, 2]


def test_propose_skips_sessions_of_other_types_and_other_judges():
    trials = session(id=10, day=DAY - timedelta(days=1), types=("trial",), name="Trials")
    lind = session(id=11, day=DAY - timedelta(days=1), judge_id=LIND, courtroom_id=ROOM_2B)
    mine = session(id=12)
    result = propose(need(), [trials, lind, mine], busy_with(trials, lind, mine), NOW)
    assert [p.session.id for p in result.clean] == [12]
    assert result.refused == []
    duty = propose(need(any_judge=True), [trials, lind, mine], busy_with(trials, lind, mine), NOW)
    assert [p.session.id for p in duty.clean] == [11, 12]
    assert "before Judge Lind (duty calendar: any judge may hear it)" in duty.clean[0].reasons
    assert "before the case's judge, Judge Okafor" in duty.clean[1].reasons


def test_propose_a_full_session_is_refused_for_capacity():
    full, nxt = week(0, 1)
    busy = busy_with(full, nxt)
    busy.taken[full.id].update(range(40))
    result = propose(need(), [full, nxt], busy, NOW)
    assert [p.session.id for p in result.clean] == [nxt.id]
    [refusal] = result.refused
    assert refusal.session == full
    assert refusal.slot == 40
    assert (refusal.starts_at, refusal.ends_at) == (full.starts_at, full.ends_at)
    assert "capacity" in kinds(list(refusal.conflicts))
    assert refusal.hard and not refusal.overridable
    assert "Arraignments: 0 of 40 slots free" in refusal.reasons


def test_propose_a_closed_session_is_refused_and_not_overridable():
    closed = session(id=1, open=False, closed_reason="Memorial Day")
    nxt = session(id=2, day=DAY + timedelta(days=1))
    result = propose(need(), [closed, nxt], busy_with(closed, nxt), NOW)
    assert [p.session.id for p in result.clean] == [2]
    [refusal] = result.refused
    assert kinds(list(refusal.conflicts)) == ["closed"] and not refusal.overridable


def test_propose_a_session_with_only_soft_conflicts_is_refused_as_overridable():
    first, nxt = week(0, 1)
    busy = busy_with(first, nxt)
    # Chen is in 2B all morning on the first day.
    busy.add_booking(booking(start=(8, 30), end=(12, 30)), attorneys=(CHEN,))
    result = propose(need(attorneys=((CHEN, "Atty. Chen"),)), [first, nxt], busy, NOW)
    assert [p.session.id for p in result.clean] == [nxt.id]
    [refusal] = result.refused
    assert refusal.session == first
    assert kinds(list(refusal.conflicts)) == ["counsel"]
    assert refusal.overridable and not refusal.hard
    assert refusal.slot == 0


def test_propose_prefers_an_overridable_refusal_over_a_hard_one_in_the_same_session():
    # Today at 10:05: slots before 10:15 have passed (hard); the rest clash with counsel (soft).
    s = session()
    busy = busy_with(s)
    busy.add_booking(booking(start=(8, 0), end=(12, 0)), attorneys=(CHEN,))
    result = propose(need(attorneys=((CHEN, "Atty. Chen"),)), [s], busy, at(DAY, 10, 5))
    assert result.clean == []
    [refusal] = result.refused
    assert refusal.slot == 20  # 20 // 4 = 5: 10:15
    assert refusal.overridable


def test_propose_refused_are_only_the_sessions_before_the_last_clean_one():
    full, clean, later_full = week(0, 1, 2)
    busy = busy_with(full, clean, later_full)
    busy.taken[full.id].update(range(40))
    busy.taken[later_full.id].update(range(40))
    result = propose(need(), [full, clean, later_full], busy, NOW, limit=1)
    assert [p.session.id for p in result.clean] == [clean.id]
    assert [p.session.id for p in result.refused] == [full.id]


def test_propose_refused_limit():
    sessions = week(0, 1, 2)
    busy = busy_with(*sessions)
    for s in sessions:
        busy.taken[s.id].update(range(40))
    result = propose(need(), sessions, busy, NOW, refused_limit=2)
    assert result.clean == []
    assert [p.session.id for p in result.refused] == [1, 2]


@pytest.mark.parametrize(
    ("due", "meets"),
    [
        (None, [None, None, None]),
        (DAY + timedelta(days=1), [True, True, False]),
        (DAY - timedelta(days=1), [False, False, False]),
        (DAY + timedelta(days=2), [True, True, True]),
    ],
)
def test_propose_meets_deadline(due, meets):
    sessions = week(0, 1, 2)
    result = propose(need(due=due), sessions, busy_with(*sessions), NOW)
    assert [p.meets_deadline for p in result.clean] == meets


def test_propose_reasons_say_why_the_slot_fits():
    sessions = week(0, 1, 2)
    busy = busy_with(*sessions)
    busy.taken[1].update({0, 1})
    wanted = need(
        due=DAY + timedelta(days=1),
        due_text="the Arraignment deadline (Ariz. R. Crim. P. 14.2)",
        attorneys=((CHEN, "Atty. Chen"), (MORENO, "Atty. Moreno")),
        language="Spanish",
    )
    first, second, third = propose(wanted, sessions, busy, NOW).clean
    assert first.reasons == (
        "Arraignments: 38 of 40 slots free",
        "before the case's judge, Judge Okafor",
        "1 day before the Arraignment deadline (Ariz. R. Crim. P. 14.2) (2026-06-02)",
        "counsel free: Atty. Chen, Atty. Moreno",
        "needs a Spanish interpreter (none on staff: arrange a contract interpreter)",
    )
    assert "on the last day of the Arraignment deadline (Ariz. R. Crim. P. 14.2) (2026-06-02)" in (
        second.reasons
    )
    assert "1 day AFTER the Arraignment deadline (Ariz. R. Crim. P. 14.2) (2026-06-02)" in (
        third.reasons
    )
    early = propose(need(due=DAY + timedelta(days=5)), sessions, busy, NOW).clean[0]
    assert "5 days before the plan's deadline (2026-06-06)" in early.reasons
    late = propose(need(due=DAY - timedelta(days=3)), sessions, busy, NOW).clean[0]
    assert "3 days AFTER the plan's deadline (2026-05-29)" in late.reasons
    staffed = busy_with(*sessions, interpreters={"spanish": 1})
    assert "a staff Spanish interpreter is free" in (
        propose(need(language="Spanish"), sessions, staffed, NOW).clean[0].reasons
    )
    unnamed = replace(sessions[0], name=None)
    assert propose(need(), [unnamed], busy, NOW).clean[0].reasons[0] == (
        "session: 38 of 40 slots free"
    )


def test_propose_not_before():
    sessions = week(0, 1, 2)
    result = propose(need(not_before=DAY + timedelta(days=1)), sessions, busy_with(*sessions), NOW)
    assert [p.session.day for p in result.clean] == [
        DAY + timedelta(days=1),
        DAY + timedelta(days=2),
    ]
    assert result.refused == []


def test_propose_skips_sessions_that_have_ended_and_past_slots_of_todays():
    today, tomorrow = week(0, 1)
    busy = busy_with(today, tomorrow)
    at_noon = propose(need(), [today, tomorrow], busy, at(DAY, 12, 0))
    assert [p.session.id for p in at_noon.clean] == [tomorrow.id]
    assert at_noon.refused == []
    mid_morning = propose(need(), [today, tomorrow], busy, at(DAY, 10, 5)).clean[0]
    assert mid_morning.session == today
    assert mid_morning.slot == 20  # 10:00 has passed at 10:05; 10:15 is next
    assert mid_morning.starts_at == at(DAY, 10, 15)
