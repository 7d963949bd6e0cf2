"""One demo case, told from filing to today: its parties, charges, counsel, events, hearings
and docket entries, as plain row dictionaries ready for bulk inserts.

A case follows a path chosen when it is filed (plea, trial, dismissal, nolle prosequi,
diversion; sometimes a failure to appear on the way) at the pace of its track. The story is
told in date order with a cursor; the first court date that falls after `today` is put on the
calendar as a scheduled hearing and the story stops there, so the case's stage, custody and
status are whatever it had reached by today. Older cases are therefore more often disposed.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from operator import itemgetter

from docket.core.vocabulary import HEARING_TYPES
from docket.demo.calendar import CourtDays, CourtTime, SessionGrid
from docket.demo.charges import BY_KEY, FELONIES, MISDEMEANORS, SOLO_OFFENSES, statute_of
from docket.demo.people import FEMININE_ENDINGS, NAME_GROUPS
from docket.models.case import Defendant

STAGES = {
    "filed": "Just filed",
    "arraigned": "Arraigned",
    "discovery": "In discovery",
    "motions_pending": "Motions pending",
    "pretrial_held": "Pretrial conference held",
    "trial_set": "Trial set",
    "diversion": "In a diversion program",
    "awaiting_sentencing": "Pleaded or convicted, awaiting sentencing",
    "warrant": "Inactive: bench warrant outstanding",
    "disposed_plea": "Disposed by plea",
    "disposed_trial": "Disposed at trial",
    "disposed_dismissal": "Dismissed",
    "disposed_nolle": "Nolle prosequi",
    "disposed_diversion": "Diversion completed",
}

TRACK_PACE = {"expedited": 0.6, "standard": 1.0, "complex": 1.7}
STATUS_CONFERENCES = {"expedited": (0, 1), "standard": (1, 2), "complex": (2, 4)}

DAY = timedelta(days=1)
BUSINESS_START = 8 * 60 + 30
BUSINESS_END = 16 * 60 + 45
LATEST_MINUTE_ENTRY = 16 * 60 + 55

CONTINUANCES = (
    # (weight, requester, reason code (CONTINUANCE_REASONS), what the minute says, when it
    # can happen: None, "interpreter" (a defendant needs one) or "custody" (in custody))
    (20, "defense", "discovery_incomplete", "Defense counsel needs time to review discovery", None),
    (
        8,
        "defense",
        "counsel_unavailable",
        "Defense counsel engaged in trial in another matter",
        None,
    ),
    (6, "defense", "defendant_ill", "Defendant hospitalized", None),
    (3, "defense", "counsel_new", "Newly appearing counsel needs time to prepare", None),
    (2, "defense", "competency_evaluation", "Defense asks for a fitness evaluation", None),
    (8, "prosecution", "lab_results_pending", "Laboratory report not yet received", None),
    (6, "prosecution", "witness_unavailable", "State's witness unavailable", None),
    (4, "prosecution", "counsel_unavailable", "Assigned prosecutor on leave", None),
    (9, "joint", "plea_negotiations", "Parties in plea negotiations", None),
    (4, "joint", "discovery_incomplete", "Further discovery outstanding", None),
    (5, "court", "court_congestion", "Court's calendar: judge presiding over a jury trial", None),
    (3, "court", "defendant_not_transported", "Defendant not transported from the jail", "custody"),
    (6, "court", "interpreter_unavailable", "Interpreter unavailable", "interpreter"),
)
_CONTINUANCE_TABLES: dict[tuple[bool, bool], tuple[list[tuple], list[int]]] = {}


def _continuances(interpreter: bool, custody: bool) -> tuple[list[tuple], list[int]]:
    """The continuances that can happen in a case, and their cumulative weights."""
    key = (interpreter, custody)
    table = _CONTINUANCE_TABLES.get(key)
    if table is None:
        fits = [
            c
            for c in CONTINUANCES
            if c[4] is None
            or (c[4] == "interpreter" and interpreter)
            or (c[4] == "custody" and custody)
        ]
        table = _CONTINUANCE_TABLES[key] = (fits, list(accumulate(c[0] for c in fits)))
    return table


# The outcome (HEARING_OUTCOMES) a held hearing of each type records unless the story says
# otherwise (a verdict, a detention denied, a bench warrant, a nolle prosequi...).
OUTCOME_CODES = {
    "initial_appearance": "initial_appearance_held",
    "arraignment": "arraigned_plea_entered",
    "detention": "detention_ordered",
    "status_conference": "status_conference_held",
    "motion": "motion_decided",
    "pretrial_conference": "pretrial_conference_held",
    "change_of_plea": "plea_accepted",
    "trial": "trial_commenced",
    "sentencing": "sentenced",
}

DEFENSE_MOTIONS = (
    "Motion to suppress evidence",
    "Motion to suppress statements",
    "Motion to compel discovery",
    "Motion for a bill of particulars",
    "Motion in limine",
    "Motion to quash arrest",
)
STATE_MOTIONS = (
    "State's motion in limine",
    "State's motion to admit other-crimes evidence",
    "State's motion for a protective order",
)
# A motion's kind from its title (the demo's motions are named, not classified).
MOTION_KINDS = (
    ("suppress", "suppress"),
    ("dismiss", "dismiss"),
    ("compel", "compel_discovery"),
    ("limine", "in_limine"),
    ("continu", "continue"),
)


def _motion_kind(text: str) -> str:
    lowered = text.lower()
    return next((kind for word, kind in MOTION_KINDS if word in lowered), "other")


STRIKE_REASONS = (
    "Filed in the wrong case",
    "Duplicate of an earlier filing",
    "Filed without leave of court",
    "Unsigned filing; refiled",
)
FELONY_SENTENCES = (
    (30, "24 months' probation", False),
    (12, "30 months' probation with drug-court conditions", False),
    (12, "180 days in the county jail, credit for time served", False),
    (22, "4 years in the Illinois Department of Corrections", True),
    (10, "7 years in the Illinois Department of Corrections", True),
    (8, "18 months' conditional discharge", False),
)
MISDEMEANOR_SENTENCES = (
    (30, "12 months' court supervision", False),
    (25, "12 months' conditional discharge", False),
    (15, "fine of $750 and costs", False),
    (20, "24 months' probation", False),
    (10, "30 days in the county jail, credit for time served", False),
)


def _cumulative(items) -> list[int]:
    return list(accumulate(item[0] for item in items))


_FELONY_SENTENCE_CUM = _cumulative(FELONY_SENTENCES)
_MISDEMEANOR_SENTENCE_CUM = _cumulative(MISDEMEANOR_SENTENCES)
_FELONY_CUM = list(accumulate(offense.weight for offense in FELONIES))
_MISDEMEANOR_CUM = list(accumulate(offense.weight for offense in MISDEMEANORS))

_GROUPS = [
    (language, chance, last.split(), male.split(), female.split())
    for _, language, chance, last, male, female in NAME_GROUPS
]
_GROUP_CUM = list(accumulate(group[0] for group in NAME_GROUPS))


def _pick(rng: random.Random, cumulative: list[int]) -> int:
    return bisect(cumulative, rng.random() * cumulative[-1])


def _choose(rng: random.Random, weighted: tuple[tuple[str, ...], list[int]]) -> str:
    names, cumulative = weighted
    return names[_pick(rng, cumulative)]


def _weighted(*pairs: tuple[str, int]) -> tuple[tuple[str, ...], list[int]]:
    return tuple(name for name, _ in pairs), list(accumulate(weight for _, weight in pairs))


# How a case ends if today does not come first (percent), and after which stage a plea or a
# nolle prosequi comes.
FELONY_PATHS = _weighted(("plea", 65), ("trial", 10), ("dismissal", 11), ("nolle", 14))
MISDEMEANOR_PATHS = _weighted(
    ("plea", 51), ("trial", 7), ("dismissal", 14), ("nolle", 14), ("diversion", 14)
)
SETTLEMENT_POINTS = _weighted(
    ("arraignment", 10), ("discovery", 26), ("motions", 14), ("pretrial", 50)
)


# A held hearing: its row, its local date, and its start and end (minutes after midnight).
Held = tuple[dict, date, int, int]


class _Cut(Exception):
    """The story has reached today."""


@dataclass
class Rows:
    """One batch's rows, by table, in insertion order."""

    court_case: list[dict] = field(default_factory=list)
    defendant: list[dict] = field(default_factory=list)
    charge: list[dict] = field(default_factory=list)
    counsel_of_record: list[dict] = field(default_factory=list)
    docket_entry: list[dict] = field(default_factory=list)
    docket_entry_link: list[dict] = field(default_factory=list)
    case_event: list[dict] = field(default_factory=list)
    hearing: list[dict] = field(default_factory=list)
    hearing_setting: list[dict] = field(default_factory=list)

    TABLES = (
        "court_case",
        "defendant",
        "charge",
        "counsel_of_record",
        "docket_entry",
        "docket_entry_link",
        "case_event",
        "hearing",
        "hearing_setting",
    )

    def __len__(self) -> int:
        return sum(len(getattr(self, table)) for table in self.TABLES)


@dataclass
class World:
    """What every case shares: the random stream, the calendar, the cast and the id counters."""

    rng: random.Random
    today: date
    time: CourtTime
    days: CourtDays
    grid: SessionGrid
    court_id: int
    judge_ids: list[int]
    judge_names: list[str]
    prosecutors: list[list[int]]  # per judge
    defense: dict[str, list[int]]  # office -> attorney ids
    attorney_names: dict[int, str]
    attorney_users: dict[int, int]  # attorney id -> user id
    clerk_ids: list[int]
    next_id: dict[str, int]
    attorney_ids: list[int] = field(default_factory=list)  # in the order of people.ATTORNEYS
    stages: Counter = field(default_factory=Counter)
    attorney_cases: Counter = field(default_factory=Counter)

    def take_ids(self, table: str, count: int) -> int:
        first = self.next_id[table]
        self.next_id[table] = first + count
        return first


class CaseStory:
    """Tell one case. `tell()` appends its rows to a `Rows`."""

    def __init__(self, world: World, case_number: str, filed_on: date) -> None:
        w = self.w = world
        rng = self.rng = world.rng
        self.random = rng.random
        self.today = world.today
        self.at = world.time.at
        self.roll = world.days.roll
        self.case_id = w.take_ids("court_case", 1)
        self.case_number = case_number
        self.filed_on = filed_on
        self.entries: list[dict] = []
        self.events: list[dict] = []
        self.links: list[dict] = []
        self.hearings: list[dict] = []
        self.settings: list[dict] = []
        self.finals: list[tuple[dict, dict]] = []  # (hearing row, its last setting)
        self.counsel: list[dict] = []
        self.cursor = filed_on
        self.last_hearing_day: date | None = None
        self.future = False  # a main-line step fell after today: the next court date is the cut
        self.scheduled = False
        self.trial_date: date | None = None  # set at a pretrial conference, for a settlement
        self.stage = "filed"
        self.status = "active"
        self.disposition: tuple[str, date] | None = None
        self.clerk_id = w.clerk_ids[self.case_id % len(w.clerk_ids)]
        self._cast()
        self.current_counsel: list[dict | None] = [None] * len(self.defendants)

    # --- the parties -----------------------------------------------------------------------

    def _cast(self) -> None:
        w, rng, random_ = self.w, self.rng, self.random
        felony = random_() < 0.58
        self.case_type = "felony" if felony else "misdemeanor"
        if felony:
            lead = FELONIES[_pick(rng, _FELONY_CUM)]
        else:
            lead = MISDEMEANORS[_pick(rng, _MISDEMEANOR_CUM)]
        self.lead = lead
        roll = random_()
        if lead.complexity == 0:
            self.track = "expedited" if roll < 0.65 else "standard"
        elif lead.complexity == 1:
            self.track = "expedited" if roll < 0.15 else "standard" if roll < 0.85 else "complex"
        else:
            self.track = "standard" if roll < 0.35 else "complex"
        self.pace = TRACK_PACE[self.track]
        self.judge = rng.randrange(len(w.judge_ids))
        self.judge_id = w.judge_ids[self.judge]
        self.prosecutor = w.prosecutors[self.judge][rng.randrange(2)]
        self.sealed = random_() < 0.03

        roll = random_()
        solo = lead.statute in SOLO_OFFENSES
        count = 1 if roll < 0.85 or solo else 2 if roll < 0.96 else 3
        self.defendants: list[dict] = []
        self.defendant_names: list[str] = []
        first_id = w.take_ids("defendant", count)
        for number in range(1, count + 1):
            last, first, middle, language = _person(rng)
            age = int(rng.triangular(18, 68, 24))
            born = self.filed_on - timedelta(days=age * 365 + rng.randrange(365))
            row = {
                "id": first_id + number - 1,
                "case_id": self.case_id,
                "number": number,
                "last_name": last,
                "first_name": first,
                "middle_name": middle,
                "name_key": Defendant.make_name_key(last, first, middle),
                "date_of_birth": born if random_() > 0.02 else None,
                "interpreter_language": language,
            }
            self.defendants.append(row)
            self.defendant_names.append(f"{first} {last}")
        languages = [
            d["interpreter_language"] for d in self.defendants if d["interpreter_language"]
        ]
        # The language its hearings need (as docket.calendar.booking.need_for picks it).
        self.language = min(languages) if languages else None
        lead_last = self.defendants[0]["last_name"]
        self.caption = f"State v. {lead_last}" + (" et al." if count > 1 else "")

        self.charges: list[dict] = []
        for defendant in self.defendants:
            offenses = [lead]
            extra = random_()
            wanted = 0 if extra < 0.5 else 1 if extra < 0.85 else 2
            for key in rng.sample(lead.companions, min(wanted, len(lead.companions))):
                offenses.append(BY_KEY[key])
            first_charge = w.take_ids("charge", len(offenses))
            for n, offense in enumerate(offenses):
                counts_roll = random_()
                self.charges.append(
                    {
                        "id": first_charge + n,
                        "defendant_id": defendant["id"],
                        "count_number": n + 1,
                        "statute": statute_of(offense),
                        "description": offense.description,
                        "severity_class": offense.severity_class,
                        "counts": 1 if counts_roll < 0.86 else 2 if counts_roll < 0.96 else 3,
                    }
                )

        # How the case will end if today does not come first.
        paths = FELONY_PATHS if felony else MISDEMEANOR_PATHS
        path = self.path = _choose(rng, paths)
        if path == "trial":
            self.resolve_after = "pretrial"
        elif path == "dismissal":
            self.resolve_after = "motions"
        elif path == "diversion":
            self.resolve_after = "arraignment" if random_() < 0.5 else "discovery"
        else:
            self.resolve_after = _choose(rng, SETTLEMENT_POINTS)
        motion_chance = {"expedited": 0.15, "standard": 0.4, "complex": 0.8}[self.track]
        if not felony:
            motion_chance *= 0.5
        self.has_motions = path == "dismissal" or random_() < motion_chance
        self.summons = random_() < (0.3 if not felony else 0.05)
        self.custody = "released" if self.summons else "in_custody"
        # A released single defendant may miss a court date (the n-th after the first).
        self.fta_countdown = rng.randint(1, 3) if count == 1 and random_() < 0.2 else None

    # --- small helpers ---------------------------------------------------------------------

    def span(self, lo: int, hi: int, paced: bool = True) -> timedelta:
        days = lo + self.random() * (hi - lo)
        return timedelta(days=round(days * self.pace if paced else days))

    def minute(self) -> int:
        return BUSINESS_START + int(self.random() * (BUSINESS_END - BUSINESS_START)) // 5 * 5

    def counsel_for(self, k: int = 0) -> int | None:
        current = self.current_counsel[k]
        return current["attorney_id"] if current else None

    def entry(
        self,
        day: date,
        minute: int,
        party: str,
        entry_type: str,
        text: str,
        attorney_id: int | None = None,
        sealed: bool = False,
    ) -> dict:
        if party == "prosecution" and attorney_id is None:
            attorney_id = self.prosecutor
        elif party == "defense" and attorney_id is None:
            attorney_id = self.counsel_for(0)
        filed_at = self.at(day, minute)
        stricken = (
            party != "court"
            and entry_type in ("motion", "notice", "response", "reply", "exhibit_list")
            and self.random() < 0.012
        )
        row = {
            "id": None,
            "case_id": self.case_id,
            "number": None,
            "filed_at": filed_at,
            "filer_party": party,
            "filer_attorney_id": attorney_id if party != "court" else None,
            "defendant_id": self.defendants[0]["id"] if party == "defense" else None,
            "entry_type": entry_type,
            "subtype": _motion_kind(text) if entry_type == "motion" else None,
            "text": text,
            "sealed": sealed,
            "seal_allows_filer": False,
            "stricken": stricken,
            "stricken_reason": self.rng.choice(STRIKE_REASONS) if stricken else None,
            "created_by_id": self.w.attorney_users.get(attorney_id, self.clerk_id)
            if party != "court"
            else self.clerk_id,
            "created_at": filed_at,
        }
        self.entries.append(row)
        return row

    def link(self, entry: dict, target: dict, relation: str) -> None:
        """Entry `entry` refers to `target` (rows until finish() gives them ids)."""
        self.links.append(
            {"id": None, "entry_id": entry, "target_id": target, "relation": relation}
        )

    def event(
        self,
        day: date,
        event_type: str,
        entry: dict | None = None,
        defendant: int | None = None,
        note: str | None = None,
    ) -> None:
        self.events.append(
            {
                "id": None,
                "case_id": self.case_id,
                "defendant_id": self.defendants[defendant]["id"] if defendant is not None else None,
                "event_type": event_type,
                "occurred_on": day,
                "docket_entry_id": entry,  # the entry row until finish() puts its id here
                "note": note,
                "recorded_by_id": self.clerk_id,
                "recorded_at": entry["filed_at"]
                if entry
                else self.at(max(day, self.filed_on), BUSINESS_END),
            }
        )

    def each_defendant(self, day: date, event_type: str, entry: dict | None, note=None) -> None:
        for k in range(len(self.defendants)):
            self.event(day, event_type, entry, k, note)

    def file(
        self,
        lo: int,
        hi: int,
        party: str,
        entry_type: str,
        text: str,
        event: str | None = None,
        note: str | None = None,
        attorney_id: int | None = None,
    ) -> tuple[date, dict] | None:
        """A main-line filing lo..hi days (at the track's pace) after the cursor."""
        if self.future:
            return None
        day = self.roll(self.cursor + self.span(lo, hi))
        if day > self.today:
            self.future = True
            return None
        self.cursor = day
        row = self.entry(day, self.minute(), party, entry_type, text, attorney_id)
        if event:
            self.event(day, event, row, None, note)
        return day, row

    def side_filing(self, day: date, party: str, entry_type: str, text: str, **kw) -> None:
        """A filing beside the main line (exhibit lists, reports): only if it has happened."""
        if day <= self.today:
            self.entry(day, self.minute(), party, entry_type, text, **kw)

    # --- hearings --------------------------------------------------------------------------

    def _setting(self, index, day, start, end, hearing_type, set_on, set_at=None) -> dict:
        """One date a hearing is set for. `set_at`: when it was set (default: the end of the
        `set_on` day, or two hours before the hearing if that is earlier)."""
        session_id, _, courtroom_id, _, _, _, _ = self.w.grid.sessions[index]
        starts_at = self.at(day, start)
        if set_at is None:
            set_at = self.at(set_on, BUSINESS_END)
            if set_at >= starts_at:
                set_at = starts_at - timedelta(hours=2)
        return {
            "id": None,
            "hearing_id": None,
            "case_id": self.case_id,
            "hearing_type": hearing_type,
            "number": None,
            "starts_at": starts_at,
            "ends_at": self.at(day, end),
            "courtroom_id": courtroom_id,
            "judge_id": self.judge_id,
            "calendar_session_id": session_id,
            "set_at": set_at,
            "set_by_id": self.clerk_id,
            "overridden": [],
            "ended": None,
            "ended_at": None,
            "ended_by_id": None,
            "continuance_requester": None,
            "continuance_reason": None,
            "note": None,
        }

    def _hearing_row(
        self, settings: list[dict], hearing_type: str, status: str, slot: int | None
    ) -> dict:
        """The hearing that was set for each of `settings` in turn; it is where the last one
        puts it. A held or scheduled hearing keeps its slot; vacated and continued ones leave
        theirs (as docket.calendar.changes does)."""
        w = self.w
        final = settings[-1]
        final["ended"] = {"held": "held", "vacated": "vacated", "continued": "continued"}.get(
            status
        )
        hearing_id = w.take_ids("hearing", 1)
        for number, setting in enumerate(settings, 1):
            setting["hearing_id"] = hearing_id
            setting["number"] = number
        continued = [s for s in settings if s["ended"] == "continued"]
        last = continued[-1] if continued else None
        row = {
            "id": hearing_id,
            "case_id": self.case_id,
            "hearing_type": hearing_type,
            "starts_at": final["starts_at"],
            "ends_at": final["ends_at"],
            "courtroom_id": final["courtroom_id"],
            "judge_id": self.judge_id,
            "calendar_session_id": final["calendar_session_id"],
            "slot": slot if status in ("held", "scheduled") else None,
            "status": status,
            "outcome": None,
            "outcome_code": None,
            "continuance_requester": last["continuance_requester"] if last else None,
            "continuance_reason": last["continuance_reason"] if last else None,
            "interpreter_language": self.language,
            "setting_count": len(settings),
            "created_at": settings[0]["set_at"],
            "updated_at": final["ended_at"]
            if status == "continued"
            else final["set_at"]
            if status == "scheduled"
            else final["ends_at"],
            "version": 1,
        }
        self.hearings.append(row)
        self.settings.extend(settings)
        self.finals.append((row, final))
        return row

    def _continuance(self) -> tuple[str, str, str]:
        """Who asks for a continuance, the reason's code and what the minute entry says."""
        fits, cumulative = _continuances(self.language is not None, self.custody == "in_custody")
        _, requester, code, text, _ = fits[_pick(self.rng, cumulative)]
        return requester, code, text

    def hearing(
        self, hearing_type: str, lo: int, hi: int, before=None, earliest: date | None = None
    ) -> Held:
        """The next court date, lo..hi days after the cursor. Returns (hearing row, day, start
        and end minutes) once held; raises _Cut after scheduling it when it falls after today.
        A continued hearing keeps its identity: one row, a setting per date it was set for.
        `before(day, set_on)` adds the filings that precede a hearing by some days."""
        w = self.w
        grid = w.grid
        set_on = self.cursor
        set_at = None  # when the hearing's current date was set (None: on set_on)
        settings: list[dict] = []  # the dates this hearing was set for and continued from
        if earliest is None:
            earliest = self.cursor + self.span(lo, hi)
        while True:
            if self.last_hearing_day is not None and earliest <= self.last_hearing_day:
                earliest = self.last_hearing_day + DAY
            if self.future or earliest > self.today:
                self.schedule(hearing_type, earliest, set_on, before, settings, set_at)
            index, day, start, end, slot = grid.place(self.judge, hearing_type, earliest)
            if day > self.today:
                grid.release(index)
                self.schedule(hearing_type, earliest, set_on, before, settings, set_at)
            self.last_hearing_day = day
            self.cursor = day
            setting = self._setting(index, day, start, end, hearing_type, set_on, set_at)
            settings.append(setting)
            roll = self.random()
            chance = 0.28 if hearing_type == "trial" else 0.11
            if roll < chance and len(settings) < 3 and hearing_type != "initial_appearance":
                requester, code, reason = self._continuance()
                who = {
                    "defense": "the defense",
                    "prosecution": "the State",
                    "joint": "both parties",
                    "court": "the court",
                }[requester]
                entry = self.entry(
                    day,
                    min(end + 10, LATEST_MINUTE_ENTRY),
                    "court",
                    "minute_entry",
                    f"{HEARING_TYPES[hearing_type]} continued on motion of {who}: "
                    f"{reason.lower()}.",
                )
                setting["ended"] = "continued"
                setting["ended_at"] = entry["filed_at"]
                setting["ended_by_id"] = self.clerk_id
                setting["continuance_requester"] = requester
                setting["continuance_reason"] = code
                setting["note"] = reason
                set_on = day
                set_at = entry["filed_at"]
                earliest = day + self.span(14, 35, paced=False)
                if earliest > self.today and day >= self.today - 21 * DAY and self.random() < 0.5:
                    # Continued in the last days, the new date not set yet: the hearing waits
                    # (status 'continued') for the clerk or the batch scheduler.
                    self._hearing_row(settings, hearing_type, "continued", None)
                    self.scheduled = True
                    raise _Cut
                continue
            if hearing_type == "status_conference" and roll > 0.965:
                grid.release(index)  # taken off the calendar: the slot is free again
                row = self._hearing_row(settings, hearing_type, "vacated", None)
                row["outcome"] = setting["note"] = "Vacated on the court's own motion and reset."
                # Taken off the calendar the afternoon before (or soon after it was set).
                row["updated_at"] = max(
                    row["created_at"] + timedelta(minutes=30),
                    row["starts_at"] - timedelta(hours=18),
                )
                set_on = day
                set_at = row["updated_at"]
                settings = []
                earliest = day + self.span(7, 21, paced=False)
                continue
            if before:
                before(day, set_on)
            row = self._hearing_row(settings, hearing_type, "held", slot)
            settings = []
            if self.fta_countdown is not None and hearing_type != "initial_appearance":
                if self.fta_countdown == 0 and self.custody == "released":
                    earliest = self.failure_to_appear((row, day, start, end))
                    set_on = self.cursor
                    set_at = None
                    continue
                self.fta_countdown -= 1
            return row, day, start, end

    def schedule(
        self,
        hearing_type: str,
        earliest: date,
        set_on: date,
        before,
        settings: list[dict] | None = None,
        set_at=None,
    ) -> None:
        """Put the case's next court date on the calendar (after today) and stop the story.
        `settings`: the dates the hearing was set for before (continued from)."""
        w = self.w
        today = self.today
        if earliest <= today:
            earliest = today + DAY
        if earliest > w.grid.last - timedelta(days=4):
            earliest = today + timedelta(days=3 + self.rng.randrange(48))
        index, day, start, end, slot = w.grid.place(self.judge, hearing_type, earliest)
        setting = self._setting(index, day, start, end, hearing_type, min(set_on, today), set_at)
        self._hearing_row([*(settings or ()), setting], hearing_type, "scheduled", slot)
        if before:
            before(day, set_on)
        self.scheduled = True
        raise _Cut

    def minutes(self, held: Held, outcome: str, code: str | None = None) -> dict:
        """Record a held hearing's outcome (the minute text, and `code` from HEARING_OUTCOMES,
        by default the usual one for its type) and its minute entry (the record of it)."""
        row, day, _, end = held
        row["outcome"] = outcome
        row["outcome_code"] = code or OUTCOME_CODES[row["hearing_type"]]
        judge = self.w.judge_names[self.judge]
        text = f"{HEARING_TYPES[row['hearing_type']]} held before Judge {judge}. {outcome}"
        minute = min(end + 5 + int(self.random() * 30), LATEST_MINUTE_ENTRY)
        entry = self.entry(day, minute, "court", "minute_entry", text)
        row["updated_at"] = entry["filed_at"]
        return entry

    def failure_to_appear(self, held: Held) -> date:
        """The defendant misses court: a warrant issues. Returns the day the case can resume,
        or raises _Cut when the warrant is still outstanding today."""
        _, day, _, end = held
        entry = self.minutes(
            held,
            "Defendant failed to appear. Bond forfeited; bench warrant issued.",
            "bench_warrant_issued",
        )
        self.event(day, "failure_to_appear", entry, 0)
        warrant = self.entry(
            day,
            min(end + 40, LATEST_MINUTE_ENTRY),
            "court",
            "warrant",
            f"Bench warrant issued for {self.defendant_names[0]}.",
        )
        self.event(day, "bench_warrant_issued", warrant, 0)
        self.fta_countdown = None
        self.custody = "at_large"
        resumed_stage = self.stage
        self.stage = "warrant"
        self.status = "inactive"
        returned = self.roll(day + self.span(20, 420, paced=False))
        if returned > self.today:
            raise _Cut
        back = self.entry(
            returned,
            self.minute(),
            "court",
            "warrant_return",
            f"Warrant returned executed; {self.defendant_names[0]} in custody.",
        )
        self.event(returned, "warrant_returned", back, 0)
        self.event(returned, "taken_into_custody", back, 0)
        self.custody = "in_custody"
        self.stage = resumed_stage
        self.status = "active"
        self.cursor = returned
        return returned + self.span(1, 4, paced=False)

    # --- the story -------------------------------------------------------------------------

    def tell(self, rows: Rows) -> None:
        try:
            self.open_case()
            self.initial_appearance()
            self.charging()
            self.arraignment()
            self.maybe_substitute_counsel()
            self.discovery()
            if self.resolve_after not in ("arraignment", "discovery"):
                if self.has_motions:
                    self.motions()
                if self.resolve_after != "motions":
                    self.pretrial()
            self.resolve()
        except _Cut:
            pass
        if self.status == "active" and not self.scheduled:
            with suppress(_Cut):
                self.schedule("status_conference", self.cursor + DAY, self.cursor, None)
        self.finish(rows)

    def open_case(self) -> None:
        day = self.filed_on
        names = _join(self.defendant_names)
        charge = f"{self.lead.description} ({statute_of(self.lead)})"
        if self.summons:
            minute = BUSINESS_START + int(self.random() * 150) // 5 * 5
        else:  # filed before the morning call, where an arrested defendant first appears
            minute = 8 * 60 + 5 + int(self.random() * 50) // 5 * 5
        complaint = self.entry(
            day, minute, "prosecution", "complaint", f"Complaint against {names}: {charge}."
        )
        self.event(day, "complaint_filed", complaint)
        for k in range(len(self.defendants)):
            if self.summons:
                served = self.roll(day + self.span(3, 12, paced=False))
                if served <= self.today:
                    self.event(served, "summons_served", None, k)
            else:
                self.event(day - timedelta(days=int(self.random() * 2)), "arrest", None, k)
        self.counsel.append(self._appearance(self.prosecutor, "prosecution", None, day))
        self.w.attorney_cases[self.prosecutor] += 1

    def _appearance(self, attorney_id: int, side: str, defendant: int | None, day: date) -> dict:
        return {
            "id": None,
            "case_id": self.case_id,
            "attorney_id": attorney_id,
            "side": side,
            "defendant_id": self.defendants[defendant]["id"] if defendant is not None else None,
            "appeared_on": day,
            "withdrew_on": None,
        }

    def _choose_defense(self, office: str, former: int | None) -> int:
        taken = {row["attorney_id"] for row in self.current_counsel if row}
        pool = [a for a in self.w.defense[office] if a not in taken and a != former]
        return self.rng.choice(pool)

    def _defense_appears(
        self, k: int, day: date, office: str, minute: int, former: int | None = None
    ) -> None:
        attorney = self._choose_defense(office, former)
        row = self._appearance(attorney, "defense", k, day)
        self.counsel.append(row)
        self.current_counsel[k] = row
        name = self.w.attorney_names[attorney]
        who = self.defendant_names[k]
        if office == "retained":
            self.entry(
                day,
                minute,
                "defense",
                "notice",
                f"Appearance of {name} as retained counsel for {who}.",
                attorney,
            )
        elif office == "public_defender":
            self.entry(
                day,
                minute,
                "court",
                "order",
                f"Order appointing the Public Defender ({name}) for {who}.",
            )
        else:
            self.entry(
                day, minute, "court", "order", f"Order appointing {name} as counsel for {who}."
            )

    def initial_appearance(self) -> None:
        lo, hi = (14, 28) if self.summons else (0, 1)
        held = self.hearing("initial_appearance", lo, hi)
        _, day, _, end = held
        released = False
        if self.custody == "in_custody":
            released = self.random() < (0.6 if self.case_type == "felony" else 0.9)
        outcome = "Defendant advised of the charges and rights; counsel appointed or appearing."
        if released:
            outcome += " Released on conditions of pretrial release."
        elif self.custody == "in_custody":
            outcome += " Defendant remanded to custody."
        entry = self.minutes(held, outcome)
        self.each_defendant(day, "initial_appearance", entry)
        for k in range(len(self.defendants)):
            roll = self.random()
            if k == 0:
                office = (
                    "public_defender" if roll < 0.6 else "retained" if roll < 0.88 else "appointed"
                )
            else:  # the Public Defender cannot represent codefendants: a conflict
                office = "appointed" if roll < 0.65 else "retained"
            # After the minute entry (which is at most 35 minutes after the hearing).
            self._defense_appears(k, day, office, min(end + 38 + k, LATEST_MINUTE_ENTRY))
            counsel_id = self.current_counsel[k]["attorney_id"]
            self.w.attorney_cases[counsel_id] += 1
        if released:
            order = self.entry(
                day,
                min(end + 45, LATEST_MINUTE_ENTRY),
                "court",
                "order",
                "Order setting conditions of pretrial release.",
            )
            self.each_defendant(day, "released_from_custody", order)
            self.custody = "released"
        elif self.custody == "in_custody" and self.case_type == "felony" and self.random() < 0.5:
            detention = self.hearing("detention", 2, 5)
            dday = detention[1]
            if self.random() < 0.3:
                entry = self.minutes(
                    detention,
                    "Detention denied; released on electronic monitoring.",
                    "released_on_conditions",
                )
                self.each_defendant(dday, "released_from_custody", entry)
                self.custody = "released"
            else:
                self.minutes(detention, "State's petition to detain granted; defendant detained.")

    def charging(self) -> None:
        number = sum(1 for c in self.charges if c["defendant_id"] == self.defendants[0]["id"])
        counts = f"{number} count" if number == 1 else f"{number} counts"
        if self.case_type == "felony":
            if self.random() < 0.75:
                self.file(
                    10,
                    28,
                    "prosecution",
                    "indictment",
                    f"Indictment returned by the grand jury: {counts}.",
                    event="indictment_filed",
                )
            else:
                self.file(
                    10,
                    28,
                    "prosecution",
                    "information",
                    f"Information filed after preliminary hearing: {counts}.",
                    event="information_filed",
                )
        elif self.random() < 0.3:
            self.file(
                5,
                20,
                "prosecution",
                "information",
                f"Information filed: {counts}.",
                event="information_filed",
            )

    def arraignment(self) -> None:
        held = self.hearing("arraignment", 7, 21)
        day = held[1]
        interpreter = next(
            (d["interpreter_language"] for d in self.defendants if d["interpreter_language"]), None
        )
        outcome = "Arraigned; plea of not guilty entered; discovery ordered."
        if interpreter:
            outcome = f"{interpreter} interpreter present. " + outcome
        entry = self.minutes(held, outcome)
        self.each_defendant(day, "arraignment_held", entry)
        # No plea_entered event: in the plans' vocabulary it is an accepted guilty plea (it stops
        # the trial clock and starts sentencing); a not-guilty plea is part of the arraignment.
        self.stage = "arraigned"
        if self.track != "expedited" and self.random() < 0.15:
            self.file(
                3,
                20,
                "defense",
                "notice",
                "Defendant's waiver of speedy trial, filed with the consent of counsel.",
                event="speedy_trial_waiver_filed",
            )

    def maybe_substitute_counsel(self) -> None:
        for k in range(len(self.defendants)):
            current = self.current_counsel[k]
            if current is None or self.random() >= 0.07:
                continue
            old = current["attorney_id"]
            old_office = next(o for o, ids in self.w.defense.items() if old in ids)
            options = {
                "retained": ("public_defender", "appointed"),
                "public_defender": ("appointed", "retained"),
                "appointed": ("public_defender", "retained"),
            }[old_office]
            office = options[0] if self.random() < 0.6 else options[1]
            if k > 0 and office == "public_defender":
                office = "appointed"
            motion = self.file(
                5,
                30,
                "defense",
                "motion",
                f"Motion of {self.w.attorney_names[old]} for leave to withdraw "
                f"as counsel for {self.defendant_names[k]}.",
                attorney_id=old,
            )
            if motion is None:
                return
            day, _ = motion
            grant = BUSINESS_END - 60 + int(self.random() * 55)
            self.entry(
                day,
                grant,
                "court",
                "order",
                f"Order granting {self.w.attorney_names[old]} leave to withdraw.",
            )
            current["withdrew_on"] = day
            self.current_counsel[k] = None
            self._defense_appears(k, day, office, min(grant + 5, LATEST_MINUTE_ENTRY), old)
            self.w.attorney_cases[self.current_counsel[k]["attorney_id"]] += 1

    def discovery(self) -> None:
        disclosed = self.file(
            10,
            30,
            "prosecution",
            "discovery_disclosure",
            "State's discovery disclosure: police reports, witness list, body-worn camera video.",
            event="discovery_disclosed",
        )
        if disclosed:
            self.stage = "discovery"
        lo, hi = STATUS_CONFERENCES[self.track]
        for n in range(self.rng.randint(lo, hi)):
            held = self.hearing("status_conference", 21, 42)
            self.minutes(held, "Status on discovery; discovery continuing.")
            if self.random() < 0.4:
                self.file(
                    3, 14, "defense", "discovery_disclosure", "Defendant's answer to discovery."
                )
            if n == 0 and self.track == "complex" and self.random() < 0.2:
                filed = self.file(
                    5,
                    25,
                    "prosecution",
                    "superseding_indictment",
                    "Superseding indictment returned by the grand jury.",
                    event="superseding_indictment_filed",
                )
                if filed:
                    self.file(
                        5,
                        20,
                        "prosecution",
                        "discovery_disclosure",
                        "State's supplemental discovery disclosure.",
                        event="discovery_disclosed",
                    )

    def motions(self) -> None:
        total = (
            1
            if self.track == "expedited"
            else self.rng.randint(1, 3 if self.track == "complex" else 2)
        )
        for n in range(total):
            last = n == total - 1 and self.path == "dismissal"
            if last:
                party, name = "defense", "Motion to dismiss the charges"
            elif self.random() < 0.2:
                party, name = "prosecution", self.rng.choice(STATE_MOTIONS)
            else:
                party, name = "defense", self.rng.choice(DEFENSE_MOTIONS)
            other = "prosecution" if party == "defense" else "defense"
            filed = self.file(7, 30, party, "motion", f"{name}.", event="motion_filed", note=name)
            if filed:
                self.stage = "motions_pending"
            answer = self.file(
                10, 21, other, "response", f"Response to the {name[0].lower()}{name[1:]}."
            )
            if filed and answer:
                self.link(answer[1], filed[1], "responds_to")
            if self.random() < 0.3:
                self.file(
                    5, 10, party, "reply", f"Reply in support of the {name[0].lower()}{name[1:]}."
                )
            held = self.hearing("motion", 7, 28)
            _, day, _, end = held
            granted = last or self.random() < 0.25
            ruling = "granted" if granted else "denied"
            self.minutes(
                held, f"Argument heard on the {name[0].lower()}{name[1:]}; ruling: {ruling}."
            )
            order = self.entry(
                day,
                min(end + 45, LATEST_MINUTE_ENTRY),
                "court",
                "order",
                f"Order: the {name[0].lower()}{name[1:]} is {ruling}.",
            )
            if filed:
                self.link(order, filed[1], "resolves")
            self.event(day, "motion_decided", order, None, f"{name}: {ruling}")
            if last:
                self.event(day, "dismissed", order, None, "on the defendant's motion")
                self.dispose("dismissed", day, "disposed_dismissal")
                raise _Cut
            self.stage = "discovery"

    def pretrial(self) -> None:
        held = self.hearing("pretrial_conference", 20, 45)
        day = held[1]
        # Many cases get a trial date and then plead (or are dropped) before it.
        settles_before_trial = self.path in ("plea", "nolle") and self.random() < 0.45
        if self.path == "trial" or settles_before_trial:
            jury = "jury" if self.case_type == "felony" or self.random() < 0.4 else "bench"
            entry = self.minutes(held, f"Pretrial conference held; {jury} trial set.")
            self.stage = "trial_set"
            if settles_before_trial:
                self.trial_date = self.cursor + self.span(45, 100)
        else:
            entry = self.minutes(held, "Pretrial conference held; parties report negotiations.")
            self.stage = "pretrial_held"
        self.event(day, "pretrial_conference_held", entry)
        if not (self.path == "trial" or settles_before_trial) and self.random() < 0.5:
            held = self.hearing("pretrial_conference", 14, 35)
            entry = self.minutes(held, "Further pretrial conference held; negotiations continue.")
            self.event(held[1], "pretrial_conference_held", entry)

    def settlement_hearing(self, hearing_type: str, lo: int, hi: int, outcome: str) -> Held:
        """The hearing that ends a case by plea or nolle prosequi. When a trial date was set,
        the trial is the case's next court date until the settlement happens, and is vacated
        once it has."""
        trial_on = self.trial_date
        if trial_on is None:
            if self.stage == "pretrial_held":
                lo, hi = lo + 7, hi + 14  # negotiations after the pretrial conference
            return self.hearing(hearing_type, lo, hi)
        set_on = self.cursor
        # Settled on the courthouse steps: a few days before the trial date.
        target = max(trial_on - self.span(3, 14, paced=False), self.cursor + self.span(lo, hi))
        trial_on = max(trial_on, target + timedelta(days=3))
        if self.future or target > self.today:
            self.schedule("trial", trial_on, set_on, None)
        held = self.hearing(hearing_type, lo, hi, earliest=target)
        row, day, _, _ = held
        grid = self.w.grid
        if trial_on > grid.last:
            return held  # set beyond the sessions the demo materializes: no row for it
        index, trial_day, start, end, _ = grid.place(self.judge, "trial", trial_on)
        grid.release(index)  # a vacated trial frees its session
        if day < trial_day:
            setting = self._setting(index, trial_day, start, end, "trial", set_on)
            vacated = self._hearing_row([setting], "trial", "vacated", None)
            vacated["outcome"] = setting["note"] = outcome
            vacated["updated_at"] = row["ends_at"]
        return held

    def resolve(self) -> None:
        path = self.path
        if path == "plea":
            self.plea()
        elif path == "trial":
            self.trial()
        elif path == "nolle":
            self.nolle()
        elif path == "diversion":
            self.diversion()
        elif path == "dismissal":
            self.has_motions = True
            self.motions()

    def plea(self) -> None:
        held = self.settlement_hearing("change_of_plea", 14, 35, "Vacated: plea of guilty entered.")
        _, day, start, end = held
        self.entry(
            day,
            max(start - 30, BUSINESS_START),
            "prosecution",
            "plea_agreement",
            f"Negotiated plea agreement: plea of guilty to count 1, "
            f"{self.lead.description.lower()}.",
        )
        entry = self.minutes(
            held,
            "Plea of guilty to count 1 accepted; remaining counts dismissed on the State's motion.",
        )
        self.each_defendant(day, "plea_entered", entry, "guilty")
        if self.case_type == "misdemeanor" and self.random() < 0.7:
            self.judgment(day, end, "guilty_plea")
            return
        self.stage = "awaiting_sentencing"
        self.sentencing("guilty_plea")

    def sentencing(self, disposition: str) -> None:
        felony = self.case_type == "felony"

        def presentence_report(day: date, set_on: date) -> None:
            if felony:
                filed = max(
                    self.roll(day - timedelta(days=7 + int(self.random() * 5))), set_on + DAY
                )
                if filed < day:
                    self.side_filing(
                        filed,
                        "court",
                        "presentence_report",
                        "Presentence investigation report (sealed).",
                        sealed=True,
                    )

        held = self.hearing("sentencing", 28, 56, before=presentence_report)
        self.judgment(held[1], held[3], disposition, held)

    def judgment(self, day: date, end: int, disposition: str, held=None) -> None:
        felony = self.case_type == "felony"
        table, cumulative = (
            (FELONY_SENTENCES, _FELONY_SENTENCE_CUM)
            if felony
            else (MISDEMEANOR_SENTENCES, _MISDEMEANOR_SENTENCE_CUM)
        )
        _, sentence, prison = table[_pick(self.rng, cumulative)]
        if held is not None:
            self.minutes(held, f"Sentenced to {sentence}.")
        judgment = self.entry(
            day,
            min(end + 50, LATEST_MINUTE_ENTRY),
            "court",
            "judgment",
            f"Judgment and sentence: {sentence}.",
        )
        self.each_defendant(day, "sentencing_held", judgment)
        if prison and self.custody != "in_custody":
            self.each_defendant(day, "taken_into_custody", judgment)
            self.custody = "in_custody"
        elif not prison and self.custody == "in_custody":
            self.each_defendant(day, "released_from_custody", judgment)
            self.custody = "released"
        stage = "disposed_plea" if disposition == "guilty_plea" else "disposed_trial"
        self.dispose(disposition, day, stage)

    def trial(self) -> None:
        def exhibit_lists(day: date, set_on: date) -> None:
            for party in ("prosecution", "defense"):
                filed = self.roll(day - timedelta(days=3 + int(self.random() * 8)))
                if set_on < filed < day:
                    label = "State's" if party == "prosecution" else "Defendant's"
                    self.side_filing(filed, party, "exhibit_list", f"{label} exhibit list.")

        mistrial_possible = True
        while True:
            held = self.hearing("trial", 45, 100, before=exhibit_lists)
            _, day, _, end = held
            if mistrial_possible and self.random() < 0.05:
                mistrial_possible = False
                entry = self.minutes(
                    held,
                    "Trial commenced; jury unable to reach a verdict; mistrial declared.",
                    "mistrial",
                )
                self.event(day, "trial_commenced", entry)
                self.event(day, "mistrial_declared", entry)
                continue
            guilty = self.random() < 0.72
            verdict = "guilty" if guilty else "not guilty"
            entry = self.minutes(
                held,
                f"Trial commenced; evidence closed; verdict: {verdict}.",
                "verdict_guilty" if guilty else "verdict_not_guilty",
            )
            self.event(day, "trial_commenced", entry)
            self.event(day, "verdict", entry, None, verdict)
            break
        if guilty:
            self.stage = "awaiting_sentencing"
            if self.case_type == "felony" and self.custody == "released" and self.random() < 0.6:
                self.each_defendant(day, "taken_into_custody", entry)
                self.custody = "in_custody"
            self.sentencing("trial_conviction")
            return
        judgment = self.entry(
            day,
            min(end + 20, LATEST_MINUTE_ENTRY),
            "court",
            "judgment",
            "Judgment of acquittal; defendant discharged.",
        )
        self.release_all(day, judgment)
        self.dispose("acquittal", day, "disposed_trial")

    def nolle(self) -> None:
        held = self.settlement_hearing(
            "status_conference", 14, 35, "Vacated: nolle prosequi allowed."
        )
        _, day, start, end = held
        self.entry(
            day,
            max(start - 20, BUSINESS_START),
            "prosecution",
            "notice",
            "State's motion to nolle prosequi all counts.",
        )
        self.minutes(held, "State's motion to nolle prosequi allowed.", "dismissed")
        order = self.entry(
            day,
            min(end + 30, LATEST_MINUTE_ENTRY),
            "court",
            "order",
            "Order: nolle prosequi allowed; defendant discharged; bond exonerated.",
        )
        self.event(day, "dismissed", order, None, "nolle prosequi")
        self.release_all(day, order)
        self.dispose("nolle_prosequi", day, "disposed_nolle")

    def diversion(self) -> None:
        held = self.hearing("status_conference", 14, 35)
        self.minutes(held, "Defendant admitted to the deferred prosecution program.")
        self.stage = "diversion"
        program_ends = self.cursor + self.span(150, 240, paced=False)
        held = self.hearing("status_conference", 0, 0, earliest=program_ends)
        _, day, _, end = held
        self.minutes(held, "Deferred prosecution program completed.", "dismissed")
        order = self.entry(
            day,
            min(end + 30, LATEST_MINUTE_ENTRY),
            "court",
            "order",
            "Order: program completed; charges dismissed.",
        )
        self.event(day, "dismissed", order, None, "deferred prosecution completed")
        self.release_all(day, order)
        self.dispose("diversion_completed", day, "disposed_diversion")

    def release_all(self, day: date, entry: dict) -> None:
        if self.custody == "in_custody":
            self.each_defendant(day, "released_from_custody", entry)
        self.custody = "released"

    def dispose(self, disposition: str, day: date, stage: str) -> None:
        self.disposition = (disposition, day)
        self.status = "disposed"
        self.stage = stage

    # --- rows ------------------------------------------------------------------------------

    def finish(self, rows: Rows) -> None:
        w = self.w
        entries = self.entries
        entries.sort(key=itemgetter("filed_at"))
        first_entry = w.take_ids("docket_entry", len(entries))
        for n, row in enumerate(entries):
            row["id"] = first_entry + n
            row["number"] = n + 1
        if self.links:
            first_link = w.take_ids("docket_entry_link", len(self.links))
            for n, link in enumerate(self.links):
                link["id"] = first_link + n
                link["entry_id"] = link["entry_id"]["id"]
                link["target_id"] = link["target_id"]["id"]
            rows.docket_entry_link.extend(self.links)
        events = self.events
        events.sort(key=itemgetter("occurred_on"))
        first_event = w.take_ids("case_event", len(events))
        for n, row in enumerate(events):
            row["id"] = first_event + n
            entry = row["docket_entry_id"]
            if entry is not None:
                row["docket_entry_id"] = entry["id"]
        first_counsel = w.take_ids("counsel_of_record", len(self.counsel))
        for n, row in enumerate(self.counsel):
            row["id"] = first_counsel + n
        disposition, disposed_on = self.disposition or (None, None)
        rows.court_case.append(
            {
                "id": self.case_id,
                "court_id": w.court_id,
                "case_number": self.case_number,
                "caption": self.caption,
                "case_type": self.case_type,
                "filed_on": self.filed_on,
                "track": self.track,
                "custody_status": self.custody,
                "assigned_judge_id": self.judge_id,
                "status": self.status,
                "disposition_type": disposition,
                "disposition_date": disposed_on,
                "sealed": self.sealed,
                "created_at": entries[0]["filed_at"],
                "updated_at": entries[-1]["filed_at"],
                "version": 1,
            }
        )
        rows.defendant.extend(self.defendants)
        rows.charge.extend(self.charges)
        rows.counsel_of_record.extend(self.counsel)
        rows.docket_entry.extend(entries)
        rows.case_event.extend(events)
        rows.hearing.extend(self.hearings)
        for row, setting in self.finals:
            if setting["ended"] in ("held", "vacated"):
                setting["ended_at"] = row["updated_at"]
                setting["ended_by_id"] = self.clerk_id
        first_setting = w.take_ids("hearing_setting", len(self.settings))
        for n, row in enumerate(self.settings):
            row["id"] = first_setting + n
        rows.hearing_setting.extend(self.settings)
        w.stages[self.stage] += 1


MIDDLE_NAME_CHANCE = {None: 0.55, "Spanish": 0.35, "Polish": 0.2, "Arabic": 0.35, "Gujarati": 0.35}


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _person(rng: random.Random) -> tuple[str, str, str, str | None]:
    """A defendant's last, first and middle names, and the interpreter they need if any."""
    language, chance, lasts, males, females = _GROUPS[_pick(rng, _GROUP_CUM)]
    random_ = rng.random
    female = random_() < 0.22
    firsts = females if female else males
    first = rng.choice(firsts)
    last = rng.choice(lasts)
    if female:
        for masculine, feminine in FEMININE_ENDINGS:
            if last.endswith(masculine):
                last = last[: -len(masculine)] + feminine
                break
    middle = ""
    roll = random_()
    if language == "Vietnamese":
        if roll < 0.7:
            middle = "Thi" if female else "Van"
    elif roll < MIDDLE_NAME_CHANCE.get(language, 0.0):
        # Arabic and Gujarati middle names are usually the father's given name.
        pool = males if language in ("Arabic", "Gujarati") else firsts
        middle = rng.choice(pool)
        if middle == first:
            middle = ""
    needs = language if language and random_() < chance else None
    return last, first, middle, needs
