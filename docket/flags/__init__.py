"""Flags in front of the people who can act on them: the clerk's work queue (/flags/), an
attorney's deadlines (/flags/mine), the judge's dashboard panel, and the morning digest
(/flags/digest to opt in; docket/flags/digest.py composes and sends it).

Register with `app.register_blueprint(docket.flags.blueprint)`.
"""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint(
    "flags", __name__, url_prefix="/flags", static_folder="static", static_url_path="/assets"
)

from docket.flags import views  # noqa: E402, F401  (the import registers the routes)
