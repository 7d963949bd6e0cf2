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

# The recurring sessions (a session template each per judge): the morning call, afternoons of
# motions, trial afternoons. A trial takes the whole afternoon: one slot time.
SESSION_NAMES = {
    "call": "Arraignment & plea call",
    "motions": "Motions & pretrial",
    "trial": "Trial",
}
SLOT_MINUTES = {"call": 15, "motions": 30, "trial": AFTERNOON[1] - AFTERNOON[0]}

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
        # Weekdays the court is closed for a legal holiday, with the holiday's name.
        self.holidays: dict[date, str] = {
            d: " and ".join(closed.get_list(d)) for d in every if d.weekday() < 5 and d in closed
        }
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
    motions, and two trial afternoons a week in a jury courtroom. Each (judge, kind) is one
    session template; on a legal holiday the template's session is there but closed.

    Hearings take the numbered slots of a session in turn; slot k starts at the session's
    start + (k // per_time) * slot_minutes, as docket.core.scheduling.slot_window says."""

    def __init__(
        self,
        days: CourtDays,
        first: date,
        last: date,
        judges: list[tuple[int, int, int, tuple[int, ...]]],
        capacity: int,
        trial_capacity: int,
        first_id: int,
        first_template_id: int,
    ) -> None:
        """`judges`: (judge id, home courtroom id, jury courtroom id, trial weekdays)."""
        self.days = days
        self.first = first
        self.last = last
        # Per template: id, judge id, courtroom id, kind, ISO weekdays, start and end minute,
        # slot minutes, capacity.
        self.templates: list[tuple[int, int, int, str, list[int], int, int, int, int]] = []
        template_of: dict[tuple[int, str], int] = {}
        for j, (judge_id, home, jury, trial_days) in enumerate(judges):
            weekdays = {
                "call": [d + 1 for d in range(5)],
                "motions": [d + 1 for d in range(4) if d not in trial_days],
                "trial": [d + 1 for d in sorted(trial_days)],
            }
            for kind, room, (start, end), cap in (
                ("call", home, MORNING, capacity),
                ("motions", home, AFTERNOON, capacity),
                ("trial", jury, AFTERNOON, trial_capacity),
            ):
                template_of[j, kind] = len(self.templates)
                self.templates.append(
                    (
                        first_template_id + len(self.templates),
                        judge_id,
                        room,
                        kind,
                        weekdays[kind],
                        start,
                        end,
                        SLOT_MINUTES[kind],
                        cap,
                    )
                )
        # Per session: id, judge id, courtroom id, date, start minute, end minute, kind.
        self.sessions: list[tuple[int, int, int, date, int, int, str]] = []
        self.template: list[int] = []  # index into self.templates
        self.closed_reason: list[str | None] = []
        self.capacity: list[int] = []
        self.per_time: list[int] = []
        self.load: list[int] = []
        self.by_judge: list[dict[date, dict[str, int]]] = [{} for _ in judges]
        holidays = days.holidays
        every = sorted(
            [d for d in days.days if first <= d <= last]
            + [d for d in holidays if first <= d <= last]
        )
        session_id = first_id
        for day in every:
            closed = holidays.get(day)
            iso = day.isoweekday()
            for j in range(len(judges)):
                kinds = self.by_judge[j].setdefault(day, {}) if closed is None else {}
                for kind in ("call", "motions", "trial"):
                    t = template_of[j, kind]
                    template_id, judge_id, room, _, weekdays, start, end, minutes, cap = (
                        self.templates[t]
                    )
                    if iso not in weekdays:
                        continue
                    if closed is None:
                        kinds[kind] = len(self.sessions)
                    self.sessions.append((session_id, judge_id, room, day, start, end, kind))
                    self.template.append(t)
                    self.closed_reason.append(
                        None if closed is None else f"{closed} (legal holiday)"
                    )
                    self.capacity.append(cap)
                    times = max(1, (end - start) // minutes)
                    self.per_time.append(-(-cap // times))
                    self.load.append(0)
                    session_id += 1
        self.overbooked = 0  # hearings placed in a full session (capacity gave way)

    def place(
        self, judge: int, hearing_type: str, earliest: date
    ) -> tuple[int, date, int, int, int]:
        """The first session of `judge` on or after `earliest` that takes `hearing_type` and
        has room: (session index, date, start and end minute of the slot, slot). Past the
        grid's last day it falls back to the last day that has one; with every session full,
        capacity gives way (the slot then repeats one already taken: see `_take`)."""
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
                            return self._take(index)
        for i in range(len(days) - 1, -1, -1):
            slots = schedule.get(days[i])
            if slots:
                for kind in kinds:
                    index = slots.get(kind)
                    if index is not None:
                        return self._take(index)
        raise LookupError(f"no session takes {hearing_type}")

    def _take(self, index: int) -> tuple[int, date, int, int, int]:
        _, _, _, day, start, end, kind = self.sessions[index]
        slot = self.load[index]
        self.load[index] = slot + 1
        capacity = self.capacity[index]
        if slot >= capacity:
            self.overbooked += 1
            slot %= capacity
        begins, ends = self.window(index, slot)
        return index, day, begins, ends, slot

    def release(self, index: int) -> None:
        """Give back the slot the last `place` took in session `index`."""
        self.load[index] -= 1

    def window(self, index: int, slot: int) -> tuple[int, int]:
        """Start and end minute of `slot` (docket.core.scheduling.slot_window, in minutes)."""
        _, _, _, _, start, end, kind = self.sessions[index]
        minutes = SLOT_MINUTES[kind]
        if (end - start) // minutes <= 1:
            return start, end
        begins = start + (slot // self.per_time[index]) * minutes
        return begins, min(begins + minutes, end)


def hearing_types_for(kind: str) -> list[str]:
    return list({"call": CALL_TYPES, "motions": MOTION_TYPES, "trial": TRIAL_TYPES}[kind])
