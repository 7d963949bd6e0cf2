"""Continuing, vacating and recording the outcome of a hearing: clerk pages, thin views over
docket/calendar/changes.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from docket.calendar import changes, hearings_blueprint
from docket.calendar.changes import ChangeError
from docket.calendar.forms_changes import ContinueForm, OutcomeForm, VacateForm
from docket.core.outcomes import outcomes_for
from docket.extensions import db
from docket.models import Hearing
from docket.permissions import EDIT, authorize_case, roles_required


def _hearing(hearing_id: int) -> Hearing:
    """The hearing, if it is of a case the clerk may change (404 / 403 otherwise)."""
    hearing = db.session.get(
        Hearing,
        hearing_id,
        options=[selectinload(Hearing.courtroom), selectinload(Hearing.judge)],
    )
    if hearing is None:
        abort(404, description=f"There is no hearing with id {hearing_id}.")
    authorize_case(hearing.case_id, EDIT)
    return hearing


def _refused(form, error: ChangeError) -> None:
    """Put the service's refusal beside its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and field.type != "HiddenField":
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _page(template: str, hearing: Hearing, form, **context):
    if not form.is_submitted():
        form.version.data = str(hearing.version)
    return render_template(template, hearing=hearing, case=hearing.case, form=form, **context)


def _case_page(hearing: Hearing):
    return redirect(url_for("cases.show", case_id=hearing.case_id))


@hearings_blueprint.route("/hearings/<int:hearing_id>/continue", methods=["GET", "POST"])
@roles_required("clerk")
def continue_hearing(hearing_id: int):
    hearing = _hearing(hearing_id)
    plan, categories = changes.excludable_choices(hearing.case)
    form = ContinueForm()
    form.code.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(c.code, f"{c.name} ({c.citation})") for c in categories
    ]
    if not form.is_submitted():
        form.code.data = changes.default_excludable_code(plan) or ""
    if form.validate_on_submit():
        title = changes.hearing_title(hearing)
        try:
            changes.continue_hearing(hearing, form.data, current_user)
        except ChangeError as error:
            _refused(form, error)
        else:
            message = f"Continued {title}."
            if form.excludable.data:
                message += " The excludable period runs from today until the new date."
            if form.next_step.data == "now":
                flash(message + " Choose the new date.", "success")
                return redirect(url_for("hearings.reschedule", hearing_id=hearing.id))
            flash(message + " It awaits a new date.", "success")
            return _case_page(hearing)
    return _page("hearings/continue.html", hearing, form, plan=plan)


@hearings_blueprint.route("/hearings/<int:hearing_id>/vacate", methods=["GET", "POST"])
@roles_required("clerk")
def vacate_hearing(hearing_id: int):
    hearing = _hearing(hearing_id)
    form = VacateForm()
    if form.validate_on_submit():
        title = changes.hearing_title(hearing)
        try:
            changes.vacate_hearing(hearing, form.data, current_user)
        except ChangeError as error:
            _refused(form, error)
        else:
            flash(f"Vacated {title}; it stays in the case's history.", "success")
            return _case_page(hearing)
    return _page("hearings/vacate.html", hearing, form)


@hearings_blueprint.route("/hearings/<int:hearing_id>/outcome", methods=["GET", "POST"])
@roles_required("clerk")
def record_outcome(hearing_id: int):
    hearing = _hearing(hearing_id)
    form = OutcomeForm()
    form.outcome_code.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(code, label) for code, label in outcomes_for(hearing.hearing_type).items()
    ]
    if form.validate_on_submit():
        title = changes.hearing_title(hearing)
        try:
            changes.record_outcome(hearing, form.data, current_user)
        except ChangeError as error:
            _refused(form, error)
        else:
            flash(
                f"Recorded {title} as held: {hearing.outcome_label}. "
                "The case's deadlines are recomputed.",
                "success",
            )
            return _case_page(hearing)
    return _page("hearings/outcome.html", hearing, form, held_on=changes.hearing_date(hearing))
