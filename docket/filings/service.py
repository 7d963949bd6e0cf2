"""Filing and docketing: numbered entries, their documents and links, and the plan events a
filing sets off; corrections (strike, seal, unseal) that never delete.

One transaction per filing: the next number (from `docket_counter`, under its row lock), the
entry, its documents' metadata, its links, the case events and excludable period it causes,
the audit row and the recomputed deadlines are committed together or not at all, so a
refused or failed filing leaves no entry, no number used and no half-saved record. The
documents' bytes are written (content-addressed, see storage.py) before the commit; a file
left by a failed commit is only ever reached through a committed Document row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from docket import audit
from docket.clock import court_today, court_zone
from docket.core.access import is_current_counsel
from docket.core.uploads import MEDIA_TYPE, UploadRefused, check_pdf
from docket.core.vocabulary import (
    COUNSEL_ENTRY_TYPES,
    COURT_ENTRY_TYPES,
    DOCKET_ENTRY_TYPES,
    MOTION_SUBTYPES,
    PARTY_ENTRY_TYPES,
)
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.filings import storage
from docket.models import (
    Case,
    CaseEvent,
    CounselOfRecord,
    DocketEntry,
    DocketEntryLink,
    Document,
    RecordCorrection,
    TollingPeriod,
    User,
    utcnow,
)
from docket.permissions import sees, visible_entries_clause

MAX_TEXT = 4000

# Entries whose filing is itself a plan event (the clerk need not record it twice).
ENTRY_EVENTS = {
    "motion": "motion_filed",
    "indictment": "indictment_filed",
    "information": "information_filed",
    "superseding_indictment": "superseding_indictment_filed",
}


class FilingError(ValueError):
    """A filing refused for a reason the filer can act on; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Upload:
    data: bytes
    file_name: str
    description: str | None = None
    slot: int | None = None  # the attachment's row on the form, which a refusal names


@dataclass
class Exclusion:
    """An order's exclusion of time from the speedy-trial clock."""

    code: str
    starts_on: date
    ends_on: date | None = None
    defendant_id: int | None = None
    reason: str = ""


@dataclass
class NewEntry:
    entry_type: str
    text: str
    subtype: str | None = None
    responds_to: int | None = None  # docket numbers of the same case
    replies_to: int | None = None
    resolves: tuple[int, ...] = ()
    relates_to: tuple[int, ...] = ()
    uploads: list[Upload] = field(default_factory=list)
    defendant_id: int | None = None  # defense counsel for several defendants: which one
    allow_duplicate: bool = False
    under_seal: bool = False
    seal_reason: str = ""
    exclusion: Exclusion | None = None
    filed_on: date | None = None  # the clerk docketing a paper filing of an earlier day


# --- numbering -----------------------------------------------------------------------------

_NEXT_NUMBER = text(
    "INSERT INTO docket_counter (case_id, last_number) "
    "SELECT :case_id, COALESCE(MAX(number), 0) + 1 FROM docket_entry WHERE case_id = :case_id "
    "ON CONFLICT (case_id) DO UPDATE SET last_number = docket_counter.last_number + 1 "
    "RETURNING last_number"
)


def next_number(case_id: int) -> int:
    """The case's next docket number, taken inside the caller's transaction: the counter row
    stays locked until it commits (PostgreSQL; SQLite has one writer), and a rollback gives
    the number back."""
    return db.session.execute(_NEXT_NUMBER, {"case_id": case_id}).scalar_one()


# --- filing --------------------------------------------------------------------------------


def file_by_counsel(case: Case, user: User, new: NewEntry) -> DocketEntry:
    """Counsel of record file on their own case; the party is the one they represent."""
    if user.role != "attorney" or user.attorney_id is None:
        raise FilingError("Only counsel of record file documents from this form.")
    if new.entry_type not in COUNSEL_ENTRY_TYPES:
        allowed = ", ".join(DOCKET_ENTRY_TYPES[t].lower() for t in COUNSEL_ENTRY_TYPES)
        raise FilingError(
            f"Counsel may file: {allowed}. The clerk's office dockets "
            f"{DOCKET_ENTRY_TYPES.get(new.entry_type, new.entry_type).lower()} entries.",
            "entry_type",
        )
    today = court_today()
    appearances = db.session.execute(
        select(CounselOfRecord).where(
            CounselOfRecord.case_id == case.id, CounselOfRecord.attorney_id == user.attorney_id
        )
    ).scalars()
    current = [
        a for a in appearances if is_current_counsel(((a.appeared_on, a.withdrew_on),), today)
    ]
    if not current:
        raise FilingError("You are not counsel of record in this case today.")
    if new.filed_on is not None:
        raise FilingError("Counsel's filings are dated when they are received.", "filed_on")
    side = current[0].side
    defendant_id = None
    if side == "defense":
        represented = sorted({a.defendant_id for a in current})
        if new.defendant_id is not None:
            if new.defendant_id not in represented:
                raise FilingError(
                    "You do not represent that defendant in this case.", "defendant_id"
                )
            defendant_id = new.defendant_id
        elif len(represented) == 1:
            defendant_id = represented[0]
        else:
            raise FilingError(
                "You represent several defendants here: say for which one you file.",
                "defendant_id",
            )
    if not new.uploads:
        raise FilingError("Attach the document (a PDF) you are filing.", "document")
    if new.resolves:
        raise FilingError("Only the court resolves motions.", "resolves")
    if new.exclusion is not None:
        raise FilingError("Only the court's orders exclude time.", "exclusion")
    return _create(case, user, new, side, user.attorney_id, defendant_id)


def docket_by_clerk(
    case: Case,
    user: User,
    new: NewEntry,
    filer_party: str = "court",
    filer_attorney_id: int | None = None,
) -> DocketEntry:
    """The clerk's office dockets the court's orders and minute entries, and any entry
    received on paper (then naming the party and attorney that filed it)."""
    if user.role != "clerk":
        raise FilingError("Only the clerk's office dockets entries for the court.")
    if new.entry_type not in DOCKET_ENTRY_TYPES:
        raise FilingError(f"{new.entry_type!r} is not a docket entry type.", "entry_type")
    if filer_party not in ("court", "prosecution", "defense"):
        raise FilingError(f"{filer_party!r} is not a party.", "filer_party")
    what = DOCKET_ENTRY_TYPES[new.entry_type].lower()
    what = f"{_article(what).title()} {what}"
    if new.entry_type in COURT_ENTRY_TYPES and filer_party != "court":
        raise FilingError(f"{what} is the court's: choose “The court” as the filer.", "filer_party")
    if new.entry_type in PARTY_ENTRY_TYPES and filer_party == "court":
        raise FilingError(
            f"{what} is a party's filing: choose the party and attorney who filed it.",
            "filer_party",
        )
    defendant_id = new.defendant_id
    if filer_party == "court":
        filer_attorney_id, defendant_id = None, None
    elif filer_attorney_id is not None:
        appearance = db.session.scalar(
            select(CounselOfRecord).where(
                CounselOfRecord.case_id == case.id,
                CounselOfRecord.attorney_id == filer_attorney_id,
                CounselOfRecord.side == filer_party,
            )
        )
        if appearance is None:
            raise FilingError(
                f"That attorney has not appeared for the {filer_party} in this case.",
                "filer_attorney_id",
            )
        if filer_party == "defense" and defendant_id is None:
            defendant_id = appearance.defendant_id
    if new.resolves and new.entry_type not in ("order", "minute_entry", "judgment"):
        raise FilingError("Only an order, minute entry or judgment resolves a motion.", "resolves")
    if new.exclusion is not None and new.entry_type not in ("order", "minute_entry"):
        raise FilingError("Only an order or minute entry excludes time.", "exclusion")
    if new.filed_on is not None:
        if new.filed_on > court_today():
            raise FilingError("An entry cannot be filed in the future.", "filed_on")
        if new.filed_on < case.filed_on and new.entry_type not in ("complaint", "warrant"):
            raise FilingError(
                f"This case was filed on {case.filed_on:%b %-d, %Y}: an entry cannot come before.",
                "filed_on",
            )
    return _create(case, user, new, filer_party, filer_attorney_id, defendant_id)


def _create(
    case: Case,
    user: User,
    new: NewEntry,
    party: str,
    attorney_id: int | None,
    defendant_id: int | None,
) -> DocketEntry:
    body = (new.text or "").strip()
    if not body:
        raise FilingError("Say what is filed: the docket text is empty.", "text")
    if len(body) > MAX_TEXT:
        raise FilingError(f"The docket text is {len(body)} characters; at most {MAX_TEXT}.", "text")
    subtype = None
    if new.entry_type == "motion":
        subtype = new.subtype or "other"
        if subtype not in MOTION_SUBTYPES:
            raise FilingError(f"{subtype!r} is not a kind of motion.", "subtype")
    elif new.subtype:
        raise FilingError("Only a motion has a kind.", "subtype")
    if new.entry_type == "response" and new.responds_to is None:
        raise FilingError("Say which motion this responds to.", "responds_to")
    if new.entry_type == "reply" and new.replies_to is None:
        raise FilingError("Say which response this replies to.", "replies_to")
    links = _links(case, user, new, party)
    checked = _check_uploads(case, user, new)
    if new.under_seal and not (new.seal_reason or "").strip():
        raise FilingError("Say why the entry is filed under seal.", "seal_reason")
    if new.exclusion is not None:
        if new.exclusion.starts_on is None:
            raise FilingError("Give the first day of the excluded period.", "exclusion_starts_on")
        category = deadlines.plan_for(case.filed_on).excludable_category(new.exclusion.code)
        if category is None:
            raise FilingError(
                f"{new.exclusion.code!r} is not an excludable category of this case's plan.",
                "exclusion_code",
            )
        if new.exclusion.ends_on and new.exclusion.ends_on < new.exclusion.starts_on:
            raise FilingError("The excluded period ends before it starts.", "exclusion_ends_on")

    filed_at = (
        datetime.combine(new.filed_on, time(12), court_zone()).astimezone(UTC)
        if new.filed_on
        else utcnow()
    )
    try:
        number = next_number(case.id)
        entry = DocketEntry(
            case_id=case.id,
            number=number,
            filed_at=filed_at,
            filer_party=party,
            filer_attorney_id=attorney_id,
            defendant_id=defendant_id,
            entry_type=new.entry_type,
            subtype=subtype,
            text=body,
            sealed=new.under_seal,
            seal_allows_filer=new.under_seal and party != "court",
            stricken=False,
            created_by_id=user.id,
        )
        db.session.add(entry)
        db.session.flush()
        for position, (upload, pdf) in enumerate(checked):
            sha256 = storage.put(upload.data)
            db.session.add(
                Document(
                    docket_entry_id=entry.id,
                    position=position,
                    description=(upload.description or "").strip()[:200] or None,
                    file_name=pdf.file_name,
                    media_type=MEDIA_TYPE,
                    size_bytes=pdf.size_bytes,
                    sha256=sha256,
                    uploaded_by_id=user.id,
                )
            )
        for relation, target in links:
            db.session.add(
                DocketEntryLink(entry_id=entry.id, target_id=target.id, relation=relation)
            )
        if new.under_seal:
            db.session.add(
                RecordCorrection(
                    case_id=case.id,
                    docket_entry_id=entry.id,
                    action="seal",
                    reason=new.seal_reason.strip(),
                    filer_may_see=entry.seal_allows_filer,
                    by_user_id=user.id,
                )
            )
        _plan_events(case, user, entry, links, new.exclusion)
        db.session.flush()
        audit.record("docket_entry_filed", entry, case_id=case.id, user=user)
        deadlines.recompute_case(case)
        db.session.commit()
    except OperationalError as error:
        db.session.rollback()
        raise FilingError(
            "The docket was busy with another filing and nothing was saved: submit again."
        ) from error
    except BaseException:
        db.session.rollback()
        raise
    return entry


def _links(case: Case, user: User, new: NewEntry, party: str) -> list[tuple[str, DocketEntry]]:
    wanted = [("responds_to", n) for n in ([new.responds_to] if new.responds_to else [])]
    wanted += [("replies_to", n) for n in ([new.replies_to] if new.replies_to else [])]
    wanted += [("resolves", n) for n in new.resolves]
    wanted += [("relates_to", n) for n in new.relates_to]
    if not wanted:
        return []
    numbers = {n for _, n in wanted}
    found = {
        e.number: e
        for e in db.session.scalars(
            select(DocketEntry).where(
                DocketEntry.case_id == case.id, DocketEntry.number.in_(numbers)
            )
        )
    }
    links = []
    for relation, number in wanted:
        target = found.get(number)
        # An entry the filer may not see does not exist for them (its number does).
        if target is None or not sees(user, case, target):
            raise FilingError(
                f"This case has no docket entry #{number} you can refer to.", relation
            )
        if target.stricken:
            raise FilingError(f"Entry #{number} was stricken: it cannot be answered.", relation)
        if relation in ("responds_to", "resolves") and target.entry_type != "motion":
            raise FilingError(f"Entry #{number} is not a motion.", relation)
        if relation == "responds_to" and target.filer_party == party:
            raise FilingError(
                f"Motion #{number} is your own side's: a response answers the other side's.",
                relation,
            )
        if relation == "replies_to" and target.entry_type != "response":
            raise FilingError(f"Entry #{number} is not a response.", relation)
        links.append((relation, target))
    return links


def _check_uploads(case: Case, user: User, new: NewEntry) -> list[tuple[Upload, object]]:
    limit = current_app.config["DOCUMENT_MAX_FILES"]
    if len(new.uploads) > limit:
        raise FilingError(
            f"{len(new.uploads)} files: a filing holds at most {limit} (main document and "
            "attachments).",
            "document",
        )
    max_bytes = current_app.config["DOCUMENT_MAX_BYTES"]
    checked = []
    for index, upload in enumerate(new.uploads):
        try:
            pdf = check_pdf(upload.data, upload.file_name, max_bytes)
        except UploadRefused as refused:
            which = "The document" if index == 0 else f"Attachment {upload.slot or index}"
            where = "document" if index == 0 else "attachments"
            raise FilingError(f"{which}: {refused}", where) from None
        checked.append((upload, pdf))
    hashes = {storage.digest(upload.data): pdf.file_name for upload, pdf in checked}
    if len(hashes) < len(checked):
        raise FilingError("The same file is attached twice to this filing.", "attachments")
    if hashes and not new.allow_duplicate:
        earlier = _earlier_copy(case, user, list(hashes))
        if earlier is not None:
            raise FilingError(
                f"{hashes[earlier.sha256]} is the same file as {earlier.file_name}, already "
                f"filed as entry #{earlier.number} in this case. If you mean to file it again, "
                "tick “File it again” and submit.",
                "allow_duplicate",
            )
    return checked


def _earlier_copy(case: Case, user: User, hashes: list[str]):
    """The first document of the case with one of these digests, among the entries the filer
    may see: pointing out a copy of a sealed document would tell them what it is (the
    bytes are stored once all the same)."""
    return db.session.execute(
        select(DocketEntry.number, Document.file_name, Document.sha256)
        .join(Document, Document.docket_entry_id == DocketEntry.id)
        .join(Case, Case.id == DocketEntry.case_id)
        .where(
            DocketEntry.case_id == case.id,
            Document.sha256.in_(hashes),
            visible_entries_clause(user),
        )
        .order_by(DocketEntry.number)
    ).first()


def _plan_events(
    case: Case,
    user: User,
    entry: DocketEntry,
    links: list[tuple[str, DocketEntry]],
    exclusion: Exclusion | None,
) -> None:
    """The plan events the entry is: a motion filed, an indictment filed, a motion decided
    by an order; an order excluding time adds the excludable period, linked to the entry."""
    on = entry.filed_at.astimezone(court_zone()).date()
    event_type = ENTRY_EVENTS.get(entry.entry_type)
    if event_type:
        db.session.add(
            CaseEvent(
                case_id=case.id,
                defendant_id=entry.defendant_id,
                event_type=event_type,
                occurred_on=on,
                docket_entry_id=entry.id,
                note=f"Docket entry #{entry.number}",
                recorded_by_id=user.id,
            )
        )
    for relation, target in links:
        if relation == "resolves":
            db.session.add(
                CaseEvent(
                    case_id=case.id,
                    defendant_id=target.defendant_id,
                    event_type="motion_decided",
                    occurred_on=on,
                    docket_entry_id=entry.id,
                    note=f"Docket entry #{entry.number} resolves motion #{target.number}",
                    recorded_by_id=user.id,
                )
            )
    if exclusion is not None:
        db.session.add(
            TollingPeriod(
                case_id=case.id,
                defendant_id=exclusion.defendant_id,
                code=exclusion.code,
                starts_on=exclusion.starts_on,
                ends_on=exclusion.ends_on,
                reason=(exclusion.reason or "").strip() or f"Order, docket entry #{entry.number}",
                docket_entry_id=entry.id,
            )
        )


# --- corrections ---------------------------------------------------------------------------


def strike(entry: DocketEntry, reason: str, user: User) -> DocketEntry:
    """The entry stays, marked stricken with the reason; it no longer counts for the plan."""
    _clerk(user)
    reason = _reason(reason, "Say why the entry is stricken.")
    if entry.stricken:
        raise FilingError(f"Entry #{entry.number} is already stricken.")
    entry.stricken = True
    entry.stricken_reason = reason
    return _correct(entry, user, "strike", reason, None, None)


def seal(
    entry: DocketEntry, reason: str, order_number: int | None, filer_may_see: bool, user: User
) -> DocketEntry:
    _clerk(user)
    reason = _reason(reason, "Say why the entry is sealed.")
    if entry.sealed:
        raise FilingError(f"Entry #{entry.number} is already sealed.")
    order = _order(entry.case_id, order_number, entry.number)
    entry.sealed = True
    entry.seal_allows_filer = bool(filer_may_see) and entry.filer_party != "court"
    return _correct(entry, user, "seal", reason, order, entry.seal_allows_filer)


def unseal(entry: DocketEntry, reason: str, order_number: int | None, user: User) -> DocketEntry:
    _clerk(user)
    reason = _reason(reason, "Say why the entry is unsealed.")
    if not entry.sealed:
        raise FilingError(f"Entry #{entry.number} is not sealed.")
    order = _order(entry.case_id, order_number, entry.number)
    entry.sealed = False
    entry.seal_allows_filer = False
    return _correct(entry, user, "unseal", reason, order, None)


def seal_case(case: Case, reason: str, order_number: int | None, user: User) -> Case:
    return _case_seal(case, True, reason, order_number, user)


def unseal_case(case: Case, reason: str, order_number: int | None, user: User) -> Case:
    return _case_seal(case, False, reason, order_number, user)


def _case_seal(case: Case, sealed: bool, reason: str, order_number: int | None, user: User):
    _clerk(user)
    if case.sealed == sealed:
        raise FilingError(f"The case is already {'sealed' if sealed else 'unsealed'}.")
    reason = _reason(reason, f"Say why the case is {'sealed' if sealed else 'unsealed'}.")
    order = _order(case.id, order_number, None)
    before = {"sealed": case.sealed}
    case.sealed = sealed
    db.session.add(
        RecordCorrection(
            case_id=case.id,
            action="seal_case" if sealed else "unseal_case",
            reason=reason,
            order_entry_id=order.id,
            by_user_id=user.id,
        )
    )
    db.session.flush()
    audit.record(
        "case_sealed" if sealed else "case_unsealed",
        case,
        case_id=case.id,
        before=before,
        after={"sealed": sealed, "order": order.number, "reason": reason},
        user=user,
    )
    db.session.commit()
    return case


def _order(case_id: int, number: int | None, entry_number: int | None) -> DocketEntry:
    """The order that authorizes a seal or unseal: an unstricken order of the same case."""
    if not number:
        raise FilingError("Name the order (its docket number) that authorizes this.", "order")
    order = db.session.scalar(
        select(DocketEntry).where(DocketEntry.case_id == case_id, DocketEntry.number == number)
    )
    if order is None:
        raise FilingError(f"This case has no docket entry #{number}.", "order")
    if order.entry_type != "order" or order.stricken:
        what = order.type_label.lower()
        what = "a stricken entry" if order.stricken else f"{_article(what)} {what}"
        raise FilingError(f"Entry #{number} is {what}, not an order of the court.", "order")
    if entry_number is not None and number == entry_number:
        raise FilingError("An entry cannot authorize its own seal.", "order")
    return order


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FilingError(message, "reason")
    return reason


def _correct(entry, user, action, reason, order, filer_may_see):
    db.session.add(
        RecordCorrection(
            case_id=entry.case_id,
            docket_entry_id=entry.id,
            action=action,
            reason=reason,
            order_entry_id=order.id if order is not None else None,
            filer_may_see=filer_may_see,
            by_user_id=user.id,
        )
    )
    db.session.flush()
    audit.record(
        f"docket_entry_{action}",
        entry,
        case_id=entry.case_id,
        after={
            "number": entry.number,
            "action": action,
            "reason": reason,
            "order": order.number if order is not None else None,
        },
        user=user,
    )
    # A stricken entry no longer counts; a sealed motion owes the other side no response.
    deadlines.recompute_case(db.session.get(Case, entry.case_id))
    db.session.commit()
    return entry


def _clerk(user: User) -> None:
    if user.role != "clerk":
        raise FilingError("Only the clerk's office corrects the record.")


def corrections(case_id: int) -> list[RecordCorrection]:
    return db.session.scalars(
        select(RecordCorrection)
        .where(RecordCorrection.case_id == case_id)
        .order_by(RecordCorrection.id)
    ).all()


def entry_count(case_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DocketEntry).where(DocketEntry.case_id == case_id)
    )
