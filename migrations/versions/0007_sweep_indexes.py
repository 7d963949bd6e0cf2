"""sweep indexes

Indexes for the nightly sweep of issue 5 (docket/sweep/service.py), found with EXPLAIN
(ANALYZE) and EXPLAIN QUERY PLAN over the 1,000,000-case bench (bench/sweep.py,
bench/README.md, "The sweep"):

- ix_hearing_scheduled_case_type: "is a hearing of this type scheduled for the case by the
  stage's due date?" as an index-only probe (partial: scheduled hearings only).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 22:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hearing_scheduled_case_type",
            ["case_id", "hearing_type", "starts_at"],
            unique=False,
            sqlite_where=sa.text("status = 'scheduled'"),
            postgresql_where=sa.text("status = 'scheduled'"),
        )


def downgrade():
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_hearing_scheduled_case_type",
            sqlite_where=sa.text("status = 'scheduled'"),
            postgresql_where=sa.text("status = 'scheduled'"),
        )
