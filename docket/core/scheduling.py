"""Where a hearing can go: slot times in a calendar session, the conflict rules, and the ranked
proposals a clerk picks from. Pure: the service (docket/calendar/) loads the facts in a constant
number of queries and the batch scheduler (docket/core/batch.py) reuses the same rules, so a
proposal, a booking and a batch placement can never disagree about what is a conflict.

Hard conflicts (the session is closed or full or does not take the type, the courtroom or the
judge is somewhere else, the defendant is in another courtroom) cannot be overridden. Soft
conflicts (counsel in another courtroom, counsel's notice of unavailability, every staff
interpreter for the language busy) can, with a reason that is audit-logged.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

HARD = "hard"
SOFT = "soft"
CONFLICT_KINDS = {
    # kind: (hard or soft, label)
    "closed": (HARD, "Session closed"),
    "past": (HARD, "In the past"),
    "type": (HARD, "Session does not take this hearing type"),
    "judge_not_allowed": (HARD, "Not the case's judge"),
    "capacity": (HARD, "Session full"),
    "courtroom": (HARD, "Courtroom double-booked"),
    "judge": (HARD, "Judge in two places"),
    "defendant": (HARD, "Defendant in another courtroom"),
    "counsel": (SOFT, "Counsel in another hearing"),
    "unavailable": (SOFT, "Counsel's notice of unavailability"),
    "interpreter": (SOFT, "No interpreter free"),
}


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    day: date
    starts_at: datetime  # aware
    ends_at: datetime
    judge_id: int
    courtroom_id: int
    hearing_types: frozenset[str]
    capacity: int
    slot_minutes: int
    open: bool = True
    closed_reason: str | None = None
    judge_name: str = ""
    courtroom_name: str = ""
    name: str | None = None


def times_in(session: Session) -> int:
    """How many distinct starting times the session has (at least one)."""
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    return max(1, minutes // session.slot_minutes)


def slot_window(session: Session, slot: int) -> tuple[datetime, datetime]:
    """The start and end of slot `slot`: slots fill the session's times in turn, several to a
    time when capacity exceeds the times (a 40-case call over 12 quarter hours: 4 a time)."""
    times = times_in(session)
    per_time = -(-session.capacity // times)  # ceiling
    start = session.starts_at + timedelta(minutes=(slot // per_time) * session.slot_minutes)
    end = min(start + timedelta(minutes=session.slot_minutes), session.ends_at)
    if times == 1 or session.capacity <= per_time:
        # One starting time (a trial): the hearing holds the whole session.
        end = session.ends_at
    return start, end


@dataclass(frozen=True, slots=True)
class Booking:
    """A scheduled hearing someone is already in."""

    hearing_id: int
    case_id: int
    caption: str
    courtroom_id: int
    courtroom_name: str
    session_id: int | None
    starts_at: datetime
    ends_at: datetime
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """Counsel's notice of unavailability, inclusive dates."""

    attorney_id: int
    starts_on: date
    ends_on: date
    reason: str


@dataclass(frozen=True, slots=True)
class Need:
    """The hearing to place. `due`: the last day that meets the plan (None: no deadline)."""

    case_id: int
    hearing_type: str
    judge_id: int | None
    caption: str = ""
    case_number: str = ""
    due: date | None = None
    due_text: str = ""  # "Arraignment deadline (Ariz. R. Crim. P. 14.2)"
    attorneys: tuple[tuple[int, str], ...] = ()  # (attorney id, "Atty. Chen")
    persons: tuple[tuple, ...] = ()  # defendant identities across cases (name key, birth date)
    language: str | None = None
    any_judge: bool = False
    hearing_id: int | None = None  # rescheduling: the hearing's own booking is not a conflict
    not_before: date | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str
    message: str

    @property
    def hard(self) -> bool:
        return CONFLICT_KINDS[self.kind][0] == HARD

    @property
    def label(self) -> str:
        return CONFLICT_KINDS[self.kind][1]


class Busy:
    """Who is where: bookings by attorney, by defendant identity and by interpreter language,
    sessions by judge and courtroom, and the slots taken in each session. Bookings can be added
    as a batch places hearings, so later placements see earlier ones."""

    def __init__(
        self,
        zone: ZoneInfo,
        interpreters: dict[str, int] | None = None,
        notices: list[Notice] = (),
    ) -> None:
        self.zone = zone
        self.interpreters = {k.casefold(): v for k, v in (interpreters or {}).items()}
        self.by_attorney: dict[int, list[Booking]] = defaultdict(list)
        self.by_person: dict[tuple, list[Booking]] = defaultdict(list)
        self.by_language: dict[str, list[Booking]] = defaultdict(list)
        self.taken: dict[int, set[int]] = defaultdict(set)
        self.sessions_by_judge: dict[int, list[Session]] = defaultdict(list)
        self.sessions_by_courtroom: dict[int, list[Session]] = defaultdict(list)
        self.notices: dict[int, list[Notice]] = defaultdict(list)
        for notice in notices:
            self.notices[notice.attorney_id].append(notice)

    def add_session(self, session: Session) -> None:
        self.sessions_by_judge[session.judge_id].append(session)
        self.sessions_by_courtroom[session.courtroom_id].append(session)

    def add_booking(
        self,
        booking: Booking,
        attorneys: tuple[int, ...] = (),
        persons: tuple[tuple, ...] = (),
        slot: int | None = None,
    ) -> None:
        for attorney in attorneys:
            _insert(self.by_attorney[attorney], booking)
        for person in persons:
            _insert(self.by_person[person], booking)
        if booking.language:
            _insert(self.by_language[booking.language.casefold()], booking)
        if booking.session_id is not None and slot is not None:
            self.taken[booking.session_id].add(slot)

    def remove_booking(
        self,
        booking: Booking,
        attorneys: tuple[int, ...] = (),
        persons: tuple[tuple, ...] = (),
        slot: int | None = None,
    ) -> None:
        """The inverse of add_booking (the batch's repair pass moves hearings it placed)."""
        for attorney in attorneys:
            _discard(self.by_attorney[attorney], booking)
        for person in persons:
            _discard(self.by_person[person], booking)
        if booking.language:
            _discard(self.by_language[booking.language.casefold()], booking)
        if booking.session_id is not None and slot is not None:
            self.taken[booking.session_id].discard(slot)

    def copy(self) -> Busy:
        """A copy a batch may add to and take from, leaving this one untouched."""
        copy = Busy(self.zone)
        copy.interpreters = dict(self.interpreters)
        for name in (
            "by_attorney",
            "by_person",
            "by_language",
            "sessions_by_judge",
            "sessions_by_courtroom",
        ):
            setattr(
                copy, name, defaultdict(list, {k: list(v) for k, v in getattr(self, name).items()})
            )
        copy.taken = defaultdict(set, {k: set(v) for k, v in self.taken.items()})
        copy.notices = self.notices
        return copy

    def free_slots(self, session: Session):
        taken = self.taken.get(session.id, ())
        return (slot for slot in range(session.capacity) if slot not in taken)


def _insert(bookings: list[Booking], booking: Booking) -> None:
    insort(bookings, booking, key=lambda b: b.starts_at)


def _discard(bookings: list[Booking], booking: Booking) -> None:
    """Remove this very booking from a list sorted by start (by identity: fast)."""
    index = bisect_left(bookings, booking.starts_at, key=lambda b: b.starts_at)
    while index < len(bookings):
        if bookings[index] is booking:
            del bookings[index]
            return
        index += 1
    raise ValueError("booking not found")


def _overlapping(bookings: list[Booking], start: datetime, end: datetime, latest_span):
    """Bookings overlapping [start, end); `bookings` is sorted by start."""
    low = bisect_left(bookings, start - latest_span, key=lambda b: b.starts_at)
    for booking in bookings[low:]:
        if booking.starts_at >= end:
            break
        if booking.ends_at > start:
            yield booking


# The longest hearing looked back for when searching sorted bookings (a trial day).
_SPAN = timedelta(hours=12)


def local_time(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%H:%M")


def conflicts(
    need: Need, session: Session, slot: int, busy: Busy, now: datetime | None = None
) -> list[Conflict]:
    """Every reason the hearing cannot (hard) or should not (soft) go in this slot."""
    found: list[Conflict] = []
    zone = busy.zone
    start, end = slot_window(session, slot)
    when = f"{local_time(start, zone)}–{local_time(end, zone)}"
    if not session.open:
        found.append(
            Conflict("closed", f"The session is closed: {session.closed_reason or 'closed'}")
        )
    if now is not None and start <= now:
        found.append(Conflict("past", "That time has passed."))
    if need.hearing_type not in session.hearing_types:
        found.append(Conflict("type", "This session does not take that hearing type."))
    if need.judge_id is not None and session.judge_id != need.judge_id and not need.any_judge:
        found.append(Conflict("judge_not_allowed", "The session is not before the case's judge."))
    if slot >= session.capacity or slot in busy.taken.get(session.id, ()):
        found.append(
            Conflict(
                "capacity",
                f"The session is full ({session.capacity} of {session.capacity} slots taken)."
                if slot >= session.capacity
                else "That slot is taken.",
            )
        )
    for other in busy.sessions_by_courtroom.get(session.courtroom_id, ()):
        if (
            other.id != session.id
            and other.open
            and other.starts_at < end
            and other.ends_at > start
        ):
            found.append(
                Conflict(
                    "courtroom",
                    f"Courtroom {session.courtroom_name} is booked for another session "
                    f"({other.judge_name}, {local_time(other.starts_at, zone)}–"
                    f"{local_time(other.ends_at, zone)}).",
                )
            )
    for other in busy.sessions_by_judge.get(session.judge_id, ()):
        if (
            other.id != session.id
            and other.open
            and other.courtroom_id != session.courtroom_id
            and other.starts_at < end
            and other.ends_at > start
        ):
            found.append(
                Conflict(
                    "judge",
                    f"{session.judge_name} sits in Courtroom {other.courtroom_name} "
                    f"{local_time(other.starts_at, zone)}–{local_time(other.ends_at, zone)}.",
                )
            )
    seen: set[int] = set()
    for person in need.persons:
        for booking in _overlapping(busy.by_person.get(person, []), start, end, _SPAN):
            if _elsewhere(booking, need, session) and booking.hearing_id not in seen:
                seen.add(booking.hearing_id)
                found.append(
                    Conflict(
                        "defendant",
                        f"The defendant is in {booking.caption}, Courtroom "
                        f"{booking.courtroom_name}, {_span(booking, zone)}.",
                    )
                )
    for attorney_id, attorney_name in need.attorneys:
        for booking in _overlapping(busy.by_attorney.get(attorney_id, []), start, end, _SPAN):
            if _elsewhere(booking, need, session):
                found.append(
                    Conflict(
                        "counsel",
                        f"{attorney_name} is in {booking.caption}, Courtroom "
                        f"{booking.courtroom_name}, {_span(booking, zone)}.",
                    )
                )
        day = session.day
        for notice in busy.notices.get(attorney_id, ()):
            if notice.starts_on <= day <= notice.ends_on:
                found.append(
                    Conflict(
                        "unavailable",
                        f"{attorney_name} filed a notice of unavailability for "
                        f"{notice.starts_on.isoformat()} to {notice.ends_on.isoformat()} "
                        f"({notice.reason}).",
                    )
                )
    if need.language:
        language = need.language.casefold()
        staff = busy.interpreters.get(language, 0)
        if staff:
            rooms = {
                b.courtroom_name
                for b in _overlapping(busy.by_language.get(language, []), start, end, _SPAN)
                if b.courtroom_id != session.courtroom_id and b.hearing_id != need.hearing_id
            }
            if len(rooms) >= staff:
                found.append(
                    Conflict(
                        "interpreter",
                        f"Every staff {need.language} interpreter ({staff}) is needed in "
                        f"Courtroom{'s' if len(rooms) > 1 else ''} {', '.join(sorted(rooms))} "
                        f"at {when}.",
                    )
                )
    return found


def _elsewhere(booking: Booking, need: Need, session: Session) -> bool:
    """Another hearing (not this one being moved, not another case at the same call)."""
    if need.hearing_id is not None and booking.hearing_id == need.hearing_id:
        return False
    return booking.session_id != session.id and booking.courtroom_id != session.courtroom_id


def _span(booking: Booking, zone: ZoneInfo) -> str:
    return f"{local_time(booking.starts_at, zone)}–{local_time(booking.ends_at, zone)}"


@dataclass(frozen=True, slots=True)
class Proposal:
    session: Session
    slot: int
    starts_at: datetime
    ends_at: datetime
    meets_deadline: bool | None  # None: no deadline
    reasons: tuple[str, ...]
    conflicts: tuple[Conflict, ...] = ()

    @property
    def hard(self) -> bool:
        return any(c.hard for c in self.conflicts)

    @property
    def overridable(self) -> bool:
        return bool(self.conflicts) and not self.hard


@dataclass
class Proposals:
    """Clean proposals (best first), and the earlier choices refused and why: overridable ones
    (soft conflicts only) a clerk may take with a reason, the rest for information."""

    clean: list[Proposal] = field(default_factory=list)
    refused: list[Proposal] = field(default_factory=list)
    need: Need | None = None


def propose(
    need: Need,
    sessions: list[Session],
    busy: Busy,
    now: datetime,
    limit: int = 5,
    refused_limit: int = 5,
) -> Proposals:
    """The earliest clean slots, one per session, up to `limit`; the sessions before the last of
    them (or all, if none is clean) that were refused, with their conflicts.

    Earliest first is also deadline-first: the earliest clean slot is the one most likely to
    meet the plan, and a clerk sees at once whether any proposal does."""
    result = Proposals(need=need)
    zone = busy.zone
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        if len(result.clean) >= limit:
            break
        if need.hearing_type not in session.hearing_types:
            continue
        if need.judge_id is not None and session.judge_id != need.judge_id and not need.any_judge:
            continue
        if need.not_before and session.day < need.not_before:
            continue
        if session.ends_at <= now:
            continue
        best_refusal: Proposal | None = None
        placed = False
        free = list(busy.free_slots(session))
        if not free:
            best_refusal = _proposal(need, session, session.capacity, zone, busy, now)
        for slot in free:
            proposal = _proposal(need, session, slot, zone, busy, now)
            if not proposal.conflicts:
                result.clean.append(proposal)
                placed = True
                break
            if best_refusal is None or _worse(best_refusal, proposal):
                best_refusal = proposal
        if not placed and best_refusal is not None and len(result.refused) < refused_limit:
            result.refused.append(best_refusal)
    return result


def _worse(current: Proposal, candidate: Proposal) -> bool:
    """Prefer refusals a clerk could override (soft only), then fewer conflicts."""
    return (current.hard, len(current.conflicts)) > (candidate.hard, len(candidate.conflicts))


def _proposal(
    need: Need, session: Session, slot: int, zone: ZoneInfo, busy: Busy, now: datetime
) -> Proposal:
    found = conflicts(need, session, slot, busy, now)
    start, end = (
        slot_window(session, slot)
        if slot < session.capacity
        else (session.starts_at, session.ends_at)
    )
    meets = None if need.due is None else session.day <= need.due
    return Proposal(
        session=session,
        slot=slot,
        starts_at=start,
        ends_at=end,
        meets_deadline=meets,
        reasons=tuple(_reasons(need, session, slot, busy)),
        conflicts=tuple(found),
    )


def _reasons(need: Need, session: Session, slot: int, busy: Busy) -> list[str]:
    """Why this slot fits, in a clerk's words."""
    reasons = []
    taken = len(busy.taken.get(session.id, ()))
    free = max(session.capacity - taken, 0)
    label = session.name or "session"
    reasons.append(f"{label}: {free} of {session.capacity} slots free")
    if need.judge_id is not None and session.judge_id == need.judge_id:
        reasons.append(f"before the case's judge, {session.judge_name}")
    elif session.judge_name:
        reasons.append(f"before {session.judge_name} (duty calendar: any judge may hear it)")
    if need.due is not None:
        days = (need.due - session.day).days
        what = need.due_text or "the plan's deadline"
        if days > 0:
            reasons.append(f"{days} day{'s' if days != 1 else ''} before {what} ({need.due})")
        elif days == 0:
            reasons.append(f"on the last day of {what} ({need.due})")
        else:
            reasons.append(f"{-days} day{'s' if days != -1 else ''} AFTER {what} ({need.due})")
    if need.attorneys:
        reasons.append("counsel free: " + ", ".join(name for _, name in need.attorneys))
    if need.language:
        if busy.interpreters.get(need.language.casefold()):
            reasons.append(f"a staff {need.language} interpreter is free")
        else:
            reasons.append(
                f"needs a {need.language} interpreter (none on staff: arrange a contract "
                "interpreter)"
            )
    return reasons
