"""Session templates, exceptions and the one-by-one edit of a session. Clerks and
administrators change them; judges may read the lists."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from docket.calendar import calendar_blueprint as blueprint
from docket.calendar import sessions as service
from docket.calendar.forms_sessions import ConfirmForm, ExceptionForm, SessionForm, TemplateForm
from docket.calendar.sessions import SessionError
from docket.clock import court_today
from docket.core.vocabulary import HEARING_TYPES
from docket.extensions import db
from docket.models import CalendarSession, SessionException, SessionTemplate
from docket.permissions import roles_required

MANAGERS = ("clerk", "admin")
READERS = ("clerk", "admin", "judge")


def _refused(form, error: SessionError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _own(model, object_id: int):
    """A row of the signed-in user's court, or 404 (another court's rows do not exist here)."""
    row = db.session.get(model, object_id)
    if row is None or row.court_id != current_user.court_id:
        abort(404, description=f"There is no such {model.__tablename__.replace('_', ' ')}.")
    return row


def _people_choices(form, blank: str | None = None) -> None:
    court_id = current_user.court_id
    lead = [SelectChoice("", blank)] if blank else [SelectChoice("", "Choose…")]
    form.judge_id.choices = lead + [
        SelectChoice(str(j.id), j.display_name) for j in service.court_judges(court_id)
    ]
    form.courtroom_id.choices = lead + [
        SelectChoice(str(r.id), f"Courtroom {r.name}") for r in service.court_courtrooms(court_id)
    ]


def _shape_data(form) -> dict:
    return {
        "judge_id": form.judge_id.data,
        "courtroom_id": form.courtroom_id.data,
        "start_minute": form.start_time.data,
        "end_minute": form.end_time.data,
        "slot_minutes": form.slot_minutes.data,
        "capacity": form.capacity.data,
        "hearing_types": form.hearing_types.data,
    }


def _template_data(form) -> dict:
    return {
        **_shape_data(form),
        "name": form.name.data,
        "weekdays": form.weekdays.data,
        "valid_from": form.valid_from.data,
        "valid_until": form.valid_until.data,
    }


def _flash_summary(summary: service.Summary, what: str) -> None:
    flash(f"{what}: {summary.headline()}.", "success")
    problems = summary.not_updated + summary.edited_left_open
    if summary.hearings_on_closed:
        listed = "; ".join(summary.hearings_on_closed[:5])
        more = len(summary.hearings_on_closed) - 5
        flash(
            f"Scheduled hearings on closed sessions need continuing: {listed}"
            + (f" and {more} more." if more > 0 else "."),
            "error",
        )
    if problems:
        more = len(problems) - 5
        flash(
            "Left as they were: "
            + "; ".join(problems[:5])
            + (f" and {more} more." if more > 0 else "."),
            "error",
        )


# --- templates -------------------------------------------------------------------------------


@blueprint.route("/templates")
@roles_required(*READERS)
def templates():
    today = court_today()
    court = service.court_of(current_user.court_id)
    upcoming = service.upcoming_sessions(court.id, today, today + timedelta(days=13))
    return render_template(
        "calendar/sessions/templates.html",
        templates=service.list_templates(court.id),
        upcoming=upcoming,
        zone=ZoneInfo(court.time_zone),
        materialize_form=ConfirmForm(),
        horizon=service.horizon(today),
        may_change=current_user.role in MANAGERS,
        days_text=service.days_text,
        clock_text=service.clock_text,
        hearing_types=HEARING_TYPES,
    )


@blueprint.route("/templates/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_template():
    form = TemplateForm()
    _people_choices(form)
    if request.method == "GET":
        form.valid_from.data = court_today()
        form.start_time.data = 9 * 60
        form.end_time.data = 12 * 60
    if form.validate_on_submit():
        try:
            template = service.create_template(
                current_user.court_id, _template_data(form), current_user
            )
        except SessionError as error:
            _refused(form, error)
        else:
            flash(f"Template “{template.name}” saved.", "success")
            _materialize_horizon("Sessions made")
            return redirect(url_for("calendar.templates"))
    return render_template(
        "calendar/sessions/template_form.html", form=form, template=None, toggle_form=None
    )


@blueprint.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_template(template_id: int):
    template = _own(SessionTemplate, template_id)
    form = TemplateForm(obj=template if request.method == "GET" else None)
    _people_choices(form)
    if request.method == "GET":
        form.judge_id.data = str(template.judge_id)
        form.courtroom_id.data = str(template.courtroom_id)
        form.start_time.data = template.start_minute
        form.end_time.data = template.end_minute
        form.version.data = str(template.version)
    if form.validate_on_submit():
        try:
            service.update_template(
                template, _template_data(form), current_user, version=form.version.data
            )
        except SessionError as error:
            _refused(form, error)
        else:
            flash(f"Template “{template.name}” saved.", "success")
            _materialize_horizon("Sessions brought up to date")
            return redirect(url_for("calendar.templates"))
    toggle = ConfirmForm(formdata=None)
    toggle.version.data = str(template.version)
    return render_template(
        "calendar/sessions/template_form.html", form=form, template=template, toggle_form=toggle
    )


@blueprint.route("/templates/<int:template_id>/active", methods=["POST"])
@roles_required(*MANAGERS)
def toggle_template(template_id: int):
    template = _own(SessionTemplate, template_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form was incomplete.")
    active = request.form.get("active") == "1"
    try:
        service.set_template_active(template, active, current_user, version=form.version.data)
    except SessionError as error:
        flash(str(error), "error")
        return redirect(url_for("calendar.edit_template", template_id=template.id))
    word = "reactivated" if active else "deactivated"
    flash(f"Template “{template.name}” {word}.", "success")
    _materialize_horizon("Sessions brought up to date")
    return redirect(url_for("calendar.templates"))


def _materialize_horizon(what: str) -> None:
    start, end = service.horizon()
    summary = service.materialize(current_user.court_id, start, end, user=current_user)
    _flash_summary(summary, what)


@blueprint.route("/materialize", methods=["POST"])
@roles_required(*MANAGERS)
def materialize():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form was incomplete.")
    start, end = service.horizon()
    _materialize_horizon(f"Sessions {start:%b} {start.day} to {end:%b} {end.day}, {end.year}")
    return redirect(url_for("calendar.templates"))


# --- exceptions ------------------------------------------------------------------------------


@blueprint.route("/exceptions", methods=["GET", "POST"])
@roles_required(*READERS)
def exceptions():
    form = ExceptionForm()
    _people_choices(form, blank="—")
    may_change = current_user.role in MANAGERS
    if request.method == "POST":
        if not may_change:
            abort(403, description="This page is for the clerk's office and court administrators.")
        if form.validate_on_submit():
            try:
                exception, summary = service.add_exception(
                    current_user.court_id, form.data, current_user
                )
            except SessionError as error:
                _refused(form, error)
            else:
                flash(
                    f"{exception.kind_label} {exception.starts_on:%b} {exception.starts_on.day}"
                    f" to {exception.ends_on:%b} {exception.ends_on.day} recorded: "
                    f"{summary.closed} session(s) closed.",
                    "success",
                )
                if summary.hearings_on_closed or summary.edited_left_open:
                    _flash_summary(summary, "Sessions")
                return redirect(url_for("calendar.exceptions"))
    today = court_today()
    return render_template(
        "calendar/sessions/exceptions.html",
        form=form,
        exceptions=service.list_exceptions(current_user.court_id, today),
        remove_form=ConfirmForm(formdata=None),
        may_change=may_change,
    )


@blueprint.route("/exceptions/<int:exception_id>/remove", methods=["POST"])
@roles_required(*MANAGERS)
def remove_exception(exception_id: int):
    exception = _own(SessionException, exception_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form was incomplete.")
    label = exception.kind_label
    summary = service.remove_exception(exception, current_user)
    flash(f"{label} removed: {summary.reopened} session(s) reopened.", "success")
    return redirect(url_for("calendar.exceptions"))


# --- one session -----------------------------------------------------------------------------


@blueprint.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_session(session_id: int):
    row = _own(CalendarSession, session_id)
    zone = ZoneInfo(service.court_of(row.court_id).time_zone)
    form = SessionForm(obj=row if request.method == "GET" else None)
    _people_choices(form)
    if request.method == "GET":
        form.judge_id.data = str(row.judge_id)
        form.courtroom_id.data = str(row.courtroom_id)
        form.start_time.data = service.local_minute(row.starts_at, zone)
        form.end_time.data = service.local_minute(row.ends_at, zone) or 1440
        form.version.data = str(row.version)
    if form.validate_on_submit():
        data = {
            **_shape_data(form),
            "status": form.status.data,
            "closed_reason": form.closed_reason.data,
        }
        try:
            result = service.edit_session(row, data, current_user, version=form.version.data)
        except SessionError as error:
            _refused(form, error)
        else:
            flash("Session saved; materializing leaves it as you set it.", "success")
            if result.hearings_on_closed:
                flash(
                    "The session is closed with hearings scheduled; continue them: "
                    + "; ".join(result.hearings_on_closed),
                    "error",
                )
            return redirect(url_for("calendar.edit_session", session_id=row.id))
    return render_template(
        "calendar/sessions/session_form.html",
        form=form,
        row=row,
        booked=service.booked_in(row.id, current_user),
        zone=zone,
        hearing_types=HEARING_TYPES,
    )
