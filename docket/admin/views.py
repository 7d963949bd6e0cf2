"""Court administration pages. Accounts are created with `docket user create` for now."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from docket.extensions import db
from docket.models import User
from docket.permissions import roles_required

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.route("/users")
@roles_required("admin")
def users():
    accounts = db.session.scalars(
        select(User)
        .where(or_(User.court_id == current_user.court_id, User.role == "attorney"))
        .options(selectinload(User.judge), selectinload(User.attorney))
        .order_by(User.role, User.name)
    ).all()
    return render_template("admin/users.html", users=accounts)
