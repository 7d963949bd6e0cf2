"""Counsel's notices of unavailability ("vacation letters") and the court's interpreters.

A notice is filed once and applies to every case of the attorney; the scheduler treats it as a
soft conflict. A notice is never deleted: withdrawing it sets `withdrawn_at`. Each change writes
an audit row (case_id=None: a notice belongs to no one case). Each function saves everything
with its audit row, or raises and saves nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from docket import audit
from docket.clock import court_today, utc_now
from docket.extensions import db
from docket.models import Attorney, Interpreter, Unavailability, User

LONGEST_NOTICE_DAYS = 366  # a notice covers at most a year (a leap year's worth of days)
LIST_LIMIT = 500

NOTICE_STATUSES = {
    "in_effect": "In effect",
    "upcoming": "Upcoming",
    "past": "Past",
    "withdrawn": "Withdrawn",
}


class NoticeError(ValueError):
    """A refusal the user can act on; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotYours(PermissionError):
    """An attorney acting on another attorney's notice (the view answers 403)."""


def notice_status(notice: Unavailability, today: date) -> str:
    if notice.withdrawn_at is not None:
        return "withdrawn"
    if notice.ends_on < today:
        return "past"
    if notice.starts_on > today:
        return "upcoming"
    return "in_effect"


@dataclass
class NoticeRow:
    notice: Unavailability
    status: str
    filed_by: str = ""

    @property
    def status_label(self) -> str:
        return NOTICE_STATUSES[self.status]


def manages_notices(user: User) -> bool:
    """The clerk's office (and the court administrator) file and withdraw for any attorney."""
    return user.role in ("clerk", "admin")


def attorney_by_bar_number(bar_number: str) -> Attorney:
    bar_number = (bar_number or "").strip().upper()
    if not bar_number:
        raise NoticeError("Enter the attorney's bar number.", "bar_number")
    attorney = db.session.scalar(select(Attorney).where(Attorney.bar_number == bar_number))
    if attorney is None:
        raise NoticeError(f"No attorney has bar number {bar_number}.", "bar_number")
    return attorney


def list_notices(
    user: User, *, attorney_id: int | None = None, include_past: bool = False
) -> list[NoticeRow]:
    """An attorney's own notices; for the court, everyone's (or one attorney's). Past and
    withdrawn-and-past notices only when asked. One query."""
    today = court_today()
    query = select(Unavailability).options(joinedload(Unavailability.attorney))
    if user.role == "attorney":
        query = query.where(Unavailability.attorney_id == user.attorney_id)
    elif attorney_id is not None:
        query = query.where(Unavailability.attorney_id == attorney_id)
    if not include_past:
        query = query.where(Unavailability.ends_on >= today)
    query = query.order_by(
        Unavailability.starts_on, Unavailability.ends_on, Unavailability.id
    ).limit(LIST_LIMIT)
    notices = db.session.scalars(query).all()
    filer_ids = {n.filed_by_id for n in notices if n.filed_by_id is not None}
    filers = (
        dict(db.session.execute(select(User.id, User.name).where(User.id.in_(filer_ids))).all())
        if filer_ids
        else {}
    )
    return [NoticeRow(n, notice_status(n, today), filers.get(n.filed_by_id, "")) for n in notices]


def check_range(starts_on: date | None, ends_on: date | None, today: date) -> None:
    if starts_on is None:
        raise NoticeError("Enter the first day you are unavailable.", "starts_on")
    if ends_on is None:
        raise NoticeError("Enter the last day you are unavailable.", "ends_on")
    if ends_on < starts_on:
        raise NoticeError(
            f"The last day ({ends_on:%b %-d, %Y}) is before the first day "
            f"({starts_on:%b %-d, %Y}).",
            "ends_on",
        )
    if ends_on < today:
        raise NoticeError(
            f"The whole range is in the past (today is {today:%b %-d, %Y}): a notice tells "
            "the court about days to come.",
            "ends_on",
        )
    days = (ends_on - starts_on).days + 1
    if days > LONGEST_NOTICE_DAYS:
        raise NoticeError(
            f"The range covers {days} days; a notice covers at most one year "
            f"({LONGEST_NOTICE_DAYS} days). File a new notice for the rest.",
            "ends_on",
        )


def file_notice(
    user: User, attorney: Attorney, starts_on: date, ends_on: date, reason: str
) -> Unavailability:
    """File a notice for `attorney`: an attorney for themselves, the clerk's office for any."""
    if user.role == "attorney":
        if attorney.id != user.attorney_id:
            raise NotYours("Attorneys file notices of unavailability only for themselves.")
    elif not manages_notices(user):
        raise NotYours("Only counsel and the clerk's office file notices of unavailability.")
    reason = (reason or "").strip()
    if not reason:
        raise NoticeError("Enter the reason (e.g. vacation, trial in another court).", "reason")
    check_range(starts_on, ends_on, court_today())
    notice = Unavailability(
        attorney_id=attorney.id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        filed_at=utc_now(),
        filed_by_id=user.id,
    )
    db.session.add(notice)
    try:
        audit.record("unavailability.filed", notice, case_id=None, user=user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return notice


def withdraw_notice(user: User, notice_id: int) -> Unavailability:
    """Mark a notice withdrawn (it stays on record). An attorney withdraws only their own."""
    notice = db.session.get(Unavailability, notice_id)
    if notice is None:
        raise LookupError(f"There is no notice of unavailability with id {notice_id}.")
    if user.role == "attorney":
        if notice.attorney_id != user.attorney_id:
            raise NotYours("You may withdraw only your own notices of unavailability.")
    elif not manages_notices(user):
        raise NotYours("Only counsel and the clerk's office withdraw notices of unavailability.")
    if notice.withdrawn_at is not None:
        raise NoticeError("This notice was already withdrawn.")
    if notice.ends_on < court_today():
        raise NoticeError("This notice has already ended; there is nothing to withdraw.")
    before = audit.snapshot(notice)
    notice.withdrawn_at = utc_now()
    try:
        old, new = audit.changed(before, audit.snapshot(notice))
        audit.record(
            "unavailability.withdrawn", notice, case_id=None, user=user, before=old, after=new
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return notice


# --- interpreters --------------------------------------------------------------------------


def list_interpreters(court_id: int) -> list[Interpreter]:
    return db.session.scalars(
        select(Interpreter)
        .where(Interpreter.court_id == court_id)
        .order_by(Interpreter.active.desc(), Interpreter.language, Interpreter.name)
    ).all()


def add_interpreter(user: User, name: str, language: str) -> Interpreter:
    name, language = (name or "").strip(), " ".join((language or "").split())
    if not name:
        raise NoticeError("Enter the interpreter's name.", "name")
    if not language:
        raise NoticeError("Enter the language the interpreter works in.", "language")
    language = language[:1].upper() + language[1:]
    duplicate = db.session.scalar(
        select(Interpreter.id).where(
            Interpreter.court_id == user.court_id,
            Interpreter.active.is_(True),
            Interpreter.name == name,
            Interpreter.language == language,
        )
    )
    if duplicate is not None:
        raise NoticeError(f"{name} is already on the list for {language}.", "name")
    interpreter = Interpreter(court_id=user.court_id, name=name, language=language, active=True)
    db.session.add(interpreter)
    try:
        audit.record("interpreter.added", interpreter, case_id=None, user=user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return interpreter


def set_interpreter_active(user: User, interpreter_id: int, active: bool) -> Interpreter:
    interpreter = db.session.get(Interpreter, interpreter_id)
    if interpreter is None or interpreter.court_id != user.court_id:
        raise LookupError(f"This court has no interpreter with id {interpreter_id}.")
    if interpreter.active == active:
        state = "active" if active else "inactive"
        raise NoticeError(f"{interpreter.name} is already {state}.")
    interpreter.active = active
    try:
        audit.record(
            "interpreter.reactivated" if active else "interpreter.deactivated",
            interpreter,
            case_id=None,
            user=user,
            before={"active": not active},
            after={"active": active},
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return interpreter
