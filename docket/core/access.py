"""Who may see and change a case: the one rule every view and query follows.

The rule is pure so that it can be tested as a matrix without a database; the
permission module in the app feeds it facts and turns a refusal into a 403 page that
says what is missing.

- Clerks are the court: every case of their court, sealed ones included, to view and change.
- Judges see every unsealed case of their court; a sealed case only when it is theirs.
- Court administrators see unsealed cases of their court (they run reports, not cases).
- Attorneys see a case only while they are counsel of record: from the day they appeared
  until the day they withdrew (access ends on the withdrawal date). Sealed cases are the
  court's alone, as in federal CM/ECF, where counsel get sealed material by service.
- Only clerks change cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

VIEW = "view"
EDIT = "edit"


@dataclass(frozen=True)
class Viewer:
    role: str
    court_id: int | None = None
    judge_id: int | None = None
    attorney_id: int | None = None


@dataclass(frozen=True)
class CaseFacts:
    court_id: int
    assigned_judge_id: int | None
    sealed: bool
    # The viewer's own appearances in the case: (appeared_on, withdrew_on or None).
    appearances: tuple[tuple[date, date | None], ...] = field(default_factory=tuple)
    # The parties the viewer represents today: ("prosecution", None) or ("defense", defendant).
    parties: frozenset[tuple[str, int | None]] = frozenset()


@dataclass(frozen=True)
class EntryFacts:
    """What decides who sees a docket entry: its seal, and the party that filed it."""

    sealed: bool
    seal_allows_filer: bool = False
    filer_party: str = "court"
    defendant_id: int | None = None  # the defendant a defense filing was made for


@dataclass(frozen=True)
class Decision:
    allowed: bool
    missing: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def is_current_counsel(appearances, today: date) -> bool:
    """Counsel of record on `today`: appeared on or before it, not withdrawn by it."""
    return any(
        appeared <= today and (withdrew is None or today < withdrew)
        for appeared, withdrew in appearances
    )


def case_access(viewer: Viewer, case: CaseFacts, action: str, today: date) -> Decision:
    if action not in (VIEW, EDIT):
        raise ValueError(f"unknown action {action!r}")
    if viewer.role == "attorney":
        if action == EDIT:
            return Decision(False, "Only the clerk's office changes case records.")
        if not is_current_counsel(case.appearances, today):
            if any(withdrew is not None and withdrew <= today for _, withdrew in case.appearances):
                return Decision(
                    False,
                    "You are no longer counsel of record in this case "
                    "(access ends on the day counsel withdraws).",
                )
            return Decision(False, "You are not counsel of record in this case.")
        if case.sealed:
            return Decision(False, "This case is sealed: only the court may see it.")
        return ALLOW
    if viewer.role not in ("clerk", "judge", "admin"):
        return Decision(False, "Your account has no role that may see cases.")
    if viewer.court_id != case.court_id:
        return Decision(False, "This case belongs to another court.")
    if action == EDIT and viewer.role != "clerk":
        return Decision(False, "Only the clerk's office changes case records.")
    if case.sealed and viewer.role != "clerk":
        if viewer.role == "judge" and _is_assigned_judge(viewer, case):
            return ALLOW
        return Decision(
            False, "This case is sealed: only the clerk's office and its assigned judge may see it."
        )
    return ALLOW


def sees_sealed_entries(viewer: Viewer, case: CaseFacts) -> bool:
    """Sealed docket entries are the court's: its clerks and the case's own judge."""
    if viewer.role not in ("clerk", "judge") or viewer.court_id != case.court_id:
        return False
    if viewer.role == "clerk":
        return True
    return _is_assigned_judge(viewer, case)


def filing_party(entry: EntryFacts) -> tuple[str, int | None] | None:
    """The party that filed an entry, as counsel represent parties: the prosecution (one
    party, whoever its counsel), or one defendant; None for the court's own entries."""
    if entry.filer_party == "prosecution":
        return ("prosecution", None)
    if entry.filer_party == "defense" and entry.defendant_id is not None:
        return ("defense", entry.defendant_id)
    return None


def sees_entry(viewer: Viewer, case: CaseFacts, entry: EntryFacts) -> bool:
    """Whether a viewer who may see the case sees this entry (and its documents) rather than
    "SEALED" in its place: unsealed entries, everyone who sees the case; sealed ones, the
    court (clerks, the case's judge) and, where the seal order allows, the filing party's
    counsel of record today. The caller has checked `case_access` first."""
    if not entry.sealed:
        return True
    if sees_sealed_entries(viewer, case):
        return True
    if viewer.role != "attorney" or not entry.seal_allows_filer:
        return False
    party = filing_party(entry)
    return party is not None and party in case.parties


def _is_assigned_judge(viewer: Viewer, case: CaseFacts) -> bool:
    """An unassigned case is nobody's, not the case of every account linked to no judge."""
    return viewer.judge_id is not None and viewer.judge_id == case.assigned_judge_id
