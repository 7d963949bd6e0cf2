"""The batch auto-scheduler's database side: which cases need which hearing in a window (and
which are not ripe for it, and why), a dry run through docket.core.batch, and applying it in one
transaction through the same `booking.place` a clerk's booking uses.

Every read is set-based: the deadlines, hearings, events, excludable periods, counsel and
defendants of all the cases concerned come in a fixed number of queries (IN lists in chunks),
and the board (sessions and who is where) in load_board's seven.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from docket import audit
from docket.calendar import booking
from docket.clock import court_today, utc_now
from docket.core.batch import Assignment, assign
from docket.core.scheduling import Booking, Busy, Need, Session
from docket.core.vocabulary import HEARING_TYPES
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.models import (
    Attorney,
    Case,
    CaseEvent,
    CounselOfRecord,
    Court,
    Deadline,
    Defendant,
    Hearing,
    TollingPeriod,
    User,
)

PENDING = ("pending", "tolled")
CHUNK = 900  # ids per IN list (SQLite's old limit on bound parameters is 999)
DEFAULT_WEEKS = 6


class BatchError(ValueError):
    """The batch could not be applied; nothing was saved."""


class BatchChanged(BatchError):
    """The calendar or the cases changed since the dry run the clerk saw."""


@dataclass(frozen=True)
class NotRipe:
    case_id: int
    case_number: str
    caption: str
    hearing_type: str
    due: date | None
    reason: str

    @property
    def hearing_label(self) -> str:
        return HEARING_TYPES.get(self.hearing_type, self.hearing_type)


@dataclass
class Proposal:
    court_id: int
    start: date
    end: date
    judge_id: int | None
    assignment: Assignment
    not_ripe: list[NotRipe]
    needs: list[Need]
    board: tuple[list[Session], Busy] = field(repr=False, default=None)
    continued: dict[tuple[int, str], int] = field(default_factory=dict)  # need -> hearing id

    @property
    def digest(self) -> str:
        return self.assignment.digest()

    @property
    def quality(self):
        return self.assignment.quality

    def summary(self) -> dict:
        """The figures the audit row keeps."""
        q = self.quality
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "judge_id": self.judge_id,
            "needs": q.needs,
            "placed": q.placed,
            "unplaced": q.unplaced,
            "deadlines_met": q.met,
            "with_deadline": q.with_deadline,
            "late": q.late,
            "not_ripe": len(self.not_ripe),
            "unplaced_by_reason": q.unplaced_by_reason,
            "load": {q.judge_names.get(j) or str(j): n for j, n in q.load.items()},
            "digest": self.digest,
        }


def default_window(today: date | None = None) -> tuple[date, date]:
    """Tomorrow to six weeks on."""
    today = today or court_today()
    return today + timedelta(days=1), today + timedelta(days=1 + 7 * DEFAULT_WEEKS)


def _chunks(ids):
    ids = sorted(set(ids))
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def _rows(make_query, ids):
    """Run a query once per chunk of ids (make_query(chunk) -> select)."""
    for chunk in _chunks(ids):
        yield from db.session.execute(make_query(chunk))


def _due_text(name: str, citation: str | None, limit: bool = False) -> str:
    what = "limit" if limit else "deadline"
    return f"the {name} {what}" + (f" ({citation})" if citation else "")


def find_needs(
    court_id: int, start: date, end: date, judge_id: int | None = None
) -> tuple[list[Need], list[NotRipe], dict[tuple[int, str], int]]:
    """The hearings cases need by `end` (or already overdue): active cases with a pending plan
    stage that calls for a hearing of a type none of their scheduled hearings has. Returns the
    ripe needs, the not-ripe ones with the reason, and the continued hearings (need -> hearing
    id) a placement will set for a new date (keeping their identity)."""
    plans = deadlines.court_plans()
    case_filter = [Case.court_id == court_id, Case.status.in_(("active", "inactive"))]
    if judge_id is not None:
        case_filter.append(Case.assigned_judge_id == judge_id)
    due = func.coalesce(Deadline.rolled_to, Deadline.due_on)
    columns = (
        Deadline.case_id,
        Deadline.kind,
        Deadline.item_id,
        Deadline.name,
        Deadline.citation,
        due.label("due"),
        Case.case_number,
        Case.caption,
        Case.filed_on,
        Case.status,
        Case.assigned_judge_id,
    )
    rows = db.session.execute(
        select(*columns)
        .join(Case, Case.id == Deadline.case_id)
        .where(
            *case_filter,
            Deadline.status.in_(PENDING),
            Deadline.kind.in_(("stage", "clock")),
            due.is_not(None),
            due <= end,
        )
        .order_by(Deadline.case_id, Deadline.id)
    ).all()

    plan_cache: dict[date, dict[str, str]] = {}

    def stage_types(filed_on: date) -> dict[str, str]:
        if filed_on not in plan_cache:
            plan = deadlines.plan_for(filed_on, plans)
            plan_cache[filed_on] = {s.id: s.hearing_type for s in plan.stages if s.hearing_type}
        return plan_cache[filed_on]

    cases: dict[int, dict] = {}
    wanted: dict[int, dict[str, tuple[date, str]]] = defaultdict(dict)
    clocks: dict[int, tuple[date, str]] = {}
    for row in rows:
        cases.setdefault(
            row.case_id,
            {
                "number": row.case_number,
                "caption": row.caption,
                "status": row.status,
                "judge": row.assigned_judge_id,
            },
        )
        if row.kind == "clock":
            if row.case_id not in clocks or row.due < clocks[row.case_id][0]:
                clocks[row.case_id] = (row.due, _due_text(row.name, row.citation, limit=True))
            continue
        hearing_type = stage_types(row.filed_on).get(row.item_id)
        if hearing_type is None:
            continue
        current = wanted[row.case_id].get(hearing_type)
        if current is None or row.due < current[0]:
            wanted[row.case_id][hearing_type] = (row.due, _due_text(row.name, row.citation))

    # A speedy-trial clock ending in the window makes a trial due even if the trial stage's
    # own date is later: look for those cases' pending trial stages (one more query).
    trial_stage_ids = {i for types in plan_cache.values() for i, t in types.items() if t == "trial"}
    for plan in plans:
        trial_stage_ids |= {s.id for s in plan.stages if s.hearing_type == "trial"}
    later = [c for c in clocks if "trial" not in wanted.get(c, {})]
    for row in _rows(
        lambda chunk: (
            select(Deadline.case_id, Deadline.item_id, Case.filed_on)
            .join(Case, Case.id == Deadline.case_id)
            .where(
                Deadline.case_id.in_(chunk),
                Deadline.kind == "stage",
                Deadline.status.in_(PENDING),
                Deadline.item_id.in_(sorted(trial_stage_ids) or [""]),
            )
        ),
        later,
    ):
        if stage_types(row.filed_on).get(row.item_id) == "trial":
            wanted[row.case_id]["trial"] = clocks[row.case_id]
    for case_id, (clock_due, text) in clocks.items():
        trial = wanted.get(case_id, {}).get("trial")
        if trial is not None and clock_due < trial[0]:
            wanted[case_id]["trial"] = (clock_due, text)

    ids = [c for c in wanted if wanted[c]]
    # Hearings already on the calendar (scheduled) or waiting for a new date (continued).
    continued: dict[tuple[int, str], int] = {}
    for case_id, hearing_type, status, hearing_id in _rows(
        lambda chunk: select(
            Hearing.case_id, Hearing.hearing_type, Hearing.status, Hearing.id
        ).where(Hearing.case_id.in_(chunk), Hearing.status.in_(("scheduled", "continued"))),
        ids,
    ):
        if status == "scheduled":
            wanted[case_id].pop(hearing_type, None)
        elif hearing_type in wanted[case_id]:
            continued.setdefault((case_id, hearing_type), hearing_id)
    for key in list(continued):
        if key[1] not in wanted[key[0]]:
            del continued[key]
    ids = [c for c in ids if wanted[c]]

    # Ripeness for trial: a pending motion (filed after the last decision) or an open
    # competency period.
    trial_cases = [c for c in ids if "trial" in wanted[c]]
    last: dict[int, dict[str, date]] = defaultdict(dict)
    for case_id, event_type, occurred in _rows(
        lambda chunk: (
            select(CaseEvent.case_id, CaseEvent.event_type, func.max(CaseEvent.occurred_on))
            .where(
                CaseEvent.case_id.in_(chunk),
                CaseEvent.event_type.in_(("motion_filed", "motion_decided")),
            )
            .group_by(CaseEvent.case_id, CaseEvent.event_type)
        ),
        trial_cases,
    ):
        last[case_id][event_type] = occurred
    competency: dict[int, str] = {}
    for case_id, code in _rows(
        lambda chunk: select(TollingPeriod.case_id, TollingPeriod.code).where(
            TollingPeriod.case_id.in_(chunk),
            TollingPeriod.ends_on.is_(None),
            or_(
                func.lower(TollingPeriod.code).like("%competen%"),
                func.lower(TollingPeriod.reason).like("%competen%"),
            ),
        ),
        trial_cases,
    ):
        competency.setdefault(case_id, code)

    # Counsel, defendants and interpreters of all the cases.
    counsel: dict[int, dict[int, str]] = defaultdict(dict)
    for case_id, attorney_id, name in _rows(
        lambda chunk: (
            select(CounselOfRecord.case_id, Attorney.id, Attorney.name)
            .join(Attorney, Attorney.id == CounselOfRecord.attorney_id)
            .where(CounselOfRecord.case_id.in_(chunk), CounselOfRecord.withdrew_on.is_(None))
        ),
        ids,
    ):
        counsel[case_id][attorney_id] = name
    persons: dict[int, list[tuple]] = defaultdict(list)
    languages: dict[int, set[str]] = defaultdict(set)
    for case_id, name_key, born, language in _rows(
        lambda chunk: (
            select(
                Defendant.case_id,
                Defendant.name_key,
                Defendant.date_of_birth,
                Defendant.interpreter_language,
            )
            .where(Defendant.case_id.in_(chunk))
            .order_by(Defendant.case_id, Defendant.number)
        ),
        ids,
    ):
        if born is not None and (name_key, born) not in persons[case_id]:
            persons[case_id].append((name_key, born))
        if language:
            languages[case_id].add(language)

    any_judge_types = set(current_app.config["SCHEDULE_ANY_JUDGE_TYPES"])
    needs: list[Need] = []
    not_ripe: list[NotRipe] = []
    for case_id in ids:
        info = cases[case_id]
        for hearing_type, (due_on, text) in sorted(wanted[case_id].items()):
            reason = None
            if info["status"] != "active":
                reason = f"The case is {info['status']}: no hearing until it is active again."
            elif hearing_type == "trial":
                filed = last[case_id].get("motion_filed")
                decided = last[case_id].get("motion_decided")
                if filed is not None and (decided is None or filed > decided):
                    reason = (
                        f"A motion filed {filed.isoformat()} is pending: no trial setting "
                        "until it is decided."
                    )
                elif case_id in competency:
                    reason = (
                        f"Competency is unresolved (open excludable period "
                        f"{competency[case_id]}): no trial setting until it is."
                    )
            if reason is not None:
                not_ripe.append(
                    NotRipe(case_id, info["number"], info["caption"], hearing_type, due_on, reason)
                )
                continue
            attorneys = sorted(counsel[case_id].items(), key=lambda item: (item[1], item[0]))
            found = sorted(languages[case_id])
            needs.append(
                Need(
                    case_id=case_id,
                    hearing_type=hearing_type,
                    judge_id=info["judge"],
                    caption=info["caption"],
                    case_number=info["number"],
                    due=due_on,
                    due_text=text,
                    attorneys=tuple((a, f"Atty. {name}") for a, name in attorneys),
                    persons=tuple(persons[case_id]),
                    language=found[0] if found else None,
                    any_judge=hearing_type in any_judge_types or info["judge"] is None,
                    hearing_id=continued.get((case_id, hearing_type)),
                )
            )
    not_ripe.sort(key=lambda n: (n.due or date.max, n.case_number, n.hearing_type))
    return needs, not_ripe, continued


def dry_run(court_id: int, start: date, end: date, *, judge_id: int | None = None) -> Proposal:
    """What the batch would place from `start` to `end`; nothing is written."""
    if end < start:
        raise BatchError("The window ends before it starts: 'to' must be on or after 'from'.")
    if (end - start).days > 366:
        raise BatchError("The window is longer than a year: choose at most 366 days.")
    needs, not_ripe, continued = find_needs(court_id, start, end, judge_id)
    sessions, busy = booking.load_board(court_id, start, end)
    assignment = assign(needs, sessions, busy, utc_now())
    return Proposal(
        court_id=court_id,
        start=start,
        end=end,
        judge_id=judge_id,
        assignment=assignment,
        not_ripe=not_ripe,
        needs=needs,
        board=(sessions, busy),
        continued=continued,
    )


def apply(
    court_id: int,
    start: date,
    end: date,
    *,
    user: User | None,
    judge_id: int | None = None,
    expected_digest: str | None = None,
) -> Proposal:
    """Run the batch again and write every placement in one transaction: the hearings and their
    settings (booking.place, each checked again under the session's row lock), one audit row
    for the run with its summary, and the touched cases' deadlines. If the result differs from
    the dry run the clerk saw (`expected_digest`), or anything fails, nothing is saved."""
    proposal = dry_run(court_id, start, end, judge_id=judge_id)
    if expected_digest is not None and proposal.digest != expected_digest:
        raise BatchChanged(
            "The calendar or the cases changed since the dry run you reviewed, so the batch "
            "would place hearings differently. Nothing was saved: review the new dry run."
        )
    placements = proposal.assignment.placements
    try:
        case_ids = sorted({p.need.case_id for p in placements})
        cases = {
            c.id: c
            for chunk in _chunks(case_ids)
            for c in db.session.scalars(select(Case).where(Case.id.in_(chunk)))
        }
        hearing_ids = sorted(proposal.continued.values())
        hearings = {
            h.id: h
            for chunk in _chunks(hearing_ids)
            for h in db.session.scalars(select(Hearing).where(Hearing.id.in_(chunk)))
        }
        sessions, busy = proposal.board
        for placement in placements:
            need = placement.need
            hearing = hearings.get(need.hearing_id) if need.hearing_id is not None else None
            written = booking.place(
                cases[need.case_id],
                need.hearing_type,
                placement.session.id,
                placement.slot,
                user=user,
                hearing=hearing,
                need=need,
                board=(sessions, busy),
                recompute=False,
            )
            busy.add_booking(
                Booking(
                    hearing_id=written.id,
                    case_id=need.case_id,
                    caption=need.caption or need.case_number,
                    courtroom_id=placement.session.courtroom_id,
                    courtroom_name=placement.session.courtroom_name,
                    session_id=placement.session.id,
                    starts_at=placement.starts_at,
                    ends_at=placement.ends_at,
                    language=need.language,
                ),
                tuple(a for a, _ in need.attorneys),
                need.persons,
                placement.slot,
            )
        court = db.session.get(Court, court_id)
        audit.record("batch_scheduled", court, case_id=None, after=proposal.summary(), user=user)
        deadlines.recompute(case_ids)
        db.session.commit()
    except booking.BookingRefused as exc:
        db.session.rollback()
        raise BatchChanged(
            f"A placement was refused when saved ({exc}). Nothing was saved: run the batch again."
        ) from exc
    except Exception as exc:
        db.session.rollback()
        raise BatchError(
            f"The batch could not be saved ({type(exc).__name__}: {exc}). Nothing was saved."
        ) from exc
    return proposal
