"""Counting the SQL statements a page or a function sends: a page's count must not grow
with its rows (no query per row)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from docket.extensions import db


@contextmanager
def counted_queries():
    """The statements sent to the app's engine inside the block, as a list of their SQL."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
