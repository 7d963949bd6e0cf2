"""`docket sessions ...` (materialize the calendar from templates) and `docket schedule`
(the batch scheduler). Placeholders until their services land."""

from __future__ import annotations

import click


@click.group()
def sessions() -> None:
    """Calendar sessions: materialize templates for the horizon."""


# --- schedule ---


@click.command()
def schedule() -> None:
    """Batch-schedule the hearings cases need (dry run or apply)."""
