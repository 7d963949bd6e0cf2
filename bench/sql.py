"""SQL fragments the bulk generators of bench/ share, for PostgreSQL and SQLite alike."""

from __future__ import annotations

from datetime import date


def series(engine: str, count: int) -> str:
    """A FROM clause yielding g = 1..count."""
    if engine == "postgresql":
        return f"generate_series(1::bigint, {count}) AS s(g)"
    return (
        f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {count}) "
        "SELECT g FROM s) AS s"
    )


def day_plus(engine: str, day: date | str, days: str) -> str:
    """The date `days` (an SQL integer expression) after the literal `day`."""
    iso = day.isoformat() if isinstance(day, date) else day
    if engine == "postgresql":
        return f"(DATE '{iso}' + ({days})::int)"
    return f"date('{iso}', ({days}) || ' days')"
