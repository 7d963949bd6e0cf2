"""Docket: court docket and scheduling for criminal case flow.

`create_app()` builds the web application; jobs run in their own process (`docket jobs run`).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from docket import config as config_module

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    instance = config_module.instance_path()
    app = Flask(
        "docket",
        instance_path=str(instance),
        instance_relative_config=True,
        root_path=str(ROOT),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config_module.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    for name, kind in config_module.ENV_SETTINGS.items():
        if name in os.environ:
            app.config[name] = kind(os.environ[name])
    if config:
        app.config.update(config)

    database_url = app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'docket.sqlite'}"
    app.config["DATABASE_URL"] = database_url
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", config_module.sqlalchemy_url(database_url))
    if database_url.startswith("sqlite"):
        instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.load_secret_key(instance)
    config_module.check(app.config)
    # Uploads: every file of a filing at its limit, plus the form; a larger request is
    # refused before it is read (413, with a page that says the limit).
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = (
            app.config["DOCUMENT_MAX_BYTES"] * app.config["DOCUMENT_MAX_FILES"] + 1024 * 1024
        )

    _init_extensions(app)
    _register_blueprints(app)
    from docket import web

    web.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: write-ahead log for concurrent readers, foreign keys enforced, wait on locks."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # Prefix searches are on normalised keys; a case-sensitive LIKE can use their indexes.
        cursor.execute("PRAGMA case_sensitive_like=ON")
        cursor.close()


def _init_extensions(app: Flask) -> None:
    from docket import models  # noqa: F401  (every table on the metadata)
    from docket.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"


def _register_blueprints(app: Flask) -> None:
    from docket.admin.views import blueprint as admin
    from docket.auth.views import blueprint as auth
    from docket.cases.views import blueprint as cases
    from docket.dashboard.views import blueprint as dashboard

    for blueprint in (auth, dashboard, cases, admin):
        app.register_blueprint(blueprint)

    from docket.calendar import register as register_calendar

    register_calendar(app)

    from docket.feeds import blueprint as feeds

    app.register_blueprint(feeds)

    from docket.reports import blueprint as reports

    app.register_blueprint(reports)

    from docket.flags import blueprint as flags

    app.register_blueprint(flags)

    from docket.filings import blueprint as filings

    app.register_blueprint(filings)

    from docket.sweep import register as register_sweep

    register_sweep(app)
