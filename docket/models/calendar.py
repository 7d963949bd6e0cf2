"""The court's time: calendar sessions (a judge's and a courtroom's block) and hearings on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docket.core.vocabulary import CONTINUANCE_REQUESTERS, HEARING_STATUSES, HEARING_TYPES, sql_in
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.case import Case
from docket.models.court import Courtroom, Judge


class CalendarSession(Base):
    __tablename__ = "calendar_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        Index("ix_calendar_session_courtroom_starts", "courtroom_id", "starts_at"),
        Index("ix_calendar_session_judge_starts", "judge_id", "starts_at"),
        Index("ix_calendar_session_court_date", "court_id", "session_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id"))
    courtroom_id: Mapped[int] = mapped_column(ForeignKey("courtroom.id"))
    session_date: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hearing_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer)

    judge: Mapped[Judge] = relationship()
    courtroom: Mapped[Courtroom] = relationship()


class Hearing(Base):
    __tablename__ = "hearing"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(sql_in("status", HEARING_STATUSES), name="status"),
        CheckConstraint(sql_in("hearing_type", HEARING_TYPES), name="hearing_type"),
        CheckConstraint(
            "continuance_requester IS NULL OR "
            + sql_in("continuance_requester", CONTINUANCE_REQUESTERS),
            name="continuance_requester",
        ),
        CheckConstraint(
            "status <> 'continued' OR continuance_requester IS NOT NULL",
            name="continuance_has_requester",
        ),
        Index("ix_hearing_case_starts", "case_id", "starts_at"),
        Index("ix_hearing_courtroom_starts", "courtroom_id", "starts_at"),
        Index("ix_hearing_judge_starts", "judge_id", "starts_at"),
        Index("ix_hearing_session", "calendar_session_id"),
        Index("ix_hearing_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    hearing_type: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    courtroom_id: Mapped[int] = mapped_column(ForeignKey("courtroom.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id"))
    calendar_session_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_session.id"))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    outcome: Mapped[str | None] = mapped_column(Text)
    continuance_requester: Mapped[str | None] = mapped_column(String(16))
    continuance_reason: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic lock: a clerk's change to a hearing someone else just changed is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    case: Mapped[Case] = relationship()
    courtroom: Mapped[Courtroom] = relationship()
    judge: Mapped[Judge] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def type_label(self) -> str:
        return HEARING_TYPES[self.hearing_type]

    @property
    def status_label(self) -> str:
        return HEARING_STATUSES[self.status]
