"""Proposals and booking: the database side of docket/core/scheduling.py.

`load_board` reads who is where over a date range in a constant number of queries; `need_for`
says what a case's hearing needs (its judge, counsel, defendants, interpreter, the plan's
deadline); `place` checks a slot again under a row lock on its session and writes the hearing
and its setting. Double-booking is refused twice over: by the conflict check under the lock,
and by the database's unique index on (session, slot) among scheduled hearings, which catches
the race the lock cannot (SQLite has no row locks).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from docket import audit
from docket.clock import court_today, court_zone, utc_now
from docket.core.scheduling import (
    Booking,
    Busy,
    Conflict,
    Need,
    Notice,
    Proposals,
    Session,
    conflicts,
    propose,
    slot_window,
)
from docket.core.vocabulary import HEARING_TYPES
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.models import (
    Attorney,
    CalendarSession,
    Case,
    CounselOfRecord,
    Courtroom,
    Deadline,
    Defendant,
    Hearing,
    HearingSetting,
    Interpreter,
    Judge,
    TollingPeriod,
    Unavailability,
    User,
)

PENDING = ("pending", "tolled")


class BookingRefused(ValueError):
    """The slot has conflicts: hard ones (never), or soft ones without an override reason."""

    def __init__(self, found: list[Conflict], message: str | None = None):
        self.conflicts = found
        hard = [c for c in found if c.hard]
        self.overridable = bool(found) and not hard
        if message is None:
            shown = hard or found
            message = " ".join(c.message for c in shown)
            if self.overridable:
                message += " A clerk may book it anyway with a reason for the override."
        super().__init__(message)


class SlotTaken(ValueError):
    """Someone else booked the slot (or the session) at the same moment."""


# --- reading ---------------------------------------------------------------------------------


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = court_zone()
    low = datetime.combine(start, time.min, zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
    return low, high


def core_session(row: CalendarSession, judge_name: str = "", courtroom_name: str = "") -> Session:
    """The pure scheduling rules' view of a session row."""
    return Session(
        id=row.id,
        day=row.session_date,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        judge_id=row.judge_id,
        courtroom_id=row.courtroom_id,
        hearing_types=frozenset(row.hearing_types or ()),
        capacity=row.capacity,
        slot_minutes=row.slot_minutes,
        open=row.status == "open",
        closed_reason=row.closed_reason,
        judge_name=f"Judge {judge_name}" if judge_name else "",
        courtroom_name=courtroom_name,
        name=row.name,
    )


def load_board(
    court_id: int,
    start: date,
    end: date,
    *,
    judge_ids: list[int] | None = None,
    attorney_ids: list[int] | None = None,
    person_keys: list[tuple] | None = None,
    languages: list[str] | None = None,
) -> tuple[list[Session], Busy]:
    """Sessions of the court from `start` to `end` (inclusive; only `judge_ids`' if given) and
    who is where then. The `attorney_ids`, `person_keys` and `languages` filters keep a single
    proposal cheap; None loads everyone (the batch scheduler). Seven queries, whatever the size.
    """
    low, high = _utc_bounds(start, end)
    query = (
        select(CalendarSession, Judge.name, Courtroom.name)
        .join(Judge, Judge.id == CalendarSession.judge_id)
        .join(Courtroom, Courtroom.id == CalendarSession.courtroom_id)
        .where(
            CalendarSession.court_id == court_id,
            CalendarSession.session_date >= start,
            CalendarSession.session_date <= end,
        )
        .order_by(CalendarSession.starts_at, CalendarSession.id)
    )
    if judge_ids is not None:
        # The judges' sessions, and every session in a courtroom they sit in (which may
        # overlap theirs: a courtroom conflict).
        rooms = select(CalendarSession.courtroom_id).where(
            CalendarSession.court_id == court_id,
            CalendarSession.judge_id.in_(judge_ids),
            CalendarSession.session_date >= start,
            CalendarSession.session_date <= end,
        )
        query = query.where(
            CalendarSession.judge_id.in_(judge_ids) | CalendarSession.courtroom_id.in_(rooms)
        )
    sessions = [core_session(row, judge, room) for row, judge, room in db.session.execute(query)]

    interpreters = dict(
        db.session.execute(
            select(func.lower(Interpreter.language), func.count())
            .where(Interpreter.court_id == court_id, Interpreter.active.is_(True))
            .group_by(func.lower(Interpreter.language))
        ).all()
    )
    notice_query = select(Unavailability).where(
        Unavailability.withdrawn_at.is_(None),
        Unavailability.ends_on >= start,
        Unavailability.starts_on <= end,
    )
    if attorney_ids is not None:
        notice_query = notice_query.where(Unavailability.attorney_id.in_(attorney_ids or [-1]))
    notices = [
        Notice(n.attorney_id, n.starts_on, n.ends_on, n.reason)
        for n in db.session.scalars(notice_query)
    ]
    busy = Busy(court_zone(), interpreters=interpreters, notices=notices)
    for session in sessions:
        busy.add_session(session)

    if sessions:
        ids = [s.id for s in sessions]
        for session_id, slot in db.session.execute(
            select(Hearing.calendar_session_id, Hearing.slot).where(
                Hearing.calendar_session_id.in_(ids),
                Hearing.status == "scheduled",
                Hearing.slot.is_not(None),
            )
        ):
            busy.taken[session_id].add(slot)

    columns = (
        Hearing.id,
        Hearing.case_id,
        Case.caption,
        Case.case_number,
        Hearing.courtroom_id,
        Courtroom.name,
        Hearing.calendar_session_id,
        Hearing.starts_at,
        Hearing.ends_at,
        Hearing.interpreter_language,
    )

    def bookings(query):
        base = (
            query.join(Case, Case.id == Hearing.case_id)
            .join(Courtroom, Courtroom.id == Hearing.courtroom_id)
            .where(Hearing.status == "scheduled", Hearing.starts_at < high, Hearing.ends_at > low)
        )
        for row in db.session.execute(base):
            booking = Booking(
                hearing_id=row[0],
                case_id=row[1],
                caption=f"{row[2]} ({row[3]})",
                courtroom_id=row[4],
                courtroom_name=row[5],
                session_id=row[6],
                starts_at=row[7],
                ends_at=row[8],
                language=row[9],
            )
            yield booking, row[10:]

    if attorney_ids is None or attorney_ids:
        query = select(*columns, CounselOfRecord.attorney_id).join(
            CounselOfRecord,
            (CounselOfRecord.case_id == Hearing.case_id) & CounselOfRecord.withdrew_on.is_(None),
        )
        if attorney_ids is not None:
            query = query.where(CounselOfRecord.attorney_id.in_(attorney_ids))
        for booking, (attorney_id,) in bookings(query):
            busy.add_booking(booking, attorneys=(attorney_id,))

    if person_keys is None or person_keys:
        query = select(*columns, Defendant.name_key, Defendant.date_of_birth).join(
            Defendant, Defendant.case_id == Hearing.case_id
        )
        query = query.where(Defendant.date_of_birth.is_not(None))
        wanted = None
        if person_keys is not None:
            wanted = set(person_keys)
            query = query.where(Defendant.name_key.in_({key for key, _ in person_keys}))
        for booking, (name_key, born) in bookings(query):
            if wanted is None or (name_key, born) in wanted:
                busy.add_booking(booking, persons=((name_key, born),))

    if languages is None or languages:
        query = select(*columns).where(
            Hearing.interpreter_language.is_not(None), Courtroom.court_id == court_id
        )
        if languages is not None:
            query = query.where(
                func.lower(Hearing.interpreter_language).in_([x.casefold() for x in languages])
            )
        for booking, _ in bookings(query):
            busy.add_booking(booking)
    return sessions, busy


def hearing_needs(case: Case) -> dict[str, tuple[date, str]]:
    """For each hearing type the plan's pending stages ask for: the earliest last day that
    meets the plan and what it is ("the Arraignment deadline (Ariz. R. Crim. P. 14.2)"). A trial
    must also come within the speedy-trial clock, whichever ends first."""
    plan = deadlines.plan_for(case.filed_on)
    stage_types = {stage.id: stage.hearing_type for stage in plan.stages if stage.hearing_type}
    rows = db.session.scalars(
        select(Deadline).where(Deadline.case_id == case.id, Deadline.status.in_(PENDING))
    ).all()
    needs: dict[str, tuple[date, str]] = {}

    def offer(hearing_type: str, due: date | None, what: str) -> None:
        if due is None:
            return
        if hearing_type not in needs or due < needs[hearing_type][0]:
            needs[hearing_type] = (due, what)

    def cited(row: Deadline, what: str) -> str:
        return f"the {row.name} {what}" + (f" ({row.citation})" if row.citation else "")

    for row in rows:
        if row.kind == "stage" and row.item_id in stage_types:
            offer(stage_types[row.item_id], row.rolled_to or row.due_on, cited(row, "deadline"))
    # The clock only bounds a trial the plan already asks for (after every stage is offered).
    for row in rows:
        if row.kind == "clock" and "trial" in needs:
            offer("trial", row.rolled_to or row.due_on, cited(row, "limit"))
    return needs


def need_for(
    case: Case,
    hearing_type: str,
    *,
    hearing: Hearing | None = None,
    not_before: date | None = None,
) -> Need:
    """What the hearing needs: five small queries."""
    if hearing_type not in HEARING_TYPES:
        raise ValueError(f"unknown hearing type {hearing_type!r}")
    due, what = hearing_needs(case).get(hearing_type, (None, ""))
    counsel = db.session.execute(
        select(Attorney.id, Attorney.name)
        .join(CounselOfRecord, CounselOfRecord.attorney_id == Attorney.id)
        .where(CounselOfRecord.case_id == case.id, CounselOfRecord.withdrew_on.is_(None))
        .order_by(Attorney.name)
    ).all()
    defendants = db.session.execute(
        select(Defendant.name_key, Defendant.date_of_birth, Defendant.interpreter_language)
        .where(Defendant.case_id == case.id)
        .order_by(Defendant.number)
    ).all()
    languages = sorted({d.interpreter_language for d in defendants if d.interpreter_language})
    any_judge = hearing_type in current_app.config["SCHEDULE_ANY_JUDGE_TYPES"]
    return Need(
        case_id=case.id,
        hearing_type=hearing_type,
        judge_id=case.assigned_judge_id,
        caption=case.caption,
        case_number=case.case_number,
        due=due,
        due_text=what,
        attorneys=tuple((a.id, f"Atty. {a.name}") for a in _unique(counsel)),
        persons=tuple(
            (d.name_key, d.date_of_birth) for d in defendants if d.date_of_birth is not None
        ),
        language=languages[0] if languages else None,
        any_judge=any_judge or case.assigned_judge_id is None,
        hearing_id=hearing.id if hearing is not None else None,
        not_before=not_before,
    )


def _unique(rows):
    seen = set()
    for row in rows:
        if row.id not in seen:
            seen.add(row.id)
            yield row


def _board_for(case: Case, need: Need, start: date, end: date):
    return load_board(
        case.court_id,
        start,
        end,
        judge_ids=None if need.any_judge else [need.judge_id],
        attorney_ids=[a for a, _ in need.attorneys],
        person_keys=list(need.persons),
        languages=[need.language] if need.language else [],
    )


def proposals_for(
    case: Case,
    hearing_type: str,
    *,
    hearing: Hearing | None = None,
    not_before: date | None = None,
    limit: int = 5,
) -> Proposals:
    """The best slots for the case's hearing (earliest clean ones first) and the earlier
    ones refused, with why. About a dozen queries, whatever the size of the court."""
    need = need_for(case, hearing_type, hearing=hearing, not_before=not_before)
    start = max(court_today(), not_before or court_today())
    end = start + timedelta(days=current_app.config["CALENDAR_PROPOSAL_DAYS"])
    sessions, busy = _board_for(case, need, start, end)
    return propose(need, sessions, busy, utc_now(), limit=limit)


def next_hearing_type(case: Case) -> str | None:
    """The hearing the plan asks for next: the earliest pending deadline with a hearing type
    and no hearing of that type scheduled."""
    needs = hearing_needs(case)
    scheduled = set(
        db.session.scalars(
            select(Hearing.hearing_type).where(
                Hearing.case_id == case.id, Hearing.status.in_(("scheduled", "continued"))
            )
        )
    )
    open_needs = [(due, t) for t, (due, _) in needs.items() if t not in scheduled]
    return min(open_needs)[1] if open_needs else None


# --- writing ---------------------------------------------------------------------------------


def place(
    case: Case,
    hearing_type: str,
    session_id: int,
    slot: int,
    *,
    user: User | None,
    override_reason: str | None = None,
    hearing: Hearing | None = None,
    need: Need | None = None,
    board: tuple[list[Session], Busy] | None = None,
    recompute: bool = True,
) -> Hearing:
    """Put a new hearing, or a continued one (keeping its id), in `slot` of the session.

    Locks the session row (PostgreSQL: a second clerk waits here, then sees the slot taken),
    checks every conflict rule again, and writes the hearing, its setting and an audit row.
    Flushes; the caller commits. `need` and `board` let the batch scheduler reuse what it
    loaded in the same transaction."""
    row = db.session.get(CalendarSession, session_id, with_for_update=True, populate_existing=True)
    if row is None or row.court_id != case.court_id:
        raise BookingRefused([], "That calendar session does not exist in this court.")
    if hearing is not None:
        if hearing.case_id != case.id:
            raise BookingRefused([], "That hearing belongs to another case.")
        if hearing.status != "continued":
            raise BookingRefused(
                [],
                f"Only a continued hearing can be set for a new date; this one is "
                f"{hearing.status_label.lower()}. Continue it first.",
            )
        hearing_type = hearing.hearing_type
    if need is None:
        need = need_for(case, hearing_type, hearing=hearing)
    judge_name = db.session.scalar(select(Judge.name).where(Judge.id == row.judge_id))
    room_name = db.session.scalar(select(Courtroom.name).where(Courtroom.id == row.courtroom_id))
    session = core_session(row, judge_name, room_name)
    if board is None:
        _, busy = load_board(
            case.court_id,
            row.session_date,
            row.session_date,
            judge_ids=[row.judge_id],
            attorney_ids=[a for a, _ in need.attorneys],
            person_keys=list(need.persons),
            languages=[need.language] if need.language else [],
        )
    else:
        busy = board[1]
    found = conflicts(need, session, slot, busy, utc_now())
    reason = (override_reason or "").strip()
    if any(c.hard for c in found) or (found and not reason):
        raise BookingRefused(found)

    starts_at, ends_at = slot_window(session, slot)
    when = {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "courtroom_id": row.courtroom_id,
        "judge_id": row.judge_id,
        "calendar_session_id": row.id,
        "slot": slot,
    }
    if hearing is None:
        hearing = Hearing(
            case_id=case.id,
            hearing_type=hearing_type,
            status="scheduled",
            interpreter_language=need.language,
            setting_count=1,
            **when,
        )
        db.session.add(hearing)
        action, before = "hearing_scheduled", None
        number = 1
    else:
        before = audit.snapshot(hearing)
        for key, value in when.items():
            setattr(hearing, key, value)
        hearing.status = "scheduled"
        hearing.interpreter_language = need.language
        number = (
            db.session.scalar(
                select(func.max(HearingSetting.number)).where(
                    HearingSetting.hearing_id == hearing.id
                )
            )
            or 0
        ) + 1
        hearing.setting_count = number
        action = "hearing_rescheduled"
        _close_excluded_period(hearing, starts_at)
    db.session.flush()
    soft = [f"{c.label}: {c.message}" for c in found]
    setting = HearingSetting(
        hearing_id=hearing.id,
        case_id=case.id,
        hearing_type=hearing.hearing_type,
        number=number,
        set_by_id=user.id if user is not None else None,
        override_reason=reason or None,
        overridden=soft,
        **{k: v for k, v in when.items() if k != "slot"},
    )
    db.session.add(setting)
    db.session.flush()
    after = audit.snapshot(hearing)
    if soft:
        after["override_reason"] = reason
        after["overridden"] = soft
    if before is not None:
        before, after = audit.changed(before, after)
    audit.record(action, hearing, case_id=case.id, before=before, after=after, user=user)
    if recompute:
        deadlines.recompute_case(case)
    return hearing


def _close_excluded_period(hearing: Hearing, new_start: datetime) -> None:
    """A continuance the judge found excludable runs from the order to the new date."""
    new_day = new_start.astimezone(court_zone()).date()
    period = db.session.scalar(
        select(TollingPeriod)
        .join(HearingSetting, HearingSetting.tolling_period_id == TollingPeriod.id)
        .where(HearingSetting.hearing_id == hearing.id, TollingPeriod.ends_on.is_(None))
        .order_by(HearingSetting.number.desc())
        .limit(1)
    )
    if period is not None:
        period.ends_on = max(new_day, period.starts_on)


def book(
    case: Case,
    hearing_type: str,
    session_id: int,
    slot: int,
    *,
    user: User | None,
    override_reason: str | None = None,
    hearing: Hearing | None = None,
) -> Hearing:
    """place() and commit; a booking that lost a race is rolled back and reported."""
    try:
        placed = place(
            case,
            hearing_type,
            session_id,
            slot,
            user=user,
            override_reason=override_reason,
            hearing=hearing,
        )
        db.session.commit()
    except BookingRefused:
        db.session.rollback()
        raise
    except IntegrityError as exc:
        db.session.rollback()
        if "uq_hearing_session_slot" in str(exc.orig) or "hearing.calendar_session_id" in str(
            exc.orig
        ):
            raise SlotTaken(
                "Someone else booked that slot a moment ago. Here are fresh proposals."
            ) from exc
        raise
    except OperationalError as exc:
        db.session.rollback()
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            raise SlotTaken(
                "Another booking was being saved at the same moment. Here are fresh proposals."
            ) from exc
        raise
    return placed


def settings_by_hearing(hearing_ids: list[int]) -> dict[int, list[HearingSetting]]:
    """Every setting of these hearings, in order (one query)."""
    found: dict[int, list[HearingSetting]] = defaultdict(list)
    if hearing_ids:
        for setting in db.session.scalars(
            select(HearingSetting)
            .where(HearingSetting.hearing_id.in_(hearing_ids))
            .order_by(HearingSetting.hearing_id, HearingSetting.number)
        ):
            found[setting.hearing_id].append(setting)
    return found
