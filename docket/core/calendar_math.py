"""Court calendars and the arithmetic of time periods: pure, explained, fast.

Everything a deadline needs from the calendar lives here, and every result carries the
plain-English steps a clerk reads beside the date (DESIGN.md, "Time").

Calendars
    `court_calendar()` builds a `CourtCalendar`, an immutable value for one court: Saturdays
    and Sundays, the legal holidays of the `holidays` package for a country and optional
    subdivision (observed days included: a July 4 on a Saturday closes Friday July 3, on a
    Sunday Monday July 5), and the court's own closures with their reasons. The closed days
    of a range of years are computed once, so a query is an index or a dict lookup and never
    calls the `holidays` package.

    A date outside the calendar's years raises `OutsideCalendarError` (a ValueError): the
    calendar does not know the holidays there and will not guess that they are open days.
    It does not extend itself lazily, so that a calendar stays a true value (same answers for
    its whole life, safe to share between threads, no package call in the hot path). The
    default range, 1990 to 2080, covers any case a court has open; build a wider one if needed.

Counting (Fed. R. Crim. P. 45(a))
    `count_forward()` counts a period after a triggering event and `count_backward()` a period
    before an event, in calendar days, court days or calendar months:

    - the day of the event is not counted; the last day is (45(a)(1)(A), (C));
    - calendar days count every day, weekends and holidays included (45(a)(1)(B));
    - if the last day is a Saturday, Sunday, legal holiday or court closure, a forward period
      runs to the next court day (45(a)(1)(C)); a backward period runs to the previous court
      day, reading 45(a)(5)'s "next day" backward. `roll=False` turns this off (a plan may
      say so);
    - court days count only days the court is open, so the result is always a court day;
    - months use calendar-month arithmetic: the same day of the month N months on, or the
      month's last day when it is shorter (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap
      year); then the same roll;
    - an amount of 0 means the event day itself (rolled if closed and rolling is on); a
      negative amount is a ValueError: a period before an event is `count_backward()`.

Clocks (18 U.S.C. 3161(h))
    `merge_periods()` merges inclusive excluded periods as of `today`, and `clock_end()`
    finds the day on which a speedy-trial limit runs out, skipping excluded days, in time
    proportional to the number of periods, not of days.

The core never reads the clock: `today` is always an argument.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays as _holidays

CALENDAR_DAYS = "calendar_days"
COURT_DAYS = "court_days"
MONTHS = "months"
UNITS = (CALENDAR_DAYS, COURT_DAYS, MONTHS)

DEFAULT_FIRST_YEAR = 1990
DEFAULT_LAST_YEAR = 2080

# Weekday names do not come from strftime: that depends on the process locale.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

RULE_45_FORWARD = "Fed. R. Crim. P. 45(a)(1)(C)"
RULE_45_BACKWARD = (
    'Fed. R. Crim. P. 45(a)(5): the "next day" is counted backward for a period '
    "counted backward from an event"
)


class OutsideCalendarError(ValueError):
    """A date the court calendar was not built for: its holidays are unknown."""


def _day(d: date) -> str:
    """'2026-11-26 (Thursday)'."""
    return f"{d.isoformat()} ({WEEKDAYS[d.weekday()]})"


# --------------------------------------------------------------------------------------
# The court calendar
# --------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _package_holidays(
    country: str, subdivision: str | None, categories: tuple[str, ...], first: int, last: int
) -> tuple[tuple[date, str], ...]:
    """The `holidays` package's legal holidays in [first, last], observed days included.

    The package is asked for one year more on each side, because an observed day can fall in
    the neighbouring year (New Year's Day 2028 is a Saturday, observed Friday 2027-12-31).
    Categories are taken in order and a later category only adds dates the earlier ones do
    not have, so a date keeps the name of its first category ("public" before "government").
    """
    try:
        supported = _holidays.list_supported_countries()
    except Exception:  # pragma: no cover - very old package versions
        supported = {}
    if supported and country not in supported:
        raise ValueError(
            f"unknown holiday country {country!r}: the holidays package has no such country "
            "(use an ISO 3166-1 alpha-2 code in capitals, e.g. 'US')"
        )
    names: dict[date, str] = {}
    for category in categories:
        try:
            table = _holidays.country_holidays(
                country,
                subdiv=subdivision,
                years=range(first - 1, last + 2),
                observed=True,
                categories=(category,),
            )
        except NotImplementedError as exc:
            if subdivision is not None and country in supported:
                known = ", ".join(supported[country])
                raise ValueError(
                    f"unknown holiday subdivision {subdivision!r} of {country!r} ({exc}); "
                    f"known subdivisions: {known}"
                ) from None
            raise ValueError(f"unknown holiday calendar {country!r}: {exc}") from None
        except ValueError as exc:
            raise ValueError(
                f"holiday calendar {country!r}"
                + (f"/{subdivision!r}" if subdivision else "")
                + f" has no category {category!r}: {exc}"
            ) from None
        for day in table:
            if first <= day.year <= last and day not in names:
                names[day] = " and ".join(dict.fromkeys(table.get_list(day)))
    return tuple(sorted(names.items()))


@dataclass(frozen=True, slots=True)
class CourtCalendar:
    """When one court is open. Build it with `court_calendar()`.

    A value: two calendars with the same parameters are equal (and hash equal), whatever the
    order closures were given in. The lookup tables are derived in `__post_init__` and take
    no part in equality.
    """

    country: str = "US"
    subdivision: str | None = None
    closures: tuple[tuple[date, str], ...] = ()
    first_year: int = DEFAULT_FIRST_YEAR
    last_year: int = DEFAULT_LAST_YEAR
    categories: tuple[str, ...] = ("public",)

    _base: int = field(init=False, repr=False, compare=False)
    _open: tuple[bool, ...] = field(init=False, repr=False, compare=False)
    _open_ords: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _holiday: dict[int, str] = field(init=False, repr=False, compare=False)
    _closure: dict[int, str] = field(init=False, repr=False, compare=False)
    _weekday_closed: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.first_year > self.last_year:
            raise ValueError(
                f"court calendar years run backward: {self.first_year} to {self.last_year}"
            )
        base = date(self.first_year, 1, 1).toordinal()
        end = date(self.last_year, 12, 31).toordinal()
        holiday = {
            d.toordinal(): name
            for d, name in _package_holidays(
                self.country, self.subdivision, self.categories, self.first_year, self.last_year
            )
        }
        # A closure outside the years is kept in `closures` but cannot be asked about.
        closure = {
            d.toordinal(): reason for d, reason in self.closures if base <= d.toordinal() <= end
        }
        open_days = []
        open_ords = []
        weekday_closed = []
        for o in range(base, end + 1):
            weekend = (o + 6) % 7 >= 5  # date.fromordinal(1) is a Monday
            is_open = not weekend and o not in holiday and o not in closure
            open_days.append(is_open)
            if is_open:
                open_ords.append(o)
            elif not weekend:
                weekday_closed.append(o)
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_open", tuple(open_days))
        object.__setattr__(self, "_open_ords", tuple(open_ords))
        object.__setattr__(self, "_holiday", holiday)
        object.__setattr__(self, "_closure", closure)
        object.__setattr__(self, "_weekday_closed", tuple(weekday_closed))

    # -- lookups --------------------------------------------------------------------------

    def _outside(self, d: date) -> OutsideCalendarError:
        where = self.country + (f"/{self.subdivision}" if self.subdivision else "")
        return OutsideCalendarError(
            f"{d.isoformat()} is outside the court calendar ({where}, years "
            f"{self.first_year}-{self.last_year}): its holidays are not known there. "
            "Build the calendar with a year range that covers it "
            "(court_calendar(first_year=..., last_year=...))."
        )

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if i < 0 or i >= len(self._open):
            raise self._outside(d)
        return i

    def covers(self, d: date) -> bool:
        """Whether `d` is within the calendar's years (so the other methods can answer)."""
        return 0 <= d.toordinal() - self._base < len(self._open)

    def is_court_day(self, d: date) -> bool:
        """A weekday that is neither a legal holiday nor a court closure."""
        i = d.toordinal() - self._base
        if i < 0:
            raise self._outside(d)
        try:
            return self._open[i]
        except IndexError:
            raise self._outside(d) from None

    def why_closed(self, d: date) -> str | None:
        """None on a court day; otherwise every reason the court is closed, joined by "; ".

        "Saturday", "Thanksgiving Day (legal holiday)", "Independence Day (observed) (legal
        holiday)", "court closure: <reason>", or e.g. "Saturday; Independence Day (legal
        holiday)" for a holiday that falls on a weekend.
        """
        i = self._index(d)
        if self._open[i]:
            return None
        weekday, holiday, closure = self.closure_parts(d)
        reasons = [weekday] if weekday else []
        if holiday:
            reasons.append(f"{holiday} (legal holiday)")
        if closure:
            reasons.append(f"court closure: {closure}")
        return "; ".join(reasons)

    def closure_parts(self, d: date) -> tuple[str | None, str | None, str | None]:
        """(weekend day name, legal holiday name, court closure reason), each None if not."""
        weekday = d.weekday()
        o = d.toordinal()
        return (
            WEEKDAYS[weekday] if weekday >= 5 else None,
            self._holiday.get(o),
            self._closure.get(o),
        )

    def next_court_day(self, d: date) -> date:
        """`d` itself if the court is open that day, else the first court day after it."""
        self._index(d)
        k = bisect_left(self._open_ords, d.toordinal())
        if k == len(self._open_ords):
            raise self._outside(date(self.last_year + 1, 1, 1))
        return date.fromordinal(self._open_ords[k])

    def previous_court_day(self, d: date) -> date:
        """`d` itself if the court is open that day, else the last court day before it."""
        self._index(d)
        k = bisect_right(self._open_ords, d.toordinal())
        if k == 0:
            raise self._outside(date(self.first_year - 1, 12, 31))
        return date.fromordinal(self._open_ords[k - 1])

    def nth_court_day_after(self, d: date, n: int) -> date:
        """The n-th court day after `d` (n >= 1); `d` itself is not counted."""
        self._index(d)
        k = bisect_right(self._open_ords, d.toordinal()) + n - 1
        if k >= len(self._open_ords):
            raise self._outside(date(self.last_year + 1, 1, 1))
        return date.fromordinal(self._open_ords[k])

    def nth_court_day_before(self, d: date, n: int) -> date:
        """The n-th court day before `d` (n >= 1); `d` itself is not counted."""
        self._index(d)
        k = bisect_left(self._open_ords, d.toordinal()) - n
        if k < 0:
            raise self._outside(date(self.first_year - 1, 12, 31))
        return date.fromordinal(self._open_ords[k])

    def weekday_closures_between(self, first: date, last: date) -> tuple[date, ...]:
        """Holidays and closures falling Monday to Friday in [first, last], in order."""
        lo = bisect_left(self._weekday_closed, first.toordinal())
        hi = bisect_right(self._weekday_closed, last.toordinal())
        return tuple(date.fromordinal(o) for o in self._weekday_closed[lo:hi])

    def closed_dates(self) -> tuple[tuple[date, str], ...]:
        """Every holiday and closure in the calendar's years, with its reason, in order.

        For snapshotting the resolved table next to a plan, so that an upgrade of the
        `holidays` package cannot silently move a past deadline.
        """
        ords = sorted(self._holiday.keys() | self._closure.keys())
        result = []
        for o in ords:
            d = date.fromordinal(o)
            reason = self.why_closed(d) or ""
            result.append((d, reason))
        return tuple(result)


def court_calendar(
    country: str = "US",
    subdivision: str | None = None,
    closures: Mapping[date, str] | Iterable[tuple[date, str]] | None = None,
    first_year: int = DEFAULT_FIRST_YEAR,
    last_year: int = DEFAULT_LAST_YEAR,
    categories: Iterable[str] = ("public",),
) -> CourtCalendar:
    """Build a court's calendar.

    `country` and `subdivision` name a calendar of the `holidays` package ("US", or "US" and
    "AZ"); an unknown one is a ValueError naming it. `closures` maps the court's own closure
    dates to their reasons ({date(2026, 12, 24): "Christmas Eve closure by administrative
    order 2026-14"}). `categories` are the package's holiday categories; the default is
    "public". A federal court should consider ("public", "government"): the package's
    government category holds executive-order closures (Christmas Eve 2024 and 2025, the
    2025-01-09 day of mourning), which Rule 45(a)(6)(B) makes legal holidays.
    """
    if not isinstance(country, str) or not country:
        raise ValueError(f"holiday country must be a non-empty string, not {country!r}")
    if subdivision is not None and (not isinstance(subdivision, str) or not subdivision):
        raise ValueError(f"holiday subdivision must be a non-empty string, not {subdivision!r}")
    items = closures.items() if isinstance(closures, Mapping) else (closures or ())
    by_day: dict[date, str] = {}
    for day, reason in items:
        if not isinstance(day, date) or hasattr(day, "hour"):
            raise ValueError(f"court closure date must be a date, not {day!r}")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"court closure on {day.isoformat()} needs a reason")
        if day in by_day and by_day[day] != reason.strip():
            raise ValueError(f"court closure on {day.isoformat()} is given twice")
        by_day[day] = reason.strip()
    cats = (categories,) if isinstance(categories, str) else tuple(categories)
    if not cats:
        raise ValueError("holiday categories must not be empty (the default is 'public')")
    return CourtCalendar(
        country=country,
        subdivision=subdivision,
        closures=tuple(sorted(by_day.items())),
        first_year=first_year,
        last_year=last_year,
        categories=cats,
    )


# --------------------------------------------------------------------------------------
# Counting periods
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Computed:
    """A computed date and how it was reached.

    `last_countable_day` is the last day of the period before any roll; `due` is the date
    after the roll (the same day when nothing rolled); `steps` explain it in plain English.
    """

    due: date
    last_countable_day: date
    rolled: bool
    steps: tuple[str, ...]


def add_months(d: date, months: int) -> date:
    """Calendar-month arithmetic: the same day of the month, or the month's last day.

    add_months(2028-01-31, 1) == 2028-02-29; add_months(2027-01-31, 1) == 2027-02-28.
    `months` may be negative.
    """
    total = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise ValueError(f"{months} months from {d.isoformat()} is outside the calendar")
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def _check_amount(amount: int, unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown period unit {unit!r}: use one of {', '.join(UNITS)}")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"a period is a whole number of {unit}, not {amount!r}")
    if amount < 0:
        raise ValueError(
            f"a period cannot be negative ({amount} {unit}); "
            "count a period before an event with count_backward()"
        )


def _amount_words(amount: int, unit: str) -> str:
    noun = {CALENDAR_DAYS: "calendar day", COURT_DAYS: "court day", MONTHS: "month"}[unit]
    return f"{amount} {noun}" + ("" if amount == 1 else "s")


def _closed_phrase(calendar: CourtCalendar, d: date) -> str:
    """'a Sunday', 'Thanksgiving Day (legal holiday)', 'a court closure (reason)', joined."""
    weekday, holiday, closure = calendar.closure_parts(d)
    parts = [f"a {weekday}"] if weekday else []
    if holiday:
        parts.append(f"{holiday} (legal holiday)")
    if closure:
        parts.append(f"a court closure ({closure})")
    return " and ".join(parts)


def _skipped_line(calendar: CourtCalendar, first: date, last: date) -> str | None:
    """A step naming the holidays and closures on weekdays in [first, last], if any."""
    if first > last:
        return None
    days = calendar.weekday_closures_between(first, last)
    if not days:
        return None
    listed = "; ".join(f"{_day(d)}, {_closed_phrase(calendar, d)}" for d in days)
    return f"Also closed in between: {listed}."


def _court_days_lines(
    calendar: CourtCalendar, anchor: date, due: date, amount: int, forward: bool
) -> list[str]:
    if forward:
        first, last = anchor + timedelta(days=1), due
    else:
        first, last = due, anchor - timedelta(days=1)
    span = (last - first).days + 1
    weekday_closed = calendar.weekday_closures_between(first, last)
    weekend = span - amount - len(weekday_closed)
    where = "after" if forward else "before"
    lines = [f"{_amount_words(amount, COURT_DAYS)} {where} it: last day {_day(due)}."]
    skipped = []
    if weekend:
        skipped.append(f"{weekend} weekend day" + ("" if weekend == 1 else "s"))
    skipped += [f"{_day(d)}, {_closed_phrase(calendar, d)}" for d in weekday_closed]
    if skipped:
        lines.append("Not counted: " + "; ".join(skipped) + ".")
    return lines


def _count(
    calendar: CourtCalendar, anchor: date, amount: int, unit: str, roll: bool, forward: bool
) -> Computed:
    _check_amount(amount, unit)
    steps: list[str]
    label = "Trigger" if forward else "Event"
    if amount == 0:
        steps = [
            f"{label}: {_day(anchor)}.",
            f"{_amount_words(0, unit)}: the period ends on the {label.lower()} day itself.",
        ]
        last = anchor
    else:
        steps = [f"{label}: {_day(anchor)}; that day is not counted."]
        if unit == COURT_DAYS:
            last = (
                calendar.nth_court_day_after(anchor, amount)
                if forward
                else calendar.nth_court_day_before(anchor, amount)
            )
            steps += _court_days_lines(calendar, anchor, last, amount, forward)
            return Computed(last, last, False, tuple(steps))
        where = "from" if forward else "before"
        if unit == CALENDAR_DAYS:
            last = date.fromordinal(anchor.toordinal() + (amount if forward else -amount))
            steps.append(f"{_amount_words(amount, unit)} {where} it: last day {_day(last)}.")
        else:
            last = add_months(anchor, amount if forward else -amount)
            text = f"{_amount_words(amount, unit)} {where} it (calendar-month arithmetic): "
            if last.day != anchor.day:
                month = f"{_MONTH_NAMES[last.month]} {last.year}"
                text += f"{month} has no day {anchor.day}, so the last day is its last day, "
                text += f"{_day(last)}."
            else:
                text += f"last day {_day(last)}."
            steps.append(text)

    i = last.toordinal() - calendar._base
    if i < 0 or i >= len(calendar._open):
        raise calendar._outside(last)
    if calendar._open[i]:
        steps.append(f"{last.isoformat()} is a court day: due that day.")
        return Computed(last, last, False, tuple(steps))
    phrase = _closed_phrase(calendar, last)
    if not roll:
        steps.append(
            f"{last.isoformat()} is {phrase}, but this period does not move off closed days "
            f"(the plan says so): due {last.isoformat()}."
        )
        return Computed(last, last, False, tuple(steps))
    if forward:
        due = calendar.next_court_day(last)
        steps.append(
            f"{last.isoformat()} is {phrase}: the period runs to the next court day, "
            f"{due.isoformat()} ({RULE_45_FORWARD})."
        )
        also = _skipped_line(calendar, last + timedelta(days=1), due - timedelta(days=1))
    else:
        due = calendar.previous_court_day(last)
        steps.append(
            f"{last.isoformat()} is {phrase}: a period counted backward runs to the previous "
            f"court day, {due.isoformat()} ({RULE_45_BACKWARD})."
        )
        also = _skipped_line(calendar, due + timedelta(days=1), last - timedelta(days=1))
    if also:
        steps.append(also)
    return Computed(due, last, True, tuple(steps))


def count_forward(
    calendar: CourtCalendar, trigger: date, amount: int, unit: str, roll: bool = True
) -> Computed:
    """The date `amount` `unit`s after `trigger` (Fed. R. Crim. P. 45(a)(1)).

    unit: "calendar_days", "court_days" or "months". The trigger day is not counted; the
    last day is. With `roll`, a last day on a closed day runs to the next court day.
    """
    return _count(calendar, trigger, amount, unit, roll, forward=True)


def count_backward(
    calendar: CourtCalendar, event: date, amount: int, unit: str, roll: bool = True
) -> Computed:
    """The date `amount` `unit`s before `event` ("exhibit lists 7 days before trial").

    The event day is not counted. With `roll`, a last day on a closed day moves earlier, to
    the previous court day (Fed. R. Crim. P. 45(a)(5) reads "next day" backward).
    """
    return _count(calendar, event, amount, unit, roll, forward=False)


# --------------------------------------------------------------------------------------
# Excluded periods and clocks
# --------------------------------------------------------------------------------------

Period = tuple[date, date]


def _validated(periods: Iterable[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
    result = []
    for period in periods:
        start, end = period
        if not isinstance(start, date):
            raise ValueError(f"an excluded period needs a start date, not {start!r}")
        if end is not None:
            if not isinstance(end, date):
                raise ValueError(f"an excluded period ends on a date or None, not {end!r}")
            if end < start:
                raise ValueError(
                    f"excluded period ends ({end.isoformat()}) before it starts "
                    f"({start.isoformat()})"
                )
        result.append((start, end))
    return result


def _merge_sorted(items: list[tuple[date, date, int, bool]]) -> list[list]:
    """Merge (start, end, inputs, open) items; overlapping or adjacent ones become one."""
    items.sort(key=lambda item: (item[0], item[1]))
    merged: list[list] = []
    for start, end, count, is_open in items:
        if merged and start.toordinal() <= merged[-1][1].toordinal() + 1:
            last = merged[-1]
            if end > last[1]:
                last[1] = end
            last[2] += count
            last[3] = last[3] or is_open
        else:
            merged.append([start, end, count, is_open])
    return merged


def merge_periods(periods: Iterable[tuple[date, date | None]], today: date) -> tuple[Period, ...]:
    """Merge inclusive periods (start, end or None) as of `today`.

    An open-ended period (end None) runs to `today` inclusive; every period is cut at
    `today` and one starting after `today` is ignored; overlapping or adjacent periods count
    once. A period ending before it starts is a ValueError. Returns sorted, disjoint,
    non-adjacent (start, end) pairs.
    """
    items = []
    for start, end in _validated(periods):
        if start > today:
            continue
        items.append((start, today if end is None or end > today else end, 1, end is None))
    return tuple((m[0], m[1]) for m in _merge_sorted(items))


@dataclass(frozen=True, slots=True)
class ClockResult:
    """Where a speedy-trial clock stands.

    last_day: the day the `limit_days`-th countable day falls on (no weekend roll: a caller
        that applies Rule 45 shows the rolled day beside it). Provisional when `tolled`.
    days_used: countable days from the day after the start through `today`, at most the limit.
    days_excluded: excluded days between the day after the start and `last_day`.
    tolled: an open-ended exclusion is running today, so the clock is stopped; `last_day`
        assumes it resumes tomorrow.
    excluded: the merged excluded periods that moved `last_day`, clipped to start after the
        clock's start.
    """

    last_day: date
    limit_days: int
    days_used: int
    days_excluded: int
    tolled: bool
    excluded: tuple[Period, ...]
    steps: tuple[str, ...]

    @property
    def days_remaining(self) -> int:
        return self.limit_days - self.days_used


def _days(n: int) -> str:
    return f"{n} day" + ("" if n == 1 else "s")


def clock_end(
    start: date,
    limit_days: int,
    excluded: Iterable[tuple[date, date | None]],
    today: date,
) -> ClockResult:
    """The day a clock of `limit_days` countable days runs out, and where it stands today.

    Day 1 is the day after `start`. Every day inside an excluded period (inclusive; merged,
    so overlaps count once) is not counted; excluded days before day 1 do not matter.

    An open-ended period (end None) excludes through `today` and, if it has begun, stops the
    clock (`tolled`). A period with an end date excludes all its days, including days after
    `today`: the order that set it fixed them, and a deadline that moved every morning could
    not be stored. A period after the clock ran out does not revive it.

    O(number of periods), whatever the length of the clock.
    """
    if isinstance(limit_days, bool) or not isinstance(limit_days, int) or limit_days < 1:
        raise ValueError(
            f"a clock limit is a whole number of days of at least 1, not {limit_days!r}"
        )
    day1 = start + timedelta(days=1)
    items = []
    for p_start, p_end in _validated(excluded):
        if p_end is None:
            if p_start > today:
                continue  # not running yet: nothing to exclude
            items.append((p_start, today, 1, True))
        else:
            items.append((p_start, p_end, 1, False))
    merged = _merge_sorted(items)

    steps = [
        f"Clock start: {_day(start)}; that day is not counted, day 1 is {_day(day1)}.",
        f"Limit: {_days(limit_days)}.",
    ]
    last = start.toordinal() + limit_days
    used_periods: list[Period] = []
    days_excluded = 0
    excluded_to_today = 0
    today_o = today.toordinal()
    day1_o = day1.toordinal()
    tolled_since: date | None = None
    for p_start, p_end, count, is_open in merged:
        s = max(p_start.toordinal(), day1_o)
        e = p_end.toordinal()
        text = f"Excluded {p_start.isoformat()} through {p_end.isoformat()}"
        notes = []
        if count > 1:
            notes.append(f"{count} overlapping or adjacent periods counted once")
        if is_open and p_end == today:
            notes.append(f"open-ended, still running: counted through today, {today.isoformat()}")
        elif is_open:
            notes.append("includes an open-ended period, still running today")
        if e < day1_o:
            if is_open:
                tolled_since = p_start
            steps.append(f"{text}: before day 1, not counted" + _notes(notes) + ".")
            continue
        if s > last:
            steps.append(
                f"{text}: after the clock ran out on {date.fromordinal(last).isoformat()}, "
                "does not extend it" + _notes(notes) + "."
            )
            continue
        if is_open:
            tolled_since = p_start
        length = e - s + 1
        if s > p_start.toordinal():
            notes.append(
                f"{_days(s - p_start.toordinal())} before day 1 not counted, "
                f"so it counts from {date.fromordinal(s).isoformat()}"
            )
        steps.append(f"{text}: {_days(length)}" + _notes(notes) + ".")
        last += length
        days_excluded += length
        used_periods.append((date.fromordinal(s), p_end))
        if s <= today_o:
            excluded_to_today += min(e, today_o) - s + 1
    if not merged:
        steps.append("No excluded days.")
    last_day = date.fromordinal(last)
    days_used = max(0, min(limit_days, today_o - start.toordinal() - excluded_to_today))
    steps.append(
        f"Day {limit_days} is {_day(last_day)}: {_days(limit_days)} counted and "
        f"{_days(days_excluded)} excluded after the start."
    )
    tolled = tolled_since is not None
    if tolled:
        steps.append(
            f"The clock is stopped: days have been excluded without a break since "
            f"{tolled_since.isoformat()} and an open-ended exclusion is still running today. "
            f"{last_day.isoformat()} is provisional: it assumes the open-ended exclusion ends "
            "today, and moves one day later for each further day it runs."
        )
    if today_o <= start.toordinal():
        steps.append(f"As of {today.isoformat()} the clock has not started: 0 days used.")
    else:
        steps.append(
            f"As of {today.isoformat()}: {_days(days_used)} used, "
            f"{_days(limit_days - days_used)} remaining."
        )
    return ClockResult(
        last_day=last_day,
        limit_days=limit_days,
        days_used=days_used,
        days_excluded=days_excluded,
        tolled=tolled,
        excluded=tuple(used_periods),
        steps=tuple(steps),
    )


def _notes(notes: list[str]) -> str:
    return f" ({'; '.join(notes)})" if notes else ""
