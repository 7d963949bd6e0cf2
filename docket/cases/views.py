"""Case pages: thin views that parse a form, call the service, and render."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from docket.cases import service
from docket.cases.forms import (
    CaseForm,
    CaseSearchForm,
    ChargeForm,
    CounselForm,
    DefendantForm,
    EventForm,
    ExcludableForm,
    TrackForm,
    WithdrawCounselForm,
)
from docket.cases.service import CaseError
from docket.clock import court_today
from docket.core.vocabulary import HEARING_TYPES
from docket.permissions import EDIT, authorize_case, can, roles_required, sees

blueprint = Blueprint("cases", __name__, url_prefix="/cases")


def _refused(form, error: CaseError) -> None:
    """Put the service's refusal beside the field it concerns, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _defendant_choices(case, blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [
        SelectChoice(str(d.id), f"{d.number}. {d.full_name}") for d in service.case_defendants(case)
    ]


@blueprint.route("/")
@login_required
def index():
    form = CaseSearchForm(request.args)
    form.validate()
    page = max(request.args.get("page", 1, type=int), 1)
    results = service.search_cases(
        current_user,
        q=form.q.data or "",
        status=form.status.data or "",
        page=page,
        per_page=current_app.config["CASES_PER_PAGE"],
    )
    return render_template("cases/index.html", form=form, results=results)


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required("clerk")
def new():
    form = CaseForm()
    form.assigned_judge_id.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(str(judge.id), judge.display_name)
        for judge in service.court_judges(current_user.court_id)
    ]
    plan = service.plan_in_force(court_today())
    form.track.choices = [SelectChoice("", "Assign by the plan")] + [
        SelectChoice(track.id, track.name) for track in plan.tracks
    ]
    if request.method == "GET":
        form.filed_on.data = court_today()
    if form.validate_on_submit():
        try:
            case = service.open_case(current_user.court_id, form.data)
        except CaseError as error:
            _refused(form, error)
        else:
            flash(f"Opened {case.case_number}, {case.caption}.", "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/new.html", form=form)


@blueprint.route("/<int:case_id>")
@login_required
def show(case_id: int):
    case = authorize_case(case_id)
    details = service.case_details(case)
    may_edit = can(current_user, case, EDIT)
    plan = service.plan_in_force(case.filed_on)
    return render_template(
        "cases/show.html",
        case=case,
        may_edit=may_edit,
        may_schedule=may_edit and current_user.role == "clerk" and case.status != "disposed",
        stage_hearing_types={s.id: s.hearing_type for s in plan.stages if s.hearing_type},
        set_hearing_types={
            h.hearing_type for h in details["hearings"] if h.status in ("scheduled", "continued")
        },
        hearing_type_labels=HEARING_TYPES,
        # Entries shown as SEALED to this viewer, and the events they caused.
        hidden_entries={e.id for e in details["docket_entries"] if not sees(current_user, case, e)},
        entry_numbers={e.id: e.number for e in details["docket_entries"]},
        today=court_today(),
        **details,
    )


@blueprint.route("/<int:case_id>/history")
@login_required
def history(case_id: int):
    case = authorize_case(case_id, EDIT)
    return render_template("cases/history.html", case=case, rows=service.case_history(case))


def _case_form(case_id: int, form, template: str, save, done: str, **context):
    case = authorize_case(case_id, EDIT)
    form = form()
    for name in ("defendant_id",):
        if hasattr(form, name):
            field = getattr(form, name)
            blank = "Choose…" if field.flags.required else "— none —"
            field.choices = _defendant_choices(case, blank)
    if form.validate_on_submit():
        try:
            save(case, form.data)
        except CaseError as error:
            _refused(form, error)
        else:
            flash(done, "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template(template, case=case, form=form, **context)


@blueprint.route("/<int:case_id>/defendants/new", methods=["GET", "POST"])
@login_required
def add_defendant(case_id: int):
    return _case_form(
        case_id,
        DefendantForm,
        "cases/defendant_form.html",
        service.add_defendant,
        "Defendant added.",
    )


@blueprint.route("/<int:case_id>/charges/new", methods=["GET", "POST"])
@login_required
def add_charge(case_id: int):
    return _case_form(
        case_id, ChargeForm, "cases/charge_form.html", service.add_charge, "Charge added."
    )


@blueprint.route("/<int:case_id>/counsel/new", methods=["GET", "POST"])
@login_required
def add_counsel(case_id: int):
    return _case_form(
        case_id,
        CounselForm,
        "cases/counsel_form.html",
        service.add_counsel,
        "Counsel of record added.",
    )


@blueprint.route("/<int:case_id>/events/new", methods=["GET", "POST"])
@login_required
def record_event(case_id: int):
    return _case_form(
        case_id,
        EventForm,
        "cases/event_form.html",
        lambda case, data: service.record_event(case, data, current_user),
        "Event recorded.",
    )


@blueprint.route("/<int:case_id>/counsel/<int:counsel_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_counsel(case_id: int, counsel_id: int):
    return _case_form(
        case_id,
        WithdrawCounselForm,
        "cases/withdraw_form.html",
        lambda case, data: service.withdraw_counsel(case, counsel_id, data["withdrew_on"]),
        "Withdrawal recorded.",
        counsel_id=counsel_id,
    )


@blueprint.route("/<int:case_id>/excludable/new", methods=["GET", "POST"])
@login_required
def add_excludable(case_id: int):
    case = authorize_case(case_id, EDIT)
    form = ExcludableForm()
    plan = service.plan_in_force(case.filed_on)
    form.code.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(c.code, f"{c.code}{f' ({c.alias})' if c.alias else ''} — {c.name}")
        for c in plan.excludable
    ]
    form.defendant_id.choices = _defendant_choices(case, "All defendants")
    if form.validate_on_submit():
        try:
            service.add_excludable(case, form.data)
        except CaseError as error:
            _refused(form, error)
        else:
            flash("Excludable period recorded; deadlines recomputed.", "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/excludable_form.html", case=case, form=form, plan=plan)


@blueprint.route("/<int:case_id>/track", methods=["GET", "POST"])
@login_required
def change_track(case_id: int):
    case = authorize_case(case_id, EDIT)
    form = TrackForm(obj=case if request.method == "GET" else None)
    plan = service.plan_in_force(case.filed_on)
    form.track.choices = [SelectChoice(t.id, t.name) for t in plan.tracks]
    if form.validate_on_submit():
        try:
            service.change_track(case, form.data)
        except CaseError as error:
            _refused(form, error)
        else:
            flash(f"Track changed to {case.track}; deadlines recomputed.", "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/track_form.html", case=case, form=form, plan=plan)
