"""`docket digest send [--date D] [--dry-run]`: the morning digest on demand."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group()
def digest() -> None:
    """The morning digest email (opt in at /flags/digest)."""


@digest.command("send")
@click.option(
    "--date",
    "run_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The morning to send (YYYY-MM-DD); default: the court's today.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print who would receive what; send nothing and record no run.",
)
@with_appcontext
def digest_send(run_date, dry_run: bool) -> None:
    """Send the digest of a morning (once per date: a date already sent is refused)."""
    from docket.flags import digest as digest_module

    day: date | None = run_date.date() if run_date else None
    if dry_run:
        report = digest_module.send_digest(day, dry_run=True)
        for item in report.digests:
            message = digest_module.build_message(item, report)
            click.echo(f"--- to {item.email} ({item.role}): {message['Subject']}")
            click.echo(digest_module.text_body(item, report))
        click.echo(report.headline())
        return
    outcome = digest_module.run_digest(current_app._get_current_object(), day, trigger="manual")
    if not outcome.ran:
        raise click.ClickException(outcome.message)
    if outcome.status != "succeeded":
        raise click.ClickException(f"the digest failed: {outcome.message}")
    click.echo(outcome.message)
