"""The audit log: who changed what, when, and what it was before and after. Append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.user import User


class AuditLogEntry(Base):
    __tablename__ = "audit_log_entry"
    __table_args__ = (
        Index("ix_audit_log_entry_case_at", "case_id", "at"),
        Index("ix_audit_log_entry_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("court_case.id"))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    remote_addr: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship()
