"""Cases and parties: the database work behind the clerk's forms. Each function either
saves everything it was asked to, with its audit rows, or raises and saves nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from docket import audit
from docket.cases import history_view
from docket.clock import court_zone
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.models import (
    Attorney,
    AuditLogEntry,
    Case,
    CaseEvent,
    Charge,
    CounselOfRecord,
    Courtroom,
    Defendant,
    DocketEntry,
    Hearing,
    Judge,
    TollingPeriod,
    User,
    utcnow,
)
from docket.permissions import visible_cases_clause


class CaseError(ValueError):
    """A change refused for a reason the clerk can act on; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- reading -------------------------------------------------------------------------------


@dataclass
class CasePage:
    rows: list
    page: int
    has_next: bool


def search_cases(user: User, q: str = "", status: str = "", page: int = 1, per_page: int = 50):
    """Cases the user may see, newest first; `q` matches a case number (prefix), a defendant's
    name (prefix: "Rivera", "Rivera, Ana", "Ana Rivera", "State v. Rivera") or an attorney's
    name or bar number. Three queries, whatever the page."""
    query = select(Case).where(visible_cases_clause(user))
    if status:
        query = query.where(Case.status == status)
    # No control characters (PostgreSQL refuses a NUL in text) and no LIKE wildcards: a
    # typed "%" or "_" is not a pattern.
    q = "".join(ch for ch in q if ch.isprintable()).replace("%", "").replace("_", "").strip()
    if q:
        key = q.lower()
        by_number = select(Case.id).where(Case.case_number.like(f"{q.upper()}%"))
        names = _name_keys(key)
        by_defendant = select(Defendant.case_id).where(
            or_(*(Defendant.name_key.like(f"{name}%") for name in names))
        )
        by_attorney = (
            select(CounselOfRecord.case_id)
            .join(Attorney, Attorney.id == CounselOfRecord.attorney_id)
            .where((Attorney.bar_number == q.upper()) | func.lower(Attorney.name).like(f"%{key}%"))
        )
        query = query.where(Case.id.in_(union(by_number, by_defendant, by_attorney)))
    query = (
        query.options(selectinload(Case.defendants), selectinload(Case.assigned_judge))
        .order_by(Case.filed_on.desc(), Case.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = db.session.scalars(query).all()
    return CasePage(rows=rows[:per_page], page=page, has_next=len(rows) > per_page)


CAPTION = re.compile(r"^(?:the\s+)?(?:state|people|commonwealth|united\s+states)\s+v[s]?\.?\s+")


def _name_keys(key: str) -> list[str]:
    """The defendant name keys ("last first middle") a search may mean: as typed ("rivera",
    "rivera ana"), in the order people say a name ("ana rivera"), and without a caption's
    "State v." ("State v. Rivera")."""
    key = " ".join(CAPTION.sub("", key.replace(",", " ")).split())
    keys = [key]
    words = key.split()
    if len(words) > 1:
        keys.append(" ".join([words[-1], *words[:-1]]))
    return keys


def case_details(case: Case) -> dict:
    """Everything the case page shows, loaded in a fixed number of queries."""
    defendants = db.session.scalars(
        select(Defendant)
        .where(Defendant.case_id == case.id)
        .options(selectinload(Defendant.charges))
        .order_by(Defendant.number)
    ).all()
    counsel = db.session.scalars(
        select(CounselOfRecord)
        .where(CounselOfRecord.case_id == case.id)
        .options(selectinload(CounselOfRecord.attorney), selectinload(CounselOfRecord.defendant))
        .order_by(CounselOfRecord.side.desc(), CounselOfRecord.appeared_on)
    ).all()
    events = db.session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id)
        .options(selectinload(CaseEvent.defendant))
        .order_by(CaseEvent.occurred_on, CaseEvent.id)
    ).all()
    hearings = db.session.scalars(
        select(Hearing)
        .where(Hearing.case_id == case.id)
        .options(selectinload(Hearing.courtroom), selectinload(Hearing.judge))
        .order_by(Hearing.starts_at)
    ).all()
    entries = db.session.scalars(
        select(DocketEntry).where(DocketEntry.case_id == case.id).order_by(DocketEntry.number)
    ).all()
    return {
        "deadlines": deadlines.case_deadlines(case),
        "tolling_periods": db.session.scalars(
            select(TollingPeriod)
            .where(TollingPeriod.case_id == case.id)
            .order_by(TollingPeriod.starts_on, TollingPeriod.id)
        ).all(),
        "defendants": defendants,
        "counsel": counsel,
        "events": events,
        "hearings": hearings,
        "docket_entries": entries,
    }


def case_defendants(case: Case) -> list[Defendant]:
    return db.session.scalars(
        select(Defendant).where(Defendant.case_id == case.id).order_by(Defendant.number)
    ).all()


def case_history(case: Case, limit: int = 100) -> list[history_view.HistoryRow]:
    """The case's audit rows as a clerk reads them (docket/cases/history_view.py), with the
    people and records they point at named in one query per kind for the whole page."""
    entries = db.session.scalars(
        select(AuditLogEntry)
        .where(AuditLogEntry.case_id == case.id)
        .options(selectinload(AuditLogEntry.user))
        .order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc())
        .limit(limit)
    ).all()
    records = {}
    for kind, ids in history_view.references(entries).items():
        found = db.session.execute(_history_records(kind, ids, case.id)).all()
        records[kind] = {row[0]: row[1] if len(row) == 2 else tuple(row[1:]) for row in found}
    return history_view.rows(entries, records, court_zone())


def _history_records(kind: str, ids: set[int], case_id: int):
    """What the history shows of one kind of record: a name, a number, a hearing's type."""
    if kind == "defendant":
        names = (Defendant.first_name, Defendant.middle_name, Defendant.last_name)
        return select(Defendant.id, Defendant.number, *names).where(
            Defendant.id.in_(ids), Defendant.case_id == case_id
        )
    if kind == "entry":
        return select(DocketEntry.id, DocketEntry.number).where(
            DocketEntry.id.in_(ids), DocketEntry.case_id == case_id
        )
    if kind == "hearing":
        return select(Hearing.id, Hearing.hearing_type).where(
            Hearing.id.in_(ids), Hearing.case_id == case_id
        )
    if kind == "counsel":
        return (
            select(CounselOfRecord.id, Attorney.name)
            .join(Attorney, CounselOfRecord.attorney_id == Attorney.id)
            .where(CounselOfRecord.id.in_(ids), CounselOfRecord.case_id == case_id)
        )
    model = {"judge": Judge, "attorney": Attorney, "courtroom": Courtroom, "user": User}[kind]
    return select(model.id, model.name).where(model.id.in_(ids))


def court_judges(court_id: int) -> list[Judge]:
    return db.session.scalars(
        select(Judge).where(Judge.court_id == court_id, Judge.active.is_(True)).order_by(Judge.name)
    ).all()


# --- changing ------------------------------------------------------------------------------


def next_case_number(court_id: int, year: int) -> str:
    prefix = f"{year}-CR-"
    highest = db.session.scalar(
        select(func.max(Case.case_number)).where(
            Case.court_id == court_id, Case.case_number.like(f"{prefix}%")
        )
    )
    sequence = int(highest.rsplit("-", 1)[1]) + 1 if highest and highest[-6:].isdigit() else 1
    return f"{prefix}{sequence:06d}"


def _defendant(case: Case, number: int, data: dict) -> Defendant:
    last = data["last_name"].strip()
    first = (data.get("first_name") or "").strip()
    middle = (data.get("middle_name") or "").strip()
    return Defendant(
        case=case,
        number=number,
        last_name=last,
        first_name=first,
        middle_name=middle,
        name_key=Defendant.make_name_key(last, first, middle),
        date_of_birth=data.get("date_of_birth"),
        interpreter_language=(data.get("interpreter_language") or "").strip() or None,
    )


def open_case(court_id: int, data: dict) -> Case:
    """Open a case with its first defendant, in one transaction."""
    judge = db.session.get(Judge, int(data["assigned_judge_id"]))
    if judge is None or judge.court_id != court_id:
        raise CaseError("Choose a judge of this court.", "assigned_judge_id")
    number = data.get("case_number") or next_case_number(court_id, data["filed_on"].year)
    exists = db.session.scalar(
        select(Case.id).where(Case.court_id == court_id, Case.case_number == number)
    )
    if exists:
        raise CaseError(f"Case number {number} is already taken.", "case_number")
    caption = (data.get("caption") or "").strip() or f"State v. {data['last_name'].strip()}"
    plan = deadlines.plan_for(data["filed_on"])
    track = data.get("track") or plan.assign_track(data["case_type"], data["custody_status"])
    if track not in {t.id for t in plan.tracks}:
        raise CaseError(f"Plan {plan.id} has no track {track!r}.", "track")
    case = Case(
        court_id=court_id,
        case_number=number,
        caption=caption,
        case_type=data["case_type"],
        filed_on=data["filed_on"],
        track=track,
        custody_status=data["custody_status"],
        assigned_judge=judge,
        status="active",
        sealed=bool(data.get("sealed")),
    )
    db.session.add(case)
    defendant = _defendant(case, 1, data)
    db.session.add(defendant)
    try:
        db.session.flush()
        audit.record("case_opened", case, case_id=case.id)
        audit.record("defendant_added", defendant, case_id=case.id)
        deadlines.recompute_case(case)
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise CaseError(f"Case number {number} is already taken.", "case_number") from exc
    return case


def _touch(case: Case) -> None:
    """A change to a party is a change to the case: bump its version and updated time."""
    case.updated_at = utcnow()


def add_defendant(case: Case, data: dict) -> Defendant:
    number = (
        db.session.scalar(select(func.max(Defendant.number)).where(Defendant.case_id == case.id))
        or 0
    ) + 1
    defendant = _defendant(case, number, data)
    db.session.add(defendant)
    _touch(case)
    db.session.flush()
    audit.record("defendant_added", defendant, case_id=case.id)
    deadlines.recompute_case(case)
    db.session.commit()
    return defendant


def _case_defendant(case: Case, defendant_id, field: str) -> Defendant:
    defendant = db.session.get(Defendant, int(defendant_id)) if defendant_id else None
    if defendant is None or defendant.case_id != case.id:
        raise CaseError("Choose a defendant in this case.", field)
    return defendant


def add_charge(case: Case, data: dict) -> Charge:
    defendant = _case_defendant(case, data["defendant_id"], "defendant_id")
    count_number = (
        db.session.scalar(
            select(func.max(Charge.count_number)).where(Charge.defendant_id == defendant.id)
        )
        or 0
    ) + 1
    charge = Charge(
        defendant=defendant,
        count_number=count_number,
        statute=data["statute"].strip(),
        description=data["description"].strip(),
        severity_class=data["severity_class"],
        counts=data["counts"],
    )
    db.session.add(charge)
    _touch(case)
    db.session.flush()
    audit.record("charge_added", charge, case_id=case.id)
    db.session.commit()
    return charge


def add_counsel(case: Case, data: dict) -> CounselOfRecord:
    bar_number = data["bar_number"].strip().upper()
    attorney = db.session.scalar(select(Attorney).where(Attorney.bar_number == bar_number))
    if attorney is None:
        raise CaseError(f"No attorney has bar number {bar_number}.", "bar_number")
    defendant = None
    if data["side"] == "defense":
        defendant = _case_defendant(case, data.get("defendant_id"), "defendant_id")
        if attorney.office == "prosecutor":
            raise CaseError(
                f"{attorney.name} is a prosecutor and cannot appear for the defense.", "bar_number"
            )
    elif attorney.office != "prosecutor":
        raise CaseError(
            f"{attorney.name} is defense counsel ({attorney.office_label.lower()}), "
            "not a prosecutor.",
            "bar_number",
        )
    if data["appeared_on"] < case.filed_on:
        raise CaseError(
            f"Counsel cannot appear before the case was filed ({case.filed_on:%b %-d, %Y}).",
            "appeared_on",
        )
    current = db.session.scalar(
        select(CounselOfRecord.id).where(
            CounselOfRecord.case_id == case.id,
            CounselOfRecord.attorney_id == attorney.id,
            CounselOfRecord.withdrew_on.is_(None),
        )
    )
    if current:
        raise CaseError(f"{attorney.name} is already counsel of record in this case.", "bar_number")
    counsel = CounselOfRecord(
        case=case,
        attorney=attorney,
        side=data["side"],
        defendant=defendant,
        appeared_on=data["appeared_on"],
    )
    db.session.add(counsel)
    _touch(case)
    db.session.flush()
    audit.record("counsel_appeared", counsel, case_id=case.id)
    db.session.commit()
    return counsel


def withdraw_counsel(case: Case, counsel_id: int, withdrew_on) -> CounselOfRecord:
    counsel = db.session.get(CounselOfRecord, counsel_id)
    if counsel is None or counsel.case_id != case.id:
        raise CaseError("That appearance is not in this case.")
    if counsel.withdrew_on is not None:
        raise CaseError(
            f"{counsel.attorney.name} already withdrew on {counsel.withdrew_on:%b %-d, %Y}."
        )
    if withdrew_on < counsel.appeared_on:
        raise CaseError(
            f"Withdrawal cannot come before the appearance ({counsel.appeared_on:%b %-d, %Y}).",
            "withdrew_on",
        )
    before = audit.snapshot(counsel)
    counsel.withdrew_on = withdrew_on
    _touch(case)
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(counsel))
    audit.record("counsel_withdrew", counsel, case_id=case.id, before=old, after=new)
    db.session.commit()
    return counsel


def record_event(case: Case, data: dict, user: User) -> CaseEvent:
    defendant = None
    if data.get("defendant_id"):
        defendant = _case_defendant(case, data["defendant_id"], "defendant_id")
    if data["occurred_on"] < case.filed_on and data["event_type"] not in PRE_FILING_EVENTS:
        raise CaseError(
            f"This event cannot come before the case was filed ({case.filed_on:%b %-d, %Y}).",
            "occurred_on",
        )
    event = CaseEvent(
        case=case,
        defendant=defendant,
        event_type=data["event_type"],
        occurred_on=data["occurred_on"],
        note=(data.get("note") or "").strip() or None,
        recorded_by_id=user.id,
    )
    db.session.add(event)
    _touch(case)
    db.session.flush()
    audit.record("event_recorded", event, case_id=case.id)
    deadlines.recompute_case(case)
    db.session.commit()
    return event


# Events that may precede the filing of the charging document.
PRE_FILING_EVENTS = {
    "arrest",
    "summons_served",
    "initial_appearance",
    "complaint_filed",
    "taken_into_custody",
    "released_from_custody",
}


def plan_in_force(filed_on):
    """The plan a case filed that day follows."""
    return deadlines.plan_for(filed_on)


def add_excludable(case: Case, data: dict) -> TollingPeriod:
    """Record an excludable period (with the order that excludes it, when docketed) and
    recompute the case's deadlines in the same transaction."""
    plan = plan_in_force(case.filed_on)
    category = plan.excludable_category(data["code"])
    if category is None:
        raise CaseError(
            f"{data['code']!r} is not an excludable category of plan {plan.id}.", "code"
        )
    defendant = None
    if data.get("defendant_id"):
        defendant = _case_defendant(case, data["defendant_id"], "defendant_id")
    entry_id = None
    if data.get("entry_number"):
        entry_id = db.session.scalar(
            select(DocketEntry.id).where(
                DocketEntry.case_id == case.id, DocketEntry.number == data["entry_number"]
            )
        )
        if entry_id is None:
            raise CaseError(
                f"This case has no docket entry {data['entry_number']}.", "entry_number"
            )
    period = TollingPeriod(
        case_id=case.id,
        defendant_id=defendant.id if defendant else None,
        code=category.code,
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
        reason=data["reason"].strip(),
        docket_entry_id=entry_id,
    )
    db.session.add(period)
    _touch(case)
    db.session.flush()
    audit.record("excludable_period_added", period, case_id=case.id)
    deadlines.recompute_case(case)
    db.session.commit()
    return period


def change_track(case: Case, data: dict) -> Case:
    plan = plan_in_force(case.filed_on)
    if data["track"] not in {track.id for track in plan.tracks}:
        raise CaseError(f"Plan {plan.id} has no track {data['track']!r}.", "track")
    before = audit.snapshot(case)
    case.track = data["track"]
    case.designation = (data.get("designation") or "").strip() or None
    db.session.flush()
    old, new = audit.changed(before, audit.snapshot(case))
    new["reason"] = data["reason"].strip()
    audit.record("track_changed", case, case_id=case.id, before=old, after=new)
    deadlines.recompute_case(case)
    db.session.commit()
    return case
