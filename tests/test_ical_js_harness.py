"""The ical.js harness (tests/ical_js.py) reads what it should, and shows why Docket writes its
own RRULE-based VTIMEZONE instead of the one icalendar 7 generates.

These tests need node and `npm ci --prefix tests/js`; without them they skip with the reason,
and under DOCKET_REQUIRE_ICALJS=1 (CI) they fail instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests import ical_js
from tests.ical_js import IcalJsError, parse_with_icaljs, require_icaljs, utc

CHICAGO = ZoneInfo("America/Chicago")

# America/Chicago as RFC 5545 rules: DST from the second Sunday of March to the first Sunday
# of November (the US rules since 2007).
CHICAGO_RRULE_VTIMEZONE = """\
BEGIN:VTIMEZONE
TZID:America/Chicago
BEGIN:DAYLIGHT
TZOFFSETFROM:-0600
TZOFFSETTO:-0500
TZNAME:CDT
DTSTART:20070311T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0500
TZOFFSETTO:-0600
TZNAME:CST
DTSTART:20071104T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
"""


def _calendar(*parts: str) -> bytes:
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Docket//ical.js harness test//EN\n"
    body += "".join(parts) + "END:VCALENDAR\n"
    return body.replace("\n", "\r\n").encode("utf-8")


def _vevent(uid: str, *lines: str) -> str:
    head = f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20260101T000000Z\n"
    return head + "\n".join(lines) + "\nEND:VEVENT\n"


def _chicago_event(uid: str, day: str) -> str:
    return _vevent(
        uid,
        f"DTSTART;TZID=America/Chicago:{day}T090000",
        f"DTEND;TZID=America/Chicago:{day}T100000",
        "SUMMARY:Status conference",
    )


@pytest.fixture
def icaljs():
    require_icaljs()
    return parse_with_icaljs


# --- the RRULE VTIMEZONE that Docket emits ------------------------------------------------


def test_rrule_vtimezone_resolves_chicago_local_times(icaljs):
    ics = _calendar(
        CHICAGO_RRULE_VTIMEZONE,
        _chicago_event("summer@test", "20260713"),
        _chicago_event("winter@test", "20260113"),
        # The days daylight saving starts (March 8) and ends (November 1) in 2026.
        _chicago_event("spring-forward@test", "20260308"),
        _chicago_event("fall-back@test", "20261101"),
    )

    events = {event["uid"]: event for event in icaljs(ics)}

    assert {uid: (e["start_utc"], e["end_utc"]) for uid, e in events.items()} == {
        "summer@test": ("2026-07-13T14:00:00Z", "2026-07-13T15:00:00Z"),
        "winter@test": ("2026-01-13T15:00:00Z", "2026-01-13T16:00:00Z"),
        "spring-forward@test": ("2026-03-08T14:00:00Z", "2026-03-08T15:00:00Z"),
        "fall-back@test": ("2026-11-01T15:00:00Z", "2026-11-01T16:00:00Z"),
    }
    # The same instants zoneinfo gives for 09:00 in Chicago on those days.
    for uid, day in [
        ("summer@test", (2026, 7, 13)),
        ("winter@test", (2026, 1, 13)),
        ("spring-forward@test", (2026, 3, 8)),
        ("fall-back@test", (2026, 11, 1)),
    ]:
        assert utc(events[uid]["start_utc"]) == datetime(*day, 9, 0, tzinfo=CHICAGO)


def test_events_come_back_in_file_order_with_no_optional_fields(icaljs):
    ics = _calendar(
        _vevent("first@test", "DTSTART:20260713T140000Z"),
        _vevent("second@test", "DTSTART:20260714T140000Z", "DURATION:PT90M"),
    )

    assert icaljs(ics) == [
        {
            "uid": "first@test",
            "start_utc": "2026-07-13T14:00:00Z",
            # RFC 5545: a DATE-TIME DTSTART with neither DTEND nor DURATION ends when it starts.
            "end_utc": "2026-07-13T14:00:00Z",
            "status": None,
            "sequence": None,
            "summary": None,
        },
        {
            "uid": "second@test",
            "start_utc": "2026-07-14T14:00:00Z",
            "end_utc": "2026-07-14T15:30:00Z",
            "status": None,
            "sequence": None,
            "summary": None,
        },
    ]


# --- UTC times, STATUS, SEQUENCE, SUMMARY --------------------------------------------------


def test_utc_event_status_sequence_and_summary_come_through(icaljs):
    # A long non-ASCII SUMMARY folded at 75 octets between characters, as the feeds write it.
    summary = "VACATED: Motion hearing — État c. Müller, José Ñúñez and the people of Zürich"
    summary_line = icalendar.Event()
    summary_line.add("summary", summary)
    folded = summary_line.to_ical().decode("utf-8").replace("\r\n", "\n")
    folded = folded.removeprefix("BEGIN:VEVENT\n").removesuffix("END:VEVENT\n").rstrip("\n")
    assert "\n " in folded  # really folded

    ics = _calendar(
        _vevent(
            "vacated@test",
            "DTSTART:20260713T140000Z",
            "DTEND:20260713T150000Z",
            "STATUS:CANCELLED",
            "SEQUENCE:3",
            folded,
        ),
        _vevent(
            "confirmed@test",
            "DTSTART:20260115T153000Z",
            "DTEND:20260115T163000Z",
            "STATUS:CONFIRMED",
            "SEQUENCE:0",
            "SUMMARY:Arraignment",
        ),
    )

    assert icaljs(ics) == [
        {
            "uid": "vacated@test",
            "start_utc": "2026-07-13T14:00:00Z",
            "end_utc": "2026-07-13T15:00:00Z",
            "status": "CANCELLED",
            "sequence": 3,
            "summary": summary,
        },
        {
            "uid": "confirmed@test",
            "start_utc": "2026-01-15T15:30:00Z",
            "end_utc": "2026-01-15T16:30:00Z",
            "status": "CONFIRMED",
            "sequence": 0,
            "summary": "Arraignment",
        },
    ]


# --- the VTIMEZONE icalendar 7 generates: why Docket does not use it ----------------------


def _icalendar_generated_calendar() -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Docket//ical.js harness test//EN")
    cal.add("version", "2.0")
    for uid, start in [
        ("summer@test", datetime(2026, 7, 13, 9, 0, tzinfo=CHICAGO)),
        ("winter@test", datetime(2026, 1, 13, 9, 0, tzinfo=CHICAGO)),
    ]:
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(hours=1))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def test_icalendar_generated_vtimezone_is_misread_by_icaljs(icaljs):
    ics = _icalendar_generated_calendar()
    text = ics.decode("utf-8")
    # icalendar 7 writes the zone as one DAYLIGHT and one STANDARD block, each a DTSTART in
    # 1970 plus a single RDATE property listing every later transition up to 2037.
    assert "TZID:America/Chicago" in text
    assert "RDATE:" in text and "RRULE:" not in text

    # icalendar itself (and zoneinfo) put 09:00 Chicago in July at 14:00 UTC.
    mine = {
        str(event["uid"]): event.decoded("dtstart").astimezone(UTC)
        for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")
    }
    assert mine == {
        "summer@test": datetime(2026, 7, 13, 14, 0, tzinfo=UTC),
        "winter@test": datetime(2026, 1, 13, 15, 0, tzinfo=UTC),
    }

    events = {event["uid"]: event for event in icaljs(ics)}

    # WRONG, on purpose: ical.js 2.2.1 reads only the first value of a multi-valued RDATE
    # (Timezone._expandComponent takes rdate.getFirstValue()), so this zone's last transition
    # is 1971-10-31 to CST and every later summer hearing comes out an hour late: 15:00Z
    # instead of 14:00Z. This is the bug issue 7 warns about, and the reason Docket emits its
    # own RRULE VTIMEZONE (see test_rrule_vtimezone_resolves_chicago_local_times).
    assert events["summer@test"]["start_utc"] == "2026-07-13T15:00:00Z"
    assert events["summer@test"]["end_utc"] == "2026-07-13T16:00:00Z"
    # Winter is right only because CST is the offset ical.js is stuck on.
    assert events["winter@test"]["start_utc"] == "2026-01-13T15:00:00Z"


# --- failures are loud ---------------------------------------------------------------------


def test_tzid_without_vtimezone_is_an_error(icaljs):
    ics = _calendar(_chicago_event("orphan@test", "20260713"))

    with pytest.raises(IcalJsError, match="TZID=America/Chicago.*no VTIMEZONE"):
        icaljs(ics)


def test_unparsable_input_is_an_error(icaljs):
    with pytest.raises(IcalJsError, match="ical.js failed"):
        icaljs(b"BEGIN:VCALENDAR\r\nTHIS IS NOT ICALENDAR\r\n")


# --- skip locally, fail on CI --------------------------------------------------------------


def test_require_icaljs_skips_without_node(monkeypatch):
    monkeypatch.setattr(ical_js.shutil, "which", lambda name: None)
    monkeypatch.delenv("DOCKET_REQUIRE_ICALJS", raising=False)

    with pytest.raises(pytest.skip.Exception, match="node is not on PATH"):
        require_icaljs()


def test_require_icaljs_fails_without_package_when_required(monkeypatch, tmp_path):
    monkeypatch.setattr(ical_js, "PACKAGE", tmp_path / "node_modules" / "ical.js")
    monkeypatch.setattr(ical_js.shutil, "which", lambda name: "/usr/bin/node")
    monkeypatch.setenv("DOCKET_REQUIRE_ICALJS", "1")

    with pytest.raises(pytest.fail.Exception, match=r"DOCKET_REQUIRE_ICALJS=1 but .*npm ci"):
        require_icaljs()
