"""Placeholder: routes land here."""
