"""The case history as a clerk reads it: each audit row (docket/audit.py) said in words, with
only the fields it changed, labelled and formatted. Pure formatting, no queries: the records the
rows point at (judges, attorneys, defendants, …) come in as `records`, loaded once per kind for
the whole page by docket/cases/service.py `case_history`, so the page's cost does not grow."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from docket.core.vocabulary import (
    CASE_STATUSES,
    CASE_TYPES,
    CONTINUANCE_REASONS,
    CONTINUANCE_REQUESTERS,
    CUSTODY_STATUSES,
    DISPOSITION_TYPES,
    DOCKET_ENTRY_TYPES,
    EVENT_TYPES,
    FILER_PARTIES,
    HEARING_OUTCOMES,
    HEARING_STATUSES,
    HEARING_TYPES,
    MOTION_SUBTYPES,
    SEVERITY_CLASSES,
    SIDES,
    TRACKS,
)

NOTHING = "—"
DATETIME_FORMAT = "%b %-d, %Y %-I:%M %p"  # as the `court_datetime` filter (docket/web.py)

# The kinds of record an id may point at; service.case_history loads each in one query.
RECORD_KINDS = (
    "judge",
    "attorney",
    "courtroom",
    "user",
    "defendant",
    "entry",
    "hearing",
    "counsel",
)
# The rows about a hearing or an appearance are named by it ("Hearing continued: Trial").
ENTITY_KINDS = {"hearing": "hearing", "counsel_of_record": "counsel"}


@dataclass(frozen=True)
class Field:
    """How one key of an audit row reads: its label, and how its value is shown (`kind`: text,
    date, datetime, number ("#3"), count, or a record kind; `words`: the vocabulary of a code)."""

    label: str
    kind: str = "text"
    words: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Change:
    """One field: `before` is None when the row has no earlier value (a creation, a note)."""

    label: str
    before: str | None
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str
    what: str
    changes: tuple[Change, ...]


# Keys a clerk never needs: the row's own ids, bookkeeping, and times the row's time repeats.
INTERNAL = frozenset(
    {
        "id",
        "case_id",
        "court_id",
        "version",
        "created_at",
        "updated_at",
        "recorded_at",
        "name_key",
        "sha256",
        "slot",
        "calendar_session_id",
        "template_id",
    }
)

FIELDS: dict[str, Field] = {
    # the case
    "case_number": Field("Case number"),
    "caption": Field("Caption"),
    "case_type": Field("Case type", words=CASE_TYPES),
    "filed_on": Field("Date filed", "date"),
    "track": Field("Track", words=TRACKS),
    "designation": Field("Designation"),
    "custody_status": Field("Custody", words=CUSTODY_STATUSES),
    "assigned_judge_id": Field("Judge", "judge"),
    "disposition_type": Field("Disposition", words=DISPOSITION_TYPES),
    "disposition_date": Field("Disposition date", "date"),
    "sealed": Field("Sealed"),
    # defendants and charges
    "number": Field("Number"),
    "last_name": Field("Last name"),
    "first_name": Field("First name"),
    "middle_name": Field("Middle name"),
    "date_of_birth": Field("Date of birth", "date"),
    "interpreter_language": Field("Interpreter"),
    "defendant_id": Field("Defendant", "defendant"),
    "count_number": Field("Count"),
    "statute": Field("Statute"),
    "description": Field("Description"),
    "severity_class": Field("Class", words=SEVERITY_CLASSES),
    "counts": Field("Counts"),
    # counsel
    "attorney_id": Field("Attorney", "attorney"),
    "side": Field("Side", words=SIDES),
    "appeared_on": Field("Appeared", "date"),
    "withdrew_on": Field("Withdrew", "date"),
    # events and excludable periods
    "event_type": Field("Event", words=EVENT_TYPES),
    "occurred_on": Field("Date", "date"),
    "docket_entry_id": Field("Docket entry", "entry"),
    "note": Field("Note"),
    "recorded_by_id": Field("Recorded by", "user"),
    "code": Field("Category"),
    "starts_on": Field("From", "date"),
    "ends_on": Field("Through", "date"),
    "reason": Field("Reason"),
    # docket entries and corrections
    "filed_at": Field("Filed", "datetime"),
    "filer_party": Field("Filed by", words=FILER_PARTIES),
    "filer_attorney_id": Field("Filing attorney", "attorney"),
    "entry_type": Field("Type", words=DOCKET_ENTRY_TYPES),
    "subtype": Field("Motion", words=MOTION_SUBTYPES),
    "text": Field("Text"),
    "seal_allows_filer": Field("Filing party may see it"),
    "stricken": Field("Stricken"),
    "stricken_reason": Field("Why stricken"),
    "created_by_id": Field("Entered by", "user"),
    "order": Field("Authorizing order", "number"),
    # hearings
    "hearing_type": Field("Hearing", words=HEARING_TYPES),
    "starts_at": Field("Starts", "datetime"),
    "ends_at": Field("Ends", "datetime"),
    "courtroom_id": Field("Courtroom", "courtroom"),
    "judge_id": Field("Judge", "judge"),
    "outcome_code": Field("Outcome", words=HEARING_OUTCOMES),
    "outcome": Field("Minute note"),
    "continuance_requester": Field("Continuance requested by", words=CONTINUANCE_REQUESTERS),
    "continuance_reason": Field("Continuance reason", words=CONTINUANCE_REASONS),
    "setting_count": Field("Times set"),
    "setting": Field("Setting", "number"),
    "requester": Field("Requested by", words=CONTINUANCE_REQUESTERS),
    "excludable": Field("Excludable category"),
    "excludable_closed": Field("Excludable periods ended", "count"),
    "override_reason": Field("Why the warnings were overridden"),
    "overridden": Field("Warnings overridden"),
}

# The same key means another thing on another record.
ENTITY_FIELDS: dict[str, dict[str, Field]] = {
    "court_case": {
        "status": Field("Status", words=CASE_STATUSES),
        "outcome": Field("Hearing outcome", words=HEARING_OUTCOMES),
    },
    "hearing": {"status": Field("Status", words=HEARING_STATUSES)},
}
ACTION_FIELDS: dict[str, dict[str, Field]] = {
    "hearing_continued": {"reason": Field("Reason", words=CONTINUANCE_REASONS)},
}


@dataclass(frozen=True)
class Action:
    """What a row says happened: `named` when the row's values fill it in (`plain` otherwise);
    `repeated`: the keys the name, or another key of the row, already says."""

    plain: str
    named: str | None = None
    repeated: tuple[str, ...] = ()


ACTIONS: dict[str, Action] = {
    "case_opened": Action("Case opened"),
    "defendant_added": Action("Defendant added", "Defendant #{number} added", ("number",)),
    "charge_added": Action("Charge added", "Charge added: count {count_number}", ("count_number",)),
    "counsel_appeared": Action("Counsel appeared", "Counsel appeared: {counsel}", ("attorney_id",)),
    "counsel_withdrew": Action("Counsel withdrew", "Counsel withdrew: {counsel}"),
    "event_recorded": Action("Event recorded", "Event recorded: {event_type}", ("event_type",)),
    "excludable_period_added": Action("Excludable period added"),
    "track_changed": Action("Track changed"),
    "case_moved": Action("Case changed by a hearing outcome"),
    "case_sealed": Action("Case sealed"),
    "case_unsealed": Action("Case unsealed"),
    "docket_entry_filed": Action("Docket entry filed", "Docket entry #{number} filed", ("number",)),
    "docket_entry_strike": Action(
        "Entry stricken", "Entry #{number} stricken", ("number", "action")
    ),
    "docket_entry_seal": Action("Entry sealed", "Entry #{number} sealed", ("number", "action")),
    "docket_entry_unseal": Action(
        "Entry unsealed", "Entry #{number} unsealed", ("number", "action")
    ),
    "hearing_scheduled": Action(
        "Hearing scheduled", "Hearing scheduled: {hearing}", ("hearing_type",)
    ),
    "hearing_rescheduled": Action("Hearing rescheduled", "Hearing rescheduled: {hearing}"),
    "hearing_continued": Action(
        "Hearing continued",
        "Hearing continued: {hearing}",
        ("continuance_requester", "continuance_reason"),  # the row's requester and reason say it
    ),
    "hearing_vacated": Action("Hearing vacated", "Hearing vacated: {hearing}"),
    "hearing_outcome_recorded": Action("Hearing outcome recorded", "Outcome recorded: {hearing}"),
    # The court's calendar and settings (no case; listed so that every action the code writes
    # has its words, should one ever be shown).
    "session_template_created": Action("Session template created"),
    "session_template_changed": Action("Session template changed"),
    "session_template_activated": Action("Session template reactivated"),
    "session_template_deactivated": Action("Session template deactivated"),
    "session_exception_added": Action("Calendar exception added"),
    "session_exception_removed": Action("Calendar exception removed"),
    "sessions_materialized": Action("Calendar sessions generated"),
    "calendar_session_changed": Action("Calendar session changed"),
    "batch_scheduled": Action("Hearings batch-scheduled"),
    "unavailability.filed": Action("Unavailability notice filed"),
    "unavailability.withdrawn": Action("Unavailability notice withdrawn"),
    "interpreter.added": Action("Interpreter added"),
    "interpreter.reactivated": Action("Interpreter reactivated"),
    "interpreter.deactivated": Action("Interpreter deactivated"),
    "user.digest_preference": Action("Digest preference changed"),
    "plan_uploaded": Action("Case-management plan uploaded"),
    "plan_activated": Action("Case-management plan activated"),
}


# --- the records the rows point at -----------------------------------------------------------


def references(entries: Iterable) -> dict[str, set[int]]:
    """The ids, by kind, the page needs named: gathered from every row first so that each kind
    costs one query for the whole page."""
    wanted: dict[str, set[int]] = {kind: set() for kind in RECORD_KINDS}
    for entry in entries:
        for key, value in _values(entry):
            field = _field(entry, key)
            kind = field.kind if field is not None else None
            if kind in wanted and _is_id(value) and not _is_actor(entry, kind, value):
                wanted[kind].add(value)
        if entry.entity_type in ENTITY_KINDS and _is_id(entry.entity_id):
            wanted[ENTITY_KINDS[entry.entity_type]].add(entry.entity_id)
    return {kind: ids for kind, ids in wanted.items() if ids}


def _values(entry) -> Iterable[tuple[str, object]]:
    for side in (entry.before, entry.after):
        yield from (side or {}).items()


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_actor(entry, kind: str, value) -> bool:
    """'Recorded by' the row's own user repeats the Who column."""
    return kind == "user" and value == entry.user_id


# --- the rows ------------------------------------------------------------------------------


def rows(entries: Iterable, records: Mapping[str, Mapping[int, object]], zone: tzinfo):
    """Each audit row as the clerk reads it. `records`: kind → id → what service.case_history
    loaded (a name; a defendant's (number, name); an entry's number; a hearing's type)."""
    return [_row(entry, records, zone) for entry in entries]


def _row(entry, records, zone) -> HistoryRow:
    return HistoryRow(
        at=entry.at,
        who=entry.user.name if entry.user is not None else "System",
        what=describe(entry, records),
        changes=tuple(changes(entry, records, zone)),
    )


def describe(entry, records: Mapping[str, Mapping[int, object]] | None = None) -> str:
    """The action in words; an action nobody named yet reads as its own words."""
    action = ACTIONS.get(entry.action)
    if action is None:
        words = re.sub(r"[_.]+", " ", entry.action).strip()
        return words[:1].upper() + words[1:]
    if action.named is None:
        return action.plain
    fill = _name_parts(entry, records or {})
    try:
        return action.named.format_map(fill)
    except KeyError:
        return action.plain


def _name_parts(entry, records) -> dict[str, str]:
    """The values an action's name may quote, only those known."""
    after = entry.after or {}
    parts = {key: str(after[key]) for key in ("number", "count_number") if after.get(key)}
    if after.get("event_type"):
        parts["event_type"] = EVENT_TYPES.get(after["event_type"], after["event_type"])
    kind = ENTITY_KINDS.get(entry.entity_type)
    named = records.get(kind, {}).get(entry.entity_id) if kind else None
    if kind == "hearing":
        code = named or after.get("hearing_type")
        if code:
            parts["hearing"] = HEARING_TYPES.get(code, _words(code))
    elif kind == "counsel" and named:
        parts["counsel"] = str(named)
    return parts


def changes(entry, records, zone) -> list[Change]:
    """The fields the row changed (for a creation: the ones that say something), labelled."""
    before, after = entry.before, entry.after or {}
    action = ACTIONS.get(entry.action)
    skip = set(action.repeated) if action else set()
    found = []
    for key in [*after, *(k for k in (before or {}) if k not in after)]:
        if key in INTERNAL or key in skip:
            continue
        old, new = (before or {}).get(key), after.get(key)
        had_before = before is not None and key in before
        if had_before and old == new:
            continue
        if not had_before and _says_nothing(new):
            continue
        change = _change(entry, key, old, new, had_before, records, zone)
        if change is not None:
            found.append(change)
    return found


def _says_nothing(value) -> bool:
    """Without an earlier value (a creation, a note added to a change), an empty field or a
    flag left off adds nothing."""
    return value is None or value is False or value == "" or value == [] or value == {}


def _change(entry, key, old, new, had_before, records, zone) -> Change | None:
    field = _field(entry, key)
    if field is None:
        return None
    if _is_actor(entry, field.kind, new):
        return None
    after = show(field, new, records, zone)
    if field.kind == "datetime" and not had_before and after == format_datetime(entry.at, zone):
        return None  # the row's own time says it
    before = show(field, old, records, zone) if had_before else None
    if after is None or (had_before and before is None):
        return None  # an id the page could not name: left out rather than shown raw
    if before == after:
        return None
    return Change(field.label, before, after)


def _field(entry, key: str) -> Field | None:
    """How `key` reads on this row; None for an id the page has no name for."""
    for table in (ACTION_FIELDS.get(entry.action), ENTITY_FIELDS.get(entry.entity_type), FIELDS):
        if table and key in table:
            return table[key]
    if key.endswith("_id") or key.endswith("_ids"):
        return None
    return Field(_words(key).capitalize())


def _words(code: str) -> str:
    return str(code).replace("_", " ")


# --- values --------------------------------------------------------------------------------


def show(field: Field, value, records, zone: tzinfo) -> str | None:
    """One value as the clerk reads it; None when it is an id the page could not name."""
    if value is None:
        return NOTHING
    if field.kind in RECORD_KINDS:
        return _record(field.kind, value, records)
    if field.kind == "number":
        return f"#{value}"
    if field.kind == "count" and isinstance(value, list | tuple):
        return str(len(value))
    if field.kind == "date":
        return format_date(value)
    if field.kind == "datetime":
        return format_datetime(value, zone)
    if field.words is not None and isinstance(value, str):
        return field.words.get(value, _words(value).capitalize())
    return plain(value, zone)


def _record(kind: str, value, records) -> str | None:
    known = records.get(kind, {}).get(value) if _is_id(value) else None
    if known is None:
        return None
    if kind == "defendant":
        number, *names = known
        return f"{' '.join(name for name in names if name)} (#{number})"
    if kind == "entry":
        return f"#{known}"
    if kind == "hearing":
        return HEARING_TYPES.get(known, _words(known))
    return str(known)


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def plain(value, zone: tzinfo) -> str:
    """A value no field describes: yes/no, lists joined, ISO dates and times said as dates."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return "; ".join(plain(item, zone) for item in value) or NOTHING
    if isinstance(value, dict):
        return "; ".join(f"{_words(k)}: {plain(v, zone)}" for k, v in value.items()) or NOTHING
    if isinstance(value, str) and ISO_DATE.match(value):
        return format_date(value)
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return format_datetime(value, zone)
    return str(value)


def format_date(value) -> str:
    """'Mar 2, 2026' (the `court_date` filter's form)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    return f"{value:%b} {value.day}, {value.year}"


def format_datetime(value, zone: tzinfo) -> str:
    """In the court's time zone: the log keeps UTC (a naive time is UTC, as UTCDateTime's)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).strftime(DATETIME_FORMAT)
