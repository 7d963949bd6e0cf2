"""The deadline engine (docket.core.deadlines): hand-worked examples and properties.

Every example states its arithmetic. Calendars used (US federal holidays, holidays 0.109):

         March 2026              April 2026               May 2026
    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
                       1           1  2  3  4  5                 1  2  3
     2  3  4  5  6  7  8     6  7  8  9 10 11 12     4  5  6  7  8  9 10
     9 10 11 12 13 14 15    13 14 15 16 17 18 19    11 12 13 14 15 16 17
    16 17 18 19 20 21 22    20 21 22 23 24 25 26    18 19 20 21 22 23 24
    23 24 25 26 27 28 29    27 28 29 30             25 26 27 28 29 30 31
    30 31

          June 2026              July 2026             November 2026
    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
     1  2  3  4  5  6  7           1  2  3  4  5                       1
     8  9 10 11 12 13 14     6  7  8  9 10 11 12     2  3  4  5  6  7  8
    15 16 17 18 19 20 21    13 14 15 16 17 18 19     9 10 11 12 13 14 15
    22 23 24 25 26 27 28    20 21 22 23 24 25 26    16 17 18 19 20 21 22
    29 30                   27 28 29 30 31          23 24 25 26 27 28 29
                                                    30
        December 2026           January 2027
    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
        1  2  3  4  5  6                 1  2  3
     7  8  9 10 11 12 13     4  5  6  7  8  9 10
    14 15 16 17 18 19 20    11 12 13 14 15 16 17
    21 22 23 24 25 26 27    18 19 20 21 22 23 24
    28 29 30 31             25 26 27 28 29 30 31

Holidays: 2026-05-25 Mon Memorial Day; 2026-07-03 Fri Independence Day (observed);
2026-11-26 Thu Thanksgiving; 2026-12-25 Fri Christmas; 2027-01-01 Fri New Year's Day.
Day counts from a start: March has 31 days, April 30, May 31, June 30, July 31.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docket.core.calendar_math import court_calendar
from docket.core.deadlines import (
    CaseFacts,
    Event,
    Excludable,
    Filing,
    ScheduledHearing,
    Severance,
    compute,
)
from docket.core.plan import parse_plan

D = date.fromisoformat
FEDERAL = court_calendar("US", categories=("public", "government"), first_year=2020, last_year=2035)

HEADER = """
[plan]
id = "test"
name = "Test plan"
citation = "Test order"
court = "Test court"
effective = 2020-01-01
time_zone = "America/Chicago"

[plan.holidays]
country = "US"
categories = ["public", "government"]

[[tracks]]
id = "complex"
name = "Complex"
designation = "complex"

[[tracks]]
id = "standard"
name = "Standard"
"""


def make_plan(body: str):
    return parse_plan(HEADER + body)


def run(plan, today, events=(), **facts):
    facts.setdefault("filed", D("2026-01-05"))
    case = CaseFacts(events=tuple(events), **facts)
    return {(r.id, r.defendant): r for r in compute(plan, case, D(today), FEDERAL)}


def ev(kind, on, defendant=None):
    return Event(kind, D(on), defendant)


# --- stages ------------------------------------------------------------------------------------

STAGES = make_plan(
    """
[[stages]]
id = "indictment"
name = "Indictment"
trigger = { events = ["arrest", "summons_served"] }
period = { days = 30 }
satisfied_by = ["indictment_filed", "information_filed"]

[[stages]]
id = "motions"
name = "Pretrial motions"
trigger = { events = ["arraignment_held"] }
period = { days = 28 }
period_by_track = { complex = { days = 60 } }
satisfied_by = ["motion_filed"]
cancelled_by = ["plea_entered"]

[[stages]]
id = "conference"
name = "Pretrial conference"
trigger = { events = ["stage:motions"] }
period = { days = 21 }
satisfied_by = ["pretrial_conference_held"]
hearing_type = "pretrial_conference"

[[stages]]
id = "discovery"
name = "Discovery conference"
trigger = { events = ["arraignment_held"] }
period = { court_days = 10 }
satisfied_by = ["discovery_disclosed"]

[[stages]]
id = "trial_setting"
name = "Trial within three months"
trigger = { events = ["arraignment_held"] }
period = { months = 1 }
satisfied_by = ["trial_commenced"]

[[stages]]
id = "exhibits"
name = "Exhibit lists"
trigger = { events = ["hearing:trial"] }
period = { days = 8 }
direction = "before"
satisfied_by = ["pretrial_conference_held"]

[[stages]]
id = "complex_status"
name = "Complex-case status conference"
trigger = { events = ["arraignment_held"] }
period = { days = 14 }
satisfied_by = ["pretrial_conference_held"]
tracks = ["complex"]
"""
)


def test_stage_rolls_off_thanksgiving():
    """Arrest Tue 2026-10-27; 30 days: Oct 28-31 is 4, November 1-26 is 26 more, so day 30 is
    Thu 2026-11-26, Thanksgiving: runs to Fri 2026-11-27. As of Sun 2026-11-01: 26 days left."""
    r = run(STAGES, "2026-11-01", [ev("arrest", "2026-10-27")])[("indictment", None)]
    assert (r.due, r.status, r.days_remaining) == (D("2026-11-27"), "pending", 26)
    assert r.last_countable_day == D("2026-11-26")
    assert any("Thanksgiving" in line for line in r.explanation)
    assert r.warn_on == D("2026-11-20")  # 7 days before (the default warn_days)


def test_stage_rolls_off_weekend():
    """Arrest Thu 2026-10-01 + 30 days = Sat 2026-10-31 -> Mon 2026-11-02."""
    r = run(STAGES, "2026-10-05", [ev("arrest", "2026-10-01")])[("indictment", None)]
    assert (r.due, r.last_countable_day) == (D("2026-11-02"), D("2026-10-31"))
    assert any("Saturday" in line for line in r.explanation)


def test_stage_earliest_of_two_sources():
    """Summons served Mon 2026-03-02, arrest Mon 2026-03-09: the earliest, 03-02, counts:
    + 30 days = Wed 2026-04-01 (March 3-31 is 29 days, April 1 the 30th)."""
    r = run(STAGES, "2026-03-10", [ev("arrest", "2026-03-09"), ev("summons_served", "2026-03-02")])[
        ("indictment", None)
    ]
    assert r.due == D("2026-04-01")
    assert "earliest of 2 sources" in r.explanation[0]


def test_backward_stage_sunday_moves_to_friday():
    """Trial scheduled Mon 2026-12-14; exhibit lists 8 days before: Sun 2026-12-06, a closed
    day: a backward period moves earlier, to Fri 2026-12-04."""
    r = run(STAGES, "2026-11-20", hearings=(ScheduledHearing("trial", D("2026-12-14")),))[
        ("exhibits", None)
    ]
    assert (r.due, r.last_countable_day, r.status) == (D("2026-12-04"), D("2026-12-06"), "pending")
    assert r.days_remaining == 14


def test_backward_stage_uses_earliest_scheduled_trial_day():
    """Two trial days scheduled, Mon 2026-12-14 and Tue 12-15; the trigger picks the earliest
    (the default): 12-14 - 8 days = Sun 12-06 -> Fri 12-04."""
    hearings = (
        ScheduledHearing("trial", D("2026-12-15")),
        ScheduledHearing("trial", D("2026-12-14")),
    )
    r = run(STAGES, "2026-11-20", hearings=hearings)[("exhibits", None)]
    assert r.due == D("2026-12-04")


def test_court_day_stage_across_new_year():
    """Arraignment Mon 2026-12-21; 10 court days: Dec 22 (1), 23 (2), 24 (3), Fri 25 is
    Christmas, 28 (4), 29 (5), 30 (6), 31 (7), Fri Jan 1 New Year's Day, Jan 4 (8), 5 (9),
    6 (10): Wed 2027-01-06."""
    r = run(STAGES, "2026-12-22", [ev("arraignment_held", "2026-12-21")])[("discovery", None)]
    assert r.due == D("2027-01-06")
    text = " ".join(r.explanation)
    assert "Christmas" in text and "New Year" in text


def test_month_stage_short_month_then_weekend():
    """Arraignment Fri 2026-01-30 + 1 month: February has no 30th, so its last day, Sat
    2026-02-28; Saturday -> Mon 2026-03-02."""
    r = run(STAGES, "2026-02-01", [ev("arraignment_held", "2026-01-30")])[("trial_setting", None)]
    assert (r.last_countable_day, r.due) == (D("2026-02-28"), D("2026-03-02"))


def test_track_specific_period():
    """Arraignment Mon 2026-03-02. Standard: 28 days = Mon 2026-03-30. Complex (designation
    'complex' assigns the complex track): 60 days = March 29 + April 30 + May 1 = Fri
    2026-05-01."""
    events = [ev("arraignment_held", "2026-03-02")]
    standard = run(STAGES, "2026-03-03", events)[("motions", None)]
    complex_ = run(STAGES, "2026-03-03", events, designation="complex")[("motions", None)]
    assert standard.due == D("2026-03-30")
    assert complex_.due == D("2026-05-01")
    assert any("Track 'complex'" in line for line in complex_.explanation)


def test_stage_from_another_stage():
    """Motions due Mon 2026-03-30 (above); the conference is 21 days after that due date:
    Mon 2026-04-20. A pretrial conference hearing scheduled Wed 04-22 is noted as after it."""
    r = run(
        STAGES,
        "2026-03-03",
        [ev("arraignment_held", "2026-03-02")],
        hearings=(ScheduledHearing("pretrial_conference", D("2026-04-22")),),
    )[("conference", None)]
    assert r.due == D("2026-04-20")
    assert "after the due date" in r.explanation[-1]


def test_stage_met_on_time():
    """Arrest Mon 2026-03-02 + 30 = Wed 2026-04-01; indictment Fri 03-20: met, 12 days early."""
    r = run(
        STAGES, "2026-05-01", [ev("arrest", "2026-03-02"), ev("indictment_filed", "2026-03-20")]
    )[("indictment", None)]
    assert (r.status, r.met_on, r.days_remaining) == ("met", D("2026-03-20"), 12)


def test_stage_met_late():
    """Due Wed 2026-04-01 (above); information filed Mon 04-06: met late, 5 days over."""
    r = run(
        STAGES, "2026-05-01", [ev("arrest", "2026-03-02"), ev("information_filed", "2026-04-06")]
    )[("indictment", None)]
    assert (r.status, r.met_on, r.days_remaining) == ("met_late", D("2026-04-06"), -5)
    assert any("Met late" in line for line in r.explanation)


def test_stage_missed():
    """Due Wed 2026-04-01, nothing filed, today Fri 04-10: missed, 9 days over."""
    r = run(STAGES, "2026-04-10", [ev("arrest", "2026-03-02")])[("indictment", None)]
    assert (r.status, r.days_remaining) == ("missed", -9)


def test_stage_waiting_for_trigger():
    """No arraignment yet: no due date, pending, and the explanation says what it waits for."""
    r = run(STAGES, "2026-04-10")[("motions", None)]
    assert (r.status, r.due) == ("pending", None)
    assert r.explanation[0].startswith("Waiting for Arraignment held")
    conference = run(STAGES, "2026-04-10")[("conference", None)]
    assert conference.due is None and "Waiting for the due date" in conference.explanation[0]


def test_stage_not_applicable_on_other_track():
    """The complex status conference applies only to the complex track."""
    r = run(STAGES, "2026-04-10", [ev("arraignment_held", "2026-03-02")])[("complex_status", None)]
    assert r.status == "not_applicable" and r.due is None
    assert "track 'standard'" in r.explanation[0]


def test_stage_cancelled_by_plea():
    """A guilty plea on 2026-03-10, before any motion, makes the motions stage moot."""
    r = run(
        STAGES,
        "2026-04-10",
        [ev("arraignment_held", "2026-03-02"), ev("plea_entered", "2026-03-10")],
    )[("motions", None)]
    assert r.status == "not_applicable"


def test_events_after_today_are_not_yet_known():
    """An arrest dated after today is ignored: the stage waits."""
    r = run(STAGES, "2026-03-01", [ev("arrest", "2026-03-02")])[("indictment", None)]
    assert r.due is None and r.status == "pending"


# --- documents ---------------------------------------------------------------------------------

DOCUMENTS = make_plan(
    """
[[documents]]
id = "disclosure"
name = "Rule 16 disclosure"
filer = "prosecution"
trigger = { events = ["arraignment_held"] }
period = { days = 14 }
satisfied_by = ["entry:discovery_disclosure"]
"""
)


def test_document_met_by_filing_of_its_filer():
    """Arraignment Mon 2026-03-02 + 14 = Mon 03-16. A defense filing on 03-10 does not count;
    the prosecution's on Wed 03-18 does: met late, 2 days over."""
    filings = (
        Filing("discovery_disclosure", D("2026-03-10"), "defense"),
        Filing("discovery_disclosure", D("2026-03-18"), "prosecution"),
    )
    r = run(DOCUMENTS, "2026-04-01", [ev("arraignment_held", "2026-03-02")], filings=filings)[
        ("disclosure", None)
    ]
    assert (r.kind, r.due, r.status, r.met_on) == (
        "document",
        D("2026-03-16"),
        "met_late",
        D("2026-03-18"),
    )


# --- the federal 70-day clock ------------------------------------------------------------------

FEDERAL_BODY = """
[[excludable]]
code = "h1D"
alias = "XE"
name = "Pretrial motion"
citation = "18 U.S.C. 3161(h)(1)(D)"
shared_by_codefendants = true

[[excludable]]
code = "h1H"
name = "Under advisement"
citation = "18 U.S.C. 3161(h)(1)(H)"
max_days = 30
shared_by_codefendants = true

[[excludable]]
code = "h3A"
name = "Absence of the defendant"
citation = "18 U.S.C. 3161(h)(3)(A)"

[[clocks]]
id = "trial"
name = "Seventy days to trial"
citation = "18 U.S.C. 3161(c)(1)"
start.events = ["indictment_filed", "information_filed", "initial_appearance"]
start.pick = "latest"
start.requires = [["indictment_filed", "information_filed"], ["initial_appearance"]]
limit_days = 70
stop = ["trial_commenced", "dismissed"]
roll = true
codefendants = "latest"
restarts = [{ event = "mistrial_declared", note = "18 U.S.C. 3161(e)" }]

[clocks.minimum]
days = 30
from = "initial_appearance"
waived_by = ["speedy_trial_waiver_filed"]
citation = "18 U.S.C. 3161(c)(2)"
"""
FED = make_plan(FEDERAL_BODY)
INDICTED = [ev("indictment_filed", "2026-03-02"), ev("initial_appearance", "2026-03-05")]


def test_seventy_days_from_the_later_of_indictment_and_appearance():
    """Indictment Mon 2026-03-02, appearance Thu 03-05: the later, 03-05, starts the clock.
    Day 1 is 03-06; March 6-31 is 26 days, April 30 (56), May 14 is day 70: Thu 2026-05-14.
    As of Wed 04-01: 27 days used (26 in March + April 1), 43 left."""
    r = run(FED, "2026-04-01", INDICTED)[("trial", 1)]
    assert (r.kind, r.due, r.status) == ("clock", D("2026-05-14"), "pending")
    assert (r.days_used, r.days_remaining, r.days_excluded) == (27, 43, 0)
    assert r.rolled_to is None
    assert "latest of 3 sources" in r.explanation[0]


def test_clock_requires_a_charging_document():
    """An appearance on a complaint alone does not start the clock (requires)."""
    r = run(FED, "2026-04-01", [ev("initial_appearance", "2026-03-05")])[("trial", 1)]
    assert (r.due, r.status) == (None, "pending")
    assert r.explanation[0].startswith("Waiting for Indictment filed")


def test_motion_period_is_excluded_inclusive():
    """Start 03-05 (above). A motion filed Tue 03-10 and decided Tue 03-17 excludes both ends:
    8 days. Day 70 moves from 05-14 to Fri 2026-05-22."""
    r = run(
        FED,
        "2026-04-01",
        INDICTED,
        excludable=(Excludable("XE", D("2026-03-10"), D("2026-03-17")),),
    )[("trial", 1)]
    assert (r.due, r.days_excluded) == (D("2026-05-22"), 8)
    assert r.excluded_periods[0].code == "h1D" and r.excluded_periods[0].days == 8
    assert any("18 U.S.C. 3161(h)(1)(D)" in line for line in r.explanation)


def test_overlapping_periods_are_counted_once():
    """03-10..03-17 and 03-15..03-24 overlap: merged 03-10..03-24, 15 days. 05-14 + 15 =
    Fri 2026-05-29."""
    periods = (
        Excludable("h1D", D("2026-03-10"), D("2026-03-17")),
        Excludable("h1D", D("2026-03-15"), D("2026-03-24")),
    )
    r = run(FED, "2026-04-01", INDICTED, excludable=periods)[("trial", 1)]
    assert (r.due, r.days_excluded) == (D("2026-05-29"), 15)


def test_open_ended_period_tolls_the_clock():
    """An (h)(3)(A) absence from Fri 03-20, still running on Wed 04-01: 03-20..04-01 is 13 days
    excluded so far; provisional day 70 is 05-14 + 13 = Wed 2026-05-27; status tolled. Days
    used: 03-06..03-19, 14."""
    r = run(FED, "2026-04-01", INDICTED, excludable=(Excludable("h3A", D("2026-03-20")),))[
        ("trial", 1)
    ]
    assert (r.status, r.due, r.days_used, r.days_remaining) == ("tolled", D("2026-05-27"), 14, 56)
    assert any("provisional" in line for line in r.explanation)


def test_under_advisement_capped_at_thirty_days_and_rolled():
    """Under advisement Wed 04-01 to Fri 05-15 (45 days asked) is capped at 30 days by
    (h)(1)(H): excluded 04-01..04-30. Day 70 moves from 05-14 to Sat 2026-06-13: the rolled
    day would be Mon 06-15; due is the earlier, the Saturday."""
    r = run(
        FED,
        "2026-04-02",
        INDICTED,
        excludable=(Excludable("h1H", D("2026-04-01"), D("2026-05-15")),),
    )[("trial", 1)]
    assert (r.due, r.last_countable_day, r.rolled_to) == (
        D("2026-06-13"),
        D("2026-06-13"),
        D("2026-06-15"),
    )
    assert r.days_excluded == 30
    assert "capped at 30 days" in r.excluded_periods[0].note


def test_seventieth_day_on_saturday_flags_on_the_saturday():
    """Indictment Mon 03-02, appearance Wed 2026-03-04: start 03-04, day 70 would be Wed
    05-13. A motion 03-10..03-12 (3 days) moves it to Sat 2026-05-16; Rule 45 would roll it to
    Mon 05-18. Due = Sat 05-16 (the earlier); both are in the explanation. Warn 14 days before:
    05-02."""
    events = [ev("indictment_filed", "2026-03-02"), ev("initial_appearance", "2026-03-04")]
    r = run(
        FED, "2026-04-01", events, excludable=(Excludable("h1D", D("2026-03-10"), D("2026-03-12")),)
    )[("trial", 1)]
    assert (r.due, r.rolled_to, r.warn_on) == (D("2026-05-16"), D("2026-05-18"), D("2026-05-02"))
    text = " ".join(r.explanation)
    assert "2026-05-16 (Saturday)" in text and "2026-05-18 (Monday)" in text


def test_mistrial_restarts_the_clock():
    """Start 03-05; trial commenced Mon 04-20, mistrial Wed 04-22: the clock starts over from
    04-22: April 23-30 is 8 days, May 31 (39), June 30 (69), July 1 is day 70: Wed
    2026-07-01. The trial of 04-20, before the restart, no longer stops it."""
    events = [*INDICTED, ev("trial_commenced", "2026-04-20"), ev("mistrial_declared", "2026-04-22")]
    r = run(FED, "2026-05-01", events)[("trial", 1)]
    assert (r.due, r.status) == (D("2026-07-01"), "pending")
    assert any(line.startswith("Restart: Mistrial declared") for line in r.explanation)


def test_trial_commenced_in_time_is_met_and_late_is_missed():
    """Due Thu 05-14. Trial Mon 05-11: met (3 days to spare). Trial Mon 05-18: missed."""
    met = run(FED, "2026-06-01", [*INDICTED, ev("trial_commenced", "2026-05-11")])[("trial", 1)]
    assert (met.status, met.met_on, met.days_remaining) == ("met", D("2026-05-11"), 3)
    late = run(FED, "2026-06-01", [*INDICTED, ev("trial_commenced", "2026-05-18")])[("trial", 1)]
    assert (late.status, late.met_on) == ("missed", D("2026-05-18"))


def test_clock_missed_without_trial():
    """Due Thu 05-14; no trial by Mon 05-18: missed, 4 days over."""
    r = run(FED, "2026-05-18", INDICTED)[("trial", 1)]
    assert (r.status, r.days_remaining) == ("missed", -4)


def test_dismissal_stops_the_clock():
    """Dismissed Wed 04-15: the clock is stopped, not met."""
    r = run(FED, "2026-05-18", [*INDICTED, ev("dismissed", "2026-04-15")])[("trial", 1)]
    assert r.status == "stopped"


def test_joined_codefendants_share_the_latest_start():
    """Indictment (whole case) Mon 03-02. Defendant 1 appears Thu 03-05, defendant 2 Fri 03-20.
    Joined: both clocks run from 03-20: March 21-31 is 11 days, April 30 (41), May 29 is day
    70: Fri 2026-05-29 for both. Without the codefendant, defendant 1 would be due 05-14."""
    events = [
        ev("indictment_filed", "2026-03-02"),
        ev("initial_appearance", "2026-03-05", 1),
        ev("initial_appearance", "2026-03-20", 2),
    ]
    results = run(FED, "2026-04-01", events, defendants=(1, 2))
    assert results[("trial", 1)].due == D("2026-05-29")
    assert results[("trial", 2)].due == D("2026-05-29")
    assert any("Henderson" in line for line in results[("trial", 1)].explanation)
    alone = run(FED, "2026-04-01", events, defendants=(1, 2), joined=False)
    assert alone[("trial", 1)].due == D("2026-05-14")


def test_shared_exclusion_applies_to_joined_codefendant():
    """Defendant 2's motion 04-01..04-10 (10 days, (h)(1)(D), shared) excludes for defendant 1
    too: both move from 05-29 to Mon 2026-06-08. Defendant 2's (h)(3)(A) absence (not shared)
    would not."""
    events = [
        ev("indictment_filed", "2026-03-02"),
        ev("initial_appearance", "2026-03-05", 1),
        ev("initial_appearance", "2026-03-20", 2),
    ]
    motion = Excludable("h1D", D("2026-04-01"), D("2026-04-10"), defendant=2)
    results = run(FED, "2026-04-15", events, defendants=(1, 2), excludable=(motion,))
    assert results[("trial", 1)].due == D("2026-06-08")
    assert results[("trial", 2)].due == D("2026-06-08")
    absence = Excludable("h3A", D("2026-04-01"), D("2026-04-10"), defendant=2)
    results = run(FED, "2026-04-15", events, defendants=(1, 2), excludable=(absence,))
    assert results[("trial", 1)].due == D("2026-05-29")
    assert results[("trial", 2)].due == D("2026-06-08")


def test_severance_splits_the_clocks():
    """Defendant 2 severed Sun 03-15, before his appearance on 03-20: defendant 1's clock runs
    from his own start, 03-05 (due Thu 05-14); defendant 2's from 03-20 (due Fri 05-29)."""
    events = [
        ev("indictment_filed", "2026-03-02"),
        ev("initial_appearance", "2026-03-05", 1),
        ev("initial_appearance", "2026-03-20", 2),
    ]
    results = run(
        FED,
        "2026-04-01",
        events,
        defendants=(1, 2),
        severances=(Severance(2, D("2026-03-15")),),
    )
    assert results[("trial", 1)].due == D("2026-05-14")
    assert results[("trial", 2)].due == D("2026-05-29")


def test_thirty_day_minimum():
    """Appearance Thu 03-05 + 30 days = Sat 2026-04-04: trial may begin on or after it (a
    floor: no roll, not extended). As of 03-20: 15 days to go. Trial on Wed 04-01 without a
    waiver: missed. With a waiver filed: not applicable."""
    pending = run(FED, "2026-03-20", INDICTED)[("trial_minimum", 1)]
    assert (pending.due, pending.status, pending.days_remaining) == (
        D("2026-04-04"),
        "pending",
        15,
    )
    early = [*INDICTED, ev("trial_commenced", "2026-04-01")]
    assert run(FED, "2026-04-02", early)[("trial_minimum", 1)].status == "missed"
    waived = [*early, ev("speedy_trial_waiver_filed", "2026-03-25")]
    assert run(FED, "2026-04-02", waived)[("trial_minimum", 1)].status == "not_applicable"


# --- state-style clocks ------------------------------------------------------------------------

CUSTODY = make_plan(
    """
[[excludable]]
code = "competency"
name = "Competency proceedings"
citation = "Ariz. R. Crim. P. 8.4(a)"

[[clocks]]
id = "trial"
name = "Trial (detained 60, released 90)"
citation = "Wash. CrR 3.3(b)"
start = { events = ["arraignment_held"] }
limit_days = 90
limit_days_in_custody = 60
limit_days_released = 90
stop = ["trial_commenced"]

[[clocks]]
id = "arizona"
name = "Trial within 150 days"
citation = "Ariz. R. Crim. P. 8.2"
start = { events = ["arraignment_held"] }
limit_days = 150
limit_days_by_track = { complex = 270 }
stop = ["trial_commenced"]
floor_days_after_exclusion = 45

[[clocks]]
id = "florida"
name = "Trial within 90 days"
citation = "Fla. R. Crim. P. 3.191"
start = { events = ["arraignment_held"] }
limit_days = 90
stop = ["trial_commenced"]
grace_days = 30
"""
)
ARRAIGNED = [ev("arraignment_held", "2026-03-02")]


def test_custody_limit_released_before_day_sixty():
    """Arraigned Mon 03-02 in custody: 60 days (03-02 + 60 = Fri 05-01). Released Thu 04-30,
    day 59 (March 3-31 is 29, April 30 is 59): before the 60-day limit expired, so 90 days:
    03-02 + 90 = Sun 2026-05-31 (this clock does not roll)."""
    detained = run(CUSTODY, "2026-04-01", ARRAIGNED)[("trial", 1)]
    assert detained.due == D("2026-05-01")
    released = run(CUSTODY, "2026-05-02", [*ARRAIGNED, ev("released_from_custody", "2026-04-30")])
    r = released[("trial", 1)]
    assert r.due == D("2026-05-31")
    assert any("day 59, before the 60 days in-custody limit" in line for line in r.explanation)


def test_custody_limit_released_on_day_sixty_one_keeps_sixty():
    """Released Sat 05-02, day 61: the 60-day limit had run out on 05-01: it still applies,
    due Fri 2026-05-01, missed as of 05-04."""
    r = run(CUSTODY, "2026-05-04", [*ARRAIGNED, ev("released_from_custody", "2026-05-02")])[
        ("trial", 1)
    ]
    assert (r.due, r.status) == (D("2026-05-01"), "missed")
    assert any("day 61, after the 60 days" in line for line in r.explanation)


def test_custody_limit_released_at_filing():
    """Released at filing: 90 days from the start, Sun 2026-05-31."""
    r = run(CUSTODY, "2026-04-01", ARRAIGNED, custody="released")[("trial", 1)]
    assert r.due == D("2026-05-31")


def test_track_limit():
    """Complex track: 270 days. 03-02 + 270: March 29, April 59, May 90, June 120, July 151,
    August 182, September 212, October 243, November 27 is day 270: Fri 2026-11-27."""
    r = run(CUSTODY, "2026-04-01", ARRAIGNED, designation="complex")[("arizona", 1)]
    assert r.due == D("2026-11-27")


def test_floor_after_exclusion():
    """150 days from Mon 03-02 (March 29, April 59, May 90, June 120, July 30 is day 150):
    Thu 07-30. Competency 07-01..07-20 (20 days) moves it to Wed 08-19. The floor: never earlier
    than 45 days after the exclusion ended, 07-20 + 45 = Thu 2026-09-03."""
    periods = (Excludable("competency", D("2026-07-01"), D("2026-07-20")),)
    r = run(CUSTODY, "2026-07-25", ARRAIGNED, excludable=periods)[("arizona", 1)]
    assert r.due == D("2026-09-03")
    assert any(line.startswith("Floor:") for line in r.explanation)


def test_grace_window():
    """90 days from Mon 03-02: Sun 2026-05-31. A 30-day grace (recapture) window runs to Tue
    06-30: on Wed 06-10 the clock is still pending (over by 10 days); on Wed 07-01 missed."""
    during = run(CUSTODY, "2026-06-10", ARRAIGNED)[("florida", 1)]
    assert (during.due, during.status, during.days_remaining) == (D("2026-05-31"), "pending", -10)
    assert "grace window" in during.explanation[-1]
    after = run(CUSTODY, "2026-07-01", ARRAIGNED)[("florida", 1)]
    assert after.status == "missed"


def test_clock_not_applicable_on_other_track():
    plan = make_plan(
        """
[[clocks]]
id = "complex_only"
name = "Complex clock"
citation = "x"
start = { events = ["arraignment_held"] }
limit_days = 10
stop = ["trial_commenced"]
tracks = ["complex"]
"""
    )
    r = run(plan, "2026-04-01", ARRAIGNED)[("complex_only", 1)]
    assert r.status == "not_applicable"


# --- properties --------------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=400)


@settings(max_examples=150, deadline=None)
@given(
    start=days,
    extra_start=days,
    extra_length=st.integers(min_value=0, max_value=60),
    open_ended=st.booleans(),
    code=st.sampled_from(["h1D", "h1H", "h3A"]),
    today=st.integers(min_value=0, max_value=600),
)
def test_adding_an_excludable_period_never_makes_a_clock_due_earlier(
    start, extra_start, extra_length, open_ended, code, today
):
    base = D("2026-01-05")
    indicted = base + timedelta(days=start)
    events = [
        ev("indictment_filed", indicted.isoformat()),
        ev("initial_appearance", indicted.isoformat()),
    ]
    as_of = indicted + timedelta(days=today)
    first = Excludable("h1D", indicted + timedelta(days=10), indicted + timedelta(days=20))
    s = base + timedelta(days=extra_start)
    extra = Excludable(code, s, None if open_ended else s + timedelta(days=extra_length))
    before = run(FED, as_of.isoformat(), events, excludable=(first,))[("trial", 1)]
    after = run(FED, as_of.isoformat(), events, excludable=(first, extra))[("trial", 1)]
    assert after.due >= before.due


@settings(max_examples=150, deadline=None)
@given(
    trigger=st.integers(min_value=0, max_value=3000),
    amount=st.integers(min_value=0, max_value=120),
    unit=st.sampled_from(["days", "court_days", "months"]),
    direction=st.sampled_from(["after", "before"]),
)
def test_no_rolled_stage_falls_on_a_closed_day(trigger, amount, unit, direction):
    amount = amount % 24 if unit == "months" else amount
    plan = make_plan(
        f"""
[[stages]]
id = "s"
name = "S"
trigger = {{ events = ["arraignment_held"] }}
period = {{ {unit} = {amount} }}
direction = "{direction}"
satisfied_by = ["trial_commenced"]
"""
    )
    on = D("2022-01-01") + timedelta(days=trigger)
    r = run(plan, on.isoformat(), [ev("arraignment_held", on.isoformat())])[("s", None)]
    assert FEDERAL.is_court_day(r.due)


def test_results_cover_every_item_in_order():
    """Stages in plan order, then each clock per defendant with its minimum, then documents."""
    plan = parse_plan(HEADER + FEDERAL_BODY.replace("[[excludable]]", "[[excludable]]", 1))
    case = CaseFacts(filed=D("2026-03-01"), events=tuple(INDICTED), defendants=(1, 2))
    ids = [(r.id, r.defendant) for r in compute(plan, case, D("2026-04-01"), FEDERAL)]
    assert ids == [("trial", 1), ("trial_minimum", 1), ("trial", 2), ("trial_minimum", 2)]


@pytest.mark.parametrize("status", ["pending", "met", "missed"])
def test_every_result_explains_itself(status):
    events = {"pending": INDICTED, "met": [*INDICTED, ev("trial_commenced", "2026-05-01")]}
    today = "2026-07-01" if status == "missed" else "2026-04-01"
    for r in run(FED, today, events.get(status, INDICTED)).values():
        assert r.explanation and all(isinstance(line, str) and line for line in r.explanation)


SUPERSEDING_RESTARTS = make_plan(
    FEDERAL_BODY.replace(
        'restarts = [{ event = "mistrial_declared", note = "18 U.S.C. 3161(e)" }]',
        'restarts = [{ event = "mistrial_declared", note = "18 U.S.C. 3161(e)" }, '
        '{ event = "superseding_indictment_filed", note = "a state rule restarting on new '
        'charges" }]',
    )
)


def test_superseding_indictment_restarts_the_clock_where_the_plan_says_so():
    """Start Thu 03-05 (the appearance, later than the indictment of 03-02): due Thu 05-14.
    A superseding indictment on Mon 2026-04-06 restarts the clock from 04-06: April 7-30 is
    24 days, May 31 more (55), June 15 is day 70: Mon 2026-06-15, a court day. Under the
    federal plan above, which lists no such restart, the due date stays 05-14."""
    events = [*INDICTED, ev("superseding_indictment_filed", "2026-04-06")]
    restarted = run(SUPERSEDING_RESTARTS, "2026-05-01", events)[("trial", 1)]
    assert (restarted.due, restarted.status) == (D("2026-06-15"), "pending")
    assert any(line.startswith("Restart: Superseding indictment") for line in restarted.explanation)
    unchanged = run(FED, "2026-05-01", events)[("trial", 1)]
    assert unchanged.due == D("2026-05-14")
