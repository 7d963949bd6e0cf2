"""Search (every signed-in role): one box, cases and docket entries. Thin over search.py."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Optional

from docket.filings import blueprint
from docket.filings import search as searching


class SearchForm(FlaskForm):
    """A GET form (bookmarkable results): no CSRF token. The length and the words are
    checked by the search itself, which says what is wrong above the results."""

    class Meta:
        csrf = False

    q = StringField(
        "Search",
        validators=[Optional()],
        description=(
            "A case number or its beginning, a defendant's or attorney's name, a bar number, "
            'or words of a docket entry: "exact phrase", -exclude, or.'
        ),
    )


@blueprint.route("/search")
@login_required
def search():
    form = SearchForm(request.args)
    q = form.q.data or ""
    results = None
    if "q" in request.args:
        results = searching.search(
            current_user, q, limit=current_app.config["DOCKET_ENTRIES_PER_SEARCH"]
        )
    return render_template("filings/search.html", form=form, results=results)
