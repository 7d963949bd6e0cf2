"""Calendar board pages: a courtroom's or judge's day and week, the printable daily calendar
sheet posted outside a courtroom, counsel's notices of unavailability and the interpreters.

The day and week views and the sheet are the court's (clerks, judges, administrators);
attorneys see their own hearings on their cases' pages and file notices of unavailability here.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from docket.calendar import board, calendar_blueprint
from docket.calendar import unavailability as notices
from docket.calendar.forms_board import ActionForm, InterpreterForm, NoticeForm
from docket.clock import court_now, court_today
from docket.permissions import roles_required, sees_sealed

COURT_ROLES = ("clerk", "admin", "judge")
COURT_ONLY = (
    "The court's calendar is for the clerk's office, judges and court administrators. "
    "Counsel see the hearings of their own cases on each case's page, and file notices of "
    "unavailability under Calendar › Unavailability."
)


def _court_staff() -> None:
    if current_user.role not in COURT_ROLES or current_user.court_id is None:
        abort(403, description=COURT_ONLY)


def _date_arg() -> date:
    """The date asked for; by default today, or on a Saturday or Sunday the coming Monday (the
    calendar a clerk opens at the weekend is next week's)."""
    raw = request.args.get("date", "").strip()
    if not raw:
        today = court_today()
        return today + timedelta(days=7 - today.weekday()) if today.weekday() >= 5 else today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"“{raw}” is not a date: use the form YYYY-MM-DD.")


def _id_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400, description=f"The {name} must be given by its number, not “{raw}”.")
    return int(raw)


def _scope(*, courtroom_only: bool = False):
    """The courtroom or judge asked for; by default the signed-in judge's own calendar, or
    for everyone else the court's first courtroom. Also the court's courtroom and judge lists
    for the chooser."""
    court_id = current_user.court_id
    rooms = board.courtrooms(court_id)
    bench = board.judges(court_id)
    courtroom_id, judge_id = _id_arg("courtroom"), _id_arg("judge")
    if courtroom_only:
        judge_id = None
    if courtroom_id is None and judge_id is None:
        if current_user.role == "judge" and current_user.judge_id and not courtroom_only:
            judge_id = current_user.judge_id
        elif rooms:
            courtroom_id = rooms[0].id
        else:
            return None, rooms, bench
    try:
        scope = board.scope_for(
            court_id, courtroom_id=courtroom_id, judge_id=judge_id, rooms=rooms, bench=bench
        )
    except board.BoardError as error:
        abort(404, description=str(error))
    return scope, rooms, bench


def _links() -> set[str]:
    """Pages of other parts of the calendar this page links to, where they exist: the
    hearing's own page, and for the clerk's office the session editor."""
    wanted = ["hearings.show"]
    if current_user.role in ("clerk", "admin"):
        wanted.append("calendar.edit_session")
    return {name for name in wanted if name in current_app.view_functions}


def _reveal(case) -> bool:
    return sees_sealed(current_user, case)


def _switch_links(scope: board.Scope, sessions, rooms, bench) -> dict:
    """The other view of the same day: a courtroom's judge, or a judge's courtroom (the first
    session's, else the signed-in judge or the court's first)."""
    if scope.kind == "courtroom":
        judge_id = sessions[0].session.judge_id if sessions else None
        if judge_id is None:
            judge_id = current_user.judge_id or (bench[0].id if bench else None)
        return {"judge": judge_id} if judge_id else {}
    room_id = sessions[0].session.courtroom_id if sessions else (rooms[0].id if rooms else None)
    return {"courtroom": room_id} if room_id else {}


@calendar_blueprint.route("/day")
@login_required
def day():
    _court_staff()
    when = _date_arg()
    scope, rooms, bench = _scope()
    if scope is None:
        return render_template("calendar/day.html", scope=None, rooms=rooms, bench=bench, when=when)
    today_board = board.day_board(scope, when, _reveal)
    return render_template(
        "calendar/day.html",
        scope=scope,
        rooms=rooms,
        bench=bench,
        when=when,
        board=today_board,
        previous=when - timedelta(days=1),
        following=when + timedelta(days=1),
        switch=_switch_links(scope, today_board.sessions, rooms, bench),
        links=_links(),
    )


@calendar_blueprint.route("/week")
@login_required
def week():
    _court_staff()
    when = _date_arg()
    scope, rooms, bench = _scope()
    monday = board.monday_of(when)
    if scope is None:
        return render_template(
            "calendar/week.html", scope=None, rooms=rooms, bench=bench, when=when, monday=monday
        )
    days = board.week_board(scope, when)
    return render_template(
        "calendar/week.html",
        scope=scope,
        rooms=rooms,
        bench=bench,
        when=when,
        monday=monday,
        days=days,
        previous=monday - timedelta(days=7),
        following=monday + timedelta(days=7),
        switch=_switch_links(scope, [s for d in days for s in d.sessions], rooms, bench),
    )


@calendar_blueprint.route("/sheet")
@login_required
def sheet():
    """The daily calendar sheet posted outside a courtroom: public information only, so a
    sealed case shows its number and SEALED, whoever prints it."""
    _court_staff()
    when = _date_arg()
    scope, rooms, bench = _scope(courtroom_only=True)
    if scope is None:
        abort(404, description="This court has no courtrooms yet.")
    sheet_board = board.day_board(scope, when, lambda case: False)
    judges = []
    for session in sheet_board.sessions:
        if session.session.judge.display_name not in judges:
            judges.append(session.session.judge.display_name)
    return render_template(
        "calendar/sheet.html",
        scope=scope,
        rooms=rooms,
        when=when,
        board=sheet_board,
        judges=judges,
        court=current_user.court,
        printed=court_now(),
    )


# --- notices of unavailability -------------------------------------------------------------


def _may_see_notices() -> None:
    if current_user.role == "attorney":
        return
    if current_user.role in COURT_ROLES and current_user.court_id is not None:
        return
    abort(403, description="This page is for counsel and the court.")


def _refused(form, error: notices.NoticeError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


@calendar_blueprint.route("/unavailability", methods=["GET", "POST"])
@login_required
def unavailability():
    _may_see_notices()
    is_attorney = current_user.role == "attorney"
    may_file = is_attorney or notices.manages_notices(current_user)
    form = NoticeForm() if may_file else None
    if form is not None and is_attorney:
        del form.bar_number
    filter_bar = request.args.get("bar", "").strip().upper()
    include_past = request.args.get("past") == "1"
    filter_attorney = None
    filter_error = ""
    if filter_bar and not is_attorney:
        try:
            filter_attorney = notices.attorney_by_bar_number(filter_bar)
        except notices.NoticeError as error:
            filter_error = str(error)

    if form is not None and request.method == "POST":
        if form.validate_on_submit():
            try:
                attorney = (
                    current_user.attorney
                    if is_attorney
                    else notices.attorney_by_bar_number(form.bar_number.data)
                )
                notice = notices.file_notice(
                    current_user,
                    attorney,
                    form.starts_on.data,
                    form.ends_on.data,
                    form.reason.data,
                )
            except notices.NoticeError as error:
                _refused(form, error)
            except notices.NotYours as error:
                abort(403, description=str(error))
            else:
                flash(
                    f"Notice filed: {notice.attorney.name} unavailable "
                    f"{notice.starts_on:%b %-d, %Y} – {notice.ends_on:%b %-d, %Y}.",
                    "success",
                )
                return redirect(url_for("calendar.unavailability"))
    elif request.method == "POST":
        abort(403, description="Only counsel and the clerk's office file notices.")

    rows = notices.list_notices(
        current_user,
        attorney_id=filter_attorney.id if filter_attorney else None,
        include_past=include_past,
    )
    if filter_bar and not is_attorney and filter_attorney is None:
        rows = []
    return render_template(
        "calendar/unavailability.html",
        form=form,
        rows=rows,
        action_form=ActionForm(),
        is_attorney=is_attorney,
        manages=notices.manages_notices(current_user),
        filter_bar=filter_bar,
        filter_error=filter_error,
        include_past=include_past,
        limit=notices.LIST_LIMIT,
        today=court_today(),
    )


@calendar_blueprint.route("/unavailability/<int:notice_id>/withdraw", methods=["POST"])
@login_required
def withdraw_unavailability(notice_id: int):
    _may_see_notices()
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400, description="The form had expired. Reload the page and try again.")
    try:
        notice = notices.withdraw_notice(current_user, notice_id)
    except LookupError as error:
        abort(404, description=str(error))
    except notices.NotYours as error:
        abort(403, description=str(error))
    except notices.NoticeError as error:
        flash(str(error), "error")
    else:
        flash(
            f"Withdrew the notice of {notice.attorney.name} for "
            f"{notice.starts_on:%b %-d, %Y} – {notice.ends_on:%b %-d, %Y}.",
            "success",
        )
    return redirect(url_for("calendar.unavailability"))


# --- interpreters --------------------------------------------------------------------------


@calendar_blueprint.route("/interpreters", methods=["GET", "POST"])
@roles_required("clerk", "admin")
def interpreters():
    form = InterpreterForm()
    if form.validate_on_submit():
        try:
            added = notices.add_interpreter(current_user, form.name.data, form.language.data)
        except notices.NoticeError as error:
            _refused(form, error)
        else:
            flash(f"Added {added.name} ({added.language}).", "success")
            return redirect(url_for("calendar.interpreters"))
    return render_template(
        "calendar/interpreters.html",
        form=form,
        rows=notices.list_interpreters(current_user.court_id),
        action_form=ActionForm(),
    )


def _set_active(interpreter_id: int, active: bool):
    if not ActionForm().validate_on_submit():
        abort(400, description="The form had expired. Reload the page and try again.")
    try:
        row = notices.set_interpreter_active(current_user, interpreter_id, active)
    except LookupError as error:
        abort(404, description=str(error))
    except notices.NoticeError as error:
        flash(str(error), "error")
    else:
        verb = "Reactivated" if active else "Deactivated"
        flash(f"{verb} {row.name} ({row.language}).", "success")
    return redirect(url_for("calendar.interpreters"))


@calendar_blueprint.route("/interpreters/<int:interpreter_id>/deactivate", methods=["POST"])
@roles_required("clerk", "admin")
def deactivate_interpreter(interpreter_id: int):
    return _set_active(interpreter_id, False)


@calendar_blueprint.route("/interpreters/<int:interpreter_id>/reactivate", methods=["POST"])
@roles_required("clerk", "admin")
def reactivate_interpreter(interpreter_id: int):
    return _set_active(interpreter_id, True)
