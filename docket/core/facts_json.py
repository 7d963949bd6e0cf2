"""Case facts as JSON in, deadlines as JSON out: how other systems and `docket deadlines
--plan FILE --facts FACTS.json` talk to the engine. Bad input names the field it concerns."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from docket.core.calendar_math import CourtCalendar, court_calendar
from docket.core.deadlines import (
    CaseFacts,
    Event,
    Excludable,
    Filing,
    Result,
    ScheduledHearing,
    Severance,
)
from docket.core.plan import Plan

KNOWN_KEYS = {
    "filed",
    "track",
    "custody",
    "case_type",
    "designation",
    "events",
    "excludable",
    "hearings",
    "filings",
    "defendants",
    "joined",
    "severances",
    "today",
}


class FactsError(ValueError):
    """Facts that cannot be read; the message names the field."""


def calendar_for(plan: Plan) -> CourtCalendar:
    """The plan's court calendar (built once per plan and closures)."""
    spec = plan.holidays
    return _calendar(
        spec.country,
        spec.subdivision,
        spec.categories,
        tuple((c.day, c.reason) for c in spec.closures),
    )


@lru_cache(maxsize=32)
def _calendar(country, subdivision, categories, closures) -> CourtCalendar:
    return court_calendar(country, subdivision, dict(closures), categories=categories)


def _date(value, where: str) -> date:
    if not isinstance(value, str):
        raise FactsError(f"{where}: expected a date as YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise FactsError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise FactsError(f"{key}: expected a list")
    for index, item in enumerate(value):
        if not isinstance(item, dict) and key not in ("defendants",):
            raise FactsError(f"{key}[{index}]: expected an object")
    return value


def _text(item: dict, key: str, where: str, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise FactsError(f"{where}.{key}: expected text, got {value!r}")
    return value


def _defendant(item: dict, where: str) -> int | None:
    value = item.get("defendant")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FactsError(f"{where}.defendant: expected a defendant number (1, 2, ...)")
    return value


def facts_from_json(data) -> tuple[CaseFacts, date | None]:
    """Read facts (the format `rules/README.md` documents); returns the facts and `today`
    when the JSON gives one."""
    if not isinstance(data, dict):
        raise FactsError("facts: expected a JSON object")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise FactsError(f"unknown field(s): {', '.join(unknown)}")
    if "filed" not in data:
        raise FactsError("filed: missing (the date the case was filed)")
    events = tuple(
        Event(
            _text(item, "type", f"events[{i}]"),
            _date(item.get("date"), f"events[{i}].date"),
            _defendant(item, f"events[{i}]"),
        )
        for i, item in enumerate(_list(data, "events"))
    )
    excludable = tuple(
        Excludable(
            _text(item, "code", f"excludable[{i}]"),
            _date(item.get("start"), f"excludable[{i}].start"),
            _date(item["end"], f"excludable[{i}].end") if item.get("end") is not None else None,
            _defendant(item, f"excludable[{i}]"),
        )
        for i, item in enumerate(_list(data, "excludable"))
    )
    hearings = tuple(
        ScheduledHearing(
            _text(item, "type", f"hearings[{i}]"), _date(item.get("date"), f"hearings[{i}].date")
        )
        for i, item in enumerate(_list(data, "hearings"))
    )
    filings = tuple(
        Filing(
            _text(item, "entry_type", f"filings[{i}]"),
            _date(item.get("date"), f"filings[{i}].date"),
            _text(item, "filer", f"filings[{i}]", required=False),
        )
        for i, item in enumerate(_list(data, "filings"))
    )
    severances = tuple(
        Severance(
            _defendant(item, f"severances[{i}]") or 0,
            _date(item.get("date"), f"severances[{i}].date"),
        )
        for i, item in enumerate(_list(data, "severances"))
    )
    defendants = tuple(_list(data, "defendants")) or (1,)
    if not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in defendants):
        raise FactsError("defendants: expected a list of defendant numbers (1, 2, ...)")
    custody = data.get("custody", "in_custody")
    if custody not in ("in_custody", "released", "at_large"):
        raise FactsError(f"custody: expected in_custody, released or at_large, got {custody!r}")
    track = data.get("track")
    if track is not None and not isinstance(track, str):
        raise FactsError(f"track: expected a track id or null, got {track!r}")
    facts = CaseFacts(
        filed=_date(data["filed"], "filed"),
        case_type=data.get("case_type", "felony"),
        track=track,
        designation=data.get("designation"),
        custody=custody,
        events=events,
        excludable=excludable,
        hearings=hearings,
        filings=filings,
        defendants=defendants,
        joined=bool(data.get("joined", True)),
        severances=severances,
    )
    today = _date(data["today"], "today") if data.get("today") is not None else None
    return facts, today


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def result_to_json(result: Result) -> dict:
    return {
        "id": result.id,
        "kind": result.kind,
        "name": result.name,
        "defendant": result.defendant,
        "due": _iso(result.due),
        "status": result.status,
        "met_on": _iso(result.met_on),
        "last_countable_day": _iso(result.last_countable_day),
        "rolled_to": _iso(result.rolled_to),
        "warn_on": _iso(result.warn_on),
        "days_remaining": result.days_remaining,
        "days_used": result.days_used,
        "days_excluded": result.days_excluded,
        "excluded_periods": [
            {
                "code": p.code,
                "name": p.name,
                "citation": p.citation,
                "start": _iso(p.start),
                "end": _iso(p.end),
                "days": p.days,
            }
            for p in result.excluded_periods
        ],
        "citation": result.citation,
        "explanation": list(result.explanation),
    }
