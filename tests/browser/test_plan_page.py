"""The plan leads with what to do next, in a real browser, in each language, with scripts off and
on: on a phone's first screen (390×844) the next dated deadline is in view; the steps are numbered
once through; printed (print emulation), the page shows the date, the answers, every step's
reasons and where its links lead. Screenshots of the plan's top and a saved checklist at a phone's
and a desktop's width go to tests/browser/screenshots/."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    DEATH_DAY,
    DEATH_DUE,
    DEATH_OF_A_SPOUSE,
    LANGS,
    MOVING_ABROAD_WITH_CHILDREN,
    MOVING_DAY,
    MOVING_DUE,
    SCREENSHOTS,
    PageFactory,
    button,
    expect_saved,
    go,
    long_date,
    t,
)

PLANS = {
    # slug: (answers, event day, the next dated step, its due date)
    "moving": (MOVING_ABROAD_WITH_CHILDREN, MOVING_DAY, "notify-dvv", MOVING_DUE),
    "death-of-a-loved-one": (DEATH_OF_A_SPOUSE, DEATH_DAY, "estate-inventory", DEATH_DUE),
}
PHONE = {"width": 390, "height": 844}


def plan_url(lang: str, slug: str, event_day: dt.date | None = None) -> str:
    answers, *_ = PLANS[slug]
    pairs = [(k, v) for k, vs in answers.items() for v in (vs if isinstance(vs, list) else [vs])]
    if event_day is not None:
        pairs.append(("event_date", event_day.isoformat()))
    return f"/{lang}/{slug}/plan?{urlencode(pairs)}"


def numbers(page: Page) -> list[int]:
    texts: list[str] = page.locator(".step-number").all_inner_texts()
    return [int(text.rstrip(".")) for text in texts]


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", list(PLANS))
def test_the_first_screen_of_a_phone_shows_the_next_deadline(
    new_page: PageFactory, slug: str, lang: str, javascript: bool
) -> None:
    _, event_day, dated, due = PLANS[slug]
    page = new_page(javascript=javascript, viewport=PHONE)
    page.goto(plan_url(lang, slug, event_day))
    entry = page.locator(f'.next-steps li:has(a[href="#step-{slug}-{dated}"])')
    expect(entry).to_contain_text(t(lang, "by %(date)s", date=long_date(due, lang)))
    box = entry.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], box  # seen without scrolling

    # One numbering from the first step to the last, whatever the headings.
    shown = numbers(page)
    assert shown == list(range(1, len(shown) + 1))
    assert page.locator("li.step").count() == len(shown)
    assert page.locator(".steps").count() >= 2  # more than one timing, still one numbering

    # Steps are folded under their titles; the link in "what to do next" leads to the step (and
    # opens it where scripts run).
    target = page.locator(f"#step-{slug}-{dated}")
    expect(target.locator(".step-title")).to_be_visible()
    expect(target.locator(".reasons")).to_be_hidden()
    entry.get_by_role("link").click()
    if javascript:
        expect(target.locator(".reasons")).to_be_visible()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
def test_open_all_opens_every_step_without_scripts(
    new_page: PageFactory, lang: str, javascript: bool
) -> None:
    page = new_page(javascript=javascript)
    page.goto(plan_url(lang, "moving", MOVING_DAY))
    steps = page.locator("li.step").count()
    expect(page.locator("li.step details[open]")).to_have_count(0)
    go(page, page.locator(".show-all a").click)
    assert "all=1" in page.url
    expect(page.locator("li.step details[open]")).to_have_count(steps)
    expect(page.locator("li.step .reasons").first).to_be_visible()
    go(page, page.locator(".show-all a").click)
    expect(page.locator("li.step details[open]")).to_have_count(0)


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", list(PLANS))
def test_printed_the_plan_has_its_date_answers_reasons_and_link_addresses(
    new_page: PageFactory, slug: str, lang: str, javascript: bool
) -> None:
    _, event_day, _, _ = PLANS[slug]
    page = new_page(javascript=javascript)
    # The answers that apply are those "check your answers" lists (with the date: the flow asks it).
    page.goto(plan_url(lang, slug, event_day).replace("/plan?", "/check?"))
    answers = page.locator(".summary dt").all_inner_texts()
    # The flow asks the date last; the printed header gives it on a line of its own.
    date_row = page.locator(".summary-row").last.locator("dd").first.inner_text()
    assert str(event_day.year) in date_row
    answers = answers[:-1]
    assert len(answers) >= 5
    page.goto(plan_url(lang, slug, event_day))
    header = page.locator(".print-header")
    expect(header).to_be_hidden()  # on screen, the page has its own header
    page.emulate_media(media="print")
    expect(header).to_be_visible()
    expect(header).to_contain_text(long_date(event_day, lang))
    expect(header.locator(".address")).to_contain_text(f"/{lang}/{slug}/plan?")
    expect(header.locator(".print-answers dt")).to_have_text(answers)
    # Every step whole, its reasons too, though folded on screen.
    reasons = page.locator("li.step .reasons")
    assert reasons.count() == page.locator("li.step").count()
    for index in range(reasons.count()):
        expect(reasons.nth(index)).to_be_visible()
    # Where each outward link leads, written after it.
    links = page.locator('li.step a[href^="https://"]')
    assert links.count() > 0
    for index in range(links.count()):
        after = links.nth(index).evaluate("a => getComputedStyle(a, '::after').content")
        href = links.nth(index).get_attribute("href")
        assert href is not None
        assert href in after, (href, after)
    page.emulate_media(media="screen")
    expect(header).to_be_hidden()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_saved_checklist_says_once_that_it_is_saved(
    new_page: PageFactory, lang: str, javascript: bool
) -> None:
    page = new_page(javascript=javascript)
    page.goto(plan_url(lang, "moving", MOVING_DAY))
    go(page, button(page, lang, "Save my checklist").click)
    expect_saved(page, lang)
    banner = page.locator(".banner.success")
    expect(banner.get_by_role("heading")).to_have_text(t(lang, "Your checklist is saved"))
    private = page.locator("#private-link").input_value()
    # With scripts, the address loses its "saved" flag at once; a reload never shows it again.
    assert page.url == (private if javascript else f"{private}?saved=1")
    page.goto(private)
    expect(banner).to_have_count(0)
    # The next deadline leads the checklist too.
    expect(page.locator('.next-steps a[href="#step-moving-notify-dvv"]')).to_be_visible()


@pytest.mark.parametrize("size", [390, 1280])
def test_screenshots_of_the_plan_top_and_a_checklist(new_page: PageFactory, size: int) -> None:
    page = new_page(viewport={"width": size, "height": 844})
    SCREENSHOTS.mkdir(exist_ok=True)
    for slug in PLANS:
        page.goto(plan_url("fi", slug, PLANS[slug][1]))
        assert page.evaluate("document.documentElement.scrollWidth") <= size
        page.screenshot(path=SCREENSHOTS / f"plan-top-{slug}-{size}.png")
    page.goto(plan_url("en", "moving", dt.date(2020, 6, 18)))  # a year late: overdue
    go(page, button(page, "en", "Save my checklist").click)
    page.locator("form.tick button").nth(2).click()
    page.locator("li.step.done").first.wait_for()
    page.reload()
    page.evaluate("window.scrollTo(0, 0)")  # the tick brought the page to its step
    page.screenshot(path=SCREENSHOTS / f"checklist-top-{size}.png")
    page.screenshot(path=SCREENSHOTS / f"checklist-{size}.png", full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=SCREENSHOTS / f"checklist-print-top-{size}.png")
    page.screenshot(path=SCREENSHOTS / f"checklist-print-{size}.png", full_page=True)
