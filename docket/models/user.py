"""Accounts that sign in. A judge's or attorney's account points at their judge or bar record."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from docket.core.vocabulary import ROLES, sql_in
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.court import Attorney, Court, Judge


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(sql_in("role", ROLES), name="role"),
        CheckConstraint("role <> 'judge' OR judge_id IS NOT NULL", name="judge_link"),
        CheckConstraint("role <> 'attorney' OR attorney_id IS NOT NULL", name="attorney_link"),
        CheckConstraint("role = 'attorney' OR court_id IS NOT NULL", name="court_staff"),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    court_id: Mapped[int | None] = mapped_column(ForeignKey("court.id"))
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("judge.id"), unique=True)
    attorney_id: Mapped[int | None] = mapped_column(ForeignKey("attorney.id"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Opted in to the morning email: new flags on their cases and tomorrow's hearings.
    digest_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)

    court: Mapped[Court | None] = relationship()
    judge: Mapped[Judge | None] = relationship()
    attorney: Mapped[Attorney | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
