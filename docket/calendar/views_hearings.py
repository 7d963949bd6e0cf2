"""A case's hearings: find the best slots, book one (or set a continued hearing for a new date),
and read a hearing's history of settings. Thin: booking.py does the work."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from docket.calendar import booking, hearings_blueprint
from docket.calendar.forms_hearings import BookForm, FindSlotsForm
from docket.core.vocabulary import HEARING_TYPES
from docket.extensions import db
from docket.models import Hearing
from docket.permissions import EDIT, authorize_case, can, roles_required


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _schedule_page(case, hearing: Hearing | None):
    find = FindSlotsForm(request.args if request.method == "GET" else None)
    book = BookForm()
    if request.method == "POST":
        hearing_type = book.hearing_type.data
        not_before = _date(book.not_before.data)
    else:
        find.validate()
        hearing_type = find.hearing_type.data if "hearing_type" in request.args else None
        not_before = find.not_before.data
    if hearing is not None:
        hearing_type = hearing.hearing_type
    if hearing_type is None:
        hearing_type = booking.next_hearing_type(case) or "status_conference"
    if hearing_type not in HEARING_TYPES:
        abort(400, description="Unknown hearing type.")
    find.hearing_type.data = hearing_type
    find.not_before.data = not_before

    error = None
    if request.method == "POST" and book.validate_on_submit():
        if hearing is not None and book.version.data != str(hearing.version):
            error = (
                "This hearing was changed by someone else since you opened the page; "
                "the proposals below are fresh."
            )
        else:
            session_id, slot = book.slot()
            try:
                placed = booking.book(
                    case,
                    hearing_type,
                    session_id,
                    slot,
                    user=current_user,
                    override_reason=book.override_reason.data,
                    hearing=hearing,
                )
            except (booking.BookingRefused, booking.SlotTaken) as refusal:
                # book() rolled back: the case and hearing reload as they are now.
                error = str(refusal)
            else:
                flash(
                    f"{placed.type_label} set for "
                    f"{placed.starts_at.astimezone(booking.court_zone()):%a %b %-d, %Y %H:%M}, "
                    f"Courtroom {placed.courtroom.name}.",
                    "success",
                )
                return redirect(url_for("cases.show", case_id=case.id))
    proposals = booking.proposals_for(case, hearing_type, hearing=hearing, not_before=not_before)
    book.hearing_type.data = hearing_type
    book.not_before.data = not_before.isoformat() if not_before else ""
    if hearing is not None:
        book.version.data = str(hearing.version)
    return render_template(
        "hearings/schedule.html",
        case=case,
        hearing=hearing,
        find=find,
        book=book,
        proposals=proposals,
        error=error,
        hearing_type=hearing_type,
    ), (409 if error else 200)


@hearings_blueprint.route("/cases/<int:case_id>/hearings/new", methods=["GET", "POST"])
@roles_required("clerk")
def new_hearing(case_id: int):
    case = authorize_case(case_id, EDIT)
    if case.status == "disposed":
        abort(409, description="This case is disposed: no new hearings can be set.")
    return _schedule_page(case, None)


@hearings_blueprint.route("/hearings/<int:hearing_id>/reschedule", methods=["GET", "POST"])
@roles_required("clerk")
def reschedule(hearing_id: int):
    hearing = db.get_or_404(Hearing, hearing_id)
    case = authorize_case(hearing.case_id, EDIT)
    if hearing.status != "continued":
        flash("Only a continued hearing can be set for a new date: continue it first.", "error")
        return redirect(url_for("hearings.show", hearing_id=hearing.id))
    return _schedule_page(case, hearing)


@hearings_blueprint.route("/hearings/<int:hearing_id>")
@login_required
def show(hearing_id: int):
    hearing = db.get_or_404(Hearing, hearing_id)
    case = authorize_case(hearing.case_id)
    settings = booking.settings_by_hearing([hearing.id]).get(hearing.id, [])
    return render_template(
        "hearings/show.html",
        case=case,
        hearing=hearing,
        settings=settings,
        may_edit=can(current_user, case, EDIT),
    )
