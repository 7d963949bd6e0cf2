"""What the filing forms offer: the motions a response may answer, the responses a reply may
answer, the open motions an order may resolve, the parties and counsel a paper filing may
come from. A fixed number of queries whatever the size of the docket, and only entries the
user may see (an entry they may not see is offered to nobody but the court)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, exists, inspect, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.util import ClauseAdapter

from docket.cases.service import case_defendants
from docket.clock import to_court_time
from docket.core.vocabulary import FILER_PARTIES, MOTION_SUBTYPES
from docket.extensions import db
from docket.models import Attorney, Case, CounselOfRecord, DocketEntry, DocketEntryLink
from docket.permissions import case_facts, visible_entries_clause
from docket.web import format_date


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass
class Answerable:
    """A motion or a response of the case that another entry may refer to."""

    number: int
    entry_type: str
    subtype: str | None
    filer_party: str
    filed_at: datetime
    answers: int | None  # a response: the motion it responds to
    answers_party: str | None  # ... and the party that filed that motion
    resolved: bool  # a motion: an unstricken order (or minute entry, judgment) resolved it

    @property
    def label(self) -> str:
        if self.entry_type == "motion":
            what = motion_name(self.subtype)
        else:
            what = f"Response to motion #{self.answers}" if self.answers else "Response"
        filed = to_court_time(self.filed_at).date()
        by = FILER_PARTIES[self.filer_party].lower()
        decided = " (decided)" if self.resolved else ""
        on = format_date(filed)
        return f"#{self.number} {what} — filed {on} by the {by}{decided}"

    def option(self) -> Option:
        return Option(str(self.number), self.label)


@dataclass
class CounselChoices:
    side: str  # "prosecution" or "defense"
    on_behalf_of: list[Option] = field(default_factory=list)  # the defendants they represent
    motions: list[Option] = field(default_factory=list)  # the other side's, to respond to
    responses: list[Option] = field(default_factory=list)  # to their side's motions: to reply


@dataclass
class ClerkChoices:
    motions: list[Option]  # every unstricken motion (a paper response answers one)
    open_motions: list[Option]  # not yet resolved: what an order may resolve
    responses: list[Option]
    filers: list[Option]  # "court", "prosecution:<attorney>", "defense:<attorney>:<defendant>"
    defendants: list[Option]


def motion_name(subtype: str | None) -> str:
    """ "Motion to suppress evidence"; a motion of no listed kind is just "Motion"."""
    if not subtype or subtype == "other":
        return "Motion"
    return f"Motion {MOTION_SUBTYPES[subtype]}"


def _answerable(case: Case, visible=None) -> list[Answerable]:
    """The case's unstricken motions and responses, in docket order, in one query. `visible`
    (`visible_entries_clause`) keeps to the entries the user may see, and to the resolving
    orders they may see: "(decided)" by a sealed order would tell what the order did."""
    link = aliased(DocketEntryLink)
    target = aliased(DocketEntry)
    resolving_link = aliased(DocketEntryLink)
    resolver = aliased(DocketEntry)
    resolving = [
        resolving_link.target_id == DocketEntry.id,
        resolving_link.relation == "resolves",
        resolver.stricken.is_(False),
    ]
    if visible is not None:  # over the resolver, joined to the same Case as the motion
        resolving.append(ClauseAdapter(inspect(resolver).selectable).traverse(visible))
    resolved = exists(
        select(resolving_link.id)
        .join(resolver, resolver.id == resolving_link.entry_id)
        .where(*resolving)
    )
    statement = (
        select(
            DocketEntry.number,
            DocketEntry.entry_type,
            DocketEntry.subtype,
            DocketEntry.filer_party,
            DocketEntry.filed_at,
            target.number.label("answers"),
            target.filer_party.label("answers_party"),
            resolved.label("resolved"),
        )
        .join(Case, Case.id == DocketEntry.case_id)
        .outerjoin(link, and_(link.entry_id == DocketEntry.id, link.relation == "responds_to"))
        .outerjoin(target, target.id == link.target_id)
        .where(
            DocketEntry.case_id == case.id,
            DocketEntry.entry_type.in_(("motion", "response")),
            DocketEntry.stricken.is_(False),
        )
        .order_by(DocketEntry.number)
    )
    if visible is not None:
        statement = statement.where(visible)
    return [Answerable(**row._asdict()) for row in db.session.execute(statement)]


def for_counsel(case: Case, user) -> CounselChoices:
    """Counsel of record today: their side, whom they file for, what they may answer."""
    parties = case_facts(case, user).parties  # the request's cached appearances
    side = "prosecution" if any(p[0] == "prosecution" for p in parties) else "defense"
    choices = CounselChoices(side=side)
    represented = {defendant for party, defendant in parties if party == "defense"}
    if len(represented) > 1:
        choices.on_behalf_of = [
            Option(str(d.id), f"{d.number}. {d.full_name}")
            for d in case_defendants(case)
            if d.id in represented
        ]
    for entry in _answerable(case, visible_entries_clause(user)):
        if entry.entry_type == "motion" and entry.filer_party not in (side, "court"):
            choices.motions.append(entry.option())
        elif entry.entry_type == "response" and entry.answers_party == side:
            choices.responses.append(entry.option())
    return choices


def for_clerk(case: Case) -> ClerkChoices:
    entries = _answerable(case)
    defendants = case_defendants(case)
    names = {d.id: d.full_name for d in defendants}
    appearances = db.session.execute(
        select(
            CounselOfRecord.side,
            CounselOfRecord.attorney_id,
            CounselOfRecord.defendant_id,
            CounselOfRecord.withdrew_on,
            Attorney.name,
            Attorney.bar_number,
        )
        .join(Attorney, Attorney.id == CounselOfRecord.attorney_id)
        .where(CounselOfRecord.case_id == case.id)
        .order_by(CounselOfRecord.side.desc(), CounselOfRecord.appeared_on, Attorney.name)
    ).all()
    filers = [Option("court", "The court")]
    seen = set()
    for row in appearances:
        if row.side == "prosecution":
            value = f"prosecution:{row.attorney_id}"
            label = f"Prosecution — {row.name} ({row.bar_number})"
        else:
            value = f"defense:{row.attorney_id}:{row.defendant_id}"
            label = (
                f"Defense — {row.name} ({row.bar_number}), for {names.get(row.defendant_id, '?')}"
            )
        if row.withdrew_on is not None:
            withdrew = row.withdrew_on
            label += f", withdrew {format_date(withdrew)}"
        if value not in seen:
            seen.add(value)
            filers.append(Option(value, label))
    filers += [Option(f"defense::{d.id}", f"Defendant {d.full_name}, pro se") for d in defendants]
    return ClerkChoices(
        motions=[e.option() for e in entries if e.entry_type == "motion"],
        open_motions=[e.option() for e in entries if e.entry_type == "motion" and not e.resolved],
        responses=[e.option() for e in entries if e.entry_type == "response"],
        filers=filers,
        defendants=[Option(str(d.id), f"{d.number}. {d.full_name}") for d in defendants],
    )


def parse_filer(value: str, choices: ClerkChoices) -> tuple[str, int | None, int | None] | None:
    """A filer option as (party, attorney id, defendant id); None if it is not one offered."""
    if value not in {option.value for option in choices.filers}:
        return None
    party, _, rest = value.partition(":")
    if not rest:
        return party, None, None
    attorney, _, defendant = rest.partition(":")
    return party, int(attorney) if attorney else None, int(defendant) if defendant else None
