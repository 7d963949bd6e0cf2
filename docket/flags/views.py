"""The work queue, an attorney's deadlines and the digest preference: thin views over
docket/flags/queries.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from docket import audit
from docket.extensions import db
from docket.flags import blueprint, queries
from docket.flags.forms import DigestForm, QueueFilterForm
from docket.models import Judge

ATTORNEY_REFUSAL = (
    "The work queue lists every case of the court, so it is for court staff. Your own "
    "deadlines and documents due are under My deadlines."
)


@blueprint.app_context_processor
def flag_panels() -> dict:
    """`flags_panel()` for the dashboards (templates call it only where they show it)."""

    def flags_panel():
        if not current_user.is_authenticated:
            return None
        return queries.dashboard_panel(current_user)

    return {"flags_panel": flags_panel}


def _per_page() -> int:
    return int(current_app.config.get("FLAGS_PER_PAGE", 50))


@blueprint.route("/")
@login_required
def queue():
    if current_user.role == "attorney":
        abort(403, description=ATTORNEY_REFUSAL)
    judges = db.session.scalars(
        select(Judge).where(Judge.court_id == current_user.court_id).order_by(Judge.name)
    ).all()
    form = QueueFilterForm(request.args)
    form.set_judges(judges)
    form.validate()
    # A filter that is not one of the choices is named beside its field and left out.
    judge_id = int(form.judge.data) if form.judge.data and not form.judge.errors else None
    kind = form.kind.data if form.kind.data and not form.kind.errors else None
    severity = form.severity.data if form.severity.data and not form.severity.errors else None
    page = max(request.args.get("page", 1, type=int), 1)
    results = queries.work_queue(
        current_user,
        judge_id=judge_id,
        kind=kind,
        severity=severity,
        page=page,
        per_page=_per_page(),
    )
    filters = {
        "judge": judge_id or "",
        "kind": kind or "",
        "severity": severity or "",
    }
    return render_template("flags/queue.html", form=form, results=results, filters=filters)


@blueprint.route("/mine")
@login_required
def mine():
    if current_user.role == "judge":
        return redirect(url_for("flags.queue", judge=current_user.judge_id))
    if current_user.role != "attorney":
        return redirect(url_for("flags.queue"))
    page = max(request.args.get("page", 1, type=int), 1)
    results = queries.attorney_flags(current_user, page=page, per_page=_per_page())
    return render_template("flags/mine.html", results=results)


@blueprint.route("/digest", methods=["GET", "POST"])
@login_required
def digest_preferences():
    form = DigestForm(data={"opt_in": current_user.digest_opt_in})
    if request.method == "POST":
        form = DigestForm()
        if form.validate_on_submit():
            account = current_user._get_current_object()
            before = {"digest_opt_in": account.digest_opt_in}
            account.digest_opt_in = bool(form.opt_in.data)
            audit.record(
                "user.digest_preference",
                account,
                case_id=None,
                before=before,
                after={"digest_opt_in": account.digest_opt_in},
            )
            db.session.commit()
            if account.digest_opt_in:
                flash(f"You will receive the morning digest at {current_user.email}.", "success")
            else:
                flash("You will no longer receive the morning digest.", "success")
            return redirect(url_for("flags.digest_preferences"))
    return render_template(
        "flags/digest.html",
        form=form,
        send_at=current_app.config.get("DIGEST_AT", "06:30"),
        mail_enabled=current_app.config.get("MAIL_ENABLED", False),
    )
