"""The demo court's days and calendar sessions, and local-time arithmetic for instants.

Pure Python (no database): the story code asks it where a hearing of a given type can sit,
and it keeps count of how full each session is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

MORNING = (9 * 60, 12 * 60)  # 9:00-12:00 local
AFTERNOON = (13 * 60 + 30, 16 * 60 + 30)  # 13:30-16:30 local
SLOT_MINUTES = 15

# Which session kinds take which hearing types, in order of preference.
CALL_TYPES = (
    "initial_appearance",
    "arraignment",
    "detention",
    "status_conference",
    "change_of_plea",
    "sentencing",
)
MOTION_TYPES = (
    "motion",
    "pretrial_conference",
    "status_conference",
    "change_of_plea",
    "sentencing",
)
TRIAL_TYPES = ("trial",)
KINDS_FOR_TYPE = {
    "initial_appearance": ("call",),
    "arraignment": ("call",),
    "detention": ("call",),
    "status_conference": ("call", "motions"),
    "change_of_plea": ("motions", "call"),
    "sentencing": ("call", "motions"),
    "motion": ("motions",),
    "pretrial_conference": ("motions",),
    "trial": ("trial",),
}
DURATION = {
    "initial_appearance": 15,
    "arraignment": 15,
    "detention": 30,
    "status_conference": 15,
    "change_of_plea": 30,
    "sentencing": 30,
    "motion": 30,
    "pretrial_conference": 30,
    "trial": AFTERNOON[1] - AFTERNOON[0],  # a trial takes the whole afternoon session
}


class CourtTime:
    """Local wall-clock times on court days to aware UTC instants, DST included.

    Business hours never contain a DST transition (they happen at 2 a.m.), so the offset at
    noon is the offset all day; caching it per date makes each instant one addition.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._minutes: dict[date, list[datetime | None]] = {}

    def at(self, day: date, minute_of_day: int) -> datetime:
        """The instant at `minute_of_day` minutes after local midnight (the same instants recur
        millions of times in a large court, so each is made once)."""
        minutes = self._minutes.get(day)
        if minutes is None:
            minutes = self._minutes[day] = [None] * (24 * 60)
        instant = minutes[minute_of_day]
        if instant is None:
            offset = datetime(day.year, day.month, day.day, 12, tzinfo=self.zone).utcoffset()
            base = datetime(day.year, day.month, day.day, tzinfo=UTC) - offset
            instant = minutes[minute_of_day] = base + timedelta(minutes=minute_of_day)
        return instant


class CourtDays:
    """Weekdays that are not Illinois holidays, with a fast 'this day or the next court day'."""

    def __init__(self, first: date, last: date) -> None:
        closed = holidays.country_holidays(
            "US", subdiv="IL", years=range(first.year, last.year + 1)
        )
        self.first = first
        self.last = last
        span = (last - first).days + 1
        every = [first + timedelta(days=n) for n in range(span)]
        self.days: list[date] = [d for d in every if d.weekday() < 5 and d not in closed]
        self.index: dict[date, int] = {d: i for i, d in enumerate(self.days)}
        self._roll: dict[date, date] = {}
        following = None
        for day in reversed(every):
            if day in self.index:
                following = day
            if following is not None:
                self._roll[day] = following

    def roll(self, day: date) -> date:
        """The day itself if the court sits, else the next court day (FRCrP 45(a)-style)."""
        rolled = self._roll.get(day)
        if rolled is not None:
            return rolled
        if day < self.first:
            return self.days[0]
        # Past the range: weekends only, which is all the story needs that far out.
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day


class SessionGrid:
    """Every judge's sessions: a morning call each court day in their courtroom, afternoons of
    motions, and two trial afternoons a week in a jury courtroom."""

    def __init__(
        self,
        days: CourtDays,
        first: date,
        last: date,
        judges: list[tuple[int, int, int, tuple[int, ...]]],
        capacity: int,
        trial_capacity: int,
        first_id: int,
    ) -> None:
        """`judges`: (judge id, home courtroom id, jury courtroom id, trial weekdays)."""
        self.days = days
        self.first = first
        self.last = last
        # Per session: id, judge id, courtroom id, date, start minute, end minute, kind.
        self.sessions: list[tuple[int, int, int, date, int, int, str]] = []
        self.capacity: list[int] = []
        self.load: list[int] = []
        self.by_judge: list[dict[date, dict[str, int]]] = [{} for _ in judges]
        session_id = first_id
        for day in days.days:
            if day < first or day > last:
                continue
            for j, (judge_id, home, jury, trial_days) in enumerate(judges):
                kinds = self.by_judge[j].setdefault(day, {})
                plan = [("call", home, MORNING, capacity)]
                if day.weekday() in trial_days:
                    plan.append(("trial", jury, AFTERNOON, trial_capacity))
                elif day.weekday() < 4:  # Friday afternoons stay free for chambers work
                    plan.append(("motions", home, AFTERNOON, capacity))
                for kind, room, (start, end), cap in plan:
                    kinds[kind] = len(self.sessions)
                    self.sessions.append((session_id, judge_id, room, day, start, end, kind))
                    self.capacity.append(cap)
                    self.load.append(0)
                    session_id += 1

    def place(self, judge: int, hearing_type: str, earliest: date) -> tuple[int, date, int, int]:
        """The first session of `judge` on or after `earliest` that takes `hearing_type` and
        has room: (session index, date, start minute, end minute). Past the grid's last day it
        falls back to the last day that has one; with every session full, capacity gives way."""
        kinds = KINDS_FOR_TYPE[hearing_type]
        schedule = self.by_judge[judge]
        days = self.days.days
        day = self.days.roll(max(earliest, self.first))
        start = self.days.index.get(day)
        if start is not None:
            for respect_capacity in (True, False):
                for i in range(start, len(days)):
                    d = days[i]
                    if d > self.last:
                        break
                    slots = schedule.get(d)
                    if not slots:
                        continue
                    for kind in kinds:
                        index = slots.get(kind)
                        if index is not None and (
                            not respect_capacity or self.load[index] < self.capacity[index]
                        ):
                            return self._take(index, hearing_type)
        for i in range(len(days) - 1, -1, -1):
            slots = schedule.get(days[i])
            if slots:
                for kind in kinds:
                    index = slots.get(kind)
                    if index is not None:
                        return self._take(index, hearing_type)
        raise LookupError(f"no session takes {hearing_type}")

    def _take(self, index: int, hearing_type: str) -> tuple[int, date, int, int]:
        _, _, _, day, start, end, _ = self.sessions[index]
        taken = self.load[index]
        self.load[index] = taken + 1
        duration = DURATION[hearing_type]
        slots = (end - start - duration) // SLOT_MINUTES + 1
        begins = start + (taken % slots) * SLOT_MINUTES
        return index, day, begins, begins + duration


def hearing_types_for(kind: str) -> list[str]:
    return list({"call": CALL_TYPES, "motions": MOTION_TYPES, "trial": TRIAL_TYPES}[kind])
