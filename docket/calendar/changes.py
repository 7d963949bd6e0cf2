"""Changing a hearing after it was set: continuing it (with who asked, why, and whether the judge
found the delay excludable), vacating it, and recording what happened at it.

Each function either saves everything, with its audit rows and the case's recomputed deadlines,
or raises ChangeError and saves nothing. A hearing keeps its identity through all of this: the
settings history (HearingSetting) records how each date it was set for ended.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from docket import audit
from docket.clock import court_today, to_court_time, utc_now
from docket.core.outcomes import EFFECTS, disposition_at_sentencing, outcomes_for
from docket.core.plan import ExcludableCategory, Plan
from docket.core.vocabulary import (
    CONTINUANCE_REASONS,
    CONTINUANCE_REQUESTERS,
    HEARING_OUTCOMES,
)
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.models import Case, CaseEvent, Hearing, HearingSetting, TollingPeriod, User, utcnow

# The excludable category a continuance most often falls under, per plan family: the federal
# ends-of-justice continuance, the state's Rule 8.5 continuance.
PREFERRED_CONTINUANCE_CODES = ("h7A", "r8_5")

CHANGED_MEANWHILE = (
    "This hearing or its case was changed by someone else while you were saving; "
    "nothing was saved. Reload the page and try again."
)


class ChangeError(ValueError):
    """A change refused for a reason the clerk can act on; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- reading -------------------------------------------------------------------------------


def hearing_date(hearing: Hearing) -> date:
    """The day the hearing sits, in the court's calendar."""
    return to_court_time(hearing.starts_at).date()


def hearing_title(hearing: Hearing) -> str:
    """'the arraignment of Mar 9, 2026 9:00 AM' - how notes and messages name a hearing."""
    when = to_court_time(hearing.starts_at)
    return f"the {hearing.type_label.lower()} of {when:%b} {when.day}, {when:%Y %-I:%M %p}"


def excludable_choices(case: Case) -> tuple[Plan, tuple[ExcludableCategory, ...]]:
    plan = deadlines.plan_for(case.filed_on)
    return plan, plan.excludable


def default_excludable_code(plan: Plan) -> str | None:
    """The category a continuance the judge found excludable usually falls under."""
    codes = [category.code for category in plan.excludable]
    for code in PREFERRED_CONTINUANCE_CODES:
        if code in codes:
            return code
    for category in plan.excludable:
        if "continuance" in category.name.lower():
            return category.code
    return codes[0] if codes else None


def current_setting(hearing: Hearing) -> HearingSetting | None:
    """The setting the hearing is on now (not ended), if any."""
    return db.session.scalar(
        select(HearingSetting)
        .where(HearingSetting.hearing_id == hearing.id, HearingSetting.ended.is_(None))
        .order_by(HearingSetting.number.desc())
        .limit(1)
    )


# --- checks shared by the changes ------------------------------------------------------------


def _check_version(hearing: Hearing, version) -> None:
    """The form carries the version the clerk saw; a different one means someone else changed
    the hearing since."""
    if version is None or version == "":
        return
    try:
        seen = int(version)
    except (TypeError, ValueError):
        seen = -1
    if seen != hearing.version:
        when = to_court_time(hearing.updated_at)
        at = f" at {when:%H:%M}" if when else ""
        raise ChangeError(f"This hearing was changed by someone else{at}; reload the page.")


def _check_status(hearing: Hearing, allowed: tuple[str, ...], doing: str) -> None:
    if hearing.status not in allowed:
        only = " or ".join(allowed)
        raise ChangeError(
            f"This hearing is {hearing.status_label.lower()}; only a {only} hearing can be {doing}."
        )


def _open_setting(hearing: Hearing, user: User) -> HearingSetting:
    """The current setting; a scheduled hearing without one (rows from before settings were
    kept) gets it made from its current values first, so its history starts with it."""
    setting = current_setting(hearing)
    if setting is not None:
        return setting
    highest = db.session.scalar(
        select(HearingSetting.number)
        .where(HearingSetting.hearing_id == hearing.id)
        .order_by(HearingSetting.number.desc())
        .limit(1)
    )
    setting = HearingSetting(
        hearing_id=hearing.id,
        case_id=hearing.case_id,
        hearing_type=hearing.hearing_type,
        number=(highest or 0) + 1,
        starts_at=hearing.starts_at,
        ends_at=hearing.ends_at,
        courtroom_id=hearing.courtroom_id,
        judge_id=hearing.judge_id,
        calendar_session_id=hearing.calendar_session_id,
        set_at=hearing.created_at or utcnow(),
        set_by_id=None,
        overridden=[],
    )
    db.session.add(setting)
    return setting


def _end(setting: HearingSetting, how: str, user: User) -> None:
    setting.ended = how
    setting.ended_at = utc_now()
    setting.ended_by_id = user.id if user is not None else None


def _touch(case: Case) -> None:
    """A change to what the plan reads is a change to the case: bump its version."""
    case.updated_at = utcnow()


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise ChangeError(CHANGED_MEANWHILE) from exc


def _reason_text(reason: str) -> str:
    return "another reason" if reason == "other" else CONTINUANCE_REASONS[reason].lower()


def _text(value) -> str:
    return (value or "").strip()


# --- continuing ------------------------------------------------------------------------------


def continue_hearing(hearing: Hearing, data: dict, user: User) -> Hearing:
    """Continue a scheduled hearing. `data`: requester, reason, note (required for 'other'),
    excludable (the judge found the delay excludable) and code (the plan's category), version.

    The hearing leaves its slot (status 'continued', awaiting a new date); its current setting
    ends 'continued' with who asked and why; an excludable finding opens a tolling period from
    today (the order's date), which rescheduling closes at the new date."""
    _check_version(hearing, data.get("version"))
    _check_status(hearing, ("scheduled",), "continued")
    requester = _text(data.get("requester"))
    if requester not in CONTINUANCE_REQUESTERS:
        raise ChangeError("Choose who asked for the continuance.", "requester")
    reason = _text(data.get("reason"))
    if reason not in CONTINUANCE_REASONS:
        raise ChangeError("Choose the reason for the continuance from the list.", "reason")
    note = _text(data.get("note")) or None
    if reason == "other" and not note:
        raise ChangeError("Say why in the note when the reason is “Other”.", "note")
    case = hearing.case
    category = None
    if data.get("excludable"):
        plan = deadlines.plan_for(case.filed_on)
        code = _text(data.get("code"))
        category = plan.excludable_category(code) if code else None
        if category is None:
            raise ChangeError(
                f"Choose an excludable category of plan {plan.id}"
                + (f" ({code!r} is not one)." if code else "."),
                "code",
            )

    before = audit.snapshot(hearing)
    title = hearing_title(hearing)
    try:
        setting = _open_setting(hearing, user)
        _end(setting, "continued", user)
        setting.continuance_requester = requester
        setting.continuance_reason = reason
        setting.note = note
        hearing.status = "continued"
        hearing.continuance_requester = requester
        hearing.continuance_reason = reason
        hearing.slot = None
        period = None
        if category is not None:
            period = TollingPeriod(
                case_id=case.id,
                code=category.code,
                starts_on=court_today(),
                ends_on=None,
                reason=(
                    f"Continuance of {title} (hearing {hearing.id}), requested by "
                    f"{CONTINUANCE_REQUESTERS[requester].lower()}: "
                    f"{_reason_text(reason)}. The judge found the delay "
                    f"excludable ({category.citation})." + (f" {note}" if note else "")
                ),
            )
            db.session.add(period)
            db.session.flush()
            setting.tolling_period_id = period.id
            _touch(case)
        db.session.flush()
        old, new = audit.changed(before, audit.snapshot(hearing))
        new.update(
            setting=setting.number,
            requester=requester,
            reason=reason,
            note=note,
            excludable=category.code if category else None,
        )
        audit.record(
            "hearing_continued", hearing, case_id=case.id, before=old, after=new, user=user
        )
        if period is not None:
            audit.record("excludable_period_added", period, case_id=case.id, user=user)
        deadlines.recompute_case(case)
    except StaleDataError as exc:
        db.session.rollback()
        raise ChangeError(CHANGED_MEANWHILE) from exc
    _commit()
    return hearing


# --- vacating --------------------------------------------------------------------------------


def vacate_hearing(hearing: Hearing, data: dict, user: User) -> Hearing:
    """Vacate a scheduled hearing, or a continued one still awaiting its new date. It stays in
    the case's history, marked vacated, with the reason."""
    _check_version(hearing, data.get("version"))
    _check_status(hearing, ("scheduled", "continued"), "vacated")
    reason = _text(data.get("reason"))
    if not reason:
        raise ChangeError("Enter why the hearing is vacated.", "reason")
    case = hearing.case
    before = audit.snapshot(hearing)
    try:
        details: dict = {"reason": reason}
        if hearing.status == "scheduled":
            setting = _open_setting(hearing, user)
            _end(setting, "vacated", user)
            setting.note = reason
            details["setting"] = setting.number
        else:
            # Continued and never reset: the excludable period the continuance opened (the
            # reschedule would have closed it at the new date) ends today, not never.
            closed = _close_open_periods(hearing, court_today())
            if closed:
                _touch(case)
                details["excludable_closed"] = closed
        hearing.status = "vacated"
        hearing.slot = None
        db.session.flush()
        old, new = audit.changed(before, audit.snapshot(hearing))
        new.update(details)
        audit.record("hearing_vacated", hearing, case_id=case.id, before=old, after=new, user=user)
        deadlines.recompute_case(case)
    except StaleDataError as exc:
        db.session.rollback()
        raise ChangeError(CHANGED_MEANWHILE) from exc
    _commit()
    return hearing


def _close_open_periods(hearing: Hearing, on: date) -> list[int]:
    """Close the open excludable periods this hearing's continuances started."""
    periods = db.session.scalars(
        select(TollingPeriod)
        .join(HearingSetting, HearingSetting.tolling_period_id == TollingPeriod.id)
        .where(HearingSetting.hearing_id == hearing.id, TollingPeriod.ends_on.is_(None))
    ).all()
    for period in periods:
        period.ends_on = max(on, period.starts_on)
    return [period.id for period in periods]


# --- outcomes ----------------------------------------------------------------------------------


def record_outcome(hearing: Hearing, data: dict, user: User) -> Hearing:
    """Record a scheduled hearing as held, with its outcome. The outcome's case events are
    recorded on the day it sat (not twice), the case's status and custody move as the outcome
    says, and the deadlines are recomputed so the next stage's deadline appears at once."""
    _check_version(hearing, data.get("version"))
    _check_status(hearing, ("scheduled",), "recorded as held")
    code = _text(data.get("outcome_code"))
    allowed = outcomes_for(hearing.hearing_type)
    if code not in allowed:
        if code in HEARING_OUTCOMES:
            message = f"“{HEARING_OUTCOMES[code]}” is not an outcome of a {hearing.type_label}."
        else:
            message = "Choose the outcome from the list."
        raise ChangeError(message, "outcome_code")
    held_on = hearing_date(hearing)
    today = court_today()
    if held_on > today:
        raise ChangeError(
            f"This hearing is set for {held_on:%b} {held_on.day}, {held_on.year}, after today: "
            "record its outcome once it has been held.",
            "outcome_code",
        )
    case = hearing.case
    if held_on < case.filed_on:
        raise ChangeError(
            f"This hearing's date ({held_on:%b} {held_on.day}, {held_on.year}) is before the "
            "case was filed.",
            "outcome_code",
        )
    note = _text(data.get("note")) or None
    effect = EFFECTS[code]
    title = hearing_title(hearing)
    before_hearing = audit.snapshot(hearing)
    before_case = audit.snapshot(case)
    try:
        existing = db.session.execute(
            select(CaseEvent.event_type, CaseEvent.occurred_on).where(CaseEvent.case_id == case.id)
        ).all()
        seen = {(row.event_type, row.occurred_on) for row in existing}
        event_types = {row.event_type for row in existing}
        events = []
        for event_type in effect.events:
            event_types.add(event_type)
            if (event_type, held_on) in seen:
                continue
            seen.add((event_type, held_on))
            event = CaseEvent(
                case_id=case.id,
                event_type=event_type,
                occurred_on=held_on,
                note=f"{HEARING_OUTCOMES[code]}: recorded from {title} (hearing {hearing.id})."
                + (f" {note}" if note else ""),
                recorded_by_id=user.id if user is not None else None,
            )
            db.session.add(event)
            events.append(event)

        if effect.status == "disposed" and case.status != "disposed":
            case.status = "disposed"
            case.disposition_type = effect.disposition or disposition_at_sentencing(event_types)
            case.disposition_date = held_on
        elif effect.status == "inactive" and case.status == "active":
            case.status = "inactive"
        if effect.custody and case.custody_status != effect.custody:
            case.custody_status = effect.custody
        _touch(case)

        setting = _open_setting(hearing, user)
        _end(setting, "held", user)
        if note:
            setting.note = note
        hearing.status = "held"
        hearing.outcome_code = code
        hearing.outcome = note
        db.session.flush()

        old, new = audit.changed(before_hearing, audit.snapshot(hearing))
        new["setting"] = setting.number
        audit.record(
            "hearing_outcome_recorded", hearing, case_id=case.id, before=old, after=new, user=user
        )
        for event in events:
            audit.record("event_recorded", event, case_id=case.id, user=user)
        old, new = audit.changed(before_case, audit.snapshot(case))
        for key in ("updated_at", "version"):
            old.pop(key, None)
            new.pop(key, None)
        if new:
            new["outcome"] = code
            audit.record("case_moved", case, case_id=case.id, before=old, after=new, user=user)
        deadlines.recompute_case(case)
    except StaleDataError as exc:
        db.session.rollback()
        raise ChangeError(CHANGED_MEANWHILE) from exc
    _commit()
    return hearing
