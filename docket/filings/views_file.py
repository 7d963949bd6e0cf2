"""Placeholder: filled in by the issue 6 work."""

from docket.filings import blueprint  # noqa: F401
