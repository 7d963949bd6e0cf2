"""Upgrading a database that holds a court's data: every migration after the first must carry
the rows over (SQLite rebuilds tables in batch mode, which fails on rows other tables refer to
unless foreign keys are off for the migration; an upgrade that stops halfway leaves a database
no version of Docket can open)."""

from __future__ import annotations

import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from docket import create_app
from docket.extensions import db
from tests.conftest import POSTGRES_SKIP_REASON, POSTGRES_URL, TEST_CONFIG

ROWS = """
INSERT INTO court (id, code, name, time_zone)
  VALUES (1, 'CIR1', 'First Circuit', 'America/Chicago');
INSERT INTO judge (id, court_id, name, active) VALUES (1, 1, 'Adaeze Okafor', true);
INSERT INTO user_account (id, email, name, password_hash, role, court_id, active, created_at)
  VALUES (1, 'clerk@cir1.test', 'Clerk', 'x', 'clerk', 1, true, '2026-01-05 15:00:00+00');
INSERT INTO audit_log_entry (id, at, user_id, action, entity_type, entity_id)
  VALUES (1, '2026-01-05 15:01:00+00', 1, 'case_opened', 'court_case', 1);
"""


def _upgrade_with_rows(url: str) -> None:
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            for statement in ROWS.split(";"):
                if statement.strip():
                    connection.execute(text(statement))
        upgrade()
        with db.engine.connect() as connection:
            heads = connection.execute(text("SELECT version_num FROM alembic_version")).all()
            users = connection.execute(
                text("SELECT email, digest_opt_in FROM user_account")
            ).all()
            audit = connection.execute(text("SELECT user_id, action FROM audit_log_entry")).all()
        db.engine.dispose()
    assert len(heads) == 1 and heads[0][0] >= "0005"
    assert [(email, bool(opt_in)) for email, opt_in in users] == [("clerk@cir1.test", False)]
    assert audit == [(1, "case_opened")]


def test_sqlite_database_with_rows_upgrades_to_the_head(tmp_path):
    path = tmp_path / "old.sqlite"
    _upgrade_with_rows(f"sqlite:///{path}")
    # Foreign keys are on again for the application afterwards.
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_postgresql_database_with_rows_upgrades_to_the_head():
    if not POSTGRES_URL:
        pytest.skip(POSTGRES_SKIP_REASON)
    server = make_url(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"docket_migrate_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _upgrade_with_rows(server.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
