"""The one permission module every view uses. The rule itself is `docket.core.access`;
this module feeds it facts from the database and turns refusals into 403 pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g, has_request_context
from flask_login import current_user, login_required
from sqlalchemy import and_, exists, or_, select

from docket.clock import court_today
from docket.core.access import (
    EDIT,
    VIEW,
    CaseFacts,
    EntryFacts,
    Viewer,
    case_access,
    is_current_counsel,
    sees_entry,
    sees_sealed_entries,
)
from docket.extensions import db
from docket.models import Case, CounselOfRecord, DocketEntry, User

ROLE_NAMES = {
    "clerk": "the clerk's office",
    "judge": "judges",
    "attorney": "attorneys",
    "admin": "court administrators",
}


def viewer_for(user: User) -> Viewer:
    return Viewer(
        role=user.role,
        court_id=user.court_id,
        judge_id=user.judge_id,
        attorney_id=user.attorney_id,
    )


def case_facts(case: Case, user: User) -> CaseFacts:
    """The facts the rule needs. The case row's own fields are read fresh each time; the
    attorney's appearances are looked up once per request (a page asks several questions:
    may view, may edit, sees sealed entries)."""
    appearances: tuple = ()
    parties: frozenset = frozenset()
    if user.role == "attorney":
        cache = g.setdefault("appearances", {}) if has_request_context() else {}
        key = (case.id, user.attorney_id)
        if key not in cache:
            rows = db.session.execute(
                select(
                    CounselOfRecord.appeared_on,
                    CounselOfRecord.withdrew_on,
                    CounselOfRecord.side,
                    CounselOfRecord.defendant_id,
                ).where(
                    CounselOfRecord.case_id == case.id,
                    CounselOfRecord.attorney_id == user.attorney_id,
                )
            ).all()
            today = court_today()
            cache[key] = (
                tuple((row.appeared_on, row.withdrew_on) for row in rows),
                frozenset(
                    (row.side, row.defendant_id)
                    for row in rows
                    if is_current_counsel(((row.appeared_on, row.withdrew_on),), today)
                ),
            )
        appearances, parties = cache[key]
    return CaseFacts(
        court_id=case.court_id,
        assigned_judge_id=case.assigned_judge_id,
        sealed=case.sealed,
        appearances=appearances,
        parties=parties,
    )


def entry_facts(entry: DocketEntry) -> EntryFacts:
    return EntryFacts(
        sealed=entry.sealed,
        seal_allows_filer=entry.seal_allows_filer,
        filer_party=entry.filer_party,
        defendant_id=entry.defendant_id,
    )


def sees(user: User, case: Case, entry: DocketEntry) -> bool:
    """Whether the user, who may see the case, sees this entry rather than "SEALED"."""
    return sees_entry(viewer_for(user), case_facts(case, user), entry_facts(entry))


def can(user: User, case: Case, action: str = VIEW) -> bool:
    return bool(case_access(viewer_for(user), case_facts(case, user), action, court_today()))


def sees_sealed(user: User, case: Case) -> bool:
    return sees_sealed_entries(viewer_for(user), case_facts(case, user))


def authorize_case(case_id: int, action: str = VIEW) -> Case:
    """Load a case for the signed-in user, or stop with 404 (no such case) or 403 (why not)."""
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404, description=f"There is no case with id {case_id}.")
    decision = case_access(
        viewer_for(current_user), case_facts(case, current_user), action, court_today()
    )
    if not decision:
        abort(403, description=decision.missing)
    return case


def current_on(today):
    """An appearance of counsel current on `today` (a date or a bind parameter): the SQL twin
    of `core.access.is_current_counsel`, from the appearance to the day of withdrawal."""
    return and_(
        CounselOfRecord.appeared_on <= today,
        or_(CounselOfRecord.withdrew_on.is_(None), CounselOfRecord.withdrew_on > today),
    )


def visible_cases_clause(user: User):
    """The same rule as `case_access(VIEW)`, as a WHERE clause for lists and searches."""
    today = court_today()
    if user.role == "attorney":
        current_counsel = exists().where(
            CounselOfRecord.case_id == Case.id,
            CounselOfRecord.attorney_id == user.attorney_id,
            current_on(today),
        )
        return and_(current_counsel, Case.sealed.is_(False))
    in_court = Case.court_id == user.court_id
    if user.role == "clerk":
        return in_court
    if user.role == "judge":
        if user.judge_id is None:  # `== None` would render IS NULL: unassigned sealed cases
            return and_(in_court, Case.sealed.is_(False))
        return and_(in_court, or_(Case.sealed.is_(False), Case.assigned_judge_id == user.judge_id))
    if user.role == "admin":
        return and_(in_court, Case.sealed.is_(False))
    return Case.id.is_(None)


def visible_entries_clause(user: User):
    """`sees_entry` as a WHERE clause over DocketEntry joined to its Case, for searches and
    lists across cases; combine it with `visible_cases_clause`."""
    unsealed = DocketEntry.sealed.is_(False)
    if user.role == "clerk":
        return DocketEntry.id.is_not(None)
    if user.role == "judge":
        if user.judge_id is None:
            return unsealed
        return or_(unsealed, Case.assigned_judge_id == user.judge_id)
    if user.role == "attorney":
        today = court_today()
        filer_counsel = exists().where(
            CounselOfRecord.case_id == DocketEntry.case_id,
            CounselOfRecord.attorney_id == user.attorney_id,
            current_on(today),
            CounselOfRecord.side == DocketEntry.filer_party,
            or_(
                CounselOfRecord.side == "prosecution",
                and_(
                    DocketEntry.defendant_id.is_not(None),
                    CounselOfRecord.defendant_id == DocketEntry.defendant_id,
                ),
            ),
        )
        return or_(unsealed, and_(DocketEntry.seal_allows_filer.is_(True), filer_counsel))
    return unsealed


def roles_required(*roles: str, why: str | None = None) -> Callable:
    """Only these roles may use the view; others get a 403 that names who may (or `why`)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                allowed = " and ".join(ROLE_NAMES[role] for role in roles)
                abort(403, description=why or f"This page is for {allowed}.")
            return view(*args, **kwargs)

        return wrapped

    return decorate


__all__ = [
    "EDIT",
    "VIEW",
    "authorize_case",
    "can",
    "roles_required",
    "entry_facts",
    "sees",
    "sees_sealed",
    "viewer_for",
    "visible_cases_clause",
    "visible_entries_clause",
]
