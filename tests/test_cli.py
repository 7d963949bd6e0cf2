"""`docket user create` and `docket user list`: the accounts a court sets up from the shell.

The commands live on `docket.cli.main` (a FlaskGroup), not on `app.cli`, so they are invoked
through the app's CLI runner with `main` as the command; the runner hands `main` a ScriptInfo
that loads the test app. Each run gets its own application context, as from a shell.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from docket.cli import main
from docket.extensions import db
from docket.models import Attorney, Court, Judge, User
from tests.conftest import sign_in
from tests.isolated_client import isolated_client

GOOD_PASSWORD = "password123456"


def docket(app, *args: str, password: str = GOOD_PASSWORD):
    with app.app_context():
        return app.test_cli_runner().invoke(main, args=list(args), input=f"{password}\n")


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(User))


def account(email: str) -> User | None:
    db.session.rollback()
    return db.session.scalar(select(User).where(User.email == email))


def can_sign_in(app, email: str, password: str = GOOD_PASSWORD) -> bool:
    client = isolated_client(app)
    if sign_in(client, email, password).status_code != 302:
        return False
    return client.get("/").status_code == 200


@pytest.fixture
def new_attorney(court):
    row = Attorney(bar_number="D-400", name="Iris Park", office="appointed")
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize(
    ("role", "options", "court_code", "linked"),
    [
        ("clerk", ["--court", "CIR1"], "CIR1", None),
        ("admin", ["--court", "CIR2"], "CIR2", None),
        ("judge", ["--judge", "far away"], "CIR2", "judge"),
        ("attorney", ["--attorney", "D-400"], None, "attorney"),
    ],
)
def test_each_role_gets_a_working_account(
    app, court, new_attorney, role, options, court_code, linked
):
    result = docket(
        app,
        "user",
        "create",
        "--email",
        "New.Person@Example.TEST",
        "--role",
        role,
        *options,
        "--password-stdin",
    )
    assert result.exit_code == 0, result.output
    assert f"created {role} new.person@example.test" in result.output
    assert GOOD_PASSWORD not in result.output

    created = account("new.person@example.test")
    assert created.role == role
    assert created.active
    if court_code is None:
        assert created.court_id is None
    else:
        assert created.court.code == court_code
    if linked == "judge":
        assert created.judge.name == "Far Away"
        assert created.name == "Far Away"
    elif linked == "attorney":
        assert created.attorney_id == new_attorney.id
        assert created.name == "Iris Park"
    else:
        assert (created.judge_id, created.attorney_id) == (None, None)
    assert can_sign_in(app, "new.person@example.test")
    assert can_sign_in(app, "NEW.PERSON@example.test")
    assert not can_sign_in(app, "new.person@example.test", "password12345")


def test_a_display_name_may_be_given(app, court):
    result = docket(
        app,
        "user",
        "create",
        "--email",
        "deputy@cir1.test",
        "--role",
        "clerk",
        "--court",
        "CIR1",
        "--name",
        "Deputy Clerk Ruiz",
        "--password-stdin",
    )
    assert result.exit_code == 0, result.output
    assert account("deputy@cir1.test").name == "Deputy Clerk Ruiz"


def test_the_first_administrator_of_a_single_court_needs_no_court_option(app_context):
    app = app_context
    db.session.add(Court(code="ONLY", name="The Only Court", time_zone="America/Chicago"))
    db.session.commit()
    result = docket(
        app,
        "user",
        "create",
        "--email",
        "admin@court.example",
        "--role",
        "admin",
        "--password-stdin",
    )
    assert result.exit_code == 0, result.output
    assert account("admin@court.example").court.code == "ONLY"
    assert can_sign_in(app, "admin@court.example")


def test_without_a_court_no_clerk_can_be_created(app_context):
    result = docket(
        app_context,
        "user",
        "create",
        "--email",
        "admin@court.example",
        "--role",
        "admin",
        "--password-stdin",
    )
    assert result.exit_code != 0
    assert "belong to a court" in result.output
    assert user_count() == 0


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        pytest.param(
            ["--email", "clerk@cir1.test", "--role", "clerk", "--court", "CIR1"],
            GOOD_PASSWORD,
            "an account for clerk@cir1.test already exists",
            id="duplicate email",
        ),
        pytest.param(
            ["--email", "CLERK@Cir1.Test", "--role", "clerk", "--court", "CIR1"],
            GOOD_PASSWORD,
            "an account for clerk@cir1.test already exists",
            id="duplicate email in capitals",
        ),
        pytest.param(
            ["--email", "x@defense.test", "--role", "attorney", "--attorney", "Z-999"],
            GOOD_PASSWORD,
            "no attorney with bar number 'Z-999'",
            id="unknown bar number",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "judge", "--judge", "Nobody Atall"],
            GOOD_PASSWORD,
            "no judge named 'Nobody Atall'",
            id="unknown judge",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "clerk", "--court", "CIR1"],
            "short",
            "the password must be at least 10 characters long",
            id="short password",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "clerk", "--court", "CIR1"],
            "",
            "the password must be at least 10 characters long",
            id="no password",
        ),
        pytest.param(
            ["--email", "x@defense.test", "--role", "attorney"],
            GOOD_PASSWORD,
            "an attorney account needs --attorney BAR_NUMBER",
            id="attorney without --attorney",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "judge"],
            GOOD_PASSWORD,
            "a judge account needs --judge NAME",
            id="judge without --judge",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "judge", "--judge", "Adaeze Okafor"],
            GOOD_PASSWORD,
            "judge Adaeze Okafor already has an account (okafor@cir1.test)",
            id="judge who already has an account",
        ),
        pytest.param(
            ["--email", "x@defense.test", "--role", "attorney", "--attorney", "D-200"],
            GOOD_PASSWORD,
            "attorney D-200 already has an account (moreno@defense.test)",
            id="attorney who already has an account",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "clerk"],
            GOOD_PASSWORD,
            "there are several courts (CIR1, CIR2): choose one with --court",
            id="clerk without --court among several courts",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "clerk", "--court", "CIR9"],
            GOOD_PASSWORD,
            "no court with code 'CIR9'",
            id="unknown court",
        ),
        pytest.param(
            ["--email", "not-an-email", "--role", "clerk", "--court", "CIR1"],
            GOOD_PASSWORD,
            "'not-an-email' is not an email address",
            id="not an email address",
        ),
        pytest.param(
            ["--email", "x@cir1.test", "--role", "bailiff", "--court", "CIR1"],
            GOOD_PASSWORD,
            "Invalid value for '--role'",
            id="unknown role",
        ),
    ],
)
def test_a_refused_account_names_the_problem_and_creates_nothing(
    app, court, args, password, message
):
    before = user_count()
    result = docket(app, "user", "create", *args, "--password-stdin", password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert user_count() == before


def test_the_password_is_read_from_stdin_only(app, court):
    result = docket(
        app, "user", "create", "--email", "x@cir1.test", "--role", "clerk", "--court", "CIR1"
    )
    assert result.exit_code != 0
    assert "--password-stdin" in result.output
    assert account("x@cir1.test") is None


def test_user_list_prints_the_accounts(app, court):
    court.other_court_clerk.active = False
    db.session.commit()
    result = docket(app, "user", "list")
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert set(lines) == {
        "clerk@cir1.test",
        "okafor@cir1.test",
        "lind@cir1.test",
        "admin@cir1.test",
        "moreno@defense.test",
        "vega@defense.test",
        "chen@da.test",
        "clerk@cir2.test",
    }
    assert lines["okafor@cir1.test"].split()[1] == "judge"
    assert "judge: Adaeze Okafor" in lines["okafor@cir1.test"]
    assert "judge: Peter Lind" in lines["lind@cir1.test"]
    assert lines["moreno@defense.test"].split()[1] == "attorney"
    assert "attorney: D-200" in lines["moreno@defense.test"]
    assert lines["admin@cir1.test"].split()[1] == "admin"
    assert lines["clerk@cir2.test"].rstrip().endswith("(inactive)")
    assert not lines["clerk@cir1.test"].rstrip().endswith("(inactive)")
    assert "password" not in result.output.lower()


def test_a_created_account_is_listed(app, court, new_attorney):
    docket(
        app,
        "user",
        "create",
        "--email",
        "park@defense.test",
        "--role",
        "attorney",
        "--attorney",
        "D-400",
        "--password-stdin",
    )
    result = docket(app, "user", "list")
    assert any(
        line.startswith("park@defense.test") and "attorney: D-400" in line
        for line in result.output.splitlines()
    )


def test_judges_of_the_same_name_in_two_courts_need_the_court(app, court):
    db.session.add(Judge(court=court.court, name="Far Away"))
    db.session.commit()
    result = docket(
        app,
        "user",
        "create",
        "--email",
        "far@cir1.test",
        "--role",
        "judge",
        "--judge",
        "Far Away",
        "--password-stdin",
    )
    assert result.exit_code != 0
    assert "several judges are named 'Far Away'" in result.output
    result = docket(
        app,
        "user",
        "create",
        "--email",
        "far@cir1.test",
        "--role",
        "judge",
        "--judge",
        "Far Away",
        "--court",
        "CIR1",
        "--password-stdin",
    )
    assert result.exit_code == 0, result.output
    assert account("far@cir1.test").court.code == "CIR1"
