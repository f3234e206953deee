"""Finding a journey from the home page, with scripts off and on: the life-event filter is a
link, the search a plain form; the results name the term and lead to the journey."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LANGS, PageFactory, button, go, t

DEATH_CLASS = {
    "fi": "Omaisen kuolema",
    "sv": "När en anhörig avlider",
    "en": "Death of a close family member",
}
# What a person types, and the journey it must find first, on each site.
QUERY = {
    "fi": ("työttömänä", "losing-a-job"),
    "sv": ("dödsfall", "death-of-a-loved-one"),
    "en": ("moving abroad", "moving"),
}


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("lang", LANGS)
def test_a_person_filters_by_class_and_searches(
    new_page: PageFactory, lang: str, javascript: bool
) -> None:
    page = new_page(javascript=javascript)
    page.goto(f"/{lang}/")
    filters = page.get_by_role("navigation", name=t(lang, "Filter by life event"))
    go(page, filters.get_by_role("link", name=f"{DEATH_CLASS[lang]} (1)").click)
    expect(page.locator("main .journeys a")).to_have_count(1)
    expect(page.locator("main .journeys a")).to_have_attribute(
        "href", f"/{lang}/death-of-a-loved-one/"
    )
    query, first = QUERY[lang]
    page.get_by_label(t(lang, "Search for a situation")).fill(query)
    go(page, button(page, lang, "Search").click)
    expect(page.get_by_role("heading", level=2)).to_have_text(
        t(lang, "Results for “%(query)s”", query=query)
    )
    go(page, page.locator("main .journeys a").first.click)
    assert page.url.endswith(f"/{lang}/{first}/")
