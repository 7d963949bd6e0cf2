"""The batch auto-scheduler (docket.core.batch): it never breaks a rule a clerk's booking would
refuse, never gives a slot twice, and meets more deadlines than booking by case number."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.core.batch import FULL, NO_SESSION, assign, baseline, verify
from docket.core.scheduling import Booking, Busy, Need, Session, conflicts, slot_window

ZONE = ZoneInfo("America/Chicago")
MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 2, 27, 22, 0, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


def session(
    sid: int,
    day_offset: int,
    *,
    judge: int = 1,
    room: int | None = None,
    hour: int = 9,
    hours: int = 3,
    types=("status_conference",),
    capacity: int = 2,
    slot_minutes: int = 60,
    open_: bool = True,
) -> Session:
    day = MONDAY + timedelta(days=day_offset)
    return Session(
        id=sid,
        day=day,
        starts_at=at(day, hour),
        ends_at=at(day, hour + hours),
        judge_id=judge,
        courtroom_id=room if room is not None else judge,
        hearing_types=frozenset(types),
        capacity=capacity,
        slot_minutes=slot_minutes,
        open=open_,
        judge_name=f"Judge {judge}",
        courtroom_name=str(room if room is not None else judge),
    )


def need(case: int, due_offset: int | None, **kw) -> Need:
    values = {
        "case_id": case,
        "hearing_type": "status_conference",
        "judge_id": 1,
        "case_number": f"2026-CR-{case:06d}",
        "caption": f"State v. {case}",
        "due": None if due_offset is None else MONDAY + timedelta(days=due_offset),
    }
    values.update(kw)
    return Need(**values)


def board(sessions: list[Session], interpreters=None) -> Busy:
    busy = Busy(ZONE, interpreters=interpreters)
    for s in sessions:
        busy.add_session(s)
    return busy


# --- property: no hard constraint broken, no slot given twice ---------------------------------

TYPES = ("arraignment", "status_conference", "trial")


@st.composite
def courts(draw):
    judges = draw(st.integers(1, 3))
    rooms = draw(st.integers(1, 3))
    sessions = []
    for sid in range(1, draw(st.integers(1, 10)) + 1):
        day = draw(st.integers(0, 4))
        hour = draw(st.sampled_from((9, 10, 13)))
        sessions.append(
            session(
                sid,
                day,
                judge=draw(st.integers(1, judges)),
                room=draw(st.integers(1, rooms)),
                hour=hour,
                hours=draw(st.integers(1, 3)),
                types=draw(st.sets(st.sampled_from(TYPES), min_size=1)),
                capacity=draw(st.integers(1, 4)),
                slot_minutes=draw(st.sampled_from((30, 60, 180))),
                open_=draw(st.booleans()) or draw(st.booleans()),
            )
        )
    busy = board(sessions, interpreters=draw(st.sampled_from(({}, {"spanish": 1}))))
    # Some slots already booked, by people the needs share.
    people = [("p", date(1990, 1, n)) for n in range(1, 5)]
    for number, s in enumerate(sessions, start=1):
        if draw(st.booleans()):
            slot = draw(st.integers(0, s.capacity - 1))
            start, end = slot_window(s, slot)
            booking = Booking(
                hearing_id=1000 + number,
                case_id=1000 + number,
                caption="Booked",
                courtroom_id=s.courtroom_id,
                courtroom_name=s.courtroom_name,
                session_id=s.id,
                starts_at=start,
                ends_at=end,
                language=draw(st.sampled_from((None, "Spanish"))),
            )
            busy.add_booking(
                booking,
                attorneys=tuple(draw(st.sets(st.integers(1, 4), max_size=2))),
                persons=tuple(draw(st.sets(st.sampled_from(people), max_size=1))),
                slot=slot,
            )
    needs = []
    for case in range(1, draw(st.integers(1, 14)) + 1):
        needs.append(
            need(
                case,
                draw(st.one_of(st.none(), st.integers(-1, 6))),
                hearing_type=draw(st.sampled_from(TYPES)),
                judge_id=draw(st.one_of(st.none(), st.integers(1, judges))),
                any_judge=draw(st.booleans()),
                attorneys=tuple(
                    (a, f"Atty. {a}") for a in sorted(draw(st.sets(st.integers(1, 4), max_size=2)))
                ),
                persons=tuple(draw(st.sets(st.sampled_from(people), max_size=1))),
                language=draw(st.sampled_from((None, None, "Spanish"))),
            )
        )
    return needs, sessions, busy


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(courts())
def test_no_batch_assignment_breaks_a_hard_constraint_or_double_books(court):
    needs, sessions, busy = court
    for result, soft_too in (
        (assign(needs, sessions, busy, NOW), True),
        (baseline(needs, sessions, busy, NOW), False),
    ):
        assert verify(result, busy, NOW, avoid_soft=soft_too) == []
        slots = [(p.session.id, p.slot) for p in result.placements]
        assert len(slots) == len(set(slots)), "a slot given twice"
        for p in result.placements:
            assert p.slot not in busy.taken.get(p.session.id, ()), "a booked slot given again"
            assert p.slot < p.session.capacity
            assert p.session.open and p.starts_at > NOW
            assert p.need.hearing_type in p.session.hearing_types
        # Every need is accounted for once: placed or unplaced with a reason.
        placed = {(p.need.case_id, p.need.hearing_type) for p in result.placements}
        missing = {(u.need.case_id, u.need.hearing_type) for u in result.unplaced}
        assert placed.isdisjoint(missing)
        assert placed | missing == {(n.case_id, n.hearing_type) for n in needs}
        assert all(u.reason for u in result.unplaced)
        q = result.quality
        assert q.placed + q.unplaced == len(needs)
        assert q.met + q.late <= q.with_deadline
    # The caller's busy state is not changed by either run.
    assert verify(assign(needs, sessions, busy, NOW), busy, NOW) == []


def test_each_placement_agrees_with_conflicts_one_by_one():
    """Placements re-checked the clerk's way: in order, each against those before it."""
    sessions = [session(1, 0, capacity=2), session(2, 0, judge=2, capacity=2)]
    busy = board(sessions)
    shared = ((7, "Atty. Chen"),)
    needs = [
        need(1, 3, attorneys=shared),
        need(2, 3, attorneys=shared, judge_id=2),
        need(3, 3, persons=(("rivera", date(1990, 1, 1)),)),
    ]
    result = assign(needs, sessions, busy, NOW)
    state = board(sessions)
    for p in result.placements:
        assert conflicts(p.need, p.session, p.slot, state, NOW) == []
        start, end = slot_window(p.session, p.slot)
        state.add_booking(
            Booking(-p.need.case_id, p.need.case_id, "", p.session.courtroom_id, "", p.session.id,
                    start, end),
            tuple(a for a, _ in p.need.attorneys),
            p.need.persons,
            p.slot,
        )  # fmt: skip
    # Chen cannot be before judges 1 and 2 at the same hour: case 2 went to another hour.
    times = {p.need.case_id: p.starts_at for p in result.placements}
    assert times[1] != times[2]


# --- deadlines: EDF against the baseline ------------------------------------------------------


def test_edf_meets_more_deadlines_than_case_number_order_on_a_tight_calendar():
    """Two sessions of one slot each, Monday and Friday. Case 1 (the lower number) is due in
    two weeks, case 2 on Monday. By number, the clerk gives Monday to case 1 and case 2 misses
    its deadline; earliest deadline first gives Monday to case 2 and both are on time."""
    sessions = [session(1, 0, capacity=1, hours=1), session(2, 4, capacity=1, hours=1)]
    busy = board(sessions)
    needs = [need(1, 14), need(2, 0)]
    edf = assign(needs, sessions, busy, NOW)
    clerk = baseline(needs, sessions, busy, NOW)
    assert (edf.quality.met, clerk.quality.met) == (2, 1)
    assert {p.need.case_id: p.session.id for p in edf.placements} == {2: 1, 1: 2}
    assert edf.quality.met_share == 1.0 and clerk.quality.met_share == 0.5


def test_a_hearing_that_cannot_be_on_time_does_not_take_an_on_time_slot():
    """Case 1 is due before any session: it is late whatever happens, so it must not take
    Monday's only slot from case 2, which can still be on time."""
    sessions = [session(1, 0, capacity=1, hours=1), session(2, 7, capacity=1, hours=1)]
    needs = [need(1, -1), need(2, 0)]
    result = assign(needs, sessions, board(sessions), NOW)
    assert {p.need.case_id: p.session.id for p in result.placements} == {2: 1, 1: 2}
    assert (result.quality.met, result.quality.late) == (1, 1)


def test_repair_moves_a_hearing_with_slack_to_free_a_slot_on_time():
    """Judge 1 sits Monday only, judge 2 Monday and Tuesday (one slot each). Case 1 may go to
    any judge (duty calendar) and is due Tuesday; judge 2 is busier, so the even-load rule
    first puts case 1 before judge 1 on Monday. Case 2 needs judge 1 by Wednesday: only the
    repair (moving case 1, which has slack, to judge 2) gets it on time."""
    sessions = [
        session(1, 0, judge=1, capacity=1, hours=1),
        session(2, 0, judge=2, capacity=2, hours=1),
        session(3, 1, judge=2, capacity=1, hours=1),
    ]
    busy = board(sessions)
    start, end = slot_window(sessions[1], 0)
    busy.add_booking(Booking(99, 99, "Booked", 2, "2", 2, start, end), slot=0)
    needs = [need(1, 1, any_judge=True, judge_id=None), need(2, 2, judge_id=1)]
    result = assign(needs, sessions, busy, NOW)
    where = {p.need.case_id: p.session.id for p in result.placements}
    assert where[2] == 1
    assert where[1] in (2, 3)
    assert result.quality.met == 2 and result.quality.moved_in_repair == 1
    without = assign(needs, sessions, busy, NOW, repair=False)
    assert without.quality.met == 1
    assert verify(result, busy, NOW) == []


def test_any_judge_hearings_spread_over_judges_on_the_same_day():
    sessions = [session(n, 0, judge=n, capacity=10, types=("arraignment",)) for n in (1, 2, 3)]
    needs = [
        need(n, 3, hearing_type="arraignment", any_judge=True, judge_id=None) for n in range(1, 10)
    ]
    result = assign(needs, sessions, board(sessions), NOW)
    assert sorted(result.quality.load.values()) == [3, 3, 3]
    assert result.quality.load_by_name()[0][0].startswith("Judge ")


def test_the_batch_avoids_soft_conflicts_the_baseline_may_override():
    """Counsel is in courtroom 2 at 9:00; the batch takes 10:00 in courtroom 1 instead."""
    sessions = [session(1, 0, capacity=2, hours=2), session(2, 0, judge=2, capacity=1, hours=1)]
    busy = board(sessions)
    start, end = slot_window(sessions[1], 0)
    busy.add_booking(Booking(99, 99, "State v. Ortiz", 2, "2", 2, start, end), (7,), slot=0)
    needs = [need(1, 3, attorneys=((7, "Atty. Chen"),))]
    result = assign(needs, sessions, busy, NOW)
    assert result.placements[0].starts_at == at(MONDAY, 10)
    clerk = baseline(needs, sessions, busy, NOW)
    assert clerk.placements[0].starts_at == at(MONDAY, 9)  # soft: a clerk may override


def test_unplaced_needs_say_why():
    sessions = [session(1, 0, capacity=1, hours=1), session(2, 0, judge=2, room=2, capacity=1)]
    busy = board(sessions)
    start, end = slot_window(sessions[1], 0)
    busy.add_booking(
        Booking(99, 99, "State v. Ortiz", 2, "2", 2, start, end),
        persons=(("ortiz", date(1990, 1, 1)),),
    )
    needs = [
        need(1, 3),  # takes the only slot
        need(2, 3),  # full
        need(3, 3, hearing_type="trial"),  # nobody hears trials
        # Ortiz's other hearing is in the same call: no conflict.
        need(4, 3, judge_id=2, persons=(("ortiz", date(1990, 1, 1)),)),
    ]
    result = assign(needs, sessions, busy, NOW)
    reasons = {u.need.case_id: u for u in result.unplaced}
    assert reasons[2].code == FULL and "full" in reasons[2].reason
    assert reasons[3].code == NO_SESSION
    assert "No session" in reasons[3].label
    assert set(reasons) == {2, 3}
    assert result.quality.unplaced_by_reason == {
        "Every session that takes it is full": 1,
        "No session in the window takes it": 1,
    }
    lines = "\n".join(result.quality.lines())
    assert "Deadlines met: 2/4 (50.0%)" in lines
    assert "Unplaced, Every session that takes it is full: 1" in lines


def test_a_conflict_blocking_every_free_time_is_named():
    sessions = [session(1, 0, capacity=1, hours=1), session(2, 0, judge=2, capacity=1, hours=1)]
    busy = board(sessions)
    start, end = slot_window(sessions[1], 0)
    busy.add_booking(
        Booking(99, 99, "State v. Ortiz", 2, "2", 2, start, end),
        persons=(("rivera", date(1990, 1, 1)),),
        slot=0,
    )
    needs = [need(1, 3, persons=(("rivera", date(1990, 1, 1)),))]
    result = assign(needs, sessions, busy, NOW)
    assert result.unplaced[0].code == "defendant"
    assert "defendant in another courtroom" in result.unplaced[0].reason


def test_the_digest_changes_with_the_assignment_and_not_otherwise():
    sessions = [session(1, 0, capacity=2)]
    needs = [need(1, 3), need(2, 3)]
    one = assign(needs, sessions, board(sessions), NOW)
    two = assign(list(reversed(needs)), sessions, board(sessions), NOW)
    assert one.digest() == two.digest()
    three = assign(needs[:1], sessions, board(sessions), NOW)
    assert three.digest() != one.digest()


def test_the_bench_court_is_scheduled_without_breaking_a_rule():
    """A small run of the benchmark's synthetic court (the full one is in bench/)."""
    from bench.batch_scheduler import synthetic_court

    needs, sessions, busy, now = synthetic_court(needs=600, courtrooms=4, weeks=2, seed=3)
    docket = assign(needs, sessions, busy, now)
    clerks = baseline(needs, sessions, busy, now)
    assert verify(docket, busy, now) == []
    assert verify(clerks, busy, now, avoid_soft=False) == []
    assert docket.quality.met >= clerks.quality.met
