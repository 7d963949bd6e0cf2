"""The edge where Docket reads the clock. The core never does: it takes `today`/`now`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def court_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["COURT_TIMEZONE"])


def utc_now() -> datetime:
    return datetime.now(UTC)


def court_now() -> datetime:
    return utc_now().astimezone(court_zone())


def court_today() -> date:
    """The court's calendar date, which is not the server's when the server runs in UTC."""
    return court_now().date()


def to_court_time(instant: datetime | None) -> datetime | None:
    return instant.astimezone(court_zone()) if instant else None
