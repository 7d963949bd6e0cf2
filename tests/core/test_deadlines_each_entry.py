"""Document requirements per entry (issue 6): a response due for each motion, owed by the
side opposite the motion's filer, met by a response that names it, moot once an order
resolves it; and the entry number that met an ordinary document requirement."""

from __future__ import annotations

import pytest

from docket.core.deadlines import Filing
from docket.core.plan import PlanError, parse_plan
from tests.core.test_deadlines import DOCUMENTS, HEADER, D, ev, make_plan, run

RESPONSES = make_plan(
    """
[[documents]]
id = "motion_response"
name = "Response to motion"
each = "motion"
filer = "opposing"
trigger = { events = ["motion_filed"] }
period = { days = 14 }
satisfied_by = ["entry:response"]
cancelled_by = ["plea_entered"]
"""
)


def test_each_motion_has_its_own_response_owed_by_the_other_side():
    """Defense motion #3 on Mon 2026-03-02: the prosecution answers by 03-16. Prosecution
    motion #4 on Wed 03-04: the defense by 03-18. The court's own entries owe nothing."""
    filings = (
        Filing("motion", D("2026-03-02"), "defense", 3),
        Filing("motion", D("2026-03-04"), "prosecution", 4),
        Filing("motion", D("2026-03-05"), "court", 5),
    )
    results = run(RESPONSES, "2026-03-10", filings=filings)
    three = results[("motion_response#3", None)]
    four = results[("motion_response#4", None)]
    assert (three.owed_by, three.due, three.status, three.name) == (
        "prosecution",
        D("2026-03-16"),
        "pending",
        "Response to motion #3",
    )
    assert (four.owed_by, four.due, four.status) == ("defense", D("2026-03-18"), "pending")
    assert ("motion_response#5", None) not in results
    assert "the side opposing the defense's motion" in three.explanation[0]


def test_a_response_meets_only_the_motion_it_names_and_only_from_the_owing_side():
    """Response #6 names motion #3 (filed by the prosecution, answering the defense): met on
    03-12 by entry #6. A defense 'response' naming #3 does not count; nothing answers #4."""
    filings = (
        Filing("motion", D("2026-03-02"), "defense", 3),
        Filing("motion", D("2026-03-04"), "defense", 4),
        Filing("response", D("2026-03-09"), "defense", 5, responds_to=(3,)),
        Filing("response", D("2026-03-12"), "prosecution", 6, responds_to=(3,)),
    )
    results = run(RESPONSES, "2026-03-20", filings=filings)
    three = results[("motion_response#3", None)]
    assert (three.status, three.met_on, three.met_by_entry) == ("met", D("2026-03-12"), 6)
    four = results[("motion_response#4", None)]
    assert (four.status, four.met_by_entry) == ("missed", None)


def test_an_order_resolving_the_motion_first_makes_the_response_moot():
    filings = (
        Filing("motion", D("2026-03-02"), "defense", 3),
        Filing("order", D("2026-03-05"), "court", 4, resolves=(3,)),
        Filing("response", D("2026-03-09"), "prosecution", 5, responds_to=(3,)),
    )
    three = run(RESPONSES, "2026-03-20", filings=filings)[("motion_response#3", None)]
    assert three.status == "not_applicable" and three.due is None
    assert "order #4 on 2026-03-05" in three.explanation[-1]


def test_a_plea_after_the_motion_makes_its_response_moot():
    filings = (Filing("motion", D("2026-03-02"), "defense", 3),)
    events = [ev("plea_entered", "2026-03-04")]
    three = run(RESPONSES, "2026-03-20", events, filings=filings)[("motion_response#3", None)]
    assert three.status == "not_applicable"


def test_motions_filed_after_today_are_not_yet_known():
    filings = (Filing("motion", D("2026-03-25"), "defense", 3),)
    assert ("motion_response#3", None) not in run(RESPONSES, "2026-03-20", filings=filings)


def test_an_ordinary_document_records_the_entry_that_met_it():
    filings = (
        Filing("discovery_disclosure", D("2026-03-10"), "prosecution", 7),
        Filing("discovery_disclosure", D("2026-03-12"), "prosecution", 9),
    )
    r = run(DOCUMENTS, "2026-04-01", [ev("arraignment_held", "2026-03-02")], filings=filings)[
        ("disclosure", None)
    ]
    assert (r.status, r.met_on, r.met_by_entry, r.owed_by) == (
        "met",
        D("2026-03-10"),
        7,
        "prosecution",
    )


def test_opposing_needs_each_and_each_needs_an_entry_type():
    body = """
[[documents]]
id = "x"
name = "X"
filer = "opposing"
trigger = { events = ["motion_filed"] }
period = { days = 14 }
satisfied_by = ["entry:response"]
"""
    with pytest.raises(PlanError, match="opposing"):
        parse_plan(HEADER + body)
    with pytest.raises(PlanError, match="each"):
        parse_plan(
            HEADER + body.replace('filer = "opposing"', 'each = "letter"\nfiler = "defense"')
        )


def test_a_sealed_motion_owes_the_other_side_no_response():
    """The other side may not see a sealed motion: no deadline names it."""
    filings = (Filing("motion", D("2026-03-02"), "defense", 3, sealed=True),)
    assert ("motion_response#3", None) not in run(RESPONSES, "2026-03-10", filings=filings)


def test_the_entry_is_named_when_an_event_of_the_same_day_also_met_it():
    both = make_plan(
        """
[[documents]]
id = "disclosure"
name = "Rule 16 disclosure"
filer = "prosecution"
trigger = { events = ["arraignment_held"] }
period = { days = 14 }
satisfied_by = ["discovery_disclosed", "entry:discovery_disclosure"]
"""
    )
    events = [ev("arraignment_held", "2026-03-02"), ev("discovery_disclosed", "2026-03-10")]
    filings = (Filing("discovery_disclosure", D("2026-03-10"), "prosecution", 6),)
    r = run(both, "2026-04-01", events, filings=filings)[("disclosure", None)]
    assert (r.status, r.met_on, r.met_by_entry) == ("met", D("2026-03-10"), 6)
