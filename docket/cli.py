"""The `docket` command: Flask's own commands (run, shell, db ...) plus Docket's."""

from __future__ import annotations

import gc
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from docket import create_app


def _create_app():
    """The app of a `docket` process (the server, the job process, a command). What start-up
    made (modules, the tables' metadata, the configuration: some 150,000 objects) lives as
    long as the process, so it is moved out of the garbage collector's way: each full
    collection walked all of it, 70 ms, one request in six on a 500-entry docket sheet
    (p90 105 -> 49 ms in bench/docket.py). Not in create_app: the tests make many apps."""
    app = create_app()
    gc.freeze()
    return app


main = FlaskGroup(
    name="docket",
    create_app=_create_app,
    help="Docket: court docket and scheduling. `docket run` serves it; `docket db upgrade` "
    "migrates the database; `docket demo` loads a demo court.",
)


# --- accounts ------------------------------------------------------------------------------


@main.group()
def user() -> None:
    """Create and list accounts."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["clerk", "judge", "attorney", "admin"]))
@click.option("--name", help="Display name (defaults to the judge's or attorney's name).")
@click.option("--attorney", "bar_number", help="Bar number of the attorney this account is.")
@click.option("--judge", "judge_name", help="Name of the judge this account is.")
@click.option("--court", "court_code", help="Court code (needed only when there are several).")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (never from the command line).",
)
@with_appcontext
def user_create(email, role, name, bar_number, judge_name, court_code, password_stdin) -> None:
    """Create an account, e.g. the first administrator."""
    from docket.auth.service import AccountError, create_user
    from docket.extensions import db
    from docket.models import Court

    password = sys.stdin.readline().rstrip("\r\n")
    courts = db.session.scalars(select(Court).order_by(Court.code)).all()
    court = None
    if court_code:
        court = next((c for c in courts if c.code == court_code), None)
        if court is None:
            raise click.ClickException(f"no court with code {court_code!r}")
    elif len(courts) == 1:
        court = courts[0]
    elif courts and role in ("clerk", "admin"):
        codes = ", ".join(c.code for c in courts)
        raise click.ClickException(f"there are several courts ({codes}): choose one with --court")
    try:
        account = create_user(
            email=email,
            role=role,
            password=password,
            name=name,
            court_id=court.id if court else None,
            attorney_bar_number=bar_number,
            judge_name=judge_name,
        )
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"created {account.role} {account.email} (id {account.id})")


@user.command("list")
@with_appcontext
def user_list() -> None:
    """List accounts: email, role, name, link."""
    from docket.extensions import db
    from docket.models import User

    users = db.session.scalars(
        select(User)
        .options(selectinload(User.judge), selectinload(User.attorney))
        .order_by(User.role, User.email)
    ).all()
    for account in users:
        link = ""
        if account.judge:
            link = f"judge: {account.judge.name}"
        elif account.attorney:
            link = f"attorney: {account.attorney.bar_number}"
        state = "" if account.active else " (inactive)"
        click.echo(f"{account.email:40} {account.role:9} {account.name:30} {link}{state}")


# --- demo court ----------------------------------------------------------------------------


@main.group(invoke_without_command=True)
@click.option("--cases", default=300, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has a court.")
@click.pass_context
@with_appcontext
def demo(ctx, cases: int, seed: int, if_empty: bool) -> None:
    """Load a plausible demo court (deterministic for a seed)."""
    if ctx.invoked_subcommand is not None:
        return
    from docket.demo.generator import build_demo, database_has_court
    from docket.extensions import db

    if if_empty and database_has_court(db.engine):
        click.echo("The database already has a court; demo not loaded.")
        return
    report = build_demo(
        db.engine,
        cases=cases,
        seed=seed,
        today=_today(),
        password_method=current_app.config["PASSWORD_HASH_METHOD"],
        progress=click.echo,
    )
    click.echo(report.summary())
    from docket.deadlines.service import recompute_all

    totals = recompute_all(include_disposed=True)
    click.echo(f"Deadlines computed for {totals['cases']:,} cases ({totals['rows']:,} rows).")


@demo.command("logins")
def demo_logins() -> None:
    """Print the demo court's sign-in accounts and passwords."""
    from docket.demo.generator import DEMO_LOGINS

    click.echo("Demo logins (password for each):")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.role:9} {login.email:34} {login.password}   {login.note}")


def _today():
    from docket.clock import court_today

    return court_today()


# --- jobs ----------------------------------------------------------------------------------


@main.group()
def jobs() -> None:
    """Background jobs."""


@jobs.command("run")
@with_appcontext
def jobs_run() -> None:
    """Run the job scheduler in this process, in the foreground (Ctrl-C stops it)."""
    from docket import jobs as job_module

    click.echo("Job process started; Ctrl-C stops it.")
    job_module.run(current_app._get_current_object())


# --- the case-management plan --------------------------------------------------------------


@main.group()
def rules() -> None:
    """Check case-management plan files (rules/README.md documents the format)."""


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def rules_check(files: tuple[str, ...]) -> None:
    """Print "ok" for each valid plan file, or every problem with its line; exit 1 on any."""
    from docket.core.plan import PlanError, load_plan

    failed = False
    for name in files:
        try:
            plan = load_plan(name)
        except PlanError as error:
            failed = True
            for issue in error.issues:
                click.echo(f"{name}: {issue}", err=True)
        else:
            click.echo(f"{name}: ok ({plan.name}, effective {plan.effective:%Y-%m-%d})")
    if failed:
        sys.exit(1)


@main.group(invoke_without_command=True)
@click.option(
    "--plan", "plan_file", type=click.Path(dir_okay=False), help="A plan file (rules/*.toml)."
)
@click.option(
    "--facts",
    "facts_file",
    type=click.File("r"),
    help="Case facts as JSON ('-' reads standard input); see rules/README.md.",
)
@click.pass_context
def deadlines(ctx, plan_file: str | None, facts_file) -> None:
    """Compute deadlines: `docket deadlines --plan FILE --facts FACTS.json` prints them as JSON."""
    if ctx.invoked_subcommand is not None:
        return
    import json
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from docket.core.deadlines import compute
    from docket.core.facts_json import FactsError, calendar_for, facts_from_json, result_to_json
    from docket.core.plan import PlanError, load_plan

    if not plan_file or facts_file is None:
        raise click.UsageError("give both --plan FILE and --facts FACTS.json")
    try:
        plan = load_plan(plan_file)
    except PlanError as error:
        raise click.ClickException(str(error)) from error
    try:
        facts, today = facts_from_json(json.load(facts_file))
    except json.JSONDecodeError as error:
        raise click.ClickException(f"the facts are not valid JSON: {error}") from error
    except FactsError as error:
        raise click.ClickException(f"facts: {error}") from error
    today = today or datetime.now(ZoneInfo(plan.time_zone)).date()
    try:
        results = compute(plan, facts, today, calendar_for(plan))
    except ValueError as error:
        raise click.ClickException(f"cannot compute: {error}") from error
    click.echo(json.dumps([result_to_json(r) for r in results], indent=2, ensure_ascii=False))


@deadlines.command("recompute")
@click.argument("case_numbers", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every active and inactive case.")
@click.option("--include-disposed", is_flag=True, help="With --all: disposed cases too.")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def deadlines_recompute(case_numbers, everything, include_disposed, batch) -> None:
    """Rebuild the stored deadlines of some cases, or of all (batched, set-based)."""
    import time

    from docket.deadlines import service
    from docket.extensions import db
    from docket.models import Case

    if everything == bool(case_numbers):
        raise click.UsageError("give CASE_NUMBER... or --all")
    started = time.perf_counter()
    if everything:
        totals = service.recompute_all(
            batch=batch,
            include_disposed=include_disposed,
            progress=lambda cases, rows: click.echo(f"  {cases:,} cases, {rows:,} deadlines"),
        )
    else:
        # Case numbers are unique within a court, not across courts: one may name several.
        found = db.session.execute(
            select(Case.id, Case.case_number).where(Case.case_number.in_(case_numbers))
        ).all()
        ids = [row.id for row in found]
        if {row.case_number for row in found} != set(case_numbers):
            raise click.ClickException("unknown case number(s) among: " + " ".join(case_numbers))
        totals = {"cases": len(ids), "rows": service.recompute(ids)}
        db.session.commit()
    seconds = time.perf_counter() - started
    click.echo(
        f"Recomputed {totals['cases']:,} cases ({totals['rows']:,} deadlines) in "
        f"{seconds:.1f} s ({totals['cases'] / max(seconds, 1e-9):,.0f} cases/s)."
    )


@rules.command("explain")
@click.argument("case_number")
@with_appcontext
def rules_explain(case_number: str) -> None:
    """Print a case's stored deadlines with their explanations."""
    from docket.deadlines import service
    from docket.extensions import db
    from docket.models import Case

    # Case numbers are unique within a court, not across courts: explain every case so named.
    cases = db.session.scalars(
        select(Case).where(Case.case_number == case_number).order_by(Case.id)
    ).all()
    if not cases:
        raise click.ClickException(f"no case numbered {case_number}")
    for case in cases:
        rows = service.case_deadlines(case)
        court = f"{case.court.code}: " if len(cases) > 1 else ""
        click.echo(
            f"{court}{case.case_number} {case.caption} (track {case.track}, filed {case.filed_on})"
        )
        if not rows:
            click.echo("No stored deadlines: run `docket deadlines recompute " + case_number + "`.")
        numbers = {d.id: d.number for d in case.defendants}
        for row in rows:
            who = f", defendant {numbers.get(row.defendant_id)}" if row.defendant_id else ""
            due = row.due_on.isoformat() if row.due_on else "—"
            click.echo(f"\n{row.kind} {row.item_id}{who}: {row.name}")
            click.echo(
                f"  due {due}; {row.status.replace('_', ' ')}"
                + (f" on {row.satisfied_on}" if row.satisfied_on else "")
            )
            for line in row.explanation:
                click.echo(f"    {line}")


# --- the calendar (commands live beside their services) ----------------------------------------

from docket.calendar.commands import schedule, sessions  # noqa: E402

main.add_command(sessions)
main.add_command(schedule)


from docket.flags.commands import digest  # noqa: E402

main.add_command(digest)

from docket.sweep.commands import sweep  # noqa: E402

main.add_command(sweep)
