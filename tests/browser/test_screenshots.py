"""Screenshots of the main pages at a phone's and a desktop's width, full page, for people to look
at (tests/browser/screenshots/, not committed). The test itself checks what a screenshot would
show at a glance: nothing wider than the screen, the heading and the main button in view."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import (
    DEATH_DAY,
    DEATH_OF_A_SPOUSE,
    MOVING_ABROAD_WITH_CHILDREN,
    MOVING_DAY,
    MOVING_NEARBY,
    SCREENSHOTS,
    PageFactory,
    button,
    expect_saved,
    go,
    t,
)


def query(answers: Mapping[str, str | list[str]]) -> str:
    pairs = [(k, v) for k, vs in answers.items() for v in ([vs] if isinstance(vs, str) else vs)]
    return urlencode(pairs)


PAGES = {
    "home": "/en/",
    "search": "/en/?q=ty%C3%B6t%C3%B6n",
    "no-match": "/en/?q=zzz",
    "question": "/en/moving/questions?moving_to=abroad",
    "plan": f"/en/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18",
    "embed": "/embed/en/moving/",
    # The plans' tops: what a person sees first (also saved as -top, the first screen only).
    "plan-moving-abroad": f"/fi/moving/plan?{query(MOVING_ABROAD_WITH_CHILDREN)}"
    f"&event_date={MOVING_DAY}",
    "plan-death": f"/fi/death-of-a-loved-one/plan?{query(DEATH_OF_A_SPOUSE)}"
    f"&event_date={DEATH_DAY}",
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
def test_screenshot(new_page: PageFactory, name: str, size: str) -> None:
    width, height = SIZES[size]
    page = new_page(viewport={"width": width, "height": height})
    page.goto(PAGES[name])
    assert page.evaluate("document.documentElement.scrollWidth") <= width, overflowing(page)
    assert overflowing(page) == []
    h1 = page.locator("h1").bounding_box()
    assert h1 is not None
    assert 0 <= h1["y"] < height / 2  # the heading is near the top
    shoot(page, f"{name}-{size}")
    if name.startswith("plan"):
        shoot(page, f"{name}-{size}-top", full_page=False)


def shoot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize("size", list(SIZES))
def test_screenshot_of_a_saved_checklist_and_feedback(new_page: PageFactory, size: str) -> None:
    """A saved checklist as it opens (the banner), then with its first step ticked; and the
    plan's feedback form sent without a yes or no, then with one."""
    width, height = SIZES[size]
    page = new_page(viewport={"width": width, "height": height})
    lang = "fi"
    page.goto(f"/{lang}/moving/plan?{query(MOVING_ABROAD_WITH_CHILDREN)}&event_date={MOVING_DAY}")
    go(page, button(page, lang, "Save my checklist").click)
    expect_saved(page, lang)
    assert overflowing(page) == []
    shoot(page, f"checklist-saved-{size}")
    shoot(page, f"checklist-saved-{size}-top", full_page=False)
    page.locator("form.tick button").first.click()  # polku.js: no reload
    page.locator("li.step.done").first.wait_for()
    page.reload()
    shoot(page, f"checklist-ticked-{size}")
    page.evaluate("window.scrollTo(0, 0)")  # a reload keeps where the tick scrolled to
    shoot(page, f"checklist-ticked-{size}-top", full_page=False)
    page.locator("li.step.done").first.scroll_into_view_if_needed()
    shoot(page, f"checklist-ticked-{size}-steps", full_page=False)

    page.goto(f"/en/moving/plan?{MOVING_NEARBY}&event_date={MOVING_DAY}")
    page.get_by_label(t("en", "What could be better? (optional)")).fill("More on schools")
    go(page, button(page, "en", "Send feedback").click)
    assert overflowing(page) == []
    shoot(page, f"feedback-error-{size}")
    page.locator('label[for="feedback-useful"]').click()
    go(page, button(page, "en", "Send feedback").click)
    shoot(page, f"feedback-thanks-{size}", full_page=False)
