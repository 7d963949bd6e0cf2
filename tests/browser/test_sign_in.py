"""Signing in through the real form, in a real browser."""

from __future__ import annotations

from tests.browser.conftest import expect, fill_sign_in, sign_in


def test_wrong_password_shows_the_error_and_stays_signed_out(page, snapshot):
    fill_sign_in(page, "clerk@cir1.test", "not the password")

    expect(page.get_by_role("alert")).to_have_text(
        "That email and password do not match an active account."
    )
    expect(page).to_have_url("/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Docket")
    expect(page.get_by_label("Email", exact=True)).to_have_value("clerk@cir1.test")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    snapshot("error")

    # Still signed out: a case list sends the visitor back to the sign-in form.
    page.goto("/cases/")
    expect(page).to_have_url("/sign-in?next=%2Fcases%2F")
    expect(page.get_by_role("status")).to_have_text("Please sign in to see that page.")


def test_clerk_signs_in_and_out(page):
    sign_in(page, "clerk@cir1.test")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Clerk's office — First Circuit Court"
    )

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/sign-in")
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(page, live_server):
    assert live_server.app.config["WTF_CSRF_ENABLED"] is True
    page.goto("/sign-in")
    token = page.locator("form input[name=csrf_token]")
    expect(token).to_have_count(1)
    assert token.get_attribute("value")

    response = page.request.post(
        "/sign-in", form={"email": "clerk@cir1.test", "password": "correct horse battery"}
    )
    assert response.status == 400
    assert "Form expired" in response.text()
