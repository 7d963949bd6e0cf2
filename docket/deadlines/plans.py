"""Plan versions: the files in PLAN_FILES plus versions an administrator uploaded and
activated. Upload validates (errors name line and field), preview shows which deadlines a
version would move, activation puts it in force and recomputes; each step is audit-logged."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select

from docket import audit
from docket.clock import court_today, utc_now
from docket.core.plan import Plan, PlanError, PlanIssue, parse_plan
from docket.extensions import db
from docket.models import Case, Deadline, PlanVersion


@lru_cache(maxsize=32)
def parsed(sha256: str, text: str, source: str) -> Plan:
    """A stored version's plan, parsed once per content."""
    return parse_plan(text, source=source)


def active_versions() -> tuple[Plan, ...]:
    rows = db.session.execute(
        select(PlanVersion.sha256, PlanVersion.text, PlanVersion.file_name)
        .where(PlanVersion.status == "active")
        .order_by(PlanVersion.effective)
    ).all()
    return tuple(parsed(row.sha256, row.text, row.file_name) for row in rows)


def upload(file_name: str, data: bytes, user) -> PlanVersion:
    """Store a valid plan as an uploaded (not yet active) version; PlanError lists problems."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(file_name, [PlanIssue(None, "file", "is not UTF-8 text")]) from exc
    plan = parse_plan(text, source=file_name)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(select(PlanVersion).where(PlanVersion.sha256 == sha256))
    if existing is not None:
        raise PlanError(
            file_name,
            [
                PlanIssue(
                    None,
                    "file",
                    f"this exact plan was already uploaded on "
                    f"{existing.uploaded_at:%Y-%m-%d} (version {existing.id}, {existing.status})",
                )
            ],
        )
    version = PlanVersion(
        plan_id=plan.id,
        name=plan.name,
        effective=plan.effective,
        file_name=file_name[:255],
        text=text,
        sha256=sha256,
        status="uploaded",
        uploaded_by_id=user.id,
    )
    db.session.add(version)
    db.session.flush()
    audit.record(
        "plan_uploaded",
        version,
        case_id=None,
        after={
            "plan_id": plan.id,
            "effective": str(plan.effective),
            "file_name": file_name,
            "sha256": sha256,
        },
    )
    db.session.commit()
    return version


EXAMPLES = 10  # moved deadlines the preview names


@dataclass
class Preview:
    plan: Plan
    active_cases: int
    checked: int
    governed: int  # checked cases the version would govern
    cases_affected: int = 0
    moved: int = 0
    added: int = 0
    removed: int = 0
    examples: list[dict] = field(default_factory=list)


def preview(version: PlanVersion, viewer, limit: int = 5000, batch: int = 500) -> Preview:
    """Compare the version's deadlines with the stored ones for the active cases it would
    govern (the first `limit` by id, in batches). The counts cover every such case (a version
    governs them all); the examples name only cases of the viewer's court the viewer may see
    (an administrator does not see sealed cases)."""
    from docket.deadlines.service import court_plans, facts_for, plan_for, results_under
    from docket.permissions import visible_cases_clause

    plan = parsed(version.sha256, version.text, version.file_name)
    plans = tuple(
        sorted({p.id: p for p in (*court_plans(), plan)}.values(), key=lambda p: p.effective)
    )
    today = court_today()
    active = (
        db.session.scalar(select(func.count()).select_from(Case).where(Case.status == "active"))
        or 0
    )
    ids = list(
        db.session.scalars(
            select(Case.id).where(Case.status == "active").order_by(Case.id).limit(limit)
        )
    )
    result = Preview(plan=plan, active_cases=active, checked=len(ids), governed=0)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        stored: dict[int, dict] = {}
        for row in db.session.execute(
            select(
                Deadline.case_id,
                Deadline.kind,
                Deadline.item_id,
                Deadline.defendant_id,
                Deadline.due_on,
                Deadline.name,
            ).where(Deadline.case_id.in_(chunk))
        ):
            stored.setdefault(row.case_id, {})[(row.kind, row.item_id, row.defendant_id)] = row
        wanted = len(result.examples) < EXAMPLES
        nameable = _nameable(chunk, visible_cases_clause(viewer)) if wanted else set()
        for case, facts, defendant_ids in facts_for(chunk).values():
            if plan_for(case.filed_on, plans).id != plan.id:
                continue
            result.governed += 1
            new = {
                (r.kind, r.id, defendant_ids.get(r.defendant) if r.defendant else None): r
                for r in results_under(plan, facts, today)
            }
            old = stored.get(case.id, {})
            changed = False
            for key, r in new.items():
                if key not in old:
                    result.added += 1
                    changed = True
                elif old[key].due_on != r.due:
                    result.moved += 1
                    changed = True
                    if case.id in nameable and len(result.examples) < EXAMPLES:
                        result.examples.append(
                            {
                                "case_id": case.id,
                                "case_number": case.case_number,
                                "name": r.name,
                                "old": old[key].due_on,
                                "new": r.due,
                            }
                        )
            removed = len(set(old) - set(new))
            result.removed += removed
            result.cases_affected += changed or removed > 0
    return result


def _nameable(case_ids: list[int], visible) -> set[int]:
    """The cases of a batch that may be named as examples: one query per batch."""
    return set(db.session.scalars(select(Case.id).where(Case.id.in_(case_ids), visible)))


def activate(version: PlanVersion, user) -> dict:
    """Put an uploaded version in force and recompute the stored deadlines."""
    from docket.deadlines.service import recompute_all

    if version.status == "active":
        raise PlanError(version.file_name, [PlanIssue(None, "status", "is already active")])
    before = {"status": version.status}
    version.status = "active"
    version.activated_by_id = user.id
    version.activated_at = utc_now()
    db.session.flush()
    audit.record(
        "plan_activated",
        version,
        case_id=None,
        before=before,
        after={"status": "active", "plan_id": version.plan_id, "effective": str(version.effective)},
    )
    db.session.commit()
    return recompute_all()
