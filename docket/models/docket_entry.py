"""The official record: numbered docket entries and the documents filed with them.

Entries are never deleted: they are stricken or sealed, and stay in the record; every
correction is a row of `record_correction`, and every download a row of `document_download`.
The entry text is searchable by the database's full-text search (a generated tsvector column
on PostgreSQL, an FTS5 table on SQLite); both are made by migration 0009, not by the models.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docket.core.vocabulary import (
    DOCKET_ENTRY_TYPES,
    ENTRY_LINKS,
    FILER_PARTIES,
    MOTION_SUBTYPES,
    RECORD_CORRECTIONS,
    sql_in,
)
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.court import Attorney


class DocketEntry(Base):
    __tablename__ = "docket_entry"
    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint(sql_in("entry_type", DOCKET_ENTRY_TYPES), name="entry_type"),
        CheckConstraint(sql_in("filer_party", FILER_PARTIES), name="filer_party"),
        CheckConstraint("NOT stricken OR stricken_reason IS NOT NULL", name="stricken_has_reason"),
        CheckConstraint(
            f"subtype IS NULL OR (entry_type = 'motion' AND {sql_in('subtype', MOTION_SUBTYPES)})",
            name="subtype",
        ),
        Index("ix_docket_entry_filer_filed", "filer_attorney_id", "filed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    number: Mapped[int] = mapped_column(Integer)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filer_party: Mapped[str] = mapped_column(String(16))
    filer_attorney_id: Mapped[int | None] = mapped_column(ForeignKey("attorney.id"))
    # The defendant on whose behalf defense counsel filed (the "filing party" of a sealed entry).
    defendant_id: Mapped[int | None] = mapped_column(ForeignKey("defendant.id"))
    entry_type: Mapped[str] = mapped_column(String(40))
    subtype: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The seal order lets the filing party (its counsel of record) still see the entry.
    seal_allows_filer: Mapped[bool] = mapped_column(Boolean, default=False)
    stricken: Mapped[bool] = mapped_column(Boolean, default=False)
    stricken_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    filer_attorney: Mapped[Attorney | None] = relationship()
    documents: Mapped[list[Document]] = relationship(
        back_populates="docket_entry", order_by="Document.position"
    )

    @property
    def type_label(self) -> str:
        return DOCKET_ENTRY_TYPES[self.entry_type]

    @property
    def subtype_label(self) -> str | None:
        return MOTION_SUBTYPES.get(self.subtype) if self.subtype else None


class DocketCounter(Base):
    """The last entry number of a case: one upsert per filing takes the next number under
    the row's lock, so that two filings at once get consecutive numbers and a rolled-back
    filing gives its number back (no gaps). Kept apart from the case row, whose version
    column guards clerks' edits and must not move on every filing."""

    __tablename__ = "docket_counter"

    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class DocketEntryLink(Base):
    """Entry `entry_id` refers to entry `target_id` of the same case (a response to #12)."""

    __tablename__ = "docket_entry_link"
    __table_args__ = (
        UniqueConstraint("entry_id", "target_id", "relation"),
        CheckConstraint(sql_in("relation", ENTRY_LINKS), name="relation"),
        CheckConstraint("entry_id <> target_id", name="not_self"),
        Index("ix_docket_entry_link_target", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("docket_entry.id"))
    target_id: Mapped[int] = mapped_column(ForeignKey("docket_entry.id"))
    relation: Mapped[str] = mapped_column(String(16))


class Document(Base):
    """A filed file's metadata; the bytes live under instance/documents/ by SHA-256.
    Position 0 is the main document, 1.. the attachments."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint("size_bytes >= 0", name="size_nonnegative"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        Index("ix_document_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    docket_entry_id: Mapped[int] = mapped_column(ForeignKey("docket_entry.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    docket_entry: Mapped[DocketEntry] = relationship(back_populates="documents")


class RecordCorrection(Base):
    """A strike, seal or unseal of an entry, or a seal or unseal of a whole case: the record's
    own history (who, when, why, and the order that authorizes a seal)."""

    __tablename__ = "record_correction"
    __table_args__ = (
        CheckConstraint(sql_in("action", RECORD_CORRECTIONS), name="action"),
        CheckConstraint(
            "(action IN ('seal_case', 'unseal_case')) = (docket_entry_id IS NULL)",
            name="entry_or_case",
        ),
        CheckConstraint("length(reason) > 0", name="has_reason"),
        Index("ix_record_correction_case", "case_id", "id"),
        Index("ix_record_correction_entry", "docket_entry_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    docket_entry_id: Mapped[int | None] = mapped_column(ForeignKey("docket_entry.id"))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    # The order (an entry of the same case) that authorizes a seal or unseal.
    order_entry_id: Mapped[int | None] = mapped_column(ForeignKey("docket_entry.id"))
    filer_may_see: Mapped[bool | None] = mapped_column(Boolean)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def action_label(self) -> str:
        return RECORD_CORRECTIONS[self.action]


class DocumentDownload(Base):
    """Every download of a filed document: who, when, which one (authorized before serving)."""

    __tablename__ = "document_download"
    __table_args__ = (
        Index("ix_document_download_document", "document_id", "at"),
        Index("ix_document_download_user", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
