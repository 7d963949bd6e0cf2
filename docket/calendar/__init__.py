"""The court calendar: session templates and sessions, hearing proposals and booking,
continuances, outcomes, calendar views and the batch scheduler.

Two blueprints: `calendar` (/calendar/..., the court's time) and `hearings` (a case's hearings:
/cases/<id>/hearings/..., /hearings/<id>/...). Each view module registers its routes on one of
them; the modules are imported by register() so that their routes exist.
"""

from __future__ import annotations

from flask import Blueprint

calendar_blueprint = Blueprint("calendar", __name__, url_prefix="/calendar")
hearings_blueprint = Blueprint("hearings", __name__)


def register(app) -> None:
    from docket.calendar import (  # noqa: F401  (the imports register the routes)
        views_batch,
        views_board,
        views_changes,
        views_hearings,
        views_sessions,
    )

    app.register_blueprint(calendar_blueprint)
    app.register_blueprint(hearings_blueprint)
