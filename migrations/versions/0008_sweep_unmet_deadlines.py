"""sweep: unmet deadlines by kind and status

The nightly sweep (issue 5, docket/sweep/service.py) reads, per kind of flag, the unmet
deadlines of one kind and status in a due-date range: a partial index over the unmet rows
only (pending, tolled, missed), found with EXPLAIN QUERY PLAN and EXPLAIN (ANALYZE) over the
1,000,000-case bench (bench/sweep.py; bench/README.md, "The sweep"). Without it SQLite reads
each kind's whole range of ix_deadline_kind_due and fetches every row to test its status.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 22:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UNMET = "status IN ('pending', 'tolled', 'missed')"


def upgrade():
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deadline_unmet_kind_status_due",
            ["kind", "status", "due_on"],
            unique=False,
            sqlite_where=sa.text(UNMET),
            postgresql_where=sa.text(UNMET),
        )


def downgrade():
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_deadline_unmet_kind_status_due",
            sqlite_where=sa.text(UNMET),
            postgresql_where=sa.text(UNMET),
        )
