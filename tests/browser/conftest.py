"""Browser-test harness: the real app served over HTTP, driven by Debian's Chromium.

- `chromium_executable` finds /usr/bin/chromium and the playwright package. When either is
  missing the browser tests are skipped with the reason, unless DOCKET_REQUIRE_BROWSER=1
  (CI sets it), in which case they fail instead: CI must never pass by skipping them.
- `live_server` serves a fresh app per test on 127.0.0.1 and a free port (werkzeug, threaded),
  on a copy of the migrated SQLite template with the small court of tests/factories.py.
  CSRF protection stays on: the forms carry their real tokens. An exception inside the app
  fails the test even when the page only shows "Internal Server Error".
- `page` is a fresh browser context per test whose base URL is the live server; its final
  page is saved as a full-page screenshot in test-artifacts/browser/ for a human to look at;
  `snapshot("label")` saves an intermediate page there too.

Every test in this folder is marked `browser` (`pytest -m "not browser"` leaves them out).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from docket import create_app
from docket.extensions import db
from tests.conftest import TEST_CONFIG
from tests.factories import PASSWORD, build_court

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # reported by `chromium_executable`, which every browser test needs
    Page = expect = sync_playwright = None

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRE_BROWSER = os.environ.get("DOCKET_REQUIRE_BROWSER") == "1"
VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the browser ---------------------------------------------------------------------------


def _missing_browser() -> str | None:
    if sync_playwright is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"Chromium is not at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    missing = _missing_browser()
    if missing is None:
        return str(CHROMIUM)
    if REQUIRE_BROWSER:
        pytest.fail(
            f"DOCKET_REQUIRE_BROWSER=1 but {missing}: the browser tests cannot run.",
            pytrace=False,
        )
    pytest.skip(f"browser tests skipped: {missing}; set DOCKET_REQUIRE_BROWSER=1 to fail instead")


@pytest.fixture(autouse=True)
def _needs_browser(chromium_executable):
    """Every browser test skips (or, in CI, fails) when the browser is missing."""


@pytest.fixture(scope="session")
def browser(chromium_executable):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


# --- the server ----------------------------------------------------------------------------


@dataclass
class LiveServer:
    """The app running on a real port; `rivera_id`/`ortiz_id` are the small court's cases."""

    url: str
    app: Flask
    rivera_id: int
    ortiz_id: int
    errors: list[str] = field(default_factory=list)


def _recording_errors(wsgi_app, errors: list[str]):
    """Remember every exception the app raises (werkzeug turns it into a bare 500 page)."""

    def wrapped(environ, start_response):
        try:
            return wsgi_app(environ, start_response)
        except Exception:
            errors.append(
                f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}\n"
                + traceback.format_exc()
            )
            raise

    return wrapped


@pytest.fixture
def live_server(sqlite_template, tmp_path) -> Iterator[LiveServer]:
    path = tmp_path / "docket.sqlite"
    shutil.copyfile(sqlite_template, path)
    app = create_app({**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        court = build_court()
        rivera_id, ortiz_id = court.rivera.id, court.ortiz.id
        db.session.remove()

    errors: list[str] = []
    app.wsgi_app = _recording_errors(app.wsgi_app, errors)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="docket-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(
            url=f"http://127.0.0.1:{server.server_port}",
            app=app,
            rivera_id=rivera_id,
            ortiz_id=ortiz_id,
            errors=errors,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if errors:
        pytest.fail("The app raised while serving the browser:\n\n" + "\n".join(errors))


# --- the page ------------------------------------------------------------------------------


def _artifact_name(node) -> str:
    name = f"{Path(str(node.path)).stem}__{node.name}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:150]


@pytest.fixture
def page(browser, live_server, request) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"{_artifact_name(request.node)}.png"
        try:
            tab.screenshot(path=str(target), full_page=True)
        except Exception as exc:  # a screenshot must not hide the test's own result
            warnings.warn(f"no screenshot for {request.node.nodeid}: {exc}", stacklevel=1)
        context.close()


@pytest.fixture
def snapshot(page, request):
    """`snapshot("label")` also saves the page as it is now, beside the final screenshot."""

    def save(label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)
        target = ARTIFACTS / f"{_artifact_name(request.node)}--{slug}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return save


# --- helpers for tests ---------------------------------------------------------------------


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form and wait until the signed-in page shows."""
    fill_sign_in(page, email, password)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def fill_sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


__all__ = ["PASSWORD", "LiveServer", "Page", "expect", "fill_sign_in", "sign_in"]
