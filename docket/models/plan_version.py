"""Case-management plan versions uploaded by an administrator (the files in PLAN_FILES are the
built-in versions). A version is validated when uploaded, previewed, then activated."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docket.core.vocabulary import sql_in
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.user import User

PLAN_VERSION_STATUSES = ("uploaded", "active", "withdrawn")


class PlanVersion(Base):
    __tablename__ = "plan_version"
    __table_args__ = (
        CheckConstraint(sql_in("status", PLAN_VERSION_STATUSES), name="status"),
        CheckConstraint("status <> 'active' OR activated_at IS NOT NULL", name="activated"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(300))
    effective: Mapped[date] = mapped_column(Date)
    file_name: Mapped[str] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="uploaded")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    activated_by: Mapped[User | None] = relationship(foreign_keys=[activated_by_id])
