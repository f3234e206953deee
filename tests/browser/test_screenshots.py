"""Screenshots of the main pages at a phone's and a desktop's width, full page, for people to look
at (tests/browser/screenshots/, not committed). The test itself checks what a screenshot would
show at a glance: nothing wider than the screen, the heading and the main button in view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import MOVING_NEARBY, SCREENSHOTS, ContextFactory

PAGES = {
    "home": "/en/",
    "search": "/en/?q=ty%C3%B6t%C3%B6n",
    "no-match": "/en/?q=zzz",
    "question": "/en/moving/questions?moving_to=abroad",
    "plan": f"/en/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18",
    "embed": "/embed/en/moving/",
    "glossary": "/en/glossary",
    "glossary-fi": "/fi/glossary",
}
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}


def overflowing(page: Page) -> list[str]:
    """Elements that reach past the right edge of the screen (a sideways scroll on a phone)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => getComputedStyle(e).position !== "absolute")
            .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))"""
    )
    return found


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot(new_context: ContextFactory, name: str, size: str) -> None:
    width, height = SIZES[size]
    page = new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(PAGES[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= width, overflowing(page)
    assert overflowing(page) == []
    h1 = page.locator("h1").bounding_box()
    assert h1 is not None
    assert 0 <= h1["y"] < height / 2  # the heading is near the top
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{size}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 5_000
