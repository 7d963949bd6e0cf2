"""Materialized deadlines: the plan's results stored as rows, so that the sweep and the reports
are indexed queries. A case's rows are recomputed in the same transaction as any change to
its events, excludable periods, hearings, filings, defendants or track; `docket deadlines
recompute --all` rebuilds every active case in batches (a constant number of queries per
batch, never one per case)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import aliased

from docket import ROOT
from docket.clock import court_today, court_zone
from docket.core.deadlines import (
    CaseFacts,
    Event,
    Excludable,
    Filing,
    Result,
    ScheduledHearing,
    compute,
)
from docket.core.facts_json import calendar_for
from docket.core.plan import Plan, load_plan
from docket.extensions import db
from docket.models import (
    Case,
    CaseEvent,
    Deadline,
    Defendant,
    DocketEntry,
    DocketEntryLink,
    Hearing,
    TollingPeriod,
    utcnow,
)

# Custody events, and the custody they leave a defendant in.
CUSTODY_EVENTS = {"released_from_custody": "released", "taken_into_custody": "in_custody"}


# --- plans ---------------------------------------------------------------------------------


def plan_files() -> list[Path]:
    names = current_app.config["PLAN_FILES"]
    return [Path(name) if Path(name).is_absolute() else ROOT / name for name in names]


@lru_cache(maxsize=8)
def _load(paths: tuple[Path, ...]) -> tuple[Plan, ...]:
    return tuple(sorted((load_plan(path) for path in paths), key=lambda plan: plan.effective))


def court_plans() -> tuple[Plan, ...]:
    """The court's plan versions, oldest first: PLAN_FILES plus the versions an administrator
    activated (a version with the same plan id replaces the file's)."""
    from docket.deadlines.plans import active_versions

    plans = {plan.id: plan for plan in _load(tuple(plan_files()))}
    plans.update({plan.id: plan for plan in active_versions()})
    return tuple(sorted(plans.values(), key=lambda plan: plan.effective))


def plan_for(filed_on: date, plans: Iterable[Plan] | None = None) -> Plan:
    """The plan in force when the case was filed, unless a later plan in force today says it
    applies to pending cases; before the first plan's effective date, the first plan."""
    plans = tuple(plans or court_plans())
    chosen = plans[0]
    for plan in plans:
        if plan.effective <= filed_on:
            chosen = plan
    today = court_today()
    for plan in plans:
        if (
            plan.applies_to_pending
            and plan.effective <= today
            and plan.effective > chosen.effective
        ):
            chosen = plan
    return chosen


# --- facts from the database -----------------------------------------------------------------


def facts_for(case_ids: list[int]) -> dict[int, tuple[Case, CaseFacts, dict[int, int]]]:
    """CaseFacts for each case, in six queries whatever the number of cases. The third item
    maps defendant numbers to defendant ids (clocks run per defendant)."""
    cases = {
        case.id: case for case in db.session.scalars(select(Case).where(Case.id.in_(case_ids)))
    }
    numbers: dict[int, dict[int, int]] = defaultdict(dict)  # case -> defendant id -> number
    for row in db.session.execute(
        select(Defendant.id, Defendant.case_id, Defendant.number).where(
            Defendant.case_id.in_(case_ids)
        )
    ):
        numbers[row.case_id][row.id] = row.number
    events = defaultdict(list)
    for row in db.session.execute(
        select(
            CaseEvent.case_id, CaseEvent.event_type, CaseEvent.occurred_on, CaseEvent.defendant_id
        )
        .where(CaseEvent.case_id.in_(case_ids))
        .order_by(CaseEvent.occurred_on, CaseEvent.id)
    ):
        number = numbers[row.case_id].get(row.defendant_id) if row.defendant_id else None
        events[row.case_id].append(Event(row.event_type, row.occurred_on, number))
    excludable = defaultdict(list)
    for row in db.session.execute(
        select(
            TollingPeriod.case_id,
            TollingPeriod.code,
            TollingPeriod.starts_on,
            TollingPeriod.ends_on,
            TollingPeriod.defendant_id,
        ).where(TollingPeriod.case_id.in_(case_ids))
    ):
        number = numbers[row.case_id].get(row.defendant_id) if row.defendant_id else None
        excludable[row.case_id].append(Excludable(row.code, row.starts_on, row.ends_on, number))
    zone = court_zone()
    hearings = defaultdict(list)
    for row in db.session.execute(
        select(Hearing.case_id, Hearing.hearing_type, Hearing.starts_at).where(
            Hearing.case_id.in_(case_ids), Hearing.status == "scheduled"
        )
    ):
        hearings[row.case_id].append(
            ScheduledHearing(row.hearing_type, row.starts_at.astimezone(zone).date())
        )
    # Links between entries (a response to #12, an order resolving #12), by the entry's id;
    # a stricken entry neither answers nor is answered.
    target = aliased(DocketEntry)
    source = aliased(DocketEntry)
    links: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row in db.session.execute(
        select(DocketEntryLink.entry_id, DocketEntryLink.relation, target.number)
        .join(source, source.id == DocketEntryLink.entry_id)
        .join(target, target.id == DocketEntryLink.target_id)
        .where(source.case_id.in_(case_ids), target.stricken.is_(False))
    ):
        links[row.entry_id][row.relation].append(row.number)
    filings = defaultdict(list)
    for row in db.session.execute(
        select(
            DocketEntry.id,
            DocketEntry.case_id,
            DocketEntry.number,
            DocketEntry.entry_type,
            DocketEntry.filed_at,
            DocketEntry.filer_party,
            DocketEntry.sealed,
        ).where(DocketEntry.case_id.in_(case_ids), DocketEntry.stricken.is_(False))
    ):
        linked = links.get(row.id)
        filings[row.case_id].append(
            Filing(
                row.entry_type,
                row.filed_at.astimezone(zone).date(),
                row.filer_party,
                row.number,
                tuple(linked["responds_to"]) if linked else (),
                tuple(linked["resolves"]) if linked else (),
                row.sealed,
            )
        )
    result = {}
    for case_id, case in cases.items():
        case_events = tuple(events[case_id])
        result[case_id] = (
            case,
            CaseFacts(
                filed=case.filed_on,
                case_type=case.case_type,
                track=case.track,
                designation=case.designation,
                custody=custody_at_filing(case.custody_status, case_events),
                events=case_events,
                excludable=tuple(excludable[case_id]),
                hearings=tuple(hearings[case_id]),
                filings=tuple(filings[case_id]),
                defendants=tuple(sorted(numbers[case_id].values())) or (1,),
            ),
            {number: defendant_id for defendant_id, number in numbers[case_id].items()},
        )
    return result


def custody_at_filing(current: str, events: tuple[Event, ...]) -> str:
    """The engine counts custody from filing and follows custody events; the case row holds
    custody now. Before the first custody event the defendant was in the opposite state."""
    first = next((e for e in events if e.type in CUSTODY_EVENTS), None)
    if first is None:
        return current
    return "in_custody" if CUSTODY_EVENTS[first.type] == "released" else "released"


# --- storing -------------------------------------------------------------------------------


def _rows(
    case: Case, plan: Plan, results: Iterable[Result], defendant_ids: dict[int, int], today: date
) -> list[dict]:
    now = utcnow()
    return [
        {
            "case_id": case.id,
            "defendant_id": defendant_ids.get(result.defendant) if result.defendant else None,
            "kind": result.kind,
            "item_id": result.id,
            "name": result.name[:200],
            "plan_version": plan.id,
            "due_on": result.due,
            "warn_on": result.warn_on,
            "last_countable_day": result.last_countable_day,
            "rolled_to": result.rolled_to,
            "status": result.status,
            "satisfied_on": result.met_on,
            "owed_by": result.owed_by,
            "satisfied_by_entry": result.met_by_entry,
            "days_used": result.days_used,
            "days_excluded": result.days_excluded,
            "citation": (result.citation or None) and result.citation[:300],
            "explanation": list(result.explanation),
            "excluded_periods": [
                {
                    "code": p.code,
                    "name": p.name,
                    "citation": p.citation,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat() if p.end else None,
                    "days": p.days,
                }
                for p in result.excluded_periods
            ],
            "computed_for": today,
            "computed_at": now,
        }
        for result in results
    ]


def results_under(plan: Plan, facts: CaseFacts, today: date) -> tuple[Result, ...]:
    """The engine's results for a case under `plan`; a track the plan lacks is left to the
    plan's own track rules."""
    if facts.track is not None and facts.track not in {t.id for t in plan.tracks}:
        facts = replace(facts, track=None)
    return compute(plan, facts, today, calendar_for(plan))


def recompute(case_ids: list[int], today: date | None = None) -> int:
    """Replace the stored deadlines of these cases; the caller commits. Returns rows written."""
    if not case_ids:
        return 0
    today = today or court_today()
    plans = court_plans()  # once per batch, not per case
    rows: list[dict] = []
    for case, facts, defendant_ids in facts_for(case_ids).values():
        plan = plan_for(case.filed_on, plans)
        results = results_under(plan, facts, today)
        rows.extend(_rows(case, plan, results, defendant_ids, today))
    connection = db.session.connection()
    connection.execute(delete(Deadline.__table__).where(Deadline.case_id.in_(case_ids)))
    if rows:  # Core executemany: no ORM bookkeeping for rows nobody loads here
        connection.execute(insert(Deadline.__table__), rows)
    return len(rows)


def recompute_case(case: Case) -> int:
    db.session.flush()
    return recompute([case.id])


def recompute_all(batch: int = 1000, include_disposed: bool = False, progress=None) -> dict:
    """Rebuild the stored deadlines of every active (and inactive) case, a batch at a time,
    each batch in its own transaction. Keyset pagination: no OFFSET over a million rows."""
    statuses = ("active", "inactive", "disposed") if include_disposed else ("active", "inactive")
    last_id, cases, rows = 0, 0, 0
    while True:
        ids = list(
            db.session.scalars(
                select(Case.id)
                .where(Case.id > last_id, Case.status.in_(statuses))
                .order_by(Case.id)
                .limit(batch)
            )
        )
        if not ids:
            break
        rows += recompute(ids)
        db.session.commit()
        cases += len(ids)
        last_id = ids[-1]
        if progress:
            progress(cases, rows)
    return {"cases": cases, "rows": rows}


def case_deadlines(case: Case) -> list[Deadline]:
    return list(
        db.session.scalars(
            select(Deadline)
            .where(Deadline.case_id == case.id)
            .order_by(Deadline.kind.desc(), Deadline.due_on.is_(None), Deadline.due_on, Deadline.id)
        )
    )
