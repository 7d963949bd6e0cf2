"""The nightly sweep (flags for the cases that are slipping) and the record of its runs.

service.py  the set-based sweep; runs.py  exactly-once runs, misfire catch-up, manual runs;
views.py    the administrators' page of runs (blueprint `sweep`, /admin/runs);
commands.py `docket sweep`.
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("sweep", __name__)


def register(app) -> None:
    from docket.sweep import views  # noqa: F401  (the import registers the routes)

    app.register_blueprint(blueprint)
