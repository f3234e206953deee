"""Editing a draft in Debian's Chromium, scripts off and on, in Finnish and English: start a
draft, open a step, get the error state for a deadline amount that is not a number (what was
typed stays), save a Swedish title and a deadline, then two browser contexts edit the same step:
the second sees the conflict page and, after applying again, both edits are in the draft. axe
finds no violation and the Nu validator no error on the step editor (with and without errors)
and the conflict page; a step is edited by keyboard alone with a visible focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import button, go, t
from tests.browser.test_editor import LOCALES, check_accessible, editor_server
from tests.browser.test_validity import report, validate
from tests.server import LiveServer

__all__ = ["editor_server"]

# Each run edits its own journey, so the runs do not meet each other's drafts.
JOURNEYS = {
    ("fi", False): ("moving", "notify-dvv"),
    ("fi", True): ("retirement", "check-retirement-age"),
    ("en", False): ("losing-a-job", "register-as-jobseeker"),
    ("en", True): ("having-a-child", "contact-maternity-clinic"),
}


@pytest.fixture(scope="module")
def seen() -> dict[str, str]:
    return {}


def signed_in(browser: Browser, server: LiveServer, token: str, lang: str, js: bool) -> Page:
    context: BrowserContext = browser.new_context(
        base_url=server.url, java_script_enabled=js, locale=LOCALES[lang]
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"/editor/sign-in?lang={lang}")
    page.get_by_label(t(lang, "Your editor token")).fill(token)
    go(page, button(page, lang, "Sign in").click)
    return page


@pytest.fixture
def pages() -> Iterator[list[Page]]:
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["scripts-off", "scripts-on"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_an_editor_edits_a_step_and_meets_a_conflict(
    browser: Browser,
    editor_server: tuple[LiveServer, str],
    seen: dict[str, str],
    pages: list[Page],
    lang: str,
    javascript: bool,
) -> None:
    server, token = editor_server
    slug, step = JOURNEYS[(lang, javascript)]
    page = signed_in(browser, server, token, lang, javascript)
    pages.append(page)
    page.goto(f"/editor/journeys/{slug}/draft")
    response = go(page, button(page, lang, "Start a draft").click)
    assert page.get_by_text(
        t(lang, "The draft was started from the published version.")
    ).is_visible()
    check_accessible(page, javascript)
    seen[f"{lang}-draft"] = response.text()
    response = page.goto(f"/editor/journeys/{slug}/draft/steps/{step}/delete")
    assert response is not None
    check_accessible(page, javascript)
    seen[f"{lang}-delete"] = response.text()
    response = page.goto(f"/editor/journeys/{slug}/draft/texts")
    assert response is not None
    check_accessible(page, javascript)
    seen[f"{lang}-texts"] = response.text()
    page.goto(f"/editor/journeys/{slug}/draft")
    response = go(page, page.locator(f'a[href="/editor/journeys/{slug}/draft/steps/{step}"]').click)
    assert response.status == 200
    check_accessible(page, javascript)
    seen[f"{lang}-step"] = response.text()

    # A deadline amount that is not a number: the error at the field, what was typed kept.
    page.locator("#title-sv").fill("Svensk rubrik")
    page.locator('label[for="deadline-direction-after"]').click()
    page.locator("#deadline-amount").fill("two")
    response = go(page, button(page, lang, "Save in the draft").click)
    assert response.status == 422
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#deadline-amount-error").is_visible()
    assert page.locator("#title-sv").input_value() == "Svensk rubrik"
    check_accessible(page, javascript)
    seen[f"{lang}-step-error"] = response.text()

    page.locator("#deadline-amount").fill("2")
    page.locator("#deadline-unit").select_option("weeks")
    if not page.locator("#deadline-source").input_value():  # a step that had no deadline
        source = page.locator("#deadline-source option").nth(1).get_attribute("value")
        page.locator("#deadline-source").select_option(source)
    page.locator('label[for="deadline-working_day_rule"]').click()
    response = go(page, button(page, lang, "Save in the draft").click)
    assert response.status == 200, page.locator(".error-summary").inner_text()
    assert page.get_by_text(t(lang, "Saved in the draft.")).is_visible()
    assert page.locator("#deadline-amount").input_value() == "2"

    # Two editors on the same step: the second to save sees the conflict page.
    other = signed_in(browser, server, token, lang, javascript)
    pages.append(other)
    other.goto(f"/editor/journeys/{slug}/draft/steps/{step}")
    page.reload()
    other.locator("#title-en").fill("Their English title")
    go(other, button(other, lang, "Save in the draft").click)
    page.locator("#title-sv").fill("Min svenska rubrik")
    response = go(page, button(page, lang, "Save in the draft").click)
    assert response.status == 409
    assert page.locator("h1").inner_text() == t(lang, "Someone else saved the draft meanwhile")
    assert page.get_by_text("Their English title").is_visible()
    check_accessible(page, javascript)
    seen[f"{lang}-conflict"] = response.text()
    response = go(page, button(page, lang, "Apply my change again").click)
    assert response.status == 200
    assert page.locator("#title-sv").input_value() == "Min svenska rubrik"
    assert page.locator("#title-en").input_value() == "Their English title"


def test_a_step_is_edited_by_keyboard_alone(
    browser: Browser, editor_server: tuple[LiveServer, str], pages: list[Page]
) -> None:
    server, token = editor_server
    page = signed_in(browser, server, token, "en", True)
    pages.append(page)
    page.goto("/editor/journeys/debt-problems/draft")
    page.get_by_role("button", name=t("en", "Start a draft")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first = page.locator(".items a").first
    first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#title-sv").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Control+a")
    page.keyboard.type("Tangentbordets rubrik")
    # Tab onwards until the save button has the focus, then press it.
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "save":
            break
    else:
        pytest.fail("the save button was never reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text(t("en", "Saved in the draft.")).is_visible()
    assert page.locator("#title-sv").input_value() == "Tangentbordets rubrik"


# The pages of the forms beside the step form, by run: a journey of its own for each.
NEW_FORMS = {"fi": "closing-a-business", "en": "divorce-or-separation"}


@pytest.fixture(scope="module")
def seen_new() -> dict[str, str]:
    return {}


def visit(page: Page, seen: dict[str, str], name: str, address: str | None = None) -> None:
    """Open `address` (or take the page as it is), run axe, and keep its HTML to validate."""
    if address is not None:
        response = page.goto(address)
        assert response is not None
        assert response.status == 200, address
        seen[name] = response.text()
    check_accessible(page, True)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_new_journey_questions_scenarios_and_the_journeys_settings(
    browser: Browser,
    editor_server: tuple[LiveServer, str],
    seen_new: dict[str, str],
    pages: list[Page],
    lang: str,
) -> None:
    server, token = editor_server
    page = signed_in(browser, server, token, lang, True)
    pages.append(page)
    # A new journey: its form, the errors at their fields, then the draft it starts.
    page.goto("/editor/")
    response = go(page, page.get_by_role("link", name=t(lang, "New journey")).click)
    seen_new[f"{lang}-new-journey"] = response.text()
    visit(page, seen_new, f"{lang}-new-journey")
    page.locator("#slug").fill("Not A Slug")
    response = go(page, button(page, lang, "Create the draft").click)
    assert response.status == 422
    assert page.locator("#slug-error").is_visible()
    assert page.locator("#slug").input_value() == "Not A Slug"
    seen_new[f"{lang}-new-journey-error"] = response.text()
    visit(page, seen_new, f"{lang}-new-journey-error")
    slug = f"new-forms-{lang}"
    page.locator("#slug").fill(slug)
    page.locator("#title-fi").fill("Uusi polku")
    page.locator("#owner").select_option(index=1)
    response = go(page, button(page, lang, "Create the draft").click)
    assert response.status == 200
    assert page.url.endswith(f"/editor/journeys/{slug}/draft?done=created")
    seen_new[f"{lang}-new-draft"] = response.text()
    visit(page, seen_new, f"{lang}-new-draft")

    # A bundled journey's draft: a new question refused at its id, and a question in use.
    journey = NEW_FORMS[lang]
    draft = f"/editor/journeys/{journey}/draft"
    page.goto(draft)
    go(page, button(page, lang, "Start a draft").click)
    response = go(page, page.get_by_role("link", name=t(lang, "Add a question")).click)
    seen_new[f"{lang}-question-new"] = response.text()
    visit(page, seen_new, f"{lang}-question-new")
    page.locator("#id").fill("Bad Id")
    response = go(page, button(page, lang, "Save in the draft").click)
    assert response.status == 422
    assert page.locator("#id-error").is_visible()
    seen_new[f"{lang}-question-error"] = response.text()
    visit(page, seen_new, f"{lang}-question-error")
    page.goto(draft)
    first = page.locator("#questions + p + ol a").first.get_attribute("href")
    visit(page, seen_new, f"{lang}-question-delete", f"{first}/delete")

    # The journey's sources, keywords and chains: a source without its address is refused.
    visit(page, seen_new, f"{lang}-journey", f"{draft}/journey")
    page.locator("#source-0-url").fill("")
    response = go(page, button(page, lang, "Save in the draft").click)
    assert response.status == 422
    assert page.locator("#source-0-url-error").is_visible()
    seen_new[f"{lang}-journey-error"] = response.text()
    visit(page, seen_new, f"{lang}-journey-error")

    # Scenarios: one as stored, a new one with a date that is not one, and deleting asks.
    visit(page, seen_new, f"{lang}-scenario", f"{draft}/scenarios/1")
    page.goto(f"{draft}/new-scenario")
    page.locator("#name").fill("Someone")
    page.locator("#today").evaluate("box => box.type = 'text'")  # a browser's date box
    page.locator("#today").fill("13.13.2027")
    response = go(page, button(page, lang, "Save in the draft").click)
    assert response.status == 422
    assert page.locator("#today-error").is_visible()
    assert page.locator("#name").input_value() == "Someone"
    seen_new[f"{lang}-scenario-error"] = response.text()
    visit(page, seen_new, f"{lang}-scenario-error")
    visit(page, seen_new, f"{lang}-scenario-delete", f"{draft}/scenarios/1/delete")
    response = go(page, button(page, lang, "Yes, delete the scenario").click)
    assert page.get_by_text(t(lang, "The scenario was deleted.")).is_visible()


def test_the_new_forms_are_valid_html(
    seen_new: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    kinds = (
        "new-journey",
        "new-journey-error",
        "new-draft",
        "question-new",
        "question-error",
        "question-delete",
        "journey",
        "journey-error",
        "scenario",
        "scenario-error",
        "scenario-delete",
    )
    expected = {f"{lang}-{kind}" for lang in NEW_FORMS for kind in kinds}
    assert set(seen_new) == expected, "run with the test above: it visits the pages"
    directory: Path = tmp_path_factory.mktemp("editor-new-forms-html")
    for name, html in seen_new.items():
        (directory / f"{name}.html").write_text(html, encoding="utf-8")
    errors = validate(directory)
    assert errors == [], f"{len(errors)} error(s):\n{report(errors)}"


def test_the_draft_pages_are_valid_html(
    seen: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    expected = {
        f"{lang}-{kind}"
        for lang in LOCALES
        for kind in ("draft", "delete", "texts", "step", "step-error", "conflict")
    }
    assert set(seen) == expected, "run with the test above: it visits the pages"
    directory: Path = tmp_path_factory.mktemp("editor-forms-html")
    for name, html in seen.items():
        (directory / f"{name}.html").write_text(html, encoding="utf-8")
    errors = validate(directory)
    assert errors == [], f"{len(errors)} error(s):\n{report(errors)}"
