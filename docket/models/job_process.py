"""A heartbeat row per job process (are jobs running at all?), and a row per run of a daily job:
the unique (job, run_date) row is what makes each night's sweep run exactly once, whatever
the number of job processes or hosts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docket.core.vocabulary import sql_in
from docket.models.base import Base, UTCDateTime


class JobProcess(Base):
    __tablename__ = "job_process"
    __table_args__ = (UniqueConstraint("host", "pid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


JOB_RUN_STATUSES = ("running", "succeeded", "failed")


class JobRun(Base):
    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("job", "run_date"),
        CheckConstraint(sql_in("status", JOB_RUN_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    # The court day the run is for (a nightly job's date), in the court's calendar.
    run_date: Mapped[date] = mapped_column(Date)
    trigger: Mapped[str] = mapped_column(String(16), default="schedule")  # schedule | manual
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    flags_raised: Mapped[int] = mapped_column(Integer, default=0)
    flags_resolved: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
