"""The docket sheet, one entry's page and document downloads: the queries behind them.

Each page loads in a fixed number of queries whatever the number of entries (the entries
with their filing attorneys and documents, the links between them, the parties, the
document deadlines, the corrections), and decides in Python, with `permissions.sees`, which
entries the viewer sees in full. An entry the viewer may not see keeps its number and date
and nothing else: no type, filer, text, documents, links from it, or correction history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from jinja2.filters import do_filesizeformat
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import aliased, joinedload, selectinload

from docket.cases.service import case_defendants
from docket.clock import court_today, court_zone
from docket.core.access import sees_entry
from docket.core.vocabulary import (
    DOCKET_ENTRY_TYPES,
    ENTRY_LINKS,
    FILER_PARTIES,
    MOTION_SUBTYPES,
)
from docket.extensions import db
from docket.models import (
    Attorney,
    Case,
    CounselOfRecord,
    Deadline,
    Defendant,
    DocketEntry,
    DocketEntryLink,
    Document,
    DocumentDownload,
    RecordCorrection,
    TollingPeriod,
    User,
)
from docket.permissions import case_facts, entry_facts, sees, sees_sealed, viewer_for
from docket.web import format_date

# How a link reads on the entry that makes it (ENTRY_LINKS), and on the entry it points at.
LINK_FROM = ENTRY_LINKS
LINK_TO = {
    "responds_to": "Responded to by",
    "replies_to": "Replied to by",
    "resolves": "Resolved by",
    "relates_to": "Referred to by",
}


@dataclass
class Link:
    label: str  # "Response to", "Resolved by"
    number: int


@dataclass
class Correction:
    label: str
    action: str
    entry_number: int | None
    reason: str
    order_number: int | None  # None too for an order sealed from the viewer
    filer_may_see: bool | None
    by: str
    at: datetime
    order_sealed: bool = False  # an order the viewer may not see: "a sealed order"


@dataclass(slots=True)
class DocumentLine:
    """A document as the sheet lists it, its words made once in Python: the template would
    make them for each of hundreds of documents, a filter call and several joins each."""

    id: int
    label: str  # "Main document", "Attachment 2: Proposed order"
    file: str  # "motion.pdf, 77.5 kB"


@dataclass
class EntryRow:
    """One line of the docket as the viewer may see it. `entry` is a DocketEntry on an
    entry's page and a plain row of its columns on the sheet (hundreds of them: ORM objects
    would cost more than the rest of the page); `documents` likewise Document objects or
    DocumentLines. The sheet's words (lead, text, entered, see_also) are made here once,
    not by the template for each row."""

    entry: DocketEntry
    visible: bool
    filed: str = ""  # the date filed in the court's zone, as PACER writes it: 03/02/2026
    filer: str = ""
    documents: list = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # both directions, the entry's own first
    # The day it was docketed (03/05/2026) when later than filed (paper filings), else "".
    entered: str = ""
    css: str = ""  # the row's class: sealed-row (shown as SEALED), stricken-row, or none
    lead: str = ""  # the docket text's bold lead and the rest (see lead_and_text)
    text: str = ""
    # The links as the sheet words them: ("Responded to by", 7), ("; resolved by", 9).
    see_also: list[tuple[str, int]] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.entry.number

    @property
    def heading(self) -> str:
        """The entry's type (and a motion's kind) in capitals: MOTION to suppress evidence."""
        label = DOCKET_ENTRY_TYPES[self.entry.entry_type].upper()
        subtype = self.entry.subtype
        if subtype and subtype != "other":
            label += f" {MOTION_SUBTYPES[subtype]}"
        return label

    @property
    def lead_and_text(self) -> tuple[str, str]:
        """The docket text split into its bold lead and the rest. Docket texts usually begin
        with their event ("MOTION to Suppress ..."): that beginning is the lead, not said
        twice; a text that does not gets the entry's type and kind in front."""
        text = self.entry.text
        label = DOCKET_ENTRY_TYPES[self.entry.entry_type]
        if text[: len(label)].lower() == label.lower():
            return text[: len(label)], text[len(label) :]
        return self.heading, " " + text


@dataclass(slots=True)
class Due:
    """A document deadline with its words ready for the "What is due" table."""

    name: str
    owed_by: str
    due: str  # "May 9, 2026", "not yet set", or "—" (nothing is owed)
    status: str  # the badge's class: deadline-<status> (a pending one past due: missed)
    status_label: str  # "met late", "overdue"
    met_by: int | None  # the entry number, if the viewer may see that entry
    met_on: str  # the day it was met ("May 1, 2026"), or ""
    met_by_sealed: bool = False


@dataclass
class Sheet:
    case: Case
    defendants: list[Defendant]
    counsel: list[CounselOfRecord]
    rows: list[EntryRow]
    due: list[Due]
    corrections: list[Correction]  # the court's view only; empty for others
    shows_sealed: bool = False  # a sealed entry is shown in full (a printout must say so)
    hides_entries: bool = False  # an entry shows as SEALED to this viewer


def _filer(entry, attorney_name: str | None, defendant_names: dict[int, str]) -> str:
    if entry.filer_party == "court":
        return "the court"
    party = FILER_PARTIES[entry.filer_party].lower()
    words = f"{attorney_name or 'paper filing'} for the {party}"
    if entry.filer_party == "defense" and entry.defendant_id in defendant_names:
        words += f" ({defendant_names[entry.defendant_id]})"
    return words


class EntryColumns(NamedTuple):
    """The columns of a docket entry the sheet reads, as a plain tuple: a SQLAlchemy Row
    looks each column up by name (0.4 µs an access; the page reads a dozen from each of
    hundreds of entries)."""

    id: int
    number: int
    filed_at: datetime
    created_at: datetime | None
    filer_party: str
    defendant_id: int | None
    entry_type: str
    subtype: str | None
    text: str
    sealed: bool
    seal_allows_filer: bool
    stricken: bool
    stricken_reason: str | None
    filer_name: str | None  # the filing attorney's


# For the rest of the sheet's transaction, on PostgreSQL: every row it reads is one case's,
# found by key. With the default random_page_cost (4) the planner reads the whole document
# table to hash-join a 500-entry case's documents (13 ms over 50,000 documents in
# bench/docket.py) rather than look them up in ix_document_docket_entry_id (1 ms); the same
# setting as the sweep's incremental nights.
_PG_RANDOM_PAGE_COST = "1.1"


def _tune() -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT set_config('random_page_cost', :cost, true)"),
            {"cost": _PG_RANDOM_PAGE_COST},
        )


def _entries(case_id: int):
    """The case's entries as rows (with the filing attorney's name), and their documents'
    lines by entry id: two queries."""
    columns = [getattr(DocketEntry, name) for name in EntryColumns._fields[:-1]]
    entries = db.session.execute(
        select(*columns, Attorney.name)
        .outerjoin(Attorney, Attorney.id == DocketEntry.filer_attorney_id)
        .where(DocketEntry.case_id == case_id)
        .order_by(DocketEntry.number)
    )
    entries = list(map(EntryColumns._make, entries))
    documents: dict[int, list[DocumentLine]] = {}
    for document_id, entry_id, position, description, file_name, size in db.session.execute(
        select(
            Document.id,
            Document.docket_entry_id,
            Document.position,
            Document.description,
            Document.file_name,
            Document.size_bytes,
        )
        .join(DocketEntry, DocketEntry.id == Document.docket_entry_id)
        .where(DocketEntry.case_id == case_id)
        .order_by(Document.docket_entry_id, Document.position)
    ):
        if position == 0:
            label = "Main document"
        elif description:
            label = f"Attachment {position}: {description}"
        else:
            label = f"Attachment {position}"
        line = DocumentLine(document_id, label, f"{file_name}, {do_filesizeformat(size)}")
        documents.setdefault(entry_id, []).append(line)
    return entries, documents


def _mdy(day: date) -> str:
    """03/02/2026, as PACER writes a date (a third of the time of strftime)."""
    return f"{day.month:02}/{day.day:02}/{day.year}"


def _rows(
    case: Case, user: User, entries, documents, links, defendant_names, filer_names
) -> list[EntryRow]:
    """The entries as the viewer sees them, with their links both ways; a link from an
    entry the viewer may not see is left out (its relation would tell what the entry is).
    `entries` are DocketEntry objects or EntryColumns."""
    zone = court_zone()
    viewer, facts = viewer_for(user), case_facts(case, user)
    rows = {}
    for entry in entries:
        visible = sees_entry(viewer, facts, entry_facts(entry))
        filed_on = entry.filed_at.astimezone(zone).date()
        row = EntryRow(entry=entry, visible=visible, filed=_mdy(filed_on))
        if visible:
            row.filer = _filer(entry, filer_names.get(entry.id), defendant_names)
            row.documents = documents.get(entry.id, [])
            created_at = entry.created_at
            if created_at is not None:
                entered_on = created_at.astimezone(zone).date()
                if entered_on != filed_on:
                    row.entered = _mdy(entered_on)
            row.lead, row.text = row.lead_and_text
            if entry.stricken:
                row.css = "stricken-row"
        else:
            row.css = "sealed-row"
        rows[entry.id] = row
    incoming: dict[int, list[Link]] = {}
    for source_id, target_id, relation in links:
        source, target = rows.get(source_id), rows.get(target_id)
        if source is None or target is None or not source.visible:
            continue
        source.links.append(Link(LINK_FROM[relation], target.entry.number))
        incoming.setdefault(target_id, []).append(Link(LINK_TO[relation], source.entry.number))
    for entry_id, row in rows.items():
        if row.visible:
            if entry_id in incoming:
                row.links.extend(sorted(incoming[entry_id], key=lambda k: k.number))
            if row.links:
                first, *rest = row.links
                row.see_also = [(first.label, first.number)]
                row.see_also += [(f"; {link.label.lower()}", link.number) for link in rest]
    return list(rows.values())


def _case_links(case_id: int):
    source = aliased(DocketEntry)
    return db.session.execute(
        select(DocketEntryLink.entry_id, DocketEntryLink.target_id, DocketEntryLink.relation)
        .join(source, source.id == DocketEntryLink.entry_id)
        .where(source.case_id == case_id)
        .order_by(DocketEntryLink.id)
    ).all()


def _corrections(
    case_id: int,
    numbers: dict[int, int],
    entry_id: int | None = None,
    sealed_orders: frozenset[int] = frozenset(),
):
    """The case's corrections (or one entry's), entries and orders by their `numbers`; an
    order among `sealed_orders` (ids the viewer may not see, left out of `numbers`) reads
    "a sealed order"."""
    query = (
        select(RecordCorrection, User.name)
        .outerjoin(User, User.id == RecordCorrection.by_user_id)
        .where(RecordCorrection.case_id == case_id)
        .order_by(RecordCorrection.at, RecordCorrection.id)
    )
    if entry_id is not None:
        query = query.where(RecordCorrection.docket_entry_id == entry_id)
    return [
        Correction(
            label=c.action_label,
            action=c.action,
            entry_number=numbers.get(c.docket_entry_id),
            reason=c.reason,
            order_number=numbers.get(c.order_entry_id),
            filer_may_see=c.filer_may_see,
            by=name or "—",
            at=c.at,
            order_sealed=c.order_entry_id in sealed_orders,
        )
        for c, name in db.session.execute(query)
    ]


def _undated(status: str) -> str:
    """A document deadline without a date: not yet set, or none at all (a motion decided
    before it was answered owes no response)."""
    return "—" if status == "not_applicable" else "not yet set"


def _due(case: Case, visible: dict[int, bool]) -> list[Due]:
    """The case's document deadlines, in the order of the deadline engine's list (by due
    date, undated last): the columns the table shows, not Deadline objects (each with its
    explanation's JSON). One that names an entry the viewer may not see ("Response to motion
    #12", #12 sealed) is left out: its name would tell what the sealed entry is."""
    today = court_today()
    due = []
    for row in db.session.execute(
        select(
            Deadline.item_id,
            Deadline.name,
            Deadline.owed_by,
            Deadline.due_on,
            Deadline.status,
            Deadline.satisfied_on,
            Deadline.satisfied_by_entry,
        )
        .where(Deadline.case_id == case.id, Deadline.kind == "document")
        .order_by(Deadline.due_on.is_(None), Deadline.due_on, Deadline.id)
    ):
        _, hash_, about = row.item_id.rpartition("#")
        if hash_ and about.isdigit() and not visible.get(int(about), False):
            continue
        met_by = row.satisfied_by_entry
        hidden = met_by is not None and not visible.get(met_by, False)
        late = row.status == "pending" and row.due_on is not None and row.due_on < today
        due.append(
            Due(
                name=row.name,
                owed_by=FILER_PARTIES.get(row.owed_by, row.owed_by or "—"),
                due=format_date(row.due_on) if row.due_on else _undated(row.status),
                status="missed" if late else row.status,
                status_label="overdue" if late else row.status.replace("_", " "),
                met_by=None if hidden else met_by,
                met_on=format_date(row.satisfied_on),
                met_by_sealed=hidden,
            )
        )
    return due


def docket_sheet(case: Case, user: User) -> Sheet:
    """Everything the docket sheet shows, in a fixed number of queries."""
    _tune()
    defendants = case_defendants(case)
    counsel = db.session.scalars(
        select(CounselOfRecord)
        .where(CounselOfRecord.case_id == case.id)
        .options(joinedload(CounselOfRecord.attorney, innerjoin=True))
        .order_by(CounselOfRecord.side.desc(), CounselOfRecord.appeared_on, CounselOfRecord.id)
    ).all()
    names = {d.id: d.full_name for d in defendants}
    entries, documents = _entries(case.id)
    filer_names = {e.id: e.filer_name for e in entries}
    rows = _rows(case, user, entries, documents, _case_links(case.id), names, filer_names)
    court_view = sees_sealed(user, case)
    numbers = {e.id: e.number for e in entries}
    return Sheet(
        case=case,
        defendants=defendants,
        counsel=counsel,
        rows=rows,
        due=_due(case, {row.entry.number: row.visible for row in rows}),
        corrections=_corrections(case.id, numbers) if court_view else [],
        shows_sealed=any(row.visible and row.entry.sealed for row in rows),
        hides_entries=not all(row.visible for row in rows),
    )


@dataclass
class EntryPage:
    row: EntryRow
    corrections: list[Correction]
    # The excludable periods this order entered on the speedy-trial clock (they stay linked).
    excludes: list[TollingPeriod] = field(default_factory=list)
    # The court's view only: the latest downloads of the entry's documents, and how many in all.
    downloads: list = field(default_factory=list)
    downloads_total: int = 0


DOWNLOADS_SHOWN = 50


def _downloads(entry_id: int) -> tuple[list, int]:
    """Who downloaded the entry's documents and when, newest first (one query)."""
    rows = db.session.execute(
        select(
            DocumentDownload.at,
            User.name,
            User.role,
            Document.position,
            Document.description,
            Document.file_name,
            func.count().over().label("total"),
        )
        .join(Document, Document.id == DocumentDownload.document_id)
        .join(User, User.id == DocumentDownload.user_id)
        .where(Document.docket_entry_id == entry_id)
        .order_by(DocumentDownload.at.desc(), DocumentDownload.id.desc())
        .limit(DOWNLOADS_SHOWN)
    ).all()
    return rows, rows[0].total if rows else 0


def entry_numbered(case: Case, number: int, *options) -> DocketEntry | None:
    return db.session.scalar(
        select(DocketEntry)
        .where(DocketEntry.case_id == case.id, DocketEntry.number == number)
        .options(*options)
    )


def entry_page(case: Case, user: User, number: int) -> EntryPage | None:
    """One entry with its documents, its links both ways and its correction history; None
    when the case has no such entry."""
    entry = entry_numbered(
        case, number, selectinload(DocketEntry.filer_attorney), selectinload(DocketEntry.documents)
    )
    if entry is None:
        return None
    if not sees(user, case, entry):
        return EntryPage(row=EntryRow(entry=entry, visible=False), corrections=[])
    links = [
        (link.entry_id, link.target_id, link.relation)
        for link in db.session.scalars(
            select(DocketEntryLink).where(
                or_(DocketEntryLink.entry_id == entry.id, DocketEntryLink.target_id == entry.id)
            )
        )
    ]
    others = {entry.id: entry}
    other_ids = {source for source, _, _ in links} | {target for _, target, _ in links}
    other_ids.discard(entry.id)
    if other_ids:
        others.update(
            (e.id, e)
            for e in db.session.scalars(select(DocketEntry).where(DocketEntry.id.in_(other_ids)))
        )
    numbers, sealed_orders = _orders_named(case, user, entry)
    names = {d.id: d.full_name for d in case_defendants(case)}
    filer = {entry.id: entry.filer_attorney.name if entry.filer_attorney else None}
    documents = {entry.id: list(entry.documents)}
    rows = _rows(case, user, list(others.values()), documents, links, names, filer)
    row = next(r for r in rows if r.entry.id == entry.id)
    excludes = db.session.scalars(
        select(TollingPeriod)
        .where(TollingPeriod.docket_entry_id == entry.id)
        .order_by(TollingPeriod.starts_on, TollingPeriod.id)
    ).all()
    downloads, total = _downloads(entry.id) if sees_sealed(user, case) else ([], 0)
    return EntryPage(
        row=row,
        corrections=_corrections(case.id, numbers, entry.id, sealed_orders),
        excludes=list(excludes),
        downloads=downloads,
        downloads_total=total,
    )


def _orders_named(case: Case, user: User, entry: DocketEntry) -> tuple[dict, frozenset[int]]:
    """The numbers of the orders the entry's corrections name, but for those the viewer
    may not see (their ids, the second value): an order that sealed an entry may itself be
    sealed, and "Order #2" would say what the sealed entry #2 is."""
    order = aliased(DocketEntry)
    rows = db.session.execute(
        select(
            order.id,
            order.number,
            order.sealed,
            order.seal_allows_filer,
            order.filer_party,
            order.defendant_id,
        )
        .join(RecordCorrection, RecordCorrection.order_entry_id == order.id)
        .where(RecordCorrection.docket_entry_id == entry.id)
    ).all()
    viewer, facts = viewer_for(user), case_facts(case, user)
    hidden = frozenset(row.id for row in rows if not sees_entry(viewer, facts, entry_facts(row)))
    numbers = {entry.id: entry.number}
    numbers.update((row.id, row.number) for row in rows if row.id not in hidden)
    return numbers, hidden


# --- downloads ---------------------------------------------------------------------------


def document_with_entry(document_id: int) -> tuple[Document, DocketEntry] | None:
    found = db.session.execute(
        select(Document, DocketEntry)
        .join(DocketEntry, DocketEntry.id == Document.docket_entry_id)
        .where(Document.id == document_id)
    ).first()
    return (found[0], found[1]) if found else None


def log_download(document: Document, user: User, remote_addr: str | None) -> None:
    """The download row, committed before a byte is sent."""
    db.session.add(
        DocumentDownload(
            document_id=document.id, user_id=user.id, remote_addr=(remote_addr or "")[:64] or None
        )
    )
    db.session.commit()
