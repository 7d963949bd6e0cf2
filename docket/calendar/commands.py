"""`docket sessions ...` (materialize the calendar from templates) and `docket schedule`
(the batch scheduler). Placeholders until their services land."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group()
def sessions() -> None:
    """Calendar sessions: materialize templates for the horizon."""


@sessions.command("materialize")
@click.option("--court", "court_code", help="Court code (default: every court).")
@click.option(
    "--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day (default today)."
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day (default today + CALENDAR_HORIZON_MONTHS).",
)
@with_appcontext
def sessions_materialize(court_code, start, end) -> None:
    """Make the templates' sessions for a range, close them on holidays and exceptions, and
    print what changed (with the hearings on closed sessions, which need continuing)."""
    from sqlalchemy import select

    from docket.calendar import sessions as service
    from docket.extensions import db
    from docket.models import Court

    first, last = service.horizon()
    first = start.date() if start else first
    last = end.date() if end else last
    if last < first:
        raise click.ClickException(f"--to {last} is before --from {first}")
    query = select(Court).order_by(Court.code)
    if court_code:
        query = query.where(Court.code == court_code)
    courts = db.session.scalars(query).all()
    if not courts:
        raise click.ClickException(
            f"no court with code {court_code!r}" if court_code else "there is no court yet"
        )
    for court in courts:
        summary = service.materialize(court.id, first, last)
        for line in summary.lines():
            click.echo(line)


# --- schedule ---


@click.command()
@click.option(
    "--dry-run", "mode", flag_value="dry-run", help="Show what would be placed (default)."
)
@click.option("--apply", "mode", flag_value="apply", help="Place the hearings (one transaction).")
@click.option(
    "--from",
    "start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="First day of the window (default tomorrow).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day of the window (default six weeks after --from).",
)
@click.option("--court", "court_code", help="Court code (needed when there are several).")
@with_appcontext
def schedule(mode, start, end, court_code) -> None:
    """Batch-schedule the hearings cases need: --dry-run (default) prints the quality summary;
    --apply also writes the hearings, in one transaction, audit-logged."""
    from datetime import timedelta

    from sqlalchemy import select

    from docket.calendar import batch
    from docket.core.vocabulary import HEARING_TYPES
    from docket.extensions import db
    from docket.models import Court

    courts = db.session.scalars(select(Court).order_by(Court.code)).all()
    if court_code:
        courts = [c for c in courts if c.code == court_code]
        if not courts:
            raise click.UsageError(f"--court: no court with code {court_code!r}")
    elif len(courts) > 1:
        raise click.UsageError(
            "--court: there are several courts; name one: " + ", ".join(c.code for c in courts)
        )
    elif not courts:
        raise click.ClickException("there is no court yet")
    court = courts[0]
    first, last = batch.default_window()
    first = start.date() if start else first
    last = end.date() if end else first + timedelta(days=7 * batch.DEFAULT_WEEKS)
    apply = mode == "apply"
    try:
        if apply:
            proposal = batch.apply(court.id, first, last, user=None)
        else:
            proposal = batch.dry_run(court.id, first, last)
    except batch.BatchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{'Applied' if apply else 'Dry run'}: {court.code}, {first.isoformat()} to "
        f"{last.isoformat()}"
    )
    for line in proposal.quality.lines():
        click.echo(f"  {line}")
    click.echo(f"  Not ripe: {len(proposal.not_ripe)}")
    for item in proposal.not_ripe:
        click.echo(f"    {item.case_number} {item.hearing_label}: {item.reason}")
    for item in proposal.assignment.unplaced:
        click.echo(
            f"  Unplaced {item.need.case_number} "
            f"{HEARING_TYPES.get(item.need.hearing_type, item.need.hearing_type)}: {item.reason}"
        )
    if apply:
        click.echo(f"Written: {len(proposal.assignment.placements)} hearings")
    for p in proposal.assignment.placements:
        when = p.starts_at.astimezone(proposal.board[1].zone).strftime("%Y-%m-%d %H:%M")
        met = {True: "met", False: "LATE", None: "no deadline"}[p.meets_deadline]
        click.echo(
            f"  {'wrote' if apply else 'would place'} {p.need.case_number} "
            f"{HEARING_TYPES.get(p.need.hearing_type, p.need.hearing_type)}: {when}, "
            f"Courtroom {p.session.courtroom_name}, {p.session.judge_name} "
            f"(due {p.need.due.isoformat() if p.need.due else '-'}, {met})"
        )
    if not apply:
        click.echo("Nothing written (dry run). Run with --apply to place these hearings.")
