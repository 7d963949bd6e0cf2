"""The calendar board: a courtroom's or a judge's day and week, and the daily calendar sheet
posted outside a courtroom. Read-only; every page costs a fixed number of queries whatever the
number of hearings (sessions of the range, their hearings with cases, then counsel and
defendants of those cases in IN-queries; nothing is lazy-loaded per row).

Times are stored in UTC and shown in the court's zone (docket.clock): a session's `session_date`
is the court's local date, and a day's hearings are those starting between the court's local
midnights.

Who may see a sealed case's caption, parties and counsel is the caller's decision (`reveal`):
the views pass docket.permissions.sees_sealed for the signed-in user, the public sheet passes
"never"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from docket.clock import court_zone
from docket.core.vocabulary import HEARING_TYPES
from docket.extensions import db
from docket.models import (
    Attorney,
    CalendarSession,
    Case,
    CounselOfRecord,
    Courtroom,
    Defendant,
    Hearing,
    Judge,
)

# Hearings that hold their slot; a vacated or continued hearing frees it.
HOLDS_SLOT = ("scheduled", "held")
WEEKDAYS = 5  # Monday to Friday; a weekend column appears only when a session sits on it


class BoardError(LookupError):
    """The courtroom or judge asked for is not the court's (the view answers 404)."""


@dataclass(frozen=True)
class Scope:
    """Whose calendar: one courtroom or one judge, of one court."""

    court_id: int
    courtroom: Courtroom | None = None
    judge: Judge | None = None

    @property
    def kind(self) -> str:
        return "courtroom" if self.courtroom is not None else "judge"

    @property
    def title(self) -> str:
        if self.courtroom is not None:
            return f"Courtroom {self.courtroom.name}"
        return self.judge.display_name if self.judge else ""

    @property
    def args(self) -> dict:
        if self.courtroom is not None:
            return {"courtroom": self.courtroom.id}
        return {"judge": self.judge.id}


@dataclass
class BoardHearing:
    hearing: Hearing
    case: Case
    starts: datetime  # court-local
    ends: datetime
    revealed: bool  # caption, parties and counsel may be shown to this viewer
    defendants: list[str] = field(default_factory=list)
    prosecution: list[str] = field(default_factory=list)
    defense: list[str] = field(default_factory=list)
    language: str | None = None

    @property
    def sealed(self) -> bool:
        return self.case.sealed

    @property
    def counsel(self) -> list[str]:
        return self.prosecution + self.defense


@dataclass
class BoardSession:
    session: CalendarSession
    starts: datetime  # court-local
    ends: datetime
    hearings: list[BoardHearing] = field(default_factory=list)
    used: int = 0  # slots held by scheduled or held hearings
    vacated: int = 0  # vacated or continued hearings still listed on the session

    @property
    def type_labels(self) -> list[str]:
        return [HEARING_TYPES.get(code, code) for code in self.session.hearing_types or []]


@dataclass
class Day:
    day: date
    sessions: list[BoardSession] = field(default_factory=list)
    # Hearings in the courtroom (or before the judge) that day that belong to no session.
    loose: list[BoardHearing] = field(default_factory=list)

    @property
    def hearings(self) -> list[BoardHearing]:
        rows = [h for s in self.sessions for h in s.hearings] + self.loose
        return sorted(rows, key=lambda h: (h.hearing.starts_at, h.hearing.slot or 0, h.hearing.id))

    @property
    def empty(self) -> bool:
        return not self.sessions and not self.loose


# --- whose calendar ------------------------------------------------------------------------


def courtrooms(court_id: int) -> list[Courtroom]:
    return db.session.scalars(
        select(Courtroom).where(Courtroom.court_id == court_id).order_by(Courtroom.name)
    ).all()


def judges(court_id: int) -> list[Judge]:
    return db.session.scalars(
        select(Judge).where(Judge.court_id == court_id, Judge.active.is_(True)).order_by(Judge.name)
    ).all()


def scope_for(
    court_id: int,
    *,
    courtroom_id: int | None = None,
    judge_id: int | None = None,
    rooms: Iterable[Courtroom] = (),
    bench: Iterable[Judge] = (),
) -> Scope:
    """The courtroom or judge asked for, checked to be the court's. `rooms`/`bench` are the
    court's lists when the caller has them already (no second query)."""
    if courtroom_id is not None:
        room = next((r for r in rooms if r.id == courtroom_id), None) or db.session.get(
            Courtroom, courtroom_id
        )
        if room is None or room.court_id != court_id:
            raise BoardError(f"This court has no courtroom with id {courtroom_id}.")
        return Scope(court_id, courtroom=room)
    if judge_id is not None:
        judge = next((j for j in bench if j.id == judge_id), None) or db.session.get(
            Judge, judge_id
        )
        if judge is None or judge.court_id != court_id:
            raise BoardError(f"This court has no judge with id {judge_id}.")
        return Scope(court_id, judge=judge)
    raise BoardError("Choose a courtroom or a judge.")


# --- loading -------------------------------------------------------------------------------


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=court_zone()).astimezone(UTC)


def _sessions(scope: Scope, first: date, last: date) -> list[CalendarSession]:
    query = (
        select(CalendarSession)
        .where(
            CalendarSession.court_id == scope.court_id,
            CalendarSession.session_date >= first,
            CalendarSession.session_date <= last,
        )
        .options(joinedload(CalendarSession.judge), joinedload(CalendarSession.courtroom))
        .order_by(CalendarSession.starts_at, CalendarSession.id)
    )
    if scope.courtroom is not None:
        query = query.where(CalendarSession.courtroom_id == scope.courtroom.id)
    else:
        query = query.where(CalendarSession.judge_id == scope.judge.id)
    return db.session.scalars(query).all()


def _hearings(scope: Scope, session_ids: list[int], first: date, last: date) -> list[Hearing]:
    """The sessions' hearings, and the scope's hearings of the range that are in no session."""
    if scope.courtroom is not None:
        mine = Hearing.courtroom_id == scope.courtroom.id
    else:
        mine = Hearing.judge_id == scope.judge.id
    loose = and_(
        Hearing.calendar_session_id.is_(None),
        mine,
        Hearing.starts_at >= _utc_midnight(first),
        Hearing.starts_at < _utc_midnight(last + timedelta(days=1)),
    )
    where = or_(Hearing.calendar_session_id.in_(session_ids), loose) if session_ids else loose
    return db.session.scalars(
        select(Hearing)
        .where(where)
        .options(
            joinedload(Hearing.case),
            joinedload(Hearing.courtroom),
            joinedload(Hearing.judge),
        )
        .order_by(Hearing.starts_at, Hearing.slot, Hearing.id)
    ).all()


def _parties(case_ids: set[int], first: date, last: date):
    """Defendants' names and languages, and counsel of record current at some time in the
    range, for all the cases at once: two queries."""
    defendants: dict[int, list[Defendant]] = defaultdict(list)
    counsel: dict[int, list[CounselOfRecord]] = defaultdict(list)
    if not case_ids:
        return defendants, counsel
    for row in db.session.scalars(
        select(Defendant)
        .where(Defendant.case_id.in_(case_ids))
        .order_by(Defendant.case_id, Defendant.number)
    ):
        defendants[row.case_id].append(row)
    for row in db.session.scalars(
        select(CounselOfRecord)
        .join(Attorney, Attorney.id == CounselOfRecord.attorney_id)
        .where(
            CounselOfRecord.case_id.in_(case_ids),
            CounselOfRecord.appeared_on <= last,
            or_(CounselOfRecord.withdrew_on.is_(None), CounselOfRecord.withdrew_on > first),
        )
        .options(joinedload(CounselOfRecord.attorney))
        .order_by(CounselOfRecord.case_id, CounselOfRecord.side.desc(), Attorney.name)
    ):
        counsel[row.case_id].append(row)
    return defendants, counsel


def _counsel_on(rows: list[CounselOfRecord], day: date) -> tuple[list[str], list[str]]:
    prosecution, defense = [], []
    for row in rows:
        if row.appeared_on <= day and (row.withdrew_on is None or day < row.withdrew_on):
            names = prosecution if row.side == "prosecution" else defense
            if row.attorney.name not in names:
                names.append(row.attorney.name)
    return prosecution, defense


def load_days(scope: Scope, first: date, last: date, reveal: Callable[[Case], bool]) -> list[Day]:
    """Every day from `first` to `last` with its sessions and their hearings in slot order.
    Five queries, whatever the number of sessions and hearings."""
    zone = court_zone()
    sessions = _sessions(scope, first, last)
    hearings = _hearings(scope, [s.id for s in sessions], first, last)
    defendants, counsel = _parties({h.case_id for h in hearings}, first, last)

    days = {
        first + timedelta(days=n): Day(first + timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    by_session: dict[int, BoardSession] = {}
    for session in sessions:
        board = BoardSession(
            session,
            starts=session.starts_at.astimezone(zone),
            ends=session.ends_at.astimezone(zone),
        )
        by_session[session.id] = board
        days[session.session_date].sessions.append(board)

    for hearing in hearings:
        starts = hearing.starts_at.astimezone(zone)
        local_day = starts.date()
        people = defendants.get(hearing.case_id, [])
        prosecution, defense = _counsel_on(counsel.get(hearing.case_id, []), local_day)
        languages = sorted({d.interpreter_language for d in people if d.interpreter_language})
        row = BoardHearing(
            hearing=hearing,
            case=hearing.case,
            starts=starts,
            ends=hearing.ends_at.astimezone(zone),
            revealed=not hearing.case.sealed or reveal(hearing.case),
            defendants=[d.full_name for d in people],
            prosecution=prosecution,
            defense=defense,
            language=hearing.interpreter_language or (", ".join(languages) or None),
        )
        board = by_session.get(hearing.calendar_session_id)
        if board is not None:
            board.hearings.append(row)
            if hearing.status in HOLDS_SLOT:
                board.used += 1
            else:
                board.vacated += 1
        elif local_day in days:
            days[local_day].loose.append(row)

    for board in by_session.values():
        board.hearings.sort(
            key=lambda h: (
                h.hearing.starts_at,
                h.hearing.slot if h.hearing.slot is not None else 1 << 30,
                h.hearing.id,
            )
        )
    return list(days.values())


def day_board(scope: Scope, day: date, reveal: Callable[[Case], bool]) -> Day:
    return load_days(scope, day, day, reveal)[0]


# --- the week ------------------------------------------------------------------------------


@dataclass
class WeekSession:
    session: CalendarSession
    starts: datetime
    ends: datetime
    counts: dict[str, int]  # hearing status -> number

    @property
    def used(self) -> int:
        return sum(self.counts.get(status, 0) for status in HOLDS_SLOT)


@dataclass
class WeekDay:
    day: date
    sessions: list[WeekSession] = field(default_factory=list)
    loose: int = 0  # hearings that day in no session


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_board(scope: Scope, any_day: date) -> list[WeekDay]:
    """Monday to Friday (and Saturday/Sunday when a session sits then) of the week holding
    `any_day`: sessions with their hearing counts. Three queries."""
    zone = court_zone()
    first = monday_of(any_day)
    last = first + timedelta(days=6)
    sessions = _sessions(scope, first, last)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if sessions:
        for session_id, status, number in db.session.execute(
            select(Hearing.calendar_session_id, Hearing.status, func.count(Hearing.id))
            .where(Hearing.calendar_session_id.in_([s.id for s in sessions]))
            .group_by(Hearing.calendar_session_id, Hearing.status)
        ):
            counts[session_id][status] = number
    mine = (
        Hearing.courtroom_id == scope.courtroom.id
        if scope.courtroom is not None
        else Hearing.judge_id == scope.judge.id
    )
    loose_starts = db.session.scalars(
        select(Hearing.starts_at).where(
            Hearing.calendar_session_id.is_(None),
            Hearing.status.in_(HOLDS_SLOT),
            mine,
            Hearing.starts_at >= _utc_midnight(first),
            Hearing.starts_at < _utc_midnight(last + timedelta(days=1)),
        )
    ).all()

    days = [WeekDay(first + timedelta(days=n)) for n in range(7)]
    for session in sessions:
        days[(session.session_date - first).days].sessions.append(
            WeekSession(
                session,
                starts=session.starts_at.astimezone(zone),
                ends=session.ends_at.astimezone(zone),
                counts=counts.get(session.id, {}),
            )
        )
    for starts in loose_starts:
        local = starts.astimezone(zone).date()
        if first <= local <= last:
            days[(local - first).days].loose += 1
    return [d for n, d in enumerate(days) if n < WEEKDAYS or d.sessions or d.loose]
