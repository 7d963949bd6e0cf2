"""Judges' reports (CourTools Measures 2 to 5, plan compliance, continuances): pages, CSV
exports and print views under /reports. The SQL is in `service`, the pure parts (buckets,
standards, the table and the SVG chart) in docket/core/reports.py."""

from flask import Blueprint

blueprint = Blueprint("reports", __name__, url_prefix="/reports")

from docket.reports import views  # noqa: E402,F401  (routes on the blueprint)
