"""The deadline engine: a plan and a case's facts become every stage, clock and document
deadline, each with its status and the plain-English steps that explain it.

    compute(plan, facts, today, calendar) -> tuple[Result, ...]

Pure: no app, no database, no clock (`today` is an argument). The counting itself is
calendar_math's (count_forward, count_backward, clock_end, merge_periods); this module decides
what to count from, what to exclude and what the result means. Build the CourtCalendar once
(`court_calendar(...)`) and pass it to every call.

Performance
    Each plan item is prepared once per plan and calendar (_PlanMemo: parsed trigger sources,
    period tables, categories by code). Counting results, trigger explanations, stage and
    document Results, clock tails and whole clock Results are pure functions of a few values
    (dates, periods, the plan item, today), memoized per item in bounded dictionaries keyed by
    those values: across a court's cases the same dates recur. Results are immutable (their
    explanation a tuple of strings), so sharing one Result between cases is safe. The case's
    events are indexed by type once per case (and per defendant on first use).

Facts
    Only facts dated on or before `today` are known: events and filings after `today` are
    ignored (so a case can be computed "as of" any day). Scheduled hearings are the future by
    nature and are all used.

Triggers (stages, documents, clock starts)
    Every occurrence of every source is a candidate and the trigger's `pick` chooses the
    earliest or the latest of them: an event type that happened twice gives two candidates;
    "hearing:trial" gives the date of every scheduled hearing of that type (so
    pick = "earliest" means the first scheduled trial day, "latest" the last); "stage:x" is
    stage x's due date (stages are computed in dependency order). For stages and documents an
    event of any defendant counts; for a clock only the defendant's own events and whole-case
    events (defendant None) count. A trigger with no candidate yet, or whose `requires`
    groups are not all met (18 U.S.C. 3161(c)(1): a charging document AND an appearance): due
    None, status "pending", explanation "Waiting for ...".

Stages and documents
    Met by the earliest satisfying event (for a document also "entry:<type>" filings by its
    filer; a filing with no filer counts for any), whatever its date: an indictment filed
    before the arrest meets "indictment within 30 days of arrest". A `cancelled_by` event
    before it was met makes it "not_applicable" (moot). The period is the track's
    (periods_by_track), else the one for the custody on the trigger date (periods_by_custody:
    custody at filing changed by any defendant's custody events through that day), else the
    item's own. "met" on or before the
    due date, "met_late" after it; "missed" when today is after the due date and nothing met
    it; otherwise "pending". days_remaining: due - today while pending or missed (negative =
    days over); due - met_on once met (negative = days late).

Clocks (one Result per defendant, id = clock.id)
    start      the trigger over the defendant's own and whole-case events;
    restart    the latest restart event strictly after the start restarts the clock from that
               day, with the restart's limit_days if it has one;
    codefendants = "latest" (18 U.S.C. 3161(h)(6), Henderson v. United States, 476 U.S. 321):
               while joined, a defendant's clock starts at the latest start (after restarts)
               of the codefendants joined with him when it came. Severance: `severances`
               gives the day each severed defendant's severance was granted; two defendants
               are joined before the earlier of their severance days. A codefendant's start
               counts only if it came before that day, and a category with
               shared_by_codefendants excludes a codefendant's periods for him only for the
               days before it (the period is cut at the day before severance). A codefendant
               with no start yet is ignored (explained). `joined=False` separates everyone.
    limit      a restart's limit, else the track's limit, else custody-dependent, else
               limit_days. Custody (when the clock has limit_days_in_custody or
               limit_days_released; the missing one is limit_days): custody at the start is
               `facts.custody` changed by custody events on or before the start; "in_custody"
               gives the in-custody limit, "released" and "at_large" the released limit. Each
               later released_from_custody / taken_into_custody event on clock day n (countable
               days after the start through that day, excluded days not counted) switches the
               limit if and only if n <= the in-custody limit, i.e. the in-custody limit had
               not yet run out (its last day, day 60 of 60, still counts as "before it
               expired"; Wash. CrR 3.3(b)). Released on day 61 of a 60-day limit keeps 60.
               Taken back into custody on day n <= 60 returns to 60; later keeps 90.
    excluded   the facts' excludable periods of the clock's codes (all codes when the clock
               lists none), for the defendant or the whole case, plus shared codefendant
               periods as above. A category's max_days caps each period at that many days
               from its start (an open-ended period becomes closed once the cap is reached).
               A code the plan does not know is listed and not excluded.
    stop       the earliest stop event on or after the start ends the clock: "met" on or
               before the due date, "met_late" within the grace window, "missed" after it.
               A stop event that ends the case without a trial ("dismissed", "plea_entered":
               ENDING_EVENTS), or a "dismissed" event that is not a stop event, gives
               "stopped".
    floor      floor_days_after_exclusion: the last countable day is never earlier than N days
               after the end of the last excluded period after the start (only periods of
               `floor_codes` when the clock names some).
    roll       with roll = true the last countable day is `due` and `last_countable_day`, and
               the next court day after a closed last day is shown as `rolled_to`: courts
               differ on Rule 45(a)(1)(C) and the Speedy Trial Act, so Docket flags on the
               earlier day (court-rules.md 1.3.4). Statuses use `due`.
    grace      grace_days: after the due date the clock stays "pending" (explained) until
               due + grace, then "missed".
    tolled     an open-ended excludable period running today: status "tolled", due
               provisional (it assumes the period ends today).
    days_remaining  countable days left (limit - days used) while pending or tolled, or the
               calendar days to a due date moved by the floor; negative calendar days over the
               due date once past it; due - stop day once stopped.
    minimum    a clock's `minimum` (no trial before N days from an event without consent,
               3161(c)(2)) is a separate Result, kind "clock", id f"{clock.id}_minimum", per
               defendant: due = the first day trial may begin (event + N calendar days, no
               roll, never extended by excluded time); "met" once trial began on or after it,
               or once that day has come; "missed" if trial began earlier without a waiver;
               "not_applicable" once a waived_by event was filed; else "pending".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from docket.core.calendar_math import (
    WEEKDAYS,
    ClockResult,
    Computed,
    CourtCalendar,
    clock_end,
    count_backward,
    count_forward,
    merge_periods,
)
from docket.core.plan import (
    AFTER,
    ENTRY_PREFIX,
    HEARING_PREFIX,
    LATEST,
    STAGE_PREFIX,
    Clock,
    DocumentRequirement,
    Period,
    Plan,
    Stage,
    Trigger,
)
from docket.core.vocabulary import EVENT_TYPES, HEARING_TYPES

STAGE = "stage"
CLOCK = "clock"
DOCUMENT = "document"

PENDING = "pending"
MET = "met"
MET_LATE = "met_late"
MISSED = "missed"
NOT_APPLICABLE = "not_applicable"
TOLLED = "tolled"
STOPPED = "stopped"
STATUSES = (PENDING, MET, MET_LATE, MISSED, NOT_APPLICABLE, TOLLED, STOPPED)

RELEASED_EVENT = "released_from_custody"
CUSTODY_EVENT = "taken_into_custody"
DISMISSED_EVENT = "dismissed"
# Stop events that end a clock without a trial: the clock is "stopped", not "met".
ENDING_EVENTS = ("dismissed", "plea_entered")


# --- facts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened. defendant None: the whole case (every defendant)."""

    type: str
    on: date
    defendant: int | None = None


@dataclass(frozen=True, slots=True)
class Excludable:
    """An excludable-delay period, inclusive; end None: still running."""

    code: str
    start: date
    end: date | None = None
    defendant: int | None = None


@dataclass(frozen=True, slots=True)
class ScheduledHearing:
    type: str
    on: date


@dataclass(frozen=True, slots=True)
class Filing:
    """A docket entry; filer "prosecution", "defense", "court" or None (unknown: any).
    `number` is its docket number; `responds_to` and `resolves` the numbers of the entries it
    answers (a response to a motion) or decides (an order resolving a motion)."""

    entry_type: str
    on: date
    filer: str | None = None
    number: int | None = None
    responds_to: tuple[int, ...] = ()
    resolves: tuple[int, ...] = ()
    sealed: bool = False  # a sealed entry owes the other side nothing (it cannot see it)


@dataclass(frozen=True, slots=True)
class Severance:
    """Severance of `defendant` from the joint trial, granted on `on`."""

    defendant: int
    on: date


@dataclass(frozen=True, slots=True)
class CaseFacts:
    filed: date
    case_type: str = "felony"
    track: str | None = None  # None: plan.assign_track decides
    designation: str | None = None
    custody: str = "in_custody"  # at filing: in_custody, released, at_large
    events: tuple[Event, ...] = ()
    excludable: tuple[Excludable, ...] = ()
    hearings: tuple[ScheduledHearing, ...] = ()
    filings: tuple[Filing, ...] = ()
    defendants: tuple[int, ...] = (1,)
    joined: bool = True
    severances: tuple[Severance, ...] = ()


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExcludedSpan:
    """An excludable period as it applied to one clock, for display."""

    code: str
    name: str
    citation: str
    start: date
    end: date | None  # None: still running
    days: int  # days the period itself spans (through today if open), after any cap
    note: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    id: str
    kind: str  # stage | clock | document
    name: str
    status: str
    defendant: int | None = None
    due: date | None = None
    last_countable_day: date | None = None
    rolled_to: date | None = None  # clocks with roll: the next court day after a closed last day
    met_on: date | None = None
    days_remaining: int | None = None
    days_used: int | None = None
    days_excluded: int | None = None
    excluded_periods: tuple[ExcludedSpan, ...] = ()
    warn_on: date | None = None
    citation: str | None = None
    explanation: tuple[str, ...] = field(default=())
    owed_by: str | None = None  # documents: the party that files it
    met_by_entry: int | None = None  # documents: the docket number of the entry that met it


# --- helpers -----------------------------------------------------------------------------------


_DAY_TEXT: dict[date, str] = {}
_WORDS: dict[str, str] = {}


def _day(d: date) -> str:
    """'2026-11-26 (Thursday)', memoized (the same few thousand days recur across cases)."""
    text = _DAY_TEXT.get(d)
    if text is None:
        if len(_DAY_TEXT) > 100_000:
            _DAY_TEXT.clear()
        text = _DAY_TEXT[d] = f"{d.isoformat()} ({WEEKDAYS[d.weekday()]})"
    return text


def _days(n: int) -> str:
    return f"{n} day" + ("" if n == 1 else "s")


def _source_words(source: str, stage_names: dict[str, str]) -> str:
    words = _WORDS.get(source)
    if words is not None:
        return words
    if source.startswith(STAGE_PREFIX):
        stage_id = source[len(STAGE_PREFIX) :]
        return f"the due date of '{stage_names.get(stage_id, stage_id)}' ({source})"
    if source.startswith(HEARING_PREFIX):
        kind = source[len(HEARING_PREFIX) :]
        words = f"the scheduled {HEARING_TYPES.get(kind, kind).lower()} ({source})"
    elif source.startswith(ENTRY_PREFIX):
        words = f"a filed {source[len(ENTRY_PREFIX) :].replace('_', ' ')} ({source})"
    else:
        words = f"{EVENT_TYPES.get(source, source)} ({source})"
    if len(_WORDS) < 10_000:
        _WORDS[source] = words
    return words


# Counting is a pure function of its arguments and its results are immutable values, so they
# are memoized per calendar: across a court's cases the same triggers and periods recur, and a
# dictionary lookup is far cheaper than building the explanation again. Bounded: cleared when
# full. Keyed by the calendar's identity (the calendar is kept alive beside its memo).
_MEMO_LIMIT = 200_000
_COUNT_MEMO: dict[int, tuple[CourtCalendar, dict]] = {}
_CLOCK_MEMO: dict[tuple, ClockResult] = {}


def _count(
    calendar: CourtCalendar, trigger: date, amount: int, unit: str, roll: bool, forward: bool
) -> Computed:
    entry = _COUNT_MEMO.get(id(calendar))
    if entry is None or entry[0] is not calendar:
        if len(_COUNT_MEMO) > 16:
            _COUNT_MEMO.clear()
        entry = _COUNT_MEMO[id(calendar)] = (calendar, {})
    memo = entry[1]
    key = (trigger, amount, unit, roll, forward)
    computed = memo.get(key)
    if computed is None:
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        counter = count_forward if forward else count_backward
        computed = memo[key] = counter(calendar, trigger, amount, unit, roll)
    return computed


def _clock_end(
    start: date, limit: int, periods: list[tuple[date, date | None]], today: date
) -> ClockResult:
    key = (start, limit, tuple(periods), today)
    result = _CLOCK_MEMO.get(key)
    if result is None:
        if len(_CLOCK_MEMO) > _MEMO_LIMIT:
            _CLOCK_MEMO.clear()
        result = _CLOCK_MEMO[key] = clock_end(start, limit, periods, today)
    return result


class _Index:
    """The case's facts grouped for O(1) lookups: event dates by type (tuples), for any
    defendant and, built on first use, for one defendant (his own and the whole case's)."""

    __slots__ = ("case_events", "by_defendant", "any_events", "hearings", "filings", "merged")

    def __init__(self, facts: CaseFacts, today: date):
        case_events: dict[str, list[date]] = {}
        by_defendant: dict[int, dict[str, list[date]]] = {}
        any_events: dict[str, list[date]] = {}
        for event in facts.events:
            on = event.on
            if on > today:
                continue
            kind = event.type
            dates = any_events.get(kind)
            if dates is None:
                any_events[kind] = [on]
            else:
                dates.append(on)
            if event.defendant is None:
                case_events.setdefault(kind, []).append(on)
            else:
                by_defendant.setdefault(event.defendant, {}).setdefault(kind, []).append(on)
        hearings: dict[str, tuple[date, ...]] = {}
        for hearing in facts.hearings:
            hearings[hearing.type] = (*hearings.get(hearing.type, ()), hearing.on)
        filings: dict[str, list[tuple[date, str | None, int | None]]] = {}
        for filing in facts.filings:
            if filing.on <= today:
                filings.setdefault(filing.entry_type, []).append(
                    (filing.on, filing.filer, filing.number)
                )
        self.case_events = case_events
        self.by_defendant = by_defendant
        self.any_events = {kind: tuple(dates) for kind, dates in any_events.items()}
        self.hearings = hearings
        self.filings = filings
        self.merged: dict[int, dict[str, tuple[date, ...]]] = {}

    def events(self, defendant: int | None) -> dict[str, tuple[date, ...]]:
        """Event dates by type: any defendant's (defendant None), or one defendant's own
        and the whole case's (his own first)."""
        if defendant is None:
            return self.any_events
        merged = self.merged.get(defendant)
        if merged is None:
            case = self.case_events
            merged = {kind: tuple(dates) for kind, dates in case.items()}
            own = self.by_defendant.get(defendant)
            if own:
                for kind, dates in own.items():
                    shared = case.get(kind)
                    merged[kind] = tuple(dates + shared) if shared else tuple(dates)
            self.merged[defendant] = merged
        return merged

    def dates(self, event_type: str, defendant: int | None) -> tuple[date, ...]:
        """Dates of an event type: any defendant's (defendant None), or one defendant's own
        and the whole case's."""
        return self.events(defendant).get(event_type, ())


# --- triggers ----------------------------------------------------------------------------------

_NO_STAGES: dict = {}
_EVENT_SOURCE, _HEARING_SOURCE, _STAGE_SOURCE = 0, 1, 2


class _TriggerPlan:
    """A trigger prepared once per plan: its sources parsed, and its outcome (date and
    explanation lines) memoized by the dates of its sources, of which it is a function."""

    __slots__ = ("trigger", "sources", "event_keys", "stage_names", "memo")

    def __init__(self, trigger: Trigger, stage_names: dict[str, str]):
        self.trigger = trigger
        sources = []
        for source in trigger.sources:
            if source.startswith(HEARING_PREFIX):
                sources.append((_HEARING_SOURCE, source[len(HEARING_PREFIX) :]))
            elif source.startswith(STAGE_PREFIX):
                sources.append((_STAGE_SOURCE, source[len(STAGE_PREFIX) :]))
            else:
                sources.append((_EVENT_SOURCE, source))
        self.sources = tuple(sources)
        # Only event sources: their dates are read straight from the events by type.
        self.event_keys = (
            tuple(key for _, key in sources)
            if all(kind == _EVENT_SOURCE for kind, _ in sources)
            else None
        )
        self.stage_names = stage_names
        self.memo: dict[tuple, tuple[date | None, tuple[str, ...]]] = {}

    def found(
        self, index: _Index, defendant: int | None, stage_dues: dict[str, date | None]
    ) -> tuple[tuple[date, ...], ...]:
        """Every source's dates, in source order."""
        found = []
        events = index.events(defendant)
        for kind, key in self.sources:
            if kind == _EVENT_SOURCE:
                found.append(events.get(key, ()))
            elif kind == _HEARING_SOURCE:
                found.append(index.hearings.get(key, ()))
            else:
                due = stage_dues.get(key)
                found.append((due,) if due is not None else ())
        return tuple(found)

    def resolve(self, found: tuple[tuple[date, ...], ...]) -> tuple[date | None, tuple[str, ...]]:
        """(trigger date or None, explanation lines)."""
        hit = self.memo.get(found)
        if hit is None:
            best, _, lines = _explain_trigger(self.trigger, list(found), self.stage_names)
            if len(self.memo) > _MEMO_LIMIT:
                self.memo.clear()
            hit = self.memo[found] = (best, tuple(lines))
        return hit


def _explain_trigger(
    trigger: Trigger, dates_by_source: list[tuple[date, ...]], stage_names: dict[str, str]
) -> tuple[date | None, str, list[str]]:
    latest = trigger.pick == LATEST
    best: date | None = None
    best_source = ""
    found = list(zip(trigger.sources, dates_by_source, strict=True))
    for source, dates in found:
        if dates:
            candidate = max(dates) if latest else min(dates)
            if best is None or (candidate > best if latest else candidate < best):
                best, best_source = candidate, source
    if best is None:
        return None, "", [_waiting_line(trigger, stage_names)]
    requires = getattr(trigger, "requires", ())
    if requires:
        have = {source for source, dates in found if dates}
        for group in requires:
            if not have.intersection(group):
                waiting = " or ".join(_source_words(s, stage_names) for s in group)
                return (
                    None,
                    "",
                    [
                        f"Waiting for {waiting}: this trigger requires it, and it has not "
                        "happened yet."
                    ],
                )
    which = "latest" if latest else "earliest"
    words = _source_words(best_source, stage_names)
    if len(found) == 1:
        dates = found[0][1]
        if len(dates) == 1:
            return best, best_source, [f"Trigger: {words} on {_day(best)}."]
        listed = ", ".join(d.isoformat() for d in sorted(dates))
        return (
            best,
            best_source,
            [f"Trigger: the {which} {words}, on {_day(best)} (occurrences: {listed})."],
        )
    considered = "; ".join(
        f"{_source_words(source, stage_names)}: "
        + (", ".join(d.isoformat() for d in sorted(dates)) if dates else "not yet")
        for source, dates in found
    )
    return (
        best,
        best_source,
        [f"Trigger: the {which} of {len(found)} sources ({considered}): {words} on {_day(best)}."],
    )


_WAITING: dict[Trigger, str] = {}


def _waiting_line(trigger: Trigger, stage_names: dict[str, str]) -> str:
    line = _WAITING.get(trigger)
    if line is None:
        waiting = " or ".join(_source_words(s, stage_names) for s in trigger.sources)
        line = f"Waiting for {waiting}: it has not happened yet."
        if len(_WAITING) < 10_000 and not any(s.startswith(STAGE_PREFIX) for s in trigger.sources):
            _WAITING[trigger] = line
    return line


_ALTERNATIVES: dict[tuple[str, ...], str] = {}


def _alternatives(sources: tuple[str, ...]) -> str:
    """'Indictment filed (indictment_filed) or Information filed (information_filed)'."""
    words = _ALTERNATIVES.get(sources)
    if words is None:
        words = " or ".join(_source_words(s, {}) for s in sources)
        if len(_ALTERNATIVES) < 10_000:
            _ALTERNATIVES[sources] = words
    return words


def _not_applicable(kind: str, item, track: str, defendant: int | None = None) -> Result:
    return Result(
        id=item.id,
        kind=kind,
        name=item.name,
        status=NOT_APPLICABLE,
        defendant=defendant,
        citation=item.citation,
        explanation=(
            f"Not applicable: the case is on track '{track}', and this {kind} applies only "
            f"to track(s) {', '.join(item.tracks)}.",
        ),
    )


def _memo_put(memo: dict, key, value):
    """Store in a bounded memo (cleared when full) and return the value."""
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


# --- stages and documents ----------------------------------------------------------------------


class _DatedPlan:
    """A stage or document requirement prepared once per plan and calendar. Its Result is a
    pure function of a few values (the trigger's source dates, the day it was met, the
    cancelling event, the period, the scheduled hearing, today), memoized on them: Results
    are immutable, so cases with the same values share one."""

    __slots__ = (
        "item",
        "kind",
        "trigger",
        "met_events",
        "met_entries",
        "cancelled_by",
        "by_track",
        "by_custody",
        "met_words",
        "preamble",
        "hearing_type",
        "na",
        "memo",
        "tails",
    )

    def __init__(self, kind: str, item: Stage | DocumentRequirement, stage_names: dict):
        self.item = item
        self.kind = kind
        self.trigger = _TriggerPlan(item.trigger, stage_names)
        if kind == STAGE:
            self.met_events = tuple(item.satisfied_by)
            self.met_entries: tuple[str, ...] = ()
            self.preamble: tuple[str, ...] = ()
            self.hearing_type = item.hearing_type
        else:
            self.met_events = tuple(s for s in item.satisfied_by if not s.startswith(ENTRY_PREFIX))
            self.met_entries = tuple(
                s[len(ENTRY_PREFIX) :] for s in item.satisfied_by if s.startswith(ENTRY_PREFIX)
            )
            self.preamble = (f"To be filed by the {item.filer}.",)
            self.hearing_type = None
        self.cancelled_by = tuple(getattr(item, "cancelled_by", ()))
        self.by_track = dict(item.periods_by_track)
        self.by_custody = dict(getattr(item, "periods_by_custody", ()))
        self.met_words = _alternatives(item.satisfied_by)
        self.na: dict[str, Result] = {}
        self.memo: dict[tuple, Result] = {}
        self.tails: dict[tuple, tuple] = {}


def _dated_result(
    dp: _DatedPlan,
    facts: CaseFacts,
    index: _Index,
    track: str,
    today: date,
    calendar: CourtCalendar,
    stage_dues: dict[str, date | None],
) -> Result:
    """A stage or document requirement: not applicable on another track, else its Result."""
    item = dp.item
    if item.tracks and track not in item.tracks:
        na = dp.na.get(track)
        if na is None:
            na = dp.na[track] = _not_applicable(dp.kind, item, track)
        return na
    any_events = index.any_events
    met_on = None
    for event in dp.met_events:
        dates = any_events.get(event)
        if dates:
            first = min(dates)
            if met_on is None or first < met_on:
                met_on = first
    met_by_entry = None
    if dp.met_entries:
        filer = item.filer
        for entry in dp.met_entries:
            for on, by, number in index.filings.get(entry, ()):
                # The entry is named even when an event of the same day also met it.
                if (by is None or by == filer) and (
                    met_on is None or on < met_on or (on == met_on and met_by_entry is None)
                ):
                    met_on, met_by_entry = on, number
    cancel = None
    for event in dp.cancelled_by:
        for on in any_events.get(event, ()):
            if met_on is None or on < met_on:
                candidate = (on, event)
                if cancel is None or candidate < cancel:
                    cancel = candidate
    tp = dp.trigger
    if tp.event_keys is not None:
        found = tuple([any_events.get(key, ()) for key in tp.event_keys])
    else:
        found = tp.found(index, None, stage_dues)
    hit = tp.memo.get(found)
    trigger, trigger_lines = hit if hit is not None else tp.resolve(found)
    period_info = None
    if trigger is not None and (dp.by_track or dp.by_custody):
        period_info = _item_period(dp, track, facts, index, trigger)
    key = (found, met_on, cancel, period_info, today)
    entry = dp.memo.get(key)
    if entry is None:
        entry = _memo_put(
            dp.memo,
            key,
            (
                _build_dated(
                    dp, trigger, trigger_lines, met_on, cancel, period_info, today, calendar
                ),
                {},
            ),
        )
    result = entry[0]
    if dp.hearing_type and result.status in (PENDING, MISSED):
        scheduled = index.hearings.get(dp.hearing_type)
        if scheduled:
            # The scheduled hearing adds a last line: one Result per hearing day.
            when = min([d for d in scheduled if d >= today] or scheduled)
            noted = entry[1].get(when)
            if noted is None:
                noted = entry[1][when] = _hearing_noted(dp, result, when)
            result = noted
    if met_by_entry is not None and result.met_on == met_on:
        result = Result(**{**_as_dict(result), "met_by_entry": met_by_entry})
    return result


def _hearing_noted(dp: _DatedPlan, result: Result, when: date) -> Result:
    """The result with the line on the next scheduled hearing of the stage's type."""
    hearing_type = dp.hearing_type
    note = f"A {HEARING_TYPES.get(hearing_type, hearing_type).lower()}"
    note += f" hearing is scheduled for {_day(when)}"
    if result.due is not None:
        note += ", after the due date" if when > result.due else ", by the due date"
    values = _as_dict(result)
    values["explanation"] = (*result.explanation, note + ".")
    return Result(**values)


def _build_dated(
    dp: _DatedPlan,
    trigger: date | None,
    trigger_lines: tuple[str, ...],
    met_on: date | None,
    cancel: tuple[date, str] | None,
    period_info: tuple | None,
    today: date,
    calendar: CourtCalendar,
) -> Result:
    item = dp.item
    kind = dp.kind
    explanation = [*dp.preamble, *trigger_lines]
    if cancel is not None:
        on, event = cancel
        explanation.append(
            f"Not applicable: {_source_words(event, dp.trigger.stage_names)} on {_day(on)}, "
            "before it was met, makes it moot."
        )
        return Result(
            id=item.id,
            kind=kind,
            name=item.name,
            status=NOT_APPLICABLE,
            citation=item.citation,
            explanation=tuple(explanation),
            owed_by=getattr(item, "filer", None),
        )
    due = None
    last_countable_day = None
    remaining = None
    warn_on = None
    if trigger is None:
        status = PENDING
        if met_on is not None:
            status = MET
            explanation.append(f"Met on {_day(met_on)} by {dp.met_words}, before any trigger.")
    else:
        if period_info is None:
            period = item.period
        else:
            period, line = period_info
            if line is not None:
                explanation.append(line)
        key = (period, trigger, met_on, today)
        tail = dp.tails.get(key)
        if tail is None:
            tail = _memo_put(
                dp.tails,
                key,
                _dated_tail(item, period, trigger, met_on, dp.met_words, today, calendar),
            )
        status, due, last_countable_day, remaining, tail_lines = tail
        explanation.extend(tail_lines)
        warn_on = due - timedelta(days=item.warn_days)
    return Result(
        id=item.id,
        kind=kind,
        name=item.name,
        status=status,
        due=due,
        last_countable_day=last_countable_day,
        met_on=met_on,
        days_remaining=remaining,
        warn_on=warn_on,
        citation=item.citation,
        explanation=tuple(explanation),
        owed_by=getattr(item, "filer", None),
    )


def _item_period(
    dp: _DatedPlan, track: str, facts: CaseFacts, index: _Index, trigger: date
) -> tuple[Period, str | None]:
    """The item's period for the track, else for custody on the trigger date, else its own;
    with the explanation line that says which (None: its own)."""
    if track in dp.by_track:
        return dp.by_track[track], f"Track '{track}' has its own period for this {dp.kind}."
    if dp.by_custody:
        custody, how = _custody_on(facts, index, None, trigger)
        period = dp.by_custody.get(custody)
        if period is not None:
            return period, (
                f"Custody on the trigger date: {custody.replace('_', ' ')} ({how}): "
                "the period for that custody status applies."
            )
    return dp.item.period, None


def _custody_on(
    facts: CaseFacts, index: _Index, defendant: int | None, on: date
) -> tuple[str, str]:
    """Custody on a day: custody at filing changed by the custody events through that day
    (a defendant's own and the whole case's; any defendant's when `defendant` is None)."""
    changes = [(d, "in_custody") for d in index.dates(CUSTODY_EVENT, defendant) if d <= on]
    changes += [(d, "released") for d in index.dates(RELEASED_EVENT, defendant) if d <= on]
    if not changes:
        return facts.custody, "custody at filing"
    day, custody = max(changes)
    what = "taken into custody" if custody == "in_custody" else "released"
    return custody, f"{what} on {day.isoformat()}"


def _dated_tail(
    item: Stage | DocumentRequirement,
    period,
    trigger: date,
    met_on: date | None,
    met_words: str,
    today: date,
    calendar: CourtCalendar,
) -> tuple[str, date, date, int, tuple[str, ...]]:
    """Everything of a stage or document after its trigger: a pure function of its
    arguments, memoized per plan and calendar (cases share triggers and dates)."""
    computed = _count(
        calendar, trigger, period.amount, period.unit, item.roll, item.direction == AFTER
    )
    explanation = []
    steps = computed.steps
    if steps and steps[0].endswith("; that day is not counted."):
        explanation.append("That day is not counted.")
        steps = steps[1:]
    explanation.extend(steps)
    due = computed.due
    if met_on is not None:
        if met_on <= due:
            status = MET
            explanation.append(f"Met on {_day(met_on)} by {met_words}, on time.")
        else:
            status = MET_LATE
            explanation.append(
                f"Met late on {_day(met_on)} by {met_words}: "
                f"{_days((met_on - due).days)} after the due date."
            )
        remaining = (due - met_on).days
    elif today > due:
        status = MISSED
        remaining = (due - today).days
        explanation.append(
            f"Missed: due {due.isoformat()}, not met as of {today.isoformat()} "
            f"({_days(-remaining)} over)."
        )
    else:
        status = PENDING
        remaining = (due - today).days
        explanation.append(f"As of {today.isoformat()}: {_days(remaining)} remaining.")
    return status, due, computed.last_countable_day, remaining, tuple(explanation)


def _stage_order(plan: Plan) -> list[Stage]:
    """Stages in dependency order ("stage:x" triggers after x), otherwise in file order."""
    by_id = {stage.id: stage for stage in plan.stages}
    order: list[Stage] = []
    state: dict[str, int] = {}

    def visit(stage: Stage) -> None:
        state[stage.id] = 1
        for source in stage.trigger.sources:
            if source.startswith(STAGE_PREFIX):
                other = by_id.get(source[len(STAGE_PREFIX) :])
                if other is not None and state.get(other.id) is None:
                    visit(other)
                elif other is not None and state.get(other.id) == 1:
                    raise ValueError(f"stages depend on each other in a cycle at {stage.id!r}")
        state[stage.id] = 2
        order.append(stage)

    for stage in plan.stages:
        if state.get(stage.id) is None:
            visit(stage)
    return order


class _PlanMemo:
    """What is prepared once per plan and calendar: the stage order, the stage names, the
    prepared stages, documents and clocks (each with its memos, keyed by values only), the
    excludable categories by code and alias, and the track assignments."""

    __slots__ = (
        "plan",
        "calendar",
        "order",
        "stage_names",
        "documents",
        "clocks",
        "categories",
        "tracks",
    )

    def __init__(self, plan: Plan, calendar: CourtCalendar):
        self.plan = plan
        self.calendar = calendar
        self.stage_names = {stage.id: stage.name for stage in plan.stages}
        self.order = [_DatedPlan(STAGE, stage, self.stage_names) for stage in _stage_order(plan)]
        self.documents = [_DatedPlan(DOCUMENT, doc, self.stage_names) for doc in plan.documents]
        self.clocks = [_ClockPlan(clock) for clock in plan.clocks]
        categories: dict = {}
        for category in plan.excludable:
            categories.setdefault(category.code, category)
            categories.setdefault(category.alias, category)
        self.categories = categories
        self.tracks: dict[tuple, str] = {}

    def category(self, code: str):
        """plan.excludable_category(code): the first category with that code or alias."""
        category = self.categories.get(code)
        return category if category is not None else self.plan.excludable_category(code)

    def track(self, facts: CaseFacts) -> str:
        if facts.track is not None:
            return facts.track
        key = (facts.case_type, facts.custody, facts.designation)
        track = self.tracks.get(key)
        if track is None:
            track = self.tracks[key] = case_track(self.plan, facts)
        return track


_PLAN_MEMOS: dict[tuple[int, int], _PlanMemo] = {}


def _plan_memo(plan: Plan, calendar: CourtCalendar) -> _PlanMemo:
    memo = _PLAN_MEMOS.get((id(plan), id(calendar)))
    if memo is None or memo.plan is not plan or memo.calendar is not calendar:
        if len(_PLAN_MEMOS) > 16:
            _PLAN_MEMOS.clear()
        memo = _PLAN_MEMOS[(id(plan), id(calendar))] = _PlanMemo(plan, calendar)
    return memo


def _stages(
    memo: _PlanMemo,
    facts: CaseFacts,
    index: _Index,
    track: str,
    today: date,
    calendar: CourtCalendar,
) -> tuple[list[Result], dict[str, date | None]]:
    dues: dict[str, date | None] = {}
    results: dict[str, Result] = {}
    for dp in memo.order:
        result = results[dp.item.id] = _dated_result(dp, facts, index, track, today, calendar, dues)
        dues[dp.item.id] = result.due
    return [results[stage.id] for stage in memo.plan.stages], dues


def _documents(
    memo: _PlanMemo,
    facts: CaseFacts,
    index: _Index,
    track: str,
    today: date,
    calendar: CourtCalendar,
    dues: dict[str, date | None],
) -> list[Result]:
    results = []
    for dp in memo.documents:
        if dp.item.each:
            results.extend(_each_entry(dp, facts, index, track, today, calendar))
        else:
            results.append(_dated_result(dp, facts, index, track, today, calendar, dues))
    return results


OPPOSING = {"prosecution": "defense", "defense": "prosecution"}


def _each_entry(
    dp: _DatedPlan,
    facts: CaseFacts,
    index: _Index,
    track: str,
    today: date,
    calendar: CourtCalendar,
) -> list[Result]:
    """A requirement with `each`: one Result per filed entry of that type (a response to each
    motion), id "<requirement>#<entry number>", owed by the requirement's filer or, for
    "opposing", by the side opposite the entry's filer (the court's own entries owe nothing).
    Met by the earliest entry of a satisfying type filed by that side that names the entry
    (responds_to); moot when an order resolving it, or a `cancelled_by` event, comes first.
    A sealed entry owes nothing: the other side may not see it (its deadline would say so).
    A sealed entry that answered or decided it is named by its date only: the explanation is
    stored once and shown to every viewer of the case."""
    item = dp.item
    if item.tracks and track not in item.tracks:
        return []
    answers: dict[int, list[Filing]] = {}
    decisions: dict[int, list[Filing]] = {}
    for filing in facts.filings:
        if filing.on > today or filing.number is None:
            continue
        if filing.entry_type in dp.met_entries:
            for number in filing.responds_to:
                answers.setdefault(number, []).append(filing)
        for number in filing.resolves:
            decisions.setdefault(number, []).append(filing)
    entries = sorted(
        (
            f
            for f in facts.filings
            if f.entry_type == item.each and f.number and f.on <= today and not f.sealed
        ),
        key=lambda f: f.number,
    )
    results = []
    what = item.each.replace("_", " ")
    for entry in entries:
        owed = OPPOSING.get(entry.filer) if item.filer == "opposing" else item.filer
        if owed is None:
            continue
        met = min(
            (a for a in answers.get(entry.number, ()) if a.filer in (None, owed)),
            key=lambda a: (a.on, a.sealed, a.number),
            default=None,
        )
        met_on = met.on if met else None
        opposing = f", the side opposing the {entry.filer}'s {what}"
        explanation = [f"To be filed by the {owed}{opposing if item.filer == 'opposing' else ''}."]
        explanation.append(f"Trigger: {what} #{entry.number} filed on {_day(entry.on)}.")
        # (day, sealed, line): the earliest; on a tie an entry every viewer may see is named.
        moot = [
            (d.on, d.sealed, _decided(d, what, entry.number))
            for d in decisions.get(entry.number, ())
        ]
        moot += [
            (
                on,
                False,
                f"Not applicable: {_source_words(event, dp.trigger.stage_names)} on {_day(on)} "
                f"decided {what} #{entry.number} before it was answered.",
            )
            for event in dp.cancelled_by
            for on in index.any_events.get(event, ())
            if on >= entry.on
        ]
        moot = [m for m in moot if met_on is None or m[0] < met_on]
        base = {
            "id": f"{item.id}#{entry.number}",
            "kind": dp.kind,
            "name": f"{item.name} #{entry.number}",
            "citation": item.citation,
            "owed_by": owed,
        }
        if moot:
            explanation.append(min(moot)[2])
            results.append(Result(status=NOT_APPLICABLE, explanation=tuple(explanation), **base))
            continue
        period = item.period
        if dp.by_track or dp.by_custody:
            period, line = _item_period(dp, track, facts, index, entry.on)
            if line is not None:
                explanation.append(line)
        key = (period, entry.on, met_on, today)
        tail = dp.tails.get(key)
        if tail is None:
            tail = _memo_put(
                dp.tails,
                key,
                _dated_tail(item, period, entry.on, met_on, dp.met_words, today, calendar),
            )
        status, due, last_countable_day, remaining, tail_lines = tail
        explanation.extend(tail_lines)
        if met is not None:
            explanation.append(_answered(met))
        results.append(
            Result(
                status=status,
                due=due,
                last_countable_day=last_countable_day,
                met_on=met_on,
                days_remaining=remaining,
                warn_on=due - timedelta(days=item.warn_days),
                explanation=tuple(explanation),
                met_by_entry=met.number if met else None,
                **base,
            )
        )
    return results


def _answered(answer: Filing) -> str:
    """The explanation's last line once an entry answered: a sealed one by its date only
    (the explanation is every viewer's; the court finds it on the docket sheet)."""
    if answer.sealed:
        return f"Answered by a sealed entry filed on {_day(answer.on)}."
    return f"Answered by entry #{answer.number}."


def _decided(order: Filing, what: str, number: int) -> str:
    """The explanation's line for an order that decided the entry first: a sealed one by its
    date only, as in _answered."""
    if order.sealed:
        return (
            f"Not applicable: decided on {_day(order.on)} by a sealed entry, before it was "
            "answered."
        )
    return (
        f"Not applicable: order #{order.number} on {_day(order.on)} decided {what} #{number} "
        "before it was answered."
    )


# --- clocks ------------------------------------------------------------------------------------


class _ClockPlan:
    """A clock prepared once per plan and calendar, with its memos: the start trigger's,
    the excludable periods as they apply to it, its tail (everything from the counting on,
    a pure function of the start, limit, periods, stop and today) and its minimum's Results."""

    __slots__ = (
        "clock",
        "start",
        "codes",
        "floor_codes",
        "limits_by_track",
        "custody_limits",
        "dismissed_apart",
        "minimum_trigger",
        "minimum_id",
        "minimum_name",
        "minimum_citation",
        "na",
        "exclusions",
        "tails",
        "results",
        "minimums",
    )

    def __init__(self, clock: Clock):
        self.clock = clock
        self.start = _TriggerPlan(clock.start, _NO_STAGES)
        self.codes = set(clock.excludable)
        self.floor_codes = set(getattr(clock, "floor_codes", ()))
        self.limits_by_track = dict(clock.limits_by_track) if clock.limits_by_track else {}
        self.custody_limits = clock.limit_in_custody is not None or clock.limit_released is not None
        self.dismissed_apart = DISMISSED_EVENT not in clock.stop_events
        minimum = clock.minimum
        self.minimum_trigger = (
            _TriggerPlan(Trigger((minimum.source,)), _NO_STAGES) if minimum is not None else None
        )
        self.minimum_id = f"{clock.id}_minimum"
        self.minimum_name = f"{clock.name}: earliest trial day"
        self.minimum_citation = (
            (minimum.citation or clock.citation) if minimum is not None else None
        )
        self.na: dict[tuple, tuple[Result, Result]] = {}
        self.exclusions: dict[tuple, tuple] = {}
        self.tails: dict[tuple, tuple] = {}
        self.results: dict[tuple, Result] = {}
        self.minimums: dict[tuple, Result] = {}


@dataclass(slots=True)
class _Start:
    start: date | None
    limit: int | None  # a restart's limit
    lines: list[str]
    severed: date  # date.max when never severed


def _own_start(cp: _ClockPlan, index: _Index, defendant: int, severed: date) -> _Start:
    events = index.events(defendant)
    tp = cp.start
    if tp.event_keys is not None:
        found = tuple([events.get(key, ()) for key in tp.event_keys])
    else:
        found = tp.found(index, defendant, _NO_STAGES)
    start, trigger_lines = tp.resolve(found)
    lines = list(trigger_lines)
    if start is None:
        return _Start(None, None, lines, severed)
    chosen = None
    for restart in cp.clock.restarts:
        for on in events.get(restart.event, ()):
            if on > start and (chosen is None or on > chosen[0]):
                chosen = (on, restart)
    limit = None
    if chosen is not None:
        on, restart = chosen
        limit = restart.limit_days
        text = (
            f"Restart: {_source_words(restart.event, {})} on {_day(on)}, after the start on "
            f"{start.isoformat()}: the clock starts over from that day"
        )
        if limit is not None:
            text += f" with a limit of {_days(limit)}"
        if restart.note:
            text += f" ({restart.note})"
        lines.append(text + ".")
        start = on
    return _Start(start, limit, lines, severed)


def _excludable_periods(
    memo: _PlanMemo,
    cp: _ClockPlan,
    facts: CaseFacts,
    defendant: int,
    joined_until: dict[int, date],
    today: date,
) -> tuple[list[tuple[date, date | None]], list[ExcludedSpan], list[str]]:
    """The periods excluded from this defendant's clock, their display rows and lines."""
    periods: list[tuple[date, date | None]] = []
    spans: list[ExcludedSpan] = []
    lines: list[str] = []
    exclusions = cp.exclusions
    for item in facts.excludable:
        if item.start > today:
            continue
        shared_until = None
        if item.defendant is not None and item.defendant != defendant:
            until = joined_until.get(item.defendant)
            if until is None:
                continue
            shared_until = until
        key = (item, shared_until, today)
        hit = exclusions.get(key)
        if hit is None:
            hit = _memo_put(exclusions, key, _exclusion(memo, cp, item, shared_until, today))
        period, span, line = hit
        if line is not None:
            lines.append(line)
        if period is not None:
            periods.append(period)
            spans.append(span)
    return periods, spans, lines


def _exclusion(
    memo: _PlanMemo, cp: _ClockPlan, item: Excludable, shared_until: date | None, today: date
) -> tuple[tuple[date, date | None] | None, ExcludedSpan | None, str | None]:
    """One excludable period as it applies to a clock: (period, display row, line), each None
    when it does not apply (a line alone: a code the plan does not know)."""
    category = memo.category(item.code)
    if category is None:
        return (
            None,
            None,
            f"Period coded {item.code!r} from {item.start.isoformat()} is not a category "
            "of this plan: not excluded.",
        )
    codes = cp.codes
    if codes and category.code not in codes and category.alias not in codes:
        return None, None, None
    if shared_until is not None and not category.shared_by_codefendants:
        return None, None, None
    start, end = item.start, item.end
    notes = []
    if category.max_days is not None:
        cap_end = start + timedelta(days=category.max_days - 1)
        if (end is None and cap_end < today) or (end is not None and end > cap_end):
            notes.append(
                f"capped at {_days(category.max_days)}"
                + (f", {end.isoformat()} asked" if end is not None else "")
                + f": excluded through {cap_end.isoformat()}"
            )
            end = cap_end
    if shared_until is not None:
        if start >= shared_until:
            return None, None, None
        notes.append(f"codefendant {item.defendant}'s delay, excludable for every joined defendant")
        last_joined = shared_until - timedelta(days=1)
        if (end is None or end > last_joined) and shared_until != date.max:
            notes.append(f"cut at {last_joined.isoformat()}, the day before severance")
            end = last_joined
    shown_end = end if end is not None else today
    span = ExcludedSpan(
        category.code,
        category.name,
        category.citation,
        start,
        end,
        (shown_end - start).days + 1,
        "; ".join(notes),
    )
    through = end.isoformat() if end is not None else f"today ({today.isoformat()}), open"
    alias = f" ({category.alias})" if category.alias else ""
    line = (
        f"Excludable: {category.code}{alias} {category.name}, {category.citation}: "
        f"{start.isoformat()} through {through}, {_days(span.days)}, both ends included"
        + (f" ({'; '.join(notes)})" if notes else "")
        + "."
    )
    return (start, end), span, line


def _day_number(start: date, on: date, periods: list[tuple[date, date | None]]) -> int:
    """Countable days after `start` through `on` (excluded days not counted)."""
    if on <= start:
        return 0
    n = (on - start).days
    day1 = start + timedelta(days=1)
    for p_start, p_end in merge_periods(periods, on):
        s = max(p_start, day1)
        if p_end >= s:
            n -= (p_end - s).days + 1
    return n


def _custody_limit(
    clock: Clock,
    facts: CaseFacts,
    index: _Index,
    defendant: int,
    start: date,
    periods: list[tuple[date, date | None]],
) -> tuple[int, list[str]]:
    in_limit = clock.limit_in_custody or clock.limit_days
    out_limit = clock.limit_released or clock.limit_days
    changes = [(on, True) for on in index.dates(CUSTODY_EVENT, defendant)]
    changes += [(on, False) for on in index.dates(RELEASED_EVENT, defendant)]
    changes.sort()
    in_custody = facts.custody == "in_custody"
    how = f"custody at filing: {facts.custody.replace('_', ' ')}"
    later = []
    for on, taken in changes:
        if on <= start:
            in_custody = taken
            how = ("taken into custody" if taken else "released") + f" on {on.isoformat()}"
        else:
            later.append((on, taken))
    limit = in_limit if in_custody else out_limit
    lines = [
        f"Custody at the clock start: {'in custody' if in_custody else 'not in custody'} "
        f"({how}): the {_days(limit)} limit applies "
        f"({'in custody' if in_custody else 'released'})."
    ]
    for on, taken in later:
        if taken == in_custody:
            continue
        in_custody = taken
        n = _day_number(start, on, periods)
        what = "Taken into custody" if taken else "Released from custody"
        target = in_limit if taken else out_limit
        if target == limit:
            lines.append(f"{what} on {_day(on)}, day {n}: the {_days(limit)} limit still applies.")
        elif n <= in_limit:
            lines.append(
                f"{what} on {_day(on)}, day {n}, before the {_days(in_limit)} in-custody limit "
                f"expired: the {_days(target)} limit applies."
            )
            limit = target
        else:
            lines.append(
                f"{what} on {_day(on)}, day {n}, after the {_days(in_limit)} in-custody limit "
                f"had run out: the {_days(limit)} limit still applies."
            )
    return limit, lines


def _clocks(
    memo: _PlanMemo,
    facts: CaseFacts,
    index: _Index,
    track: str,
    today: date,
    calendar: CourtCalendar,
) -> list[Result]:
    results: list[Result] = []
    severed = {s.defendant: s.on for s in facts.severances if s.on <= today}
    defendants = facts.defendants
    for cp in memo.clocks:
        clock = cp.clock
        if clock.tracks and track not in clock.tracks:
            for d in defendants:
                pair = cp.na.get((track, d))
                if pair is None:
                    na = _not_applicable(CLOCK, clock, track, d)
                    pair = cp.na[(track, d)] = (
                        na,
                        Result(**{**_as_dict(na), "id": cp.minimum_id}),
                    )
                results.append(pair[0])
                if clock.minimum is not None:
                    results.append(pair[1])
            continue
        starts = {d: _own_start(cp, index, d, severed.get(d, date.max)) for d in defendants}
        group = clock.codefendants == "latest" and facts.joined and len(defendants) > 1
        for d in defendants:
            own = starts[d]
            joined_until: dict[int, date] = {}
            if group:
                for c in defendants:
                    if c != d:
                        joined_until[c] = min(own.severed, starts[c].severed)
            results.append(
                _clock_result(
                    memo, cp, facts, index, track, today, calendar, d, own, starts, joined_until
                )
            )
            if clock.minimum is not None:
                results.append(_minimum_result(cp, index, today, d))
    return results


def _as_dict(result: Result) -> dict:
    return {name: getattr(result, name) for name in Result.__slots__}


def _clock_result(
    memo: _PlanMemo,
    cp: _ClockPlan,
    facts: CaseFacts,
    index: _Index,
    track: str,
    today: date,
    calendar: CourtCalendar,
    d: int,
    own: _Start,
    starts: dict[int, _Start],
    joined_until: dict[int, date],
) -> Result:
    clock = cp.clock
    lines = [f"Defendant {d}."] if len(facts.defendants) > 1 else []
    lines += own.lines
    start = own.start
    if joined_until:
        latest_c = None
        for c, until in joined_until.items():
            other = starts[c]
            if other.start is None:
                lines.append(
                    f"Codefendant {c} has no clock start yet; when it comes while they are "
                    "joined it becomes this clock's start (18 U.S.C. 3161(h)(6))."
                )
            elif other.start >= until:
                lines.append(
                    f"Codefendant {c}'s start, {other.start.isoformat()}, came after the "
                    f"severance on {until.isoformat()}: it does not count."
                )
            elif (
                start is not None
                and other.start > start
                and (latest_c is None or other.start > latest_c[1])
            ):
                latest_c = (c, other.start)
        if latest_c is not None and start is not None:
            c, c_start = latest_c
            lines.append(
                f"Joined for trial with codefendant {c}, whose clock started later, on "
                f"{_day(c_start)}: every joined defendant's clock runs from the latest "
                "codefendant's start (18 U.S.C. 3161(h)(6); Henderson v. United States, "
                "476 U.S. 321 (1986))."
            )
            start = c_start
        severed_on = own.severed if own.severed != date.max else None
        if severed_on is not None:
            lines.append(
                f"Severed on {severed_on.isoformat()}: from then on this clock runs on its own."
            )
    if start is None:
        return Result(
            id=clock.id,
            kind=CLOCK,
            name=clock.name,
            status=PENDING,
            defendant=d,
            citation=clock.citation,
            explanation=tuple(lines),
        )

    events = index.events(d)
    stop = None
    for event in clock.stop_events:
        for on in events.get(event, ()):
            if on >= start and (stop is None or on < stop[0]):
                stop = (on, event)
    as_of = min(today, stop[0]) if stop else today

    periods, spans, ex_lines = _excludable_periods(memo, cp, facts, d, joined_until, as_of)
    lines += ex_lines

    if own.limit is not None:
        limit = own.limit
        lines.append(f"Limit after the restart: {_days(limit)}.")
    elif track in cp.limits_by_track:
        limit = cp.limits_by_track[track]
        lines.append(f"Limit for track '{track}': {_days(limit)}.")
    elif cp.custody_limits:
        limit, custody_lines = _custody_limit(clock, facts, index, d, start, periods)
        lines += custody_lines
    else:
        limit = clock.limit_days

    dismissed = None
    if cp.dismissed_apart:
        for on in events.get(DISMISSED_EVENT, ()):
            if on >= start and (dismissed is None or on < dismissed):
                dismissed = on
    floor_key = None
    if clock.floor_days_after_exclusion:
        floor_key = tuple((span.code, span.start, span.end) for span in spans)
    key = (start, limit, tuple(periods), as_of, floor_key, stop, dismissed, today)
    # The whole Result is a function of its lines so far (which determine the excluded
    # spans: one line each), the tail's key and the defendant: shared when they recur.
    head = tuple(lines)
    whole_key = (d, head, key)
    whole = cp.results.get(whole_key)
    if whole is not None:
        return whole
    tail = cp.tails.get(key)
    if tail is None:
        tail = _memo_put(
            cp.tails,
            key,
            _clock_tail(cp, start, limit, periods, spans, as_of, stop, dismissed, today, calendar),
        )
    (
        tail_lines,
        status,
        due,
        last_day,
        rolled_to,
        met_on,
        remaining,
        days_used,
        days_excluded,
        warn_on,
    ) = tail
    return _memo_put(
        cp.results,
        whole_key,
        Result(
            id=clock.id,
            kind=CLOCK,
            name=clock.name,
            status=status,
            defendant=d,
            due=due,
            last_countable_day=last_day,
            rolled_to=rolled_to,
            met_on=met_on,
            days_remaining=remaining,
            days_used=days_used,
            days_excluded=days_excluded,
            excluded_periods=tuple(spans),
            warn_on=warn_on,
            citation=clock.citation,
            explanation=head + tail_lines,
        ),
    )


def _clock_tail(
    cp: _ClockPlan,
    start: date,
    limit: int,
    periods: list[tuple[date, date | None]],
    spans: list[ExcludedSpan],
    as_of: date,
    stop: tuple[date, str] | None,
    dismissed: date | None,
    today: date,
    calendar: CourtCalendar,
) -> tuple:
    """A clock from its counting on: a pure function of its arguments (the spans only through
    their codes and dates), memoized per clock."""
    clock = cp.clock
    result = _clock_end(start, limit, periods, as_of)
    lines = list(result.steps)
    last_day = result.last_day
    floor_moved = False
    if clock.floor_days_after_exclusion:
        floor_codes = cp.floor_codes
        floor_ends = [
            span.end or as_of
            for span in spans
            if (not floor_codes or span.code in floor_codes)
            and (span.end or as_of) > start
            and span.start <= last_day
        ]
        if floor_ends:
            last_end = max(floor_ends)
            floor = last_end + timedelta(days=clock.floor_days_after_exclusion)
            if floor > last_day:
                lines.append(
                    f"Floor: the last excluded period ended on {last_end.isoformat()}, and the "
                    f"limit never runs out earlier than "
                    f"{_days(clock.floor_days_after_exclusion)} after it: the last day moves "
                    f"from {last_day.isoformat()} to {_day(floor)}."
                )
                last_day = floor
                floor_moved = True
    due = last_day
    rolled_to = None
    if clock.roll:
        rolled = calendar.next_court_day(last_day)
        if rolled != last_day:
            rolled_to = rolled
            lines.append(
                f"The last countable day, {_day(last_day)}, is "
                f"{calendar.why_closed(last_day)}; Fed. R. Crim. P. 45(a)(1)(C) would run it "
                f"to the next court day, {_day(rolled)}. Courts differ on whether Rule 45 "
                f"extends this limit, so it is flagged on the earlier day: due "
                f"{last_day.isoformat()} (rolled day {rolled.isoformat()} shown beside it)."
            )
        else:
            lines.append(f"The last countable day, {_day(last_day)}, is a court day.")

    grace_end = due + timedelta(days=clock.grace_days)
    met_on = None
    stop_event = stop[1] if stop is not None else ""
    if (
        stop is not None
        and stop_event in ENDING_EVENTS
        and (dismissed is None or stop[0] <= dismissed)
    ):
        dismissed = stop[0]
        stop = None
        lines.append(
            f"Stopped: {_source_words(stop_event, {})} on {_day(dismissed)}: the clock ends "
            "without a trial to bring."
        )
    if stop is not None and (dismissed is None or stop[0] <= dismissed):
        met_on = stop[0]
        what = _source_words(stop[1], {})
        remaining = (due - met_on).days
        if met_on <= due:
            status = MET
            lines.append(f"Met: {what} on {_day(met_on)}, by the due date.")
        elif met_on <= grace_end:
            status = MET_LATE
            lines.append(
                f"Met late: {what} on {_day(met_on)}, {_days(-remaining)} after the due date "
                f"but within the {_days(clock.grace_days)} grace window (to "
                f"{grace_end.isoformat()})."
            )
        else:
            status = MISSED
            lines.append(
                f"Missed: {what} only on {_day(met_on)}, {_days(-remaining)} after the due "
                f"date {due.isoformat()}"
                + (
                    f" and after the grace window (to {grace_end.isoformat()})"
                    if clock.grace_days
                    else ""
                )
                + "."
            )
    elif dismissed is not None:
        status = STOPPED
        remaining = None
        if not lines[-1].startswith("Stopped:"):
            lines.append(f"Stopped: the case was dismissed on {_day(dismissed)}.")
    elif result.tolled:
        status = TOLLED
        remaining = result.days_remaining
        lines.append(f"Tolled: the due date {due.isoformat()} is provisional.")
    elif today > grace_end:
        status = MISSED
        remaining = (due - today).days
        lines.append(
            f"Missed: the limit ran out on {due.isoformat()}"
            + (f" and the grace window on {grace_end.isoformat()}" if clock.grace_days else "")
            + f"; {_days(-remaining)} over as of {today.isoformat()}."
        )
    elif today > due:
        status = PENDING
        remaining = (due - today).days
        lines.append(
            f"The limit ran out on {due.isoformat()} ({_days(-remaining)} ago), but the "
            f"{_days(clock.grace_days)} grace window runs to {_day(grace_end)}: "
            f"{_days((grace_end - today).days)} left to cure it."
        )
    else:
        status = PENDING
        remaining = (due - today).days if floor_moved else result.days_remaining
    return (
        tuple(lines),
        status,
        due,
        last_day,
        rolled_to,
        met_on,
        remaining,
        result.days_used,
        result.days_excluded,
        due - timedelta(days=clock.warn_days),
    )


def _minimum_result(cp: _ClockPlan, index: _Index, today: date, d: int) -> Result:
    """The clock's minimum for defendant d, memoized on the values it depends on."""
    clock = cp.clock
    minimum = clock.minimum
    assert minimum is not None and cp.minimum_trigger is not None
    found = cp.minimum_trigger.found(index, d, _NO_STAGES)
    trigger, trigger_lines = cp.minimum_trigger.resolve(found)
    waived = None
    trial = None
    if trigger is not None:
        events = index.events(d)
        for event in minimum.waived_by:
            dates = events.get(event)
            if dates:
                waived = (event, min(dates))
                break
        if waived is None:
            for event in clock.stop_events:
                for on in events.get(event, ()):
                    if on >= trigger and (trial is None or on < trial):
                        trial = on
    key = (d, found, waived, trial, today)
    result = cp.minimums.get(key)
    if result is None:
        result = _memo_put(
            cp.minimums,
            key,
            _build_minimum(cp, d, trigger, trigger_lines, waived, trial, today),
        )
    return result


def _build_minimum(
    cp: _ClockPlan,
    d: int,
    trigger: date | None,
    trigger_lines: tuple[str, ...],
    waived: tuple[str, date] | None,
    trial: date | None,
    today: date,
) -> Result:
    minimum = cp.clock.minimum
    assert minimum is not None
    result_id = cp.minimum_id
    name = cp.minimum_name
    citation = cp.minimum_citation
    lines = list(trigger_lines)
    if trigger is None:
        return Result(
            result_id,
            CLOCK,
            name,
            PENDING,
            defendant=d,
            citation=citation,
            explanation=tuple(lines),
        )
    earliest = trigger + timedelta(days=minimum.days)
    lines.append(
        f"No trial before {_days(minimum.days)} after it without the defendant's written "
        f"consent: trial may begin on or after {_day(earliest)}. A floor, not a clock: "
        "excluded time does not extend it."
    )
    if waived is not None:
        event, on = waived
        lines.append(f"Waived: {_source_words(event, {})} on {on.isoformat()}.")
        return Result(
            result_id,
            CLOCK,
            name,
            NOT_APPLICABLE,
            defendant=d,
            due=earliest,
            citation=citation,
            explanation=tuple(lines),
        )
    if trial is not None:
        if trial < earliest:
            lines.append(
                f"Trial began on {_day(trial)}, day {(trial - trigger).days}, before the "
                "minimum, without a waiver on the docket."
            )
            status = MISSED
        else:
            lines.append(f"Trial began on {_day(trial)}, on or after the earliest day.")
            status = MET
        return Result(
            result_id,
            CLOCK,
            name,
            status,
            defendant=d,
            due=earliest,
            met_on=trial,
            days_remaining=(earliest - trial).days,
            citation=citation,
            explanation=tuple(lines),
        )
    if today >= earliest:
        lines.append(f"As of {today.isoformat()} the minimum has passed: trial may begin.")
        return Result(
            result_id,
            CLOCK,
            name,
            MET,
            defendant=d,
            due=earliest,
            met_on=earliest,
            days_remaining=0,
            citation=citation,
            explanation=tuple(lines),
        )
    remaining = (earliest - today).days
    lines.append(f"As of {today.isoformat()}: {_days(remaining)} until trial may begin.")
    return Result(
        result_id,
        CLOCK,
        name,
        PENDING,
        defendant=d,
        due=earliest,
        days_remaining=remaining,
        citation=citation,
        explanation=tuple(lines),
    )


# --- the engine --------------------------------------------------------------------------------


def case_track(plan: Plan, facts: CaseFacts) -> str:
    """The case's track: the one given, or the one the plan assigns."""
    if facts.track is not None:
        return facts.track
    return plan.assign_track(facts.case_type, facts.custody, facts.designation)


def compute(
    plan: Plan, facts: CaseFacts, today: date, calendar: CourtCalendar
) -> tuple[Result, ...]:
    """Every stage, clock (per defendant, with its minimum) and document requirement of the
    plan for one case as of `today`: stages in plan order, then clocks, then documents."""
    memo = _plan_memo(plan, calendar)
    index = _Index(facts, today)
    track = memo.track(facts)
    stages, dues = _stages(memo, facts, index, track, today, calendar)
    clocks = _clocks(memo, facts, index, track, today, calendar)
    documents = _documents(memo, facts, index, track, today, calendar, dues)
    return (*stages, *clocks, *documents)
