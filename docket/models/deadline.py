"""Materialized plan results: deadlines, excludable (tolling) periods and flags.

They are rows so that sweeps and reports over a million cases are indexed queries.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from docket.core.vocabulary import FLAG_KINDS, FLAG_SEVERITIES, sql_in
from docket.models.base import Base, UTCDateTime, utcnow

DEADLINE_KINDS = ("stage", "clock", "document")
# The engine's statuses (docket/core/deadlines.py): the row is the result as of `computed_for`;
# the sweep compares due_on with the court's today in SQL.
DEADLINE_STATUSES = ("pending", "met", "met_late", "missed", "not_applicable", "tolled", "stopped")


class Deadline(Base):
    """One plan result for a case (or one defendant of it), recomputed whenever the case's
    events, excludable periods, hearings, filings, track or plan change."""

    __tablename__ = "deadline"
    __table_args__ = (
        CheckConstraint(sql_in("status", DEADLINE_STATUSES), name="status"),
        CheckConstraint(sql_in("kind", DEADLINE_KINDS), name="kind"),
        Index("ix_deadline_case", "case_id"),
        # Plan compliance (issue 8): deadlines of a kind due in a period, from the index alone.
        Index(
            "ix_deadline_kind_due",
            "kind",
            "due_on",
            postgresql_include=["case_id", "item_id", "status", "satisfied_on", "name"],
        ),
        # The sweep (issue 5): each kind of flag is a range over the unmet deadlines of one
        # kind and status (met ones, most rows in time, stay out of it).
        Index(
            "ix_deadline_unmet_kind_status_due",
            "kind",
            "status",
            "due_on",
            sqlite_where=text("status IN ('pending', 'tolled', 'missed')"),
            postgresql_where=text("status IN ('pending', 'tolled', 'missed')"),
        ),
        Index(
            "ix_deadline_pending_due",
            "due_on",
            sqlite_where=text("status IN ('pending', 'tolled')"),
            postgresql_where=text("status IN ('pending', 'tolled')"),
        ),
        # The incremental sweep (migration 0010): the cases recomputed since the last sweep,
        # and the pending deadlines whose warning date or roll-forward crossed a day since.
        Index("ix_deadline_computed_at", "computed_at", "case_id"),
        Index(
            "ix_deadline_pending_warn",
            "warn_on",
            sqlite_where=text("status IN ('pending', 'tolled')"),
            postgresql_where=text("status IN ('pending', 'tolled')"),
        ),
        Index(
            "ix_deadline_pending_rolled",
            "rolled_to",
            sqlite_where=text("status IN ('pending', 'tolled')"),
            postgresql_where=text("status IN ('pending', 'tolled')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    defendant_id: Mapped[int | None] = mapped_column(ForeignKey("defendant.id"))
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    plan_version: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date | None] = mapped_column(Date)
    warn_on: Mapped[date | None] = mapped_column(Date)
    last_countable_day: Mapped[date | None] = mapped_column(Date)
    rolled_to: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    satisfied_on: Mapped[date | None] = mapped_column(Date)
    # Documents (issue 6): the party that owes it, and the docket entry number that met it.
    owed_by: Mapped[str | None] = mapped_column(String(16))
    satisfied_by_entry: Mapped[int | None]
    days_used: Mapped[int | None]
    days_excluded: Mapped[int | None]
    citation: Mapped[str | None] = mapped_column(String(300))
    # Trigger, period, days excluded, roll-forward: what a clerk reads beside the date.
    explanation: Mapped[list] = mapped_column(JSON, default=list)
    excluded_periods: Mapped[list] = mapped_column(JSON, default=list)
    computed_for: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TollingPeriod(Base):
    """An excludable period that stops a speedy-trial clock (18 U.S.C. 3161(h) and state rules)."""

    __tablename__ = "tolling_period"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_tolling_period_case", "case_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    defendant_id: Mapped[int | None] = mapped_column(ForeignKey("defendant.id"))
    code: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    docket_entry_id: Mapped[int | None] = mapped_column(ForeignKey("docket_entry.id"))


class Flag(Base):
    __tablename__ = "flag"
    __table_args__ = (
        CheckConstraint(sql_in("severity", FLAG_SEVERITIES), name="severity"),
        CheckConstraint("resolved_at IS NULL OR resolved_at >= since", name="resolved_after"),
        CheckConstraint(sql_in("kind", FLAG_KINDS), name="kind"),
        Index("ix_flag_case_kind", "case_id", "kind"),
        # One open flag per cause: the sweep inserts what is new and resolves what is gone.
        Index(
            "uq_flag_open_cause",
            "case_id",
            "kind",
            "subject",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
        Index(
            "ix_flag_open",
            "severity",
            "since",
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("court_case.id"))
    defendant_id: Mapped[int | None] = mapped_column(ForeignKey("defendant.id"))
    kind: Mapped[str] = mapped_column(String(40))
    # What the flag is about, unique per case and kind among open flags: "stage:arraignment",
    # "clock:trial:<defendant id>", "hearing:<id>", "document:<requirement id>".
    subject: Mapped[str] = mapped_column(String(120), default="")
    severity: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cause: Mapped[str] = mapped_column(Text)
    # The due date the flag is about, for sorting a work queue by urgency.
    due_on: Mapped[date | None] = mapped_column(Date)
    raised_by_run_id: Mapped[int | None] = mapped_column(ForeignKey("job_run.id"))
    resolved_by_run_id: Mapped[int | None] = mapped_column(ForeignKey("job_run.id"))
