"""The deadlines as a calendar file: the person clicks the .ics link on the plan page, the
browser downloads it, and it parses (icalendar) with one all-day event on each due date."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import icalendar
import pytest
from playwright.sync_api import Page

from tests.browser.conftest import (
    DEATH_DAY,
    DEATH_DUE,
    DEATH_OF_A_SPOUSE,
    LANGS,
    MOVING_ABROAD_WITH_CHILDREN,
    MOVING_DAY,
    MOVING_DUE,
    PageFactory,
    button,
    expect_saved,
    give_date,
    go,
    link,
    t,
)
from tests.server import LiveServer

JOURNEYS = {
    # slug: (answers, event day, the dated step, its due date)
    "moving": (MOVING_ABROAD_WITH_CHILDREN, MOVING_DAY, "notify-dvv", MOVING_DUE),
    "death-of-a-loved-one": (DEATH_OF_A_SPOUSE, DEATH_DAY, "estate-inventory", DEATH_DUE),
}


def download_calendar(page: Page, lang: str) -> icalendar.Calendar:
    calendar_link = link(page, lang, "Add the deadlines to your calendar (.ics)")
    with page.expect_download() as info:
        calendar_link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".ics")
    return icalendar.Calendar.from_ical(download.path().read_bytes())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", list(JOURNEYS))
def test_the_calendar_file_has_the_due_dates(
    new_page: PageFactory, polku: LiveServer, slug: str, lang: str
) -> None:
    answers, event_day, dated, due = JOURNEYS[slug]
    page = new_page(javascript=False, accept_downloads=True)
    pairs = [(q, v) for q, a in answers.items() for v in (a if isinstance(a, list) else [a])]
    pairs.append(("event_date", "unknown"))  # "I don't know yet": given on the plan below
    # To the plan page with the answers (the journey itself is test_journeys.py's).
    page.goto(f"/{lang}/{slug}/check?{urlencode(pairs)}")
    go(page, link(page, lang, "See your checklist").click)
    assert link(page, lang, "Add the deadlines to your calendar (.ics)").count() == 0  # no date
    give_date(page, lang, str(event_day.day), str(event_day.month), str(event_day.year))
    go(page, button(page, lang, "Show the dates").click)
    title = page.locator(f"#step-{slug}-{dated} .step-title").inner_text()

    calendar = download_calendar(page, lang)
    events = calendar.walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [(title, due)]
    event = events[0]
    assert not isinstance(event.decoded("dtstart"), dt.datetime)  # an all-day event
    assert event.decoded("dtend") == due + dt.timedelta(days=1)
    # The journey's start page, not the plan: its address would carry the answers.
    assert str(event["url"]) == f"{polku.url}/{lang}/{slug}/"
    assert str(calendar["x-wr-calname"]) == page.locator(".caption").first.inner_text()


def test_the_saved_checklist_offers_the_same_calendar(new_page: PageFactory) -> None:
    page = new_page(javascript=True, accept_downloads=True)
    page.goto("/en/moving/plan?moving_to=other_municipality&children=no"
              "&moving_housing_allowance=no&event_date=2027-06-18")  # fmt: skip
    go(page, button(page, "en", "Save my checklist").click)
    expect_saved(page, "en")
    calendar = download_calendar(page, "en")
    dates = sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT"))
    assert dates == [MOVING_DUE]
    assert t("en", "Your saved checklist") in page.locator("h1").inner_text()
