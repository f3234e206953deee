"""An editor's day, in Debian's Chromium, scripts off and on (the Finnish interface without
scripts, the English one with them):

Eeva (an editor) signs in and starts a draft of `moving`. She opens the step "notify the move"
while Paavo (a publisher, in another browser) has the same step open; he saves an English title
first, so her Swedish title meets the conflict page, and applying it again keeps both. She gives
"review your housing allowance" a deadline, adds a step whose condition (built in the form)
names a question the journey does not have, sees the problem at the field, fixes it, previews
Aino's plan in Swedish and saves Aino's answers as a scenario. Paavo publishes: the citizen page
shows the new texts, the new step and the new date at once. He rolls back: the old texts again.

The selectors are in small functions below, so a change in a form changes one place.
A server of its own (tests/browser/test_editor_publishing.py's fixture: an editor's and a
publisher's token)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, Response

from tests.browser.conftest import button, due_date, go, link, long_date, t
from tests.browser.test_editor_forms import signed_in
from tests.browser.test_editor_publishing import publishing_server
from tests.server import LiveServer

__all__ = ["publishing_server"]

SLUG = "moving"
CONFLICT_STEP = "notify-dvv"  # Swedish title (Eeva) against English title (Paavo)
DEADLINE_STEP = "review-housing-allowance"  # no deadline yet; Aino gets this step
# Aino moves within her municipality on Monday 15 March 2027 and gets housing allowance.
AINO = {"moving_to": "same_municipality", "children": "no", "moving_housing_allowance": "yes"}
AINO_DAY = dt.date(2027, 3, 15)
AINO_QUERY = "&".join(f"{k}={v}" for k, v in AINO.items()) + f"&event_date={AINO_DAY}"
# Two weeks after the move is Easter Monday: the working-day rule moves it to Tuesday 30 March.
AINO_DUE = due_date(AINO_DAY, weeks=2)
OLD_SWEDISH_TITLE = "Gör en flyttanmälan"


@pytest.fixture
def pages() -> Iterator[list[Page]]:
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


# -- The editor's pages, one small function per form ---------------------------------------------


def start_draft(page: Page, lang: str) -> None:
    page.goto(f"/editor/journeys/{SLUG}/draft")
    go(page, button(page, lang, "Start a draft").click)
    assert page.get_by_text(
        t(lang, "The draft was started from the published version.")
    ).is_visible()


def open_step(page: Page, step_id: str) -> None:
    page.goto(f"/editor/journeys/{SLUG}/draft")
    go(page, page.locator(f'a[href="/editor/journeys/{SLUG}/draft/steps/{step_id}"]').click)


def step_text(page: Page, text: str, lang_code: str) -> str:
    """A step form's title or body in one language."""
    return page.locator(f"#{text}-{lang_code}").input_value()


def write_step_text(page: Page, text: str, lang_code: str, value: str) -> None:
    page.locator(f"#{text}-{lang_code}").fill(value)


def set_deadline(page: Page, *, weeks: int, source: str, working_day_rule: bool) -> None:
    page.locator('label[for="deadline-direction-after"]').click()
    page.locator("#deadline-amount").fill(str(weeks))
    page.locator("#deadline-unit").select_option("weeks")
    page.locator("#deadline-source").select_option(source)
    rule = "deadline-working_day_rule" + ("" if working_day_rule else "-no")
    page.locator(f'label[for="{rule}"]').click()


def new_step(page: Page, lang: str, step_id: str) -> None:
    page.goto(f"/editor/journeys/{SLUG}/draft")
    go(page, link(page, lang, "Add a step").click)
    page.locator("#id").fill(step_id)
    page.locator('label[for="kind"]').click()  # a task
    page.locator('label[for="timing-after"]').click()


def build_condition(page: Page, question: str, comparison: str, value: str) -> None:
    """The condition's question, comparison and value fields. The question list offers only
    the journey's questions: one it does not have is put in the list first, as a form read
    before a question was renamed would send it."""
    field = page.locator("#when-question")
    if field.locator(f'option[value="{question}"]').count() == 0:
        field.evaluate(
            "(select, id) => select.add(new Option(id, id))", question
        )  # works with the page's scripts off: Playwright's own
    field.select_option(question)
    page.locator("#when-operator").select_option(comparison)
    page.locator("#when-value").fill(value)


def save_step(page: Page, lang: str) -> Response:
    return go(page, button(page, lang, "Save in the draft").click)


def field_problem(page: Page, field_id: str) -> str:
    """The problem shown at a field (empty when there is none)."""
    found = page.locator(f"#{field_id}-error")
    return found.inner_text() if found.count() else ""


def preview_plan(page: Page, lang: str, lang_code: str) -> Response:
    """The preview's answers form: Aino's answers and moving day, in `lang_code`."""
    page.goto(f"/editor/journeys/{SLUG}/preview")
    page.get_by_label(t(lang, "Language of the preview")).select_option(lang_code)
    page.locator("#preview-event-date").fill(AINO_DAY.isoformat())
    for question, value in AINO.items():
        page.locator(f"#q-{question}").select_option(value)
    return go(page, button(page, lang, "Show the preview").click)


def save_scenario(page: Page, lang_code: str, name: str) -> Response:
    """From a preview (its form is in the preview's language)."""
    page.locator("#scenario-name").fill(name)
    return go(page, button(page, lang_code, "Save as a scenario").click)


def publish(page: Page, lang: str, note: str) -> Response:
    page.goto(f"/editor/journeys/{SLUG}/publish")
    assert page.locator(".ready").is_visible(), page.locator("main").inner_text()
    page.get_by_label(t(lang, "Change note")).fill(note)
    return go(page, button(page, lang, "Publish").click)


def roll_back(page: Page, lang: str, note: str) -> Response:
    """From the history: back to the version before the newest."""
    page.goto(f"/editor/journeys/{SLUG}/history")
    go(page, page.get_by_role("link", name=t(lang, "Roll back to this version")).first.click)
    page.get_by_label(t(lang, "Change note")).fill(note)
    return go(page, page.locator("form button.warning").click)


def citizen_plan(page: Page) -> Page:
    """Aino's plan on the citizen pages, in Swedish, as anyone sees it."""
    page.goto(f"/sv/{SLUG}/plan?{AINO_QUERY}&all=1")
    return page


def step_titled(page: Page, title: str) -> int:
    """How many steps of the plan on the page have this title."""
    return page.locator(".step-title", has_text=title).count()


def plan_step(page: Page, step_id: str) -> Locator:
    return page.locator(f"#step-{SLUG}-{step_id}")


# -- The story ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("javascript", "lang"), [(False, "fi"), (True, "en")], ids=["scripts-off", "scripts-on"]
)
def test_an_editor_changes_a_journey_and_a_publisher_publishes_and_rolls_it_back(
    browser: Browser,
    publishing_server: tuple[LiveServer, str, str],
    pages: list[Page],
    javascript: bool,
    lang: str,
) -> None:
    server, editor, publisher = publishing_server
    run = "js" if javascript else "utan-js"
    swedish_title = f"Gör en flyttanmälan i tid ({run})"
    english_title = f"Tell DVV you moved ({run})"
    new_id = f"story-check-the-mailbox-{run}"
    new_titles = {
        "fi": f"Tarkista postilaatikko ({run})",
        "sv": f"Kontrollera brevlådan ({run})",
        "en": f"Check the mailbox ({run})",
    }
    eeva = signed_in(browser, server, editor, lang, javascript)
    paavo = signed_in(browser, server, publisher, lang, javascript)
    pages += [eeva, paavo]
    citizen = paavo.context.new_page()

    # Eeva starts a draft; Paavo and she open the same step.
    start_draft(eeva, lang)
    open_step(eeva, CONFLICT_STEP)
    open_step(paavo, CONFLICT_STEP)
    assert step_text(eeva, "title", "sv") == OLD_SWEDISH_TITLE
    write_step_text(paavo, "title", "en", english_title)
    assert save_step(paavo, lang).status == 200
    write_step_text(eeva, "title", "sv", swedish_title)
    response = save_step(eeva, lang)
    assert response.status == 409
    assert eeva.locator("h1").inner_text() == t(lang, "Someone else saved the draft meanwhile")
    assert eeva.get_by_text(english_title).first.is_visible()  # what Paavo saved
    assert eeva.get_by_text(swedish_title).first.is_visible()  # and her own change
    response = go(eeva, button(eeva, lang, "Apply my change again").click)
    assert response.status == 200
    assert step_text(eeva, "title", "sv") == swedish_title
    assert step_text(eeva, "title", "en") == english_title

    # A deadline for a step that had none.
    open_step(eeva, DEADLINE_STEP)
    set_deadline(eeva, weeks=2, source="kela_housing", working_day_rule=True)
    response = save_step(eeva, lang)
    assert response.status == 200
    assert eeva.get_by_text(t(lang, "Saved in the draft.")).is_visible()
    assert eeva.locator("#deadline-amount").input_value() == "2"

    # A new step whose condition names a question the journey does not have.
    new_step(eeva, lang, new_id)
    for code, title in new_titles.items():
        write_step_text(eeva, "title", code, title)
        write_step_text(eeva, "body", code, f"**{title}**.")
    build_condition(eeva, "moving_too", "equals", "same_municipality")
    response = save_step(eeva, lang)
    assert response.status == 200
    assert eeva.url.endswith(f"/steps/{new_id}?saved=1")
    problem = field_problem(eeva, "when-question")
    assert "moving_too" in problem, eeva.locator("main").inner_text()[:2000]
    assert eeva.locator(".error-summary").is_visible()
    # The draft lists the problem with a link to the field.
    eeva.goto(f"/editor/journeys/{SLUG}/draft")
    assert eeva.locator(f'a[href$="/steps/{new_id}#when-question"]').count() == 1
    # Fixed: the question the journey has.
    open_step(eeva, new_id)
    build_condition(eeva, "moving_to", "equals", "same_municipality")
    response = save_step(eeva, lang)
    assert response.status == 200
    assert field_problem(eeva, "when-question") == ""
    assert eeva.locator(".error-summary").count() == 0

    # Aino's plan from the draft, in Swedish, and her answers kept as a scenario.
    response = preview_plan(eeva, lang, "sv")
    assert response.status == 200
    assert eeva.locator("html").get_attribute("lang") == "sv"
    assert t("sv", "Preview – not published") in eeva.locator(".preview-banner").inner_text()
    assert step_titled(eeva, swedish_title) == 1
    assert step_titled(eeva, new_titles["sv"]) == 1
    response = save_scenario(eeva, "sv", f"Aino flyttar ({run})")
    assert response.status == 200
    assert eeva.get_by_text(t(lang, "The scenario was saved in the draft.")).is_visible()
    row = eeva.locator(".scenario-table tr", has_text=f"Aino flyttar ({run})")
    assert row.get_by_text(t(lang, "Passes")).is_visible()

    # Paavo publishes: the citizen page shows the change at once.
    citizen_plan(citizen)
    assert step_titled(citizen, OLD_SWEDISH_TITLE) == 1
    response = publish(paavo, lang, f"Swedish title, a deadline and a new step ({run})")
    assert response.status == 200
    assert "/history?published=" in paavo.url
    citizen_plan(citizen)
    assert step_titled(citizen, swedish_title) == 1
    assert step_titled(citizen, new_titles["sv"]) == 1
    assert (
        long_date(AINO_DUE, "sv") in plan_step(citizen, DEADLINE_STEP).locator(".due").inner_text()
    )
    citizen.goto(f"/en/{SLUG}/plan?{AINO_QUERY}")
    assert plan_step(citizen, CONFLICT_STEP).locator(".step-title").inner_text() == english_title

    # And rolls back: the old text again, the new step gone.
    response = roll_back(paavo, lang, f"Back again ({run})")
    assert response.status == 200
    assert "/history?published=" in paavo.url
    citizen_plan(citizen)
    assert step_titled(citizen, OLD_SWEDISH_TITLE) == 1
    assert step_titled(citizen, swedish_title) == 0
    assert step_titled(citizen, new_titles["sv"]) == 0
