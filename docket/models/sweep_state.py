"""What the last sweep saw: the base of the next, incremental one (docket/sweep/service.py).

One row (id 1), written by every sweep in the transaction that brings the flags in line, so
that the open flags always equal the causes as of `swept_for` for every case that has not
changed since `started_at`: the next sweep re-examines only the cases changed since then
(less a margin) and the deadlines and hearings whose dates crossed a threshold between
`swept_for` and its own day.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from docket.models.base import Base, UTCDateTime

SWEEP_MODES = ("full", "incremental")


class SweepState(Base):
    __tablename__ = "sweep_state"
    __table_args__ = (
        CheckConstraint("id = 1", name="one_row"),
        CheckConstraint("mode IN ('full', 'incremental')", name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # The court day the last sweep was for, and the instant it began reading (after its
    # lock): a change stamped later than that, less the margin, is examined again.
    swept_for: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A digest of everything beside the rows that the causes depend on (plans, settings, the
    # court's zone, the sweep's own version): when it differs, the sweep is full.
    settings_digest: Mapped[str | None] = mapped_column(String(64))
    mode: Mapped[str | None] = mapped_column(String(16))
    full_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The open flags after the last sweep, {kind: {severity: count}}: counted by a full sweep,
    # carried forward by an incremental one (+ raised - resolved; only sweeps change flags).
    open_counts: Mapped[dict | None] = mapped_column(JSON)
