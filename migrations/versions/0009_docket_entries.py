"""docket entries and documents: numbering, links, corrections, downloads, full-text search

Issue 6. The per-case entry counter (filled from the entries already there), entry links
(response to #12, order resolving #12), the motion subtype and the defendant a defense filing
is for, who may see a sealed entry, attachments' positions, the record's corrections and the
download log; the party that owes a document deadline and the entry that met it; and the
entry text's full-text index: a generated tsvector column with a GIN index on PostgreSQL,
an external-content FTS5 table kept by triggers on SQLite.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 23:50:00

"""

import sqlalchemy as sa
from alembic import op

from docket.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MOTION_SUBTYPES = (
    "suppress",
    "dismiss",
    "continue",
    "compel_discovery",
    "detention",
    "in_limine",
    "sever",
    "change_venue",
    "exclude_time",
    "competency",
    "withdraw_counsel",
    "seal",
    "other",
)
SUBTYPES_IN = ", ".join(f"'{s}'" for s in MOTION_SUBTYPES)


def upgrade():
    op.create_table(
        "docket_counter",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["court_case.id"], name=op.f("fk_docket_counter_case_id_court_case")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_docket_counter")),
    )
    op.execute(
        "INSERT INTO docket_counter (case_id, last_number) "
        "SELECT case_id, MAX(number) FROM docket_entry GROUP BY case_id"
    )
    with op.batch_alter_table("docket_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("defendant_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("subtype", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("seal_allows_filer", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_docket_entry_defendant_id_defendant"),
            "defendant",
            ["defendant_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            "subtype",
            f"subtype IS NULL OR (entry_type = 'motion' AND subtype IN ({SUBTYPES_IN}))",
        )
    op.create_table(
        "docket_entry_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "relation IN ('responds_to', 'replies_to', 'resolves', 'relates_to')",
            name=op.f("ck_docket_entry_link_relation"),
        ),
        sa.CheckConstraint("entry_id <> target_id", name=op.f("ck_docket_entry_link_not_self")),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["docket_entry.id"],
            name=op.f("fk_docket_entry_link_entry_id_docket_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["docket_entry.id"],
            name=op.f("fk_docket_entry_link_target_id_docket_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_docket_entry_link")),
        sa.UniqueConstraint(
            "entry_id",
            "target_id",
            "relation",
            name=op.f("uq_docket_entry_link_entry_id_target_id_relation"),
        ),
    )
    op.create_index("ix_docket_entry_link_target", "docket_entry_link", ["target_id"])
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("description", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("uploaded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_document_uploaded_by_id_user_account"),
            "user_account",
            ["uploaded_by_id"],
            ["id"],
        )
    op.create_table(
        "record_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("docket_entry_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("order_entry_id", sa.Integer(), nullable=True),
        sa.Column("filer_may_see", sa.Boolean(), nullable=True),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "action IN ('strike', 'seal', 'unseal', 'seal_case', 'unseal_case')",
            name=op.f("ck_record_correction_action"),
        ),
        sa.CheckConstraint(
            "(action IN ('seal_case', 'unseal_case')) = (docket_entry_id IS NULL)",
            name=op.f("ck_record_correction_entry_or_case"),
        ),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_record_correction_has_reason")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["court_case.id"], name=op.f("fk_record_correction_case_id_court_case")
        ),
        sa.ForeignKeyConstraint(
            ["docket_entry_id"],
            ["docket_entry.id"],
            name=op.f("fk_record_correction_docket_entry_id_docket_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["order_entry_id"],
            ["docket_entry.id"],
            name=op.f("fk_record_correction_order_entry_id_docket_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["user_account.id"],
            name=op.f("fk_record_correction_by_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_correction")),
    )
    op.create_index("ix_record_correction_case", "record_correction", ["case_id", "id"])
    op.create_index("ix_record_correction_entry", "record_correction", ["docket_entry_id"])
    op.create_table(
        "document_download",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_download_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_document_download_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_download")),
    )
    op.create_index("ix_document_download_document", "document_download", ["document_id", "at"])
    op.create_index("ix_document_download_user", "document_download", ["user_id", "at"])
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owed_by", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("satisfied_by_entry", sa.Integer(), nullable=True))
    # Documents owed before this revision: the plan's filer (the engine writes it from now on).
    op.execute("UPDATE deadline SET owed_by = 'prosecution' WHERE kind = 'document'")

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE docket_entry ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED"
        )
        op.execute("CREATE INDEX ix_docket_entry_search ON docket_entry USING gin (search_vector)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE docket_entry_fts USING fts5("
            "text, content='docket_entry', content_rowid='id', tokenize='porter unicode61')"
        )
        op.execute(
            "CREATE TRIGGER docket_entry_fts_insert AFTER INSERT ON docket_entry BEGIN "
            "INSERT INTO docket_entry_fts (rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER docket_entry_fts_delete AFTER DELETE ON docket_entry BEGIN "
            "INSERT INTO docket_entry_fts (docket_entry_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER docket_entry_fts_update AFTER UPDATE OF text ON docket_entry BEGIN "
            "INSERT INTO docket_entry_fts (docket_entry_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); "
            "INSERT INTO docket_entry_fts (rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute("INSERT INTO docket_entry_fts (docket_entry_fts) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_docket_entry_search")
        op.execute("ALTER TABLE docket_entry DROP COLUMN search_vector")
    else:
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER docket_entry_fts_{suffix}")
        op.execute("DROP TABLE docket_entry_fts")
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_column("satisfied_by_entry")
        batch_op.drop_column("owed_by")
    op.drop_index("ix_document_download_user", table_name="document_download")
    op.drop_index("ix_document_download_document", table_name="document_download")
    op.drop_table("document_download")
    op.drop_index("ix_record_correction_entry", table_name="record_correction")
    op.drop_index("ix_record_correction_case", table_name="record_correction")
    op.drop_table("record_correction")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_document_uploaded_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("uploaded_by_id")
        batch_op.drop_column("description")
        batch_op.drop_column("position")
    op.drop_index("ix_docket_entry_link_target", table_name="docket_entry_link")
    op.drop_table("docket_entry_link")
    with op.batch_alter_table("docket_entry", schema=None) as batch_op:
        batch_op.drop_constraint("subtype", type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_docket_entry_defendant_id_defendant"), type_="foreignkey"
        )
        batch_op.drop_column("seal_allows_filer")
        batch_op.drop_column("subtype")
        batch_op.drop_column("defendant_id")
    op.drop_table("docket_counter")
