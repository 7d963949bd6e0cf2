"""The batch scheduler's page: a dry run for a window (what would be placed, what could not be
and why, what is not ripe and why, the quality summary), and Apply, which runs it again and
writes it in one transaction only if it is still what the clerk reviewed.

The clerk's office's alone: it places hearings on cases (only clerks change cases), and its
lists name every case of the court needing a hearing, sealed ones included."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField
from wtforms.validators import InputRequired, Optional

from docket.calendar import batch, board, calendar_blueprint
from docket.core.vocabulary import HEARING_TYPES
from docket.permissions import roles_required

CLERKS_ONLY = (
    "Batch scheduling is for the clerk's office: it places hearings on the court's cases, "
    "sealed ones included, and only clerks change cases."
)


class BatchForm(FlaskForm):
    """The window of the dry run (a GET form: no CSRF token needed, nothing is changed)."""

    class Meta:
        csrf = False

    start = DateField(
        "From",
        validators=[InputRequired("Enter the first day of the window.")],
        description="First day hearings may be placed on.",
    )
    end = DateField(
        "To",
        validators=[InputRequired("Enter the last day of the window.")],
        description="Last day (inclusive). Cases due by then, or overdue, are considered.",
    )
    judge = SelectField(
        "Judge",
        coerce=lambda value: int(value) if value not in (None, "") else None,
        validators=[Optional()],
        description="Only the cases assigned to this judge (optional).",
    )


class ApplyForm(FlaskForm):
    start = HiddenField()
    end = HiddenField()
    judge = HiddenField()
    digest = HiddenField()


def _clerks_court() -> int:
    if current_user.court_id is None:
        abort(403, description="The batch scheduler works on your court's calendar.")
    return current_user.court_id


def _judge_choices(court_id: int) -> list[tuple[str, str]]:
    return [("", "Every judge")] + [(str(j.id), j.name) for j in board.judges(court_id)]


def _render(form, proposal=None, apply_form=None, error=None, status=200):
    return (
        render_template(
            "calendar/batch.html",
            form=form,
            proposal=proposal,
            apply_form=apply_form,
            error=error,
            hearing_types=HEARING_TYPES,
        ),
        status,
    )


def _apply_form(proposal: batch.Proposal) -> ApplyForm:
    form = ApplyForm()
    form.start.data = proposal.start.isoformat()
    form.end.data = proposal.end.isoformat()
    form.judge.data = str(proposal.judge_id) if proposal.judge_id else ""
    form.digest.data = proposal.digest
    return form


@calendar_blueprint.get("/batch", endpoint="batch")
@roles_required("clerk", why=CLERKS_ONLY)
def batch_page():
    court_id = _clerks_court()
    form = BatchForm(request.args)
    form.judge.choices = _judge_choices(court_id)
    if "start" not in request.args:
        form.start.data, form.end.data = batch.default_window()
        return _render(form)
    if not form.validate():
        return _render(form, status=400)
    try:
        proposal = batch.dry_run(court_id, form.start.data, form.end.data, judge_id=form.judge.data)
    except batch.BatchError as exc:
        form.end.errors.append(str(exc))
        return _render(form, status=400)
    return _render(form, proposal, _apply_form(proposal))


def _date(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description=f"The {name} date “{raw}” is not a date (YYYY-MM-DD).")


@calendar_blueprint.post("/batch", endpoint="batch_apply")
@roles_required("clerk", why=CLERKS_ONLY)
def batch_apply():
    court_id = _clerks_court()
    posted = ApplyForm()
    if not posted.validate_on_submit():
        abort(400, description="The form expired or was incomplete: run the dry run again.")
    start = _date(posted.start.data or "", "from")
    end = _date(posted.end.data or "", "to")
    raw_judge = (posted.judge.data or "").strip()
    if raw_judge and not raw_judge.isdigit():
        abort(400, description=f"The judge must be given by number, not “{raw_judge}”.")
    judge_id = int(raw_judge) if raw_judge else None
    if judge_id is not None and judge_id not in {j.id for j in board.judges(court_id)}:
        abort(400, description="That judge does not sit in your court.")
    form = BatchForm(data={"start": start, "end": end, "judge": judge_id})
    form.judge.choices = _judge_choices(court_id)
    try:
        proposal = batch.apply(
            court_id,
            start,
            end,
            user=current_user,
            judge_id=judge_id,
            expected_digest=posted.digest.data or "",
        )
    except batch.BatchChanged as exc:
        fresh = batch.dry_run(court_id, start, end, judge_id=judge_id)
        return _render(form, fresh, _apply_form(fresh), error=str(exc), status=409)
    except batch.BatchError as exc:
        return _render(form, None, None, error=str(exc), status=409)
    q = proposal.quality
    share = f" ({q.met_share:.0%})" if q.met_share is not None else ""
    flash(
        f"Placed {q.placed} hearing{'s' if q.placed != 1 else ''}; deadlines met "
        f"{q.met} of {q.with_deadline}{share}; {q.unplaced} could not be placed.",
        "success",
    )
    return redirect(
        url_for(
            "calendar.batch",
            start=start.isoformat(),
            end=end.isoformat(),
            judge=judge_id or "",
        )
    )
