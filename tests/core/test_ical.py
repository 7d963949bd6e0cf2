"""The pure feed builder: folding, rule-based time zones, determinism, cancelled hearings."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from docket.core import ical

CHICAGO = ZoneInfo("America/Chicago")


def event(hearing_id=1, start=datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO), **fields):
    values = {
        "hearing_id": hearing_id,
        "court_code": "CIR1",
        "zone": "America/Chicago",
        "starts_at": start.astimezone(UTC),
        "ends_at": (start + timedelta(minutes=30)).astimezone(UTC),
        "updated_at": datetime(2026, 6, 1, 15, 0, tzinfo=UTC),
        "sequence": 2,
        "status": "scheduled",
        "hearing_type": "Arraignment",
        "title": "State v. Rivera",
        "case_number": "2026-CR-000001",
        "judge": "Hon. Adaeze Okafor",
        "counsel": ("Dana Chen (prosecution)", "Luis Moreno (defense)"),
        "courtroom": "3A",
        "building": "Main courthouse",
        "court_name": "First Circuit Court",
        "url": "https://docket.example/cases/1",
        **fields,
    }
    return ical.FeedEvent(**values)


def lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def unfold(body: bytes) -> str:
    return body.decode("utf-8").replace("\r\n ", "")


def test_folding_never_splits_a_character_and_keeps_lines_within_75_octets():
    caption = "State v. Ñúñez-Gómez Åsa Þórsdóttir 李小龍 " * 6 + "終わり"
    body = ical.build_calendar("Feed", [event(title=caption)], (2026,))
    assert b"\n" not in body.replace(b"\r\n", b"")  # CRLF only
    for line in lines(body):
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is valid UTF-8: no character was cut
    assert f"SUMMARY:Arraignment — {caption}" in unfold(body).split("\r\n")
    parsed = icalendar.Calendar.from_ical(body)
    assert str(parsed.walk("VEVENT")[0]["SUMMARY"]) == f"Arraignment — {caption}"


def test_calendar_header_and_event_properties():
    body = ical.build_calendar("Hearings: Luis Moreno", [event()], (2026,))
    text = unfold(body).split("\r\n")
    for expected in (
        "VERSION:2.0",
        "PRODID:-//Docket//Hearing feeds//EN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Hearings: Luis Moreno",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "UID:hearing-1@cir1.docket",
        "DTSTAMP:20260601T150000Z",
        "LAST-MODIFIED:20260601T150000Z",
        "SEQUENCE:2",
        "STATUS:CONFIRMED",
        "DTSTART;TZID=America/Chicago:20260713T090000",
        "DTEND;TZID=America/Chicago:20260713T093000",
        "LOCATION:Courtroom 3A\\, Main courthouse\\, First Circuit Court",
    ):
        assert expected in text
    description = next(line for line in text if line.startswith("DESCRIPTION:"))
    assert "Case 2026-CR-000001" in description
    assert "Judge: Hon. Adaeze Okafor" in description
    assert "Luis Moreno (defense)" in description
    assert "https://docket.example/cases/1" in description


def test_identical_input_gives_identical_bytes_whatever_the_order():
    events = [event(1), event(2, start=datetime(2026, 2, 2, 9, 0, tzinfo=CHICAGO))]
    first = ical.build_calendar("Feed", events, (2026, 2027))
    second = ical.build_calendar("Feed", list(reversed(events)), (2026, 2027))
    assert first == second
    uids = [line for line in lines(first) if line.startswith(b"UID:")]
    assert uids == [b"UID:hearing-2@cir1.docket", b"UID:hearing-1@cir1.docket"]  # by start


@pytest.mark.parametrize(
    ("status", "ical_status", "prefix"),
    [
        ("scheduled", "CONFIRMED", ""),
        ("held", "CONFIRMED", ""),
        ("vacated", "CANCELLED", "VACATED: "),
        ("continued", "CANCELLED", "CONTINUED: "),
    ],
)
def test_status_and_title_prefix(status, ical_status, prefix):
    body = ical.build_calendar("Feed", [event(status=status)], (2026,))
    vevent = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == ical_status
    assert str(vevent["SUMMARY"]) == f"{prefix}Arraignment — State v. Rivera"


def test_chicago_rules_are_second_sunday_of_march_and_first_sunday_of_november():
    standard, daylight = ical.zone_rules("America/Chicago", (2025, 2026, 2027))
    assert (standard.kind, standard.month, standard.byday, standard.at) == (
        "STANDARD",
        11,
        "1SU",
        time(2, 0),
    )
    assert (daylight.kind, daylight.month, daylight.byday, daylight.at) == (
        "DAYLIGHT",
        3,
        "2SU",
        time(2, 0),
    )
    assert standard.offset_from == daylight.offset_to == timedelta(hours=-5)
    assert standard.offset_to == daylight.offset_from == timedelta(hours=-6)
    body = ical.build_calendar("Feed", [event()], (2026, 2027))
    text = unfold(body)
    assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in text
    assert "RDATE" not in text  # not icalendar's generated zone


def test_phoenix_has_a_single_standard_observance():
    (only,) = ical.zone_rules("America/Phoenix", (2026, 2027))
    assert only.kind == "STANDARD"
    assert only.offset_from == only.offset_to == timedelta(hours=-7)
    assert only.month is None
    start = datetime(2026, 7, 13, 9, 0, tzinfo=ZoneInfo("America/Phoenix"))
    body = ical.build_calendar("Feed", [event(zone="America/Phoenix", start=start)], (2026,))
    text = unfold(body)
    assert "BEGIN:DAYLIGHT" not in text and "RRULE" not in text
    assert "DTSTART;TZID=America/Phoenix:20260713T090000" in text


def test_european_and_southern_rules_use_last_and_first_weekdays():
    berlin = {o.kind: o for o in ical.zone_rules("Europe/Berlin", (2026, 2027, 2028))}
    assert (berlin["DAYLIGHT"].month, berlin["DAYLIGHT"].byday) == (3, "-1SU")
    assert (berlin["STANDARD"].month, berlin["STANDARD"].byday) == (10, "-1SU")
    sydney = {o.kind: o for o in ical.zone_rules("Australia/Sydney", (2026, 2027))}
    assert (sydney["DAYLIGHT"].month, sydney["STANDARD"].month) == (10, 4)


@pytest.mark.parametrize(
    "local",
    [
        datetime(2026, 1, 15, 9, 0, tzinfo=CHICAGO),
        datetime(2026, 3, 8, 10, 0, tzinfo=CHICAGO),  # the day clocks spring forward
        datetime(2026, 3, 9, 9, 0, tzinfo=CHICAGO),
        datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO),
        datetime(2026, 11, 1, 10, 0, tzinfo=CHICAGO),  # the day clocks fall back
        datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO),
        datetime(2027, 3, 14, 9, 0, tzinfo=CHICAGO),
    ],
)
def test_vobject_reads_the_rule_based_zone_at_the_right_instant(local):
    start = local
    body = ical.build_calendar("Feed", [event(start=start)], (2026, 2027))
    parsed = vobject.readOne(body.decode("utf-8"))
    assert parsed.vevent.dtstart.value.astimezone(UTC) == start.astimezone(UTC)
    assert parsed.vevent.dtend.value.astimezone(UTC) == (start + timedelta(minutes=30)).astimezone(
        UTC
    )


def test_ambiguous_local_time_is_written_in_utc():
    # 01:30 on 2026-11-01 happens twice in Chicago: the second one (CST) is meant here.
    start = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    body = ical.build_calendar("Feed", [event(start=start.astimezone(CHICAGO))], (2026,))
    assert "DTSTART:20261101T073000Z" in unfold(body)


def test_zone_whose_rules_change_inside_the_window_falls_back_to_utc():
    # America/Santiago, Africa/Casablanca etc. change rules; Casablanca has many changes.
    assert ical.zone_rules("Africa/Casablanca", (2026, 2027)) is None
    start = datetime(2026, 7, 13, 9, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
    # Even a one-year window is checked against the next year's rules too.
    body = ical.build_calendar("Feed", [event(zone="Africa/Casablanca", start=start)], (2026,))
    text = unfold(body)
    assert "BEGIN:VTIMEZONE" not in text
    assert f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%S}Z" in text


def test_nth_weekday():
    from datetime import date

    assert ical.nth_weekday(2026, 3, "2SU") == date(2026, 3, 8)
    assert ical.nth_weekday(2026, 11, "1SU") == date(2026, 11, 1)
    assert ical.nth_weekday(2026, 3, "-1SU") == date(2026, 3, 29)
    assert ical.nth_weekday(1970, 3, "2SU") == date(1970, 3, 8)


def test_fast_writer_is_byte_identical_to_icalendar():
    import random

    rng = random.Random(7)
    alphabet = "aZ 9é漢😀\\^,;:\n\"'"
    events = []
    for n in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 160)))
        start = datetime(2026, 1, 1, 15, 0, tzinfo=UTC) + timedelta(hours=7 * n + n % 3)
        events.append(
            event(
                n,
                start=start,
                zone=rng.choice(["America/Chicago", "America/Phoenix", "Africa/Casablanca"]),
                status=rng.choice(list(ical.STATUSES)),
                title=text,
                counsel=(text[:20],) if n % 2 else (),
                building=None if n % 5 == 0 else text[:30],
                url=None if n % 4 == 0 else f"https://docket.example/cases/{n}",
            )
        )
    assert ical.build_calendar("Feed", events, (2026, 2027)) == ical.build_calendar_reference(
        "Feed", events, (2026, 2027)
    )
