"""`docket sweep`: run the sweep now (a manual run, recorded apart from the night's)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("sweep")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Sweep as of this court day (default: today in the court's time zone).",
)
@click.option(
    "--nightly",
    is_flag=True,
    help="Run as today's scheduled sweep, skipped if it already ran (for an operator who "
    "schedules it with cron instead of `docket jobs run`).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Compare every active case's causes with every open flag, not only the cases that "
    "changed or whose dates crossed a threshold since the last sweep.",
)
@with_appcontext
def sweep(day, nightly: bool, full: bool) -> None:
    """Flag the active cases that are slipping, now, and record the run."""
    from docket.sweep import runs

    app = current_app._get_current_object()
    if nightly:
        if day or full:
            raise click.UsageError("--nightly runs today's sweep: leave out --date and --full")
        outcome = runs.nightly_sweep(app)
    else:
        outcome = runs.manual_sweep(app, day.date() if day else None, full=full)
    if not outcome.ran:
        click.echo(outcome.message)
        return
    if outcome.status == "failed":
        click.echo(f"The sweep failed (run {outcome.run_id}): {outcome.message}", err=True)
        sys.exit(1)
    click.echo(f"{outcome.message} (run {outcome.run_id})")
