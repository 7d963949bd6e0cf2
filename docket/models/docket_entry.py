"""The official record: numbered docket entries and the documents filed with them.

Entries are never deleted: they are stricken or sealed, and stay in the record.
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

from docket.core.vocabulary import DOCKET_ENTRY_TYPES, FILER_PARTIES, sql_in
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
        Index("ix_docket_entry_filer_filed", "filer_attorney_id", "filed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    number: Mapped[int] = mapped_column(Integer)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filer_party: Mapped[str] = mapped_column(String(16))
    filer_attorney_id: Mapped[int | None] = mapped_column(ForeignKey("attorney.id"))
    entry_type: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    stricken: Mapped[bool] = mapped_column(Boolean, default=False)
    stricken_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    filer_attorney: Mapped[Attorney | None] = relationship()
    documents: Mapped[list[Document]] = relationship(back_populates="docket_entry")

    @property
    def type_label(self) -> str:
        return DOCKET_ENTRY_TYPES[self.entry_type]


class Document(Base):
    """A filed file's metadata; the bytes live under instance/documents/ by SHA-256."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint("size_bytes >= 0", name="size_nonnegative"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        Index("ix_document_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    docket_entry_id: Mapped[int] = mapped_column(ForeignKey("docket_entry.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    docket_entry: Mapped[DocketEntry] = relationship(back_populates="documents")
