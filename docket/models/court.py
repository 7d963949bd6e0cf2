"""The court and its standing people and places: judges, courtrooms, the bar."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docket.core.vocabulary import ATTORNEY_OFFICES, sql_in
from docket.models.base import Base


class Court(Base):
    __tablename__ = "court"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(300))

    judges: Mapped[list[Judge]] = relationship(back_populates="court", order_by="Judge.name")
    courtrooms: Mapped[list[Courtroom]] = relationship(
        back_populates="court", order_by="Courtroom.name"
    )


class Judge(Base):
    __tablename__ = "judge"
    __table_args__ = (UniqueConstraint("court_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    court: Mapped[Court] = relationship(back_populates="judges")

    @property
    def display_name(self) -> str:
        return f"Hon. {self.name}"


class Courtroom(Base):
    __tablename__ = "courtroom"
    __table_args__ = (UniqueConstraint("court_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    name: Mapped[str] = mapped_column(String(50))
    building: Mapped[str | None] = mapped_column(String(200))

    court: Mapped[Court] = relationship(back_populates="courtrooms")


class Attorney(Base):
    """A member of the bar. Attorneys practise before many courts, so they belong to none."""

    __tablename__ = "attorney"
    __table_args__ = (CheckConstraint(sql_in("office", ATTORNEY_OFFICES), name="office"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bar_number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    office: Mapped[str] = mapped_column(String(20))
    organization: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))

    @property
    def office_label(self) -> str:
        return ATTORNEY_OFFICES[self.office]
