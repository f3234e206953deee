"""Screenshots of the editors' main pages at a desktop's and a phone's width, full page, for
people to look at (tests/browser/screenshots/editor-*.png, not committed): the dashboard, the
draft, the step editor (as opened and with a problem), the preview's answers and scenarios,
the plan preview, and the conflict page. Each is also checked for what a screenshot would show
at a glance: nothing wider than the screen, the heading near the top.

A server of its own (tests/browser/test_editor.py's fixture: the bundled journeys, an editor)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import SCREENSHOTS, button, go, t
from tests.browser.test_editor import editor_server
from tests.browser.test_screenshots import SIZES, overflowing
from tests.server import LiveServer

__all__ = ["editor_server"]

SLUG = "moving"
STEP = f"/editor/journeys/{SLUG}/draft/steps/notify-dvv"
AINO = "moving_to=same_municipality&children=no&moving_housing_allowance=yes&event_date=2027-03-15"


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def signed_in(
    browser: Browser, server: LiveServer, token: str, size: str, made: list[BrowserContext]
) -> Page:
    width, height = SIZES[size]
    context = browser.new_context(
        base_url=server.url, viewport={"width": width, "height": height}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    made.append(context)
    page = context.new_page()
    page.goto("/editor/sign-in?lang=en")
    page.get_by_label(t("en", "Your editor token")).fill(token)
    go(page, button(page, "en", "Sign in").click)
    return page


def shoot(page: Page, name: str, size: str, wrong: dict[str, object]) -> None:
    """The screenshot, and in `wrong` what is amiss on it (all pages are taken first)."""
    width, height = SIZES[size]
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"editor-{name}-{size}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 5_000
    wider = page.evaluate("document.documentElement.scrollWidth")
    if wider > width or overflowing(page):
        wrong[name] = (wider, overflowing(page))
    h1 = page.locator("h1").first.bounding_box()
    if h1 is None or not 0 <= h1["y"] < height:
        wrong[f"{name} heading"] = h1


@pytest.mark.parametrize("size", list(SIZES))
def test_editor_screenshots(
    browser: Browser,
    editor_server: tuple[LiveServer, str],
    contexts: list[BrowserContext],
    size: str,
) -> None:
    server, token = editor_server
    wrong: dict[str, object] = {}
    page = signed_in(browser, server, token, size, contexts)
    page.goto(f"/editor/journeys/{SLUG}/draft")
    start = button(page, "en", "Start a draft")
    if start.count():  # the first size starts it
        go(page, start.click)
    shoot(page, "draft", size, wrong)
    page.goto("/editor/")
    shoot(page, "dashboard", size, wrong)

    page.goto(STEP)
    shoot(page, "step", size, wrong)
    page.locator("#deadline-amount").fill("two")
    go(page, button(page, "en", "Save in the draft").click)
    assert page.locator(".error-summary").is_visible()
    shoot(page, "step-error", size, wrong)

    page.goto(f"/editor/journeys/{SLUG}/preview")
    shoot(page, "preview", size, wrong)
    page.goto(f"/editor/journeys/{SLUG}/preview/plan?lang=sv&{AINO}")
    shoot(page, "plan-preview", size, wrong)

    # Another editor saves the step while this one has it open: the conflict page.
    page.goto(STEP)
    other = signed_in(browser, server, token, size, contexts)
    other.goto(STEP)
    other.locator("#title-en").fill(f"Notify DVV of your move ({size}, by the other editor)")
    go(other, button(other, "en", "Save in the draft").click)
    page.locator("#title-sv").fill(f"Gör en flyttanmälan i tid ({size})")
    page.locator("#body-sv").fill("Gör anmälan **senast en vecka** efter flytten.")
    response = go(page, button(page, "en", "Save in the draft").click)
    assert response.status == 409
    shoot(page, "conflict", size, wrong)
    assert wrong == {}
