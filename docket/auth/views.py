from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from docket.auth.forms import SignInForm
from docket.auth.service import authenticate
from docket.extensions import limiter

blueprint = Blueprint("auth", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only local paths, so that a crafted link cannot send a user elsewhere after sign-in.
    Browsers read a backslash as a slash and drop tabs and newlines, so "/\\host" and
    "/<tab>/host" lead off the site: such targets are refused, not cleaned."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return url_for("dashboard.home")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    _sign_in_limit,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 200,
    error_message="Too many failed sign-ins from this address. Wait 15 minutes and try again.",
)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = "That email and password do not match an active account."
    return render_template("auth/sign_in.html", form=form, error=error)


@blueprint.route("/sign-out", methods=["POST"])
def sign_out():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))
