""" "Was this useful?" in a real browser, with scripts off and on: a comment sent without a yes
or no comes back with the error and the comment kept; with a yes the plan says thank you, its
answers still in the address, and the count went up."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LANGS,
    MOVING_NEARBY,
    PageFactory,
    button,
    choose,
    go,
    t,
)


@pytest.mark.parametrize("javascript", [False, True], ids=["scripts-off", "scripts-on"])
@pytest.mark.parametrize("lang", LANGS)
def test_feedback_is_sent_explained_and_thanked_for(
    new_page: PageFactory, lang: str, javascript: bool
) -> None:
    page = new_page(javascript=javascript)
    plan = f"/{lang}/moving/plan?{MOVING_NEARBY}&event_date=2027-06-18"
    page.goto(plan)
    question = page.get_by_role("group", name=t(lang, "Was this checklist useful?"))
    expect(question).to_be_visible()
    comment = page.get_by_label(t(lang, "What could be better? (optional)"))
    comment.fill("More about schools, please")

    refused = go(page, button(page, lang, "Send feedback").click)
    assert refused.status == 400
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(t(lang, "Select yes or no"))
    expect(page.get_by_label(t(lang, "What could be better? (optional)"))).to_have_value(
        "More about schools, please"
    )
    summary.get_by_role("link").click()  # the summary leads to the yes/no
    expect(page.locator("#feedback-useful")).to_be_focused()

    choose(page, "useful", "no")
    thanked = go(page, button(page, lang, "Send feedback").click)
    assert thanked.status == 200
    expect(page.get_by_text(t(lang, "Thank you for your feedback"))).to_be_visible()
    assert "event_date=2027-06-18" in page.url
    assert "moving_to=other_municipality" in page.url
    assert page.url.endswith("#feedback")
    expect(page.locator("h1")).to_have_text(t(lang, "Your checklist"))
    expect(page.get_by_role("button", name=t(lang, "Send feedback"), exact=True)).to_have_count(0)
