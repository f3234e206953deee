"""A person goes through two journeys in a real browser, in each language, with scripts off and
on: clicks the labels of the answers and the buttons, gives the event date as the last question
and sees the steps that apply with their real due dates."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DEATH_DAY,
    DEATH_DUE,
    DEATH_OF_A_SPOUSE,
    DEATH_STEPS,
    LANGS,
    MONTHS,
    MOVING_ABROAD_WITH_CHILDREN,
    MOVING_DAY,
    MOVING_DUE,
    MOVING_STEPS,
    PageFactory,
    answer_questions,
    button,
    due_date,
    go,
    link,
    long_date,
    step_ids,
    t,
)

JOURNEYS = {
    # slug: (answers, steps, event day, the dated step, its due date, what happens by itself)
    "moving": (MOVING_ABROAD_WITH_CHILDREN, MOVING_STEPS, MOVING_DAY, "notify-dvv", MOVING_DUE, 1),
    "death-of-a-loved-one": (
        DEATH_OF_A_SPOUSE,
        DEATH_STEPS,
        DEATH_DAY,
        "estate-inventory",
        DEATH_DUE,
        3,
    ),
}


def from_home_to_the_questions(page: Page, lang: str, slug: str) -> None:
    page.goto(f"/{lang}/")
    go(page, page.locator(f'main a[href="/{lang}/{slug}/"]').click)
    go(page, link(page, lang, "Start now").click)


def the_empty_answer_is_explained(page: Page, lang: str, javascript: bool) -> None:
    """Continue without choosing: the error summary names the problem and links to the answers;
    with scripts on, polku.js moves the focus to it."""
    question = page.locator('input[name="asked"]').get_attribute("value")
    go(page, button(page, lang, "Continue").click)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_attribute("href", f"#{question}")
    focused = page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert focused is javascript


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", list(JOURNEYS))
def test_a_person_gets_the_steps_and_dates_that_apply(
    new_page: PageFactory, slug: str, lang: str, javascript: bool
) -> None:
    answers, steps, event_day, dated, due, automatic = JOURNEYS[slug]
    page = new_page(javascript=javascript)
    from_home_to_the_questions(page, lang, slug)
    the_empty_answer_is_explained(page, lang, javascript)
    asked = answer_questions(page, lang, {**answers, "event_date": event_day})
    assert asked[-1] == "event_date"  # the date is asked in the flow, last

    expect(page.locator("h1")).to_have_text(t(lang, "Check your answers"))
    # One change link per question asked, the date's too, each named by its question.
    expect(page.get_by_role("link", name=t(lang, "Change"))).to_have_count(len(asked))
    shown = f"{event_day.day}.{event_day.month}.{event_day.year}"
    if lang == "en":
        shown = f"{event_day.day} {MONTHS['en'][event_day.month - 1]} {event_day.year}"
    expect(page.locator(".summary-row").last.locator("dd").first).to_have_text(shown)

    go(page, link(page, lang, "See your checklist").click)
    expect(page.locator("h1")).to_have_text(t(lang, "Your checklist"))
    expected = {f"step-{slug}-{step}" for step in steps}
    assert f"event_date={event_day.isoformat()}" in page.url  # a clean, shareable address
    expect(page.locator(".event-date-given")).to_contain_text(long_date(event_day, lang))
    assert set(step_ids(page)) == expected
    # Exactly one step has a statutory date, rolled off the holiday.
    expect(page.locator(".due strong")).to_have_count(1)
    by = t(lang, "by %(date)s", date=long_date(due, lang))
    expect(page.locator(f"#step-{slug}-{dated} .due strong")).to_contain_text(by)
    expect(page.locator("ul.automatic > li")).to_have_count(automatic)
    # Why each step applies, folded away.
    expect(page.locator("li.step details")).to_have_count(len(steps))


def test_the_due_date_arithmetic_of_these_tests() -> None:
    """The expected dates come from this suite's own rule (conftest), checked on known days."""
    # Midsummer Eve and Day, then a Sunday; Independence Day.
    assert due_date(MOVING_DAY, weeks=1) == dt.date(2027, 6, 28) == MOVING_DUE
    assert due_date(DEATH_DAY, months=3) == dt.date(2027, 12, 7)
    assert (
        due_date(DEATH_DAY, months=3, working_day_rule=False) == dt.date(2027, 12, 6) == DEATH_DUE
    )
    assert due_date(dt.date(2026, 4, 24), weeks=1) == dt.date(2026, 5, 4)  # May Day
    assert due_date(dt.date(2027, 12, 17), weeks=1) == dt.date(2027, 12, 27)  # Christmas
    assert due_date(dt.date(2028, 1, 31), months=1) == dt.date(2028, 2, 29)  # a short month
    assert due_date(dt.date(2027, 3, 19), weeks=1) == dt.date(2027, 3, 30)  # Good Fri, Easter
    assert long_date(MOVING_DUE, "fi") == "maanantaina 28. kesäkuuta 2027"
    assert long_date(DEATH_DUE, "sv") == "måndag 6 december 2027"
