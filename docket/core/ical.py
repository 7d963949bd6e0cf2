"""iCalendar (RFC 5545) feeds of hearings, built from plain records: no database, no clock.

The same input always gives the same bytes (DTSTAMP and LAST-MODIFIED are the hearing's own
last change, never "now"), so an unchanged feed is byte-identical from one poll to the next.

Time zones. icalendar's own VTIMEZONE for a zone is a long list of RDATEs, which Mozilla's
ical.js and vobject misread (a July 09:00 Chicago hearing comes out an hour late). We write
a rule-based VTIMEZONE instead: one STANDARD and one DAYLIGHT observance, each with a yearly
RRULE (BYMONTH, BYDAY = nth or last weekday) derived from the zone's transitions in the
years the feed covers, with TZID = the IANA name. A zone without daylight saving gets a
single STANDARD. Where the rules cannot be expressed that way (the zone changed its rules
inside the window, or has more than two transitions a year), or for a local time that is
ambiguous or skipped (the hour the clocks change), the event is written in UTC instead,
which every client reads the same.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

PRODID = "-//Docket//Hearing feeds//EN"
REFRESH = timedelta(hours=1)
# Vacated and continued hearings stay this long (as CANCELLED) after their last change.
CANCELLED_STAYS = timedelta(days=14)

# Hearing status -> (iCalendar STATUS, title prefix). A continued hearing awaiting its new
# date is cancelled for that date; once placed in a new slot it is scheduled again.
STATUSES = {
    "scheduled": ("CONFIRMED", ""),
    "held": ("CONFIRMED", ""),
    "vacated": ("CANCELLED", "VACATED: "),
    "continued": ("CANCELLED", "CONTINUED: "),
}
CANCELLED_STATUSES = tuple(s for s, (ical, _) in STATUSES.items() if ical == "CANCELLED")

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class FeedEvent:
    """One hearing as a feed shows it. `title` is the caption, or "Sealed case <number>"
    where the subscriber may not see the sealed details (the caller decides)."""

    hearing_id: int
    court_code: str
    zone: str  # the court's IANA zone
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    updated_at: datetime  # aware: DTSTAMP and LAST-MODIFIED
    sequence: int
    status: str  # scheduled / held / continued / vacated
    hearing_type: str  # its label, e.g. "Arraignment"
    title: str
    case_number: str | None = None
    judge: str | None = None
    counsel: tuple[str, ...] = ()
    courtroom: str | None = None
    building: str | None = None
    court_name: str | None = None
    court_address: str | None = None
    url: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def uid(self) -> str:
        return f"hearing-{self.hearing_id}@{self.court_code.lower()}.docket"


@dataclass(frozen=True)
class Observance:
    """One half of a rule-based VTIMEZONE: from `offset_from` to `offset_to` at `at` (wall
    clock, before the change) on the `byday` weekday of `month` every year."""

    kind: str  # STANDARD / DAYLIGHT
    name: str
    offset_from: timedelta
    offset_to: timedelta
    month: int | None = None
    byday: str | None = None
    at: time = time(0, 0)

    def first_onset(self) -> datetime:
        """DTSTART: the rule's first occurrence in 1970 (none for a zone without DST)."""
        if self.month is None:
            return datetime(1970, 1, 1)  # noqa: DTZ001  (a VTIMEZONE's local DTSTART)
        return datetime.combine(nth_weekday(1970, self.month, self.byday), self.at)


def nth_weekday(year: int, month: int, byday: str) -> date:
    """The date of an RRULE BYDAY like "2SU" (second Sunday) or "-1SU" (last Sunday)."""
    n, weekday = int(byday[:-2]), WEEKDAYS.index(byday[-2:])
    days = _calendar.monthrange(year, month)[1]
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year, month, days)
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset()


def transitions(zone_name: str, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """Every change of UTC offset in `year`: (instant UTC, offset before, offset after)."""
    zone = ZoneInfo(zone_name)
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = _offset(zone, day)
    while day < end:
        following = day + timedelta(days=1)
        after = _offset(zone, following)
        if after != before:
            low, high = day, following  # offset(low) == before, offset(high) == after
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    break
                if _offset(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            found.append((high, before, after))
        before = after
        day = following
    return found


def observances(zone_name: str, year: int) -> tuple[Observance, ...] | None:
    """The zone's rules in `year` as RRULE observances, or None if two yearly rules cannot
    express them (more than two changes, or an odd one)."""
    zone = ZoneInfo(zone_name)
    changes = transitions(zone_name, year)
    if not changes:
        jan = datetime(year, 1, 1, 12, tzinfo=UTC).astimezone(zone)
        offset = jan.utcoffset()
        return (Observance("STANDARD", jan.tzname() or zone_name, offset, offset),)
    if len(changes) != 2:
        return None
    result = []
    for instant, before, after in changes:
        local_after = instant.astimezone(zone)
        wall = (instant + before).replace(tzinfo=None)  # the clock face before the change
        days = _calendar.monthrange(wall.year, wall.month)[1]
        n = -1 if wall.day + 7 > days else (wall.day - 1) // 7 + 1
        byday = f"{n}{WEEKDAYS[wall.weekday()]}"
        kind = "DAYLIGHT" if local_after.dst() else "STANDARD"
        result.append(
            Observance(
                kind, local_after.tzname() or kind, before, after, wall.month, byday, wall.time()
            )
        )
    if {o.kind for o in result} != {"STANDARD", "DAYLIGHT"}:
        return None
    return tuple(sorted(result, key=lambda o: o.kind, reverse=True))  # STANDARD first


@lru_cache(maxsize=256)
def zone_rules(zone_name: str, years: tuple[int, ...]) -> tuple[Observance, ...] | None:
    """Rules that hold in every one of `years` (the years the feed's window covers), or None
    when the zone's rules differ between them or cannot be written as RRULEs."""
    rules = {observances(zone_name, year) for year in years}
    if len(rules) != 1:
        return None
    return rules.pop()


def vtimezone(zone_name: str, rules: Sequence[Observance]) -> Timezone:
    component = Timezone()
    component.add("TZID", zone_name)
    for rule in rules:
        part = TimezoneStandard() if rule.kind == "STANDARD" else TimezoneDaylight()
        part.add("DTSTART", rule.first_onset())
        part.add("TZOFFSETFROM", rule.offset_from)
        part.add("TZOFFSETTO", rule.offset_to)
        part.add("TZNAME", rule.name)
        if rule.month is not None:
            part.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": rule.month, "BYDAY": rule.byday})
        component.add_component(part)
    return component


def is_unambiguous(local: datetime) -> bool:
    """False for a wall-clock time the clocks pass twice (fall back) or skip (spring
    forward): such an event is written in UTC."""
    zone = local.tzinfo
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        return False
    return first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def summary(event: FeedEvent) -> str:
    prefix = STATUSES[event.status][1]
    return f"{prefix}{event.hearing_type} — {event.title}"


def location(event: FeedEvent) -> str:
    room = f"Courtroom {event.courtroom}" if event.courtroom else None
    parts = (room, event.building, event.court_name, event.court_address)
    return ", ".join(part for part in parts if part)


def description(event: FeedEvent) -> str:
    lines = []
    if event.case_number:
        lines.append(f"Case {event.case_number}")
    if event.judge:
        lines.append(f"Judge: {event.judge}")
    if event.counsel:
        lines.append("Counsel: " + "; ".join(event.counsel))
    lines.extend(event.notes)
    if event.url:
        lines.append(event.url)
    return "\n".join(lines)


def feed_years(first_day: date, last_day: date) -> tuple[int, ...]:
    return tuple(range(first_day.year, last_day.year + 1))


def build_calendar(name: str, events: Iterable[FeedEvent], years: Sequence[int]) -> bytes:
    """The VCALENDAR for `events`, CRLF line ends and 75-octet folding, never inside a
    multi-byte character. `years` are the years the feed's window covers: the rule-based
    VTIMEZONEs must hold in all of them.

    Everything is written by icalendar; each VEVENT's bytes are memoized (`vevent_bytes`), so
    the calendar is its head plus the events joined (byte for byte what icalendar writes for
    the whole calendar: tests/core/test_ical.py compares it with `build_calendar_reference`)."""
    events, rules, head = _prepare(name, events, years)
    body = head.to_ical(sorted=False)
    end = b"END:VCALENDAR\r\n"
    assert body.endswith(end)
    parts = [body[: -len(end)]]
    for event in events:
        parts.append(vevent_bytes(event, rules[event.zone]))
    parts.append(end)
    return b"".join(parts)


def build_calendar_reference(name: str, events: Iterable[FeedEvent], years: Sequence[int]) -> bytes:
    """The same calendar made entirely by icalendar's components: the reference the fast
    writer is tested against."""
    events, rules, cal = _prepare(name, events, years)
    for event in events:
        cal.add_component(vevent(event, rules[event.zone]))
    return cal.to_ical(sorted=False)


def _prepare(name: str, events: Iterable[FeedEvent], years: Sequence[int]):
    events = sorted(events, key=lambda e: (e.starts_at, e.hearing_id))
    # The next year too: a rule read off one year must hold beyond it (Ramadan-based or
    # changing rules do not, and fall back to UTC).
    years = tuple(range(min(years), max(years) + 2))
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", name)
    cal.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", "PT1H")
    rules = {zone: zone_rules(zone, years) for zone in sorted({e.zone for e in events})}
    for zone, zone_rule in rules.items():
        if zone_rule is not None:
            cal.add_component(vtimezone(zone, zone_rule))
    return events, rules, cal


def _properties(event: FeedEvent, rules) -> list[tuple[str, object]]:
    """The VEVENT's properties, in order (None = left out)."""
    where = location(event)
    return [
        ("UID", event.uid),
        ("DTSTAMP", event.updated_at.astimezone(UTC)),
        ("LAST-MODIFIED", event.updated_at.astimezone(UTC)),
        ("SEQUENCE", event.sequence),
        ("STATUS", STATUSES[event.status][0]),
        ("DTSTART", _local_or_utc(event.starts_at, event.zone, rules)),
        ("DTEND", _local_or_utc(event.ends_at, event.zone, rules)),
        ("SUMMARY", summary(event)),
        ("LOCATION", where or None),
        ("DESCRIPTION", description(event)),
        ("URL", event.url),
        ("TRANSP", "OPAQUE"),
    ]


def vevent(event: FeedEvent, rules) -> Event:
    component = Event()
    for name, value in _properties(event, rules):
        if value is not None:
            component.add(name, value)
    return component


# About 700 bytes each: 20,000 events are some 14 MB per process.
VEVENT_CACHE_SIZE = 20_000


@lru_cache(maxsize=VEVENT_CACHE_SIZE)
def vevent_bytes(event: FeedEvent, rules) -> bytes:
    """One VEVENT's bytes as icalendar writes them (escaping, CRLF, 75-octet folding that never
    splits a character), memoized: the key is everything the bytes are made of (the frozen event
    and its zone's rules), so a hit can never be stale. icalendar spends about 0.4 ms per
    event; feeds are polled hourly and share hearings (the attorney's, the judge's, the
    courtroom's feed), so most events of a feed were written before."""
    return vevent(event, rules).to_ical(sorted=False)


def _local_or_utc(instant: datetime, zone: str, rules) -> datetime:
    if rules is not None:
        local = instant.astimezone(ZoneInfo(zone))
        if is_unambiguous(local):
            return local
    return instant.astimezone(UTC)
