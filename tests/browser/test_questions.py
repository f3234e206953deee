"""The question flow in a real browser, in each language, with scripts off and on: the event
date is asked as the last question and shown on "check your answers"; a wrong answer comes back
as typed, with a message that names what to fix. (axe and the Nu validator check these pages
in the tour: event-date-question, event-date-error, check, question-error and the others.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    LANGS,
    MOVING_NEARBY,
    PageFactory,
    button,
    give_date,
    go,
    link,
    t,
)

WHEN_MOVING = {"fi": "Milloin muutat?", "sv": "När flyttar du?", "en": "When are you moving?"}
YEAR_RANGE = {
    "fi": "Anna vuosi väliltä 1950–2010",
    "sv": "Ange ett år mellan 1950 och 2010",
    "en": "Enter a year between 1950 and 2010",
}


def boxes(page: Page) -> list[str]:
    return [page.locator(f"#{id}").input_value() for id in ("event_date", "event_date-month")] + [
        page.locator("#event_date-year").input_value()
    ]


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_date_is_asked_in_the_flow_and_shown_on_check_answers(
    new_page: PageFactory, lang: str, javascript: bool
) -> None:
    page = new_page(javascript=javascript)
    page.goto(f"/{lang}/moving/questions?{MOVING_NEARBY}")
    expect(page.locator("h1")).to_have_text(WHEN_MOVING[lang])
    expect(page.locator(".caption.step")).to_have_text(
        t(lang, "Question %(number)d of at most %(most)d", number=4, most=7)
    )
    # A date that does not exist: every box keeps what was typed, and the message says so.
    give_date(page, lang, "31", "4", "2027")
    go(page, button(page, lang, "Continue").click)
    summary = page.locator(".error-summary")
    expect(summary.locator("h2")).to_have_text(t(lang, "There is a problem"))
    fix = t(lang, "Enter a real date, for example 27 3 2027")
    expect(summary.get_by_role("link")).to_have_text(fix)
    expect(summary.get_by_role("link")).to_have_attribute("href", "#event_date")
    assert boxes(page) == ["31", "4", "2027"]
    expect(page.locator("#event_date")).to_have_attribute("aria-invalid", "true")

    give_date(page, lang, "30", "4", "2027")
    go(page, button(page, lang, "Continue").click)
    expect(page.locator("h1")).to_have_text(t(lang, "Check your answers"))
    row = page.locator(".summary-row").filter(has_text=WHEN_MOVING[lang])
    expect(row.locator("dd").first).to_have_text("30 April 2027" if lang == "en" else "30.4.2027")
    change = row.get_by_role("link", name=t(lang, "Change"))
    go(page, change.click)
    assert boxes(page) == ["30", "4", "2027"]  # the date given, to change
    go(page, button(page, lang, "Continue").click)
    go(page, link(page, lang, "See your checklist").click)
    assert "event_date=2027-04-30" in page.url  # the date travels in the address


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_birth_year_comes_back_as_typed_with_the_range_named(
    new_page: PageFactory, lang: str, javascript: bool
) -> None:
    page = new_page(javascript=javascript)
    page.goto(f"/{lang}/retirement/questions")
    field = page.locator('input[name="retirement_birth_year"]')
    field.fill("1800")
    go(page, button(page, lang, "Continue").click)
    expect(page.locator(".error-summary h2")).to_have_text(t(lang, "There is a problem"))
    expect(page.locator(".error-summary a")).to_have_text(YEAR_RANGE[lang])
    expect(page.locator(".error-message")).to_contain_text(YEAR_RANGE[lang])
    expect(field).to_have_value("1800")
    expect(field).to_have_attribute("aria-invalid", "true")
    if javascript:  # polku.js moves the focus to the summary
        focused = page.evaluate("document.activeElement.classList.contains('error-summary')")
        assert focused
