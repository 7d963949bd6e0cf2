"""An attorney's own view of the docket: what they filed ("my filings") and the documents due
from their side on their current cases ("due from me").

Both read only the cases the attorney may see today (the one access rule, as SQL), in a
constant number of queries whatever the number of entries or deadlines: my filings is one
query for the page, one for its documents and one for what is not shown; due from me is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy import case as sql_case

from docket.clock import court_today
from docket.core.vocabulary import entry_type_label
from docket.extensions import db
from docket.models import Case, CounselOfRecord, Deadline, DocketEntry, Document, User
from docket.permissions import current_on, visible_cases_clause, visible_entries_clause

# Documents met this many days ago or fewer stay on "due from me", with the entry that met them.
RECENTLY_MET_DAYS = 30
# At most this many rows on "due from me" (the earliest due first); the page says if cut.
DUE_LIMIT = 500
OPEN_STATUSES = ("pending", "missed")
MET_STATUSES = ("met", "met_late")


# --- my filings ----------------------------------------------------------------------------


@dataclass
class FiledDocument:
    id: int
    position: int
    description: str | None
    file_name: str
    size_bytes: int


@dataclass
class FiledEntry:
    id: int
    case_id: int
    number: int
    filed_at: datetime
    entry_type: str
    subtype: str | None
    text: str
    stricken: bool
    stricken_reason: str | None
    sealed: bool
    # False: sealed from the attorney too (the seal order did not let the filer see it); the
    # page then shows the number, the date and "SEALED", nothing else.
    visible: bool
    case_number: str
    caption: str
    documents: list[FiledDocument] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return entry_type_label(self.entry_type, self.subtype)


@dataclass
class FilingsPage:
    rows: list[FiledEntry]
    page: int
    per_page: int
    has_next: bool
    # The attorney's filings in cases they may no longer see: withdrawn (or never current),
    # and sealed cases.
    not_shown_withdrawn: int = 0
    not_shown_sealed: int = 0


def my_filings(user: User, *, page: int = 1, per_page: int = 50) -> FilingsPage:
    """The entries `user` filed as counsel, newest first, in the cases they may see today.
    Three queries whatever the page."""
    page = max(page, 1)
    if user.role != "attorney" or user.attorney_id is None:
        return FilingsPage(rows=[], page=page, per_page=per_page, has_next=False)
    visible = sql_case((visible_entries_clause(user), True), else_=False).label("visible")
    query = (
        select(
            DocketEntry.id,
            DocketEntry.case_id,
            DocketEntry.number,
            DocketEntry.filed_at,
            DocketEntry.entry_type,
            DocketEntry.subtype,
            DocketEntry.text,
            DocketEntry.stricken,
            DocketEntry.stricken_reason,
            DocketEntry.sealed,
            visible,
            Case.case_number,
            Case.caption,
        )
        .join(Case, Case.id == DocketEntry.case_id)
        .where(DocketEntry.filer_attorney_id == user.attorney_id, visible_cases_clause(user))
        .order_by(DocketEntry.filed_at.desc(), DocketEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = [FiledEntry(**row._asdict()) for row in db.session.execute(query)]
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    for row in rows:
        if not row.visible:  # never handed to the template
            row.entry_type, row.subtype, row.text, row.stricken_reason = "", None, "", None
    shown = {row.id: row for row in rows if row.visible}
    if shown:
        documents = db.session.execute(
            select(
                Document.docket_entry_id,
                Document.id,
                Document.position,
                Document.description,
                Document.file_name,
                Document.size_bytes,
            )
            .where(Document.docket_entry_id.in_(list(shown)))
            .order_by(Document.docket_entry_id, Document.position)
        )
        for document in documents:
            values = document._asdict()
            shown[values.pop("docket_entry_id")].documents.append(FiledDocument(**values))
    # Counsel file only where they appeared (the filing service checks it), so the filings
    # not shown are in the cases of their appearances they may no longer see: a few cases,
    # rather than every filing of theirs read again.
    appeared = select(CounselOfRecord.case_id).where(
        CounselOfRecord.attorney_id == user.attorney_id
    )
    hidden = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(sql_case((Case.sealed.is_(True), 1), else_=0)), 0),
        )
        .select_from(DocketEntry)
        .join(Case, Case.id == DocketEntry.case_id)
        .where(
            DocketEntry.filer_attorney_id == user.attorney_id,
            Case.id.in_(appeared),
            not_(visible_cases_clause(user)),
        )
    ).one()
    total_hidden, sealed_hidden = int(hidden[0]), int(hidden[1])
    return FilingsPage(
        rows=rows,
        page=page,
        per_page=per_page,
        has_next=has_next,
        not_shown_withdrawn=total_hidden - sealed_hidden,
        not_shown_sealed=sealed_hidden,
    )


# --- due from me ---------------------------------------------------------------------------


@dataclass
class DueRow:
    id: int
    case_id: int
    case_number: str
    caption: str
    name: str
    item_id: str
    owed_by: str
    due_on: date | None
    status: str
    satisfied_on: date | None
    satisfied_by_entry: int | None
    explanation: list
    citation: str | None
    today: date

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        """Still owed and past its date (a row computed before its date still says pending)."""
        return self.is_open and self.due_on is not None and self.due_on < self.today

    @property
    def days_left(self) -> int | None:
        if not self.is_open or self.due_on is None:
            return None
        return (self.due_on - self.today).days

    @property
    def status_label(self) -> str:
        if self.overdue:
            return "Overdue"
        return {
            "pending": "Due",
            "missed": "Overdue",
            "met": "Filed",
            "met_late": "Filed late",
        }.get(self.status, self.status.replace("_", " "))


@dataclass
class DueList:
    open: list[DueRow]
    met: list[DueRow]
    today: date
    truncated: bool = False

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.open if row.overdue)


def owed_by_me(user: User, today: date):
    """Document deadlines owed by the side `user` appears for today, in that case: the
    prosecution's are every prosecutor's of record; the defense's, the counsel of the
    defendant they are for (or of any defendant, when the deadline names none)."""
    return exists().where(
        CounselOfRecord.case_id == Deadline.case_id,
        CounselOfRecord.attorney_id == user.attorney_id,
        CounselOfRecord.side == Deadline.owed_by,
        current_on(today),
        or_(
            CounselOfRecord.side == "prosecution",
            Deadline.defendant_id.is_(None),
            CounselOfRecord.defendant_id == Deadline.defendant_id,
        ),
    )


def _due_filter(user: User, today: date, *, with_met: bool):
    # A requirement whose trigger has not happened yet has no date: nothing is due yet.
    still_owed = and_(Deadline.status.in_(OPEN_STATUSES), Deadline.due_on.is_not(None))
    if with_met:
        recently_met = and_(
            Deadline.status.in_(MET_STATUSES),
            Deadline.satisfied_on >= today - timedelta(days=RECENTLY_MET_DAYS),
        )
        still_owed = or_(still_owed, recently_met)
    return and_(
        Deadline.kind == "document",
        still_owed,
        owed_by_me(user, today),
        visible_cases_clause(user),
    )


def due_from_me(user: User, *, limit: int = DUE_LIMIT) -> DueList:
    """Documents due from the attorney's side on their current cases, the earliest due first
    (so the overdue ones lead), then those filed in the last 30 days, the latest first.
    Requirements not yet triggered (no due date) are left out. One query."""
    today = court_today()
    if user.role != "attorney" or user.attorney_id is None:
        return DueList(open=[], met=[], today=today)
    is_met = sql_case((Deadline.status.in_(MET_STATUSES), 1), else_=0)
    query = (
        select(
            Deadline.id,
            Deadline.case_id,
            Case.case_number,
            Case.caption,
            Deadline.name,
            Deadline.item_id,
            Deadline.owed_by,
            Deadline.due_on,
            Deadline.status,
            Deadline.satisfied_on,
            Deadline.satisfied_by_entry,
            Deadline.explanation,
            Deadline.citation,
        )
        .join(Case, Case.id == Deadline.case_id)
        .where(_due_filter(user, today, with_met=True))
        .order_by(
            is_met,
            Deadline.due_on.asc().nulls_last(),
            Deadline.satisfied_on.desc(),
            Case.case_number,
            Deadline.id,
        )
        .limit(limit + 1)
    )
    rows = [DueRow(**row._asdict(), today=today) for row in db.session.execute(query)]
    truncated = len(rows) > limit
    rows = rows[:limit]
    met = sorted(
        (row for row in rows if not row.is_open),
        key=lambda row: (row.satisfied_on or date.min, row.id),
        reverse=True,
    )
    return DueList(
        open=[row for row in rows if row.is_open], met=met, today=today, truncated=truncated
    )


def due_count(user: User) -> int | None:
    """How many documents are still owed by the attorney's side (the dashboard's figure);
    None for other roles. One query."""
    if user.role != "attorney" or user.attorney_id is None:
        return None
    today = court_today()
    return db.session.scalar(
        select(func.count())
        .select_from(Deadline)
        .join(Case, Case.id == Deadline.case_id)
        .where(_due_filter(user, today, with_met=False))
    )
