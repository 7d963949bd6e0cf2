"""Time the pure deadline engine (docket.core.deadlines.compute) over synthetic active cases.

    python -m bench.engine --cases 200000
    python -m bench.engine --cases 200000 --plan rules/us-district-sta-2026.toml

The facts are built first (deterministic random, --seed), then compute() runs over all of them
with one plan and one court calendar built once; only the compute loop is timed, on one core.
The plan is --plan if given, else rules/us-district-sta-2026.toml if it exists, else the
inline federal-style plan below (8 stages, 2 clocks with a minimum, 2 documents, 8 categories).
The last line is the one to grep:

    RESULT cases=200,000 results=... seconds=... cases_per_second=...
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

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
from docket.core.plan import Plan, load_plan, parse_plan

DEFAULT_PLAN_FILE = Path("rules/us-district-sta-2026.toml")

INLINE_PLAN = """
[plan]
id = "bench-federal"
name = "Benchmark federal plan"
citation = "18 U.S.C. 3161"
court = "Benchmark District"
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

[[stages]]
id = "indictment"
name = "Indictment or information"
trigger = { events = ["arrest", "summons_served"] }
period = { days = 30 }
satisfied_by = ["indictment_filed", "information_filed"]

[[stages]]
id = "arraignment"
name = "Arraignment"
trigger = { events = ["indictment_filed", "information_filed"] }
period = { days = 14 }
satisfied_by = ["arraignment_held"]

[[stages]]
id = "discovery"
name = "Discovery conference"
trigger = { events = ["arraignment_held"] }
period = { court_days = 10 }
satisfied_by = ["discovery_disclosed"]

[[stages]]
id = "motions"
name = "Pretrial motions"
trigger = { events = ["arraignment_held"] }
period = { days = 28 }
period_by_track = { complex = { days = 60 } }
satisfied_by = ["motion_filed"]

[[stages]]
id = "pretrial_conference"
name = "Pretrial conference"
trigger = { events = ["stage:motions"] }
period = { days = 21 }
satisfied_by = ["pretrial_conference_held"]
hearing_type = "pretrial_conference"

[[stages]]
id = "plea_deadline"
name = "Plea deadline"
trigger = { events = ["hearing:trial"] }
period = { days = 14 }
direction = "before"
satisfied_by = ["plea_entered"]

[[stages]]
id = "trial"
name = "Trial"
trigger = { events = ["arraignment_held"] }
period = { months = 3 }
satisfied_by = ["trial_commenced"]
hearing_type = "trial"

[[stages]]
id = "sentencing"
name = "Sentencing"
trigger = { events = ["verdict"] }
period = { days = 90 }
satisfied_by = ["sentencing_held"]

[[excludable]]
code = "XA"
name = "Competency proceedings"
citation = "18 U.S.C. 3161(h)(1)(A)"

[[excludable]]
code = "XE"
name = "Pretrial motion"
citation = "18 U.S.C. 3161(h)(1)(D)"
shared_by_codefendants = true

[[excludable]]
code = "XG"
name = "Under advisement"
citation = "18 U.S.C. 3161(h)(1)(H)"
max_days = 30
shared_by_codefendants = true

[[excludable]]
code = "XI"
name = "Plea agreement under consideration"
citation = "18 U.S.C. 3161(h)(1)(G)"

[[excludable]]
code = "XM"
name = "Absence or unavailability"
citation = "18 U.S.C. 3161(h)(3)"

[[excludable]]
code = "XN"
name = "Incompetence"
citation = "18 U.S.C. 3161(h)(4)"

[[excludable]]
code = "XR"
name = "Joined with a codefendant"
citation = "18 U.S.C. 3161(h)(6)"
shared_by_codefendants = true

[[excludable]]
code = "XT"
name = "Ends-of-justice continuance"
citation = "18 U.S.C. 3161(h)(7)(A)"
shared_by_codefendants = true

[[clocks]]
id = "indictment_clock"
name = "Arrest to indictment"
citation = "18 U.S.C. 3161(b)"
start = { events = ["arrest", "summons_served"] }
limit_days = 30
stop = ["indictment_filed", "information_filed"]
excludable = ["XA", "XM", "XN"]

[[clocks]]
id = "trial_clock"
name = "Indictment or appearance to trial"
citation = "18 U.S.C. 3161(c)(1)"
start.events = ["indictment_filed", "information_filed", "initial_appearance"]
start.pick = "latest"
limit_days = 70
stop = ["trial_commenced"]
codefendants = "latest"
roll = true
restarts = [
  { event = "superseding_indictment_filed" },
  { event = "mistrial_declared" },
  { event = "plea_withdrawn" },
]
minimum = { from = "initial_appearance", days = 30, waived_by = ["speedy_trial_waiver_filed"] }

[[documents]]
id = "discovery_disclosure"
name = "Rule 16 disclosure"
filer = "prosecution"
trigger = { events = ["arraignment_held"] }
period = { days = 14 }
satisfied_by = ["entry:discovery_disclosure", "discovery_disclosed"]

[[documents]]
id = "exhibit_list"
name = "Exhibit list"
filer = "prosecution"
trigger = { events = ["hearing:trial"] }
period = { days = 7 }
direction = "before"
satisfied_by = ["entry:exhibit_list"]
"""

CODES = ("XA", "XE", "XG", "XI", "XM", "XN", "XR", "XT")


def synthetic_cases(
    count: int, seed: int, today: date, codes: tuple[str, ...] = CODES
) -> list[CaseFacts]:
    """Active cases filed over the 18 months before `today`, each at some point of its story."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        filed = today - timedelta(days=rng.randint(0, 540))
        defendants = tuple(range(1, 1 + rng.choice((1, 1, 1, 1, 2, 2, 3))))
        custody = rng.choice(("in_custody", "in_custody", "released"))
        events = []
        day = filed - timedelta(days=rng.randint(0, 3))
        for d in defendants:
            arrest = day + timedelta(days=rng.randint(0, 20) if d > 1 else 0)
            if arrest <= today:
                events.append(Event("arrest", arrest, d))
                events.append(Event("initial_appearance", arrest + timedelta(days=1), d))
        steps = (
            ("indictment_filed", 10, 35),
            ("arraignment_held", 3, 20),
            ("discovery_disclosed", 5, 25),
            ("motion_filed", 10, 40),
            ("pretrial_conference_held", 20, 60),
            ("trial_commenced", 30, 120),
        )
        stage = rng.randint(0, len(steps))
        for event_type, low, high in steps[:stage]:
            day = day + timedelta(days=rng.randint(low, high))
            if day > today:
                break
            events.append(Event(event_type, day))
        if rng.random() < 0.05:
            events.append(Event("superseding_indictment_filed", filed + timedelta(days=60)))
        excludable = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            start = filed + timedelta(days=rng.randint(5, 200))
            end = None if rng.random() < 0.1 else start + timedelta(days=rng.randint(0, 45))
            excludable.append(
                Excludable(
                    rng.choice(codes),
                    start,
                    end,
                    rng.choice((None, *defendants)),
                )
            )
        hearings = ()
        if rng.random() < 0.6:
            hearings = (ScheduledHearing("trial", filed + timedelta(days=rng.randint(60, 300))),)
        filings = ()
        if rng.random() < 0.5:
            filings = (
                Filing(
                    "discovery_disclosure",
                    filed + timedelta(days=rng.randint(10, 60)),
                    "prosecution",
                ),
            )
        severances = ()
        if len(defendants) > 1 and rng.random() < 0.1:
            severances = (Severance(defendants[-1], filed + timedelta(days=rng.randint(30, 200))),)
        cases.append(
            CaseFacts(
                filed=filed,
                case_type=rng.choice(("felony", "felony", "misdemeanor")),
                designation="complex" if rng.random() < 0.1 else None,
                custody=custody,
                events=tuple(events),
                excludable=tuple(excludable),
                hearings=hearings,
                filings=filings,
                defendants=defendants,
                severances=severances,
            )
        )
    return cases


def choose_plan(path: str | None) -> tuple[Plan, str]:
    if path:
        return load_plan(path), path
    if DEFAULT_PLAN_FILE.exists():
        return load_plan(DEFAULT_PLAN_FILE), str(DEFAULT_PLAN_FILE)
    return parse_plan(INLINE_PLAN, source="<bench inline plan>"), "inline plan"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.engine",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--plan", default=None, help="a plan file (default: see above)")
    args = parser.parse_args(argv)

    plan, plan_name = choose_plan(args.plan)
    spec = plan.holidays
    calendar = court_calendar(
        spec.country,
        spec.subdivision,
        closures=[(c.day, c.reason) for c in spec.closures],
        categories=spec.categories,
    )
    built = time.perf_counter()
    codes = tuple(c.code for c in plan.excludable) or CODES
    cases = synthetic_cases(args.cases, args.seed, args.today, codes)
    print(
        f"plan: {plan_name}; built {len(cases):,} cases in {time.perf_counter() - built:.1f} s",
        file=sys.stderr,
    )
    results = 0
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    for facts in cases:
        for result in compute(plan, facts, args.today, calendar):
            results += 1
            statuses[result.status] = statuses.get(result.status, 0) + 1
    seconds = time.perf_counter() - started
    print("statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
    print(
        f"RESULT cases={len(cases):,} results={results:,} seconds={seconds:.2f} "
        f"cases_per_second={len(cases) / seconds:,.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
