"""Test fixtures. Every test that touches the database runs on SQLite and, when
DOCKET_TEST_POSTGRES_URL is set, on PostgreSQL too (the `app` fixture is parametrized).

The schema is built once per engine by the real Alembic migrations; each test then starts
clean: SQLite copies a fresh file from the migrated template, PostgreSQL truncates.
"""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from docket import create_app
from docket.extensions import db
from tests.isolated_client import IsolatedClient

# Property tests assert behaviour, never speed: no per-example deadline (a shared CI machine
# or a first call into the holidays package must not fail a test). Speed is measured in bench/.
settings.register_profile("docket", deadline=None)
settings.load_profile("docket")

POSTGRES_URL = os.environ.get("DOCKET_TEST_POSTGRES_URL", "")
POSTGRES_SKIP_REASON = (
    "DOCKET_TEST_POSTGRES_URL is not set: PostgreSQL variant skipped "
    "(CI sets it; locally e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)"
)

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    # A cheap hash keeps the suite fast; production uses werkzeug's scrypt default.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "COURT_TIMEZONE": "America/Chicago",
}


def _migrate(url: str, instance: str) -> None:
    from flask_migrate import upgrade

    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("instance")
    os.environ["DOCKET_INSTANCE_PATH"] = str(path)
    return path


@pytest.fixture(scope="session")
def sqlite_template(instance_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
    _migrate(f"sqlite:///{path}", str(instance_dir))
    return path


@pytest.fixture(scope="session")
def postgres_database(instance_dir):
    """A database of our own on the PostgreSQL server, migrated once, dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip(POSTGRES_SKIP_REASON)
    server = make_url(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"docket_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    _migrate(url, str(instance_dir))
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(app) -> None:
    with app.app_context():
        tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The URL of a clean, migrated database on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "docket.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        yield request.getfixturevalue("postgres_database")


@pytest.fixture
def app(database_url):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    # Each request in its own app context, as in production (see tests/isolated_client.py).
    app.test_client_class = IsolatedClient
    yield app
    if database_url.startswith("postgresql"):
        _truncate_all(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def court(app_context):
    """A small court: two judges, two courtrooms, a prosecutor, two defense attorneys,
    accounts for every role, and two cases (see tests/factories.py)."""
    from tests.factories import build_court

    return build_court()


def sign_in(client, email: str, password: str = "correct horse battery"):
    return client.post("/sign-in", data={"email": email, "password": password})
