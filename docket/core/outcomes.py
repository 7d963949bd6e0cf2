"""What a hearing's outcome does to the case: the case events it records (which the plan
consumes, so the next stage's deadline appears at once) and how the case's status moves.

One table, so that the outcome form, the service and the tests read the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from docket.core.vocabulary import HEARING_OUTCOMES


@dataclass(frozen=True, slots=True)
class Effect:
    events: tuple[str, ...] = ()
    # New case status (None: unchanged) and, when disposed, the disposition type.
    status: str | None = None
    disposition: str | None = None
    custody: str | None = None
    # Hearing types the outcome fits (empty: any).
    types: tuple[str, ...] = ()


EFFECTS: dict[str, Effect] = {
    "initial_appearance_held": Effect(("initial_appearance",), types=("initial_appearance",)),
    "arraigned_plea_entered": Effect(("arraignment_held",), types=("arraignment",)),
    "detention_ordered": Effect(custody="in_custody"),
    "released_on_conditions": Effect(("released_from_custody",), custody="released"),
    "status_conference_held": Effect(),
    "motion_heard": Effect(),
    "motion_decided": Effect(("motion_decided",)),
    "pretrial_conference_held": Effect(
        ("pretrial_conference_held",), types=("pretrial_conference", "status_conference")
    ),
    # An accepted guilty or no-contest plea (plea_entered in the plan's vocabulary): the trial
    # clock stops and the sentencing stage starts; the case is disposed at sentencing.
    "plea_accepted": Effect(
        ("plea_entered",),
        types=(
            "change_of_plea",
            "pretrial_conference",
            "arraignment",
            "status_conference",
            "trial",
        ),
    ),
    "trial_commenced": Effect(("trial_commenced",), types=("trial",)),
    "verdict_guilty": Effect(("verdict",), types=("trial",)),
    "verdict_not_guilty": Effect(
        ("verdict",), status="disposed", disposition="acquittal", types=("trial",)
    ),
    "mistrial": Effect(("mistrial_declared",), types=("trial",)),
    "sentenced": Effect(("sentencing_held",), status="disposed", types=("sentencing",)),
    "dismissed": Effect(("dismissed",), status="disposed", disposition="dismissed"),
    # A warrant makes the case inactive (CourTools leaves it out of the active caseload).
    "bench_warrant_issued": Effect(
        ("failure_to_appear", "bench_warrant_issued"), status="inactive", custody="at_large"
    ),
    "failure_to_appear": Effect(("failure_to_appear",)),
}

assert set(EFFECTS) == set(HEARING_OUTCOMES), "every outcome needs its effect"


def outcomes_for(hearing_type: str) -> dict[str, str]:
    """The outcomes a clerk may record for a hearing of this type, with their labels."""
    return {
        code: HEARING_OUTCOMES[code]
        for code, effect in EFFECTS.items()
        if not effect.types or hearing_type in effect.types
    }


def disposition_at_sentencing(event_types: set[str]) -> str:
    """A case sentenced after a verdict was a conviction at trial; otherwise a guilty plea."""
    return "trial_conviction" if "verdict" in event_types else "guilty_plea"
