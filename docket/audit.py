"""Writing the audit log: every change to a case says who, when, what, before and after."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import inspect

from docket.extensions import db
from docket.models import AuditLogEntry


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj) -> dict:
    """The object's column values as JSON-ready data."""
    mapper = inspect(obj).mapper
    return {column.key: _plain(getattr(obj, column.key)) for column in mapper.column_attrs}


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that differ, so the log reads as the change itself."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(
    action: str,
    obj,
    *,
    case_id: int | None,
    before: dict | None = None,
    after: dict | None = None,
    user=None,
) -> AuditLogEntry:
    """Add an audit row to the current transaction (the caller's commit writes both or neither)."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    db.session.flush()
    entry = AuditLogEntry(
        user_id=user.id if user is not None else None,
        action=action,
        entity_type=type(obj).__tablename__,
        entity_id=getattr(obj, "id", None),
        case_id=case_id,
        before=before,
        after=after if after is not None else snapshot(obj),
        remote_addr=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
