"""Keeping track in a real browser: save the plan, tick a step, leave, come back through the
private link shown on the page and find it ticked. Without scripts the tick is a plain form post;
with scripts polku.js ticks without reloading the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Frame, Page, Request, expect

from tests.browser.conftest import (
    LANGS,
    MOVING_NEARBY,
    PageFactory,
    button,
    expect_saved,
    go,
    progress_text,
    t,
)


def save_a_plan(page: Page, lang: str) -> tuple[str, int]:
    """Save a plan from its page; return the private link shown and the number of steps."""
    page.goto(f"/{lang}/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18")
    go(page, button(page, lang, "Save my checklist").click)
    expect_saved(page, lang)
    # Without scripts the address keeps the one-time "saved" flag; polku.js drops it.
    address = page.url.removesuffix("?saved=1")
    assert re.fullmatch(rf".*/{lang}/checklist/[A-Za-z0-9_-]{{43}}", address)
    private = page.locator("#private-link").input_value()
    assert private == address  # the whole address, to bookmark or copy
    total = page.locator("li.step").count()
    assert total > 3
    expect(page.locator("#progress")).to_have_text(progress_text(lang, 0, total))
    return private, total


def ticked(page: Page, lang: str, step_id: str) -> None:
    step = page.locator(f"#{step_id}")
    expect(step).to_have_class(re.compile(r"\bdone\b"))
    expect(step.locator(".status")).to_have_text(t(lang, "Done"))
    expect(step.locator("form.tick button")).to_contain_text(t(lang, "Mark as not done"))


def come_back(new_page: PageFactory, private: str, *, javascript: bool) -> Page:
    """Leave (a new private window: nothing kept in the browser) and open the private link."""
    page = new_page(javascript=javascript)
    page.goto(private)
    return page


@pytest.mark.parametrize("lang", LANGS)
def test_without_scripts_a_tick_is_a_form_post_and_stays(new_page: PageFactory, lang: str) -> None:
    page = new_page(javascript=False)
    private, total = save_a_plan(page, lang)
    assert page.locator("#private-link + button").count() == 0  # no copy button without scripts

    step = page.locator("li.step").first
    step_id = step.get_attribute("id")
    assert step_id is not None
    response = go(
        page,
        step.get_by_role("button", name=re.compile("^" + re.escape(t(lang, "Mark as done")))).click,
    )
    assert response.request.redirected_from is not None  # the post, then its redirect
    assert response.request.redirected_from.method == "POST"
    assert page.url == f"{private}#{step_id}"  # back to the step just ticked
    ticked(page, lang, step_id)
    expect(page.locator("#progress")).to_have_text(progress_text(lang, 1, total))

    page.goto(f"/{lang}/")  # somewhere else
    again = come_back(new_page, private, javascript=False)
    ticked(again, lang, step_id)
    expect(again.locator("#progress")).to_have_text(progress_text(lang, 1, total))

    # And untick, the same way.
    go(again, again.locator(f"#{step_id}").get_by_role("button").click)
    expect(again.locator("#progress")).to_have_text(progress_text(lang, 0, total))
    assert "done" not in (again.locator(f"#{step_id}").get_attribute("class") or "")


@pytest.mark.parametrize("lang", LANGS)
def test_with_scripts_a_tick_saves_without_reloading(new_page: PageFactory, lang: str) -> None:
    page = new_page(javascript=True)
    private, total = save_a_plan(page, lang)
    expect(page.locator("#private-link + button")).to_have_text(t(lang, "Copy the link"))

    navigations: list[str] = []
    posts: list[Request] = []

    def navigated(frame: Frame) -> None:
        navigations.append(frame.url)

    def finished(request: Request) -> None:
        if request.method == "POST":
            posts.append(request)

    page.on("framenavigated", navigated)
    page.on("requestfinished", finished)
    page.evaluate("window.polkuMarker = 'still the same page'")

    step = page.locator("li.step").nth(1)
    step_id = step.get_attribute("id")
    assert step_id is not None
    tick = step.get_by_role("button", name=re.compile("^" + re.escape(t(lang, "Mark as done"))))
    tick.click()
    expect(page.locator("#progress")).to_have_text(progress_text(lang, 1, total))
    ticked(page, lang, step_id)
    expect(step.locator("form.tick button")).to_be_focused()  # the focus stays put

    assert navigations == []
    assert page.evaluate("window.polkuMarker") == "still the same page"
    assert len(posts) == 1
    assert posts[0].resource_type == "fetch"
    assert posts[0].headers.get("polku-enhanced") == "1"
    sent = posts[0].response()
    assert sent is not None
    assert sent.status == 204
    page.remove_listener("framenavigated", navigated)  # the page goes back to the pool
    page.remove_listener("requestfinished", finished)

    page.goto(f"/{lang}/")  # somewhere else
    again = come_back(new_page, private, javascript=True)
    ticked(again, lang, step_id)
    expect(again.locator("#progress")).to_have_text(progress_text(lang, 1, total))
