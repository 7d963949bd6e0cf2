"""Who may see and change a case, as a matrix over the pure rule: no app, no database.

Every row states its expectation; `None` means allowed, a string is a fragment the refusal
must contain (the 403 page shows it, so it has to say what is missing).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docket.core.access import (
    EDIT,
    VIEW,
    CaseFacts,
    Viewer,
    case_access,
    is_current_counsel,
    sees_sealed_entries,
)

TODAY = date(2026, 6, 15)
OWN, OTHER = 1, 2  # the viewer's court and another court
JUDGE_A, JUDGE_B = 10, 11  # a judge viewer is always JUDGE_A

# The case's judge, as the viewer sees it.
ASSIGNED = {"viewer": JUDGE_A, "another judge": JUDGE_B, "nobody": None}

# An attorney's own appearances in the case, relative to TODAY.
APPEARANCES = {
    "current counsel": ((TODAY - timedelta(days=30), None),),
    "never counsel": (),
    "withdrawn before today": ((TODAY - timedelta(days=30), TODAY - timedelta(days=1)),),
    "withdraws today": ((TODAY - timedelta(days=30), TODAY),),
    "appears tomorrow": ((TODAY + timedelta(days=1), None),),
}

ANOTHER_COURT = "another court"
CLERKS_ONLY = "Only the clerk's office changes"
SEALED = "sealed"
NOT_COUNSEL = "not counsel of record"
NO_LONGER = "no longer counsel of record"

# (role, case's court, sealed, case's judge): (view, edit)
STAFF_MATRIX = {
    ("clerk", OWN, False, "viewer"): (None, None),
    ("clerk", OWN, False, "another judge"): (None, None),
    ("clerk", OWN, False, "nobody"): (None, None),
    ("clerk", OWN, True, "viewer"): (None, None),
    ("clerk", OWN, True, "another judge"): (None, None),
    ("clerk", OWN, True, "nobody"): (None, None),
    ("clerk", OTHER, False, "viewer"): (ANOTHER_COURT, ANOTHER_COURT),
    ("clerk", OTHER, False, "another judge"): (ANOTHER_COURT, ANOTHER_COURT),
    ("clerk", OTHER, False, "nobody"): (ANOTHER_COURT, ANOTHER_COURT),
    ("clerk", OTHER, True, "viewer"): (ANOTHER_COURT, ANOTHER_COURT),
    ("clerk", OTHER, True, "another judge"): (ANOTHER_COURT, ANOTHER_COURT),
    ("clerk", OTHER, True, "nobody"): (ANOTHER_COURT, ANOTHER_COURT),
    ("judge", OWN, False, "viewer"): (None, CLERKS_ONLY),
    ("judge", OWN, False, "another judge"): (None, CLERKS_ONLY),
    ("judge", OWN, False, "nobody"): (None, CLERKS_ONLY),
    ("judge", OWN, True, "viewer"): (None, CLERKS_ONLY),
    ("judge", OWN, True, "another judge"): (SEALED, CLERKS_ONLY),
    ("judge", OWN, True, "nobody"): (SEALED, CLERKS_ONLY),
    ("judge", OTHER, False, "viewer"): (ANOTHER_COURT, ANOTHER_COURT),
    ("judge", OTHER, False, "another judge"): (ANOTHER_COURT, ANOTHER_COURT),
    ("judge", OTHER, False, "nobody"): (ANOTHER_COURT, ANOTHER_COURT),
    ("judge", OTHER, True, "viewer"): (ANOTHER_COURT, ANOTHER_COURT),
    ("judge", OTHER, True, "another judge"): (ANOTHER_COURT, ANOTHER_COURT),
    ("judge", OTHER, True, "nobody"): (ANOTHER_COURT, ANOTHER_COURT),
    ("admin", OWN, False, "viewer"): (None, CLERKS_ONLY),
    ("admin", OWN, False, "another judge"): (None, CLERKS_ONLY),
    ("admin", OWN, False, "nobody"): (None, CLERKS_ONLY),
    ("admin", OWN, True, "viewer"): (SEALED, CLERKS_ONLY),
    ("admin", OWN, True, "another judge"): (SEALED, CLERKS_ONLY),
    ("admin", OWN, True, "nobody"): (SEALED, CLERKS_ONLY),
    ("admin", OTHER, False, "viewer"): (ANOTHER_COURT, ANOTHER_COURT),
    ("admin", OTHER, False, "another judge"): (ANOTHER_COURT, ANOTHER_COURT),
    ("admin", OTHER, False, "nobody"): (ANOTHER_COURT, ANOTHER_COURT),
    ("admin", OTHER, True, "viewer"): (ANOTHER_COURT, ANOTHER_COURT),
    ("admin", OTHER, True, "another judge"): (ANOTHER_COURT, ANOTHER_COURT),
    ("admin", OTHER, True, "nobody"): (ANOTHER_COURT, ANOTHER_COURT),
}

# (appearance, sealed): view. Attorneys never edit; their court and the case's judge
# do not matter (attorneys belong to no court).
ATTORNEY_MATRIX = {
    ("current counsel", False): None,
    ("current counsel", True): SEALED,
    ("never counsel", False): NOT_COUNSEL,
    ("never counsel", True): NOT_COUNSEL,
    ("withdrawn before today", False): NO_LONGER,
    ("withdrawn before today", True): NO_LONGER,
    ("withdraws today", False): NO_LONGER,
    ("withdraws today", True): NO_LONGER,
    ("appears tomorrow", False): NOT_COUNSEL,
    ("appears tomorrow", True): NOT_COUNSEL,
}


def staff(role: str) -> Viewer:
    return Viewer(role=role, court_id=OWN, judge_id=JUDGE_A if role == "judge" else None)


def facts(court_id: int, sealed: bool, assigned: str, appearance: str = "never counsel"):
    return CaseFacts(
        court_id=court_id,
        assigned_judge_id=ASSIGNED[assigned],
        sealed=sealed,
        appearances=APPEARANCES[appearance],
    )


def assert_decision(decision, expected: str | None) -> None:
    if expected is None:
        assert decision.allowed, f"refused: {decision.missing}"
        assert bool(decision) is True
    else:
        assert not decision.allowed
        assert bool(decision) is False
        assert expected in decision.missing


def test_the_matrices_cover_every_combination():
    assert len(STAFF_MATRIX) == 3 * 2 * 2 * len(ASSIGNED)
    assert len(ATTORNEY_MATRIX) == len(APPEARANCES) * 2


@pytest.mark.parametrize("appearance", APPEARANCES)
@pytest.mark.parametrize(("key", "expected"), STAFF_MATRIX.items(), ids=str)
def test_court_staff(key, expected, appearance):
    """Clerks, judges and administrators: appearances (which only attorneys have) change
    nothing."""
    role, court_id, sealed, assigned = key
    view, edit = expected
    case = facts(court_id, sealed, assigned, appearance)
    assert_decision(case_access(staff(role), case, VIEW, TODAY), view)
    assert_decision(case_access(staff(role), case, EDIT, TODAY), edit)


@pytest.mark.parametrize("court_id", [OWN, OTHER])
@pytest.mark.parametrize("assigned", ASSIGNED)
@pytest.mark.parametrize(("key", "expected"), ATTORNEY_MATRIX.items(), ids=str)
def test_attorneys(key, expected, court_id, assigned):
    appearance, sealed = key
    attorney = Viewer(role="attorney", attorney_id=7)
    case = facts(court_id, sealed, assigned, appearance)
    assert_decision(case_access(attorney, case, VIEW, TODAY), expected)
    assert_decision(case_access(attorney, case, EDIT, TODAY), CLERKS_ONLY)


def test_an_attorney_who_appears_tomorrow_is_not_told_they_withdrew():
    attorney = Viewer(role="attorney", attorney_id=7)
    decision = case_access(attorney, facts(OWN, False, "nobody", "appears tomorrow"), VIEW, TODAY)
    assert NO_LONGER not in decision.missing


def test_an_attorney_back_on_the_case_after_withdrawing_is_counsel_again():
    attorney = Viewer(role="attorney", attorney_id=7)
    case = CaseFacts(
        court_id=OWN,
        assigned_judge_id=JUDGE_A,
        sealed=False,
        appearances=(
            (TODAY - timedelta(days=90), TODAY - timedelta(days=60)),
            (TODAY - timedelta(days=10), None),
        ),
    )
    assert case_access(attorney, case, VIEW, TODAY).allowed


@pytest.mark.parametrize("role", ["public", "", "Clerk"])
@pytest.mark.parametrize("action", [VIEW, EDIT])
def test_an_account_without_a_known_role_sees_nothing(role, action):
    viewer = Viewer(role=role, court_id=OWN, judge_id=JUDGE_A)
    decision = case_access(viewer, facts(OWN, False, "viewer"), action, TODAY)
    assert not decision.allowed
    assert decision.missing


def test_a_judge_account_linked_to_no_judge_is_not_the_judge_of_unassigned_cases():
    viewer = Viewer(role="judge", court_id=OWN, judge_id=None)
    sealed_unassigned = facts(OWN, True, "nobody")
    assert not case_access(viewer, sealed_unassigned, VIEW, TODAY).allowed
    assert not sees_sealed_entries(viewer, sealed_unassigned)


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(ValueError, match="delete"):
        case_access(staff("clerk"), facts(OWN, False, "viewer"), "delete", TODAY)


@pytest.mark.parametrize(
    ("appearance", "current"),
    [
        ("current counsel", True),
        ("never counsel", False),
        ("withdrawn before today", False),
        ("withdraws today", False),
        ("appears tomorrow", False),
    ],
)
def test_counsel_of_record_from_appearance_until_withdrawal(appearance, current):
    assert is_current_counsel(APPEARANCES[appearance], TODAY) is current


def test_counsel_is_of_record_on_the_day_of_appearance():
    assert is_current_counsel(((TODAY, None),), TODAY)
    assert is_current_counsel(((TODAY, TODAY + timedelta(days=1)),), TODAY)


# --- sealed docket entries ----------------------------------------------------------------

# (role, case's court, case's judge): sees sealed entries
SEALED_ENTRIES_MATRIX = {
    ("clerk", OWN, "viewer"): True,
    ("clerk", OWN, "another judge"): True,
    ("clerk", OWN, "nobody"): True,
    ("clerk", OTHER, "viewer"): False,
    ("clerk", OTHER, "another judge"): False,
    ("clerk", OTHER, "nobody"): False,
    ("judge", OWN, "viewer"): True,
    ("judge", OWN, "another judge"): False,
    ("judge", OWN, "nobody"): False,
    ("judge", OTHER, "viewer"): False,
    ("judge", OTHER, "another judge"): False,
    ("judge", OTHER, "nobody"): False,
    ("admin", OWN, "viewer"): False,
    ("admin", OWN, "another judge"): False,
    ("admin", OWN, "nobody"): False,
    ("admin", OTHER, "viewer"): False,
    ("admin", OTHER, "another judge"): False,
    ("admin", OTHER, "nobody"): False,
}


@pytest.mark.parametrize("sealed", [False, True])
@pytest.mark.parametrize(("key", "expected"), SEALED_ENTRIES_MATRIX.items(), ids=str)
def test_sealed_entries_are_the_courts(key, expected, sealed):
    role, court_id, assigned = key
    assert sees_sealed_entries(staff(role), facts(court_id, sealed, assigned)) is expected


@pytest.mark.parametrize("appearance", APPEARANCES)
@pytest.mark.parametrize("assigned", ASSIGNED)
def test_attorneys_never_see_sealed_entries(appearance, assigned):
    attorney = Viewer(role="attorney", attorney_id=7)
    assert not sees_sealed_entries(attorney, facts(OWN, False, assigned, appearance))


# --- properties ---------------------------------------------------------------------------

days = st.integers(min_value=-400, max_value=400).map(lambda n: TODAY + timedelta(days=n))


@st.composite
def past_appearance(draw):
    """An appearance that is over by TODAY: withdrawn on or before it."""
    withdrew = draw(days.filter(lambda d: d <= TODAY))
    appeared = draw(days.filter(lambda d: d <= withdrew))
    return (appeared, withdrew)


@st.composite
def future_appearance(draw):
    """An appearance that has not begun by TODAY."""
    appeared = draw(days.filter(lambda d: d > TODAY))
    withdrew = draw(st.none() | days.filter(lambda d: d >= appeared))
    return (appeared, withdrew)


ids = st.none() | st.integers(min_value=1, max_value=4)


@given(
    appearances=st.lists(past_appearance() | future_appearance(), max_size=4).map(tuple),
    viewer_court=ids,
    viewer_judge=ids,
    case_court=st.integers(min_value=1, max_value=4),
    case_judge=ids,
    sealed=st.booleans(),
    action=st.sampled_from([VIEW, EDIT]),
)
def test_an_attorney_with_no_current_appearance_is_never_allowed(
    appearances, viewer_court, viewer_judge, case_court, case_judge, sealed, action
):
    viewer = Viewer(role="attorney", court_id=viewer_court, judge_id=viewer_judge, attorney_id=7)
    case = CaseFacts(
        court_id=case_court, assigned_judge_id=case_judge, sealed=sealed, appearances=appearances
    )
    decision = case_access(viewer, case, action, TODAY)
    assert not decision.allowed
    assert decision.missing


@given(
    role=st.sampled_from(["clerk", "judge", "admin", "attorney", "public"]),
    viewer_court=ids,
    viewer_judge=ids,
    case_court=st.integers(min_value=1, max_value=4),
    case_judge=ids,
    sealed=st.booleans(),
    appearances=st.lists(past_appearance() | future_appearance(), max_size=2).map(tuple),
    current=st.booleans(),
)
def test_only_a_clerk_of_the_cases_court_edits_and_whoever_edits_may_view(
    role, viewer_court, viewer_judge, case_court, case_judge, sealed, appearances, current
):
    if current:
        appearances = (*appearances, (TODAY, None))
    viewer = Viewer(role=role, court_id=viewer_court, judge_id=viewer_judge, attorney_id=7)
    case = CaseFacts(
        court_id=case_court, assigned_judge_id=case_judge, sealed=sealed, appearances=appearances
    )
    may_edit = case_access(viewer, case, EDIT, TODAY).allowed
    assert may_edit == (role == "clerk" and viewer_court == case_court)
    if may_edit:
        assert case_access(viewer, case, VIEW, TODAY).allowed
