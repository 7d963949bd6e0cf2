"""The court's time: session templates and their exceptions, the calendar sessions they make
(a judge's and a courtroom's block of time), hearings placed in a session's numbered slots,
each hearing's history of settings, and counsel's notices of unavailability."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docket.core.vocabulary import (
    CONTINUANCE_REASONS,
    CONTINUANCE_REQUESTERS,
    HEARING_OUTCOMES,
    HEARING_STATUSES,
    HEARING_TYPES,
    SESSION_EXCEPTION_KINDS,
    SESSION_STATUSES,
    sql_in,
)
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.case import Case
from docket.models.court import Attorney, Courtroom, Judge
from docket.models.user import User


class SessionTemplate(Base):
    """A recurring session: "Mondays 9:00-12:00, Courtroom 3A, Judge Okafor, arraignments,
    40 slots". Times are local wall-clock minutes after midnight in the court's zone."""

    __tablename__ = "session_template"
    __table_args__ = (
        CheckConstraint("end_minute > start_minute", name="ends_after_start"),
        CheckConstraint("start_minute >= 0 AND end_minute <= 1440", name="within_day"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        CheckConstraint(
            "valid_until IS NULL OR valid_until >= valid_from", name="valid_until_after_from"
        ),
        Index("ix_session_template_court", "court_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    name: Mapped[str] = mapped_column(String(120))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id"))
    courtroom_id: Mapped[int] = mapped_column(ForeignKey("courtroom.id"))
    # ISO weekdays, Monday = 1 .. Sunday = 7.
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    hearing_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    judge: Mapped[Judge] = relationship()
    courtroom: Mapped[Courtroom] = relationship()

    __mapper_args__ = {"version_id_col": version}


class SessionException(Base):
    """A date range when sessions do not sit: a judge away, a courtroom closed, the court
    closed (beyond the plan's holidays and closures, which close sessions by themselves)."""

    __tablename__ = "session_exception"
    __table_args__ = (
        CheckConstraint(sql_in("kind", SESSION_EXCEPTION_KINDS), name="kind"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("kind <> 'judge_away' OR judge_id IS NOT NULL", name="judge_named"),
        CheckConstraint(
            "kind <> 'courtroom_closed' OR courtroom_id IS NOT NULL", name="courtroom_named"
        ),
        Index("ix_session_exception_court_dates", "court_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    kind: Mapped[str] = mapped_column(String(20))
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("judge.id"))
    courtroom_id: Mapped[int | None] = mapped_column(ForeignKey("courtroom.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    judge: Mapped[Judge | None] = relationship()
    courtroom: Mapped[Courtroom | None] = relationship()

    @property
    def kind_label(self) -> str:
        return SESSION_EXCEPTION_KINDS[self.kind]


class CalendarSession(Base):
    """One sitting: a judge in a courtroom from starts_at to ends_at, taking some hearing
    types, with `capacity` numbered slots. Slot k starts at starts_at + (k // per_time) *
    slot_minutes (docket/core/scheduling.py), so a 40-case call fills 9:00, 9:15, ... in turn."""

    __tablename__ = "calendar_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        CheckConstraint(sql_in("status", SESSION_STATUSES), name="status"),
        # Materialization is idempotent: one session per template and day.
        UniqueConstraint("template_id", "session_date"),
        Index("ix_calendar_session_courtroom_starts", "courtroom_id", "starts_at"),
        Index("ix_calendar_session_judge_starts", "judge_id", "starts_at"),
        Index("ix_calendar_session_court_date", "court_id", "session_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id"))
    courtroom_id: Mapped[int] = mapped_column(ForeignKey("courtroom.id"))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("session_template.id"))
    name: Mapped[str | None] = mapped_column(String(120))
    session_date: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hearing_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    status: Mapped[str] = mapped_column(String(8), default="open")
    closed_reason: Mapped[str | None] = mapped_column(Text)
    # Edited one by one: materializing the template again leaves it as the clerk set it.
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    judge: Mapped[Judge] = relationship()
    courtroom: Mapped[Courtroom] = relationship()
    template: Mapped[SessionTemplate | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class Hearing(Base):
    """A hearing keeps its identity (and its calendar-feed UID) when continued to a new date;
    each date it was set for is a HearingSetting row."""

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
            "continuance_reason IS NULL OR " + sql_in("continuance_reason", CONTINUANCE_REASONS),
            name="continuance_reason",
        ),
        CheckConstraint(
            "outcome_code IS NULL OR " + sql_in("outcome_code", HEARING_OUTCOMES),
            name="outcome_code",
        ),
        CheckConstraint(
            "status <> 'continued' OR continuance_requester IS NOT NULL",
            name="continuance_has_requester",
        ),
        CheckConstraint("slot IS NULL OR slot >= 0", name="slot_not_negative"),
        CheckConstraint("setting_count > 0", name="setting_count_positive"),
        Index("ix_hearing_case_starts", "case_id", "starts_at"),
        # The incremental sweep (migration 0010): hearings changed, and scheduled hearings
        # that ended, since the last run.
        Index("ix_hearing_updated_at", "updated_at", "case_id"),
        Index(
            "ix_hearing_scheduled_ends",
            "ends_at",
            "case_id",
            sqlite_where=text("status = 'scheduled'"),
            postgresql_where=text("status = 'scheduled'"),
        ),
        Index("ix_hearing_courtroom_starts", "courtroom_id", "starts_at"),
        Index("ix_hearing_judge_starts", "judge_id", "starts_at"),
        Index("ix_hearing_session", "calendar_session_id"),
        Index("ix_hearing_status_starts", "status", "starts_at"),
        # The sweep's "unscheduled" (issue 5): is a hearing of this type set for the case by
        # a date? An index-only probe per pending stage.
        Index(
            "ix_hearing_scheduled_case_type",
            "case_id",
            "hearing_type",
            "starts_at",
            sqlite_where=text("status = 'scheduled'"),
            postgresql_where=text("status = 'scheduled'"),
        ),
        # Trial date certainty (issue 8): each case's held trials, a small partial index.
        Index(
            "ix_hearing_held_trials",
            "case_id",
            "starts_at",
            sqlite_where=text("hearing_type = 'trial' AND status = 'held'"),
            postgresql_where=text("hearing_type = 'trial' AND status = 'held'"),
        ),
        # The database's own guard against double-booking: one scheduled hearing per slot.
        # Two clerks taking the last slot at once: the second insert or update fails here.
        Index(
            "uq_hearing_session_slot",
            "calendar_session_id",
            "slot",
            unique=True,
            sqlite_where=text("status = 'scheduled'"),
            postgresql_where=text("status = 'scheduled'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    hearing_type: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    courtroom_id: Mapped[int] = mapped_column(ForeignKey("courtroom.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id"))
    calendar_session_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_session.id"))
    slot: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    # The minute note (free text) and the outcome from the court's list.
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_code: Mapped[str | None] = mapped_column(String(40))
    continuance_requester: Mapped[str | None] = mapped_column(String(16))
    continuance_reason: Mapped[str | None] = mapped_column(String(40))
    # Language of the interpreter the hearing needs (from the defendants), if any.
    interpreter_language: Mapped[str | None] = mapped_column(String(60))
    # How many dates the hearing has been set for (1 = never continued).
    setting_count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic lock: a clerk's change to a hearing someone else just changed is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    case: Mapped[Case] = relationship()
    courtroom: Mapped[Courtroom] = relationship()
    judge: Mapped[Judge] = relationship()
    session: Mapped[CalendarSession | None] = relationship()
    settings: Mapped[list[HearingSetting]] = relationship(
        back_populates="hearing", order_by="HearingSetting.number"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def type_label(self) -> str:
        return HEARING_TYPES[self.hearing_type]

    @property
    def status_label(self) -> str:
        return HEARING_STATUSES[self.status]

    @property
    def outcome_label(self) -> str | None:
        return HEARING_OUTCOMES.get(self.outcome_code) if self.outcome_code else None

    @property
    def continuance_reason_label(self) -> str | None:
        if not self.continuance_reason:
            return None
        return CONTINUANCE_REASONS.get(self.continuance_reason)


HEARING_SETTING_ENDINGS = ("continued", "vacated", "held")


class HearingSetting(Base):
    """One date a hearing was set for, and how that setting ended: the history a clerk reads
    and the count trial-date certainty (CourTools Measure 5) is made from."""

    __tablename__ = "hearing_setting"
    __table_args__ = (
        UniqueConstraint("hearing_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint(
            "ended IS NULL OR " + sql_in("ended", HEARING_SETTING_ENDINGS), name="ended"
        ),
        CheckConstraint(
            "continuance_requester IS NULL OR "
            + sql_in("continuance_requester", CONTINUANCE_REQUESTERS),
            name="continuance_requester",
        ),
        CheckConstraint(
            "continuance_reason IS NULL OR " + sql_in("continuance_reason", CONTINUANCE_REASONS),
            name="continuance_reason",
        ),
        Index("ix_hearing_setting_case_type", "case_id", "hearing_type"),
        # Continuance rates (issue 8): settings in a period, from the index alone.
        Index(
            "ix_hearing_setting_starts",
            "starts_at",
            postgresql_include=[
                "case_id",
                "hearing_type",
                "ended",
                "continuance_requester",
                "continuance_reason",
            ],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing.id"))
    # Denormalized from the hearing so that reports count settings per case in one index.
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    hearing_type: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    courtroom_id: Mapped[int] = mapped_column(ForeignKey("courtroom.id"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("judge.id"))
    calendar_session_id: Mapped[int | None] = mapped_column(ForeignKey("calendar_session.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Soft conflicts the clerk overrode when setting it, and why (also in the audit log).
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden: Mapped[list] = mapped_column(JSON, default=list)
    ended: Mapped[str | None] = mapped_column(String(16))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    continuance_requester: Mapped[str | None] = mapped_column(String(16))
    continuance_reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    # The judge found the delay excludable: the period it added to the speedy-trial clock.
    tolling_period_id: Mapped[int | None] = mapped_column(ForeignKey("tolling_period.id"))

    hearing: Mapped[Hearing] = relationship(back_populates="settings")
    courtroom: Mapped[Courtroom] = relationship()
    judge: Mapped[Judge] = relationship()
    set_by: Mapped[User | None] = relationship(foreign_keys=[set_by_id])


class Unavailability(Base):
    """A notice of unavailability ("vacation letter"): filed once by counsel, it applies to
    every one of their cases. Withdrawn notices stay, marked withdrawn."""

    __tablename__ = "attorney_unavailability"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        Index("ix_attorney_unavailability_attorney", "attorney_id", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attorney_id: Mapped[int] = mapped_column(ForeignKey("attorney.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attorney: Mapped[Attorney] = relationship()


class Interpreter(Base):
    """A court interpreter on staff: a hearing that needs a language competes for them."""

    __tablename__ = "interpreter"
    __table_args__ = (Index("ix_interpreter_court_language", "court_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
