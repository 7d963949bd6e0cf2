"""report indexes

Indexes for the judges' reports of issue 8 (docket/reports/service.py), found with EXPLAIN
(ANALYZE, BUFFERS) over the 1,000,000-case bench (bench/reports.py, bench/README.md). On
PostgreSQL the INCLUDE columns let the reports read these indexes alone (index-only scans)
instead of the wide tables; SQLite builds the same indexes without them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 22:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("court_case", schema=None) as batch_op:
        batch_op.create_index(
            "ix_court_case_court_status_disposition",
            ["court_id", "status", "disposition_date"],
            unique=False,
            postgresql_include=["id", "filed_on", "assigned_judge_id", "track", "case_type"],
        )
        batch_op.create_index(
            "ix_court_case_court_id",
            ["court_id", "id"],
            unique=False,
            postgresql_include=["assigned_judge_id", "track", "case_type", "filed_on"],
        )
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deadline_kind_due",
            ["kind", "due_on"],
            unique=False,
            postgresql_include=["case_id", "item_id", "status", "satisfied_on", "name"],
        )
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hearing_held_trials",
            ["case_id", "starts_at"],
            unique=False,
            sqlite_where=sa.text("hearing_type = 'trial' AND status = 'held'"),
            postgresql_where=sa.text("hearing_type = 'trial' AND status = 'held'"),
        )
    with op.batch_alter_table("hearing_setting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hearing_setting_starts",
            ["starts_at"],
            unique=False,
            postgresql_include=[
                "case_id",
                "hearing_type",
                "ended",
                "continuance_requester",
                "continuance_reason",
            ],
        )


def downgrade():
    with op.batch_alter_table("hearing_setting", schema=None) as batch_op:
        batch_op.drop_index("ix_hearing_setting_starts")
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_hearing_held_trials",
            sqlite_where=sa.text("hearing_type = 'trial' AND status = 'held'"),
            postgresql_where=sa.text("hearing_type = 'trial' AND status = 'held'"),
        )
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index("ix_deadline_kind_due")
    with op.batch_alter_table("court_case", schema=None) as batch_op:
        batch_op.drop_index("ix_court_case_court_id")
        batch_op.drop_index("ix_court_case_court_status_disposition")
