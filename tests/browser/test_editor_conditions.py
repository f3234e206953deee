"""A step's condition built in the structured form in Debian's Chromium, scripts off and on, in
Finnish and English: a rule, "Add a rule" (a group), "Add a group" and "Remove" post the form
and show it again with everything typed kept; saved and read back; a nested rule naming an
unknown question shows the checker's problem at its field, in the editor's language; a
condition the form cannot show is YAML only, the page saying why. axe finds no violation and
the Nu validator no error in those states. With scripts on, a step and a question are dragged
to a new place and the new order is saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import button, go, t
from tests.browser.test_editor import LOCALES, check_accessible, editor_server
from tests.browser.test_editor_forms import signed_in
from tests.browser.test_validity import report, validate
from tests.server import LiveServer

__all__ = ["editor_server"]

JOURNEYS = {
    ("fi", False): ("moving", "notify-dvv"),
    ("fi", True): ("retirement", "check-retirement-age"),
    ("en", False): ("losing-a-job", "register-as-jobseeker"),
    ("en", True): ("having-a-child", "contact-maternity-clinic"),
}
DEEP = "all: [{any: [{all: [{any: [{all: [{question: %s, answered: true}]}]}]}]}]"


@pytest.fixture(scope="module")
def seen() -> dict[str, str]:
    return {}


@pytest.fixture
def pages() -> Iterator[list[Page]]:
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


def question_ids(page: Page, select: str) -> list[str]:
    values: list[str] = page.locator(f"{select} option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    return [v for v in values if v and v != "event_date"]


def drag(page: Page, source: str, target: str) -> None:
    """The drag events a browser sends when an item is dropped on another (Chromium's own drag
    emulation under Playwright sent no dragover here), with one DataTransfer, as Playwright's
    documentation shows."""
    data = page.evaluate_handle("() => new DataTransfer()")
    page.dispatch_event(source, "dragstart", {"dataTransfer": data})
    page.dispatch_event(target, "dragenter", {"dataTransfer": data})
    page.dispatch_event(target, "dragover", {"dataTransfer": data})
    page.dispatch_event(target, "drop", {"dataTransfer": data})


@pytest.mark.parametrize("javascript", [False, True], ids=["scripts-off", "scripts-on"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_condition_is_built_in_the_form(
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
    go(page, button(page, lang, "Start a draft").click)
    page.goto(f"/editor/journeys/{slug}/draft/steps/{step}")
    page.locator("#when-yaml").fill("")
    revision = page.locator('input[name="revision"]').input_value()
    first, second = question_ids(page, "#when-question")[:2]

    page.locator("#title-sv").fill("Villkorets rubrik")
    page.locator("#when-question").select_option(first)
    page.locator("#when-operator").select_option("answered")
    response = go(page, button(page, lang, "Add a rule").click)
    assert response.status == 200
    assert page.locator("#when-group").is_visible()
    assert page.locator("#when-0-question").input_value() == first
    assert page.locator("#title-sv").input_value() == "Villkorets rubrik"
    assert page.locator('input[name="revision"]').input_value() == revision
    page.locator("#when-group").select_option("any")
    page.locator("#when-1-question").select_option(second)
    page.locator("#when-1-operator").select_option("answered")
    response = go(page, page.locator('button[value="condition:add-group:when"]').click)
    assert page.locator("#when-2-group").is_visible()
    check_accessible(page, javascript)
    seen[f"{lang}-groups"] = response.text()
    go(page, page.locator('button[value="condition:remove:when.2"]').click)
    assert page.locator("#when-2-group").count() == 0
    response = go(page, button(page, lang, "Save in the draft").click)
    assert page.get_by_text(t(lang, "Saved in the draft.")).is_visible()
    assert page.locator("#when-group").input_value() == "any"
    assert page.locator("#when-1-question").input_value() == second
    assert page.locator("#title-sv").input_value() == "Villkorets rubrik"

    # A nested rule naming an unknown question: the checker's problem at its field.
    page.locator("#when-yaml").fill(
        f"any: [{{question: {first}, answered: true}}, {{question: no_such_question, equals: x}}]"
    )
    go(page, button(page, lang, "Save in the draft").click)
    response = page.reload()
    assert response is not None
    error = page.locator("#when-1-question-error")
    assert error.is_visible()
    unknown = "tuntematon kysymys" if lang == "fi" else "unknown question"
    assert unknown in error.inner_text()
    check_accessible(page, javascript)
    seen[f"{lang}-condition-error"] = response.text()

    # What the form cannot show: YAML only, and why.
    page.locator("#when-yaml").fill(DEEP % first)
    go(page, button(page, lang, "Save in the draft").click)
    response = page.reload()
    assert response is not None
    assert page.locator("#condition-yaml-only").is_visible()
    assert page.locator("#when-question").count() == 0
    check_accessible(page, javascript)
    seen[f"{lang}-condition-yaml"] = response.text()


def test_steps_and_questions_are_dragged_to_a_new_place(
    browser: Browser, editor_server: tuple[LiveServer, str], pages: list[Page]
) -> None:
    server, token = editor_server
    page = signed_in(browser, server, token, "en", True)
    pages.append(page)
    page.goto("/editor/journeys/debt-problems/draft")
    go(page, button(page, "en", "Start a draft").click)

    def order(kind: str) -> list[str]:
        ids: list[str] = page.locator(f"ol.items > li[id^={kind}-]").evaluate_all(
            "items => items.map(i => i.id)"
        )
        return ids

    steps = order("step")
    go(page, lambda: drag(page, f"#{steps[-1]}", f"#{steps[0]}"))
    assert page.get_by_text(t("en", "The order was changed.")).is_visible()
    assert order("step") == [steps[-1], *steps[:-1]]
    page.reload()
    assert order("step") == [steps[-1], *steps[:-1]]

    questions = order("question")
    go(page, lambda: drag(page, f"#{questions[0]}", f"#{questions[2]}"))
    assert order("question") == [questions[1], questions[2], questions[0], *questions[3:]]
    # The buttons stay for keyboards.
    assert page.locator(f"#{questions[0]} button[value=up]").is_visible()


def test_the_condition_pages_are_valid_html(
    seen: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    expected = {
        f"{lang}-{kind}"
        for lang in LOCALES
        for kind in ("groups", "condition-error", "condition-yaml")
    }
    assert set(seen) == expected, "run with the test above: it visits the pages"
    directory: Path = tmp_path_factory.mktemp("editor-conditions-html")
    for name, html in seen.items():
        (directory / f"{name}.html").write_text(html, encoding="utf-8")
    errors = validate(directory)
    assert errors == [], f"{len(errors)} error(s):\n{report(errors)}"
