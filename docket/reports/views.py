"""The reports' pages: each report as a page (filters, chart, table), its CSV and its print view.
Judges, clerks and administrators of the court; the numbers come from docket/reports/service.py
and the page and the CSV print the same `Table`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, render_template, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from docket.cases.service import court_judges, plan_in_force
from docket.clock import court_today
from docket.core import reports as core
from docket.core.vocabulary import TRACKS
from docket.permissions import roles_required
from docket.reports import blueprint, service
from docket.reports.forms import ReportFilterForm

STAFF = ("judge", "clerk", "admin")


@dataclass(frozen=True)
class Page:
    title: str
    summary: str
    fields: tuple[str, ...]
    groups: tuple[tuple[str, str], ...]  # (value, label); the first is the default


COMMON = ("judge_id", "track", "case_type")
PAGES = {
    "case-age": Page(
        "Age of active pending caseload",
        "Active cases by days since filing, in age buckets (CourTools Measure 4).",
        COMMON,
        (("judge", "Judge"), ("track", "Track"), ("case_type", "Case type"), ("", "Court")),
    ),
    "time-to-disposition": Page(
        "Time to disposition",
        "Share of cases disposed within the time standards; median and 90th percentile days "
        "(Measure 3).",
        (*COMMON, "start", "end"),
        (("", "Case type"), ("judge", "Judge and case type"), ("track", "Track and case type")),
    ),
    "clearance": Page(
        "Clearance rate",
        "Outgoing cases as a percent of incoming, per month or per judge (Measure 2).",
        (*COMMON, "start", "end"),
        (("month", "Month"), ("judge", "Judge")),
    ),
    "trial-certainty": Page(
        "Trial date certainty",
        "How many times trials were set before they were held (Measure 5).",
        (*COMMON, "start", "end"),
        (("", "Court"), ("judge", "Judge"), ("track", "Track"), ("case_type", "Case type")),
    ),
    "plan-compliance": Page(
        "Plan compliance",
        "Per stage of the plan: deadlines met, met late, missed, overdue now; days late.",
        (*COMMON, "start", "end"),
        (),
    ),
    "continuances": Page(
        "Continuance rates",
        "Hearing settings continued, by hearing type, requester or reason.",
        (*COMMON, "hearing_type", "start", "end"),
        (("hearing_type", "Hearing type"), ("requester", "Requester"), ("reason", "Reason")),
    ),
}


def _page(slug: str) -> Page:
    page = PAGES.get(slug)
    if page is None:
        abort(404, description=f"There is no report called {slug!r}.")
    return page


def _form(page: Page) -> ReportFilterForm:
    form = ReportFilterForm(request.args)
    form.judge_id.choices = [SelectChoice("", "All judges")] + [
        SelectChoice(str(judge.id), judge.display_name)
        for judge in court_judges(current_user.court_id)
    ]
    tracks = dict(TRACKS)
    tracks.update({track.id: track.name for track in plan_in_force(court_today()).tracks})
    form.track.choices = [SelectChoice("", "All tracks")] + [
        SelectChoice(value, label) for value, label in tracks.items()
    ]
    form.group.choices = [SelectChoice(value, label) for value, label in page.groups]
    if page.groups and "group" not in request.args:
        form.group.data = page.groups[0][0]
    for name in ("judge_id", "track", "case_type", "hearing_type", "start", "end", "group"):
        if name not in page.fields and not (name == "group" and page.groups):
            del form[name]
    return form


def _filters(form: ReportFilterForm, page: Page) -> service.Filters:
    today = court_today()
    default_start, default_end = core.default_period(today)

    def value(name):
        if name not in form or form[name].errors:
            return None
        return form[name].data or None

    group = value("group")
    if group is None and page.groups and "group" not in request.args:
        group = page.groups[0][0] or None
    judge = value("judge_id")
    start, end = value("start") or default_start, value("end") or default_end
    if "end" in form and form.end.errors:
        start, end = default_start, default_end
    if start > end:
        start = core.month_start(end)
    return service.Filters(
        court_id=current_user.court_id,
        today=today,
        start=start,
        end=end,
        judge_id=int(judge) if judge else None,
        track=value("track"),
        case_type=value("case_type"),
        group=group,
        hearing_type=value("hearing_type"),
    )


def _report(slug: str):
    page = _page(slug)
    form = _form(page)
    form.validate()
    filters = _filters(form, page)
    return page, form, filters, service.REPORTS[slug](filters)


@blueprint.route("/")
@roles_required(*STAFF)
def index():
    return render_template("reports/index.html", pages=PAGES)


@blueprint.route("/<slug>")
@roles_required(*STAFF)
def show(slug: str):
    page, form, filters, report = _report(slug)
    return render_template(
        "reports/report.html", page=page, form=form, filters=filters, report=report, slug=slug
    )


@blueprint.route("/<slug>/print")
@roles_required(*STAFF)
def print_view(slug: str):
    page, form, filters, report = _report(slug)
    return render_template(
        "reports/print.html", page=page, form=form, filters=filters, report=report, slug=slug
    )


@blueprint.route("/<slug>/export.csv")
@roles_required(*STAFF)
def export(slug: str):
    page, form, filters, report = _report(slug)
    if form.errors:
        problems = "; ".join(
            f"{form[name].label.text}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        abort(400, description=f"The filters are not valid ({problems}).")
    name = f"{slug}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
    if slug == "case-age":
        name = f"{slug}-{filters.today:%Y%m%d}.csv"
    return Response(
        report.table.csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
