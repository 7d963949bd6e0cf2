"""Configuration: where settings come from, the generated secret key, and bad settings refused."""

import os
import stat

import pytest

from docket import create_app
from docket.config import sqlalchemy_url


@pytest.fixture
def fresh_instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("DOCKET_INSTANCE_PATH", str(folder))
    for name in ("DATABASE_URL", "SECRET_KEY", "COURT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_defaults_use_sqlite_in_the_instance_folder_and_generate_a_private_secret_key(
    fresh_instance,
):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{fresh_instance / 'docket.sqlite'}"
    key_file = fresh_instance / "secret_key"
    assert key_file.read_text() == app.config["SECRET_KEY"]
    assert len(app.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    # The same key on the next start, so sign-ins survive a restart.
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_instance_config_file_then_environment_then_argument(fresh_instance, monkeypatch):
    fresh_instance.mkdir()
    (fresh_instance / "config.py").write_text(
        "COURT_TIMEZONE = 'America/New_York'\nCASES_PER_PAGE = 20\n"
    )
    app = create_app()
    assert app.config["COURT_TIMEZONE"] == "America/New_York"
    assert app.config["CASES_PER_PAGE"] == 20
    monkeypatch.setenv("COURT_TIMEZONE", "America/Denver")
    assert create_app().config["COURT_TIMEZONE"] == "America/Denver"
    assert create_app({"COURT_TIMEZONE": "Pacific/Honolulu"}).config["COURT_TIMEZONE"] == (
        "Pacific/Honolulu"
    )


def test_database_url_from_the_environment_uses_psycopg_3(fresh_instance, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://docket@db.example/docket")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://docket@db.example/docket"
    assert sqlalchemy_url("postgresql://x/y") == "postgresql+psycopg://x/y"
    assert sqlalchemy_url("postgresql+psycopg://x/y") == "postgresql+psycopg://x/y"


def test_an_unknown_time_zone_is_refused_by_name(fresh_instance):
    with pytest.raises(ValueError, match="'Mars/Olympus' is not an IANA time zone"):
        create_app({"COURT_TIMEZONE": "Mars/Olympus"})


def test_sqlite_runs_with_foreign_keys_and_write_ahead_log(app_context):
    from sqlalchemy import text

    from docket.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
