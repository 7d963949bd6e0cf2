"""Calendar feeds (iCalendar) of hearings: per attorney, judge, courtroom and case behind a
secret token, and a public feed per courtroom. Register with
`app.register_blueprint(docket.feeds.blueprint)`."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint(
    "feeds", __name__, url_prefix="/feeds", static_folder="static", static_url_path="/assets"
)

from docket.feeds import views  # noqa: E402, F401  (the import registers the routes)
