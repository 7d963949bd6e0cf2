"""Who sees a docket entry (issue 6), as a matrix over the pure rule `sees_entry`: the
viewer's role × the case's judge × the viewer's party × the entry's seal and its filer.

Sealed entries are the court's (clerks, the case's own judge) and, where the seal order
allows, the filing party's counsel of record; a defense filing belongs to one defendant, so
counsel of a codefendant are not "the filing party".
"""

from __future__ import annotations

import itertools

import pytest

from docket.core.access import CaseFacts, EntryFacts, Viewer, filing_party, sees_entry

COURT = 1
JUDGE_A, JUDGE_B = 10, 11
DEF_1, DEF_2 = 101, 102

VIEWERS = {
    "clerk": (Viewer("clerk", court_id=COURT), frozenset()),
    "clerk of another court": (Viewer("clerk", court_id=2), frozenset()),
    "the case's judge": (Viewer("judge", court_id=COURT, judge_id=JUDGE_A), frozenset()),
    "another judge": (Viewer("judge", court_id=COURT, judge_id=JUDGE_B), frozenset()),
    "admin": (Viewer("admin", court_id=COURT), frozenset()),
    "prosecutor": (Viewer("attorney", attorney_id=7), frozenset({("prosecution", None)})),
    "counsel of defendant 1": (Viewer("attorney", attorney_id=8), frozenset({("defense", DEF_1)})),
    "counsel of defendant 2": (Viewer("attorney", attorney_id=9), frozenset({("defense", DEF_2)})),
}

ENTRIES = {
    "unsealed": EntryFacts(sealed=False, filer_party="defense", defendant_id=DEF_1),
    "sealed, court's": EntryFacts(sealed=True, seal_allows_filer=False, filer_party="court"),
    "sealed defense 1 filing, filer may see": EntryFacts(True, True, "defense", DEF_1),
    "sealed defense 1 filing, filer may not": EntryFacts(True, False, "defense", DEF_1),
    "sealed prosecution filing, filer may see": EntryFacts(True, True, "prosecution"),
}

# Who sees each entry (the others see "SEALED").
SEES = {
    "unsealed": set(VIEWERS),
    "sealed, court's": {"clerk", "the case's judge"},
    "sealed defense 1 filing, filer may see": {
        "clerk",
        "the case's judge",
        "counsel of defendant 1",
    },
    "sealed defense 1 filing, filer may not": {"clerk", "the case's judge"},
    "sealed prosecution filing, filer may see": {"clerk", "the case's judge", "prosecutor"},
}


@pytest.mark.parametrize(("viewer", "entry"), list(itertools.product(VIEWERS, ENTRIES)))
def test_who_sees_an_entry(viewer, entry):
    """`sees_entry` assumes the case itself may be seen (checked first by `case_access`), so
    an unsealed entry is everyone's; a clerk of another court never reaches it."""
    who, parties = VIEWERS[viewer]
    case = CaseFacts(court_id=COURT, assigned_judge_id=JUDGE_A, sealed=False, parties=parties)
    assert sees_entry(who, case, ENTRIES[entry]) is (viewer in SEES[entry])


def test_counsel_who_no_longer_appear_are_not_the_filing_party():
    """`parties` holds today's appearances only: withdrawn counsel have none."""
    who, _ = VIEWERS["counsel of defendant 1"]
    case = CaseFacts(court_id=COURT, assigned_judge_id=JUDGE_A, sealed=False)
    assert not sees_entry(who, case, ENTRIES["sealed defense 1 filing, filer may see"])


def test_the_filing_party_of_an_entry():
    assert filing_party(EntryFacts(True, True, "prosecution")) == ("prosecution", None)
    assert filing_party(EntryFacts(True, True, "defense", DEF_2)) == ("defense", DEF_2)
    assert filing_party(EntryFacts(True, True, "court")) is None
    assert filing_party(EntryFacts(True, True, "defense", None)) is None
