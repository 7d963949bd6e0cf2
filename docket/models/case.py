"""A criminal case and what hangs off it: defendants, charges, counsel of record, events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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
    CASE_STATUSES,
    CASE_TYPES,
    CUSTODY_STATUSES,
    DISPOSITION_TYPES,
    EVENT_TYPES,
    SEVERITY_CLASSES,
    SIDES,
    sql_in,
)
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.court import Attorney, Court, Judge


class Case(Base):
    __tablename__ = "court_case"
    __table_args__ = (
        UniqueConstraint("court_id", "case_number"),
        CheckConstraint(sql_in("status", CASE_STATUSES), name="status"),
        CheckConstraint(sql_in("case_type", CASE_TYPES), name="case_type"),
        CheckConstraint(sql_in("custody_status", CUSTODY_STATUSES), name="custody_status"),
        CheckConstraint(
            f"disposition_type IS NULL OR {sql_in('disposition_type', DISPOSITION_TYPES)}",
            name="disposition_type",
        ),
        CheckConstraint(
            "(status = 'disposed') = "
            "(disposition_type IS NOT NULL AND disposition_date IS NOT NULL)",
            name="disposed_has_disposition",
        ),
        CheckConstraint(
            "disposition_date IS NULL OR disposition_date >= filed_on", name="disposed_after_filed"
        ),
        CheckConstraint("length(case_number) > 0 AND length(caption) > 0", name="named"),
        Index("ix_court_case_court_status_filed", "court_id", "status", "filed_on"),
        Index("ix_court_case_judge_status", "assigned_judge_id", "status"),
        # The incremental sweep (migration 0010): cases changed since the last run.
        Index("ix_court_case_updated_at", "updated_at"),
        Index("ix_court_case_court_filed", "court_id", "filed_on", "id"),
        # The judges' reports (issue 8): the cases of a status in a court, and a court's
        # cases by id for joins, read from the index alone on PostgreSQL (INCLUDE).
        Index(
            "ix_court_case_court_status_disposition",
            "court_id",
            "status",
            "disposition_date",
            postgresql_include=["id", "filed_on", "assigned_judge_id", "track", "case_type"],
        ),
        Index(
            "ix_court_case_court_id",
            "court_id",
            "id",
            postgresql_include=["assigned_judge_id", "track", "case_type", "filed_on"],
        ),
        # Prefix search ("2026-CR-0001…") whatever the server's collation.
        Index(
            "ix_court_case_number_prefix",
            "case_number",
            postgresql_ops={"case_number": "text_pattern_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("court.id"))
    case_number: Mapped[str] = mapped_column(String(40))
    caption: Mapped[str] = mapped_column(String(300))
    case_type: Mapped[str] = mapped_column(String(16))
    filed_on: Mapped[date] = mapped_column(Date)
    track: Mapped[str] = mapped_column(String(40))
    # The judge's complexity designation, which some plans use to place a case on a track.
    designation: Mapped[str | None] = mapped_column(String(40))
    custody_status: Mapped[str] = mapped_column(String(16))
    assigned_judge_id: Mapped[int | None] = mapped_column(ForeignKey("judge.id"))
    status: Mapped[str] = mapped_column(String(16), default="active")
    disposition_type: Mapped[str | None] = mapped_column(String(32))
    disposition_date: Mapped[date | None] = mapped_column(Date)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    court: Mapped[Court] = relationship()
    assigned_judge: Mapped[Judge | None] = relationship()
    defendants: Mapped[list[Defendant]] = relationship(
        back_populates="case", order_by="Defendant.number"
    )
    counsel: Mapped[list[CounselOfRecord]] = relationship(
        back_populates="case", order_by="CounselOfRecord.appeared_on"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="(CaseEvent.occurred_on, CaseEvent.id)"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return CASE_STATUSES[self.status]

    @property
    def custody_label(self) -> str:
        return CUSTODY_STATUSES[self.custody_status]

    @property
    def case_type_label(self) -> str:
        return CASE_TYPES[self.case_type]

    @property
    def disposition_label(self) -> str | None:
        return DISPOSITION_TYPES.get(self.disposition_type) if self.disposition_type else None


class Defendant(Base):
    __tablename__ = "defendant"
    __table_args__ = (
        UniqueConstraint("case_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("length(last_name) > 0", name="named"),
        CheckConstraint("name_key = lower(name_key)", name="name_key_lowercase"),
        Index("ix_defendant_name_key", "name_key", postgresql_ops={"name_key": "text_pattern_ops"}),
        Index("ix_defendant_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    number: Mapped[int] = mapped_column(Integer)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    # "last first middle", lower-cased: the indexed prefix that name search uses.
    name_key: Mapped[str] = mapped_column(String(310))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    interpreter_language: Mapped[str | None] = mapped_column(String(60))

    case: Mapped[Case] = relationship(back_populates="defendants")
    charges: Mapped[list[Charge]] = relationship(
        back_populates="defendant", order_by="Charge.count_number"
    )

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_name, self.middle_name, self.last_name) if part
        )

    @staticmethod
    def make_name_key(last: str, first: str = "", middle: str = "") -> str:
        return " ".join(part.strip().lower() for part in (last, first, middle) if part.strip())


class Charge(Base):
    __tablename__ = "charge"
    __table_args__ = (
        UniqueConstraint("defendant_id", "count_number"),
        CheckConstraint("count_number > 0", name="count_number_positive"),
        CheckConstraint("counts > 0", name="counts_positive"),
        CheckConstraint(sql_in("severity_class", SEVERITY_CLASSES), name="severity_class"),
        CheckConstraint("length(statute) > 0", name="statute_present"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    defendant_id: Mapped[int] = mapped_column(ForeignKey("defendant.id"), index=True)
    count_number: Mapped[int] = mapped_column(Integer)
    statute: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300))
    severity_class: Mapped[str] = mapped_column(String(20))
    counts: Mapped[int] = mapped_column(Integer, default=1)

    defendant: Mapped[Defendant] = relationship(back_populates="charges")

    @property
    def severity_label(self) -> str:
        return SEVERITY_CLASSES[self.severity_class]


class CounselOfRecord(Base):
    """An attorney's appearance in a case. Access follows it: from appearance to withdrawal."""

    __tablename__ = "counsel_of_record"
    __table_args__ = (
        CheckConstraint(sql_in("side", SIDES), name="side"),
        CheckConstraint(
            "(side = 'prosecution' AND defendant_id IS NULL)"
            " OR (side = 'defense' AND defendant_id IS NOT NULL)",
            name="defense_names_defendant",
        ),
        CheckConstraint("withdrew_on IS NULL OR withdrew_on >= appeared_on", name="withdrew_after"),
        Index("ix_counsel_of_record_attorney_case", "attorney_id", "case_id"),
        Index("ix_counsel_of_record_case", "case_id"),
        Index(
            "uq_counsel_of_record_current",
            "case_id",
            "attorney_id",
            unique=True,
            sqlite_where=text("withdrew_on IS NULL"),
            postgresql_where=text("withdrew_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    attorney_id: Mapped[int] = mapped_column(ForeignKey("attorney.id"))
    side: Mapped[str] = mapped_column(String(16))
    defendant_id: Mapped[int | None] = mapped_column(ForeignKey("defendant.id"))
    appeared_on: Mapped[date] = mapped_column(Date)
    withdrew_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="counsel")
    attorney: Mapped[Attorney] = relationship()
    defendant: Mapped[Defendant | None] = relationship()

    @property
    def side_label(self) -> str:
        return SIDES[self.side]


class CaseEvent(Base):
    """Something that happened in a case, in the vocabulary the plans speak (issue 3)."""

    __tablename__ = "case_event"
    __table_args__ = (
        CheckConstraint(sql_in("event_type", EVENT_TYPES), name="event_type"),
        Index("ix_case_event_case_occurred", "case_id", "occurred_on"),
        Index("ix_case_event_type_occurred", "event_type", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    defendant_id: Mapped[int | None] = mapped_column(ForeignKey("defendant.id"))
    event_type: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column(Date)
    docket_entry_id: Mapped[int | None] = mapped_column(ForeignKey("docket_entry.id"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    defendant: Mapped[Defendant | None] = relationship()

    @property
    def event_label(self) -> str:
        return EVENT_TYPES[self.event_type]
