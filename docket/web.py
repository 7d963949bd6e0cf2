"""What every page shares: the signed-in user, error pages, time formatting, security headers."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from docket.clock import court_today, to_court_time
from docket.extensions import db, login_manager
from docket.models import User

NAVIGATION = {
    "clerk": [
        ("dashboard.home", "Dashboard"),
        ("flags.queue", "Work queue"),
        ("cases.index", "Cases"),
        ("cases.new", "Open a case"),
        ("calendar.day", "Calendar"),
        ("calendar.templates", "Sessions"),
        ("calendar.batch", "Batch scheduling"),
        ("reports.index", "Reports"),
        ("calendar.unavailability", "Unavailability"),
        ("feeds.index", "Feeds"),
    ],
    "judge": [
        ("dashboard.home", "Dashboard"),
        ("cases.index", "Cases"),
        ("calendar.day", "Calendar"),
        ("reports.index", "Reports"),
        ("feeds.index", "Feeds"),
    ],
    "attorney": [
        ("dashboard.home", "Dashboard"),
        ("cases.index", "My cases"),
        ("flags.mine", "My deadlines"),
        ("filings.mine", "My filings"),
        ("filings.due", "Due from me"),
        ("calendar.unavailability", "Unavailability"),
        ("feeds.index", "Feeds"),
    ],
    "admin": [
        ("dashboard.home", "Dashboard"),
        ("cases.index", "Cases"),
        ("calendar.day", "Calendar"),
        ("calendar.templates", "Sessions"),
        ("reports.index", "Reports"),
        ("feeds.index", "Feeds"),
        ("admin.plans", "Plan"),
        ("sweep.runs", "Job runs"),
        ("admin.users", "Users"),
    ],
}

# The menu item a page belongs to when it is not a menu item itself: a case's pages (its
# docket, entries, filings, hearings) are under Cases / My cases; a calendar page under
# Calendar. A page that is an item (My filings, Search) is that item.
NAVIGATION_SECTIONS = {
    "cases": "cases.index",
    "filings": "cases.index",
    "hearings": "cases.index",
    "calendar": "calendar.day",
}


# Each role's menu as the header shows it: Search is everyone's (each sees only what they may).
MENUS = {role: [*pages, ("filings.search", "Search")] for role, pages in NAVIGATION.items()}
MENU_ENDPOINTS = {role: {endpoint for endpoint, _ in menu} for role, menu in MENUS.items()}


def navigation_here(role: str) -> str | None:
    """The endpoint of the menu item to mark as the current page (aria-current)."""
    endpoint = request.endpoint or ""
    items = MENU_ENDPOINTS.get(role, set())
    if endpoint in items:
        return endpoint
    section = NAVIGATION_SECTIONS.get(request.blueprint or "")
    return section if section in items else None


ERROR_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Changed by someone else",
    429: "Too many attempts",
    500: "Something went wrong",
}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def format_court_datetime(instant: datetime | None, pattern: str = "%b %-d, %Y %-I:%M %p") -> str:
    return to_court_time(instant).strftime(pattern) if instant else ""


def format_date(value: date | None) -> str:
    return f"{value:%b} {value.day}, {value.year}" if value else ""


def field_aria(field) -> dict:
    """The ARIA attributes a form field needs, and only those: WTForms would write a None
    value out as the text "None", and aria-invalid="None" reads as invalid."""
    attributes = {}
    described_by = [f"{field.id}-hint"] if field.description else []
    if field.errors:
        described_by.append(f"{field.id}-error")
        attributes["aria-invalid"] = "true"
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    return attributes


def init_app(app: Flask) -> None:
    app.jinja_env.filters["court_datetime"] = format_court_datetime
    app.jinja_env.filters["court_date"] = format_date
    app.jinja_env.globals["navigation"] = MENUS
    app.jinja_env.globals["field_aria"] = field_aria
    app.jinja_env.globals["navigation_here"] = navigation_here

    @app.context_processor
    def shared() -> dict:
        return {"court_today": court_today}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:"
        )
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = "The form had expired or was sent from elsewhere. Reload the page and try again."
        return render_template(
            "errors/error.html", code=400, title="Form expired", message=message
        ), 400

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(error: StaleDataError):
        """Optimistic locking refused a write: someone else changed the record first."""
        db.session.rollback()
        message = (
            "Someone else changed this record while you were working on it, so your change "
            "was not saved. Reload the page to see the current version, then make your "
            "change again."
        )
        return render_template(
            "errors/error.html", code=409, title=ERROR_TITLES[409], message=message
        ), 409

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        message = error.description
        if error.code >= 500:
            # Unhandled errors arrive here as InternalServerError (outside testing).
            db.session.rollback()
            message = "The error was logged. Nothing was saved from this request."
        title = ERROR_TITLES.get(error.code, error.name)
        return render_template(
            "errors/error.html", code=error.code, title=title, message=message
        ), error.code
