"""Calendar sessions: the templates clerks define ("Mondays 9:00-12:00, Courtroom 3A, Judge
Okafor, arraignments, 40 slots"), their exceptions (judge away, courtroom or court closed), the
sessions materialized from them for a horizon, and the one-by-one edit of a session.

Each change either saves everything with its audit rows or raises SessionError (naming the form
field) and saves nothing. Materializing never moves or drops a scheduled hearing: a template
change that would is left unapplied and reported, and a session closed by a holiday or an
exception reports the hearings on it, which the clerk must continue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, or_, select, union
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from docket import audit
from docket.calendar.booking import core_session
from docket.clock import court_today
from docket.core.access import CaseFacts, sees_sealed_entries
from docket.core.calendar_math import CourtCalendar, add_months
from docket.core.facts_json import calendar_for
from docket.core.scheduling import Session as CoreSession
from docket.core.scheduling import slot_window
from docket.core.vocabulary import HEARING_TYPES, SESSION_EXCEPTION_KINDS, SESSION_STATUSES
from docket.deadlines.service import plan_for
from docket.extensions import db
from docket.models import (
    CalendarSession,
    Case,
    Court,
    Courtroom,
    Hearing,
    HearingSetting,
    Judge,
    SessionException,
    SessionTemplate,
    User,
    utcnow,
)
from docket.permissions import viewer_for

WEEKDAYS = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}


class SessionError(ValueError):
    """A change refused for a reason the clerk can act on; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- words and times -----------------------------------------------------------------------


def clock_text(minute: int) -> str:
    """Local minutes after midnight as 24-hour H:MM (9:00, 13:30, 24:00)."""
    return f"{minute // 60}:{minute % 60:02d}"


def days_text(weekdays) -> str:
    names = [WEEKDAYS[d][:3] for d in sorted(weekdays)]
    return ", ".join(names)


def local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `minute` local minutes after midnight on `day` in `zone`: the wall
    clock reading, so 9:00 is 9:00 in the court on either side of a DST change."""
    extra, minute = divmod(minute, 1440)
    wall = datetime.combine(day + timedelta(days=extra), time(minute // 60, minute % 60), zone)
    return wall.astimezone(UTC)


def local_minute(instant: datetime, zone: ZoneInfo) -> int:
    local = instant.astimezone(zone)
    return local.hour * 60 + local.minute


def horizon(today: date | None = None) -> tuple[date, date]:
    """The materialization range: today to today + CALENDAR_HORIZON_MONTHS."""
    today = today or court_today()
    return today, add_months(today, int(current_app.config["CALENDAR_HORIZON_MONTHS"]))


def _session_label(row: CalendarSession, zone: ZoneInfo) -> str:
    start = row.starts_at.astimezone(zone)
    end = row.ends_at.astimezone(zone)
    name = f"“{row.name}” " if row.name else ""
    return f"{name}{row.session_date:%a %b} {row.session_date.day}, {start:%H:%M}–{end:%H:%M}"


def _shape(**values) -> CoreSession:
    return CoreSession(
        id=0,
        day=values["session_date"],
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        judge_id=values["judge_id"],
        courtroom_id=values["courtroom_id"],
        hearing_types=frozenset(values["hearing_types"]),
        capacity=values["capacity"],
        slot_minutes=values["slot_minutes"],
    )


# --- reading -------------------------------------------------------------------------------


def court_of(court_id: int) -> Court:
    court = db.session.get(Court, court_id)
    if court is None:
        raise SessionError(f"There is no court with id {court_id}.")
    return court


def court_judges(court_id: int) -> list[Judge]:
    return db.session.scalars(
        select(Judge).where(Judge.court_id == court_id, Judge.active.is_(True)).order_by(Judge.name)
    ).all()


def court_courtrooms(court_id: int) -> list[Courtroom]:
    return db.session.scalars(
        select(Courtroom).where(Courtroom.court_id == court_id).order_by(Courtroom.name)
    ).all()


def list_templates(court_id: int) -> list[SessionTemplate]:
    return db.session.scalars(
        select(SessionTemplate)
        .where(SessionTemplate.court_id == court_id)
        .options(selectinload(SessionTemplate.judge), selectinload(SessionTemplate.courtroom))
        .order_by(SessionTemplate.active.desc(), SessionTemplate.name, SessionTemplate.id)
    ).all()


def list_exceptions(court_id: int, since: date) -> list[SessionException]:
    """Exceptions that end on or after `since`, soonest first."""
    return db.session.scalars(
        select(SessionException)
        .where(SessionException.court_id == court_id, SessionException.ends_on >= since)
        .options(selectinload(SessionException.judge), selectinload(SessionException.courtroom))
        .order_by(SessionException.starts_on, SessionException.id)
    ).all()


def upcoming_sessions(court_id: int, start: date, end: date) -> list[CalendarSession]:
    return db.session.scalars(
        select(CalendarSession)
        .where(
            CalendarSession.court_id == court_id,
            CalendarSession.session_date >= start,
            CalendarSession.session_date <= end,
        )
        .options(selectinload(CalendarSession.judge), selectinload(CalendarSession.courtroom))
        .order_by(CalendarSession.starts_at, CalendarSession.id)
    ).all()


SEALED_CAPTION = "Sealed case"


@dataclass(frozen=True)
class Booked:
    """A scheduled hearing in a session, as the checks need it and as the viewer may read it:
    a sealed case's caption is "Sealed case" to whoever may not see the case."""

    id: int
    session_id: int
    slot: int | None
    hearing_type: str
    starts_at: datetime
    ends_at: datetime
    case_number: str
    caption: str

    def describe(self, zone: ZoneInfo) -> str:
        at = self.starts_at.astimezone(zone)
        kind = HEARING_TYPES.get(self.hearing_type, self.hearing_type)
        return f"{self.case_number} {self.caption}, {kind.lower()} {at:%b} {at.day} {at:%H:%M}"


def _booked_query():
    return (
        select(
            Hearing.id,
            Hearing.calendar_session_id,
            Hearing.slot,
            Hearing.hearing_type,
            Hearing.starts_at,
            Hearing.ends_at,
            Case.case_number,
            Case.caption,
            Case.court_id,
            Case.sealed,
            Case.assigned_judge_id,
        )
        .join(Case, Case.id == Hearing.case_id)
        .where(Hearing.status == "scheduled")
        .order_by(Hearing.starts_at, Hearing.slot, Hearing.id)
    )


def _booked(rows, viewer: User | None) -> dict[int, list[Booked]]:
    """The booked hearings by session, a sealed case's caption replaced for whoever may not
    read it: the day board's rule (the court: its clerks and the case's judge). No viewer is
    the court's own run (the nightly job, `docket sessions materialize`), whose output is the
    operator's log."""
    seer = viewer_for(viewer) if viewer is not None else None
    found: dict[int, list[Booked]] = defaultdict(list)
    for *fields, court_id, sealed, judge_id in rows:
        hearing = Booked(*fields)
        if sealed and seer is not None:
            facts = CaseFacts(court_id=court_id, assigned_judge_id=judge_id, sealed=True)
            if not sees_sealed_entries(seer, facts):
                hearing = replace(hearing, caption=SEALED_CAPTION)
        found[hearing.session_id].append(hearing)
    return found


def booked_in(session_id: int, viewer: User | None) -> list[Booked]:
    """The session's scheduled hearings, captions as `viewer` may read them."""
    rows = db.session.execute(_booked_query().where(Hearing.calendar_session_id == session_id))
    return _booked(rows, viewer).get(session_id, [])


def _changes(before: dict, obj) -> tuple[dict, dict]:
    """The fields a change touched, without the bookkeeping columns."""
    old, new = audit.changed(before, audit.snapshot(obj))
    for key in ("updated_at", "version"):
        old.pop(key, None)
        new.pop(key, None)
    return old, new


def _check_version(obj, version, what: str) -> None:
    """The form carries the version the clerk saw; another one means someone else saved
    meanwhile (the app answers StaleDataError with a 409 page)."""
    if version is None or version == "":
        return
    try:
        seen = int(version)
    except (TypeError, ValueError):
        seen = -1
    if seen != obj.version:
        raise StaleDataError(f"{what} {obj.id} was changed by someone else meanwhile.")


# --- what moves a booked hearing -------------------------------------------------------------


def pushed_out(old: CoreSession, new: CoreSession, hearings: list[Booked]) -> list[Booked]:
    """The scheduled hearings a change from `old` to `new` would move or drop: the session no
    longer takes their type, their slot is beyond the capacity, or their slot's time moves."""
    moved = []
    for hearing in hearings:
        if hearing.hearing_type not in new.hearing_types:
            moved.append(hearing)
        elif hearing.slot is None:
            if hearing.starts_at < new.starts_at or hearing.ends_at > new.ends_at:
                moved.append(hearing)
        elif hearing.slot >= new.capacity or (
            slot_window(old, hearing.slot) != slot_window(new, hearing.slot)
        ):
            moved.append(hearing)
    return moved


def _listing(hearings: list[Booked], zone: ZoneInfo, limit: int = 3) -> str:
    shown = "; ".join(h.describe(zone) for h in hearings[:limit])
    more = len(hearings) - limit
    return shown + (f" and {more} more" if more > 0 else "")


# --- templates -------------------------------------------------------------------------------


TEMPLATE_FIELDS = (
    "name",
    "judge_id",
    "courtroom_id",
    "weekdays",
    "start_minute",
    "end_minute",
    "slot_minutes",
    "hearing_types",
    "capacity",
    "valid_from",
    "valid_until",
)


def _template_values(court_id: int, data: dict) -> dict:
    """Check a template's fields (the form checks them too; the service is the guard)."""
    name = (data.get("name") or "").strip()
    if not name:
        raise SessionError("Enter a name for the template.", "name")
    if len(name) > 120:
        raise SessionError("The name is longer than 120 characters.", "name")
    try:
        weekdays = sorted({int(day) for day in data.get("weekdays") or ()})
    except (TypeError, ValueError):
        raise SessionError("Weekdays are numbered 1 (Monday) to 7 (Sunday).", "weekdays") from None
    if not weekdays:
        raise SessionError("Choose at least one weekday.", "weekdays")
    if weekdays[0] < 1 or weekdays[-1] > 7:
        raise SessionError("Weekdays are numbered 1 (Monday) to 7 (Sunday).", "weekdays")
    start, end = data.get("start_minute"), data.get("end_minute")
    if start is None or not 0 <= start < 1440:
        raise SessionError("Enter the start time as HH:MM.", "start_time")
    if end is None or not 0 < end <= 1440:
        raise SessionError("Enter the end time as HH:MM.", "end_time")
    if end <= start:
        raise SessionError(
            f"The session must end after it starts ({clock_text(start)}).", "end_time"
        )
    slot = data.get("slot_minutes")
    if slot is None or slot <= 0:
        raise SessionError("Minutes per slot must be more than 0.", "slot_minutes")
    if slot > end - start:
        raise SessionError(
            f"A slot of {slot} minutes does not fit in the session's {end - start} minutes.",
            "slot_minutes",
        )
    capacity = data.get("capacity")
    if capacity is None or capacity <= 0:
        raise SessionError("Capacity must be at least 1 hearing.", "capacity")
    types = list(dict.fromkeys(data.get("hearing_types") or ()))
    if not types:
        raise SessionError("Choose at least one hearing type.", "hearing_types")
    unknown = [t for t in types if t not in HEARING_TYPES]
    if unknown:
        raise SessionError(f"Unknown hearing type {unknown[0]!r}.", "hearing_types")
    judge = db.session.get(Judge, int(data["judge_id"])) if data.get("judge_id") else None
    if judge is None or judge.court_id != court_id:
        raise SessionError("Choose a judge of this court.", "judge_id")
    courtroom = (
        db.session.get(Courtroom, int(data["courtroom_id"])) if data.get("courtroom_id") else None
    )
    if courtroom is None or courtroom.court_id != court_id:
        raise SessionError("Choose a courtroom of this court.", "courtroom_id")
    valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
    if valid_from is None:
        raise SessionError("Enter the first day the template applies.", "valid_from")
    if valid_until is not None and valid_until < valid_from:
        raise SessionError(
            f"“Valid until” is before “valid from” ({valid_from:%b} {valid_from.day}, "
            f"{valid_from.year}).",
            "valid_until",
        )
    return {
        "name": name,
        "judge_id": judge.id,
        "courtroom_id": courtroom.id,
        "weekdays": weekdays,
        "start_minute": start,
        "end_minute": end,
        "slot_minutes": slot,
        "hearing_types": types,
        "capacity": capacity,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }


def _validity_text(template) -> str:
    first = f"{template.valid_from:%b} {template.valid_from.day}, {template.valid_from.year}"
    if template.valid_until is None:
        return f"from {first}"
    last = template.valid_until
    return f"{first} to {last:%b} {last.day}, {last.year}"


def template_summary(template) -> str:
    return (
        f"{days_text(template.weekdays)} {clock_text(template.start_minute)}–"
        f"{clock_text(template.end_minute)}"
    )


def _check_overlap(court_id: int, values: dict, exclude_id: int | None) -> None:
    """Refuse a template whose sessions would sit at the same time as another active
    template's in the same courtroom or before the same judge."""
    query = select(SessionTemplate).where(
        SessionTemplate.court_id == court_id,
        SessionTemplate.active.is_(True),
        or_(
            SessionTemplate.courtroom_id == values["courtroom_id"],
            SessionTemplate.judge_id == values["judge_id"],
        ),
    )
    if exclude_id is not None:
        query = query.where(SessionTemplate.id != exclude_id)
    query = query.options(
        selectinload(SessionTemplate.judge), selectinload(SessionTemplate.courtroom)
    )
    far = date.max
    for other in db.session.scalars(query.order_by(SessionTemplate.id)):
        common = sorted(set(other.weekdays) & set(values["weekdays"]))
        if not common:
            continue
        if not (
            values["start_minute"] < other.end_minute and other.start_minute < values["end_minute"]
        ):
            continue
        if not (
            values["valid_from"] <= (other.valid_until or far)
            and other.valid_from <= (values["valid_until"] or far)
        ):
            continue
        same = []
        if other.courtroom_id == values["courtroom_id"]:
            same.append(f"Courtroom {other.courtroom.name}")
        if other.judge_id == values["judge_id"]:
            same.append(f"Judge {other.judge.name}")
        raise SessionError(
            f"Overlaps template “{other.name}” ({template_summary(other)}, "
            f"{_validity_text(other)}): {' and '.join(same)} would sit twice on "
            f"{', '.join(WEEKDAYS[d] for d in common)}s.",
            "start_time",
        )


def create_template(court_id: int, data: dict, user: User | None = None) -> SessionTemplate:
    values = _template_values(court_id, data)
    _check_overlap(court_id, values, None)
    template = SessionTemplate(court_id=court_id, active=True, **values)
    db.session.add(template)
    db.session.flush()
    audit.record("session_template_created", template, case_id=None, user=user)
    db.session.commit()
    return template


def update_template(
    template: SessionTemplate, data: dict, user: User | None = None, version=None
) -> SessionTemplate:
    _check_version(template, version, "Session template")
    values = _template_values(template.court_id, data)
    if template.active:
        _check_overlap(template.court_id, values, template.id)
    before = audit.snapshot(template)
    for key, value in values.items():
        setattr(template, key, value)
    db.session.flush()
    old, new = _changes(before, template)
    if new:
        audit.record(
            "session_template_changed", template, case_id=None, before=old, after=new, user=user
        )
    db.session.commit()
    return template


def set_template_active(
    template: SessionTemplate, active: bool, user: User | None = None, version=None
) -> SessionTemplate:
    """Deactivate (its future sessions leave the calendar at the next materialization, unless
    hearings are scheduled in them) or reactivate (checked for overlaps again)."""
    _check_version(template, version, "Session template")
    if template.active == active:
        return template
    if active:
        values = {key: getattr(template, key) for key in TEMPLATE_FIELDS}
        _check_overlap(template.court_id, values, template.id)
    template.active = active
    db.session.flush()
    audit.record(
        "session_template_activated" if active else "session_template_deactivated",
        template,
        case_id=None,
        before={"active": not active},
        after={"active": active},
        user=user,
    )
    db.session.commit()
    return template


# --- exceptions ------------------------------------------------------------------------------


def _exception_values(court_id: int, data: dict) -> dict:
    kind = data.get("kind") or ""
    if kind not in SESSION_EXCEPTION_KINDS:
        raise SessionError("Choose what kind of exception this is.", "kind")
    judge_id = courtroom_id = None
    if kind == "judge_away":
        judge = db.session.get(Judge, int(data["judge_id"])) if data.get("judge_id") else None
        if judge is None or judge.court_id != court_id:
            raise SessionError("Choose the judge who is away.", "judge_id")
        judge_id = judge.id
    if kind == "courtroom_closed":
        room = (
            db.session.get(Courtroom, int(data["courtroom_id"]))
            if data.get("courtroom_id")
            else None
        )
        if room is None or room.court_id != court_id:
            raise SessionError("Choose the courtroom that is closed.", "courtroom_id")
        courtroom_id = room.id
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on is None:
        raise SessionError("Enter the first day.", "starts_on")
    if ends_on is None:
        raise SessionError("Enter the last day.", "ends_on")
    if ends_on < starts_on:
        raise SessionError("The last day is before the first day.", "ends_on")
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise SessionError("Say why (it is shown on the closed sessions).", "reason")
    return {
        "kind": kind,
        "judge_id": judge_id,
        "courtroom_id": courtroom_id,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "reason": reason,
    }


def add_exception(court_id: int, data: dict, user: User | None = None, today: date | None = None):
    """Record an exception and close the sessions it covers at once. Returns (exception,
    summary of the sessions it closed)."""
    values = _exception_values(court_id, data)
    exception = SessionException(
        court_id=court_id, created_by_id=user.id if user else None, **values
    )
    db.session.add(exception)
    db.session.flush()
    summary = _run(
        court_of(court_id), values["starts_on"], values["ends_on"], today, make=False, viewer=user
    )
    audit.record(
        "session_exception_added",
        exception,
        case_id=None,
        after={**audit.snapshot(exception), "sessions": summary.counts()},
        user=user,
    )
    db.session.commit()
    return exception, summary


def remove_exception(exception: SessionException, user: User | None = None, today=None):
    """Withdraw an exception: the sessions it closed open again unless something else (a
    holiday, another exception) still closes them. Returns the summary."""
    court = court_of(exception.court_id)
    before = audit.snapshot(exception)
    starts_on, ends_on = exception.starts_on, exception.ends_on
    db.session.delete(exception)
    db.session.flush()
    summary = _run(court, starts_on, ends_on, today, make=False, viewer=user)
    audit.record(
        "session_exception_removed",
        exception,
        case_id=None,
        before=before,
        after={"removed": True, "sessions": summary.counts()},
        user=user,
    )
    db.session.commit()
    return summary


# --- materializing ---------------------------------------------------------------------------


@dataclass
class Summary:
    """What a materialization (or an exception's refresh) did, for the clerk, the CLI and
    the audit row."""

    court: str
    start: date
    end: date
    created: int = 0
    updated: int = 0
    closed: int = 0
    reopened: int = 0
    removed: int = 0
    not_updated: list[str] = field(default_factory=list)
    edited_left_open: list[str] = field(default_factory=list)
    hearings_on_closed: list[str] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "closed": self.closed,
            "reopened": self.reopened,
            "removed": self.removed,
            "hearings_on_closed_sessions": len(self.hearings_on_closed),
        }

    def as_dict(self) -> dict:
        return {
            "court": self.court,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            **self.counts(),
            "not_updated": self.not_updated[:50],
            "edited_left_open": self.edited_left_open[:50],
            "hearings_on_closed": self.hearings_on_closed[:200],
        }

    def headline(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.closed} closed, "
            f"{self.reopened} reopened, {self.removed} removed, "
            f"{len(self.hearings_on_closed)} hearings on closed sessions"
        )

    def lines(self) -> list[str]:
        lines = [
            f"{self.court} {self.start.isoformat()}..{self.end.isoformat()}: " + self.headline()
        ]
        if self.not_updated:
            lines.append("Not updated from their template (scheduled hearings would move):")
            lines += [f"  {line}" for line in self.not_updated]
        if self.edited_left_open:
            lines.append("Edited sessions left open on a closed day (edit them to close):")
            lines += [f"  {line}" for line in self.edited_left_open]
        if self.hearings_on_closed:
            lines.append("Hearings on closed sessions (continue them):")
            lines += [f"  {line}" for line in self.hearings_on_closed]
        return lines


def materialize(
    court_id: int,
    start: date,
    end: date,
    *,
    today: date | None = None,
    user: User | None = None,
) -> Summary:
    """Make the sessions every active template has from `start` to `end` (inclusive), apply
    template changes to unedited sessions, close and reopen them for holidays and exceptions,
    and take sessions off days their template no longer sits. Idempotent. Sessions before
    `today` are history: they are created when asked for but never changed. Commits, with one
    audit row for the run."""
    if end < start:
        raise SessionError(f"The range ends ({end}) before it starts ({start}).")
    court = court_of(court_id)
    summary = _run(court, start, end, today, make=True, viewer=user)
    audit.record("sessions_materialized", court, case_id=None, after=summary.as_dict(), user=user)
    db.session.commit()
    return summary


def materialize_all(start: date, end: date, *, today=None, courts=None) -> list[Summary]:
    courts = courts or db.session.scalars(select(Court).order_by(Court.code)).all()
    return [materialize(c.id, start, end, today=today) for c in courts]


def _plan_closure(calendar: CourtCalendar, day: date) -> str | None:
    """Why the plan's calendar closes the court on `day` (legal holiday or court closure).
    Weekends are not causes: a template that sits on a Saturday means it."""
    if not calendar.covers(day):
        return None
    _weekend, holiday, closure = calendar.closure_parts(day)
    reasons = []
    if holiday:
        reasons.append(f"{holiday} (legal holiday)")
    if closure:
        reasons.append(f"court closure: {closure}")
    return "; ".join(reasons) or None


def _exception_reasons(row: CalendarSession, exceptions: list[SessionException]) -> list[str]:
    reasons = []
    for exc in exceptions:
        if not exc.starts_on <= row.session_date <= exc.ends_on:
            continue
        if (
            exc.kind == "court_closed"
            or (exc.kind == "judge_away" and exc.judge_id == row.judge_id)
            or (exc.kind == "courtroom_closed" and exc.courtroom_id == row.courtroom_id)
        ):
            reasons.append(f"{SESSION_EXCEPTION_KINDS[exc.kind]}: {exc.reason}")
    return reasons


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def _sits(template: SessionTemplate, day: date) -> bool:
    return (
        template.active
        and day.isoweekday() in template.weekdays
        and template.valid_from <= day
        and (template.valid_until is None or day <= template.valid_until)
    )


def _run(
    court: Court, start: date, end: date, today: date | None, *, make: bool, viewer: User | None
) -> Summary:
    """The work of materialize (make=True) or of an exception's refresh (make=False: only
    close and reopen the sessions that exist). A fixed number of queries for any range. The
    summary names hearings' cases as `viewer` may read them (the lines are flashed to them)."""
    zone = ZoneInfo(court.time_zone)
    today = today or court_today()
    calendar = calendar_for(plan_for(today))
    summary = Summary(court=court.code, start=start, end=end)

    templates = {
        t.id: t
        for t in db.session.scalars(
            select(SessionTemplate).where(SessionTemplate.court_id == court.id)
        )
    }
    exceptions = db.session.scalars(
        select(SessionException).where(
            SessionException.court_id == court.id,
            SessionException.starts_on <= end,
            SessionException.ends_on >= start,
        )
    ).all()
    in_range = (
        CalendarSession.court_id == court.id,
        CalendarSession.session_date >= start,
        CalendarSession.session_date <= end,
    )
    existing = db.session.scalars(
        select(CalendarSession).where(*in_range).order_by(CalendarSession.id)
    ).all()
    booked = _booked(
        db.session.execute(
            _booked_query()
            .join(CalendarSession, CalendarSession.id == Hearing.calendar_session_id)
            .where(*in_range)
        ),
        viewer,
    )
    by_key = {(row.template_id, row.session_date): row for row in existing if row.template_id}

    # 1. What each template wants; apply it to unedited sessions, or make the session.
    new_rows: list[dict] = []
    retire: list[CalendarSession] = []
    if make:
        for template in templates.values():
            if not template.active:
                continue
            day = max(start, template.valid_from)
            last = min(end, template.valid_until or end)
            while day <= last:
                if day.isoweekday() in template.weekdays:
                    wanted = _wanted(template, day, zone)
                    row = by_key.get((template.id, day))
                    if row is None:
                        new_rows.append({**wanted, "status": "open", "closed_reason": None})
                    elif not row.edited and day >= today:
                        _apply(row, wanted, booked.get(row.id, []), zone, summary)
                day += timedelta(days=1)
        for row in existing:
            template = templates.get(row.template_id)
            if (
                template is not None
                and not row.edited
                and row.session_date >= today
                and not _sits(template, row.session_date)
            ):
                retire.append(row)

    # 2. Close and reopen: holidays and closures of the plan, exceptions, and an edited or
    # one-off session sitting in the same courtroom or before the same judge.
    fixed = defaultdict(list)  # day -> open sessions a materialization never changes
    for row in existing:
        if row.status == "open" and (row.edited or row.template_id is None):
            fixed[row.session_date].append(row)
    retiring = {row.id for row in retire}

    def causes(values, own_id=None) -> list[str]:
        found = []
        plan_reason = _plan_closure(calendar, values.session_date)
        if plan_reason:
            found.append(plan_reason)
        found += _exception_reasons(values, exceptions)
        for other in fixed.get(values.session_date, ()):
            if other.id == own_id:
                continue
            if (
                other.courtroom_id == values.courtroom_id or other.judge_id == values.judge_id
            ) and _overlaps(values.starts_at, values.ends_at, other.starts_at, other.ends_at):
                found.append(f"Overlaps edited session {_session_label(other, zone)}")
        return found

    for row in existing:
        if row.session_date < today or row.id in retiring:
            continue
        if row.edited or row.template_id is None:
            if row.status == "open":
                found = [
                    c
                    for c in [_plan_closure(calendar, row.session_date)]
                    + _exception_reasons(row, exceptions)
                    if c
                ]
                if found:
                    summary.edited_left_open.append(
                        f"{_session_label(row, zone)}: {'; '.join(found)}"
                    )
            continue
        found = causes(row, row.id)
        if found and (row.status != "closed" or row.closed_reason != "; ".join(found)):
            summary.closed += row.status != "closed"
            row.status, row.closed_reason = "closed", "; ".join(found)
        elif not found and row.status == "closed":
            row.status, row.closed_reason = "open", None
            summary.reopened += 1

    class _Values:  # attribute access over a new row's dict, for causes()
        def __init__(self, values):
            self.__dict__.update(values)

    for values in new_rows:
        found = causes(_Values(values))
        if found:
            values["status"], values["closed_reason"] = "closed", "; ".join(found)
            summary.closed += 1

    # 3. Sessions whose template no longer sits that day.
    if retire:
        _retire(retire, booked, templates, zone, summary)

    # 4. Insert the new sessions in one statement (a concurrent run's rows are skipped).
    if new_rows:
        now = utcnow()
        for values in new_rows:
            values.update(court_id=court.id, edited=False, version=1, updated_at=now)
        dialect = db.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(
            insert(CalendarSession.__table__).on_conflict_do_nothing(
                index_elements=["template_id", "session_date"]
            ),
            new_rows,
        )
        summary.created = len(new_rows)
    db.session.flush()

    # 5. Scheduled hearings on closed sessions: the clerk must continue them.
    status = {row.id: row for row in existing}
    for session_id, hearings in booked.items():
        row = status.get(session_id)
        if row is not None and row.status == "closed" and row.session_date >= today:
            for hearing in hearings:
                summary.hearings_on_closed.append(
                    f"{hearing.describe(zone)} ({_session_label(row, zone)}: "
                    f"{row.closed_reason or 'closed'})"
                )
    return summary


def _wanted(template: SessionTemplate, day: date, zone: ZoneInfo) -> dict:
    return {
        "template_id": template.id,
        "name": template.name,
        "judge_id": template.judge_id,
        "courtroom_id": template.courtroom_id,
        "session_date": day,
        "starts_at": local_instant(day, template.start_minute, zone),
        "ends_at": local_instant(day, template.end_minute, zone),
        "hearing_types": list(template.hearing_types),
        "capacity": template.capacity,
        "slot_minutes": template.slot_minutes,
    }


APPLIED = (
    "name",
    "judge_id",
    "courtroom_id",
    "starts_at",
    "ends_at",
    "hearing_types",
    "capacity",
    "slot_minutes",
)


def _apply(row: CalendarSession, wanted: dict, hearings: list[Booked], zone, summary) -> None:
    """Bring an unedited session in line with its template, unless that would move or drop
    a scheduled hearing (then leave it whole and say why)."""
    differs = [key for key in APPLIED if getattr(row, key) != wanted[key]]
    if not differs:
        return
    if hearings:
        if row.judge_id != wanted["judge_id"] or row.courtroom_id != wanted["courtroom_id"]:
            summary.not_updated.append(
                f"{_session_label(row, zone)}: judge or courtroom change, "
                f"{len(hearings)} scheduled hearing(s): {_listing(hearings, zone)}"
            )
            return
        moved = pushed_out(core_session(row), _shape(**wanted), hearings)
        if moved:
            summary.not_updated.append(
                f"{_session_label(row, zone)}: would move {len(moved)} scheduled hearing(s): "
                f"{_listing(moved, zone)}"
            )
            return
    for key in differs:
        setattr(row, key, wanted[key])
    summary.updated += 1


def _retire(rows, booked, templates, zone, summary) -> None:
    """Take sessions off days their template no longer sits: delete those nothing refers
    to, close those in a hearing's history, and leave (and report) those with hearings."""
    ids = [row.id for row in rows]
    referenced = set()
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        referenced |= set(
            db.session.scalars(
                union(
                    select(Hearing.calendar_session_id).where(
                        Hearing.calendar_session_id.in_(part)
                    ),
                    select(HearingSetting.calendar_session_id).where(
                        HearingSetting.calendar_session_id.in_(part)
                    ),
                )
            )
        )
    to_delete = []
    for row in rows:
        template = templates[row.template_id]
        scheduled = booked.get(row.id, [])
        if scheduled:
            summary.not_updated.append(
                f"{_session_label(row, zone)}: template “{template.name}” no longer sits on "
                f"this day, but {len(scheduled)} hearing(s) are scheduled: "
                f"{_listing(scheduled, zone)}"
            )
        elif row.id in referenced:
            reason = f"Template “{template.name}” no longer sits on this day"
            if row.status != "closed" or row.closed_reason != reason:
                summary.removed += 1
                row.status, row.closed_reason = "closed", reason
        else:
            to_delete.append(row.id)
    for row in rows:
        if row.id in to_delete:
            db.session.expunge(row)
    if to_delete:
        db.session.execute(
            delete(CalendarSession)
            .where(CalendarSession.id.in_(to_delete))
            .execution_options(synchronize_session=False)
        )
        summary.removed += len(to_delete)


# --- one session -----------------------------------------------------------------------------


@dataclass
class Edited:
    session: CalendarSession
    hearings_on_closed: list[str]


def edit_session(
    row: CalendarSession, data: dict, user: User | None = None, version=None
) -> Edited:
    """Change one session; materializing leaves it as set from then on."""
    _check_version(row, version, "Calendar session")
    court = court_of(row.court_id)
    zone = ZoneInfo(court.time_zone)
    start, end = data.get("start_minute"), data.get("end_minute")
    if start is None or not 0 <= start < 1440:
        raise SessionError("Enter the start time as HH:MM.", "start_time")
    if end is None or not 0 < end <= 1440:
        raise SessionError("Enter the end time as HH:MM.", "end_time")
    if end <= start:
        raise SessionError(
            f"The session must end after it starts ({clock_text(start)}).", "end_time"
        )
    slot = data.get("slot_minutes")
    if slot is None or slot <= 0:
        raise SessionError("Minutes per slot must be more than 0.", "slot_minutes")
    if slot > end - start:
        raise SessionError(
            f"A slot of {slot} minutes does not fit in the session's {end - start} minutes.",
            "slot_minutes",
        )
    capacity = data.get("capacity")
    if capacity is None or capacity <= 0:
        raise SessionError("Capacity must be at least 1 hearing.", "capacity")
    types = list(dict.fromkeys(data.get("hearing_types") or ()))
    if not types:
        raise SessionError("Choose at least one hearing type.", "hearing_types")
    if any(t not in HEARING_TYPES for t in types):
        raise SessionError("Unknown hearing type.", "hearing_types")
    judge = db.session.get(Judge, int(data["judge_id"])) if data.get("judge_id") else None
    if judge is None or judge.court_id != row.court_id:
        raise SessionError("Choose a judge of this court.", "judge_id")
    room = (
        db.session.get(Courtroom, int(data["courtroom_id"])) if data.get("courtroom_id") else None
    )
    if room is None or room.court_id != row.court_id:
        raise SessionError("Choose a courtroom of this court.", "courtroom_id")
    status = data.get("status") or "open"
    if status not in SESSION_STATUSES:
        raise SessionError("Choose open or closed.", "status")
    reason = (data.get("closed_reason") or "").strip() or None
    if status == "closed" and not reason:
        raise SessionError("Say why the session is closed.", "closed_reason")
    if status == "open":
        reason = None

    wanted = {
        "session_date": row.session_date,
        "judge_id": judge.id,
        "courtroom_id": room.id,
        "starts_at": local_instant(row.session_date, start, zone),
        "ends_at": local_instant(row.session_date, end, zone),
        "hearing_types": types,
        "capacity": capacity,
        "slot_minutes": slot,
    }
    hearings = booked_in(row.id, user)
    if hearings:
        highest = max((h.slot for h in hearings if h.slot is not None), default=-1)
        if capacity < max(highest + 1, len(hearings)):
            needed = max(highest + 1, len(hearings))
            raise SessionError(
                f"Capacity must be at least {needed}: {len(hearings)} hearing(s) are scheduled"
                + (f" and slot {highest + 1} is taken." if highest >= 0 else "."),
                "capacity",
            )
        if judge.id != row.judge_id or room.id != row.courtroom_id:
            raise SessionError(
                f"{len(hearings)} hearing(s) are scheduled in this session "
                f"({_listing(hearings, zone)}): continue or move them before changing the "
                "judge or the courtroom.",
                "judge_id" if judge.id != row.judge_id else "courtroom_id",
            )
        moved = pushed_out(core_session(row), _shape(**wanted), hearings)
        if moved:
            raise SessionError(
                f"This change would move or drop {len(moved)} scheduled hearing(s) "
                f"({_listing(moved, zone)}): continue or move them first.",
                "hearing_types"
                if any(h.hearing_type not in types for h in moved)
                else "start_time",
            )
    if status == "open":
        others = db.session.scalars(
            select(CalendarSession)
            .where(
                CalendarSession.court_id == row.court_id,
                CalendarSession.session_date == row.session_date,
                CalendarSession.id != row.id,
                CalendarSession.status == "open",
                or_(
                    CalendarSession.courtroom_id == room.id,
                    CalendarSession.judge_id == judge.id,
                ),
            )
            .options(selectinload(CalendarSession.judge), selectinload(CalendarSession.courtroom))
            .order_by(CalendarSession.starts_at)
        ).all()
        for other in others:
            if _overlaps(wanted["starts_at"], wanted["ends_at"], other.starts_at, other.ends_at):
                same = []
                if other.courtroom_id == room.id:
                    same.append(f"Courtroom {other.courtroom.name}")
                if other.judge_id == judge.id:
                    same.append(f"Judge {other.judge.name}")
                raise SessionError(
                    f"Overlaps session {_session_label(other, zone)} "
                    f"({' and '.join(same)} would sit twice).",
                    "start_time",
                )

    before = audit.snapshot(row)
    for key in (
        "judge_id",
        "courtroom_id",
        "starts_at",
        "ends_at",
        "hearing_types",
        "capacity",
        "slot_minutes",
    ):
        setattr(row, key, wanted[key])
    row.status, row.closed_reason, row.edited = status, reason, True
    name = (data.get("name") or "").strip()
    if "name" in data:
        row.name = name or None
    db.session.flush()
    old, new = _changes(before, row)
    if new:
        audit.record(
            "calendar_session_changed", row, case_id=None, before=old, after=new, user=user
        )
    db.session.commit()
    on_closed = [h.describe(zone) for h in hearings] if status == "closed" and hearings else []
    return Edited(session=row, hearings_on_closed=on_closed)
