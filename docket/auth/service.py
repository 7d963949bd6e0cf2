"""Accounts: finding, checking and creating users."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from docket.clock import utc_now
from docket.extensions import db
from docket.models import Attorney, Judge, User

# Checked when no account matches, so that an unknown email costs as long as a wrong password.
_DUMMY_HASH: dict[str, str] = {}


class AccountError(ValueError):
    """A user account that cannot be created as asked; the message names the problem."""


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash("not a password", method=method)
        check_password_hash(_DUMMY_HASH[method], password)
        return None
    if not user.check_password(password):
        return None
    user.last_sign_in_at = utc_now()
    db.session.commit()
    return user


def _one_account_each(link, who: str) -> None:
    """A judge or an attorney signs in with one account (the link is unique in the schema)."""
    taken = db.session.scalar(select(User.email).where(link))
    if taken:
        raise AccountError(f"{who} already has an account ({taken})")


def create_user(
    *,
    email: str,
    role: str,
    password: str,
    name: str | None = None,
    court_id: int | None = None,
    attorney_bar_number: str | None = None,
    judge_name: str | None = None,
) -> User:
    """Create an account; raises AccountError naming what is wrong. The caller commits."""
    email = email.strip().lower()
    if role not in ("clerk", "judge", "attorney", "admin"):
        raise AccountError(f"role must be clerk, judge, attorney or admin, not {role!r}")
    if "@" not in email:
        raise AccountError(f"{email!r} is not an email address")
    if len(password) < 10:
        raise AccountError("the password must be at least 10 characters long")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise AccountError(f"an account for {email} already exists")
    user = User(email=email, role=role, court_id=court_id)
    if role == "attorney":
        if not attorney_bar_number:
            raise AccountError("an attorney account needs --attorney BAR_NUMBER")
        attorney = db.session.scalar(
            select(Attorney).where(Attorney.bar_number == attorney_bar_number)
        )
        if attorney is None:
            raise AccountError(f"no attorney with bar number {attorney_bar_number!r}")
        _one_account_each(User.attorney_id == attorney.id, f"attorney {attorney.bar_number}")
        user.attorney = attorney
        user.court_id = None
        name = name or attorney.name
    elif role == "judge":
        if not judge_name:
            raise AccountError("a judge account needs --judge NAME")
        query = select(Judge).where(func.lower(Judge.name) == judge_name.strip().lower())
        if court_id is not None:
            query = query.where(Judge.court_id == court_id)
        judges = db.session.scalars(query).all()
        if not judges:
            raise AccountError(f"no judge named {judge_name!r}")
        if len(judges) > 1:
            raise AccountError(f"several judges are named {judge_name!r}; name the court")
        _one_account_each(User.judge_id == judges[0].id, f"judge {judges[0].name}")
        user.judge = judges[0]
        user.court_id = judges[0].court_id
        name = name or judges[0].name
    if user.court_id is None and role != "attorney":
        raise AccountError("clerks and administrators belong to a court; none is set up yet")
    user.name = name or email.split("@")[0]
    user.set_password(password, method=current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    return user
