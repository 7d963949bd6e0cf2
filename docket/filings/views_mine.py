"""An attorney's "my filings" and "due from me": thin views over docket/filings/mine.py."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from docket.filings import blueprint, mine
from docket.permissions import roles_required


@blueprint.route("/filings/mine", endpoint="mine")
@roles_required("attorney")
def mine_view():
    page = max(request.args.get("page", 1, type=int), 1)
    results = mine.my_filings(
        current_user, page=page, per_page=current_app.config["DOCKET_ENTRIES_PER_SEARCH"]
    )
    return render_template("filings/mine.html", results=results)


@blueprint.route("/filings/due")
@roles_required("attorney")
def due():
    return render_template(
        "filings/due.html", due=mine.due_from_me(current_user), recent_days=mine.RECENTLY_MET_DAYS
    )
