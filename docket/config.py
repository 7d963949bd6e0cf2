"""Configuration: defaults, then `instance/config.py`, then the environment, then the caller.

The secret key is generated into the instance folder on first run so that a fresh clone
works without a step, and so that no secret is ever committed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULTS = {
    "COURT_TIMEZONE": "America/Chicago",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    # Failed sign-ins allowed per client address; successful ones are not counted.
    "SIGN_IN_RATE_LIMIT": "10 per 15 minutes",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # werkzeug's default (scrypt); tests may choose a cheaper method.
    "PASSWORD_HASH_METHOD": "scrypt",
    "CASES_PER_PAGE": 50,
    "JOB_HEARTBEAT_SECONDS": 60,
    # The court's case-management plan versions (rules/README.md); the one in force when a
    # case was filed governs it.
    "PLAN_FILES": ["rules/state-dcm-2026.toml"],
    # How many active cases the preview of a new plan version checks (in batches).
    "PLAN_PREVIEW_LIMIT": 5000,
    # Calendar sessions are made from their templates this many months ahead, every night at
    # SESSION_MATERIALIZE_AT (court time, HH:MM) and on the clerk's "Materialize now".
    "CALENDAR_HORIZON_MONTHS": 6,
    "SESSION_MATERIALIZE_AT": "02:30",
    # Hearing types any judge's session may take (a duty calendar); others go before the
    # case's own judge.
    "SCHEDULE_ANY_JUDGE_TYPES": ["initial_appearance", "detention"],
    # How far ahead proposals for one hearing look.
    "CALENDAR_PROPOSAL_DAYS": 120,
    # Calendar feeds: the window, and the scheme of the links users copy (Google needs https).
    "FEED_DAYS_BACK": 60,
    "FEED_MONTHS_AHEAD": 18,
    "FEED_URL_SCHEME": "https",
    # Judges' reports (CourTools): age buckets (upper bounds in days; a last open bucket
    # follows), time standards per case type as [days, percent disposed within] (Model Time
    # Standards for State Trial Courts), and what is left out of a case's age.
    "REPORT_AGE_BUCKETS": [90, 180, 365],
    "REPORT_TIME_STANDARDS": {
        "felony": [[90, 75], [180, 90], [365, 98]],
        "misdemeanor": [[60, 75], [90, 90], [180, 98]],
    },
    "REPORT_EXCLUDE_WARRANT_PERIODS": True,
    "REPORT_EXCLUDE_COMPETENCY": True,
    # The nightly sweep (docket/sweep/): when it runs (court time), how close a speedy-trial
    # limit or a document's due date must be to raise a flag, and how late a missed night may
    # still be caught up when the job process starts.
    "SWEEP_AT": "01:30",
    "SPEEDY_TRIAL_WARN_DAYS": 14,
    "DOCUMENT_DUE_SOON_DAYS": 3,
    "SWEEP_MISFIRE_GRACE_HOURS": 20,
    # The incremental sweep: how far before the last run's start a change counts as new (a
    # transaction that stamps its rows before it commits), and the largest gap in days it
    # bridges (beyond it, or with changed plans or settings, the sweep runs full).
    "SWEEP_CHANGE_MARGIN_MINUTES": 60,
    "SWEEP_INCREMENTAL_MAX_DAYS": 14,
    # The morning digest (docket/flags/digest.py): off until an SMTP server is configured.
    "MAIL_ENABLED": False,
    "MAIL_HOST": "localhost",
    "MAIL_PORT": 25,
    "MAIL_USE_STARTTLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "docket@localhost",
    "MAIL_TIMEOUT": 30,
    "DIGEST_AT": "06:30",
    # The address case links in emails start with (e.g. "https://docket.court.example").
    "PUBLIC_URL": None,
    "FLAGS_PER_PAGE": 50,
    # Filings (docket/filings/): the largest PDF accepted, the number of files per filing
    # (main document and attachments), and where the bytes go (default: instance/documents).
    "DOCUMENT_MAX_BYTES": 50 * 1024 * 1024,
    "DOCUMENT_MAX_FILES": 10,
    "DOCUMENTS_DIR": None,
    "DOCKET_ENTRIES_PER_SEARCH": 50,
}

# Settings the environment may override, with their types.
ENV_SETTINGS = {
    "DATABASE_URL": str,
    "SECRET_KEY": str,
    "COURT_TIMEZONE": str,
    "RATELIMIT_STORAGE_URI": str,
    "SIGN_IN_RATE_LIMIT": str,
    "MAIL_HOST": str,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_FROM": str,
    "PUBLIC_URL": str,
}


def instance_path() -> Path:
    """The instance folder: `DOCKET_INSTANCE_PATH`, else `instance/` beside the package."""
    configured = os.environ.get("DOCKET_INSTANCE_PATH")
    if configured:
        return Path(configured).resolve()
    return (Path(__file__).resolve().parent.parent / "instance").resolve()


def load_secret_key(folder: Path) -> str:
    """Read the instance's secret key, creating it (mode 600) on first use."""
    key_file = folder / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def sqlalchemy_url(url: str) -> str:
    """Accept the URLs operators paste (postgres://, postgresql://) and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check(config: dict) -> None:
    """Refuse to start with a setting that would make the court's dates wrong."""
    try:
        ZoneInfo(config["COURT_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"COURT_TIMEZONE {config['COURT_TIMEZONE']!r} is not an IANA time zone name "
            "(for example America/Chicago)"
        ) from exc
