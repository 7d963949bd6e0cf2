"""Each role's landing page. Thin for now: the work queues arrive with the sweep (issue 5)."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from docket.dashboard import service
from docket.filings.mine import due_count

blueprint = Blueprint("dashboard", __name__)


@blueprint.route("/")
@login_required
def home():
    return render_template(
        f"dashboard/{current_user.role}.html",
        summary=service.summary(current_user),
        due_from_me=due_count(current_user),
    )
