"""The batch auto-scheduler: place many hearings at once, meeting as many plan deadlines as the
calendar allows, and never breaking a rule a clerk's booking would refuse.

Pure. The rules are docket.core.scheduling's: every candidate slot is checked with the same
`conflicts()` a clerk's proposals and bookings use, and every placement is added to the `Busy`
state (`Busy.add_booking`), so a later hearing sees counsel, the defendant and the interpreters
the earlier ones took. The batch avoids soft conflicts too: it cannot give the override reason a
clerk would have to.

The algorithm (chosen by measurement, see bench/README.md, "Batch scheduler"):

1. Earliest deadline first: needs ordered by due date (needs without a deadline last), the less
   flexible first on a tie (the case's own judge before "any judge"). Each goes to the earliest
   slot with no conflict; where any judge may hear it, between sessions on the same day the
   judge with the lightest load wins (an even load across judges).
2. Repair: for each need that missed its deadline or found no slot, look at the slots on or
   before its deadline; where one is held by a hearing this batch placed and that hearing can
   move to another slot still meeting its own deadline (it has slack), move it and take its
   slot. The work is bounded (a number of tries per need and in all).

Sessions are indexed by (judge, hearing type) and by hearing type, sorted by start, with a
pointer per index past the sessions already full, and each session keeps its free slots, so a
need looks at few sessions: 10,000 hearings over 2,400 sessions take a few seconds.

`baseline()` is what clerks do by hand, for comparison: cases in number order, each to the first
available slot with no hard conflict.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from docket.core.scheduling import (
    CONFLICT_KINDS,
    Booking,
    Busy,
    Conflict,
    Need,
    Session,
    conflicts,
    slot_window,
    times_in,
)

# Unplaced reasons that are not a conflict kind.
NO_SESSION = "no_session"
FULL = "full"
REASON_LABELS = {
    NO_SESSION: "No session in the window takes it",
    FULL: "Every session that takes it is full",
    **{kind: label for kind, (_, label) in CONFLICT_KINDS.items()},
}

# Repair budget: occupants tried per late need, and conflict checks in all (per 1,000 needs).
REPAIR_TRIES_PER_NEED = 40
REPAIR_CHECKS_PER_1000 = 3_000


@dataclass(frozen=True, slots=True)
class Placement:
    need: Need
    session: Session
    slot: int
    starts_at: datetime
    ends_at: datetime

    @property
    def meets_deadline(self) -> bool | None:
        """None: the need has no deadline."""
        return None if self.need.due is None else self.session.day <= self.need.due


@dataclass(frozen=True, slots=True)
class Unplaced:
    need: Need
    code: str  # NO_SESSION, FULL or the conflict kind that blocked most free slots
    reason: str

    @property
    def label(self) -> str:
        return REASON_LABELS.get(self.code, self.code)


@dataclass
class Quality:
    """How good an assignment is: what a clerk weighs before applying it."""

    needs: int = 0
    placed: int = 0
    unplaced: int = 0
    with_deadline: int = 0  # needs that have a deadline, placed or not
    met: int = 0  # placed on or before their deadline
    late: int = 0  # placed after their deadline
    moved_in_repair: int = 0
    load: dict[int, int] = field(default_factory=dict)  # judge id -> hearings this batch placed
    judge_names: dict[int, str] = field(default_factory=dict)
    unplaced_by_reason: dict[str, int] = field(default_factory=dict)  # label -> count

    @property
    def met_share(self) -> float | None:
        return None if not self.with_deadline else self.met / self.with_deadline

    def load_by_name(self) -> list[tuple[str, int]]:
        return sorted(
            ((self.judge_names.get(j) or f"Judge #{j}", n) for j, n in self.load.items()),
            key=lambda item: (-item[1], item[0]),
        )

    def lines(self) -> list[str]:
        """The summary in a clerk's words (the CLI prints these)."""
        share = self.met_share
        out = [
            f"Hearings needed: {self.needs}",
            f"Placed: {self.placed}",
            f"Unplaced: {self.unplaced}",
            "Deadlines met: "
            + (
                f"{self.met}/{self.with_deadline} ({share:.1%})"
                if share is not None
                else "no deadlines"
            ),
        ]
        if self.late:
            out.append(f"Placed after the deadline: {self.late}")
        if self.moved_in_repair:
            out.append(f"Moved to make room for a deadline: {self.moved_in_repair}")
        for label, count in sorted(self.unplaced_by_reason.items(), key=lambda i: (-i[1], i[0])):
            out.append(f"Unplaced, {label}: {count}")
        for name, count in self.load_by_name():
            out.append(f"Load, {name}: {count}")
        return out


@dataclass
class Assignment:
    placements: list[Placement]
    unplaced: list[Unplaced]
    quality: Quality

    def digest(self) -> str:
        """A fingerprint of what would be written: the apply step refuses if a re-run differs
        from the dry run the clerk saw."""
        parts = sorted(
            f"P{p.need.case_id}:{p.need.hearing_type}:{p.session.id}:{p.slot}"
            for p in self.placements
        ) + sorted(f"U{u.need.case_id}:{u.need.hearing_type}:{u.code}" for u in self.unplaced)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def need_key(need: Need) -> tuple[int, str]:
    return (need.case_id, need.hearing_type)


def edf_order(need: Need) -> tuple:
    """Earliest deadline first; no deadline last; the case's own judge before any judge."""
    return (
        need.due is None,
        need.due or date.max,
        need.any_judge or need.judge_id is None,
        need.case_number,
        need.case_id,
        need.hearing_type,
    )


def number_order(need: Need) -> tuple:
    return (need.case_number, need.case_id, need.hearing_type)


class _Board:
    """The sessions, indexed for the search, and the batch's placements so far."""

    def __init__(
        self, sessions: Iterable[Session], busy: Busy, now: datetime, avoid_soft: bool
    ) -> None:
        self.busy = busy
        self.now = now
        self.avoid_soft = avoid_soft
        self.checks = 0
        live = sorted(
            (s for s in sessions if s.open and s.ends_at > now),
            key=lambda s: (s.starts_at, s.courtroom_id, s.id),
        )
        self.index: dict[tuple[int | None, str], list[Session]] = defaultdict(list)
        for session in live:
            for hearing_type in sorted(session.hearing_types):
                self.index[(session.judge_id, hearing_type)].append(session)
                self.index[(None, hearing_type)].append(session)
        self.days = {key: [s.day for s in lst] for key, lst in self.index.items()}
        self.position = {
            (key, s.id): i for key, lst in self.index.items() for i, s in enumerate(lst)
        }
        self.head: dict[tuple[int | None, str], int] = dict.fromkeys(self.index, 0)
        self.free: dict[int, list[int]] = {}
        self.per_time: dict[int, int] = {}
        self.load: Counter[int] = Counter()
        self.judge_names: dict[int, str] = {}
        for session in live:
            taken = busy.taken.get(session.id, ())
            self.free[session.id] = [n for n in range(session.capacity) if n not in taken]
            self.per_time[session.id] = -(-session.capacity // times_in(session))
            self.load[session.judge_id] += session.capacity - len(self.free[session.id])
            self.judge_names[session.judge_id] = session.judge_name
        self.placed: dict[tuple[int, str], Placement] = {}
        self.bookings: dict[tuple[int, str], Booking] = {}
        self.occupant: dict[tuple[int, int], Need] = {}  # (session id, slot) -> need
        self.batch_load: Counter[int] = Counter()
        self._synthetic = 0

    # -- the search ----------------------------------------------------------------------

    def key_for(self, need: Need) -> tuple[int | None, str]:
        if need.any_judge or need.judge_id is None:
            return (None, need.hearing_type)
        return (need.judge_id, need.hearing_type)

    def fits(self, need: Need, session: Session, slot: int, blocked: Counter | None) -> bool:
        self.checks += 1
        found = conflicts(need, session, slot, self.busy, self.now)
        if not found:
            return True
        if not self.avoid_soft and not any(c.hard for c in found):
            return True
        if blocked is not None:
            blocked.update({c.kind for c in found})
        return False

    def first_fit(self, need: Need, session: Session, blocked: Counter | None) -> int | None:
        """The first free slot of `session` the need can take. Free slots at the same time have
        the same conflicts, so one is checked per time."""
        per_time = self.per_time[session.id]
        tried: set[int] = set()
        for slot in self.free[session.id]:
            window = slot // per_time
            if window in tried:
                continue
            tried.add(window)
            if self.fits(need, session, slot, blocked):
                return slot
        return None

    def find(
        self,
        need: Need,
        *,
        until: date | None = None,
        balance: bool = True,
        blocked: Counter | None = None,
        seen: list[int] | None = None,
    ) -> tuple[Session, int] | None:
        """The earliest (session, slot) the need can take, on or before `until` if given.
        Where any judge may hear it and `balance`, the least-loaded judge among the sessions of
        the earliest day that has room."""
        key = self.key_for(need)
        lst = self.index.get(key)
        if not lst:
            return None
        head = self.head[key]
        while head < len(lst) and not self.free[lst[head].id]:
            head += 1
        self.head[key] = head
        start = head
        if need.not_before is not None:
            start = max(start, bisect_left(self.days[key], need.not_before))
        group_by_day = balance and key[0] is None
        i = start
        n = len(lst)
        while i < n:
            session = lst[i]
            if until is not None and session.day > until:
                return None
            if seen is not None:
                seen[0] += 1
            if not self.free[session.id]:
                i += 1
                continue
            if not group_by_day:
                slot = self.first_fit(need, session, blocked)
                if slot is not None:
                    return session, slot
                i += 1
                continue
            j = i
            day = session.day
            group = []
            while j < n and lst[j].day == day:
                if self.free[lst[j].id]:
                    group.append(lst[j])
                j += 1
            group.sort(key=lambda s: (self.load[s.judge_id], s.starts_at, s.courtroom_id, s.id))
            for candidate in group:
                slot = self.first_fit(need, candidate, blocked)
                if slot is not None:
                    return candidate, slot
            i = j
        return None

    def first_free_day(self, key: tuple[int | None, str]) -> date | None:
        """The day of the first session in the index with a free slot (None: none)."""
        lst = self.index.get(key, [])
        for i in range(self.head.get(key, 0), len(lst)):
            if self.free[lst[i].id]:
                return lst[i].day
        return None

    # -- changing the board ---------------------------------------------------------------

    def place(self, need: Need, session: Session, slot: int) -> Placement:
        start, end = slot_window(session, slot)
        key = need_key(need)
        if need.hearing_id is not None:
            hearing_id = need.hearing_id
        else:
            self._synthetic += 1
            hearing_id = -self._synthetic
        booking = Booking(
            hearing_id=hearing_id,
            case_id=need.case_id,
            caption=need.caption or need.case_number,
            courtroom_id=session.courtroom_id,
            courtroom_name=session.courtroom_name,
            session_id=session.id,
            starts_at=start,
            ends_at=end,
            language=need.language,
        )
        self.busy.add_booking(booking, _attorney_ids(need), need.persons, slot)
        self.free[session.id].remove(slot)
        placement = Placement(need, session, slot, start, end)
        self.placed[key] = placement
        self.bookings[key] = booking
        self.occupant[(session.id, slot)] = need
        self.load[session.judge_id] += 1
        self.batch_load[session.judge_id] += 1
        return placement

    def unplace(self, need: Need) -> Placement:
        key = need_key(need)
        placement = self.placed.pop(key)
        booking = self.bookings.pop(key)
        session, slot = placement.session, placement.slot
        self.busy.remove_booking(booking, _attorney_ids(need), need.persons, slot)
        free = self.free[session.id]
        free.append(slot)
        free.sort()
        del self.occupant[(session.id, slot)]
        self.load[session.judge_id] -= 1
        self.batch_load[session.judge_id] -= 1
        for hearing_type in session.hearing_types:
            for index_key in ((session.judge_id, hearing_type), (None, hearing_type)):
                position = self.position[(index_key, session.id)]
                if position < self.head[index_key]:
                    self.head[index_key] = position
        return placement

    # -- why a need found no slot --------------------------------------------------------

    def why_not(self, need: Need, blocked: Counter, looked: int) -> Unplaced:
        judge = " before the case's judge" if self.key_for(need)[0] is not None else ""
        lst = self.index.get(self.key_for(need), [])
        if need.not_before is not None:
            lst = [s for s in lst if s.day >= need.not_before]
        if not lst:
            return Unplaced(
                need,
                NO_SESSION,
                f"No open session in the window takes this hearing type{judge}.",
            )
        if not blocked:
            return Unplaced(
                need, FULL, f"Every session in the window that takes it{judge} is full."
            )
        kind, count = max(blocked.items(), key=lambda item: (item[1], item[0]))
        others = ", ".join(
            f"{CONFLICT_KINDS[k][1].lower()} ({n})" for k, n in sorted(blocked.items()) if k != kind
        )
        reason = f"Every free time conflicts: {CONFLICT_KINDS[kind][1].lower()} ({count} times)"
        return Unplaced(need, kind, reason + (f"; also {others}." if others else "."))


def _attorney_ids(need: Need) -> tuple[int, ...]:
    return tuple(attorney_id for attorney_id, _ in need.attorneys)


def _place_all(
    board: _Board, needs: list[Need], balance: bool, on_time_first: bool
) -> dict[tuple, Unplaced]:
    """Place each need at its earliest slot. `on_time_first`: a need that cannot meet its
    deadline waits until every need that can has its slot, so that a late hearing never takes
    the slot an on-time one needed (under overload, placing it at once starts a cascade)."""
    unplaced: dict[tuple, Unplaced] = {}
    waiting = []
    for need in needs:
        if on_time_first:
            if need.due is None:
                waiting.append(need)
                continue
            found = board.find(need, until=need.due, balance=balance)
            if found is None:
                waiting.append(need)
            else:
                board.place(need, *found)
            continue
        waiting.append(need)
    for need in waiting:
        blocked: Counter = Counter()
        seen = [0]
        found = board.find(need, balance=balance, blocked=blocked, seen=seen)
        if found is None:
            unplaced[need_key(need)] = board.why_not(need, blocked, seen[0])
        else:
            board.place(need, *found)
    return unplaced


def _repair(board: _Board, needs: list[Need], unplaced: dict[tuple, Unplaced]) -> int:
    """Give needs that missed their deadline a slot on time by moving a hearing with slack.
    Returns how many hearings were moved."""
    budget = board.checks + REPAIR_CHECKS_PER_1000 * max(1, len(needs)) // 1000
    moved = 0
    for need in needs:
        if need.due is None or board.checks > budget:
            continue
        key = need_key(need)
        late = board.placed.get(key)
        if late is None and key not in unplaced:
            continue
        if late is not None and late.session.day <= need.due:
            continue
        lst = board.index.get(board.key_for(need), [])
        if late is not None:
            board.unplace(need)
        done = _repair_one(board, need, lst, budget)
        if done:
            moved += 1
            unplaced.pop(key, None)
        elif late is not None:
            board.place(need, late.session, late.slot)
    return moved


def _repair_one(board: _Board, need: Need, sessions: list[Session], budget: int) -> bool:
    tries = 0
    no_slack: dict[tuple, date] = {}  # index key -> a deadline no occupant could meet
    first_room: dict[tuple, date | None] = {}  # index key -> first day with a free slot
    start = 0
    if need.not_before is not None:
        start = bisect_left([s.day for s in sessions], need.not_before)
    for session in sessions[start:]:
        if session.day > need.due or board.checks > budget:
            return False
        if session.starts_at <= board.now:
            continue
        # A slot freed by an earlier repair.
        slot = board.first_fit(need, session, None)
        if slot is not None:
            board.place(need, session, slot)
            return True
        for slot in range(session.capacity):
            other = board.occupant.get((session.id, slot))
            if other is None:
                continue
            # An occupant already late may go anywhere; one on time must stay on time.
            until = other.due if other.due is not None and other.due >= session.day else None
            other_key = board.key_for(other)
            if until is not None and until <= no_slack.get(other_key, date.min):
                continue
            if other_key not in first_room:
                first_room[other_key] = board.first_free_day(other_key)
            room = first_room[other_key]
            if room is None or until is not None and room > until:
                continue  # nowhere for it to go (nothing changes until a repair succeeds)
            tries += 1
            if tries > REPAIR_TRIES_PER_NEED:
                return False
            board.unplace(other)
            if not board.fits(need, session, slot, None):
                board.place(other, session, slot)
                continue
            board.place(need, session, slot)
            alternative = board.find(other, until=until, balance=False)
            if alternative is not None:
                board.place(other, *alternative)
                return True
            board.unplace(need)
            board.place(other, session, slot)
            if (
                until is not None
                and not other.attorneys
                and not other.persons
                and not other.language
                and other.not_before is None
            ):
                # Only capacity kept it (no person of its own to conflict): an occupant of the
                # same index with a deadline no later cannot move either.
                no_slack[other_key] = until
    return False


def _quality(board: _Board, needs: list[Need], unplaced: dict, moved: int) -> Quality:
    quality = Quality(needs=len(needs), moved_in_repair=moved)
    quality.placed = len(board.placed)
    quality.unplaced = len(unplaced)
    for need in needs:
        if need.due is None:
            continue
        quality.with_deadline += 1
        placement = board.placed.get(need_key(need))
        if placement is None:
            continue
        if placement.session.day <= need.due:
            quality.met += 1
        else:
            quality.late += 1
    quality.load = {j: n for j, n in sorted(board.batch_load.items()) if n}
    quality.judge_names = {j: board.judge_names.get(j, "") for j in quality.load}
    quality.unplaced_by_reason = dict(Counter(u.label for u in unplaced.values()))
    return quality


def _result(board: _Board, needs: list[Need], unplaced: dict, moved: int) -> Assignment:
    placements = sorted(
        board.placed.values(),
        key=lambda p: (p.starts_at, p.session.courtroom_id, p.slot, p.need.case_number),
    )
    order = {need_key(n): i for i, n in enumerate(needs)}
    missing = sorted(unplaced.values(), key=lambda u: order[need_key(u.need)])
    return Assignment(placements, missing, _quality(board, needs, unplaced, moved))


def _unique(needs: Iterable[Need]) -> list[Need]:
    seen: dict[tuple, Need] = {}
    for need in needs:
        key = need_key(need)
        if key in seen:
            raise ValueError(f"Case {need.case_id} needs {need.hearing_type} twice.")
        seen[key] = need
    return list(seen.values())


def assign(
    needs: Iterable[Need],
    sessions: Iterable[Session],
    busy: Busy,
    now: datetime,
    *,
    avoid_soft: bool = True,
    repair: bool = True,
) -> Assignment:
    """Place every need it can: earliest deadline first, then repair. `busy` must know the
    sessions (Busy.add_session) and the hearings already booked; it is not changed."""
    ordered = sorted(_unique(needs), key=edf_order)
    board = _Board(sessions, busy.copy(), now, avoid_soft)
    unplaced = _place_all(board, ordered, balance=True, on_time_first=True)
    moved = _repair(board, ordered, unplaced) if repair else 0
    return _result(board, ordered, unplaced, moved)


def baseline(
    needs: Iterable[Need],
    sessions: Iterable[Session],
    busy: Busy,
    now: datetime,
    *,
    avoid_soft: bool = False,
) -> Assignment:
    """What clerks do by hand: cases in number order, each to the first available slot with no
    hard conflict (soft conflicts taken with an override, as a clerk may)."""
    ordered = sorted(_unique(needs), key=number_order)
    board = _Board(sessions, busy.copy(), now, avoid_soft)
    unplaced = _place_all(board, ordered, balance=False, on_time_first=False)
    return _result(board, ordered, unplaced, 0)


def verify(
    assignment: Assignment, busy: Busy, now: datetime, *, avoid_soft: bool = True
) -> list[tuple[Placement, list[Conflict]]]:
    """Every placement re-checked with conflicts() against everything else (the hearings
    already booked and every other placement): the broken ones, with their conflicts. Soft
    conflicts count only when `avoid_soft`. A slot given twice shows as a capacity conflict."""
    state = busy.copy()
    bookings = []
    slots: dict[int, Counter[int]] = defaultdict(Counter)
    for number, placement in enumerate(assignment.placements, start=1):
        start, end = slot_window(placement.session, placement.slot)
        need = placement.need
        booking = Booking(
            hearing_id=need.hearing_id if need.hearing_id is not None else -number,
            case_id=need.case_id,
            caption=need.caption or need.case_number,
            courtroom_id=placement.session.courtroom_id,
            courtroom_name=placement.session.courtroom_name,
            session_id=placement.session.id,
            starts_at=start,
            ends_at=end,
            language=need.language,
        )
        bookings.append(booking)
        slots[placement.session.id][placement.slot] += 1
        state.add_booking(booking, _attorney_ids(need), need.persons)
    broken = []
    for placement, booking in zip(assignment.placements, bookings, strict=True):
        need, session = placement.need, placement.session
        state.remove_booking(booking, _attorney_ids(need), need.persons)
        taken = state.taken[session.id]
        before = set(taken)
        taken.update(n for n in slots[session.id] if n != placement.slot)
        found = [
            c for c in conflicts(need, session, placement.slot, state, now) if c.hard or avoid_soft
        ]
        if slots[session.id][placement.slot] > 1:
            found.append(Conflict("capacity", "That slot is given twice."))
        taken.clear()
        taken.update(before)
        state.add_booking(booking, _attorney_ids(need), need.persons)
        if found:
            broken.append((placement, found))
    return broken
