"""axe-core (WCAG 2.0 and 2.1, A and AA) finds nothing on any page type in any language, as the
browser shows it with scripts on: the tour in conftest visits each one."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser

from tests.browser.conftest import AXE_OPTIONS, LANGS, ON_THE_TOUR, PAGE_TYPES, Tours


@ON_THE_TOUR
@pytest.mark.parametrize("kind", PAGE_TYPES)
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_violations(tour: Tours, lang: str, kind: str) -> None:
    visit = tour.visit(lang, kind)
    assert visit.violations == [], f"{visit.url}\n{visit.report}"


def test_axe_does_find_violations_on_a_broken_page(browser: Browser) -> None:
    """The check itself works: a page with an unlabelled field and an image without a text."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!doctype html><html lang="en"><title>Broken</title><main>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input id="x"></main></html>'
        )
        result = Axe().run(page, options=AXE_OPTIONS)
        found = {v["id"] for v in result.response["violations"]}
        assert {"image-alt", "label"} <= found, result.generate_report()
    finally:
        context.close()
