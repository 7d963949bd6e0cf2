"""sweep: incremental

The nightly sweep (issue 5, docket/sweep/service.py) examines only the cases that changed
since the last sweep and the dates that crossed a threshold since its day:

- sweep_state: one row, what the last sweep saw (its day, when it began reading, the digest
  of plans and settings, the open flags by kind and severity), written in the transaction
  that brings the flags in line.
- "changed since": ix_deadline_computed_at (every recompute stamps a case's rows),
  ix_hearing_updated_at, ix_court_case_updated_at.
- "crossed a threshold": ix_deadline_pending_warn and ix_deadline_pending_rolled (beside
  ix_deadline_pending_due, over the same pending rows), ix_hearing_scheduled_ends (hearings
  still scheduled that ended since).

Found with EXPLAIN (ANALYZE) and EXPLAIN QUERY PLAN over the 1,000,000-case bench
(bench/sweep.py; bench/README.md, "The sweep").

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 23:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PENDING = "status IN ('pending', 'tolled')"
SCHEDULED = "status = 'scheduled'"


def upgrade():
    op.create_table(
        "sweep_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("swept_for", sa.Date(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("settings_digest", sa.String(length=64), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=True),
        sa.Column("full_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("open_counts", sa.JSON(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_sweep_state_one_row")),
        sa.CheckConstraint("mode IN ('full', 'incremental')", name=op.f("ck_sweep_state_mode")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sweep_state")),
    )
    op.create_index("ix_deadline_computed_at", "deadline", ["computed_at", "case_id"])
    op.create_index(
        "ix_deadline_pending_warn",
        "deadline",
        ["warn_on"],
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )
    op.create_index(
        "ix_deadline_pending_rolled",
        "deadline",
        ["rolled_to"],
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )
    op.create_index("ix_hearing_updated_at", "hearing", ["updated_at", "case_id"])
    op.create_index(
        "ix_hearing_scheduled_ends",
        "hearing",
        ["ends_at", "case_id"],
        sqlite_where=sa.text(SCHEDULED),
        postgresql_where=sa.text(SCHEDULED),
    )
    op.create_index("ix_court_case_updated_at", "court_case", ["updated_at"])


def downgrade():
    op.drop_index("ix_court_case_updated_at", table_name="court_case")
    op.drop_index("ix_hearing_scheduled_ends", table_name="hearing")
    op.drop_index("ix_hearing_updated_at", table_name="hearing")
    op.drop_index("ix_deadline_pending_rolled", table_name="deadline")
    op.drop_index("ix_deadline_pending_warn", table_name="deadline")
    op.drop_index("ix_deadline_computed_at", table_name="deadline")
    op.drop_table("sweep_state")
