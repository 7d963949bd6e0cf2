"""Who sees which open flags: the clerk's work queue, a judge's cases behind schedule, an
attorney's approaching deadlines and documents due.

Every list is one SQL query for the flags (filtered, sorted by urgency and paginated in the
database, with the case and judge joined), one for the deadlines the flags are about (their
explanations), and at most one for the plans (the hearing type a "Schedule" link needs):
a constant number whatever the number of flags, cases or pages. A flag whose subject names a
docket entry the viewer sees as SEALED is left out by the flags' query itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import String, case, cast, exists, func, literal, select, true
from sqlalchemy.orm import aliased

from docket.core.vocabulary import FLAG_KINDS, FLAG_SEVERITIES, HEARING_TYPES
from docket.extensions import db
from docket.models import Case, Deadline, DocketEntry, Flag, Judge, User
from docket.permissions import visible_cases_clause, visible_entries_clause
from docket.web import format_date

# A judge's cases "behind schedule": missed stages, clocks running out, hearings not set.
BEHIND_KINDS = ("overdue", "speedy_trial", "unscheduled")
# What counsel can act on: their deadlines (stages and clocks) and the documents they owe.
ATTORNEY_KINDS = ("approaching", "overdue", "speedy_trial", "document_due")
SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Info"}

# Urgency: critical first, then the earliest due date (undated last), then the oldest flag.
SEVERITY_RANK = case(
    {severity: rank for rank, severity in enumerate(reversed(FLAG_SEVERITIES))},
    value=Flag.severity,
    else_=len(FLAG_SEVERITIES),
)
URGENCY = (SEVERITY_RANK, Flag.due_on.asc().nulls_last(), Flag.since.asc(), Flag.id.asc())


# A deadline in one of these no longer calls for its flag (its words for the note).
DONE_STATUSES = {"met": "met", "met_late": "met (late)", "not_applicable": "no longer required",
                 "stopped": "stopped"}  # fmt: skip


@dataclass
class Explanation:
    """The deadline a flag is about, as the case page shows it."""

    name: str
    due_on: date | None
    status: str
    lines: list[str]
    citation: str | None
    rolled_to: date | None = None  # the due date moved past a weekend or holiday


@dataclass
class FlagRow:
    id: int
    case_id: int
    defendant_id: int | None
    kind: str
    subject: str
    severity: str
    since: datetime
    cause: str
    due_on: date | None
    case_number: str
    caption: str
    sealed: bool
    filed_on: date
    judge_name: str | None
    explanation: Explanation | None = None
    # For an unscheduled flag: the hearing type the stage needs (the "Schedule" link).
    hearing_type: str | None = None

    @property
    def kind_label(self) -> str:
        return FLAG_KINDS.get(self.kind, self.kind)

    @property
    def overtaken(self) -> str | None:
        """What changed in the flag's deadline since the nightly sweep raised it (a filing, an
        order excluding time, a new event): the flag stays until the next sweep (only the
        sweep writes flags), so the page says so rather than contradict the case page."""
        e = self.explanation
        if e is None:
            return None
        if e.status in DONE_STATUSES:
            return f"Since the nightly check this deadline is {DONE_STATUSES[e.status]}"
        if e.due_on is not None and self.due_on not in (e.due_on, e.rolled_to):
            return f"Since the nightly check the date moved to {format_date(e.due_on)}"
        return None

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def subject_parts(self) -> tuple[str, str, int | None]:
        return parse_subject(self.subject)

    @property
    def hearing_id(self) -> int | None:
        """The hearing an outcome_missing flag is about."""
        prefix, item, _ = self.subject_parts
        if prefix == "hearing" and item.isdigit():
            return int(item)
        return None

    @property
    def hearing_type_label(self) -> str | None:
        return HEARING_TYPES.get(self.hearing_type) if self.hearing_type else None


@dataclass
class FlagPage:
    rows: list[FlagRow]
    page: int
    per_page: int
    has_next: bool
    counts: dict[str, int] = field(default_factory=dict)  # open flags by severity (filtered)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def parse_subject(subject: str) -> tuple[str, str, int | None]:
    """("stage", item_id, None), ("clock", item_id, defendant_id), ("document", item_id, None),
    ("hearing", hearing_id, None); ("", "", None) for anything else."""
    prefix, _, rest = (subject or "").partition(":")
    if prefix == "clock":
        item, _, defendant = rest.rpartition(":")
        if item and defendant.isdigit():
            return prefix, item, int(defendant)
        return prefix, rest, None
    if prefix in ("stage", "document", "hearing"):
        return prefix, rest, None
    return "", "", None


_ROW_COLUMNS = (
    Flag.id,
    Flag.case_id,
    Flag.defendant_id,
    Flag.kind,
    Flag.subject,
    Flag.severity,
    Flag.since,
    Flag.cause,
    Flag.due_on,
    Case.case_number,
    Case.caption,
    Case.sealed,
    Case.filed_on,
)


# A flag about a per-entry document deadline ("document:motion_response#12").
PER_ENTRY = "document:%#%"


def names_entry(subject, case_id, entry=DocketEntry):
    """Whether a flag's subject names this entry of its case: a per-entry document deadline,
    "document:<item>#<number>" (the whole string matches: #1 is not #12)."""
    return (entry.case_id == case_id) & subject.like(
        literal("document:%#") + cast(entry.number, String)
    )


def visible_flags_clause(user: User):
    """The open flags `user` may see: on the cases they may see (the one access rule, in
    SQL), less those whose subject names an entry they see as SEALED ("Response to motion
    #12", #12 sealed since the sweep raised it: flags change only at the next sweep)."""
    clause = visible_cases_clause(user)
    if user.role == "clerk":  # the clerk's office sees every entry
        return clause
    hidden = exists().where(
        names_entry(Flag.subject, Flag.case_id),
        # NULL-safe: a sealed entry of a case with no judge is nobody's but the clerk's.
        visible_entries_clause(user).is_not(true()),
    )
    # The cheap test first: most flags name no entry, and need not look for one.
    return clause & ~(Flag.subject.like(PER_ENTRY) & hidden)


def _open_flags(user: User):
    """Open flags `user` may see."""
    judge = aliased(Judge)
    return (
        select(*_ROW_COLUMNS, judge.name.label("judge_name"))
        .join(Case, Case.id == Flag.case_id)
        .outerjoin(judge, judge.id == Case.assigned_judge_id)
        .where(Flag.resolved_at.is_(None), visible_flags_clause(user))
    )


def _rows(query) -> list[FlagRow]:
    return [FlagRow(**row._asdict()) for row in db.session.execute(query)]


def attach_details(rows: list[FlagRow]) -> list[FlagRow]:
    """Each flag's deadline explanation (one query for the whole list) and, for unscheduled
    flags, the hearing type the stage needs (the plans: at most one more query)."""
    wanted = {}
    for row in rows:
        prefix, item, defendant_id = row.subject_parts
        if prefix in ("stage", "clock", "document"):
            wanted[row.id] = (row.case_id, prefix, item, defendant_id or row.defendant_id)
    if wanted:
        case_ids = {key[0] for key in wanted.values()}
        items = {key[2] for key in wanted.values()}
        found: dict[tuple, list[Deadline]] = {}
        deadlines = db.session.execute(
            select(
                Deadline.case_id,
                Deadline.kind,
                Deadline.item_id,
                Deadline.defendant_id,
                Deadline.name,
                Deadline.due_on,
                Deadline.status,
                Deadline.explanation,
                Deadline.citation,
                Deadline.rolled_to,
            ).where(Deadline.case_id.in_(case_ids), Deadline.item_id.in_(items))
        )
        for d in deadlines:
            found.setdefault((d.case_id, d.kind, d.item_id), []).append(d)
        for row in rows:
            key = wanted.get(row.id)
            if key is None:
                continue
            candidates = found.get(key[:3], [])
            # The defendant's own row when the deadline runs per defendant, else the case's.
            best = next((d for d in candidates if d.defendant_id == key[3]), None) or next(
                (d for d in candidates if d.defendant_id is None), None
            )
            if best is None and candidates:
                best = candidates[0]
            if best is not None:
                row.explanation = Explanation(
                    name=best.name,
                    due_on=best.due_on,
                    status=best.status,
                    lines=list(best.explanation or []),
                    citation=best.citation,
                    rolled_to=best.rolled_to,
                )
    unscheduled = [row for row in rows if row.kind == "unscheduled"]
    if unscheduled:
        from docket.deadlines.service import court_plans, plan_for

        plans = court_plans()
        for row in unscheduled:
            prefix, item, _ = row.subject_parts
            plan = plan_for(row.filed_on, plans)
            stage = next((s for s in plan.stages if s.id == item), None)
            row.hearing_type = stage.hearing_type if stage else None
    return rows


def _page(query, page: int, per_page: int, counts_query=None) -> FlagPage:
    page = max(page, 1)
    rows = _rows(query.order_by(*URGENCY).offset((page - 1) * per_page).limit(per_page + 1))
    counts = {}
    if counts_query is not None:
        counts = {severity: count for severity, count in db.session.execute(counts_query)}
    return FlagPage(
        rows=attach_details(rows[:per_page]),
        page=page,
        per_page=per_page,
        has_next=len(rows) > per_page,
        counts={severity: counts.get(severity, 0) for severity in reversed(FLAG_SEVERITIES)},
    )


def _counts(user: User, filters) -> select:
    return (
        select(Flag.severity, func.count())
        .join(Case, Case.id == Flag.case_id)
        .where(Flag.resolved_at.is_(None), visible_flags_clause(user), *filters)
        .group_by(Flag.severity)
    )


def work_queue(
    user: User,
    *,
    judge_id: int | None = None,
    kind: str | None = None,
    severity: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> FlagPage:
    """The court's open flags (the cases `user` may see: a clerk, every case of the court),
    most urgent first. Four queries at most, whatever the page or the number of flags."""
    filters = []
    if judge_id is not None:
        filters.append(Case.assigned_judge_id == judge_id)
    if kind:
        filters.append(Flag.kind == kind)
    if severity:
        filters.append(Flag.severity == severity)
    return _page(
        _open_flags(user).where(*filters), page, per_page, counts_query=_counts(user, filters)
    )


def judge_behind(user: User, limit: int = 25) -> list[FlagRow]:
    """The judge's own cases behind schedule (overdue stages, speedy-trial clocks running out,
    hearings needed and not set), most urgent first; [] for an account that is not a judge."""
    if user.role != "judge" or user.judge_id is None:
        return []
    query = _open_flags(user).where(
        Case.assigned_judge_id == user.judge_id, Flag.kind.in_(BEHIND_KINDS)
    )
    return attach_details(_rows(query.order_by(*URGENCY).limit(limit)))


def attorney_flags(user: User, *, page: int = 1, per_page: int = 50) -> FlagPage:
    """An attorney's approaching and missed deadlines and documents due, on the cases where
    they are counsel of record today (never sealed ones), most urgent first."""
    if user.role != "attorney":
        return FlagPage(rows=[], page=1, per_page=per_page, has_next=False)
    filters = [Flag.kind.in_(ATTORNEY_KINDS)]
    return _page(
        _open_flags(user).where(*filters), page, per_page, counts_query=_counts(user, filters)
    )


def queue_summary(user: User) -> dict:
    """Open flags of the court by kind and severity (one query), for the clerk's dashboard."""
    rows = db.session.execute(
        select(Flag.kind, Flag.severity, func.count())
        .join(Case, Case.id == Flag.case_id)
        .where(Flag.resolved_at.is_(None), visible_flags_clause(user))
        .group_by(Flag.kind, Flag.severity)
    ).all()
    by_kind: Counter = Counter()
    by_severity: Counter = Counter()
    for kind, severity, count in rows:
        by_kind[kind] += count
        by_severity[severity] += count
    return {
        "total": sum(by_kind.values()),
        "by_kind": [(kind, label, by_kind[kind]) for kind, label in FLAG_KINDS.items()],
        "by_severity": [(s, SEVERITY_LABELS[s], by_severity[s]) for s in reversed(FLAG_SEVERITIES)],
    }


def dashboard_panel(user: User) -> dict | None:
    """What the clerk's and attorney's dashboards show of the flags (constant queries)."""
    if user.role in ("clerk", "admin"):
        return {
            "summary": queue_summary(user),
            "urgent": work_queue(user, per_page=10).rows,
        }
    if user.role == "attorney":
        page = attorney_flags(user, per_page=10)
        return {"rows": page.rows, "has_more": page.has_next, "total": page.total}
    return None
