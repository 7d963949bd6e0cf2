"""What a screen reader is told about the clerk's forms, as Chromium computes it."""

from __future__ import annotations

import re

from tests.browser.conftest import expect, sign_in

FIELDS = "form input:not([type=hidden]), form select, form textarea"

# Fields a screen reader would call invalid, or that point their description at nothing.
ARIA_PROBLEMS = """() => [...document.querySelectorAll('input, select, textarea')].flatMap(e => {
  const problems = [];
  const invalid = e.getAttribute('aria-invalid');
  if (invalid !== null && invalid !== 'false') {
    problems.push(`${e.name}: aria-invalid="${invalid}"`);
  }
  for (const id of (e.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)) {
    if (!document.getElementById(id)) problems.push(`${e.name}: aria-describedby="${id}"`);
  }
  return problems;
})"""


def _form_pages(live_server) -> list[str]:
    case = f"/cases/{live_server.rivera_id}"
    return [
        "/cases/",
        "/cases/new",
        f"{case}/defendants/new",
        f"{case}/charges/new",
        f"{case}/counsel/new",
        f"{case}/events/new",
    ]


def _expect_every_field_labelled(page, path: str) -> None:
    fields = page.locator(FIELDS)
    assert fields.count() > 0, f"no form fields on {path}"
    for index in range(fields.count()):
        expect(fields.nth(index)).to_have_accessible_name(re.compile(r"\w"))


def test_every_field_of_the_clerks_forms_has_a_label(page, live_server):
    page.goto("/sign-in")
    _expect_every_field_labelled(page, "/sign-in")
    sign_in(page, "clerk@cir1.test")
    for path in _form_pages(live_server):
        page.goto(path)
        _expect_every_field_labelled(page, path)


def test_untouched_forms_mark_no_field_invalid(page, live_server):
    page.goto("/sign-in")
    problems = [f"/sign-in {problem}" for problem in page.evaluate(ARIA_PROBLEMS)]
    sign_in(page, "clerk@cir1.test")
    for path in _form_pages(live_server):
        page.goto(path)
        problems += [f"{path} {problem}" for problem in page.evaluate(ARIA_PROBLEMS)]
    assert problems == []
