"""Court calendars, period counting and speedy-trial clocks: the pure arithmetic.

No app, no database. Every hand-worked example states its arithmetic in the docstring, on
real calendars checked with `calendar.month()` and the `holidays` package (0.109):

    November 2026            December 2026            January 2027
    Mo Tu We Th Fr Sa Su     Mo Tu We Th Fr Sa Su     Mo Tu We Th Fr Sa Su
                       1         1  2  3  4  5  6                  1  2  3
     2  3  4  5  6  7  8      7  8  9 10 11 12 13      4  5  6  7  8  9 10
     9 10 11 12 13 14 15     14 15 16 17 18 19 20     11 12 13 14 15 16 17
    16 17 18 19 20 21 22     21 22 23 24 25 26 27     18 19 20 21 22 23 24
    23 24 25 26 27 28 29     28 29 30 31              25 26 27 28 29 30 31
    30

US federal holidays used below: 2026-06-19 Fri Juneteenth; 2026-07-03 Fri Independence Day
(observed, July 4 is a Saturday); 2026-09-07 Mon Labor Day; 2026-11-26 Thu Thanksgiving;
2026-12-25 Fri Christmas; 2027-01-01 Fri New Year's Day; 2027-07-05 Mon Independence Day
(observed, July 4 is a Sunday); 2027-12-31 Fri New Year's Day (observed, 2028-01-01 is a
Saturday). Texas adds 2026-03-02 Mon Texas Independence Day.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docket.core.calendar_math import (
    CALENDAR_DAYS,
    COURT_DAYS,
    MONTHS,
    UNITS,
    CourtCalendar,
    OutsideCalendarError,
    add_months,
    clock_end,
    count_backward,
    count_forward,
    court_calendar,
    merge_periods,
)

D = date.fromisoformat
XMAS_EVE_ORDER = "Christmas Eve closure by administrative order 2026-14"

FEDERAL = court_calendar("US", first_year=2000, last_year=2060)
# The same federal calendar plus the court's own closure on Thursday 2026-12-24.
WITH_CLOSURE = court_calendar(
    "US", closures={D("2026-12-24"): XMAS_EVE_ORDER}, first_year=2000, last_year=2060
)
TEXAS = court_calendar("US", "TX", first_year=2000, last_year=2060)


# --------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------


def test_ordinary_weekday_is_a_court_day():
    """2026-11-24 is a Tuesday, no holiday: open."""
    assert FEDERAL.is_court_day(D("2026-11-24"))
    assert FEDERAL.why_closed(D("2026-11-24")) is None


def test_weekends_are_closed():
    """2026-11-21 is a Saturday and 2026-11-22 a Sunday."""
    assert not FEDERAL.is_court_day(D("2026-11-21"))
    assert FEDERAL.why_closed(D("2026-11-21")) == "Saturday"
    assert FEDERAL.why_closed(D("2026-11-22")) == "Sunday"


def test_thanksgiving_2026_closed_and_the_day_after_open():
    """Thanksgiving 2026 is the 4th Thursday of November: Nov 5, 12, 19, 26 -> 2026-11-26.
    Friday 2026-11-27 is not a federal holiday, so the federal court is open."""
    assert FEDERAL.why_closed(D("2026-11-26")) == "Thanksgiving Day (legal holiday)"
    assert FEDERAL.is_court_day(D("2026-11-27"))


def test_observed_independence_day_2026_closes_friday_july_3():
    """July 4, 2026 is a Saturday, so the holiday is observed on Friday July 3 (5 U.S.C.
    6103(b)); Monday July 6 is open."""
    assert FEDERAL.why_closed(D("2026-07-03")) == "Independence Day (observed) (legal holiday)"
    assert FEDERAL.why_closed(D("2026-07-04")) == "Saturday; Independence Day (legal holiday)"
    assert FEDERAL.is_court_day(D("2026-07-06"))


def test_observed_independence_day_2027_closes_monday_july_5():
    """July 4, 2027 is a Sunday, so Monday July 5 is the observed holiday; Tuesday July 6
    is open."""
    assert FEDERAL.why_closed(D("2027-07-05")) == "Independence Day (observed) (legal holiday)"
    assert FEDERAL.next_court_day(D("2027-07-03")) == D("2027-07-06")


def test_juneteenth():
    """Juneteenth 2026 is Friday June 19 (closed). June 19, 2027 is a Saturday, observed
    Friday 2027-06-18."""
    assert FEDERAL.why_closed(D("2026-06-19")) == (
        "Juneteenth National Independence Day (legal holiday)"
    )
    assert not FEDERAL.is_court_day(D("2027-06-18"))
    assert "observed" in FEDERAL.why_closed(D("2027-06-18"))


def test_new_year_2028_observed_in_the_last_year_of_a_calendar():
    """2028-01-01 is a Saturday, observed Friday 2027-12-31. A calendar built for 2027 only
    must still close 2027-12-31, and must refuse to answer for 2028 rather than call it open."""
    cal = court_calendar("US", first_year=2027, last_year=2027)
    assert cal.why_closed(D("2027-12-31")) == "New Year's Day (observed) (legal holiday)"
    with pytest.raises(OutsideCalendarError, match="2028-01-03 is outside"):
        cal.is_court_day(D("2028-01-03"))
    # Thursday 2027-12-30 is open, the rest of the year is closed: no court day after it.
    with pytest.raises(OutsideCalendarError):
        cal.next_court_day(D("2027-12-31"))
    with pytest.raises(OutsideCalendarError):
        cal.is_court_day(D("2026-12-31"))


def test_court_closure_has_its_reason():
    """Thursday 2026-12-24 is no federal holiday; the administrative order closes it."""
    assert FEDERAL.is_court_day(D("2026-12-24"))
    assert not WITH_CLOSURE.is_court_day(D("2026-12-24"))
    assert WITH_CLOSURE.why_closed(D("2026-12-24")) == f"court closure: {XMAS_EVE_ORDER}"


def test_next_and_previous_court_day_over_christmas_and_new_year():
    """Christmas 2026 is Friday Dec 25, then a weekend: next court day Monday Dec 28.
    New Year's Day 2027 is Friday Jan 1: previous court day Thursday 2026-12-31; next Monday
    2027-01-04. An open day is its own next and previous court day."""
    assert FEDERAL.next_court_day(D("2026-12-25")) == D("2026-12-28")
    assert FEDERAL.previous_court_day(D("2027-01-01")) == D("2026-12-31")
    assert FEDERAL.next_court_day(D("2027-01-01")) == D("2027-01-04")
    assert FEDERAL.next_court_day(D("2026-12-28")) == D("2026-12-28")
    assert FEDERAL.previous_court_day(D("2026-12-28")) == D("2026-12-28")


def test_texas_independence_day_closes_only_the_texas_calendar():
    """Texas Independence Day, March 2, is a Monday in 2026. The package lists it as a
    public holiday for US-TX; the federal calendar is open that day."""
    assert TEXAS.why_closed(D("2026-03-02")) == "Texas Independence Day (legal holiday)"
    assert FEDERAL.is_court_day(D("2026-03-02"))


def test_government_category_adds_executive_order_closures():
    """Tuesday 2024-12-24 was closed by executive order (Rule 45(a)(6)(B)); it is in the
    package's "government" category, not "public". A date in both keeps its public name
    (MLK Day, Monday 2024-01-15)."""
    cal = court_calendar("US", first_year=2024, last_year=2025, categories=("public", "government"))
    assert cal.why_closed(D("2024-12-24")) == "Christmas Eve (legal holiday)"
    assert cal.why_closed(D("2024-01-15")) == "Martin Luther King Jr. Day (legal holiday)"
    assert FEDERAL.is_court_day(D("2024-12-24"))


def test_unknown_country_or_subdivision_is_named():
    with pytest.raises(ValueError, match="'XX'"):
        court_calendar("XX")
    with pytest.raises(ValueError, match="subdivision 'ZZ'.*TX"):
        court_calendar("US", "ZZ")
    with pytest.raises(ValueError, match="category"):
        court_calendar("US", categories=("nonsense",), first_year=2026, last_year=2026)


def test_bad_closures_and_years_are_refused():
    with pytest.raises(ValueError, match="needs a reason"):
        court_calendar(closures={D("2026-12-24"): " "})
    with pytest.raises(ValueError, match="must be a date"):
        court_calendar(closures={"2026-12-24": "order"})
    with pytest.raises(ValueError, match="backward"):
        court_calendar(first_year=2030, last_year=2020)


def test_calendar_is_an_immutable_value():
    """Same parameters, same value (closure order does not matter); no field can change."""
    closures = {D("2026-12-24"): "a", D("2026-12-31"): "b"}
    a = court_calendar(closures=closures, first_year=2026, last_year=2027)
    b = court_calendar(closures=dict(reversed(closures.items())), first_year=2026, last_year=2027)
    assert a == b and hash(a) == hash(b)
    assert a != court_calendar(first_year=2026, last_year=2027)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.country = "CA"
    assert isinstance(a, CourtCalendar)


def test_closed_dates_snapshot_lists_holidays_and_closures():
    cal = court_calendar(
        closures={D("2026-12-24"): XMAS_EVE_ORDER}, first_year=2026, last_year=2026
    )
    table = dict(cal.closed_dates())
    assert table[D("2026-12-24")] == f"court closure: {XMAS_EVE_ORDER}"
    assert table[D("2026-11-26")] == "Thanksgiving Day (legal holiday)"
    assert D("2026-11-21") not in table  # plain weekends are not listed


# --------------------------------------------------------------------------------------
# Counting forward
# --------------------------------------------------------------------------------------


def test_30_days_ending_on_a_sunday_roll_to_monday():
    """Trigger Friday 2026-11-20. Nov has 30 days: 10 days to Nov 30, 20 more to Dec 20, a
    Sunday. Rule 45(a)(1)(C): next court day Monday 2026-12-21."""
    r = count_forward(FEDERAL, D("2026-11-20"), 30, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day, r.rolled) == (D("2026-12-21"), D("2026-12-20"), True)
    assert r.steps == (
        "Trigger: 2026-11-20 (Friday); that day is not counted.",
        "30 calendar days from it: last day 2026-12-20 (Sunday).",
        "2026-12-20 is a Sunday: the period runs to the next court day, 2026-12-21 "
        "(Fed. R. Crim. P. 45(a)(1)(C)).",
    )


def test_30_days_ending_on_thanksgiving_roll_to_friday():
    """Trigger Tuesday 2026-10-27: 4 days to Oct 31, 26 more to Thursday Nov 26,
    Thanksgiving. The Friday after, 2026-11-27, is a federal court day."""
    r = count_forward(FEDERAL, D("2026-10-27"), 30, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day, r.rolled) == (D("2026-11-27"), D("2026-11-26"), True)
    assert "Thanksgiving Day (legal holiday)" in r.steps[2]


def test_30_days_ending_on_a_court_day_do_not_roll():
    """Trigger Monday 2026-01-05: 26 days to Jan 31, 4 more to Wednesday 2026-02-04."""
    r = count_forward(FEDERAL, D("2026-01-05"), 30, CALENDAR_DAYS)
    assert (r.due, r.rolled) == (D("2026-02-04"), False)
    assert r.steps[-1] == "2026-02-04 is a court day: due that day."


def test_period_ending_on_observed_independence_day_2026():
    """Trigger Wednesday 2026-06-03: 27 days to Jun 30, 3 more to Friday Jul 3, the observed
    Independence Day; Sat Jul 4 and Sun Jul 5 are closed too: due Monday 2026-07-06."""
    r = count_forward(FEDERAL, D("2026-06-03"), 30, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day) == (D("2026-07-06"), D("2026-07-03"))
    assert "Independence Day (observed) (legal holiday)" in r.steps[2]


def test_period_ending_on_juneteenth_2026():
    """Trigger Wednesday 2026-05-20: 11 days to May 31, 19 more to Friday Jun 19,
    Juneteenth; then a weekend: due Monday 2026-06-22."""
    r = count_forward(FEDERAL, D("2026-05-20"), 30, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day) == (D("2026-06-22"), D("2026-06-19"))


def test_court_closure_rolls_a_deadline_over_christmas():
    """Trigger Tuesday 2026-11-24: 6 days to Nov 30, 24 more to Thursday Dec 24, closed by
    administrative order; Fri Dec 25 is Christmas, then the weekend: due Monday 2026-12-28.
    The federal calendar without the closure keeps Thursday Dec 24."""
    r = count_forward(WITH_CLOSURE, D("2026-11-24"), 30, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day, r.rolled) == (D("2026-12-28"), D("2026-12-24"), True)
    assert XMAS_EVE_ORDER in r.steps[2]
    assert (
        r.steps[3] == "Also closed in between: 2026-12-25 (Friday), Christmas Day (legal holiday)."
    )
    assert count_forward(FEDERAL, D("2026-11-24"), 30, CALENDAR_DAYS).due == D("2026-12-24")


def test_roll_off_keeps_the_closed_last_day():
    """Same as the Sunday example (2026-11-20 + 30 = Sunday 2026-12-20), with the plan's
    roll turned off: due Sunday itself, not rolled."""
    r = count_forward(FEDERAL, D("2026-11-20"), 30, CALENDAR_DAYS, roll=False)
    assert (r.due, r.rolled) == (D("2026-12-20"), False)
    assert "does not move off closed days" in r.steps[-1]


def test_texas_holiday_rolls_only_in_the_texas_calendar():
    """Trigger Saturday 2026-01-31: 28 days to Feb 28, 2 more to Monday 2026-03-02, Texas
    Independence Day: due Tuesday 2026-03-03 in Texas, Monday 2026-03-02 federally."""
    assert count_forward(TEXAS, D("2026-01-31"), 30, CALENDAR_DAYS).due == D("2026-03-03")
    assert count_forward(FEDERAL, D("2026-01-31"), 30, CALENDAR_DAYS).due == D("2026-03-02")


def test_calendar_days_across_a_leap_day():
    """2028 is a leap year. Trigger Sunday 2028-01-30: 1 day to Jan 31, 29 more to Tuesday
    2028-02-29. The same count from Saturday 2027-01-30 ends Monday 2027-03-01."""
    assert count_forward(FEDERAL, D("2028-01-30"), 30, CALENDAR_DAYS).due == D("2028-02-29")
    assert count_forward(FEDERAL, D("2027-01-30"), 30, CALENDAR_DAYS).due == D("2027-03-01")


def test_one_month_from_january_31_in_a_leap_year():
    """2028-01-31 + 1 month: February 2028 has 29 days, so the last day is Tuesday
    2028-02-29, a court day."""
    r = count_forward(FEDERAL, D("2028-01-31"), 1, MONTHS)
    assert (r.due, r.rolled) == (D("2028-02-29"), False)
    assert "February 2028 has no day 31" in r.steps[1]


def test_one_month_from_january_31_in_a_common_year_then_roll():
    """2027-01-31 + 1 month: February 2027 has 28 days -> Sunday 2027-02-28, which rolls to
    Monday 2027-03-01."""
    r = count_forward(FEDERAL, D("2027-01-31"), 1, MONTHS)
    assert (r.due, r.last_countable_day, r.rolled) == (D("2027-03-01"), D("2027-02-28"), True)


def test_three_months_landing_on_labor_day():
    """Sunday 2026-06-07 + 3 months = Monday 2026-09-07, Labor Day (1st Monday of
    September): due Tuesday 2026-09-08."""
    r = count_forward(FEDERAL, D("2026-06-07"), 3, MONTHS)
    assert (r.due, r.last_countable_day) == (D("2026-09-08"), D("2026-09-07"))
    assert "Labor Day (legal holiday)" in r.steps[2]


def test_six_months_keep_the_day_of_the_month():
    """2026-03-31 + 6 months: September has 30 days -> Wednesday 2026-09-30.
    2026-01-15 + 3 months = Wednesday 2026-04-15."""
    assert count_forward(FEDERAL, D("2026-03-31"), 6, MONTHS).due == D("2026-09-30")
    assert count_forward(FEDERAL, D("2026-01-15"), 3, MONTHS).due == D("2026-04-15")


def test_court_days_across_thanksgiving_week():
    """10 court days after Friday 2026-11-20: Mon 23 (1), Tue 24 (2), Wed 25 (3), Thu 26
    Thanksgiving skipped, Fri 27 (4), Mon 30 (5), Dec 1-4 (6-9), Mon Dec 7 (10)."""
    r = count_forward(FEDERAL, D("2026-11-20"), 10, COURT_DAYS)
    assert (r.due, r.last_countable_day, r.rolled) == (D("2026-12-07"), D("2026-12-07"), False)
    assert r.steps[1] == "10 court days after it: last day 2026-12-07 (Monday)."
    assert r.steps[2] == (
        "Not counted: 6 weekend days; 2026-11-26 (Thursday), Thanksgiving Day (legal holiday)."
    )


def test_court_days_across_christmas_and_new_year():
    """7 court days after Wednesday 2026-12-23: Thu 24 (1), Fri 25 Christmas skipped, Mon 28
    to Thu 31 (2-5), Fri Jan 1 New Year skipped, Mon Jan 4 (6), Tue 2027-01-05 (7). With the
    court's Dec 24 closure every count after it shifts one court day: Wed 2027-01-06."""
    assert count_forward(FEDERAL, D("2026-12-23"), 7, COURT_DAYS).due == D("2027-01-05")
    assert count_forward(WITH_CLOSURE, D("2026-12-23"), 7, COURT_DAYS).due == D("2027-01-06")


def test_court_days_from_a_closed_trigger():
    """1 court day after Saturday 2026-11-21 is Monday 2026-11-23."""
    assert count_forward(FEDERAL, D("2026-11-21"), 1, COURT_DAYS).due == D("2026-11-23")


def test_zero_days_is_the_trigger_day_rolled_if_closed():
    """0 days from Friday 2026-11-20 is that Friday. 0 days from Thanksgiving (Thursday
    2026-11-26) rolls to Friday 2026-11-27; 0 court days likewise."""
    assert count_forward(FEDERAL, D("2026-11-20"), 0, CALENDAR_DAYS).due == D("2026-11-20")
    r = count_forward(FEDERAL, D("2026-11-26"), 0, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day, r.rolled) == (D("2026-11-27"), D("2026-11-26"), True)
    assert count_forward(FEDERAL, D("2026-11-26"), 0, COURT_DAYS).due == D("2026-11-27")
    assert count_backward(FEDERAL, D("2026-11-26"), 0, CALENDAR_DAYS).due == D("2026-11-25")


@pytest.mark.parametrize("count", [count_forward, count_backward])
def test_negative_or_odd_amounts_and_units_are_refused(count):
    with pytest.raises(ValueError, match="negative"):
        count(FEDERAL, D("2026-11-20"), -1, CALENDAR_DAYS)
    with pytest.raises(ValueError, match="unknown period unit 'weeks'"):
        count(FEDERAL, D("2026-11-20"), 2, "weeks")
    with pytest.raises(ValueError, match="whole number"):
        count(FEDERAL, D("2026-11-20"), 1.5, CALENDAR_DAYS)


def test_counting_past_the_calendar_raises():
    """A period that ends past the calendar's years must not be computed as if there were
    no holidays there."""
    cal = court_calendar(first_year=2026, last_year=2026)
    with pytest.raises(OutsideCalendarError, match="outside the court calendar"):
        count_forward(cal, D("2026-12-20"), 30, CALENDAR_DAYS)
    with pytest.raises(OutsideCalendarError):
        count_forward(cal, D("2026-12-20"), 30, COURT_DAYS)


# --------------------------------------------------------------------------------------
# Counting backward
# --------------------------------------------------------------------------------------


def test_seven_days_before_trial_on_a_court_day():
    """Trial Tuesday 2026-12-01; 7 days before: Tuesday 2026-11-24, open."""
    r = count_backward(FEDERAL, D("2026-12-01"), 7, CALENDAR_DAYS)
    assert (r.due, r.rolled) == (D("2026-11-24"), False)
    assert r.steps[:2] == (
        "Event: 2026-12-01 (Tuesday); that day is not counted.",
        "7 calendar days before it: last day 2026-11-24 (Tuesday).",
    )


def test_backward_landing_on_a_sunday_moves_to_friday():
    """Event Wednesday 2026-12-02; 10 days before: Sunday 2026-11-22. A backward period
    moves earlier: Saturday Nov 21 is closed too, so Friday 2026-11-20."""
    r = count_backward(FEDERAL, D("2026-12-02"), 10, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day, r.rolled) == (D("2026-11-20"), D("2026-11-22"), True)
    assert "previous court day, 2026-11-20" in r.steps[2]
    assert "45(a)(5)" in r.steps[2]


def test_backward_landing_on_labor_day_moves_to_the_friday_before():
    """Event Monday 2026-09-14; 7 days before: Monday 2026-09-07, Labor Day. Sunday Sep 6
    and Saturday Sep 5 are closed: Friday 2026-09-04."""
    r = count_backward(FEDERAL, D("2026-09-14"), 7, CALENDAR_DAYS)
    assert (r.due, r.last_countable_day) == (D("2026-09-04"), D("2026-09-07"))
    assert "Labor Day (legal holiday)" in r.steps[2]


def test_backward_landing_on_thanksgiving_moves_to_wednesday():
    """Event Thursday 2026-12-10; 14 days before: Thursday 2026-11-26, Thanksgiving:
    Wednesday 2026-11-25."""
    assert count_backward(FEDERAL, D("2026-12-10"), 14, CALENDAR_DAYS).due == D("2026-11-25")


def test_backward_without_roll_stays_on_sunday():
    """Same as the Sunday example (Wednesday 2026-12-02 - 10 = Sunday 2026-11-22), roll off."""
    r = count_backward(FEDERAL, D("2026-12-02"), 10, CALENDAR_DAYS, roll=False)
    assert (r.due, r.rolled) == (D("2026-11-22"), False)


def test_backward_court_days_over_christmas_with_a_closure():
    """3 court days before Monday 2026-12-28: Sun 27, Sat 26 weekend; Fri 25 Christmas; Thu
    24 closed by order; Wed 23 (1), Tue 22 (2), Mon 2026-12-21 (3)."""
    r = count_backward(WITH_CLOSURE, D("2026-12-28"), 3, COURT_DAYS)
    assert r.due == D("2026-12-21")
    assert r.steps[1] == "3 court days before it: last day 2026-12-21 (Monday)."
    assert "2 weekend days" in r.steps[2] and XMAS_EVE_ORDER in r.steps[2]


def test_one_month_before_march_31_moves_back_off_sunday():
    """2027-03-31 - 1 month: February 2027 has 28 days -> Sunday 2027-02-28, backward to
    Friday 2027-02-26."""
    r = count_backward(FEDERAL, D("2027-03-31"), 1, MONTHS)
    assert (r.due, r.last_countable_day) == (D("2027-02-26"), D("2027-02-28"))


def test_add_months_clamps_and_goes_both_ways():
    assert add_months(D("2028-01-31"), 1) == D("2028-02-29")
    assert add_months(D("2027-01-31"), 1) == D("2027-02-28")
    assert add_months(D("2026-12-15"), 1) == D("2027-01-15")
    assert add_months(D("2027-01-15"), -1) == D("2026-12-15")
    assert add_months(D("2026-08-31"), -6) == D("2026-02-28")
    assert add_months(D("2026-05-31"), 24) == D("2028-05-31")


# --------------------------------------------------------------------------------------
# Merging excluded periods
# --------------------------------------------------------------------------------------

TODAY = D("2026-03-10")


def test_merge_overlapping_adjacent_and_nested():
    """Feb 1-10 and Feb 5-14 overlap -> Feb 1-14; Feb 15-20 is adjacent (starts the day
    after Feb 14) -> Feb 1-20; Feb 3-4 is nested. Jan 5-6 stays apart (Jan 7 is a gap)."""
    periods = [
        (D("2026-02-05"), D("2026-02-14")),
        (D("2026-01-05"), D("2026-01-06")),
        (D("2026-02-01"), D("2026-02-10")),
        (D("2026-02-15"), D("2026-02-20")),
        (D("2026-02-03"), D("2026-02-04")),
    ]
    assert merge_periods(periods, TODAY) == (
        (D("2026-01-05"), D("2026-01-06")),
        (D("2026-02-01"), D("2026-02-20")),
    )


def test_merge_open_ended_and_future_periods():
    """An open-ended period from Mar 1 runs to today, Mar 10. A period from Mar 5 to Mar 31
    is cut at today. One starting Mar 11 (after today) is ignored."""
    periods = [
        (D("2026-03-01"), None),
        (D("2026-03-05"), D("2026-03-31")),
        (D("2026-03-11"), D("2026-03-20")),
        (D("2026-03-12"), None),
    ]
    assert merge_periods(periods, TODAY) == ((D("2026-03-01"), D("2026-03-10")),)


def test_merge_single_day_and_empty():
    assert merge_periods([], TODAY) == ()
    assert merge_periods([(TODAY, TODAY)], TODAY) == ((TODAY, TODAY),)


def test_merge_refuses_a_period_ending_before_it_starts():
    with pytest.raises(ValueError, match="ends .2026-02-01. before it starts .2026-02-10."):
        merge_periods([(D("2026-02-10"), D("2026-02-01"))], TODAY)


# --------------------------------------------------------------------------------------
# Speedy-trial clocks
# --------------------------------------------------------------------------------------

START = D("2026-01-05")  # Monday; day 1 is Tuesday 2026-01-06


def test_clock_without_exclusions():
    """70 days from Monday 2026-01-05: 26 days to Jan 31, 28 in February (54), 16 in March:
    Monday 2026-03-16. On Wednesday 2026-02-04, 30 days are used (26 + 4)."""
    r = clock_end(START, 70, [], D("2026-02-04"))
    assert (r.last_day, r.days_used, r.days_excluded, r.tolled) == (D("2026-03-16"), 30, 0, False)
    assert r.days_remaining == 40
    assert "No excluded days." in r.steps


def test_clock_with_one_exclusion():
    """A motion pending Feb 2-11 inclusive excludes 10 days: 2026-03-16 + 10 = Thursday
    2026-03-26. As of Feb 20: Jan 6 to Feb 20 is 46 days, minus 10 excluded = 36 used."""
    r = clock_end(START, 70, [(D("2026-02-02"), D("2026-02-11"))], D("2026-02-20"))
    assert (r.last_day, r.days_used, r.days_excluded) == (D("2026-03-26"), 36, 10)
    assert "Excluded 2026-02-02 through 2026-02-11: 10 days." in r.steps


def test_clock_counts_overlapping_exclusions_once():
    """Feb 2-11 and Feb 6-15 overlap: union Feb 2-15 = 14 days, not 20: 2026-03-16 + 14 =
    Monday 2026-03-30."""
    r = clock_end(
        START, 70, [(D("2026-02-02"), D("2026-02-11")), (D("2026-02-06"), D("2026-02-15"))], TODAY
    )
    assert (r.last_day, r.days_excluded) == (D("2026-03-30"), 14)
    assert any("2 overlapping or adjacent periods counted once" in s for s in r.steps)


def test_clock_tolled_by_an_open_ended_exclusion():
    """Defendant absent since Sunday Mar 1 (open-ended), today Tuesday Mar 10: Mar 1-10 is
    10 days excluded, so provisionally 2026-03-16 + 10 = Thursday 2026-03-26. Days used: Jan 6
    to Feb 28 = 26 + 28 = 54; the clock is stopped."""
    r = clock_end(START, 70, [(D("2026-03-01"), None)], TODAY)
    assert (r.last_day, r.days_used, r.days_excluded, r.tolled) == (
        D("2026-03-26"),
        54,
        10,
        True,
    )
    assert any("provisional" in s for s in r.steps)
    # One more day absent moves the provisional end one day later.
    assert clock_end(START, 70, [(D("2026-03-01"), None)], D("2026-03-11")).last_day == D(
        "2026-03-27"
    )


def test_clock_exclusion_straddling_the_start():
    """Excluded Saturday 2025-12-20 through 2026-01-10; the clock starts 2026-01-05, so the
    17 days Dec 20-31 (12) and Jan 1-5 (5) do not matter and only Jan 6-10 (5 days) count:
    2026-03-16 + 5 = Saturday 2026-03-21 (clocks do not roll)."""
    r = clock_end(START, 70, [(D("2025-12-20"), D("2026-01-10"))], TODAY)
    assert (r.last_day, r.days_excluded) == (D("2026-03-21"), 5)
    assert r.excluded == ((D("2026-01-06"), D("2026-01-10")),)
    assert any("17 days before day 1 not counted" in s for s in r.steps)


def test_clock_exclusion_before_the_start_is_ignored():
    """Dec 1-31, 2025 lies wholly before day 1 (Jan 6): the end stays 2026-03-16."""
    r = clock_end(START, 70, [(D("2025-12-01"), D("2025-12-31"))], TODAY)
    assert (r.last_day, r.days_excluded) == (D("2026-03-16"), 0)


def test_clock_extension_reaches_a_later_exclusion():
    """Feb 2-11 (10 days) moves the end from Mar 16 to Mar 26; Mar 20-22 lies after the first
    end but before the new one, so it counts too (3 days): Sunday 2026-03-29. Apr 1-5 lies
    after Mar 29: the clock had run out, it does not extend it."""
    periods = [
        (D("2026-02-02"), D("2026-02-11")),
        (D("2026-03-20"), D("2026-03-22")),
        (D("2026-04-01"), D("2026-04-05")),
    ]
    r = clock_end(START, 70, periods, D("2026-04-30"))
    assert (r.last_day, r.days_excluded, r.days_used) == (D("2026-03-29"), 13, 70)
    assert any("after the clock ran out" in s for s in r.steps)


def test_clock_continuance_into_the_future_counts_in_full():
    """An ends-of-justice continuance ordered Mar 1 through Mar 31 (31 days), today Mar 10.
    The order fixed the days, so all 31 count: 2026-03-16 + 31 = Thursday 2026-04-16, not
    provisional. Used as of Mar 10: 54 (Jan 6 to Feb 28)."""
    r = clock_end(START, 70, [(D("2026-03-01"), D("2026-03-31"))], TODAY)
    assert (r.last_day, r.days_used, r.days_excluded, r.tolled) == (
        D("2026-04-16"),
        54,
        31,
        False,
    )


def test_clock_before_it_starts_and_bad_limits():
    r = clock_end(START, 70, [], START)
    assert (r.days_used, r.last_day) == (0, D("2026-03-16"))
    with pytest.raises(ValueError, match="at least 1"):
        clock_end(START, 0, [], TODAY)
    with pytest.raises(ValueError, match="before it starts"):
        clock_end(START, 70, [(D("2026-02-10"), D("2026-02-01"))], TODAY)


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

days_2003_2058 = st.dates(min_value=D("2003-01-01"), max_value=D("2058-12-31"))
CALENDARS = st.sampled_from([FEDERAL, WITH_CLOSURE, TEXAS])


@given(CALENDARS, days_2003_2058, st.integers(0, 400), st.sampled_from(UNITS))
def test_forward_with_roll_never_lands_on_a_closed_day(cal, trigger, amount, unit):
    amount = min(amount, 24) if unit == MONTHS else amount
    r = count_forward(cal, trigger, amount, unit)
    assert cal.is_court_day(r.due)
    assert r.due >= r.last_countable_day
    assert r.rolled == (r.due != r.last_countable_day)
    # Nothing open is skipped by the roll.
    d = r.last_countable_day
    while d < r.due:
        assert not cal.is_court_day(d)
        d += timedelta(days=1)


@given(CALENDARS, days_2003_2058, st.integers(0, 400), st.sampled_from(UNITS))
def test_backward_with_roll_never_lands_on_a_closed_day(cal, event, amount, unit):
    amount = min(amount, 24) if unit == MONTHS else amount
    r = count_backward(cal, event, amount, unit)
    assert cal.is_court_day(r.due)
    assert r.due <= r.last_countable_day <= event


@given(CALENDARS, days_2003_2058, st.integers(1, 400))
def test_calendar_days_without_roll_are_plain_addition(cal, trigger, amount):
    r = count_forward(cal, trigger, amount, CALENDAR_DAYS, roll=False)
    assert r.due == r.last_countable_day == trigger + timedelta(days=amount)


@given(CALENDARS, days_2003_2058, st.integers(1, 60))
def test_court_days_match_a_day_by_day_count(cal, trigger, amount):
    d, counted = trigger, 0
    while counted < amount:
        d += timedelta(days=1)
        counted += cal.is_court_day(d)
    assert count_forward(cal, trigger, amount, COURT_DAYS).due == d
    d, counted = trigger, 0
    while counted < amount:
        d -= timedelta(days=1)
        counted += cal.is_court_day(d)
    assert count_backward(cal, trigger, amount, COURT_DAYS).due == d


@given(days_2003_2058, st.integers(-120, 120))
def test_add_months_keeps_the_day_or_takes_the_last(d, months):
    r = add_months(d, months)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == months
    assert r.day == d.day or (r.day < d.day and (r + timedelta(days=1)).day == 1)


@settings(max_examples=300)
@given(days_2003_2058)
def test_court_days_agree_with_the_holidays_package(d):
    """The precomputed tables say what the package says, plus weekends and the closure."""
    package = holidays.country_holidays("US", years=d.year)
    expected = d.weekday() < 5 and d not in package
    assert FEDERAL.is_court_day(d) == expected
    assert WITH_CLOSURE.is_court_day(d) == (expected and d != D("2026-12-24"))


TODAY_P = D("2026-06-30")
period_days = st.dates(min_value=D("2025-10-01"), max_value=D("2026-09-30"))


@st.composite
def periods(draw):
    start = draw(period_days)
    if draw(st.integers(0, 4)) == 0:
        return (start, None)
    return (start, start + timedelta(days=draw(st.integers(0, 60))))


def _covered(ps, today):
    days = set()
    for start, end in ps:
        end = today if end is None else min(end, today)
        d = start
        while d <= end:
            days.add(d)
            d += timedelta(days=1)
    return days


@given(st.lists(periods(), max_size=8))
def test_merge_periods_is_sorted_disjoint_and_covers_the_same_days(ps):
    merged = merge_periods(ps, TODAY_P)
    for (s1, e1), (s2, _e2) in zip(merged, merged[1:], strict=False):
        assert s1 <= e1 and (s2 - e1).days >= 2  # sorted, disjoint and not adjacent
    assert all(s <= e <= TODAY_P for s, e in merged)
    assert _covered(merged, TODAY_P) == _covered(ps, TODAY_P)


def _clock_by_days(start, limit, ps, today):
    """The obvious O(days) reading of clock_end, as an oracle."""
    excluded = set()
    for s, e in ps:
        if e is None:
            if s > today:
                continue
            e = today
        d = s
        while d <= e:
            excluded.add(d)
            d += timedelta(days=1)
    d, counted, used = start, 0, 0
    while counted < limit:
        d += timedelta(days=1)
        if d not in excluded:
            counted += 1
            used += d <= today
    return d, used


@given(
    st.dates(min_value=D("2025-10-01"), max_value=D("2026-08-31")),
    st.integers(1, 200),
    st.lists(periods(), max_size=6),
)
def test_clock_end_matches_a_day_by_day_count(start, limit, ps):
    r = clock_end(start, limit, ps, TODAY_P)
    assert (r.last_day, r.days_used) == _clock_by_days(start, limit, ps, TODAY_P)
    # days_excluded is exactly the gap between the plain end and the real end.
    assert r.days_excluded == (r.last_day - start).days - limit


@given(
    st.dates(min_value=D("2025-10-01"), max_value=D("2026-08-31")),
    st.integers(1, 200),
    st.lists(periods(), max_size=6),
    periods(),
)
def test_adding_an_exclusion_never_makes_the_clock_end_earlier(start, limit, ps, extra):
    before = clock_end(start, limit, ps, TODAY_P)
    after = clock_end(start, limit, [*ps, extra], TODAY_P)
    assert after.last_day >= before.last_day
    assert after.days_used <= before.days_used
