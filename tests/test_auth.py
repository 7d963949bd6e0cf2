"""Signing in and out: who gets in, what a refusal says, where a user lands, and the
protections around the form (CSRF, failed sign-in limit)."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from docket import create_app
from docket.extensions import db
from docket.models import Case, User
from tests.conftest import TEST_CONFIG, sign_in
from tests.factories import PASSWORD
from tests.isolated_client import isolated_client

NO_MATCH = "That email and password do not match an active account."


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def is_signed_in(client) -> bool:
    response = client.get("/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.fixture
def make_app(database_url, court):
    """Another app on the test's database (with the small court), with its own settings."""
    made = []

    def make(**settings):
        other = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, **settings})
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


# --- signing in ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "dashboard"),
    [
        ("clerk@cir1.test", "Clerk's office — First Circuit Court"),
        ("okafor@cir1.test", "Hon. Adaeze Okafor"),
        ("moreno@defense.test", "Bar no. D-200"),
        ("admin@cir1.test", "Court administration — First Circuit Court"),
    ],
)
def test_each_role_signs_in_to_its_dashboard(app, court, email, dashboard):
    client = isolated_client(app)
    response = sign_in(client, email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert dashboard in text(page)
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.email == email))
    assert user.last_sign_in_at is not None


def test_the_email_is_not_case_sensitive(app, court):
    client = isolated_client(app)
    assert sign_in(client, "  Clerk@CIR1.test ").status_code == 302
    assert is_signed_in(client)


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app, court):
    wrong_password = sign_in(isolated_client(app), "clerk@cir1.test", "not the password")
    unknown_email = sign_in(isolated_client(app), "nobody@cir1.test", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 200
    errors = [
        re.search(r'<div class="form-errors" role="alert">(.*?)</div>', r.get_data(as_text=True))
        for r in (wrong_password, unknown_email)
    ]
    assert errors[0].group(1) == errors[1].group(1) == f"<p>{NO_MATCH}</p>"


def test_a_failed_sign_in_signs_nobody_in(app, court):
    client = isolated_client(app)
    sign_in(client, "clerk@cir1.test", "not the password")
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("email", "password", "field", "message"),
    [
        ("", PASSWORD, "email", "Enter your email address."),
        ("clerk@cir1.test", "", "password", "Enter your password."),
    ],
)
def test_an_empty_field_is_named(app, court, email, password, field, message):
    response = sign_in(isolated_client(app), email, password)
    assert response.status_code == 200
    assert f'<p class="error" id="{field}-error">{message}</p>' in response.get_data(as_text=True)


def test_an_inactive_account_cannot_sign_in(app, court):
    court.clerk.active = False
    db.session.commit()
    client = isolated_client(app)
    response = sign_in(client, "clerk@cir1.test")
    assert response.status_code == 200
    assert NO_MATCH in text(response)
    assert not is_signed_in(client)


def test_deactivating_an_account_ends_its_sign_in(app, court):
    client = isolated_client(app)
    assert sign_in(client, "clerk@cir1.test").status_code == 302
    assert client.get(f"/cases/{court.rivera.id}").status_code == 200
    court.clerk.active = False
    db.session.commit()
    response = client.get(f"/cases/{court.rivera.id}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_signed_in_user_visiting_sign_in_goes_to_the_dashboard(app, court):
    client = isolated_client(app)
    sign_in(client, "clerk@cir1.test")
    response = client.get("/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# --- signing out ---------------------------------------------------------------------------


def test_sign_out_requires_post(app, court):
    client = isolated_client(app)
    sign_in(client, "clerk@cir1.test")
    assert client.get("/sign-out").status_code == 405
    assert is_signed_in(client)

    response = client.post("/sign-out")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert not is_signed_in(client)
    assert "You are signed out." in text(client.get("/sign-in"))


# --- where a user lands --------------------------------------------------------------------


def test_sign_in_returns_to_the_page_that_asked_for_it(app, court):
    client = isolated_client(app)
    asked = client.get("/cases/?q=Rivera")
    assert asked.status_code == 302
    sign_in_url = asked.headers["Location"]
    assert sign_in_url.startswith("/sign-in?next=")
    response = client.post(sign_in_url, data={"email": "clerk@cir1.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/cases/?q=Rivera"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example/cases/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "/\r\n/evil.example/",
        " //evil.example/",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_only_follows_local_paths(app, court, target):
    client = isolated_client(app)
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": "clerk@cir1.test", "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # Where a browser at http://localhost/ would go.
    assert urlsplit(urljoin("http://localhost/sign-in", location)).netloc == "localhost"
    assert location == "/"
    assert is_signed_in(client)


# --- CSRF ----------------------------------------------------------------------------------


def csrf_token(page) -> str:
    return re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)
    ).group(1)


def test_a_sign_in_without_the_csrf_token_is_refused(make_app):
    protected = make_app(WTF_CSRF_ENABLED=True)
    client = isolated_client(protected)
    response = sign_in(client, "clerk@cir1.test")
    assert response.status_code == 400
    assert "Form expired" in text(response)
    assert not is_signed_in(client)

    token = csrf_token(client.get("/sign-in"))
    response = client.post(
        "/sign-in", data={"email": "clerk@cir1.test", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_form_posted_from_elsewhere_changes_nothing(make_app, court):
    protected = make_app(WTF_CSRF_ENABLED=True)
    client = isolated_client(protected)
    token = csrf_token(client.get("/sign-in"))
    client.post(
        "/sign-in", data={"email": "clerk@cir1.test", "password": PASSWORD, "csrf_token": token}
    )
    rivera_id = court.rivera.id
    response = client.post(f"/cases/{rivera_id}/defendants/new", data={"last_name": "Forged"})
    assert response.status_code == 400
    assert "Form expired" in text(response)
    response = client.post("/sign-out")
    assert response.status_code == 400
    assert is_signed_in(client)
    db.session.rollback()
    rivera = db.session.get(Case, rivera_id)
    assert [d.last_name for d in rivera.defendants] == ["Rivera"]


# --- failed sign-in limit ------------------------------------------------------------------


def test_failed_sign_ins_are_limited_and_successful_ones_are_not_counted(make_app):
    limited = make_app(SIGN_IN_RATE_LIMIT="3 per 15 minutes")
    client = isolated_client(limited)
    for _ in range(5):
        assert sign_in(client, "clerk@cir1.test").status_code == 302
        assert client.post("/sign-out").status_code == 302

    for _ in range(3):
        assert sign_in(client, "clerk@cir1.test", "not the password").status_code == 200

    response = sign_in(client, "clerk@cir1.test", "not the password")
    assert response.status_code == 429
    assert "Too many failed sign-ins from this address." in text(response)
    # The right password does not get past the limit either.
    assert sign_in(client, "clerk@cir1.test").status_code == 429
    assert not is_signed_in(client)
    # The form itself still shows.
    assert client.get("/sign-in").status_code == 200

    # Another address is not affected.
    elsewhere = isolated_client(limited)
    elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert sign_in(elsewhere, "clerk@cir1.test").status_code == 302
