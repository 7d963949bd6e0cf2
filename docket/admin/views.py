"""Court administration pages: accounts (created with `docket user create` for now) and the
case-management plan's versions."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from docket.admin.forms import ActivateForm, PlanUploadForm
from docket.core.plan import PlanError
from docket.deadlines import plans as plan_versions
from docket.deadlines import service as deadlines
from docket.extensions import db
from docket.models import PlanVersion, User
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


@blueprint.route("/plans", methods=["GET", "POST"])
@roles_required("admin")
def plans():
    form = PlanUploadForm()
    problems = None
    if form.validate_on_submit():
        upload = form.plan_file.data
        try:
            version = plan_versions.upload(
                upload.filename or "plan.toml", upload.read(), current_user
            )
        except PlanError as error:
            problems = error
        else:
            flash(
                f"Plan {version.plan_id} uploaded and valid. Review what it changes, then "
                "activate it.",
                "success",
            )
            return redirect(url_for("admin.plan_preview", version_id=version.id))
    versions = db.session.scalars(
        select(PlanVersion)
        .options(selectinload(PlanVersion.uploaded_by), selectinload(PlanVersion.activated_by))
        .order_by(PlanVersion.uploaded_at.desc())
    ).all()
    return render_template(
        "admin/plans.html",
        form=form,
        problems=problems,
        versions=versions,
        in_force=deadlines.court_plans(),
    ), (400 if problems else 200)


@blueprint.route("/plans/<int:version_id>")
@roles_required("admin")
def plan_preview(version_id: int):
    version = db.get_or_404(
        PlanVersion, version_id, description=f"There is no uploaded plan version {version_id}."
    )
    result = plan_versions.preview(
        version, current_user, limit=current_app.config["PLAN_PREVIEW_LIMIT"]
    )
    return render_template(
        "admin/plan_preview.html", version=version, preview=result, form=ActivateForm()
    )


@blueprint.route("/plans/<int:version_id>/activate", methods=["POST"])
@roles_required("admin")
def plan_activate(version_id: int):
    version = db.get_or_404(
        PlanVersion, version_id, description=f"There is no uploaded plan version {version_id}."
    )
    if not ActivateForm().validate_on_submit():
        flash("Tick the box to confirm the activation.", "error")
        return redirect(url_for("admin.plan_preview", version_id=version.id))
    try:
        totals = plan_versions.activate(version, current_user)
    except PlanError as error:
        flash(str(error.issues[0].message).capitalize() + ".", "error")
        return redirect(url_for("admin.plan_preview", version_id=version.id))
    flash(
        f"Plan {version.plan_id} is in force; deadlines recomputed for {totals['cases']:,} cases.",
        "success",
    )
    return redirect(url_for("admin.plans"))
