"""Mozilla's ical.js (the parser under Thunderbird and FullCalendar) as a test oracle.

`parse_with_icaljs(ics)` runs tests/js/parse_ics.mjs under node and returns one dict per
VEVENT, in file order:

    {"uid": str, "start_utc": "2026-07-13T14:00:00Z", "end_utc": "...Z" | None,
     "status": "CONFIRMED" | "CANCELLED" | None, "sequence": int | None, "summary": str | None}

TZID= times resolve through the calendar's own VTIMEZONEs (a TZID without one is an error),
and node runs with TZ=UTC so that nothing depends on this machine's zone.

A test that uses it calls `require_icaljs()` first: it skips with the reason when node or the
npm package is missing ("npm ci --prefix tests/js" installs it), unless DOCKET_REQUIRE_ICALJS=1
(CI sets it), in which case the test fails instead: CI must never pass by skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parent / "js"
SCRIPT = JS_DIR / "parse_ics.mjs"
PACKAGE = JS_DIR / "node_modules" / "ical.js"
INSTALL_HINT = "npm ci --prefix tests/js"
TIMEOUT_SECONDS = 30


class IcalJsError(RuntimeError):
    """ical.js rejected the calendar, or the harness itself could not run."""


def _require_flag() -> bool:
    return os.environ.get("DOCKET_REQUIRE_ICALJS") == "1"


def missing_icaljs() -> str | None:
    """Why the ical.js harness cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not on PATH (apt-get install nodejs npm, then " + INSTALL_HINT + ")"
    if not (PACKAGE / "package.json").is_file():
        return f"the npm package ical.js is not installed in {PACKAGE.parent} ({INSTALL_HINT})"
    return None


def require_icaljs() -> None:
    """Skip the calling test when ical.js cannot run; fail instead under DOCKET_REQUIRE_ICALJS=1."""
    missing = missing_icaljs()
    if missing is None:
        return
    if _require_flag():
        pytest.fail(
            f"DOCKET_REQUIRE_ICALJS=1 but {missing}: the ical.js parser tests cannot run.",
            pytrace=False,
        )
    pytest.skip(f"ical.js tests skipped: {missing}; set DOCKET_REQUIRE_ICALJS=1 to fail instead")


def parse_with_icaljs(ics: bytes) -> list[dict]:
    """The VEVENTs of `ics` as ical.js reads them (see the module docstring)."""
    missing = missing_icaljs()
    if missing is not None:
        raise IcalJsError(f"cannot run ical.js: {missing}")
    node = shutil.which("node")
    try:
        done = subprocess.run(
            [node, str(SCRIPT)],
            input=ics,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            env={**os.environ, "TZ": "UTC"},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise IcalJsError(f"ical.js did not finish within {TIMEOUT_SECONDS} s") from exc
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        raise IcalJsError(
            f"ical.js failed (exit {done.returncode}) on a {len(ics)}-byte calendar:\n{stderr}"
        )
    try:
        events = json.loads(done.stdout)
    except ValueError as exc:
        raise IcalJsError(
            f"ical.js printed something that is not JSON: {done.stdout[:500]!r}"
        ) from exc
    if not isinstance(events, list):
        raise IcalJsError(f"ical.js printed {type(events).__name__}, not a list of events")
    return events


def utc(iso: str | None) -> datetime | None:
    """An ISO 8601 UTC string from `parse_with_icaljs` as an aware datetime (None stays None)."""
    if iso is None:
        return None
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC)
